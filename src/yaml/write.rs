//! The YAML writer beside the reader: every scalar chartgen emits is quoted or proven plain, and every comment
//! stays one comment, so free text from a spec can never become YAML structure.

use serde_json::{Map, Value};

/// A top-level mapping, one `key: value` entry after another.
pub fn write_mapping(out: &mut String, map: &Map<String, Value>) {
    for (k, v) in map {
        out.push_str(&format!("{}:", yaml_key(k)));
        write_yaml_value(out, v, 0);
    }
}

/// Writes ` value\n` or a nested block after `key:`.
pub fn write_yaml_value(out: &mut String, value: &Value, indent: usize) {
    let pad = " ".repeat(indent + 2);
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            for (k, v) in map {
                out.push_str(&format!("{pad}{}:", yaml_key(k)));
                write_yaml_value(out, v, indent + 2);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            for item in items {
                out.push_str(&format!("{pad}-"));
                match item {
                    Value::Object(map) if !map.is_empty() => {
                        // First key on the dash line, the rest aligned under it.
                        let mut first = true;
                        for (k, v) in map {
                            if first {
                                out.push_str(&format!(" {}:", yaml_key(k)));
                                first = false;
                            } else {
                                out.push_str(&format!("{pad}  {}:", yaml_key(k)));
                            }
                            write_yaml_value(out, v, indent + 4);
                        }
                    }
                    other => write_yaml_value(out, other, indent),
                }
            }
        }
        scalar => {
            out.push(' ');
            out.push_str(&yaml_scalar(scalar));
            out.push('\n');
        }
    }
}

/// Strings always quoted (JSON escaping is valid YAML), so `"on"`, `"1.0"` and `"*"` stay strings.
pub fn yaml_scalar(value: &Value) -> String {
    match value {
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
        Value::String(text) => quoted(text),
        other => other.to_string(),
    }
}

pub fn yaml_key(key: &str) -> String {
    if is_plain_scalar(key) && !key.contains([' ', ',']) {
        key.to_string()
    } else {
        quoted(key)
    }
}

/// A double-quoted YAML string. JSON's escaping is YAML's, but for the characters YAML 1.1 parsers (Helm's)
/// read as line breaks even inside quotes (NEL, LS, PS): JSON leaves them raw, so they are escaped here, or Helm
/// would fold `A<NEL>B` into `A B`.
fn quoted(text: &str) -> String {
    escape_yaml_line_breaks(&Value::String(text.to_string()).to_string())
}

/// JSON text made safe as YAML flow text: NEL, LS and PS are line breaks to a YAML 1.1 reader (Helm's), which
/// would fold them inside a quoted scalar, so they are written as `\u` escapes (valid JSON and YAML alike).
pub fn escape_yaml_line_breaks(json: &str) -> String {
    json.replace('\u{85}', "\\u0085")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// Whether a string can be written as a plain YAML scalar and still read back as that same string: only
/// letters, digits and `_ - . / , space`, no leading indicator or space, and nothing YAML 1.1 or 1.2 would
/// read as a boolean, null or number. Anything else is written quoted.
pub fn is_plain_scalar(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | ',' | ' '))
        && !text.starts_with(['-', '.', ',', ' '])
        && !text.ends_with(' ')
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n" | "~"
        )
        && text.parse::<f64>().is_err()
        && !text.bytes().all(|b| b.is_ascii_digit() || b == b'_')
}

/// A YAML comment of any text: one `# ` line per line of text, so a newline never ends the comment.
pub fn write_comment(out: &mut String, pad: &str, lead: &str, text: &str) {
    // A comment ends at the line break: every other character YAML reads as one (`\r`, NEL, LS, PS) or refuses
    // (control characters, a BOM) is written as an escape, so free text can neither break the file nor add keys.
    let mut clean = String::with_capacity(text.len());
    for c in text.replace("\r\n", "\n").chars() {
        if c != '\n'
            && (c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}'))
        {
            clean.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            clean.push(c);
        }
    }
    let mut lines = clean.lines();
    out.push_str(&format!(
        "{pad}# {lead}{}\n",
        lines.next().unwrap_or_default().trim_end()
    ));
    for line in lines {
        let line = line.trim_end();
        if line.is_empty() {
            out.push_str(&format!("{pad}#\n"));
        } else {
            out.push_str(&format!("{pad}# {line}\n"));
        }
    }
}

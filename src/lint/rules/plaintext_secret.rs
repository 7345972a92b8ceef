use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::{Object, Unit};
use crate::lint::source::{Origin, Seg, key};
use crate::secrets::{classify, mask, unmistakable};
use crate::yaml::{Node, Value};

declare_rule! {
    /// ## What it does
    /// Finds literal secret values where they would be committed or rendered in plain text: container env values,
    /// ConfigMap data (including whole files: .env, properties, YAML and JSON), Secret manifests with literal data
    /// in committed files, a chart's values.yaml defaults, and template text.
    ///
    /// A value is a secret when its format is unmistakable (AWS, GitHub, GitLab, OpenAI, Anthropic, Google,
    /// Slack, Stripe keys, JWTs, PEM private keys, URLs with a password), when a secret-like name (password,
    /// secret, token, API key, private key, credential, auth…) holds a literal that could be a credential, or when
    /// it is long random text. Empty values, references (`secretKeyRef`, Secret names, `*_FILE`, `*_PATH`, `*_DIR`),
    /// `$(VAR)` interpolation, URLs without credentials and obvious placeholders are not secrets. The value is
    /// never printed: every output masks it.
    ///
    /// ## Why is this bad?
    /// Manifests and values files live in git, in CI logs and in `helm get values`. A secret there is readable
    /// by everyone who can read those, forever: rotating it is the only fix.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    ///   - name: DATABASE_URL
    ///     value: postgresql://app:s3cret@ep-cool.neon.tech/app
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// env:
    ///   - name: DATABASE_URL
    ///     valueFrom:
    ///       secretKeyRef: { name: app-secrets, key: DATABASE_URL }
    /// ```
    pub struct PlaintextSecret {
        name: "plaintext-secret",
        severity: Error,
        profile: None,
        summary: "a literal secret value in env, a ConfigMap, a Secret manifest, values.yaml or a template",
    }
}

impl Rule for PlaintextSecret {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        env_values(unit, out);
        for object in &unit.objects {
            match object.kind.as_str() {
                "ConfigMap" => config_map(unit, object, out),
                "Secret" if matches!(object.origin, Origin::Direct { .. }) => {
                    committed_secret(unit, object, out)
                }
                _ => {}
            }
        }
        for chart in &unit.charts {
            if let Some((file, values)) = &chart.values {
                values_defaults(unit, *file, values, &mut Vec::new(), out);
            }
            for &template in &chart.templates {
                template_text(unit, template, out);
            }
        }
    }
}

fn finding(unit: &Unit, mut f: Finding, secret: &str) -> Finding {
    let _ = unit;
    f.secret = Some(secret.to_string());
    f
}

fn env_values(unit: &Unit, out: &mut Vec<Finding>) {
    super::common::each_container(unit, |object, c| {
        for (i, var) in c
            .node
            .get("env")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let (Some(name), Some(value_node)) = (
                var.get("name").and_then(Node::scalar_text),
                var.get("value"),
            ) else {
                continue;
            };
            let Some(value) = value_node.scalar_text() else {
                continue;
            };
            let Some(why) = classify(&name, &value) else {
                continue;
            };
            let mut path = c.field(&["env"]);
            path.extend([Seg::Index(i), key("value")]);
            let message = format!(
                "env var `{name}` of container `{}` holds a literal secret ({why}): \"{}\"; read it from a Secret with `valueFrom.secretKeyRef`",
                c.name,
                mask(&value)
            );
            let f = unit.value_finding(
                &PlaintextSecret::META,
                object,
                Some(&c.name),
                &path,
                value_node,
                message,
            );
            out.push(finding(unit, f, &value));
        }
    });
}

/// ConfigMap values, single values and whole files alike.
fn config_map(unit: &Unit, object: &Object, out: &mut Vec<Finding>) {
    let Some(data) = object.doc.get("data") else {
        return;
    };
    for (k, v) in data.entries() {
        let Some(text) = v.scalar_text() else {
            continue;
        };
        for hit in scan_text(&k.name, &text) {
            let path = [key("data"), key(&k.name)];
            let message = format!(
                "ConfigMap `{}` key `{}` holds a literal secret{} ({}): \"{}\"; ConfigMaps are not encrypted or access-controlled like Secrets",
                object.name,
                k.name,
                hit.name
                    .as_ref()
                    .map(|n| format!(" in `{n}`"))
                    .unwrap_or_default(),
                hit.why,
                mask(&hit.secret)
            );
            let mut f = unit.value_finding(&PlaintextSecret::META, object, None, &path, v, message);
            if matches!(object.origin, Origin::Direct { .. }) && hit.line_offset > 0 {
                // A block scalar's content starts on the line after its indicator.
                f.line = v.pos.line + hit.line_offset;
                f.column = 1;
            }
            out.push(finding(unit, f, &hit.secret));
        }
    }
}

/// A Secret manifest committed with its values: base64 is an encoding, not encryption.
fn committed_secret(unit: &Unit, object: &Object, out: &mut Vec<Finding>) {
    for (field, encoded) in [("data", true), ("stringData", false)] {
        let Some(data) = object.doc.get(field) else {
            continue;
        };
        for (k, v) in data.entries() {
            let Some(raw) = v.scalar_text() else { continue };
            let plain = if encoded {
                decode_base64(&raw).unwrap_or_else(|| raw.clone())
            } else {
                raw.clone()
            };
            if plain.trim().is_empty() || is_stand_in(&plain) {
                continue;
            }
            let path = [key(field), key(&k.name)];
            let message = format!(
                "Secret `{}` commits a literal value for `{}`{}: \"{}\"; create the Secret at deploy time (kubectl create secret, SealedSecrets, External Secrets) instead",
                object.name,
                k.name,
                if encoded {
                    " (base64 is not encryption)"
                } else {
                    ""
                },
                mask(&raw)
            );
            let f = unit.value_finding(&PlaintextSecret::META, object, None, &path, v, message);
            out.push(finding(unit, f, &raw));
        }
    }
}

/// Values that stand for a secret in a committed Secret (CI fixtures, templates for people to fill in).
fn is_stand_in(value: &str) -> bool {
    classify("password", value).is_none()
}

fn values_defaults(
    unit: &Unit,
    file: usize,
    node: &Node,
    path: &mut Vec<String>,
    out: &mut Vec<Finding>,
) {
    match &node.value {
        Value::Map(entries) => {
            for (k, v) in entries {
                path.push(k.name.clone());
                match &v.value {
                    Value::Map(_) | Value::Seq(_) => values_defaults(unit, file, v, path, out),
                    _ => {
                        if let Some(text) = v.scalar_text()
                            && let Some(why) = classify(&k.name, &text)
                        {
                            let message = format!(
                                "values.yaml default `{}` is a literal secret ({why}): \"{}\"; ship an empty default and require it at install time",
                                path.join("."),
                                mask(&text)
                            );
                            let f = unit.make(
                                &PlaintextSecret::META,
                                file,
                                k.pos.line,
                                k.pos.column,
                                None,
                                None,
                                message,
                            );
                            out.push(finding(unit, f, &text));
                        }
                    }
                }
                path.pop();
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                values_defaults(unit, file, item, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Literal text in a template, outside `{{ }}`: only unmistakable formats.
fn template_text(unit: &Unit, file: usize, out: &mut Vec<Finding>) {
    let Some(source) = unit.sources.get(file) else {
        return;
    };
    for (i, line) in source.text.lines().enumerate() {
        let literal = strip_actions(line);
        let Some(why) = unmistakable(&literal) else {
            continue;
        };
        let secret = literal
            .trim()
            .rsplit([' ', ':', '='])
            .next()
            .unwrap_or(&literal)
            .trim_matches('"')
            .to_string();
        let column = line.find(secret.as_str()).map_or(1, |c| c as u32 + 1);
        let message = format!(
            "template text holds a literal secret ({why}): \"{}\"; take it from a Secret",
            mask(&secret)
        );
        let f = unit.make(
            &PlaintextSecret::META,
            file,
            i as u32 + 1,
            column,
            None,
            None,
            message,
        );
        out.push(finding(unit, f, &secret));
    }
}

/// The line with every `{{ … }}` action blanked out.
fn strip_actions(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        match rest[start..].find("}}") {
            Some(end) => rest = &rest[start + end + 2..],
            None => return out,
        }
        out.push(' ');
    }
    out.push_str(rest);
    out
}

/// One secret found inside a value.
struct Hit {
    /// The key inside a file value (`DB_PASSWORD` of a .env file), when there is one.
    name: Option<String>,
    secret: String,
    why: String,
    /// Lines after the value's first line (0 for a single-line value).
    line_offset: u32,
}

/// A single value, or a file (.env, properties, YAML, JSON) held in one value.
fn scan_text(key_name: &str, text: &str) -> Vec<Hit> {
    if !text.contains('\n') {
        if let Some(hits) = scan_json(text) {
            return hits;
        }
        return classify(key_name, text)
            .map(|why| Hit {
                name: None,
                secret: text.trim().to_string(),
                why,
                line_offset: 0,
            })
            .into_iter()
            .collect();
    }
    if let Some(hits) = scan_json(text) {
        return hits;
    }
    let mut hits = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("//") {
            continue;
        }
        let offset = i as u32 + 1;
        let pair = trimmed
            .strip_prefix("export ")
            .unwrap_or(trimmed)
            .split_once(['=', ':'])
            .map(|(k, v)| {
                (
                    k.trim().trim_matches('"').to_string(),
                    v.trim()
                        .trim_matches(|c| c == '"' || c == '\'' || c == ',')
                        .to_string(),
                )
            });
        match pair {
            Some((k, v)) if !k.is_empty() && !k.contains(' ') => {
                if let Some(why) = classify(&k, &v) {
                    hits.push(Hit {
                        name: Some(k),
                        secret: v,
                        why,
                        line_offset: offset,
                    });
                }
            }
            _ => {
                if let Some(why) = unmistakable(trimmed) {
                    hits.push(Hit {
                        name: None,
                        secret: trimmed.to_string(),
                        why,
                        line_offset: offset,
                    });
                }
            }
        }
    }
    hits
}

/// JSON objects: every string leaf, judged by its own key.
fn scan_json(text: &str) -> Option<Vec<Hit>> {
    let trimmed = text.trim();
    if !trimmed.starts_with('{') {
        return None;
    }
    let value: serde_json::Value = serde_json::from_str(trimmed).ok()?;
    let mut hits = Vec::new();
    fn walk(key: &str, v: &serde_json::Value, hits: &mut Vec<Hit>) {
        match v {
            serde_json::Value::Object(map) => map.iter().for_each(|(k, v)| walk(k, v, hits)),
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(key, v, hits)),
            serde_json::Value::String(s) => {
                if let Some(why) = classify(key, s) {
                    hits.push(Hit {
                        name: Some(key.to_string()),
                        secret: s.clone(),
                        why,
                        line_offset: 0,
                    });
                }
            }
            _ => {}
        }
    }
    walk("", &value, &mut hits);
    Some(hits)
}

/// Standard base64 (what Kubernetes uses for `data`), tolerant of whitespace; `None` when it is not base64.
fn decode_base64(text: &str) -> Option<String> {
    let mut bits: u32 = 0;
    let mut count = 0;
    let mut bytes = Vec::new();
    for c in text.bytes().filter(|c| !c.is_ascii_whitespace()) {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(v);
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_base64() {
        assert_eq!(decode_base64("aHVudGVyMg==").as_deref(), Some("hunter2"));
        assert_eq!(decode_base64("not base64!"), None);
    }

    #[test]
    fn scans_files_in_values() {
        let env = "LOG_LEVEL=info\nDB_PASSWORD=hunter2hunter2\n# API_KEY=commented-out\n";
        let hits = scan_text("app.env", env);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].line_offset, 2);
        let json = r#"{"db": {"password": "hunter2hunter2", "host": "db"}}"#;
        assert_eq!(scan_text("config.json", json).len(), 1);
        assert!(scan_text("settings.yaml", "level: info\nurl: http://x\n").is_empty());
    }

    #[test]
    fn template_actions_are_not_literals() {
        assert_eq!(
            strip_actions(r#"value: {{ .Values.x | quote }} tail"#),
            "value:   tail"
        );
    }
}

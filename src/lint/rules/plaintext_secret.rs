use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::{Object, Unit};
use crate::lint::source::{Origin, Seg, key};
use crate::secrets::{classify, find_all, in_secret};
use crate::yaml::{Node, Value};

declare_rule! {
    /// ## What it does
    /// Finds literal secret values where they would be committed or rendered in plain text: container env values
    /// and command lines (`--token=…`, `--password VALUE`), ConfigMap data (including whole files: .env, properties, YAML and JSON), Secret manifests with literal data
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
        let mut found = Vec::new();
        self.check_all(unit, &mut found);
        // A rendered value set by a chart's test values (`ci/*-values.yaml`) is judged as those files are: only
        // an unmistakable secret there is a finding.
        out.extend(found.into_iter().filter(|f| {
            !crate::lint::input::is_ci_values_file(std::path::Path::new(&f.file))
                || f.secret()
                    .is_none_or(|s| crate::secrets::unmistakable(s).is_some())
        }));
    }
}

impl PlaintextSecret {
    fn check_all(&self, unit: &Unit, out: &mut Vec<Finding>) {
        env_values(unit, out);
        command_lines(unit, out);
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
                let scan = ValuesScan {
                    file: *file,
                    ci: false,
                };
                values_defaults(unit, scan, values, &mut Vec::new(), None, out);
            }
            for (file, values) in &chart.ci_values {
                let scan = ValuesScan {
                    file: *file,
                    ci: true,
                };
                values_defaults(unit, scan, values, &mut Vec::new(), None, out);
            }
            for &template in &chart.templates {
                template_text(unit, template, out);
            }
            for &file in &chart.files {
                loaded_file(unit, file, out);
            }
        }
    }
}

/// The part of a one-line value that is the secret (see [`crate::secrets::secret_span`]).
fn secret_part(value: &str) -> &str {
    let value = value.trim();
    &value[crate::secrets::secret_span(value)]
}

fn with_secret(mut f: Finding, secret: &str) -> Finding {
    f.diagnostic.secret = Some(secret.to_string());
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
                "env var `{name}` of container `{}` holds a literal secret ({why}); read it from a Secret with `valueFrom.secretKeyRef`",
                c.name,
            );
            let f = unit.value_finding(
                &PlaintextSecret::META,
                object,
                Some(&c.name),
                &path,
                value_node,
                message,
            );
            out.push(with_secret(f, secret_part(&value)));
        }
    });
}

/// Secrets on a container's command line (`--token=ghp_…`, `--password hunter2`): they show in `ps`, in the
/// pod spec and in every describe.
fn command_lines(unit: &Unit, out: &mut Vec<Finding>) {
    super::common::each_container(unit, |object, c| {
        for field in ["command", "args"] {
            let items = c.node.get(field).map(Node::as_seq).unwrap_or_default();
            let texts: Vec<String> = items
                .iter()
                .map(|n| n.scalar_text().unwrap_or_default())
                .collect();
            for (i, why) in crate::secrets::in_arguments(&texts) {
                let mut path = c.field(&[field]);
                path.push(Seg::Index(i));
                let message = format!(
                    "{field} of container `{}` holds a literal secret ({why}); pass it as an env var from a Secret \
                     (`$(VAR)` in args reads it)",
                    c.name,
                );
                let f = unit.value_finding(
                    &PlaintextSecret::META,
                    object,
                    Some(&c.name),
                    &path,
                    &items[i],
                    message,
                );
                out.push(with_secret(f, secret_part(&texts[i])));
            }
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
                "ConfigMap `{}` key `{}` holds a literal secret{} ({}); ConfigMaps are not encrypted or access-controlled like Secrets",
                object.name,
                k.name,
                inner_name(&hit),
                hit.why,
            );
            let mut f = unit.value_finding(&PlaintextSecret::META, object, None, &path, v, message);
            // A file a template loads with `.Files.Get` is reported where its text is written.
            if !matches!(object.origin, Origin::Direct { .. })
                && line_text(unit, &f.file, f.line()).is_some_and(|l| l.contains(".Files."))
                && unit.charts.iter().any(|c| !c.files.is_empty())
            {
                continue;
            }
            relocate(unit, &mut f, &text, &hit);
            out.push(with_secret(f, &hit.secret));
        }
    }
}

fn inner_name(hit: &Hit) -> String {
    hit.name
        .as_ref()
        .map(|n| format!(" in `{n}`"))
        .unwrap_or_default()
}

/// A Secret manifest with its values (committed, or rendered and saved): base64 is an encoding, not encryption.
fn committed_secret(unit: &Unit, object: &Object, out: &mut Vec<Finding>) {
    for (field, encoded) in [("data", true), ("stringData", false)] {
        let Some(data) = object.doc.get(field) else {
            continue;
        };
        for (k, v) in data.entries() {
            let Some(raw) = v.scalar_text() else { continue };
            // Binary data (a keystore) stays encoded; it is judged by its key and as a whole.
            let plain = if encoded {
                crate::secrets::decode_base64(&raw).unwrap_or_else(|| raw.clone())
            } else {
                raw.clone()
            };
            let file = is_file(&plain);
            let mut hits = if file {
                scan_text(&k.name, &plain)
            } else {
                Vec::new()
            };
            // A file of settings with no secret in it is not one; an opaque value (a key file) is judged whole.
            if hits.is_empty()
                && !(file && is_structured(&plain))
                && let Some(why) = in_secret(&k.name, &plain)
            {
                hits.push(Hit {
                    name: None,
                    secret: plain.trim().to_string(),
                    why,
                    line: None,
                });
            }
            for hit in hits {
                let path = [key(field), key(&k.name)];
                let message = format!(
                    "Secret `{}` commits a literal value for `{}`{} ({}{}); create the Secret at deploy time (kubectl create secret, SealedSecrets, External Secrets) instead",
                    object.name,
                    k.name,
                    inner_name(&hit),
                    hit.why,
                    if encoded {
                        "; base64 is not encryption"
                    } else {
                        ""
                    },
                );
                let mut f =
                    unit.value_finding(&PlaintextSecret::META, object, None, &path, v, message);
                // What the output shows is the encoded text; mask that too.
                let shown = if encoded && hit.line.is_none() {
                    raw.trim().to_string()
                } else {
                    relocate(unit, &mut f, &plain, &hit);
                    hit.secret.clone()
                };
                out.push(with_secret(f, &shown));
            }
        }
    }
}

/// A value that holds a file: several lines, or a JSON object.
fn is_file(text: &str) -> bool {
    text.trim().contains('\n') || text.trim_start().starts_with('{')
}

/// Whether a file's lines are `key = value` or `key: value` pairs (or JSON), rather than one opaque value (a key
/// file, a certificate).
fn is_structured(text: &str) -> bool {
    scan_json_value(text).is_some()
        || text
            .lines()
            .any(|l| pair(l).is_some_and(|(k, v)| !k.is_empty() && !v.is_empty()))
}

/// values.yaml defaults, judged by their key and its parent (`ssl.secret`, `passwords.admin`), list items by
/// their list's key (`tokens: [ghp_…]`), and `{name: X, value: Y}` pairs (extra env vars) by their name.
fn values_defaults(
    unit: &Unit,
    scan: ValuesScan,
    node: &Node,
    path: &mut Vec<String>,
    env_name: Option<&str>,
    out: &mut Vec<Finding>,
) {
    match &node.value {
        Value::Map(entries) => {
            let pair_name = node
                .get("name")
                .and_then(Node::scalar_text)
                .filter(|_| node.get("value").is_some_and(|v| v.scalar_text().is_some()));
            for (k, v) in entries {
                path.push(k.name.clone());
                match &v.value {
                    Value::Map(_) | Value::Seq(_) => {
                        values_defaults(unit, scan, v, path, None, out)
                    }
                    _ => {
                        let name = match &pair_name {
                            Some(n) if k.name == "value" => n.clone(),
                            _ => qualified(path),
                        };
                        values_leaf(unit, scan, v, &name, k.pos, path, out);
                    }
                }
                path.pop();
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                let name = qualified(path);
                path.push(format!("[{i}]"));
                match &item.value {
                    Value::Map(_) | Value::Seq(_) => {
                        values_defaults(unit, scan, item, path, None, out)
                    }
                    _ => values_leaf(
                        unit,
                        scan,
                        item,
                        env_name.unwrap_or(&name),
                        item.pos,
                        path,
                        out,
                    ),
                }
                path.pop();
            }
        }
        _ => {}
    }
}

/// A values file to scan: the chart's values.yaml, or one of its `ci/*-values.yaml` test values.
#[derive(Clone, Copy)]
struct ValuesScan {
    file: usize,
    /// Test values hold test passwords by design: only an unmistakable secret (a private key, a known token
    /// format, a URL with a password) there is a committed credential.
    ci: bool,
}

fn values_leaf(
    unit: &Unit,
    scan: ValuesScan,
    node: &Node,
    name: &str,
    pos: crate::yaml::Pos,
    path: &[String],
    out: &mut Vec<Finding>,
) {
    let Some(text) = node.scalar_text() else {
        return;
    };
    let shown = path.join(".").replace(".[", "[");
    let message = if scan.ci {
        let Some(found) = crate::secrets::unmistakable(&text) else {
            return;
        };
        let file = unit.sources.get(scan.file).map_or("", |s| s.path.as_str());
        format!(
            "test values `{shown}` in `{file}` hold a literal secret ({}); it is committed with the chart: use a generated test value instead",
            found.why
        )
    } else {
        let Some(why) = classify(name, &text) else {
            return;
        };
        format!(
            "values.yaml default `{shown}` is a literal secret ({why}); ship an empty default and require it at install time"
        )
    };
    let f = unit.make(
        &PlaintextSecret::META,
        scan.file,
        pos.line,
        pos.column,
        None,
        None,
        message,
    );
    out.push(with_secret(f, text.trim()));
}

/// The last key of a values path with its parent (`ssl.secret`), list indices left out.
fn qualified(path: &[String]) -> String {
    let keys: Vec<&str> = path
        .iter()
        .filter(|p| !p.starts_with('['))
        .map(String::as_str)
        .collect();
    keys[keys.len().saturating_sub(2)..].join(".")
}

/// Literal text in a template, outside `{{ }}`: only unmistakable formats (a PEM private key over several lines
/// too).
fn template_text(unit: &Unit, file: usize, out: &mut Vec<Finding>) {
    let Some(source) = unit.sources.get(file) else {
        return;
    };
    let literal = blank_actions(&source.text);
    for found in find_all(&literal) {
        let secret = &literal[found.span.clone()];
        let (line, column) = line_column(&literal, found.span.start);
        let message = format!(
            "template text holds a literal secret ({}); take it from a Secret",
            found.why
        );
        let f = unit.make(
            &PlaintextSecret::META,
            file,
            line,
            column,
            None,
            None,
            message,
        );
        out.push(with_secret(f, secret));
    }
}

/// A chart file that a template loads (`.Files.Get "secrets/secrets.yaml"`): what it holds is rendered.
fn loaded_file(unit: &Unit, file: usize, out: &mut Vec<Finding>) {
    let Some(source) = unit.sources.get(file) else {
        return;
    };
    let name = std::path::Path::new(&source.path)
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for hit in scan_text(&name, &source.text) {
        let (line, column) = match hit.line {
            Some(i) => {
                let text = source.text.lines().nth(i).unwrap_or_default();
                (i as u32 + 1, column_of(text, &hit.secret))
            }
            None => source
                .text
                .find(hit.secret.as_str())
                .map_or((1, 1), |at| line_column(&source.text, at)),
        };
        let message = format!(
            "chart file `{}`, which a template loads with `.Files`, holds a literal secret{} ({}); it is rendered into the chart's objects: keep it out of the chart and supply it at install time",
            source.path,
            inner_name(&hit),
            hit.why
        );
        let f = unit.make(
            &PlaintextSecret::META,
            file,
            line,
            column,
            None,
            None,
            message,
        );
        out.push(with_secret(f, &hit.secret));
    }
}

/// The text with every `{{ … }}` action blanked out, byte for byte, so that offsets, lines and columns stay.
fn blank_actions(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let action = match rest[start..].find("}}") {
            Some(end) => &rest[start..start + end + 2],
            None => &rest[start..],
        };
        for c in action.chars() {
            if c == '\n' {
                out.push('\n');
            } else {
                out.extend(std::iter::repeat_n(' ', c.len_utf8()));
            }
        }
        rest = &rest[start + action.len()..];
    }
    out.push_str(rest);
    out
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, at: usize) -> (u32, u32) {
    let before = &text[..at.min(text.len())];
    let line = before.matches('\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() as u32 + 1)
}

/// 1-based column of `needle` in a line, else of the line's first non-blank character.
fn column_of(line: &str, needle: &str) -> u32 {
    let at = line
        .find(needle)
        .filter(|_| !needle.is_empty())
        .unwrap_or_else(|| line.len() - line.trim_start().len());
    line[..at].chars().count() as u32 + 1
}

fn line_text<'a>(unit: &'a Unit, file: &str, line: u32) -> Option<&'a str> {
    let source = unit.sources.iter().find(|s| s.path == file)?;
    source.text.lines().nth(line.checked_sub(1)? as usize)
}

/// Moves a finding from a file value's first line to the line inside it that holds the secret, found in the file
/// the finding points into (a manifest's block scalar, a template, values.yaml). Where the text is not there as
/// written (base64, a quoted scalar with escapes), the finding stays at the value.
fn relocate(unit: &Unit, f: &mut Finding, text: &str, hit: &Hit) {
    let Some(i) = hit.line else {
        return;
    };
    // Each secret of a file value is its own problem, wherever the renders put the value.
    f.place.push_str(&format!(":{i}"));
    let lines: Vec<&str> = text.lines().collect();
    let Some(target) = lines.get(i).map(|l| l.trim()).filter(|t| !t.is_empty()) else {
        return;
    };
    let nth = lines[..i].iter().filter(|l| l.trim() == target).count();
    let Some(source) = unit.sources.iter().find(|s| s.path == f.file) else {
        return;
    };
    let start = f.line().saturating_sub(1) as usize;
    let found = source
        .text
        .lines()
        .enumerate()
        .skip(start)
        .take(lines.len() + 3)
        .filter(|(_, l)| l.trim() == target)
        .nth(nth);
    if let Some((j, line)) = found {
        let column = column_of(line, &hit.secret);
        f.move_to(j as u32 + 1, column);
        // The region is the secret itself, when the line holds it as written.
        if !hit.secret.is_empty() && line.contains(hit.secret.as_str()) {
            f.diagnostic.end = Some(crate::yaml::Pos {
                line: j as u32 + 1,
                column: column + hit.secret.chars().count() as u32,
            });
        }
    }
}

/// One secret found inside a value.
struct Hit {
    /// The key inside a file value (`DB_PASSWORD` of a .env file), when there is one.
    name: Option<String>,
    secret: String,
    why: String,
    /// The 0-based line inside a multi-line value, when the value is a file.
    line: Option<usize>,
}

/// A single value, or a file (.env, properties, INI, YAML, JSON, scripts) held in one value.
fn scan_text(key_name: &str, text: &str) -> Vec<Hit> {
    if let Some(hits) = scan_json(text) {
        return hits;
    }
    if !text.trim().contains('\n') {
        return classify(key_name, text)
            .map(|why| Hit {
                name: None,
                secret: secret_part(text).to_string(),
                why,
                line: None,
            })
            .into_iter()
            .collect();
    }
    let mut hits = Vec::new();
    // Secrets over several lines (PEM private keys) first; their lines are not read again.
    let mut covered: Vec<std::ops::Range<usize>> = Vec::new();
    for found in find_all(text) {
        let secret = &text[found.span.clone()];
        if secret.contains('\n') {
            let (first, _) = line_column(text, found.span.start);
            let last = first + secret.matches('\n').count() as u32;
            covered.push(first as usize - 1..last as usize);
            hits.push(Hit {
                name: None,
                secret: secret.to_string(),
                why: found.why.to_string(),
                line: Some(first as usize - 1),
            });
        }
    }
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty()
            || trimmed.starts_with('#')
            || trimmed.starts_with("//")
            || trimmed.starts_with(';')
            || covered.iter().any(|r| r.contains(&i))
        {
            continue;
        }
        match pair(trimmed) {
            Some((k, v)) if !k.is_empty() => {
                if let Some(why) = classify(k, v) {
                    hits.push(Hit {
                        name: Some(k.to_string()),
                        secret: v.to_string(),
                        why,
                        line: Some(i),
                    });
                }
            }
            _ => {
                if let Some(found) = find_all(trimmed).into_iter().next() {
                    hits.push(Hit {
                        name: None,
                        secret: trimmed[found.span].to_string(),
                        why: found.why.to_string(),
                        line: Some(i),
                    });
                }
            }
        }
    }
    hits.sort_by_key(|h| h.line);
    hits
}

/// A `key = value`, `key: value` or `export KEY=value` line of a file, with quotes, trailing commas and
/// trailing comments taken off the value; `None` when the line is not one (prose, a command).
fn pair(line: &str) -> Option<(&str, &str)> {
    let line = line.trim();
    let line = line.strip_prefix("export ").unwrap_or(line);
    let line = line.strip_prefix("- ").unwrap_or(line);
    let (k, v) = line.split_once(['=', ':'])?;
    let k = k.trim().trim_matches(['"', '\'']);
    if k.contains(char::is_whitespace) {
        return None;
    }
    let v = v.trim();
    let v = match v.find(" #") {
        Some(i) if !v.starts_with(['"', '\'']) => &v[..i],
        _ => v,
    };
    let v = v
        .trim()
        .trim_end_matches(',')
        .trim_matches(['"', '\''])
        .trim();
    Some((k, v))
}

fn scan_json_value(text: &str) -> Option<serde_json::Value> {
    let trimmed = text.trim();
    if !trimmed.starts_with('{') {
        return None;
    }
    serde_json::from_str(trimmed).ok()
}

/// JSON objects: every string leaf, judged by its own key.
fn scan_json(text: &str) -> Option<Vec<Hit>> {
    let value = scan_json_value(text)?;
    let mut hits = Vec::new();
    fn walk(key: &str, v: &serde_json::Value, hits: &mut Vec<Hit>) {
        match v {
            serde_json::Value::Object(map) => map.iter().for_each(|(k, v)| walk(k, v, hits)),
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(key, v, hits)),
            serde_json::Value::String(s) => {
                if let Some(why) = classify(key, s) {
                    hits.push(Hit {
                        name: Some(key.to_string()),
                        secret: s.trim().to_string(),
                        why,
                        line: None,
                    });
                }
            }
            _ => {}
        }
    }
    walk("", &value, &mut hits);
    Some(hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_base64() {
        assert_eq!(
            crate::secrets::decode_base64("aHVudGVyMg==").as_deref(),
            Some("hunter2")
        );
        assert_eq!(crate::secrets::decode_base64("not base64!"), None);
    }

    #[test]
    fn scans_files_in_values() {
        let env = "LOG_LEVEL=info\nDB_PASSWORD=hunter2hunter2\n# API_KEY=commented-out\n";
        let hits = scan_text("app.env", env);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].line, Some(1));
        let json = r#"{"db": {"password": "hunter2hunter2", "host": "db"}}"#;
        assert_eq!(scan_text("config.json", json).len(), 1);
        assert!(scan_text("settings.yaml", "level: info\nurl: http://x\n").is_empty());
    }

    #[test]
    fn template_actions_are_not_literals() {
        let text = "value: {{ .Values.x | quote }} tail\n{{- /* multi\nline */}}x";
        let blank = blank_actions(text);
        assert_eq!(blank.len(), text.len());
        assert_eq!(
            blank,
            format!(
                "value: {} tail\n{}\n{}x",
                " ".repeat(23),
                " ".repeat(12),
                " ".repeat(9)
            )
        );
    }
}

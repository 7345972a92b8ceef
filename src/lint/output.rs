//! Printing a report: human (default), json, sarif 2.1.0 and GitHub workflow commands. Secret values are masked
//! in every format, snippets included.

use super::Report;
use super::finding::{Finding, Severity};
use super::rules::RULES;
use crate::secrets::redact;
use serde_json::json;
use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
}

pub fn write(report: &Report, format: Format, color: bool, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human => human(report, color, out),
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &json_report(report))?;
            writeln!(out)
        }
        Format::Sarif => {
            serde_json::to_writer_pretty(&mut *out, &sarif(report))?;
            writeln!(out)
        }
        Format::Github => github(report, out),
    }
}

fn masked_line(line: &str, f: &Finding) -> String {
    match &f.secret {
        // `redact` also finds escaped forms and each line of a multi-line secret.
        Some(secret) if !secret.is_empty() && redact(line, secret) != line => redact(line, secret),
        Some(secret) if line.contains(secret.as_str()) => line.to_string(),
        // A secret spread over the line differently (quoted, escaped): hide everything after the key.
        Some(_) => match line.split_once([':', '=']) {
            Some((k, _)) => format!("{k}: ********"),
            None => "********".into(),
        },
        None => line.to_string(),
    }
}

struct Paint {
    on: bool,
}

impl Paint {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

fn human(report: &Report, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let p = Paint { on: color };
    for f in &report.findings {
        let (label, code) = match f.severity {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
            Severity::Info => ("info", "1;36"),
        };
        writeln!(
            out,
            "{}: {}[{}] {}",
            p.paint("1", &format!("{}:{}:{}", f.file, f.line, f.column)),
            p.paint(code, label),
            f.rule,
            f.message
        )?;
        if let Some(text) = report.source_text(&f.file)
            && let Some(line) = text.lines().nth(f.line.saturating_sub(1) as usize)
        {
            let number = f.line.to_string();
            let gutter = " ".repeat(number.len());
            let shown = masked_line(line, f);
            writeln!(out, "{gutter} {}", p.paint("34", "|"))?;
            writeln!(
                out,
                "{} {} {shown}",
                p.paint("34", &number),
                p.paint("34", "|")
            )?;
            let caret_at = (f.column.saturating_sub(1) as usize).min(shown.chars().count());
            writeln!(
                out,
                "{gutter} {} {}{}",
                p.paint("34", "|"),
                " ".repeat(caret_at),
                p.paint(code, "^")
            )?;
        }
        let mut context = Vec::new();
        if let Some(o) = &f.object {
            let ns = o
                .namespace
                .as_ref()
                .map(|n| format!(" in {n}"))
                .unwrap_or_default();
            context.push(format!("{} {}{ns}", o.kind, o.name));
        }
        if let Some(c) = &f.container {
            context.push(format!("container {c}"));
        }
        if !context.is_empty() {
            writeln!(out, "  = {}", context.join(", "))?;
        }
        writeln!(out)?;
    }
    let (e, w, i) = (
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Info),
    );
    let summary = if report.findings.is_empty() {
        format!(
            "No findings in {} files ({} objects).",
            report.files, report.objects
        )
    } else {
        format!(
            "Found {e} error{}, {w} warning{}, {i} info in {} files ({} objects).",
            if e == 1 { "" } else { "s" },
            if w == 1 { "" } else { "s" },
            report.files,
            report.objects
        )
    };
    let code = if e > 0 {
        "1;31"
    } else if w > 0 {
        "1;33"
    } else {
        "1;32"
    };
    writeln!(out, "{}", p.paint(code, &summary))
}

fn json_report(report: &Report) -> serde_json::Value {
    json!({
        "findings": report.findings.iter().map(|f| {
            let mut v = serde_json::to_value(f).unwrap_or_default();
            if let (Some(secret), Some(message)) = (&f.secret, v.get_mut("message")) {
                *message = json!(redact(message.as_str().unwrap_or_default(), secret));
            }
            v
        }).collect::<Vec<_>>(),
        "summary": {
            "errors": report.count(Severity::Error),
            "warnings": report.count(Severity::Warning),
            "info": report.count(Severity::Info),
            "files": report.files,
            "objects": report.objects,
        }
    })
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// SARIF 2.1.0 with rule metadata and real regions. URIs are relative to the working directory, declared as
/// the `%SRCROOT%` base, which is what code-scanning uploads expect.
fn sarif(report: &Report) -> serde_json::Value {
    let rules: Vec<serde_json::Value> = RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            json!({
                "id": m.name,
                "name": pascal(m.name),
                "shortDescription": { "text": m.summary },
                "fullDescription": { "text": m.doc_text().lines().find(|l| !l.starts_with('#') && !l.trim().is_empty()).unwrap_or(m.summary) },
                "help": { "text": m.doc_text(), "markdown": m.doc_text() },
                "defaultConfiguration": { "level": sarif_level(m.severity) },
                "properties": { "tags": ["kubernetes", "security"] }
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = report
        .findings
        .iter()
        .map(|f| {
            let index = RULES
                .iter()
                .position(|r| r.meta().name == f.rule)
                .unwrap_or(0);
            let message = match &f.secret {
                Some(s) => redact(&f.message, s),
                None => f.message.clone(),
            };
            let mut result = json!({
                "ruleId": f.rule,
                "ruleIndex": index,
                "level": sarif_level(f.severity),
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&f.file), "uriBaseId": "%SRCROOT%" },
                        "region": { "startLine": f.line.max(1), "startColumn": f.column.max(1) }
                    }
                }]
            });
            if let Some(o) = &f.object {
                let name = match &o.namespace {
                    Some(ns) => format!("{ns}/{}/{}", o.kind, o.name),
                    None => format!("{}/{}", o.kind, o.name),
                };
                let fq = match &f.container {
                    Some(c) => format!("{name}/{c}"),
                    None => name,
                };
                result["locations"][0]["logicalLocations"] =
                    json!([{ "fullyQualifiedName": fq, "kind": "object" }]);
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "chartgen",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/chartgen/chartgen",
                "rules": rules
            }},
            "originalUriBaseIds": { "%SRCROOT%": { "uri": "file:///" } },
            "columnKind": "unicodeCodePoints",
            "results": results
        }]
    })
}

/// A relative file path as a URI reference: `/` separators, percent-encoded where URIs need it.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.trim_start_matches("./");
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn pascal(name: &str) -> String {
    name.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// GitHub Actions workflow commands, one per finding.
fn github(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for f in &report.findings {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let message = match &f.secret {
            Some(s) => redact(&f.message, s),
            None => f.message.clone(),
        };
        writeln!(
            out,
            "::{level} file={},line={},col={},title={}::{}",
            escape_property(&f.file),
            f.line,
            f.column,
            escape_property(f.rule),
            escape_data(&message)
        )?;
    }
    Ok(())
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_workflow_commands() {
        assert_eq!(escape_data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
        assert_eq!(uri("./a b/c.yaml"), "a%20b/c.yaml");
        assert_eq!(pascal("plaintext-secret"), "PlaintextSecret");
    }
}

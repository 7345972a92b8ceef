//! The import report: what each source object became, what was left behind (with its file and line) and why,
//! and what the generated chart does differently. It never holds a secret value: only names, paths and reasons.

use serde::Serialize;
use std::io::{self, Write};

/// Something of the source that the spec does not carry, or carries differently.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Item {
    pub file: String,
    pub line: u32,
    /// `Deployment web`, or empty for the whole source.
    pub object: String,
    /// The field (`spec.template.spec.hostNetwork`) or object it is about.
    pub field: String,
    pub why: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Each source object and the part of the spec it became.
    pub carried: Vec<Carried>,
    /// What was not carried over.
    pub not_carried: Vec<Item>,
    /// Hardening and defaults the generated chart adds that can change behaviour: check these.
    pub changes: Vec<String>,
    /// Secret keys that must now be supplied at install time.
    pub secret_keys: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Carried {
    pub object: String,
    pub file: String,
    pub became: String,
}

impl Report {
    /// Exit code: 0 when everything was carried over as it was, 1 when the report lists anything to check.
    pub fn exit_code(&self) -> i32 {
        if self.not_carried.is_empty() && self.changes.is_empty() {
            0
        } else {
            1
        }
    }

    pub fn not_carried(&mut self, item: Item) {
        if !self.not_carried.contains(&item) {
            self.not_carried.push(item);
        }
    }

    pub fn change(&mut self, text: impl Into<String>) {
        let text = text.into();
        if !self.changes.contains(&text) {
            self.changes.push(text);
        }
    }

    pub fn write_human(&self, spec: &str, out: &mut dyn Write) -> io::Result<()> {
        let esc = crate::lint::output::escape_controls;
        writeln!(out, "wrote {}", esc(spec))?;
        writeln!(out, "\nCarried over:")?;
        for c in &self.carried {
            writeln!(
                out,
                "  {} ({}) -> {}",
                esc(&c.object),
                esc(&c.file),
                esc(&c.became)
            )?;
        }
        if !self.not_carried.is_empty() {
            writeln!(
                out,
                "\nNot carried over (edit the spec or the chart by hand):"
            )?;
            for i in &self.not_carried {
                let what = if i.object.is_empty() {
                    i.field.clone()
                } else if i.field.is_empty() {
                    i.object.clone()
                } else {
                    format!("{} {}", i.object, i.field)
                };
                // Items about the spec itself (a value it refuses) have no source file.
                if i.file.is_empty() {
                    writeln!(out, "  spec {}: {}", esc(&what), esc(&i.why))?;
                } else {
                    writeln!(
                        out,
                        "  {}:{}: {}: {}",
                        esc(&i.file),
                        i.line,
                        esc(&what),
                        esc(&i.why)
                    )?;
                }
            }
        }
        if !self.changes.is_empty() {
            writeln!(
                out,
                "\nThe generated chart will differ here; check each before installing:"
            )?;
            for c in &self.changes {
                writeln!(out, "  - {}", esc(c))?;
            }
        }
        if !self.secret_keys.is_empty() {
            writeln!(
                out,
                "\nSecret keys to supply at install time (no value was imported): {}",
                self.secret_keys.join(", ")
            )?;
            writeln!(
                out,
                "  after `chartgen render`, copy values-local.yaml.example to values-local.yaml and fill it in \
                 (never commit it), or create a Secret yourself and pass --set secrets.existingSecret=NAME"
            )?;
        }
        let n = self.not_carried.len() + self.changes.len();
        if n == 0 {
            writeln!(out, "\nEverything was carried over.")?;
        } else {
            writeln!(out, "\n{n} item(s) to review.")?;
        }
        Ok(())
    }

    pub fn write_json(&self, spec: &str, out: &mut dyn Write) -> io::Result<()> {
        let value = serde_json::json!({
            "spec": spec,
            "carried": self.carried,
            "notCarried": self.not_carried,
            "changes": self.changes,
            "secretKeys": self.secret_keys,
        });
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        )
    }
}

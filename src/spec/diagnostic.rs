//! Spec errors: every one names the file, the key path, the line and column where known, and the fix.

use crate::yaml::Pos;
use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecDiagnostic {
    /// Dotted key path, e.g. `components.backend.port` (empty for the whole document).
    pub path: String,
    pub pos: Option<Pos>,
    pub message: String,
    /// How to fix it, when there is more to say than the message.
    pub help: Option<String>,
    /// Reports a secret at `path`; other diagnostics there are dropped, since they might quote it.
    pub secret: bool,
}

impl SpecDiagnostic {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        SpecDiagnostic {
            path: path.into(),
            pos: None,
            message: message.into(),
            help: None,
            secret: false,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn secret(mut self) -> Self {
        self.secret = true;
        self
    }

    pub fn at(mut self, pos: Pos) -> Self {
        self.pos = Some(pos);
        self
    }
}

/// Every problem found in one spec file, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecErrors {
    pub file: PathBuf,
    pub diagnostics: Vec<SpecDiagnostic>,
    /// The spec's text, for source snippets (absent when the file could not be read as text).
    pub source: Option<String>,
}

impl SpecErrors {
    pub fn new(file: &Path, mut diagnostics: Vec<SpecDiagnostic>) -> Self {
        diagnostics.sort_by(|a, b| {
            (a.pos.unwrap_or_default(), &a.path, &a.message).cmp(&(
                b.pos.unwrap_or_default(),
                &b.path,
                &b.message,
            ))
        });
        diagnostics.dedup();
        SpecErrors {
            file: file.to_path_buf(),
            diagnostics,
            source: None,
        }
    }

    /// Shows the lines of `text` that the errors point at.
    pub fn with_source(mut self, text: &str) -> Self {
        self.source = Some(text.to_string());
        self
    }
}

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display();
        // Lines that hold a secret are never shown, not even masked: the value may be spread over the line in a
        // way masking does not catch (quoted, escaped, inside a flow mapping).
        let secret_lines: Vec<u32> = self
            .diagnostics
            .iter()
            .filter(|d| d.secret)
            .filter_map(|d| d.pos.map(|p| p.line))
            .collect();
        for d in &self.diagnostics {
            match d.pos {
                Some(p) => write!(f, "error: {file}:{}:{}", p.line, p.column)?,
                None => write!(f, "error: {file}")?,
            }
            if d.path.is_empty() {
                writeln!(f, ": {}", d.message)?;
            } else {
                writeln!(f, ": {}: {}", d.path, d.message)?;
            }
            if let (Some(text), Some(p)) = (&self.source, d.pos)
                && !secret_lines.contains(&p.line)
                && let Some(snippet) = crate::lint::output::plain_snippet(text, p.line, p.column)
            {
                writeln!(f, "{snippet}")?;
            }
            if let Some(help) = &d.help {
                writeln!(f, "  help: {help}")?;
            }
        }
        let n = self.diagnostics.len();
        write!(
            f,
            "{n} error{} in {file}; nothing was written",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for SpecErrors {}

/// The closest candidate to a misspelt word, if it is close enough to be a plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            did_you_mean("replica", ["replicas", "resources", "port"]),
            Some("replicas")
        );
        assert_eq!(did_you_mean("imagee", ["image", "port"]), Some("image"));
        assert_eq!(did_you_mean("zzz", ["image", "port"]), None);
    }
}

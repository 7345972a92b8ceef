//! One diagnostic type for everything chartgen reports about an input: spec errors, lint-config errors,
//! values-file errors and lint findings (a [`crate::lint::finding::Finding`] adds a rule, a severity, an object
//! and a container to it). Every output (human snippets, JSON, SARIF regions, GitHub annotations) is written
//! from these fields.

use crate::lint::output;
use crate::yaml::{Key, Node, Pos};
use std::fmt;
use std::path::{Path, PathBuf};

/// One problem at one place in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Dotted key path, e.g. `components.backend.port` (empty for the whole document).
    pub path: String,
    /// The first character the problem is about, when known.
    pub start: Option<Pos>,
    /// Just after its last character (exclusive), when known; otherwise outputs end the region with the token
    /// at `start`.
    pub end: Option<Pos>,
    pub message: String,
    /// How to fix it, when there is more to say than the message.
    pub help: Option<String>,
    /// The literal secret this reports, so that every output masks it (and a spec error never shows its line);
    /// never printed.
    pub secret: Option<String>,
    /// Other places the problem involves (the first of two duplicates), in the same file.
    pub related: Vec<Related>,
}

/// A second place a diagnostic involves, with what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub start: Pos,
    pub message: String,
}

impl Diagnostic {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            start: None,
            end: None,
            message: message.into(),
            help: None,
            secret: None,
            related: Vec::new(),
        }
    }

    /// Adds another place the problem involves.
    pub fn related(mut self, start: Pos, message: impl Into<String>) -> Self {
        self.related.push(Related {
            start,
            message: message.into(),
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Marks the diagnostic as reporting this secret value.
    pub fn secret(mut self, value: impl Into<String>) -> Self {
        self.secret = Some(value.into());
        self
    }

    /// Points at one position (the region ends with the token there).
    pub fn at(mut self, pos: Pos) -> Self {
        self.start = Some(pos);
        self.end = None;
        self
    }

    /// Points at a whole value: a scalar, or a mapping or sequence to its last entry.
    pub fn at_node(mut self, node: &Node) -> Self {
        self.start = Some(node.pos);
        self.end = Some(node.end);
        self
    }

    /// Points at a mapping key itself (an unknown field, an invalid name).
    pub fn at_key(mut self, key: &Key) -> Self {
        self.start = Some(key.pos);
        self.end = Some(key.end);
        self
    }

    /// The region's start, 1-based (1:1 when unknown).
    pub fn start(&self) -> Pos {
        let start = self.start.unwrap_or_default();
        Pos {
            line: start.line.max(1),
            column: start.column.max(1),
        }
    }
}

impl From<&crate::yaml::YamlError> for Diagnostic {
    /// A file that is not YAML: the parser's message, at its position.
    fn from(e: &crate::yaml::YamlError) -> Self {
        let d = Diagnostic::new("", e.message.clone());
        match e.pos {
            Some(pos) => d.at(pos),
            None => d,
        }
    }
}

/// Every problem found in one input file, in document order: the error `render`, `lint` (its config) and
/// `import` return for a file they cannot use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileErrors {
    pub file: PathBuf,
    pub diagnostics: Vec<Diagnostic>,
    /// The file's text, for source snippets (absent when the file could not be read as text).
    pub source: Option<String>,
}

impl FileErrors {
    pub fn new(file: &Path, mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort_by(|a, b| {
            (a.start.unwrap_or_default(), &a.path, &a.message).cmp(&(
                b.start.unwrap_or_default(),
                &b.path,
                &b.message,
            ))
        });
        diagnostics.dedup();
        FileErrors {
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

impl fmt::Display for FileErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = output::escape_line(&self.file.display().to_string());
        // Lines that hold a secret are never shown, not even masked: the value may be spread over the line in a
        // way masking does not catch (quoted, escaped, inside a flow mapping).
        let secret_lines: Vec<u32> = self
            .diagnostics
            .iter()
            .filter(|d| d.secret.is_some())
            .filter_map(|d| d.start.map(|p| p.line))
            .collect();
        let secrets: Vec<&str> = self
            .diagnostics
            .iter()
            .filter_map(|d| d.secret.as_deref())
            .collect();
        let plain = output::Paint { on: false };
        let mut out = Vec::new();
        for d in &self.diagnostics {
            let message = if d.path.is_empty() {
                d.message.clone()
            } else {
                format!("{}: {}", d.path, d.message)
            };
            let message = output::scrub(&message, &secrets);
            let header = match d.start {
                Some(p) => format!("error: {file}:{}:{}: {message}", p.line, p.column),
                None => format!("error: {file}: {message}"),
            };
            let line = self
                .source
                .as_deref()
                .zip(d.start)
                .filter(|(_, p)| !secret_lines.contains(&p.line))
                .and_then(|(text, p)| output::line_of(text, p.line));
            output::write_diagnostic(&mut out, &plain, &header, line, d, &secrets, "", None)
                .map_err(|_| fmt::Error)?;
        }
        f.write_str(&String::from_utf8_lossy(&out))?;
        let n = self.diagnostics.len();
        write!(
            f,
            "{n} error{} in {file}; nothing was written",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for FileErrors {}

/// The closest candidate to a misspelt word, if it is close enough to be a plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            let candidate = c.to_ascii_lowercase();
            // Jaro-Winkler misses a swap of two letters in a short name (`wbe` for `web`); one edit of a name
            // of three letters or more is a typo too.
            let one_edit = lower.len() >= 3 && strsim::osa_distance(&lower, &candidate) == 1;
            let score = strsim::jaro_winkler(&lower, &candidate);
            (if one_edit { score.max(0.81) } else { score }, c)
        })
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
        assert_eq!(did_you_mean("wbe", ["db", "web"]), Some("web"));
        assert_eq!(did_you_mean("ab", ["ba", "web"]), None);
    }
}

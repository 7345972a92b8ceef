//! What a rule reports.

use crate::diagnostic::Diagnostic;
use crate::yaml::Pos;
use serde::Serialize;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    schemars::JsonSchema,
    serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The Kubernetes object a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ObjectRef {
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
}

/// One finding: a [`Diagnostic`] (where, what, how to fix it, the secret to mask) that a rule reported, with
/// the rule, its severity, and the object and container it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub file: String,
    pub object: Option<ObjectRef>,
    pub container: Option<String>,
    pub diagnostic: Diagnostic,
    /// The key path with each named list item by its name (`containers.[app].env.[TOKEN].value`): one problem
    /// has one place in every render of a chart, though a condition moves the item (a sidecar turned on).
    pub place: String,
    /// The values of the chart render it showed in, when not the chart's defaults (`ci/tls-values.yaml`): a
    /// problem only those values bring.
    pub render: Option<String>,
}

impl Finding {
    /// The 1-based line the finding points at.
    pub fn line(&self) -> u32 {
        self.diagnostic.start().line
    }

    /// The 1-based column the finding points at.
    pub fn column(&self) -> u32 {
        self.diagnostic.start().column
    }

    pub fn message(&self) -> &str {
        &self.diagnostic.message
    }

    /// The literal secret this finding is about, so that every output can mask it.
    pub fn secret(&self) -> Option<&str> {
        self.diagnostic.secret.as_deref()
    }

    /// Moves the finding to another position in its file (the region then ends with the token there).
    pub fn move_to(&mut self, line: u32, column: u32) {
        self.diagnostic.start = Some(Pos { line, column });
        self.diagnostic.end = None;
    }

    /// Sort key: file, then position, then rule, so output is stable whatever order rules and threads ran in.
    pub fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
        (
            &self.file,
            self.line(),
            self.column(),
            self.rule,
            &self.diagnostic.message,
        )
    }
}

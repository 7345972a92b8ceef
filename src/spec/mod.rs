//! Chart specs: the typed model, its JSON Schema, and validation into checked types.

pub mod checked;

pub mod model;
pub mod validate;

pub use crate::diagnostic::{Diagnostic, FileErrors};
use crate::yaml;
pub use checked::CheckedSpec;
use std::path::Path;

/// The `apiVersion` prefix that marks a document as a chartgen spec.
pub const API_GROUP: &str = "chartgen.dev/";

/// The committed schema file's content: pretty JSON with a trailing newline, byte-stable.
pub fn schema_json() -> String {
    let mut text = serde_json::to_string_pretty(validate::spec_schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// Reads and validates a spec file.
pub fn load(path: &Path) -> Result<CheckedSpec, FileErrors> {
    let bytes = std::fs::read(path).map_err(|e| {
        FileErrors::new(
            path,
            vec![
                Diagnostic::new("", format!("cannot read the spec: {e}"))
                    .help("check the path; the default is chart-spec/todo-app.yaml"),
            ],
        )
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        FileErrors::new(
            path,
            vec![
                Diagnostic::new(
                    "",
                    format!(
                        "the file is not UTF-8 text (invalid byte at offset {})",
                        e.utf8_error().valid_up_to()
                    ),
                )
                .help("a spec is a YAML text file"),
            ],
        )
    })?;
    parse(path, &text)
}

/// Validates spec text; `path` is only used in messages.
pub fn parse(path: &Path, text: &str) -> Result<CheckedSpec, FileErrors> {
    let doc = yaml::parse_document(text)
        .map_err(|e| FileErrors::new(path, vec![Diagnostic::from(&e)]).with_source(text))?;
    if !doc.is_map() {
        let d = Diagnostic::new(
            "",
            "a spec is a YAML mapping (apiVersion, kind, metadata, components, …)",
        )
        .at(doc.pos)
        .help("start from chart-spec/todo-app.yaml");
        return Err(FileErrors::new(path, vec![d]).with_source(text));
    }
    validate::validate(&doc).map_err(|diags| FileErrors::new(path, diags).with_source(text))
}

use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Runs the same validation as `chartgen render` on every chartgen spec (`apiVersion: chartgen.dev/…`) and reports
/// each error at its line and column: unknown keys (with "did you mean"), wrong types, invalid names, ports,
/// quantities, requests above limits, broken references, and secret values in the spec.
///
/// ## Why is this bad?
/// The spec cannot be rendered, so the chart in `generated/` no longer matches it and CI's `render --check` fails
/// later, with less context.
///
/// ## Example
/// ```yaml
/// components:
///   api:
///     replica: 2          # unknown key
///     resources:
///       requests: { cpu: "2" }
///       limits: { cpu: 500m }
/// ```
///
/// Use instead:
/// ```yaml
/// components:
///   api:
///     replicas: 2
///     resources:
///       requests: { cpu: 250m }
///       limits: { cpu: 500m }
/// ```
    pub struct InvalidChartSpec {
        name: "invalid-chart-spec",
        severity: Error,
        profile: None,
        summary: "a chartgen spec that `chartgen render` would reject",
    }
}

impl Rule for InvalidChartSpec {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        for &index in &unit.specs {
            let Some(source) = unit.sources.get(index) else {
                continue;
            };
            let Err(errors) = crate::spec::parse(std::path::Path::new(&source.path), &source.text)
            else {
                continue;
            };
            // A secret's value, so that every output masks it wherever the snippet shows it (a flow mapping,
            // quoted keys): the spec's validation found it, the output need not find it again.
            let doc = errors
                .diagnostics
                .iter()
                .any(|d| d.secret)
                .then(|| crate::yaml::parse_document(&source.text).ok())
                .flatten();
            for d in errors.diagnostics {
                let pos = d.pos.unwrap_or_default();
                let secret = doc.as_ref().filter(|_| d.secret).and_then(|doc| {
                    doc.at(doc.dotted_segments(&d.path))
                        .and_then(crate::yaml::Node::scalar_text)
                });
                let mut message = if d.path.is_empty() {
                    d.message.clone()
                } else {
                    format!("{}: {}", d.path, d.message)
                };
                if let Some(help) = &d.help {
                    message.push_str(&format!(" ({help})"));
                }
                let mut finding = unit.make(
                    &Self::META,
                    index,
                    pos.line.max(1),
                    pos.column.max(1),
                    None,
                    None,
                    message,
                );
                finding.secret = secret;
                out.push(finding);
            }
        }
    }
}

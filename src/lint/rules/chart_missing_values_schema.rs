use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Flags a Helm chart folder that has no `values.schema.json`.
///
/// ## Why is this bad?
/// Without a schema Helm accepts any value: `--set backend.replicas=3` when the key is `replicaCount`, or
/// `service.type=LoadBalncer`, installs "successfully" and does something else. A schema makes `helm install`,
/// `helm lint` and `helm template` reject typos and wrong types before anything reaches the cluster.
///
/// ## Example
/// ```text
/// mychart/
///   Chart.yaml
///   values.yaml
///   templates/
/// ```
///
/// Use instead:
/// ```text
/// mychart/
///   Chart.yaml
///   values.yaml
///   values.schema.json   # types, enums, additionalProperties: false
///   templates/
/// ```
    pub struct ChartMissingValuesSchema {
        name: "chart-missing-values-schema",
        severity: Warning,
        profile: None,
        summary: "a Helm chart without values.schema.json",
    }
}

impl Rule for ChartMissingValuesSchema {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        for chart in unit.charts.iter().filter(|c| !c.has_values_schema) {
            let message =
                "the chart has no values.schema.json, so Helm accepts any value".to_string();
            out.push(unit.make(&Self::META, chart.chart_yaml, 1, 1, None, None, message));
        }
    }
}

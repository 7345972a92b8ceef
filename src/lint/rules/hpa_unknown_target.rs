use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Checks that a HorizontalPodAutoscaler's `scaleTargetRef` (kind and name) names a workload in the same input. It
/// stays quiet when the input has no workloads at all.
///
/// ## Why is this bad?
/// The HPA reports `FailedGetScale` forever and nothing scales: the load test passes on one replica and production
/// falls over on the first peak.
///
/// ## Example
/// ```yaml
/// kind: HorizontalPodAutoscaler
/// spec:
///   scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: todo-api }   # it is called todo-backend
/// ```
///
/// Use instead:
/// ```yaml
/// kind: HorizontalPodAutoscaler
/// spec:
///   scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: todo-backend }
/// ```
    pub struct HpaUnknownTarget {
        name: "hpa-unknown-target",
        severity: Error,
        profile: None,
        summary: "an HPA scaling a workload that does not exist",
    }
}

impl Rule for HpaUnknownTarget {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        if unit.workloads().next().is_none() {
            return;
        }
        for hpa in unit
            .objects
            .iter()
            .filter(|o| o.kind == "HorizontalPodAutoscaler")
        {
            let Some(target) = hpa.doc.path("spec.scaleTargetRef") else {
                continue;
            };
            let kind = target
                .get("kind")
                .and_then(|k| k.as_str())
                .unwrap_or_default();
            let Some(name) = target.get("name").and_then(|n| n.scalar_text()) else {
                continue;
            };
            let exists = unit
                .objects
                .iter()
                .any(|o| o.kind == kind && o.name == name && super::common::same_namespace(o, hpa));
            if !exists {
                let message = format!(
                    "HPA `{}` scales {kind} `{name}`, which is not defined here",
                    hpa.name
                );
                let path = [
                    crate::lint::source::key("spec"),
                    crate::lint::source::key("scaleTargetRef"),
                    crate::lint::source::key("name"),
                ];
                out.push(unit.finding(&Self::META, hpa, None, &path, target.get("name"), message));
            }
        }
    }
}

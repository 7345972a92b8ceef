use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Flags a workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job with a manual
/// selector, Argo Rollout, ...) whose `spec.selector` does not match the labels of its own pod template
/// (`matchLabels` and `matchExpressions`, or a plain label map for ReplicationControllers).
///
/// ## Why is this bad?
/// The API server rejects the object ("selector does not match template labels"), so the install fails; for
/// kinds without that validation the controller never finds its pods and creates new ones without end.
///
/// ## Example
/// ```yaml
/// kind: Deployment
/// spec:
///   selector: { matchLabels: { app: api } }
///   template:
///     metadata:
///       labels: { app.kubernetes.io/name: api }
/// ```
///
/// Use instead:
/// ```yaml
/// kind: Deployment
/// spec:
///   selector: { matchLabels: { app.kubernetes.io/name: api } }
///   template:
///     metadata:
///       labels: { app.kubernetes.io/name: api }
/// ```
    pub struct SelectorMismatch {
        name: "selector-mismatch",
        severity: Error,
        profile: None,
        summary: "a workload whose selector does not match its pod template",
    }
}

impl Rule for SelectorMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        for w in unit.workloads().filter(|w| w.kind != "Pod") {
            let Some(selector) = w.doc.path("spec.selector") else {
                continue;
            };
            if !selector.is_map() || super::common::selector_matches(selector, w) {
                continue;
            }
            let message = format!(
                "the selector of {} `{}` does not match the labels of its pod template",
                w.kind, w.name
            );
            let path = super::common::path_of(&["spec", "selector"]);
            out.push(unit.finding(&Self::META, w, None, &path, Some(selector), message));
        }
    }
}

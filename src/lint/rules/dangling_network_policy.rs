use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Flags a NetworkPolicy whose `podSelector` matches the pods of no workload in its namespace in the same input
/// (one chart render, or all manifests of a run). `podSelector: {}` selects every pod and is never dangling. It
/// stays quiet when the input has no workloads at all, and counts labels that controllers add to their pods
/// (`statefulset.kubernetes.io/pod-name`, `pod-template-hash`, `batch.kubernetes.io/job-name`) as present.
///
/// ## Why is this bad?
/// A policy that selects nothing protects nothing: the pods it was written for stay open to the whole cluster
/// while the policy looks applied. The usual cause is a label renamed on one side only, or a policy copied from
/// another chart.
///
/// ## Example
/// ```yaml
/// kind: NetworkPolicy
/// spec:
///   podSelector: { matchLabels: { app: backend } }
/// ---
/// kind: Deployment
/// spec:
///   template:
///     metadata:
///       labels: { app: api }
/// ```
///
/// Use instead:
/// ```yaml
/// kind: NetworkPolicy
/// spec:
///   podSelector: { matchLabels: { app: api } }
/// ```
    pub struct DanglingNetworkPolicy {
        name: "dangling-network-policy",
        severity: Warning,
        profile: None,
        summary: "a NetworkPolicy whose podSelector matches no pod",
    }
}

impl Rule for DanglingNetworkPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        if unit.workloads().next().is_none() {
            return;
        }
        for policy in unit.objects.iter().filter(|o| o.kind == "NetworkPolicy") {
            let Some(selector) = policy.doc.path("spec.podSelector") else {
                continue;
            };
            if super::common::selected_workloads(unit, policy, selector)
                .next()
                .is_none()
            {
                let message = format!(
                    "NetworkPolicy `{}` selects no pod here: its podSelector matches no pod template in its namespace",
                    policy.name
                );
                let path = super::common::path_of(&["spec", "podSelector"]);
                out.push(unit.finding(&Self::META, policy, None, &path, Some(selector), message));
            }
        }
    }
}

use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Flags a workload whose pods no NetworkPolicy in the same input (one chart render, or all manifests of a run)
/// selects, in the same namespace. A policy with `podSelector: {}` (a default deny) covers every pod of its
/// namespace; `matchExpressions` are understood.
///
/// It is reported at `info`: many clusters (a default kind or minikube network, or a platform that ships its own
/// policies) do not enforce or do not need per-chart policies. Turn it up where policies are expected, in
/// `.chartgen.yaml`: `rules: { missing-network-policy: { level: error } }`.
///
/// ## Why is this bad?
/// A pod that no NetworkPolicy selects accepts traffic from every pod in the cluster and can reach every other:
/// one compromised pod anywhere can talk to the database. Kubernetes isolates a pod only once a policy selects it.
///
/// ## Example
/// ```yaml
/// kind: Deployment
/// metadata: { name: api }
/// spec:
///   template:
///     metadata:
///       labels: { app: api }
/// # ... and no NetworkPolicy
/// ```
///
/// Use instead:
/// ```yaml
/// kind: NetworkPolicy
/// metadata: { name: default-deny }
/// spec:
///   podSelector: {}
///   policyTypes: [Ingress, Egress]
/// ---
/// kind: NetworkPolicy
/// metadata: { name: api-ingress }
/// spec:
///   podSelector: { matchLabels: { app: api } }
///   ingress:
///     - from: [{ podSelector: { matchLabels: { app: web } } }]
/// ```
    pub struct MissingNetworkPolicy {
        name: "missing-network-policy",
        severity: Info,
        profile: None,
        summary: "a pod that no NetworkPolicy selects",
    }
}

impl Rule for MissingNetworkPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        use super::common::{same_namespace, selector_matches};
        let policies: Vec<_> = unit
            .objects
            .iter()
            .filter(|o| o.kind == "NetworkPolicy")
            .filter_map(|p| Some((p, p.doc.path("spec.podSelector")?)))
            .collect();
        for w in unit.workloads() {
            let covered = policies
                .iter()
                .any(|(p, selector)| same_namespace(p, w) && selector_matches(selector, w));
            if !covered {
                let message = format!(
                    "no NetworkPolicy selects the pods of {} `{}`: they accept traffic from anywhere",
                    w.kind, w.name
                );
                let path = super::common::path_of(&["metadata", "name"]);
                out.push(unit.finding(
                    &Self::META,
                    w,
                    None,
                    &path,
                    w.doc.path("metadata.name"),
                    message,
                ));
            }
        }
    }
}

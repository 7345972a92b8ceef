use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Flags a replicated workload (Deployment, StatefulSet, ReplicaSet, Argo Rollout, ...) that runs more than one
/// replica, or that a HorizontalPodAutoscaler scales, when no PodDisruptionBudget in the same input selects its
/// pods. Single-replica workloads are left alone: a budget cannot keep one pod available through a drain.
///
/// ## Why is this bad?
/// Without a budget, a node drain, a cluster upgrade or the autoscaler removing nodes may evict every replica at
/// once: the service you scaled out for availability goes down anyway.
///
/// ## Example
/// ```yaml
/// kind: Deployment
/// metadata: { name: api }
/// spec:
///   replicas: 3
///   template:
///     metadata:
///       labels: { app: api }
/// ```
///
/// Use instead:
/// ```yaml
/// kind: PodDisruptionBudget
/// apiVersion: policy/v1
/// metadata: { name: api }
/// spec:
///   maxUnavailable: 1
///   selector: { matchLabels: { app: api } }
/// ```
    pub struct MissingPodDisruptionBudget {
        name: "missing-pod-disruption-budget",
        severity: Warning,
        profile: None,
        summary: "a workload with several replicas or an HPA and no PodDisruptionBudget",
    }
}

impl Rule for MissingPodDisruptionBudget {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        use super::common::{hpas_of, is_replicated, pdbs_of, replicas};
        for w in unit.workloads().filter(|w| is_replicated(w)) {
            let count = replicas(w);
            let scaled = hpas_of(unit, w).next().is_some();
            if (count > 1 || scaled) && pdbs_of(unit, w).next().is_none() {
                let why = if scaled {
                    "is scaled by an HPA".to_string()
                } else {
                    format!("runs {count} replicas")
                };
                let message = format!(
                    "{} `{}` {why} but no PodDisruptionBudget selects its pods",
                    w.kind, w.name
                );
                let (path, node) = match w.doc.path("spec.replicas") {
                    Some(n) => (super::common::path_of(&["spec", "replicas"]), Some(n)),
                    None => (
                        super::common::path_of(&["metadata", "name"]),
                        w.doc.path("metadata.name"),
                    ),
                };
                out.push(unit.finding(&Self::META, w, None, &path, node, message));
            }
        }
    }
}

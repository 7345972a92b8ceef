use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Flags a PodDisruptionBudget that never allows a voluntary eviction: `maxUnavailable: 0` (or `0%`),
/// `minAvailable: 100%`, or a `minAvailable` that reaches the `replicas` of a workload it selects. Workloads an
/// HPA scales are judged against the HPA's `minReplicas` by `pdb-exceeds-hpa-min` instead.
///
/// ## Why is this bad?
/// `kubectl drain`, node upgrades and the cluster autoscaler wait on the budget forever: node maintenance hangs,
/// and managed clusters force the eviction after a timeout anyway, so the budget buys no availability.
///
/// ## Example
/// ```yaml
/// kind: Deployment
/// spec:
///   replicas: 2
/// ---
/// kind: PodDisruptionBudget
/// spec:
///   minAvailable: 2
///   selector: { matchLabels: { app: api } }
/// ```
///
/// Use instead:
/// ```yaml
/// kind: PodDisruptionBudget
/// spec:
///   maxUnavailable: 1
///   selector: { matchLabels: { app: api } }
/// ```
    pub struct PdbBlocksEviction {
        name: "pdb-blocks-eviction",
        severity: Warning,
        profile: None,
        summary: "a PodDisruptionBudget that allows no eviction",
    }
}

impl Rule for PdbBlocksEviction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        use super::common::{hpas_of, path_of, pod_count, replicas, selected_workloads};
        for pdb in unit
            .objects
            .iter()
            .filter(|o| o.kind == "PodDisruptionBudget")
        {
            if let Some(max) = pdb.doc.path("spec.maxUnavailable") {
                if pod_count(max, 1) == Some(0) {
                    let message = format!(
                        "PodDisruptionBudget `{}` sets maxUnavailable to 0: no pod can ever be evicted",
                        pdb.name
                    );
                    let path = path_of(&["spec", "maxUnavailable"]);
                    out.push(unit.finding(&Self::META, pdb, None, &path, Some(max), message));
                }
                continue;
            }
            let Some(min) = pdb.doc.path("spec.minAvailable") else {
                continue;
            };
            let path = path_of(&["spec", "minAvailable"]);
            if min.scalar_text().is_some_and(|t| t.trim() == "100%") {
                let message = format!(
                    "PodDisruptionBudget `{}` sets minAvailable to 100%: no pod can ever be evicted",
                    pdb.name
                );
                out.push(unit.finding(&Self::META, pdb, None, &path, Some(min), message));
                continue;
            }
            let Some(selector) = pdb.doc.path("spec.selector") else {
                continue;
            };
            for w in
                selected_workloads(unit, pdb, selector).filter(|w| super::common::is_replicated(w))
            {
                if hpas_of(unit, w).next().is_some() {
                    continue;
                }
                let count = replicas(w);
                if pod_count(min, count).is_some_and(|m| m >= count) {
                    let message = format!(
                        "PodDisruptionBudget `{}` keeps {} of the {count} replicas of {} `{}` available: no pod can be evicted",
                        pdb.name,
                        min.scalar_text().unwrap_or_default(),
                        w.kind,
                        w.name
                    );
                    out.push(unit.finding(&Self::META, pdb, None, &path, Some(min), message));
                }
            }
        }
    }
}

use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Flags a PodDisruptionBudget whose `minAvailable` reaches or exceeds the `minReplicas` of a
/// HorizontalPodAutoscaler that scales a workload the budget selects (`minAvailable` as a count or a percentage
/// of `minReplicas`, rounded up).
///
/// ## Why is this bad?
/// Whenever traffic is low the HPA scales down to `minReplicas`, and then the budget allows no eviction at all:
/// node drains and cluster upgrades hang exactly in the quiet hours when they are scheduled.
///
/// ## Example
/// ```yaml
/// kind: HorizontalPodAutoscaler
/// spec:
///   scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: api }
///   minReplicas: 2
///   maxReplicas: 10
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
    pub struct PdbExceedsHpaMin {
        name: "pdb-exceeds-hpa-min",
        severity: Warning,
        profile: None,
        summary: "a PodDisruptionBudget's minAvailable reaching the HPA's minReplicas",
    }
}

impl Rule for PdbExceedsHpaMin {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        use super::common::{hpa_min, hpas_of, path_of, pod_count, selected_workloads};
        for pdb in unit
            .objects
            .iter()
            .filter(|o| o.kind == "PodDisruptionBudget")
        {
            let (Some(min), Some(selector)) = (
                pdb.doc.path("spec.minAvailable"),
                pdb.doc.path("spec.selector"),
            ) else {
                continue;
            };
            for w in selected_workloads(unit, pdb, selector) {
                for hpa in hpas_of(unit, w) {
                    let floor = hpa_min(hpa);
                    if pod_count(min, floor).is_some_and(|m| m >= floor) {
                        let message = format!(
                            "PodDisruptionBudget `{}` keeps {} pods available, but HPA `{}` scales {} `{}` down to {floor}: then no pod can be evicted",
                            pdb.name,
                            min.scalar_text().unwrap_or_default(),
                            hpa.name,
                            w.kind,
                            w.name
                        );
                        let path = path_of(&["spec", "minAvailable"]);
                        out.push(unit.finding(&Self::META, pdb, None, &path, Some(min), message));
                    }
                }
            }
        }
    }
}

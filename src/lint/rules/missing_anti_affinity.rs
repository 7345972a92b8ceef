use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;
use crate::yaml::Node;

declare_rule! {
/// ## What it does
/// Flags a replicated workload that runs more than one replica (or that an HPA may scale past one) whose pod
/// template has neither a `podAntiAffinity` term nor a `topologySpreadConstraints` entry.
///
/// It is reported at `info`: on a one-node local cluster there is nowhere to spread to. Turn it up for
/// multi-node clusters in `.chartgen.yaml`: `rules: { missing-anti-affinity: { level: warning } }`.
///
/// ## Why is this bad?
/// The scheduler is free to put every replica on the same node (it often does, right after a rollout): one
/// node failure or drain then takes down every replica, and the extra replicas bought no availability.
///
/// ## Example
/// ```yaml
/// kind: Deployment
/// spec:
///   replicas: 3
///   template:
///     spec:
///       containers: [{ name: api, image: ghcr.io/acme/api:1.4.2 }]
/// ```
///
/// Use instead:
/// ```yaml
/// kind: Deployment
/// spec:
///   replicas: 3
///   template:
///     spec:
///       topologySpreadConstraints:
///         - maxSkew: 1
///           topologyKey: kubernetes.io/hostname
///           whenUnsatisfiable: ScheduleAnyway
///           labelSelector: { matchLabels: { app: api } }
///       containers: [{ name: api, image: ghcr.io/acme/api:1.4.2 }]
/// ```
    pub struct MissingAntiAffinity {
        name: "missing-anti-affinity",
        severity: Info,
        profile: None,
        summary: "several replicas with no pod anti-affinity or topology spread",
    }
}

impl Rule for MissingAntiAffinity {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        let non_empty = |n: Option<&Node>| n.is_some_and(|n| !n.as_seq().is_empty());
        super::common::each_pod(unit, |w, pod, pod_path| {
            if !super::common::runs_several(unit, w) {
                return;
            }
            let anti = pod.path("affinity.podAntiAffinity");
            let spread = non_empty(pod.get("topologySpreadConstraints"))
                || non_empty(
                    anti.and_then(|a| a.get("requiredDuringSchedulingIgnoredDuringExecution")),
                )
                || non_empty(
                    anti.and_then(|a| a.get("preferredDuringSchedulingIgnoredDuringExecution")),
                );
            if !spread {
                let message = format!(
                    "{} `{}` runs several replicas but sets no pod anti-affinity or topologySpreadConstraints: they may all land on one node",
                    w.kind, w.name
                );
                let path = super::common::child(pod_path, &["topologySpreadConstraints"]);
                out.push(unit.finding(&Self::META, w, None, &path, None, message));
            }
        });
    }
}

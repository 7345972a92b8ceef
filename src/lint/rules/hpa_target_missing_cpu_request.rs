use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::{ContainerKind, Object, Unit};
use crate::yaml::Node;

declare_rule! {
/// ## What it does
/// Flags containers without a CPU request (`resources.requests.cpu`, or `limits.cpu`, which Kubernetes copies into
/// the request) in a workload that a HorizontalPodAutoscaler in the same input scales on CPU utilization: a
/// `Resource` metric for `cpu` with a `Utilization` target, `targetCPUUtilizationPercentage` (autoscaling/v1), or
/// no metrics at all (the default is 80% CPU). A `ContainerResource` metric checks only its container. Regular and
/// sidecar (`restartPolicy: Always`) init containers count, as they do for the HPA.
///
/// ## Why is this bad?
/// Utilization is usage divided by the request. Without a request the HPA cannot compute it: it reports
/// `FailedGetResourceMetric: missing request for cpu` and never scales, so the first traffic peak meets one replica.
///
/// ## Example
/// ```yaml
/// kind: HorizontalPodAutoscaler
/// spec:
///   scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: api }
///   metrics:
///     - type: Resource
///       resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } }
/// # ... and the Deployment's container has no resources.requests.cpu
/// ```
///
/// Use instead:
/// ```yaml
/// containers:
///   - name: api
///     resources:
///       requests: { cpu: 250m, memory: 256Mi }
/// ```
    pub struct HpaTargetMissingCpuRequest {
        name: "hpa-target-missing-cpu-request",
        severity: Error,
        profile: None,
        summary: "an HPA scaling on CPU utilization of containers without a CPU request",
    }
}

/// How an HPA scales on CPU utilization: `None` when it does not; `Some(None)` for every container,
/// `Some(Some(name))` for one container.
fn cpu_utilization(hpa: &Object) -> Option<Option<String>> {
    if hpa
        .doc
        .path("spec.targetCPUUtilizationPercentage")
        .is_some()
    {
        return Some(None);
    }
    let metrics = hpa
        .doc
        .path("spec.metrics")
        .map(Node::as_seq)
        .unwrap_or_default();
    if metrics.is_empty() {
        return Some(None);
    }
    let utilization = |m: &Node| {
        m.get("name").and_then(Node::as_str) == Some("cpu")
            && (m.path("target.type").and_then(Node::as_str) == Some("Utilization")
                || m.get("targetAverageUtilization").is_some())
    };
    let mut all = false;
    let mut one = None;
    for m in metrics {
        match m.get("type").and_then(Node::as_str) {
            Some("Resource") if m.get("resource").is_some_and(utilization) => all = true,
            Some("ContainerResource") => {
                if let Some(r) = m.get("containerResource").filter(|r| utilization(r)) {
                    one = r.get("container").and_then(Node::scalar_text);
                }
            }
            _ => {}
        }
    }
    if all { Some(None) } else { one.map(Some) }
}

impl Rule for HpaTargetMissingCpuRequest {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        for w in unit.workloads() {
            for hpa in super::common::hpas_of(unit, w) {
                let Some(only) = cpu_utilization(hpa) else {
                    continue;
                };
                for c in w.containers() {
                    let sidecar = c.kind == ContainerKind::Init
                        && c.node.get("restartPolicy").and_then(Node::as_str) == Some("Always");
                    if !(c.kind == ContainerKind::Regular || sidecar)
                        || only.as_ref().is_some_and(|o| *o != c.name)
                    {
                        continue;
                    }
                    let resources = c.node.get("resources");
                    let set = |kind: &str| {
                        resources
                            .and_then(|r| r.get(kind))
                            .and_then(|k| k.get("cpu"))
                            .and_then(Node::scalar_text)
                            .is_some_and(|t| !t.trim().is_empty())
                    };
                    if set("requests") || set("limits") {
                        continue;
                    }
                    let message = format!(
                        "HPA `{}` scales {} `{}` on CPU utilization, but container `{}` has no CPU request",
                        hpa.name, w.kind, w.name, c.name
                    );
                    let path = c.field(&["resources", "requests", "cpu"]);
                    super::common::report(unit, &Self::META, w, &c, &path, None, message, out);
                }
            }
        }
    }
}

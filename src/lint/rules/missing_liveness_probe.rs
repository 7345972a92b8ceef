use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Checks that every container of a long-running workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, and
/// Pods that restart) has a `livenessProbe`. Jobs, CronJobs, init containers, bare pods that run to completion and Helm
/// hooks (test pods included) are exempt: they are meant to finish.
///
/// ## Why is this bad?
/// Without a liveness probe a deadlocked or wedged process keeps its pod Running forever; Kubernetes
/// only restarts containers that exit or fail their liveness probe.
///
/// ## Example
/// ```yaml
/// containers:
///   - name: api
///     image: api:1.0.0
///     ports: [{ name: http, containerPort: 8000 }]
/// ```
///
/// Use instead:
/// ```yaml
/// containers:
///   - name: api
///     image: api:1.0.0
///     ports: [{ name: http, containerPort: 8000 }]
///     livenessProbe:
///       httpGet: { path: /health, port: http }
/// ```
    pub struct MissingLivenessProbe {
        name: "missing-liveness-probe",
        severity: Warning,
        profile: None,
        summary: "a long-running container without a liveness probe",
    }
}

impl Rule for MissingLivenessProbe {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        super::common::missing_probe(unit, &Self::META, "livenessProbe", out);
    }
}

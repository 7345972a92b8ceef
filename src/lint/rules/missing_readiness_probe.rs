use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Checks that every container of a long-running workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, and
/// Pods that restart) has a `readinessProbe`. Jobs, CronJobs, init containers, bare pods that run to completion and Helm
/// hooks (test pods included) are exempt: they are meant to finish.
///
/// ## Why is this bad?
/// Without a readiness probe a pod receives Service traffic the moment its process starts, before it can
/// answer, and keeps receiving it while it cannot (a lost database connection): users see errors during
/// every rollout and outage.
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
///     readinessProbe:
///       httpGet: { path: /health, port: http }
/// ```
    pub struct MissingReadinessProbe {
        name: "missing-readiness-probe",
        severity: Warning,
        profile: None,
        summary: "a long-running container without a readiness probe",
    }
}

impl Rule for MissingReadinessProbe {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        super::common::missing_probe(unit, &Self::META, "readinessProbe", out);
    }
}

use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Checks that every container (init containers included) sets `resources.requests.cpu`.
///
/// ## Why is this bad?
/// Without a CPU request the scheduler places the pod as if it used no CPU; under load it is starved
/// first, and an HPA on CPU utilisation has nothing to compute a percentage from.
///
/// ## Example
/// ```yaml
/// containers:
///   - name: api
///     image: api:1.0.0
///     resources: {}
/// ```
///
/// Use instead:
/// ```yaml
/// containers:
///   - name: api
///     image: api:1.0.0
///     resources:
///       requests: { cpu: 100m, memory: 128Mi }
///       limits: { cpu: 500m, memory: 512Mi }
/// ```
    pub struct MissingCpuRequest {
        name: "missing-cpu-request",
        severity: Warning,
        profile: None,
        summary: "a container without a cpu request",
    }
}

impl Rule for MissingCpuRequest {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        super::common::missing_resource(unit, &Self::META, "requests", "cpu", out);
    }
}

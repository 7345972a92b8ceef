use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Checks that every container (init containers included) sets `resources.limits.memory`.
///
/// ## Why is this bad?
/// Without a memory limit a leak grows until the node runs out of memory and the kernel kills
/// whatever it picks, often another workload.
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
    pub struct MissingMemoryLimit {
        name: "missing-memory-limit",
        severity: Warning,
        profile: None,
        summary: "a container without a memory limit",
    }
}

impl Rule for MissingMemoryLimit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        super::common::missing_resource(unit, &Self::META, "limits", "memory", out);
    }
}

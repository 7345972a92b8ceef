use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Checks that every container (init containers included) sets `resources.requests.memory`.
///
/// ## Why is this bad?
/// Without a memory request the scheduler can overcommit the node, and the pod is among the first
/// evicted when memory runs short.
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
    pub struct MissingMemoryRequest {
        name: "missing-memory-request",
        severity: Warning,
        profile: None,
        summary: "a container without a memory request",
    }
}

impl Rule for MissingMemoryRequest {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        super::common::missing_resource(unit, &Self::META, "requests", "memory", out);
    }
}

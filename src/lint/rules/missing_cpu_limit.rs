use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Checks that every container (init containers included) sets `resources.limits.cpu`.
///
/// ## Why is this bad?
/// Without a CPU limit one busy container can take every core of its node and slow its neighbours;
/// local clusters such as Minikube have only a few cores to share.
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
    pub struct MissingCpuLimit {
        name: "missing-cpu-limit",
        severity: Warning,
        profile: None,
        summary: "a container without a cpu limit",
    }
}

impl Rule for MissingCpuLimit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        super::common::missing_resource(unit, &Self::META, "limits", "cpu", out);
    }
}

use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Flags containers with `securityContext.privileged: true`.
///
/// ## Why is this bad?
/// A privileged container has every capability and every device of the node: escaping it is trivial. The Pod Security
/// Standards "baseline" profile already forbids it.
///
/// ## Example
/// ```yaml
/// containers:
///   - name: agent
///     securityContext:
///       privileged: true
/// ```
///
/// Use instead:
/// ```yaml
/// containers:
///   - name: agent
///     securityContext:
///       privileged: false
///       capabilities: { drop: [ALL] }
/// ```
    pub struct PrivilegedContainer {
        name: "privileged-container",
        severity: Error,
        profile: Some(super::Profile::Baseline),
        summary: "a privileged container",
    }
}

impl Rule for PrivilegedContainer {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        super::common::each_container(unit, |object, c| {
            let (node, path) = c.own_security("privileged");
            if super::common::is_true(node) {
                let message = format!("container `{}` is privileged", c.name);
                super::common::report(unit, &Self::META, object, c, &path, node, message, out);
            }
        });
    }
}

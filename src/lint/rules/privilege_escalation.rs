use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Checks that every container sets `securityContext.allowPrivilegeEscalation: false` (a container-level field;
/// a privileged container always allows escalation).
///
/// ## Why is this bad?
/// With escalation allowed, a setuid binary or file capability inside the image can give the process more privileges
/// than it started with. The Pod Security Standards "restricted" profile requires it off, and Kubernetes defaults it
/// on.
///
/// ## Example
/// ```yaml
/// containers:
///   - name: api
///     securityContext: {}
/// ```
///
/// Use instead:
/// ```yaml
/// containers:
///   - name: api
///     securityContext:
///       allowPrivilegeEscalation: false
/// ```
    pub struct PrivilegeEscalation {
        name: "privilege-escalation",
        severity: Error,
        profile: Some(super::Profile::Restricted),
        summary: "a container that allows privilege escalation",
    }
}

impl Rule for PrivilegeEscalation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        super::common::each_container(unit, |object, c| {
            let (node, path) = c.own_security("allowPrivilegeEscalation");
            let privileged = super::common::is_true(c.own_security("privileged").0);
            if privileged || !super::common::is_false(node) {
                let message = if privileged {
                    format!(
                        "container `{}` is privileged, which always allows privilege escalation",
                        c.name
                    )
                } else if node.is_some() {
                    format!(
                        "container `{}` sets `allowPrivilegeEscalation: true`",
                        c.name
                    )
                } else {
                    format!(
                        "container `{}` does not set `allowPrivilegeEscalation: false` (the default allows it)",
                        c.name
                    )
                };
                super::common::report(unit, &Self::META, object, c, &path, node, message, out);
            }
        });
    }
}

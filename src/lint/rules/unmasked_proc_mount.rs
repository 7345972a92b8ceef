use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Flags containers (init and ephemeral included) whose `securityContext.procMount` is anything but `Default`.
///
/// ## Why is this bad?
/// `Unmasked` mounts `/proc` without the masks and read-only paths the runtime normally applies, exposing kernel
/// interfaces (`/proc/sys`, `/proc/sysrq-trigger`, ...) that help a process break out of its container. The Pod
/// Security Standards "baseline" profile forbids it.
///
/// ## Example
/// ```yaml
/// securityContext:
///   procMount: Unmasked
/// ```
///
/// Use instead:
/// ```yaml
/// securityContext:
///   procMount: Default   # or leave it out
/// ```
    pub struct UnmaskedProcMount {
        name: "unmasked-proc-mount",
        severity: Error,
        profile: Some(super::Profile::Baseline),
        summary: "a container with an unmasked /proc",
    }
}

impl Rule for UnmaskedProcMount {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        super::common::each_container(unit, |object, c| {
            let (node, path) = c.own_security("procMount");
            let Some(node) = node else { return };
            let value = node.scalar_text().unwrap_or_default();
            if value != "Default" {
                let message = format!("container `{}` sets `procMount: {value}`", c.name);
                super::common::report(
                    unit,
                    &Self::META,
                    object,
                    c,
                    &path,
                    Some(node),
                    message,
                    out,
                );
            }
        });
    }
}

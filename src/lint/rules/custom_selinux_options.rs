use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;
use crate::lint::source::Seg;
use crate::yaml::Node;

/// The SELinux types the Pod Security Standards "baseline" profile allows.
const ALLOWED_TYPES: &[&str] = &[
    "container_t",
    "container_init_t",
    "container_kvm_t",
    "container_engine_t",
];

declare_rule! {
/// ## What it does
/// Flags `seLinuxOptions` (pod or container level, init and ephemeral containers included) that set a `user` or
/// `role`, or a `type` other than `container_t`, `container_init_t`, `container_kvm_t` or `container_engine_t`.
/// `level` is allowed.
///
/// ## Why is this bad?
/// The SELinux type decides what the container's processes may touch on the host: `spc_t` or `unconfined_t`
/// switch confinement off entirely, and a custom user or role escapes the policy written for containers. The Pod
/// Security Standards "baseline" profile forbids them.
///
/// ## Example
/// ```yaml
/// securityContext:
///   seLinuxOptions: { type: spc_t }
/// ```
///
/// Use instead:
/// ```yaml
/// securityContext:
///   seLinuxOptions: { level: "s0:c123,c456" }   # or leave seLinuxOptions out
/// ```
    pub struct CustomSelinuxOptions {
        name: "custom-selinux-options",
        severity: Error,
        profile: Some(super::Profile::Baseline),
        summary: "SELinux options that leave the container policy",
    }
}

/// The offending fields of an `seLinuxOptions` map: (field, node, description).
fn offending(options: &Node) -> Vec<(&'static str, &Node, String)> {
    let mut out = Vec::new();
    for field in ["type", "user", "role"] {
        let Some(node) = options.get(field) else {
            continue;
        };
        let value = node.scalar_text().unwrap_or_default();
        let allowed =
            value.is_empty() || (field == "type" && ALLOWED_TYPES.contains(&value.as_str()));
        if !allowed {
            out.push((field, node, format!("seLinuxOptions.{field}: {value}")));
        }
    }
    out
}

impl Rule for CustomSelinuxOptions {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        let at = |base: &[Seg], field: &str| {
            let mut p = base.to_vec();
            p.push(crate::lint::source::key(field));
            p
        };
        super::common::each_pod(unit, |object, pod, pod_path| {
            let Some(options) = pod.path("securityContext.seLinuxOptions") else {
                return;
            };
            let base = super::common::child(pod_path, &["securityContext", "seLinuxOptions"]);
            for (field, node, what) in offending(options) {
                let message = format!(
                    "{} `{}` sets `{what}` for its pods",
                    object.kind, object.name
                );
                out.push(unit.finding(
                    &Self::META,
                    object,
                    None,
                    &at(&base, field),
                    Some(node),
                    message,
                ));
            }
        });
        super::common::each_container(unit, |object, c| {
            let (Some(options), base) = c.own_security("seLinuxOptions") else {
                return;
            };
            for (field, node, what) in offending(options) {
                let message = format!("container `{}` sets `{what}`", c.name);
                super::common::report(
                    unit,
                    &Self::META,
                    object,
                    c,
                    &at(&base, field),
                    Some(node),
                    message,
                    out,
                );
            }
        });
    }
}

/// The capabilities the Pod Security Standards "baseline" profile allows to be added.
const BASELINE_ALLOWED: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Under `--profile restricted` (the default) every container must drop `ALL` capabilities and may add back only
/// `NET_BIND_SERVICE`. Under `--profile baseline` it may add only the capabilities of the container runtime's
/// default set.
///
/// ## Why is this bad?
/// Capabilities are slices of root. The runtime's defaults (CHOWN, SETUID, NET_RAW, …) are more than a web
/// application needs, and capabilities such as SYS_ADMIN or NET_ADMIN make escaping the container easy.
///
/// ## Example
/// ```yaml
/// containers:
///   - name: api
///     securityContext:
///       capabilities:
///         add: [NET_ADMIN]
/// ```
///
/// Use instead:
/// ```yaml
/// containers:
///   - name: api
///     securityContext:
///       capabilities:
///         drop: [ALL]
/// ```
    pub struct CapabilitiesNotDropped {
        name: "capabilities-not-dropped",
        severity: Error,
        profile: Some(super::Profile::Baseline),
        summary: "a container that keeps or adds Linux capabilities",
    }
}

impl Rule for CapabilitiesNotDropped {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, ctx: &CheckContext, out: &mut Vec<Finding>) {
        super::common::each_container(unit, |object, c| {
            let caps = c.own_security("capabilities").0;
            let drop = super::common::strings(caps.and_then(|x| x.get("drop")));
            let add_node = caps.and_then(|x| x.get("add"));
            let add = super::common::strings(add_node);
            let restricted = ctx.profile == super::Profile::Restricted;
            let allowed: &[&str] = if restricted {
                &["NET_BIND_SERVICE"]
            } else {
                BASELINE_ALLOWED
            };
            let extra: Vec<&String> = add
                .iter()
                .filter(|a| {
                    !allowed.contains(&a.trim_start_matches("CAP_").to_ascii_uppercase().as_str())
                })
                .collect();
            if !extra.is_empty() {
                let list: Vec<&str> = extra.iter().map(|s| s.as_str()).collect();
                let message = format!(
                    "container `{}` adds the capabilities {}",
                    c.name,
                    list.join(", ")
                );
                let path = c.field(&["securityContext", "capabilities", "add"]);
                super::common::report(unit, &Self::META, object, c, &path, add_node, message, out);
            }
            if restricted && !drop.iter().any(|d| d.eq_ignore_ascii_case("ALL")) {
                let message = format!("container `{}` does not drop ALL capabilities", c.name);
                let path = c.field(&["securityContext", "capabilities", "drop"]);
                let node = caps.and_then(|x| x.get("drop"));
                super::common::report(unit, &Self::META, object, c, &path, node, message, out);
            }
        });
    }
}

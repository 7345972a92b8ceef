use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Checks the effective `seccompProfile` of every container (the container's own, else the pod's): it must be
/// `RuntimeDefault` or `Localhost`.
///
/// ## Why is this bad?
/// Without a seccomp profile a container can make every system call the kernel offers, including the rarely used ones
/// behind most container escapes. The Pod Security Standards "restricted" profile requires one; `Unconfined` is
/// explicitly forbidden.
///
/// ## Example
/// ```yaml
/// spec:
///   containers:
///     - name: api
///       image: api:1.0.0
/// ```
///
/// Use instead:
/// ```yaml
/// spec:
///   securityContext:
///     seccompProfile: { type: RuntimeDefault }
///   containers:
///     - name: api
///       image: api:1.0.0
/// ```
    pub struct MissingSeccompProfile {
        name: "missing-seccomp-profile",
        severity: Error,
        profile: Some(super::Profile::Restricted),
        summary: "a container without the RuntimeDefault or a Localhost seccomp profile",
    }
}

impl Rule for MissingSeccompProfile {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        super::common::each_container(unit, |object, c| match c.effective("seccompProfile") {
            Some((node, mut path)) => {
                let kind = node
                    .get("type")
                    .and_then(|t| t.as_str())
                    .unwrap_or_default();
                if kind != "RuntimeDefault" && kind != "Localhost" {
                    path.push(crate::lint::source::key("type"));
                    let shown = if kind.is_empty() {
                        "no type".to_string()
                    } else {
                        format!("`{kind}`")
                    };
                    let message =
                        format!("container `{}` runs with seccomp profile {shown}", c.name);
                    super::common::report(
                        unit,
                        &Self::META,
                        object,
                        c,
                        &path,
                        node.get("type").or(Some(node)),
                        message,
                        out,
                    );
                }
            }
            None => {
                let message = format!(
                    "container `{}` has no seccomp profile (set `seccompProfile.type: RuntimeDefault`)",
                    c.name
                );
                let path = c.field(&["securityContext", "seccompProfile"]);
                super::common::report(unit, &Self::META, object, c, &path, None, message, out);
            }
        });
    }
}

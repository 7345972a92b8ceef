use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Judges the user each container really runs as: the container's `securityContext` overrides the pod's. It passes
/// when the effective `runAsNonRoot` is `true` or the effective `runAsUser` is above 0, and fails on an effective
/// `runAsUser: 0` (even beside `runAsNonRoot: true`, which the kubelet would then refuse to start).
///
/// ## Why is this bad?
/// A process running as root inside a container is one kernel bug or misconfigured mount away from root on the node.
/// The Pod Security Standards "restricted" profile requires non-root. Without either setting the image decides, and
/// most images default to root.
///
/// ## Example
/// ```yaml
/// spec:
///   securityContext:
///     runAsNonRoot: true
///   containers:
///     - name: api
///       securityContext:
///         runAsUser: 0   # overrides the pod: runs as root
/// ```
///
/// Use instead:
/// ```yaml
/// spec:
///   securityContext:
///     runAsNonRoot: true
///     runAsUser: 1000
///   containers:
///     - name: api
/// ```
    pub struct RunsAsRoot {
        name: "runs-as-root",
        severity: Error,
        profile: Some(super::Profile::Restricted),
        summary: "a container that runs, or may run, as root",
    }
}

impl Rule for RunsAsRoot {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        super::common::each_container(unit, |object, c| {
            let user = c.effective("runAsUser");
            let non_root = c.effective("runAsNonRoot");
            if let Some((node, path)) = &user
                && node.as_i64() == Some(0)
            {
                let message = format!(
                    "container `{}` runs as root (effective `runAsUser: 0`)",
                    c.name
                );
                super::common::report(unit, &Self::META, object, c, path, Some(node), message, out);
                return;
            }
            let user_ok = user
                .as_ref()
                .is_some_and(|(n, _)| n.as_i64().is_some_and(|u| u > 0));
            let non_root_ok = super::common::is_true(non_root.as_ref().map(|(n, _)| *n));
            if !user_ok && !non_root_ok {
                let message = format!(
                    "container `{}` may run as root: neither `runAsNonRoot: true` nor `runAsUser` above 0 is set on it or its pod",
                    c.name
                );
                let path = c.field(&["securityContext", "runAsNonRoot"]);
                super::common::report(unit, &Self::META, object, c, &path, None, message, out);
            }
        });
    }
}

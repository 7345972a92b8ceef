use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Flags Windows HostProcess pods and containers: `securityContext.windowsOptions.hostProcess: true` at the pod
/// or container level.
///
/// ## Why is this bad?
/// A HostProcess container runs directly on the Windows node, as a host user, with the node's network and file
/// system: it is the Windows equivalent of a privileged container. The Pod Security Standards "baseline" profile
/// forbids it.
///
/// ## Example
/// ```yaml
/// securityContext:
///   windowsOptions: { hostProcess: true, runAsUserName: "NT AUTHORITY\\SYSTEM" }
/// ```
///
/// Use instead:
/// ```yaml
/// securityContext:
///   windowsOptions: { runAsUserName: ContainerUser }
/// ```
    pub struct HostProcess {
        name: "host-process",
        severity: Error,
        profile: Some(super::Profile::Baseline),
        summary: "a Windows HostProcess pod or container",
    }
}

impl Rule for HostProcess {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        use super::common::{child, is_true};
        super::common::each_pod(unit, |object, pod, pod_path| {
            let node = pod.path("securityContext.windowsOptions.hostProcess");
            if is_true(node) {
                let path = child(
                    pod_path,
                    &["securityContext", "windowsOptions", "hostProcess"],
                );
                let message = format!(
                    "{} `{}` runs its pods as Windows HostProcess",
                    object.kind, object.name
                );
                out.push(unit.finding(&Self::META, object, None, &path, node, message));
            }
        });
        super::common::each_container(unit, |object, c| {
            let (options, mut path) = c.own_security("windowsOptions");
            let node = options.and_then(|o| o.get("hostProcess"));
            if is_true(node) {
                path.push(crate::lint::source::key("hostProcess"));
                let message = format!("container `{}` runs as Windows HostProcess", c.name);
                super::common::report(unit, &Self::META, object, c, &path, node, message, out);
            }
        });
    }
}

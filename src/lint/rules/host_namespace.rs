use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Flags pods with `hostNetwork`, `hostPID` or `hostIPC` set to `true`.
///
/// ## Why is this bad?
/// Sharing the node's namespaces lets the pod see and talk to every process and network interface of the node,
/// bypass NetworkPolicies, and sniff other pods' traffic. The Pod Security Standards "baseline" profile forbids it.
///
/// ## Example
/// ```yaml
/// spec:
///   hostNetwork: true
/// ```
///
/// Use instead:
/// ```yaml
/// spec:
///   hostNetwork: false   # or leave it out; expose ports through a Service
/// ```
    pub struct HostNamespace {
        name: "host-namespace",
        severity: Error,
        profile: Some(super::Profile::Baseline),
        summary: "a pod sharing the node's network, PID or IPC namespace",
    }
}

impl Rule for HostNamespace {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        super::common::each_pod(unit, |object, pod, pod_path| {
            for field in ["hostNetwork", "hostPID", "hostIPC"] {
                let node = pod.get(field);
                if super::common::is_true(node) {
                    let path = super::common::child(pod_path, &[field]);
                    let message = format!("{} `{}` sets `{field}: true`", object.kind, object.name);
                    out.push(unit.finding(&Self::META, object, None, &path, node, message));
                }
            }
        });
    }
}

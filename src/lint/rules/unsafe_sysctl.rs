use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;
use crate::yaml::Node;

/// The sysctls the Pod Security Standards "baseline" profile allows (as of Kubernetes 1.29).
const SAFE: &[&str] = &[
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
];

declare_rule! {
/// ## What it does
/// Flags a pod's `securityContext.sysctls` entries outside the safe set the Pod Security Standards "baseline"
/// profile allows (`kernel.shm_rmid_forced`, `net.ipv4.ip_local_port_range`, `net.ipv4.ip_unprivileged_port_start`,
/// `net.ipv4.tcp_syncookies`, `net.ipv4.ping_group_range`, `net.ipv4.ip_local_reserved_ports`, and the
/// `net.ipv4.tcp_keepalive_*` / `tcp_fin_timeout` ones). Names written with `/` are read as with `.`.
///
/// ## Why is this bad?
/// Other sysctls are not namespaced per pod, or can starve the node: setting them changes the kernel for every
/// pod on the node. The kubelet refuses such pods unless an administrator allowed them, and a baseline-enforcing
/// namespace rejects them.
///
/// ## Example
/// ```yaml
/// securityContext:
///   sysctls:
///     - { name: net.core.somaxconn, value: "4096" }
/// ```
///
/// Use instead:
/// ```yaml
/// securityContext:
///   sysctls:
///     - { name: net.ipv4.ip_local_port_range, value: "1024 65000" }
/// ```
    pub struct UnsafeSysctl {
        name: "unsafe-sysctl",
        severity: Error,
        profile: Some(super::Profile::Baseline),
        summary: "a pod setting a sysctl outside the safe set",
    }
}

impl Rule for UnsafeSysctl {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        super::common::each_pod(unit, |object, pod, pod_path| {
            let sysctls = pod
                .path("securityContext.sysctls")
                .map(Node::as_seq)
                .unwrap_or_default();
            for (i, s) in sysctls.iter().enumerate() {
                let Some(name) = s.get("name").and_then(Node::scalar_text) else {
                    continue;
                };
                if SAFE.contains(&name.replace('/', ".").as_str()) {
                    continue;
                }
                let mut path = super::common::child(pod_path, &["securityContext", "sysctls"]);
                path.push(crate::lint::source::Seg::Index(i));
                path.push(crate::lint::source::key("name"));
                let message = format!(
                    "{} `{}` sets the unsafe sysctl `{name}`",
                    object.kind, object.name
                );
                out.push(unit.finding(&Self::META, object, None, &path, s.get("name"), message));
            }
        });
    }
}

use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;
use crate::yaml::Node;

declare_rule! {
/// ## What it does
/// Flags container ports with a non-zero `hostPort` (init and ephemeral containers included).
///
/// ## Why is this bad?
/// A host port binds the node's own network interface: it bypasses Services and NetworkPolicies, exposes the pod
/// on the node's address, and limits the workload to one pod per node per port (the second replica stays
/// Pending). The Pod Security Standards "baseline" profile forbids it.
///
/// ## Example
/// ```yaml
/// ports:
///   - { name: http, containerPort: 8080, hostPort: 8080 }
/// ```
///
/// Use instead:
/// ```yaml
/// ports:
///   - { name: http, containerPort: 8080 }   # and a Service (NodePort or LoadBalancer if it must be reachable)
/// ```
    pub struct HostPort {
        name: "host-port",
        severity: Error,
        profile: Some(super::Profile::Baseline),
        summary: "a container port bound to the node (hostPort)",
    }
}

impl Rule for HostPort {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        super::common::each_container(unit, |object, c| {
            let ports = c.node.get("ports").map(Node::as_seq).unwrap_or_default();
            for (i, port) in ports.iter().enumerate() {
                let Some(host) = port.get("hostPort") else {
                    continue;
                };
                let Some(n) = super::common::int(Some(host)).filter(|n| *n != 0) else {
                    continue;
                };
                let mut path = c.field(&["ports"]);
                path.push(crate::lint::source::Seg::Index(i));
                path.push(crate::lint::source::key("hostPort"));
                let message = format!("container `{}` binds host port {n}", c.name);
                super::common::report(
                    unit,
                    &Self::META,
                    object,
                    c,
                    &path,
                    Some(host),
                    message,
                    out,
                );
            }
        });
    }
}

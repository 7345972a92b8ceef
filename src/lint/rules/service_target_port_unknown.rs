use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::{ContainerKind, Unit};
use crate::yaml::Node;

declare_rule! {
/// ## What it does
/// Checks each port of a Service with a selector against the containers of the pods it selects in the same
/// input: a named `targetPort` must be a `ports[].name` of a selected container, and a numeric one (or a missing
/// one, which means the `port` number) a `containerPort`. Numbers are only judged when the selected containers
/// declare ports at all, since a container may listen on a port it does not declare. Services that select no
/// pod here are `dangling-service-selector`'s.
///
/// ## Why is this bad?
/// The Service gets endpoints but every connection is refused (a wrong number) or the port never gets an
/// endpoint at all (an unknown name): the app looks deployed and healthy, and nothing reaches it.
///
/// ## Example
/// ```yaml
/// kind: Service
/// spec:
///   selector: { app: api }
///   ports: [{ port: 80, targetPort: web }]
/// ---
/// kind: Deployment
/// # ... containers: [{ name: api, ports: [{ name: http, containerPort: 8000 }] }]
/// ```
///
/// Use instead:
/// ```yaml
/// kind: Service
/// spec:
///   selector: { app: api }
///   ports: [{ port: 80, targetPort: http }]
/// ```
    pub struct ServiceTargetPortUnknown {
        name: "service-target-port-unknown",
        severity: Error,
        profile: None,
        summary: "a Service targetPort that no selected container exposes",
    }
}

impl Rule for ServiceTargetPortUnknown {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        for service in unit.objects.iter().filter(|o| o.kind == "Service") {
            let Some(selector) = service.doc.path("spec.selector") else {
                continue;
            };
            if selector.entries().is_empty() {
                continue;
            }
            let mut names = Vec::new();
            let mut numbers = Vec::new();
            let mut selected = false;
            for w in super::common::selected_workloads(unit, service, selector) {
                selected = true;
                for c in w.containers() {
                    if c.kind == ContainerKind::Ephemeral {
                        continue;
                    }
                    for p in c.node.get("ports").map(Node::as_seq).unwrap_or_default() {
                        names.extend(p.get("name").and_then(Node::scalar_text));
                        numbers.extend(super::common::int(p.get("containerPort")));
                    }
                }
            }
            if !selected {
                continue;
            }
            let ports = service
                .doc
                .path("spec.ports")
                .map(Node::as_seq)
                .unwrap_or_default();
            for (i, port) in ports.iter().enumerate() {
                let target = port.get("targetPort");
                let (field, node) = match target {
                    Some(t) => ("targetPort", Some(t)),
                    None => ("port", port.get("port")),
                };
                let Some(node) = node else { continue };
                let Some(text) = node.scalar_text() else {
                    continue;
                };
                let problem = match text.trim().parse::<i64>() {
                    Ok(n) if !numbers.is_empty() && !numbers.contains(&n) => Some(format!(
                        "port {n}, but the selected containers expose {}",
                        join(numbers.iter().map(i64::to_string))
                    )),
                    Ok(_) => None,
                    Err(_) if !names.contains(&text) => Some(format!(
                        "port `{text}`, but {}",
                        if names.is_empty() {
                            "no selected container names a port".to_string()
                        } else {
                            format!(
                                "the selected containers name {}",
                                join(names.iter().cloned())
                            )
                        }
                    )),
                    Err(_) => None,
                };
                if let Some(problem) = problem {
                    let how = if target.is_some() {
                        "targets"
                    } else {
                        "has no targetPort, so it targets"
                    };
                    let message = format!("Service `{}` {how} {problem}", service.name);
                    let path = [
                        crate::lint::source::key("spec"),
                        crate::lint::source::key("ports"),
                        crate::lint::source::Seg::Index(i),
                        crate::lint::source::key(field),
                    ];
                    out.push(unit.finding(&Self::META, service, None, &path, Some(node), message));
                }
            }
        }
    }
}

fn join(items: impl Iterator<Item = String>) -> String {
    let mut items: Vec<String> = items.collect();
    items.sort();
    items.dedup();
    items.join(", ")
}

use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;
use crate::lint::source::{Seg, key};
use crate::yaml::Node;

declare_rule! {
/// ## What it does
/// Checks every backend of an Ingress (`defaultBackend` and each rule path) against the Services in the same input:
/// the Service must exist and have the port, by number or by name. It stays quiet when the input has no Services.
///
/// ## Why is this bad?
/// The ingress controller answers 503 for that path. Helm installs the release successfully, so the first to notice
/// is a user.
///
/// ## Example
/// ```yaml
/// backend:
///   service:
///     name: todo-backend
///     port: { number: 80 }     # the Service listens on 8000
/// ```
///
/// Use instead:
/// ```yaml
/// backend:
///   service:
///     name: todo-backend
///     port: { number: 8000 }
/// ```
    pub struct IngressUnknownBackend {
        name: "ingress-unknown-backend",
        severity: Error,
        profile: None,
        summary: "an Ingress routing to a Service or port that does not exist",
    }
}

impl Rule for IngressUnknownBackend {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        let services: Vec<_> = unit
            .objects
            .iter()
            .filter(|o| o.kind == "Service")
            .collect();
        if services.is_empty() {
            return;
        }
        for ingress in unit.objects.iter().filter(|o| o.kind == "Ingress") {
            let mut backends: Vec<(Vec<Seg>, &Node)> = Vec::new();
            if let Some(b) = ingress.doc.path("spec.defaultBackend") {
                backends.push((vec![key("spec"), key("defaultBackend")], b));
            }
            for (r, rule) in ingress
                .doc
                .path("spec.rules")
                .map(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                for (p, path) in rule
                    .path("http.paths")
                    .map(Node::as_seq)
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                {
                    if let Some(b) = path.get("backend") {
                        let at = vec![
                            key("spec"),
                            key("rules"),
                            Seg::Index(r),
                            key("http"),
                            key("paths"),
                            Seg::Index(p),
                            key("backend"),
                        ];
                        backends.push((at, b));
                    }
                }
            }
            for (mut at, backend) in backends {
                let Some(service) = backend.get("service") else {
                    continue;
                };
                let Some(name) = service.get("name").and_then(Node::scalar_text) else {
                    continue;
                };
                at.push(key("service"));
                let target = services
                    .iter()
                    .find(|s| s.name == name && super::common::same_namespace(s, ingress));
                let Some(target) = target else {
                    at.push(key("name"));
                    let message = format!(
                        "Ingress `{}` routes to Service `{name}`, which is not defined here",
                        ingress.name
                    );
                    out.push(unit.finding(
                        &Self::META,
                        ingress,
                        None,
                        &at,
                        service.get("name"),
                        message,
                    ));
                    continue;
                };
                let Some(port) = service.get("port") else {
                    continue;
                };
                let ports = target
                    .doc
                    .path("spec.ports")
                    .map(Node::as_seq)
                    .unwrap_or_default();
                let (wanted, found) =
                    if let Some(number) = port.get("number").and_then(Node::as_i64) {
                        (
                            number.to_string(),
                            ports
                                .iter()
                                .any(|p| p.get("port").and_then(Node::as_i64) == Some(number)),
                        )
                    } else if let Some(port_name) = port.get("name").and_then(Node::scalar_text) {
                        let found = ports.iter().any(|p| {
                            p.get("name").and_then(Node::scalar_text).as_deref()
                                == Some(port_name.as_str())
                        });
                        (format!("`{port_name}`"), found)
                    } else {
                        continue;
                    };
                if !found {
                    at.push(key("port"));
                    let message = format!(
                        "Ingress `{}` routes to port {wanted} of Service `{name}`, which has no such port",
                        ingress.name
                    );
                    out.push(unit.finding(&Self::META, ingress, None, &at, Some(port), message));
                }
            }
        }
    }
}

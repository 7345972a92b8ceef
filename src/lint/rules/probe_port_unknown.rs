use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Checks that a probe's named port (`httpGet.port`, `tcpSocket.port`, `grpc.port` given as a name) is one of the
/// container's declared `ports[].name`.
///
/// ## Why is this bad?
/// Kubernetes accepts the manifest, then every probe fails: the pod never becomes Ready, or is restarted in a loop,
/// and the events only say the probe failed.
///
/// ## Example
/// ```yaml
/// ports: [{ name: http, containerPort: 8000 }]
/// livenessProbe:
///   httpGet: { path: /health, port: web }
/// ```
///
/// Use instead:
/// ```yaml
/// ports: [{ name: http, containerPort: 8000 }]
/// livenessProbe:
///   httpGet: { path: /health, port: http }
/// ```
    pub struct ProbePortUnknown {
        name: "probe-port-unknown",
        severity: Error,
        profile: None,
        summary: "a probe naming a port the container does not declare",
    }
}

impl Rule for ProbePortUnknown {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        super::common::each_container(unit, |object, c| {
            let declared: Vec<String> = c
                .node
                .get("ports")
                .map(|p| {
                    p.as_seq()
                        .iter()
                        .filter_map(|p| p.get("name").and_then(|n| n.scalar_text()))
                        .collect()
                })
                .unwrap_or_default();
            for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
                let Some(p) = c.node.get(probe) else { continue };
                for handler in ["httpGet", "tcpSocket", "grpc"] {
                    let Some(port) = p.get(handler).and_then(|h| h.get("port")) else {
                        continue;
                    };
                    let Some(name) = port.as_str() else { continue };
                    if name.parse::<u32>().is_ok() || declared.iter().any(|d| d == name) {
                        continue;
                    }
                    let known = if declared.is_empty() {
                        "it declares no named ports".to_string()
                    } else {
                        format!("it declares {}", declared.join(", "))
                    };
                    let message = format!(
                        "{probe} of container `{}` uses port `{name}`, but {known}",
                        c.name
                    );
                    let path = c.field(&[probe, handler, "port"]);
                    super::common::report(
                        unit,
                        &Self::META,
                        object,
                        c,
                        &path,
                        Some(port),
                        message,
                        out,
                    );
                }
            }
        });
    }
}

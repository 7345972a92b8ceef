use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;
use crate::yaml::Node;

declare_rule! {
/// ## What it does
/// Checks that every `volumeMounts[].name` and `volumeDevices[].name` of a container is a volume of its pod
/// (`volumes[].name`), or for a StatefulSet one of its `volumeClaimTemplates`.
///
/// ## Why is this bad?
/// The API server refuses the workload (`volumeMounts[0].name: Not found`), so the install or upgrade fails; in a
/// chart it typically happens when a template adds a mount under one condition and its volume under another (a
/// CronJob that mounts its component's volumes but does not declare them).
///
/// ## Example
/// ```yaml
/// containers:
///   - name: app
///     volumeMounts: [{ name: data, mountPath: /data }]
/// volumes:
///   - { name: tmp, emptyDir: {} }
/// ```
///
/// Use instead:
/// ```yaml
/// containers:
///   - name: app
///     volumeMounts: [{ name: data, mountPath: /data }]
/// volumes:
///   - { name: data, persistentVolumeClaim: { claimName: app-data } }
/// ```
    pub struct VolumeMountUnknown {
        name: "volume-mount-unknown",
        severity: Error,
        profile: None,
        summary: "a container mounting a volume its pod does not define",
    }
}

impl Rule for VolumeMountUnknown {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        super::common::each_container(unit, |object, c| {
            let names = |list: Option<&Node>, name_at: &[&str]| -> Vec<String> {
                list.map(Node::as_seq)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|v| v.at(name_at.iter().copied()).and_then(Node::scalar_text))
                    .collect()
            };
            let mut defined = names(c.pod.get("volumes"), &["name"]);
            if object.kind == "StatefulSet" {
                defined.extend(names(
                    object.doc.path("spec.volumeClaimTemplates"),
                    &["metadata", "name"],
                ));
            }
            for field in ["volumeMounts", "volumeDevices"] {
                for (path, name_node, name) in c.named_items(field) {
                    if defined.contains(&name) {
                        continue;
                    }
                    let known = if defined.is_empty() {
                        "the pod defines no volumes".to_string()
                    } else {
                        format!("the pod defines {}", defined.join(", "))
                    };
                    let message =
                        format!("container `{}` mounts volume `{name}`, but {known}", c.name);
                    super::common::report(
                        unit,
                        &Self::META,
                        object,
                        c,
                        &path,
                        Some(name_node),
                        message,
                        out,
                    );
                }
            }
        });
    }
}

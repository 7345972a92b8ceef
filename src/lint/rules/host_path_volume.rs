use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Flags pod volumes of type `hostPath`.
///
/// ## Why is this bad?
/// A hostPath volume exposes the node's filesystem to the pod: mounting `/`, `/var/run/docker.sock` or `/etc` hands
/// over the node. The Pod Security Standards "baseline" profile forbids it.
///
/// ## Example
/// ```yaml
/// volumes:
///   - name: data
///     hostPath: { path: /var/lib/app }
/// ```
///
/// Use instead:
/// ```yaml
/// volumes:
///   - name: data
///     persistentVolumeClaim: { claimName: app-data }
/// ```
    pub struct HostPathVolume {
        name: "host-path-volume",
        severity: Error,
        profile: Some(super::Profile::Baseline),
        summary: "a pod mounting a hostPath volume",
    }
}

impl Rule for HostPathVolume {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        super::common::each_pod(unit, |object, pod, pod_path| {
            let volumes = pod.get("volumes").map(|v| v.as_seq()).unwrap_or_default();
            for (i, volume) in volumes.iter().enumerate() {
                let Some(host) = volume.get("hostPath") else {
                    continue;
                };
                let mut path = super::common::child(pod_path, &["volumes"]);
                path.extend([
                    crate::lint::source::Seg::Index(i),
                    crate::lint::source::key("hostPath"),
                ]);
                let name = volume.get("name").and_then(|n| n.as_str()).unwrap_or("?");
                let host_path = host.get("path").and_then(|p| p.as_str()).unwrap_or("?");
                let message = format!(
                    "volume `{name}` of {} `{}` mounts the node path `{host_path}`",
                    object.kind, object.name
                );
                out.push(unit.finding(&Self::META, object, None, &path, Some(host), message));
            }
        });
    }
}

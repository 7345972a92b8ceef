use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;
use crate::yaml::Node;

const ANNOTATION: &str = "container.apparmor.security.beta.kubernetes.io/";

declare_rule! {
/// ## What it does
/// Flags pods and containers that turn AppArmor off: `securityContext.appArmorProfile.type: Unconfined` at the pod
/// or container level, or the older pod annotation `container.apparmor.security.beta.kubernetes.io/<container>:
/// unconfined`. `RuntimeDefault` and `Localhost` profiles pass.
///
/// ## Why is this bad?
/// The runtime's default AppArmor profile blocks mounts, raw kernel interfaces and writes to sensitive `/proc`
/// paths; without it, one container bug is much closer to a node compromise. The Pod Security Standards "baseline"
/// profile forbids overriding it with `unconfined`.
///
/// ## Example
/// ```yaml
/// securityContext:
///   appArmorProfile: { type: Unconfined }
/// ```
///
/// Use instead:
/// ```yaml
/// securityContext:
///   appArmorProfile: { type: RuntimeDefault }
/// ```
    pub struct ApparmorUnconfined {
        name: "apparmor-unconfined",
        severity: Error,
        profile: Some(super::Profile::Baseline),
        summary: "a pod or container running without AppArmor",
    }
}

fn unconfined(profile: Option<&Node>) -> Option<&Node> {
    let t = profile?.get("type")?;
    (t.as_str() == Some("Unconfined")).then_some(t)
}

impl Rule for ApparmorUnconfined {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        use super::common::child;
        super::common::each_pod(unit, |object, pod, pod_path| {
            if let Some(t) = unconfined(pod.path("securityContext.appArmorProfile")) {
                let path = child(pod_path, &["securityContext", "appArmorProfile", "type"]);
                let message = format!(
                    "{} `{}` runs its pods without AppArmor",
                    object.kind, object.name
                );
                out.push(unit.finding(&Self::META, object, None, &path, Some(t), message));
            }
            if let Some((annotations, path)) = object.pod_annotations() {
                for (k, v) in annotations.entries() {
                    let Some(container) = k.name.strip_prefix(ANNOTATION) else {
                        continue;
                    };
                    if v.as_str().is_some_and(|v| v.trim() == "unconfined") {
                        let path = child(&path, &[&k.name]);
                        let message = format!(
                            "container `{container}` runs without AppArmor (annotation `{}`)",
                            k.name
                        );
                        out.push(unit.finding(
                            &Self::META,
                            object,
                            Some(container),
                            &path,
                            Some(v),
                            message,
                        ));
                    }
                }
            }
        });
        super::common::each_container(unit, |object, c| {
            let (profile, path) = c.own_security("appArmorProfile");
            if let Some(t) = unconfined(profile) {
                let mut path = path;
                path.push(crate::lint::source::key("type"));
                let message = format!("container `{}` runs without AppArmor", c.name);
                super::common::report(unit, &Self::META, object, c, &path, Some(t), message, out);
            }
        });
    }
}

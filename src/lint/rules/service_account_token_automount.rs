use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Checks that pods set `automountServiceAccountToken: false`, or run as a ServiceAccount in the same input that
/// sets it to `false`.
///
/// ## Why is this bad?
/// Every pod gets a token for the Kubernetes API unless told otherwise. An application that never calls the API
/// only hands that token to whoever compromises it. Pods that do call the API should say so with a suppression and a
/// reason.
///
/// ## Example
/// ```yaml
/// spec:
///   serviceAccountName: api
///   containers: [{ name: api, image: api:1.0.0 }]
/// ```
///
/// Use instead:
/// ```yaml
/// spec:
///   serviceAccountName: api
///   automountServiceAccountToken: false
///   containers: [{ name: api, image: api:1.0.0 }]
/// ```
    pub struct ServiceAccountTokenAutomount {
        name: "service-account-token-automount",
        severity: Warning,
        profile: None,
        summary: "a pod that mounts a ServiceAccount token it may not need",
    }
}

impl Rule for ServiceAccountTokenAutomount {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        super::common::each_pod(unit, |object, pod, pod_path| {
            let node = pod.get("automountServiceAccountToken");
            if super::common::is_false(node) {
                return;
            }
            if node.is_none() {
                let account = pod
                    .get("serviceAccountName")
                    .or_else(|| pod.get("serviceAccount"))
                    .and_then(|n| n.as_str())
                    .unwrap_or("default");
                let account_off = unit.objects.iter().any(|o| {
                    o.kind == "ServiceAccount"
                        && o.name == account
                        && super::common::same_namespace(o, object)
                        && super::common::is_false(o.doc.get("automountServiceAccountToken"))
                });
                if account_off {
                    return;
                }
            }
            let path = super::common::child(pod_path, &["automountServiceAccountToken"]);
            let message = format!(
                "{} `{}` mounts a ServiceAccount token (set `automountServiceAccountToken: false`)",
                object.kind, object.name
            );
            out.push(unit.finding(&Self::META, object, None, &path, node, message));
        });
    }
}

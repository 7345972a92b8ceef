use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;
use crate::yaml::Node;

declare_rule! {
/// ## What it does
/// Flags a ClusterRoleBinding or RoleBinding whose `roleRef` is the ClusterRole `cluster-admin`, and any binding
/// with a subject in the group `system:masters` (which is cluster-admin by another name, and cannot be revoked by
/// RBAC).
///
/// ## Why is this bad?
/// cluster-admin can do anything: read every Secret, exec into every pod, create privileged pods on any node.
/// A chart that binds it to its service account hands the whole cluster to whoever compromises that one pod.
///
/// ## Example
/// ```yaml
/// kind: ClusterRoleBinding
/// roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }
/// subjects: [{ kind: ServiceAccount, name: operator, namespace: ops }]
/// ```
///
/// Use instead:
/// ```yaml
/// kind: RoleBinding
/// roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: operator }   # only the verbs it needs
/// subjects: [{ kind: ServiceAccount, name: operator, namespace: ops }]
/// ```
    pub struct ClusterAdminBinding {
        name: "cluster-admin-binding",
        severity: Error,
        profile: None,
        summary: "a binding granting cluster-admin",
    }
}

impl Rule for ClusterAdminBinding {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        use crate::lint::source::{Seg, key};
        for b in unit
            .objects
            .iter()
            .filter(|o| o.kind == "ClusterRoleBinding" || o.kind == "RoleBinding")
        {
            if let Some(role) = b.doc.path("roleRef") {
                let kind = role.get("kind").and_then(Node::as_str);
                let name = role.get("name").and_then(Node::scalar_text);
                if kind == Some("ClusterRole") && name.as_deref() == Some("cluster-admin") {
                    let message = format!("{} `{}` grants cluster-admin", b.kind, b.name);
                    let path = [key("roleRef"), key("name")];
                    out.push(unit.finding(&Self::META, b, None, &path, role.get("name"), message));
                }
            }
            let subjects = b.doc.get("subjects").map(Node::as_seq).unwrap_or_default();
            for (i, s) in subjects.iter().enumerate() {
                let group = s.get("kind").and_then(Node::as_str) == Some("Group");
                if group
                    && s.get("name").and_then(Node::scalar_text).as_deref()
                        == Some("system:masters")
                {
                    let message = format!(
                        "{} `{}` binds the group system:masters, which is cluster-admin",
                        b.kind, b.name
                    );
                    let path = [key("subjects"), Seg::Index(i), key("name")];
                    out.push(unit.finding(&Self::META, b, None, &path, s.get("name"), message));
                }
            }
        }
    }
}

use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Flags Role and ClusterRole rules that allow `get`, `list` or `watch` (or `*`) on `secrets` (or on every resource)
/// in the core API group.
///
/// ## Why is this bad?
/// Reading Secrets is reading every password, token and key in the namespace: `list` alone returns their values.
/// An AI-ops agent or CI job given this can leak DATABASE_URL or API keys into a prompt or a log. Grant it only to the
/// one component that truly needs it, by `resourceNames`.
///
/// ## Example
/// ```yaml
/// rules:
///   - apiGroups: [""]
///     resources: [pods, secrets]
///     verbs: [get, list]
/// ```
///
/// Use instead:
/// ```yaml
/// rules:
///   - apiGroups: [""]
///     resources: [pods, pods/log, events]
///     verbs: [get, list, watch]
/// ```
    pub struct RbacSecretAccess {
        name: "rbac-secret-access",
        severity: Error,
        profile: None,
        summary: "a Role that can read Secrets",
    }
}

impl Rule for RbacSecretAccess {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        use super::common::strings;
        for (role, i, rule) in super::common::role_rules(unit) {
            let groups = strings(rule.get("apiGroups"));
            let resources = strings(rule.get("resources"));
            let verbs = strings(rule.get("verbs"));
            let core = groups.iter().any(|g| g.is_empty() || g == "*");
            let secrets = resources.iter().any(|r| r == "secrets" || r == "*");
            let reads = verbs
                .iter()
                .any(|v| matches!(v.as_str(), "get" | "list" | "watch" | "*"));
            if core && secrets && reads {
                let path = super::common::role_rule_field(i, "resources");
                let message = format!(
                    "{} `{}` can read Secrets ({} on {})",
                    role.kind,
                    role.name,
                    verbs.join(", "),
                    resources.join(", ")
                );
                out.push(unit.finding(
                    &Self::META,
                    role,
                    None,
                    &path,
                    rule.get("resources"),
                    message,
                ));
            }
        }
    }
}

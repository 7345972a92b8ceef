use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Flags Role and ClusterRole rules in the core API group that allow `create` or `get` (or `*`) on `pods/exec` or
/// `pods/attach` (or on `pods/*` or every resource).
///
/// ## Why is this bad?
/// Exec is a shell in every pod the role reaches: it reads the pods' mounted Secrets and environment, and runs
/// anything with their service accounts. An agent or CI job that only needs logs should never hold it.
///
/// ## Example
/// ```yaml
/// rules:
///   - apiGroups: [""]
///     resources: [pods, pods/exec]
///     verbs: [get, list, create]
/// ```
///
/// Use instead:
/// ```yaml
/// rules:
///   - apiGroups: [""]
///     resources: [pods, pods/log]
///     verbs: [get, list]
/// ```
    pub struct RbacPodExec {
        name: "rbac-pod-exec",
        severity: Error,
        profile: None,
        summary: "a Role that can exec or attach into pods",
    }
}

impl Rule for RbacPodExec {
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
            let exec: Vec<&str> = resources
                .iter()
                .map(String::as_str)
                .filter(|r| matches!(*r, "pods/exec" | "pods/attach" | "pods/*" | "*"))
                .collect();
            let allows = verbs
                .iter()
                .any(|v| matches!(v.as_str(), "create" | "get" | "*"));
            if core && !exec.is_empty() && allows {
                let path = super::common::role_rule_field(i, "resources");
                let message = format!(
                    "{} `{}` can exec or attach into pods ({} on {})",
                    role.kind,
                    role.name,
                    verbs.join(", "),
                    exec.join(", ")
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

use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Flags Role and ClusterRole rules that use `*` in `apiGroups`, `resources` or `verbs`.
///
/// ## Why is this bad?
/// A wildcard grants today's permissions and every permission added later: new resources, new subresources, new
/// verbs such as `escalate` or `impersonate`. Least privilege means listing what is needed.
///
/// ## Example
/// ```yaml
/// rules:
///   - apiGroups: ["apps"]
///     resources: ["*"]
///     verbs: ["*"]
/// ```
///
/// Use instead:
/// ```yaml
/// rules:
///   - apiGroups: ["apps"]
///     resources: [deployments, deployments/scale]
///     verbs: [get, list, watch, patch]
/// ```
    pub struct RbacWildcard {
        name: "rbac-wildcard",
        severity: Error,
        profile: None,
        summary: "a Role rule with `*` in apiGroups, resources or verbs",
    }
}

impl Rule for RbacWildcard {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        for (role, i, rule) in super::common::role_rules(unit) {
            for field in ["apiGroups", "resources", "verbs"] {
                let Some(node) = rule.get(field) else {
                    continue;
                };
                if super::common::strings(Some(node)).iter().any(|v| v == "*") {
                    let path = super::common::role_rule_field(i, field);
                    let message = format!("{} `{}` grants `*` in {field}", role.kind, role.name);
                    out.push(unit.finding(&Self::META, role, None, &path, Some(node), message));
                }
            }
        }
    }
}

use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Flags a container whose `env` list names the same variable twice.
///
/// ## Why is this bad?
/// The last definition silently wins. A copy-pasted `DATABASE_URL` pointing at staging below the production one
/// ships without a warning, and `kubectl apply` with server-side apply rejects the duplicate.
///
/// ## Example
/// ```yaml
/// env:
///   - { name: LOG_LEVEL, value: info }
///   - { name: LOG_LEVEL, value: debug }
/// ```
///
/// Use instead:
/// ```yaml
/// env:
///   - { name: LOG_LEVEL, value: info }
/// ```
    pub struct DuplicateEnvVar {
        name: "duplicate-env-var",
        severity: Error,
        profile: None,
        summary: "an env var defined twice in one container",
    }
}

impl Rule for DuplicateEnvVar {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        super::common::each_container(unit, |object, c| {
            let mut seen = std::collections::BTreeMap::new();
            for (path, name_node, name) in c.named_items("env") {
                if seen.insert(name.clone(), ()).is_some() {
                    let message = format!(
                        "container `{}` defines `{name}` twice; the last one wins",
                        c.name
                    );
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

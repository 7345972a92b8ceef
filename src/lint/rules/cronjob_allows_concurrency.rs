use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;
use crate::yaml::Node;

declare_rule! {
/// ## What it does
/// Flags a CronJob whose `spec.concurrencyPolicy` is `Allow`, or missing (which means `Allow`).
///
/// ## Why is this bad?
/// When a run takes longer than the interval, the next one starts beside it: two backups write the same file, two
/// migrations race, and a slow dependency turns into a pile-up of pods. Say `Forbid` (skip the new run) or
/// `Replace` (stop the old one), or `Allow` on purpose with a suppression that says why.
///
/// ## Example
/// ```yaml
/// kind: CronJob
/// spec:
///   schedule: "0 * * * *"
/// ```
///
/// Use instead:
/// ```yaml
/// kind: CronJob
/// spec:
///   schedule: "0 * * * *"
///   concurrencyPolicy: Forbid
/// ```
    pub struct CronjobAllowsConcurrency {
        name: "cronjob-allows-concurrency",
        severity: Warning,
        profile: None,
        summary: "a CronJob whose runs may overlap",
    }
}

impl Rule for CronjobAllowsConcurrency {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        for cron in unit.objects.iter().filter(|o| o.kind == "CronJob") {
            let policy = cron.doc.path("spec.concurrencyPolicy");
            let value = policy.and_then(Node::as_str).unwrap_or("Allow");
            if value == "Allow" {
                let how = if policy.is_some() {
                    "sets"
                } else {
                    "defaults to"
                };
                let message = format!(
                    "CronJob `{}` {how} `concurrencyPolicy: Allow`: a slow run overlaps the next",
                    cron.name
                );
                let path = super::common::path_of(&["spec", "concurrencyPolicy"]);
                out.push(unit.finding(&Self::META, cron, None, &path, policy, message));
            }
        }
    }
}

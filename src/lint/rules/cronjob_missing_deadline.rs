use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Flags a CronJob without `spec.startingDeadlineSeconds`.
///
/// ## Why is this bad?
/// Without a deadline, a run that could not start on time (controller down, cluster full, a long suspension)
/// starts whenever it can, however late; and once more than 100 schedules were missed the controller stops
/// scheduling the CronJob altogether ("too many missed start times") until someone notices.
///
/// ## Example
/// ```yaml
/// kind: CronJob
/// spec:
///   schedule: "*/5 * * * *"
/// ```
///
/// Use instead:
/// ```yaml
/// kind: CronJob
/// spec:
///   schedule: "*/5 * * * *"
///   startingDeadlineSeconds: 120
/// ```
    pub struct CronjobMissingDeadline {
        name: "cronjob-missing-deadline",
        severity: Warning,
        profile: None,
        summary: "a CronJob without startingDeadlineSeconds",
    }
}

impl Rule for CronjobMissingDeadline {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        for cron in unit.objects.iter().filter(|o| o.kind == "CronJob") {
            let deadline = cron.doc.path("spec.startingDeadlineSeconds");
            if deadline.is_none_or(|d| super::common::int(Some(d)).is_none()) {
                let message = format!("CronJob `{}` sets no startingDeadlineSeconds", cron.name);
                let path = super::common::path_of(&["spec", "startingDeadlineSeconds"]);
                out.push(unit.finding(&Self::META, cron, None, &path, deadline, message));
            }
        }
    }
}

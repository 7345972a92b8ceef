use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

/// Annotations that make a hook's tool delete the Job (Helm, Argo CD).
const DELETE_POLICIES: &[&str] = &[
    "helm.sh/hook-delete-policy",
    "argocd.argoproj.io/hook-delete-policy",
];

declare_rule! {
/// ## What it does
/// Flags a Job without `spec.ttlSecondsAfterFinished`. Hooks whose tool deletes them (a `helm.sh/hook-delete-policy`
/// or `argocd.argoproj.io/hook-delete-policy` annotation) are exempt, as are the Jobs a CronJob creates (its
/// history limits clean those up).
///
/// ## Why is this bad?
/// A finished Job and its pods stay in the cluster forever: they clutter `kubectl get pods`, hold their logs and
/// IP reservations, and a later `helm upgrade` that changes the Job fails because its template is immutable.
///
/// ## Example
/// ```yaml
/// kind: Job
/// metadata: { name: migrate }
/// spec:
///   template: { ... }
/// ```
///
/// Use instead:
/// ```yaml
/// kind: Job
/// metadata: { name: migrate }
/// spec:
///   ttlSecondsAfterFinished: 86400
///   template: { ... }
/// ```
    pub struct JobMissingTtl {
        name: "job-missing-ttl",
        severity: Warning,
        profile: None,
        summary: "a Job that is never cleaned up",
    }
}

impl Rule for JobMissingTtl {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        for job in unit.objects.iter().filter(|o| o.kind == "Job") {
            if DELETE_POLICIES.iter().any(|a| job.annotation(a).is_some()) {
                continue;
            }
            let ttl = job.doc.path("spec.ttlSecondsAfterFinished");
            if ttl.is_none_or(|t| super::common::int(Some(t)).is_none()) {
                let message = format!(
                    "Job `{}` sets no ttlSecondsAfterFinished: it and its pods stay after it finishes",
                    job.name
                );
                let path = super::common::path_of(&["spec", "ttlSecondsAfterFinished"]);
                out.push(unit.finding(&Self::META, job, None, &path, ttl, message));
            }
        }
    }
}

use crate::lint::source::key;
use crate::lint::suppress::Suppression;

/// What is wrong with a suppression, in words.
pub fn problems(s: &Suppression) -> Vec<String> {
    let mut out = Vec::new();
    if s.rules.is_empty() {
        out.push(format!("`{}` names no rule", s.annotation));
    }
    for rule in &s.rules {
        if rule != "all" && super::find(rule).is_none() {
            let names = super::RULES.iter().map(|r| r.meta().name);
            let hint = crate::diagnostic::did_you_mean(rule, names)
                .map(|n| format!("; did you mean `{n}`?"))
                .unwrap_or_default();
            out.push(format!(
                "`{}` names the unknown rule `{rule}`{hint}",
                s.annotation
            ));
        }
    }
    if s.reason.is_none() {
        out.push(format!(
            "`{}` gives no reason; write it as \"{} -- why\"",
            s.annotation,
            s.rules.join(",")
        ));
    }
    out
}

use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Checks every `chartgen.dev/ignore` and `chartgen.dev/ignore.<container>` annotation: it must name known rules and
/// give a reason after ` -- `. A `.chartgen.yaml` setting that turns off or lowers a rule without a reason is
/// refused as a bad config (exit 2).
///
/// ## Why is this bad?
/// A suppression without a reason cannot be reviewed: a year later nobody knows whether the vendor image still needs
/// root or whether the exception was a shortcut. A misspelt rule name suppresses nothing and hides that it does
/// nothing.
///
/// ## Example
/// ```yaml
/// metadata:
///   annotations:
///     chartgen.dev/ignore: runs-as-root
/// ```
///
/// Use instead:
/// ```yaml
/// metadata:
///   annotations:
///     chartgen.dev/ignore: "runs-as-root -- the vendor's image must start as root to bind port 80 (ticket OPS-12)"
/// ```
    pub struct SuppressionWithoutReason {
        name: "suppression-without-reason",
        severity: Error,
        profile: None,
        summary: "a suppression that gives no reason or names no known rule",
    }
}

impl Rule for SuppressionWithoutReason {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        for object in &unit.objects {
            let mut places = vec![vec![key("metadata"), key("annotations")]];
            if let Some((_, pod_path)) = object.pod_spec() {
                let mut template_meta = pod_path[..pod_path.len() - 1].to_vec();
                template_meta.extend([key("metadata"), key("annotations")]);
                if object.kind != "Pod" {
                    places.push(template_meta);
                }
            }
            for place in places {
                let Some(annotations) = object.doc.at(&place) else {
                    continue;
                };
                for (k, v) in annotations.entries() {
                    if !k.name.starts_with(crate::lint::suppress::ANNOTATION) {
                        continue;
                    }
                    let suppression = crate::lint::suppress::parse_annotation(
                        &k.name,
                        v.as_str().unwrap_or_default(),
                    );
                    let mut at = place.clone();
                    at.push(key(&k.name));
                    for problem in problems(&suppression) {
                        out.push(unit.finding(&Self::META, object, None, &at, Some(v), problem));
                    }
                }
            }
        }
    }
}

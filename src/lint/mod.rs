//! `chartgen lint`: a policy linter for chartgen specs, Helm charts and plain Kubernetes manifests.
//!
//! The pipeline: resolve inputs (files, folders, charts, stdin) → parse in parallel into units (one per chart
//! render, one for all plain manifests, one for specs) → run every enabled rule on every unit → apply
//! suppressions (annotations with reasons, `.chartgen.yaml`, `--select`/`--ignore`) → sort and deduplicate.
//! Rendering charts with helm is the only subprocess.

pub mod config;
pub mod finding;
pub mod input;
pub mod object;
pub mod output;
pub mod rules;
pub mod source;
pub mod suppress;

use finding::{Finding, Severity};
use input::{HelmOptions, InputError};
use object::Unit;
use rayon::prelude::*;
use rules::{CheckContext, Profile, RULES};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct LintOptions {
    pub profile: Option<Profile>,
    /// `--kube-version`: the Kubernetes version `deprecated-api-version` checks against.
    pub kube_version: Option<rules::KubeVersion>,
    pub helm: HelmOptions,
    /// Only these rules (empty: all).
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub config: Option<config::LoadedConfig>,
    /// Stop after parsing (the benchmark's floor).
    pub parse_only: bool,
    /// The largest input read (each file, stdin, each helm output).
    pub max_input_bytes: u64,
}

/// The result of a run: findings, the files they point into, and what could not be linted.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub sources: Vec<source::SourceFile>,
    pub errors: Vec<InputError>,
    pub files: usize,
    pub objects: usize,
    /// Every secret value found, whether or not its findings are reported, so that outputs can mask them.
    pub secrets: Vec<String>,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    pub fn source_text(&self, path: &str) -> Option<Arc<str>> {
        self.sources
            .iter()
            .find(|s| s.path == path)
            .map(|s| s.text.clone())
    }
}

/// Fatal problems: the run cannot produce a meaningful report.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LintError {
    #[error("{0}")]
    Input(#[from] InputError),
    #[error("{0}")]
    Config(#[from] crate::spec::FileErrors),
    #[error("unknown rule `{name}` in {flag}{hint}; `chartgen rules` lists them")]
    UnknownRule {
        name: String,
        flag: &'static str,
        hint: String,
    },
    #[error("nothing to lint: {0}")]
    NoInput(String),
}

/// The rule whose findings carry the secret values that every output masks.
const SECRET_RULE: &str = "plaintext-secret";

/// One linted unit: its findings, its files (for snippets), its object count and its input errors.
type UnitResult = (
    Vec<Finding>,
    Vec<source::SourceFile>,
    usize,
    Vec<InputError>,
);

/// Runs rules on one unit, in parallel, and drops what its annotations suppress (with a reason).
/// Every secret value the findings report, longest first (so a secret that contains another is masked whole).
pub(crate) fn secret_values(findings: &[Finding]) -> Vec<String> {
    let mut secrets: Vec<String> = findings
        .iter()
        .filter_map(|f| f.diagnostic.secret.clone())
        .filter(|s| !s.is_empty())
        .collect();
    secrets.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    secrets.dedup();
    secrets
}

pub fn check_unit(unit: &Unit, rules: &[&dyn rules::Rule], ctx: &CheckContext) -> Vec<Finding> {
    let mut findings: Vec<Finding> = rules
        .par_iter()
        .flat_map_iter(|rule| {
            let mut out = Vec::new();
            rule.check(unit, ctx, &mut out);
            out
        })
        .collect();
    let suppressible = SuppressionIndex::new(unit);
    findings.retain(|f| !suppressible.suppresses(f));
    findings
}

/// Lints the given paths (and stdin's text, for `-`).
pub fn lint(
    paths: &[PathBuf],
    stdin: Option<String>,
    opts: &LintOptions,
) -> Result<Report, LintError> {
    for (flag, names) in [("--select", &opts.select), ("--ignore", &opts.ignore)] {
        for name in names {
            if rules::find(name).is_none() {
                let hint =
                    crate::diagnostic::did_you_mean(name, RULES.iter().map(|r| r.meta().name))
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default();
                return Err(LintError::UnknownRule {
                    name: name.clone(),
                    flag,
                    hint,
                });
            }
        }
    }
    if let Some(name) = &opts.helm.release_name
        && !input::is_release_name(name)
    {
        return Err(InputError::BadReleaseName { name: name.clone() }.into());
    }
    let mut errors = Vec::new();
    let had_stdin = stdin.is_some();
    let excluded = |path: &Path, is_dir: bool| {
        opts.config
            .as_ref()
            .is_some_and(|c| c.excludes(path, is_dir))
    };
    let inputs = input::collect(paths, stdin, opts.max_input_bytes, &excluded, &mut errors);
    let nothing_found = inputs.manifests.is_empty()
        && inputs.specs.is_empty()
        && inputs.charts.is_empty()
        && errors.is_empty();
    if nothing_found && inputs.excluded > 0 {
        // Everything given is ignored on purpose (pre-commit passing only ignored files): a clean run.
        return Ok(Report::default());
    }
    if nothing_found {
        let what = if had_stdin {
            "stdin was empty".to_string()
        } else {
            "no YAML files, charts or specs found in the given paths".to_string()
        };
        return Err(LintError::NoInput(what));
    }

    let profile = opts
        .profile
        .or_else(|| opts.config.as_ref().and_then(|c| c.profile()))
        .unwrap_or(Profile::Restricted);
    let ctx = CheckContext {
        profile,
        kube_version: opts.kube_version,
    };
    let enabled: Vec<&dyn rules::Rule> = RULES
        .iter()
        .copied()
        .filter(|r| r.meta().applies_to(profile))
        .filter(|r| opts.select.is_empty() || opts.select.iter().any(|s| s == r.meta().name))
        .filter(|r| !opts.ignore.iter().any(|s| s == r.meta().name))
        .collect();
    // The secret scan always runs, whatever is selected: what it finds is masked in every output (snippets of
    // other findings, helm's error messages), and reported only when the rule is enabled.
    let secret_rule = SECRET_RULE;
    let secret_enabled = enabled.iter().any(|r| r.meta().name == secret_rule);
    let mut checked = enabled.clone();
    if !secret_enabled && let Some(rule) = rules::find(secret_rule) {
        checked.push(rule);
    }
    let check = |unit: &Unit| -> Vec<Finding> {
        if opts.parse_only {
            return Vec::new();
        }
        check_unit(unit, &checked, &ctx)
    };

    let mut findings: Vec<Finding> = Vec::new();
    let mut sources: Vec<source::SourceFile> = Vec::new();
    let add_sources = |sources: &mut Vec<source::SourceFile>, new: Vec<source::SourceFile>| {
        for s in new {
            if !sources.iter().any(|x| x.path == s.path) {
                sources.push(s);
            }
        }
    };
    let mut objects = 0;
    let file_count = inputs.manifests.len() + inputs.specs.len();
    // Each plain file is its own unit: references (a Service's selector, an Ingress backend) resolve within the
    // file, never across unrelated files of a folder.
    let manifest_units: Vec<UnitResult> = inputs
        .manifests
        .into_par_iter()
        .map(|file| {
            let mut errs = Vec::new();
            let unit = input::manifest_unit(vec![file], &mut errs);
            (check(&unit), unit.sources, unit.objects.len(), errs)
        })
        .collect();
    for (f, s, n, errs) in manifest_units {
        findings.extend(f);
        add_sources(&mut sources, s);
        objects += n;
        errors.extend(errs);
    }
    if !inputs.specs.is_empty() {
        let unit = input::spec_unit(inputs.specs);
        findings.extend(check(&unit));
        add_sources(&mut sources, unit.sources);
    }
    // Charts render in parallel, and each render is checked as it arrives; a missing helm is fatal (the user
    // asked for a chart to be linted).
    let rendered: Vec<(Result<input::ChartOutcome, InputError>, Vec<InputError>)> = inputs
        .charts
        .par_iter()
        .map(|dir| {
            let mut errs = Vec::new();
            let result =
                input::lint_chart(dir, &opts.helm, opts.max_input_bytes, &check, &mut errs);
            (result, errs)
        })
        .collect();
    let chart_count = inputs.charts.len();
    for (result, errs) in rendered {
        errors.extend(errs);
        match result {
            Ok(outcome) => {
                findings.extend(outcome.findings);
                add_sources(&mut sources, outcome.sources);
                objects += outcome.objects;
            }
            Err(e @ InputError::HelmMissing { .. }) => return Err(e.into()),
            Err(e) => errors.push(e),
        }
    }
    let secrets = secret_values(&findings);
    for e in &mut errors {
        e.scrub(&secrets);
    }
    // A strong secret (a token, a key) used as a name is masked there too, in every format; a short human-chosen
    // one is a word of names as often as not, and is masked only as a value.
    let strong: Vec<&str> = secrets
        .iter()
        .map(String::as_str)
        .filter(|s| !output::is_weak_secret(s))
        .collect();
    if !strong.is_empty() {
        let strong = output::SecretIndex::new(&strong);
        for f in &mut findings {
            if let Some(o) = &mut f.object {
                o.name = strong.scrub(&o.name);
                if let Some(ns) = &mut o.namespace {
                    *ns = strong.scrub(ns);
                }
            }
            if let Some(c) = &mut f.container {
                *c = strong.scrub(c);
            }
        }
    }
    if !secret_enabled {
        findings.retain(|f| f.rule != secret_rule);
    }
    if opts.parse_only {
        return Ok(Report {
            errors,
            files: file_count,
            objects,
            secrets,
            ..Report::default()
        });
    }

    if let Some(cfg) = &opts.config {
        findings = findings
            .into_iter()
            .filter_map(|mut f| {
                if cfg.ignores(f.rule, &f.file) {
                    return None;
                }
                f.severity = cfg.level(f.rule, f.severity)?;
                Some(f)
            })
            .collect();
    }

    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    merge_duplicates(&mut findings);
    let files = file_count + chart_count;
    Ok(Report {
        findings,
        sources,
        errors,
        files,
        objects,
        secrets,
    })
}

/// Findings are merged only when they are the same problem: same rule, object, container and key path at the same place
/// (a chart rendered with several values files gives each problem once per render). A values.yaml default
/// reported by the static chart check (no object) is merged into a rendered finding at the same line.
fn merge_duplicates(findings: &mut Vec<Finding>) {
    let mut seen = std::collections::HashSet::new();
    let with_object: std::collections::HashSet<(&'static str, String, u32)> = findings
        .iter()
        .filter(|f| f.object.is_some())
        .map(|f| (f.rule, f.file.clone(), f.line()))
        .collect();
    findings.retain(|f| {
        if f.object.is_none() && with_object.contains(&(f.rule, f.file.clone(), f.line())) {
            return false;
        }
        seen.insert((
            f.rule,
            f.file.clone(),
            f.line(),
            f.column(),
            f.object.clone(),
            f.container.clone(),
            // Two problems of one container mapped onto one template line (two volume mounts a values key
            // pastes) are two findings. (One problem in several renders of a chart is merged by `lint_chart`,
            // which knows the findings are of one chart.)
            f.place.clone(),
        ))
    });
}

/// The objects of a unit that carry `chartgen.dev/ignore` annotations, by identity, so that filtering findings
/// costs a hash lookup rather than a scan of every object (the benchmark's 10,000 objects made that quadratic).
struct SuppressionIndex<'u> {
    by_object:
        std::collections::HashMap<(&'u str, &'u str, Option<&'u str>), Vec<&'u object::Object>>,
}

impl<'u> SuppressionIndex<'u> {
    fn new(unit: &'u Unit) -> Self {
        let mut by_object: std::collections::HashMap<_, Vec<_>> = std::collections::HashMap::new();
        for o in &unit.objects {
            if o.has_suppressions() {
                by_object
                    .entry((o.kind.as_str(), o.name.as_str(), o.namespace.as_deref()))
                    .or_default()
                    .push(o);
            }
        }
        SuppressionIndex { by_object }
    }

    /// Annotation suppressions with a reason silence their rules; without a reason they do not (and are
    /// findings of `suppression-without-reason`, which is never suppressed).
    fn suppresses(&self, f: &Finding) -> bool {
        if self.by_object.is_empty() || f.rule == rules::SuppressionWithoutReason::META.name {
            return false;
        }
        let Some(r) = &f.object else { return false };
        let Some(objects) =
            self.by_object
                .get(&(r.kind.as_str(), r.name.as_str(), r.namespace.as_deref()))
        else {
            return false;
        };
        objects.iter().any(|o| {
            o.suppressed(f.container.as_deref())
                .iter()
                .any(|s| s.reason.is_some() && s.covers(f.rule))
        })
    }
}

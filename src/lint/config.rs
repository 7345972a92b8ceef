//! `.chartgen.yaml`: which rules run, at what severity, and which paths are ignored, each with a reason.
//! Found upward from the linted path; validated against `schemas/chartgen-config.schema.json`.

use super::finding::Severity;
use super::rules::Profile;
use crate::diagnostic::{Diagnostic, FileErrors, did_you_mean};
use crate::yaml::{self, Node};
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub const FILE_NAME: &str = ".chartgen.yaml";

/// chartgen lint configuration.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "chartgen lint configuration (.chartgen.yaml)")]
pub struct Config {
    /// The Pod Security Standards profile: `restricted` (default) or `baseline`. `--profile` overrides it.
    #[serde(default)]
    pub profile: Option<ConfigProfile>,
    /// Per-rule settings, by rule name.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleSetting>,
    /// Paths whose findings are ignored.
    #[serde(default)]
    pub ignore: Vec<IgnoreEntry>,
    /// Seconds one `helm template` run may take before it is stopped (default 60). `--helm-timeout` overrides it.
    #[serde(default)]
    #[schemars(range(min = 1, max = 86400))]
    pub helm_timeout: Option<u64>,
    /// The largest input chartgen reads, in MiB: each file, stdin, each helm output (default 64).
    /// `--max-input-size` overrides it.
    #[serde(default)]
    #[schemars(range(min = 1, max = 65536))]
    pub max_input_size: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ConfigProfile {
    Baseline,
    Restricted,
}

/// A rule's level, and why it differs from the default.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RuleSetting {
    /// `off`, `info`, `warning` or `error`.
    pub level: Level,
    /// Why. Required to turn a rule off or lower its severity.
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Info,
    Warning,
    Error,
}

/// Findings in matching files are ignored.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IgnoreEntry {
    /// Glob patterns relative to the config file's folder (`*`, `**`, `?`), e.g. `legacy/**`.
    pub paths: Vec<String>,
    /// Rules to ignore there (default: all).
    #[serde(default)]
    pub rules: Vec<String>,
    /// Why these paths are exempt.
    pub reason: String,
}

/// A loaded config and where it came from.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    pub path: PathBuf,
    pub text: String,
    pub doc: Node,
    pub config: Config,
}

impl LoadedConfig {
    pub fn profile(&self) -> Option<Profile> {
        self.config.profile.map(|p| match p {
            ConfigProfile::Baseline => Profile::Baseline,
            ConfigProfile::Restricted => Profile::Restricted,
        })
    }

    /// `None` when the rule is off; otherwise its severity. A setting that lowers a rule or turns it off
    /// without a reason has no effect (like an annotation without one): it is a finding of
    /// `suppression-without-reason` instead.
    pub fn level(&self, rule: &str, default: Severity) -> Option<Severity> {
        let Some(setting) = self.config.rules.get(rule) else {
            return Some(default);
        };
        let level = match setting.level {
            Level::Off => None,
            Level::Info => Some(Severity::Info),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        };
        let lowers = level.is_none_or(|l| l < default);
        if lowers && !has_reason(setting.reason.as_deref()) {
            return Some(default);
        }
        level
    }

    pub fn ignores(&self, rule: &str, file: &str) -> bool {
        let rel = self.relative(Path::new(file));
        self.explained_ignores().any(|entry| {
            (entry.rules.is_empty() || entry.rules.iter().any(|r| r == rule || r == "all"))
                && entry
                    .paths
                    .iter()
                    .any(|p| glob_match(p.trim_start_matches("./"), &rel))
        })
    }

    /// Whether an ignore entry for every rule covers `path`, so it is not read at all: deliberately broken
    /// inputs (binary files, alias bombs, test fixtures) can sit in a linted repository without making every
    /// run exit 2. A folder is covered when its contents are (`tests/fixtures/**` covers `tests/fixtures`).
    pub fn excludes(&self, path: &Path, is_dir: bool) -> bool {
        let mut rel = self.relative(path);
        if is_dir {
            rel.push('/');
        }
        self.explained_ignores()
            .filter(|entry| entry.rules.is_empty() || entry.rules.iter().any(|r| r == "all"))
            .any(|entry| {
                entry
                    .paths
                    .iter()
                    .any(|p| glob_match(p.trim_start_matches("./"), &rel))
            })
    }

    /// Ignore entries with a reason; one without is a config error, and never ignores anything.
    fn explained_ignores(&self) -> impl Iterator<Item = &IgnoreEntry> {
        self.config
            .ignore
            .iter()
            .filter(|e| has_reason(Some(&e.reason)))
    }

    /// `path` relative to the config file's folder, with `/` separators and no leading `./`.
    fn relative(&self, path: &Path) -> String {
        let base = folder_of(&self.path);
        let base = std::path::absolute(base).unwrap_or_else(|_| base.to_path_buf());
        let file_path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let rel = file_path.strip_prefix(&base).unwrap_or(&file_path);
        let rel = rel.to_string_lossy().replace('\\', "/");
        rel.trim_start_matches("./").to_string()
    }
}

/// The folder holding a file; `.` for a bare name such as `app.yaml` (whose parent is the empty path).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// A reason says something: not missing, not blank.
fn has_reason(reason: Option<&str>) -> bool {
    reason.is_some_and(|r| !r.trim().is_empty())
}

pub fn schema() -> &'static serde_json::Value {
    static SCHEMA: OnceLock<serde_json::Value> = OnceLock::new();
    SCHEMA.get_or_init(|| serde_json::to_value(schemars::schema_for!(Config)).unwrap_or_default())
}

pub fn schema_json() -> String {
    let mut text = serde_json::to_string_pretty(schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// The nearest `.chartgen.yaml` at or above `start`, shown relative to the working folder when inside it.
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = if start.is_file() {
        folder_of(start).to_path_buf()
    } else {
        start.to_path_buf()
    };
    let absolute = std::path::absolute(&start).ok()?;
    let found = absolute
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())?;
    let cwd = std::env::current_dir().ok();
    Some(
        cwd.and_then(|c| found.strip_prefix(&c).ok().map(Path::to_path_buf))
            .unwrap_or(found),
    )
}

/// Loads and validates a config file; every problem is reported with its line.
pub fn load(path: &Path) -> Result<LoadedConfig, FileErrors> {
    let fail = |d: Diagnostic| FileErrors::new(path, vec![d]);
    let text = std::fs::read_to_string(path)
        .map_err(|e| fail(Diagnostic::new("", format!("cannot read it: {e}"))))?;
    let doc = match yaml::parse_document(&text) {
        Ok(doc) => doc,
        // Nothing but comments: no settings.
        Err(e) if e.pos.is_none() && e.message.contains("empty") => {
            yaml::parse_document("{}").map_err(|e| fail(Diagnostic::new("", e.to_string())))?
        }
        Err(e) => return Err(fail(Diagnostic::from(&e)).with_source(&text)),
    };
    let json = doc.to_json();
    let mut diags = match jsonschema::options()
        .should_validate_formats(false)
        .build(schema())
    {
        Ok(validator) => {
            crate::spec::validate::schema_errors(&doc, &json, &validator, schema(), |_, _| false)
        }
        Err(e) => vec![Diagnostic::new(
            "",
            format!("internal error: config schema: {e}"),
        )],
    };
    // Rule names are checked on the raw document, so a misspelt rule is reported beside any other error.
    let names: Vec<&str> = super::rules::RULES.iter().map(|r| r.meta().name).collect();
    let mut unknown = |name: &str, at: Vec<String>| {
        if name != "all" && !names.contains(&name) {
            let mut d = Diagnostic::new(at.join("."), format!("unknown rule `{name}`"))
                .at(doc.locate_key(&at));
            d.help = Some(match did_you_mean(name, names.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? (`chartgen rules` lists them)"),
                None => "`chartgen rules` lists the rules".into(),
            });
            diags.push(d);
        }
    };
    if let Some(rules) = json.get("rules").and_then(|r| r.as_object()) {
        for rule in rules.keys() {
            unknown(rule, vec!["rules".into(), rule.clone()]);
        }
    }
    let entries = json
        .get("ignore")
        .and_then(|i| i.as_array())
        .into_iter()
        .flatten();
    for (i, entry) in entries.enumerate() {
        let rules = entry
            .get("rules")
            .and_then(|r| r.as_array())
            .into_iter()
            .flatten();
        for (j, rule) in rules.enumerate() {
            if let Some(rule) = rule.as_str() {
                unknown(
                    rule,
                    vec![
                        "ignore".into(),
                        i.to_string(),
                        "rules".into(),
                        j.to_string(),
                    ],
                );
            }
        }
    }
    if diags.is_empty() {
        diags = unexplained(&doc);
    }
    if !diags.is_empty() {
        return Err(FileErrors::new(path, diags).with_source(&text));
    }
    let config: Config =
        serde_json::from_value(json).map_err(|e| fail(Diagnostic::new("", e.to_string())))?;
    Ok(LoadedConfig {
        path: path.to_path_buf(),
        text,
        doc,
        config,
    })
}

/// Settings that need a reason and have none, or a blank one: a rule lowered below its default severity or
/// turned off, an ignore entry. Like a suppression annotation, they must say why; unlike one, a config file is
/// the run's own settings, so the run is refused (exit 2) rather than linted with a setting it cannot apply.
fn unexplained(doc: &Node) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let why = "say why in `reason:` (a sentence a reviewer can check), or remove the setting";
    let blank = |at: Vec<String>, what: &str| {
        Diagnostic::new(at.join("."), format!("{what} has a blank `reason`"))
            .at(doc.locate(&at))
            .help(why)
    };
    for (rule, setting) in doc.get("rules").map_or(&[][..], Node::entries) {
        let default = super::rules::find(&rule.name).map(|r| r.meta().severity);
        let level = setting.get("level").and_then(Node::as_str);
        let lowers = match (level, default) {
            (Some("off"), _) => true,
            (Some(level), Some(default)) => {
                let level = match level {
                    "info" => Severity::Info,
                    "warning" => Severity::Warning,
                    _ => Severity::Error,
                };
                level < default
            }
            _ => false,
        };
        let at = vec!["rules".to_string(), rule.name.clone()];
        match setting.get("reason") {
            Some(r) if !has_reason(r.as_str()) => {
                let mut at = at;
                at.push("reason".into());
                diags.push(blank(at, &format!("`rules.{}`", rule.name)));
            }
            None if lowers => diags.push(
                Diagnostic::new(
                    at.join("."),
                    format!(
                        "`level: {}` {} `{}` without a `reason`",
                        level.unwrap_or_default(),
                        if level == Some("off") {
                            "turns off"
                        } else {
                            "lowers"
                        },
                        rule.name
                    ),
                )
                .at(doc.locate_key(&at))
                .help(why),
            ),
            _ => {}
        }
    }
    for (i, entry) in doc
        .get("ignore")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        if let Some(r) = entry.get("reason")
            && !has_reason(r.as_str())
        {
            let at = vec!["ignore".to_string(), i.to_string(), "reason".to_string()];
            diags.push(blank(at, &format!("`ignore.{i}`")));
        }
    }
    diags
}

/// Glob matching for ignore paths: `**` spans folders (and `**/` may match nothing), `*` and `?` stay within
/// one. Patterns come from a repository's config, so matching is a table over (pattern, path) positions:
/// linear in their product, never exponential however many stars a pattern holds.
pub fn glob_match(pattern: &str, path: &str) -> bool {
    let (p, s) = (pattern.as_bytes(), path.as_bytes());
    if p.len() > 512 || s.len() > 4096 {
        return false;
    }
    let width = s.len() + 1;
    // matches[i * width + j]: does p[i..] match s[j..]? Filled from the ends backwards.
    let mut matches = vec![false; (p.len() + 1) * width];
    matches[p.len() * width + s.len()] = true;
    for i in (0..p.len()).rev() {
        for j in (0..=s.len()).rev() {
            let next = |i: usize, j: usize| matches[i * width + j];
            let here = match p[i] {
                b'*' if p.get(i + 1) == Some(&b'*') => {
                    let rest = if p.get(i + 2) == Some(&b'/') {
                        i + 3
                    } else {
                        i + 2
                    };
                    next(rest, j) || (j < s.len() && next(i, j + 1))
                }
                b'*' => next(i + 1, j) || (j < s.len() && s[j] != b'/' && next(i, j + 1)),
                b'?' => j < s.len() && s[j] != b'/' && next(i + 1, j + 1),
                c => j < s.len() && s[j] == c && next(i + 1, j + 1),
            };
            matches[i * width + j] = here;
        }
    }
    matches[0]
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn globs() {
        assert!(glob_match("legacy/**", "legacy/a/b.yaml"));
        assert!(glob_match("**/*.yaml", "a/b/c.yaml"));
        assert!(glob_match("*.yaml", "c.yaml"));
        assert!(!glob_match("*.yaml", "a/c.yaml"));
        assert!(glob_match("a/?.yaml", "a/b.yaml"));
        assert!(!glob_match("legacy/**", "other/a.yaml"));
        assert!(glob_match("legacy/**/x.yaml", "legacy/x.yaml"));
        assert!(glob_match("tests/fixtures/**", "tests/fixtures/"));
        assert!(!glob_match("a/*", "a/b/c"));
    }

    #[test]
    fn hostile_globs_stay_fast() {
        let pattern = "**a".repeat(150) + "b";
        let path = "a/".repeat(2000);
        assert!(!glob_match(&pattern, &path));
        assert!(glob_match(&"*a".repeat(250), &"a".repeat(4000)));
    }
}

//! Finding and loading what to lint: plain manifests, Helm chart folders (rendered by the real helm binary),
//! chartgen specs, and stdin, in any mix.

use super::object::{ChartInfo, Object, Unit};
use super::source::{Origin, Outline, SourceFile};
use crate::yaml::{self, Node};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

/// How to render charts.
#[derive(Debug, Clone, Default)]
pub struct HelmOptions {
    pub values: Vec<PathBuf>,
    pub set: Vec<String>,
    pub release_name: Option<String>,
    pub namespace: Option<String>,
    /// Static chart checks only; never run helm.
    pub no_render: bool,
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    #[error("{path}: {message}")]
    Unreadable { path: String, message: String },
    #[error(
        "{chart} is a Helm chart, and rendering it needs the helm binary, but none was found in $HELM or on PATH.\n  Install Helm (https://helm.sh/docs/intro/install/, or `scripts/install-tools.sh` in this repository) or pass --no-render to run only the static chart checks"
    )]
    HelmMissing { chart: String },
    #[error("{chart}: `helm template` failed{with}:\n{stderr}")]
    RenderFailed {
        chart: String,
        with: String,
        stderr: String,
    },
}

/// What the inputs resolved to.
#[derive(Debug, Default)]
pub struct Inputs {
    /// Plain manifest files and stdin, linted together as one unit.
    pub manifests: Vec<SourceFile>,
    pub specs: Vec<SourceFile>,
    pub charts: Vec<PathBuf>,
}

const SKIP_DIRS: &[&str] = &[
    ".git",
    "target",
    "node_modules",
    ".tools",
    ".venv",
    "vendor",
];

/// Resolves the command-line paths. A file inside a chart (a template, values.yaml) stands for its chart, so
/// pre-commit can pass changed files one by one.
pub fn collect(paths: &[PathBuf], stdin: Option<String>, errors: &mut Vec<InputError>) -> Inputs {
    let mut inputs = Inputs::default();
    let mut charts = BTreeSet::new();
    let mut files = Vec::new();
    if let Some(text) = stdin {
        classify_text("<stdin>".into(), text, &mut inputs);
    }
    for path in paths {
        if path.is_dir() {
            if path.join("Chart.yaml").is_file() {
                charts.insert(path.clone());
                continue;
            }
            let walker = walkdir::WalkDir::new(path)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    let name = e.file_name().to_string_lossy();
                    e.depth() == 0
                        || !(e.file_type().is_dir()
                            && (SKIP_DIRS.contains(&name.as_ref()) || name.starts_with('.')))
                });
            let mut chart_dirs: Vec<PathBuf> = Vec::new();
            for entry in walker {
                let entry = match entry {
                    Ok(e) => e,
                    Err(e) => {
                        errors.push(InputError::Unreadable {
                            path: path.display().to_string(),
                            message: e.to_string(),
                        });
                        continue;
                    }
                };
                let p = entry.path();
                if chart_dirs.iter().any(|c| p.starts_with(c)) {
                    continue;
                }
                if entry.file_type().is_dir() && p.join("Chart.yaml").is_file() {
                    chart_dirs.push(p.to_path_buf());
                    charts.insert(p.to_path_buf());
                } else if entry.file_type().is_file() && is_yaml_name(p) && !is_config_name(p) {
                    files.push(p.to_path_buf());
                }
            }
        } else if let Some(chart) = enclosing_chart(path) {
            charts.insert(chart);
        } else {
            files.push(path.clone());
        }
    }
    let loaded: Vec<Result<(String, String), InputError>> =
        files.par_iter().map(|p| read_text(p)).collect();
    for item in loaded {
        match item {
            Ok((path, text)) => classify_text(path, text, &mut inputs),
            Err(e) => errors.push(e),
        }
    }
    inputs.charts = charts.into_iter().collect();
    inputs
}

fn is_yaml_name(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "yaml" || e == "yml")
}

fn is_config_name(p: &Path) -> bool {
    p.file_name().is_some_and(|n| {
        n == ".chartgen.yaml" || n == ".pre-commit-hooks.yaml" || n == ".pre-commit-config.yaml"
    })
}

/// The chart a file belongs to when it is one of the chart's own files (not a plain manifest kept nearby).
fn enclosing_chart(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_string_lossy();
    let mut dir = path.parent()?;
    if matches!(
        name.as_ref(),
        "Chart.yaml" | "values.yaml" | "values.schema.json"
    ) || name.starts_with("values")
    {
        return dir.join("Chart.yaml").is_file().then(|| dir.to_path_buf());
    }
    // templates/…/x.yaml or templates/_helpers.tpl: the chart is the parent of `templates`.
    loop {
        if dir.file_name().is_some_and(|n| n == "templates") {
            let chart = dir.parent()?;
            return chart
                .join("Chart.yaml")
                .is_file()
                .then(|| chart.to_path_buf());
        }
        dir = dir.parent()?;
    }
}

fn read_text(path: &Path) -> Result<(String, String), InputError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| InputError::Unreadable {
        path: shown.clone(),
        message: e.to_string(),
    })?;
    let text = String::from_utf8(bytes).map_err(|e| InputError::Unreadable {
        path: shown.clone(),
        message: format!(
            "not UTF-8 text (invalid byte at offset {}); is it a binary file?",
            e.utf8_error().valid_up_to()
        ),
    })?;
    Ok((shown, text))
}

fn classify_text(path: String, text: String, inputs: &mut Inputs) {
    let file = SourceFile {
        path,
        text: Arc::from(text),
    };
    if is_spec_text(&file.text) {
        inputs.specs.push(file)
    } else {
        inputs.manifests.push(file)
    }
}

/// A chartgen spec names its API group on an `apiVersion:` line near the top.
fn is_spec_text(text: &str) -> bool {
    text.lines().take(40).any(|l| {
        l.trim_start().strip_prefix("apiVersion:").is_some_and(|v| {
            v.trim()
                .trim_matches('"')
                .starts_with(crate::spec::API_GROUP)
        })
    })
}

/// Parses the manifests of one run into one unit. Files that are not YAML become errors, not panics.
pub fn manifest_unit(files: Vec<SourceFile>, errors: &mut Vec<InputError>) -> Unit {
    let parsed: Vec<Result<Vec<Node>, InputError>> = files
        .par_iter()
        .map(|f| {
            yaml::parse_documents(&f.text).map_err(|e| InputError::Unreadable {
                path: match e.pos {
                    Some(p) => format!("{}:{}:{}", f.path, p.line, p.column),
                    None => f.path.clone(),
                },
                message: e.message,
            })
        })
        .collect();
    let mut unit = Unit {
        sources: files,
        ..Unit::default()
    };
    for (index, result) in parsed.into_iter().enumerate() {
        match result {
            Ok(docs) => {
                for doc in docs {
                    push_object(&mut unit.objects, doc, Origin::Direct { file: index });
                }
            }
            Err(e) => errors.push(e),
        }
    }
    unit
}

/// Adds a document, expanding `kind: List`.
fn push_object(objects: &mut Vec<Object>, doc: Node, origin: Origin) {
    let kind = doc.get("kind").and_then(|k| k.as_str()).unwrap_or_default();
    if kind == "List" || kind.ends_with("List") && doc.get("items").is_some() {
        if let Some(crate::yaml::Value::Seq(items)) = doc.get("items").map(|i| i.value.clone()) {
            for item in items {
                push_object(objects, item, origin.clone());
            }
        }
        return;
    }
    if let Some(object) = Object::from_doc(doc, origin) {
        objects.push(object);
    }
}

/// The helm binary: `$HELM`, then `helm` on PATH.
pub fn find_helm() -> Option<PathBuf> {
    if let Some(helm) = std::env::var_os("HELM").filter(|h| !h.is_empty()) {
        return Some(PathBuf::from(helm));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("helm"))
        .find(|p| p.is_file())
}

/// Static facts about a chart folder: its files as sources, values.yaml parsed.
fn chart_info(dir: &Path, unit: &mut Unit, errors: &mut Vec<InputError>) -> ChartInfo {
    let mut add = |unit: &mut Unit, path: PathBuf| -> Option<usize> {
        match read_text(&path) {
            Ok((shown, text)) => {
                unit.sources.push(SourceFile {
                    path: shown,
                    text: Arc::from(text),
                });
                Some(unit.sources.len() - 1)
            }
            Err(e) => {
                errors.push(e);
                None
            }
        }
    };
    let chart_yaml = add(unit, dir.join("Chart.yaml")).unwrap_or(0);
    let values_index = if dir.join("values.yaml").is_file() {
        add(unit, dir.join("values.yaml"))
    } else {
        None
    };
    let mut templates = Vec::new();
    let template_dir = dir.join("templates");
    if template_dir.is_dir() {
        for entry in walkdir::WalkDir::new(&template_dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            let p = entry.path();
            if entry.file_type().is_file()
                && (is_yaml_name(p) || p.extension().is_some_and(|e| e == "tpl" || e == "txt"))
                && let Some(i) = add(unit, p.to_path_buf())
            {
                templates.push(i);
            }
        }
    }
    let files = loaded_files(dir, unit, &templates);
    let values = values_index.and_then(|i| {
        let text = unit.sources[i].text.clone();
        match yaml::parse_document(&text) {
            Ok(doc) => Some((i, Arc::new(doc))),
            // An empty values.yaml is fine; anything else unparseable is an error Helm would also report.
            Err(e) if text.trim().is_empty() || e.message.contains("empty") => None,
            Err(e) => {
                errors.push(InputError::Unreadable {
                    path: unit.sources[i].path.clone(),
                    message: e.to_string(),
                });
                None
            }
        }
    });
    ChartInfo {
        chart_yaml,
        has_values_schema: dir.join("values.schema.json").is_file(),
        values,
        templates,
        files,
    }
}

/// Chart files that templates load with `.Files.Get "path"`, `.Files.Lines "path"` or `.Files.Glob "pattern"`,
/// added to the unit's sources. Only literal paths inside the chart count; binary, large, unreadable and missing
/// files are skipped (Helm reports what it cannot load, and they hold no text to lint).
fn loaded_files(dir: &Path, unit: &mut Unit, templates: &[usize]) -> Vec<usize> {
    const MAX_BYTES: u64 = 1 << 20;
    let mut wanted: BTreeSet<(bool, String)> = BTreeSet::new();
    for &t in templates {
        let text = unit.sources[t].text.clone();
        for (i, _) in text.match_indices(".Files.") {
            let rest = &text[i + ".Files.".len()..];
            let Some((method, arg)) = rest.split_once(|c: char| c.is_whitespace()) else {
                continue;
            };
            if !matches!(method, "Get" | "Lines" | "Glob") {
                continue;
            }
            let arg = arg.trim_start();
            let Some(quote) = arg.chars().next().filter(|c| matches!(c, '"' | '`')) else {
                continue;
            };
            let Some(end) = arg[1..].find(quote) else {
                continue;
            };
            let path = arg[1..1 + end].trim_start_matches("./");
            let inside = !path.is_empty()
                && !path.starts_with('/')
                && !path.split(['/', '\\']).any(|part| part == "..");
            if inside && wanted.len() < 256 {
                wanted.insert((method == "Glob", path.to_string()));
            }
        }
    }
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut paths: BTreeSet<PathBuf> = BTreeSet::new();
    let globs: Vec<&str> = wanted
        .iter()
        .filter(|(glob, _)| *glob)
        .map(|(_, p)| p.as_str())
        .collect();
    for (glob, path) in &wanted {
        if !glob {
            paths.insert(dir.join(path));
        }
    }
    if !globs.is_empty() {
        for entry in walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || !(e.file_name().to_string_lossy().starts_with('.')
                        || (e.depth() == 1
                            && e.file_type().is_dir()
                            && matches!(e.file_name().to_str(), Some("templates" | "charts"))))
            })
            .flatten()
        {
            let Ok(rel) = entry.path().strip_prefix(dir) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if entry.file_type().is_file()
                && globs.iter().any(|g| super::config::glob_match(g, &rel))
            {
                paths.insert(entry.path().to_path_buf());
            }
        }
    }
    let mut files = Vec::new();
    for path in paths {
        let shown = path.display().to_string();
        if let Some(i) = unit.sources.iter().position(|s| s.path == shown) {
            files.push(i);
            continue;
        }
        let small =
            std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file() && m.len() <= MAX_BYTES);
        if !small {
            continue;
        }
        if let Ok((shown, text)) = read_text(&path) {
            unit.sources.push(SourceFile {
                path: shown,
                text: Arc::from(text),
            });
            files.push(unit.sources.len() - 1);
        }
    }
    files
}

/// One render of a chart: which values it used, for messages.
struct RenderPlan {
    label: String,
    args: Vec<String>,
}

/// Renders a chart (once per values set) and builds one unit per render. Static chart checks run on the first.
pub fn chart_units(
    dir: &Path,
    opts: &HelmOptions,
    errors: &mut Vec<InputError>,
) -> Result<Vec<Unit>, InputError> {
    let mut base = Unit::default();
    let info = chart_info(dir, &mut base, errors);
    if opts.no_render {
        base.charts.push(info);
        return Ok(vec![base]);
    }
    let helm = find_helm().ok_or_else(|| InputError::HelmMissing {
        chart: dir.display().to_string(),
    })?;
    let chart_name = dir.file_name().map_or_else(
        || "release".to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let release = opts
        .release_name
        .clone()
        .unwrap_or_else(|| chart_name.clone());
    let mut plans = Vec::new();
    let user_values = !opts.values.is_empty() || !opts.set.is_empty();
    let mut common = vec!["template".to_string(), release, dir.display().to_string()];
    if let Some(ns) = &opts.namespace {
        common.extend(["--namespace".to_string(), ns.clone()]);
    }
    if user_values {
        let mut args = common.clone();
        for v in &opts.values {
            args.extend(["--values".to_string(), v.display().to_string()]);
        }
        for s in &opts.set {
            args.extend(["--set".to_string(), s.clone()]);
        }
        plans.push(RenderPlan {
            label: "the given values".into(),
            args,
        });
    } else {
        plans.push(RenderPlan {
            label: "default values".into(),
            args: common.clone(),
        });
        let mut ci: Vec<PathBuf> = std::fs::read_dir(dir.join("ci"))
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.path())
                    .filter(|p| p.to_string_lossy().ends_with("-values.yaml"))
                    .collect()
            })
            .unwrap_or_default();
        ci.sort();
        for file in ci {
            let mut args = common.clone();
            args.extend(["--values".to_string(), file.display().to_string()]);
            plans.push(RenderPlan {
                label: format!(
                    "ci/{}",
                    file.file_name()
                        .map(|n| n.to_string_lossy())
                        .unwrap_or_default()
                ),
                args,
            });
        }
    }
    let outputs: Vec<(String, Result<String, String>)> = plans
        .par_iter()
        .map(|plan| {
            let result = Command::new(&helm).args(&plan.args).output();
            let result = match result {
                Ok(out) if out.status.success() => {
                    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
                }
                Ok(out) => Err(String::from_utf8_lossy(&out.stderr).trim().to_string()),
                Err(e) => Err(format!("cannot run {}: {e}", helm.display())),
            };
            (plan.label.clone(), result)
        })
        .collect();
    let any_ok = outputs.iter().any(|(_, r)| r.is_ok());
    let mut units = Vec::new();
    let mut static_checks = Some(info);
    for (label, result) in outputs {
        match result {
            Ok(manifest) => {
                let mut unit = base.clone();
                if let Some(info) = static_checks.take() {
                    unit.charts.push(info);
                }
                let values = unit
                    .charts
                    .first()
                    .and_then(|c| c.values.clone())
                    .or_else(|| base_values(&base));
                add_rendered(&mut unit, dir, &manifest, values, errors);
                units.push(unit);
            }
            // The defaults of a chart that requires values (secrets) do not render; its ci/ values do.
            Err(_) if any_ok && label == "default values" => {}
            Err(stderr) => {
                let error = InputError::RenderFailed {
                    chart: dir.display().to_string(),
                    with: format!(" with {label}"),
                    stderr,
                };
                if any_ok {
                    errors.push(error)
                } else {
                    return Err(error);
                }
            }
        }
    }
    Ok(units)
}

fn base_values(base: &Unit) -> Option<(usize, Arc<Node>)> {
    let index = base
        .sources
        .iter()
        .position(|s| s.path.ends_with("values.yaml"))?;
    yaml::parse_document(&base.sources[index].text)
        .ok()
        .map(|d| (index, Arc::new(d)))
}

/// Splits `helm template` output at its `# Source:` comments and maps every document to its template.
fn add_rendered(
    unit: &mut Unit,
    dir: &Path,
    manifest: &str,
    values: Option<(usize, Arc<Node>)>,
    errors: &mut Vec<InputError>,
) {
    let mut outlines: BTreeMap<usize, Arc<Outline>> = BTreeMap::new();
    for chunk in split_documents(manifest) {
        let Some(source) = chunk.lines().find_map(|l| l.strip_prefix("# Source: ")) else {
            continue;
        };
        // `chart/templates/x.yaml` (or `chart/charts/sub/templates/x.yaml`) → path inside the chart folder.
        let rel = source
            .split_once('/')
            .map_or(source, |(_, rest)| rest)
            .trim();
        let template_path = dir.join(rel);
        let shown = template_path.display().to_string();
        let index = match unit.sources.iter().position(|s| s.path == shown) {
            Some(i) => i,
            None => match read_text(&template_path) {
                Ok((p, text)) => {
                    unit.sources.push(SourceFile {
                        path: p,
                        text: Arc::from(text),
                    });
                    unit.sources.len() - 1
                }
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            },
        };
        let outline = outlines
            .entry(index)
            .or_insert_with(|| Arc::new(Outline::parse(&unit.sources[index].text)))
            .clone();
        let origin = Origin::Template {
            template: index,
            outline,
            values: values.clone(),
        };
        match yaml::parse_documents(&chunk) {
            Ok(docs) => {
                for doc in docs {
                    push_object(&mut unit.objects, doc, origin.clone());
                }
            }
            Err(e) => errors.push(InputError::Unreadable {
                path: format!("{shown} (rendered)"),
                message: e.to_string(),
            }),
        }
    }
}

fn split_documents(manifest: &str) -> Vec<String> {
    let mut docs = Vec::new();
    let mut current = String::new();
    for line in manifest.lines() {
        if line == "---" || line.starts_with("--- ") {
            if !current.trim().is_empty() {
                docs.push(std::mem::take(&mut current));
            }
            current.clear();
            continue;
        }
        current.push_str(line);
        current.push('\n');
    }
    if !current.trim().is_empty() {
        docs.push(current);
    }
    docs
}

/// A unit holding the specs (linted with the renderer's validation).
pub fn spec_unit(specs: Vec<SourceFile>) -> Unit {
    let count = specs.len();
    Unit {
        sources: specs,
        specs: (0..count).collect(),
        ..Unit::default()
    }
}

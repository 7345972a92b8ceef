//! Finding and loading what to lint: plain manifests, Helm chart folders (rendered by the real helm binary),
//! chartgen specs, and stdin, in any mix.

use super::finding::Finding;
use super::object::{ChartInfo, Object, Unit};
use super::source::{Origin, Outline, SourceFile, ValuesLayer, ValuesLayers};
use crate::yaml::{self, Node};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long one `helm template` run may take by default.
pub const DEFAULT_HELM_TIMEOUT: Duration = Duration::from_secs(60);
/// The largest input file (and `helm template` output) read by default: 64 MiB.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;
/// Helm's own default release name, used when nothing valid is left of the folder's name.
pub const FALLBACK_RELEASE_NAME: &str = "release-name";
/// Helm refuses longer release names.
const MAX_RELEASE_NAME: usize = 53;

/// How to render charts.
#[derive(Debug, Clone)]
pub struct HelmOptions {
    pub values: Vec<PathBuf>,
    pub set: Vec<String>,
    pub release_name: Option<String>,
    pub namespace: Option<String>,
    /// Static chart checks only; never run helm.
    pub no_render: bool,
    /// Render at this Kubernetes version (`--kube-version`); else at the newest the chart's kubeVersion admits.
    pub kube_version: Option<super::rules::KubeVersion>,
    /// A helm run that takes longer is killed and reported.
    pub timeout: Duration,
}

impl Default for HelmOptions {
    fn default() -> Self {
        HelmOptions {
            values: Vec::new(),
            set: Vec::new(),
            release_name: None,
            namespace: None,
            no_render: false,
            timeout: DEFAULT_HELM_TIMEOUT,
            kube_version: None,
        }
    }
}

/// The release name a chart folder renders under: the folder's name made valid for Helm (lowercase; every
/// character other than `a-z`, `0-9` and `-` becomes `-`; leading and trailing `-` trimmed), or Helm's own
/// default `release-name` when nothing is left. A name longer than Helm's 53 characters is cut and ends in `-`
/// and 8 hex digits of a stable hash of the whole folder name, so two long folders that share a prefix render
/// under different names.
pub fn release_name_for(folder: &str) -> String {
    let mut name = String::new();
    for c in folder.chars().flat_map(char::to_lowercase) {
        let c = if c.is_ascii_lowercase() || c.is_ascii_digit() {
            c
        } else {
            '-'
        };
        // Runs of replaced characters become one `-`.
        if !(c == '-' && name.ends_with('-')) {
            name.push(c);
        }
    }
    let name = name.trim_matches('-');
    let name = if name.len() > MAX_RELEASE_NAME {
        // `name` is ASCII here, so any byte index is a char boundary.
        let kept = name[..MAX_RELEASE_NAME - HASH_SUFFIX].trim_end_matches('-');
        format!("{kept}-{:08x}", fnv1a(folder.as_bytes()) as u32)
    } else {
        name.to_string()
    };
    if is_release_name(&name) {
        name
    } else {
        FALLBACK_RELEASE_NAME.to_string()
    }
}

/// `-` and 8 hex digits.
const HASH_SUFFIX: usize = 9;

/// FNV-1a, 64 bits: stable across runs, platforms and Rust versions (unlike `DefaultHasher`).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Whether Helm accepts a release name (a DNS-1123 subdomain of at most 53 characters).
pub fn is_release_name(name: &str) -> bool {
    name.len() <= MAX_RELEASE_NAME && crate::spec::validate::is_dns_subdomain(name)
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
    #[error(
        "{chart}: `helm template` ran longer than {seconds} s{with} and was stopped (a template that loops?).\n  Raise the limit with --helm-timeout or `helmTimeout:` in .chartgen.yaml if the chart is just slow"
    )]
    HelmTimeout {
        chart: String,
        with: String,
        seconds: u64,
    },
    #[error(
        "{chart}: `helm template` produced no documents{with} although the chart has templates; nothing could be linted.\n  Check that the templates render with these values (`helm template -- {release} {chart}`)"
    )]
    NoDocuments {
        chart: String,
        with: String,
        release: String,
    },
    #[error(
        "{path}: larger than {limit} bytes, the most chartgen reads from one input; raise it with --max-input-size or `maxInputSize:` in .chartgen.yaml"
    )]
    TooLarge { path: String, limit: u64 },
    #[error(
        "{path}: is a {kind}, not a regular file; chartgen lints files, folders and `-` (stdin) only"
    )]
    NotRegular { path: String, kind: &'static str },
    #[error(
        "{path}: a symbolic link to {target}, outside the repository; chartgen does not follow links out of it (one could point at /proc/self/environ or a key file). Replace the link with a copy of the file"
    )]
    LinkOutside { path: String, target: String },
    #[error(
        "{chart}: not rendered: {file} is a {kind}; Helm would read it into the chart and block or never finish. Remove it from the chart folder"
    )]
    SpecialInChart {
        chart: String,
        file: String,
        kind: &'static str,
    },
    #[error(
        "`{name}` is not a valid release name: Helm needs lowercase letters, digits, `-` and `.`, starting and ending with a letter or digit, at most 53 characters"
    )]
    BadReleaseName { name: String },
}

impl InputError {
    /// Masks secret values in what an error quotes (helm's own messages can quote a values.yaml default).
    pub fn scrub(&mut self, secrets: &[String]) {
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        match self {
            InputError::RenderFailed { stderr, .. } => {
                *stderr = super::output::scrub(stderr, &secrets)
            }
            InputError::Unreadable { message, .. } => {
                *message = super::output::scrub(message, &secrets)
            }
            _ => {}
        }
    }
}

/// What the inputs resolved to.
#[derive(Debug, Default)]
pub struct Inputs {
    /// Plain manifest files and stdin, linted together as one unit.
    pub manifests: Vec<SourceFile>,
    pub specs: Vec<SourceFile>,
    pub charts: Vec<PathBuf>,
    /// Paths not read because the config ignores them for every rule.
    pub excluded: usize,
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
/// pre-commit can pass changed files one by one. `excluded(path, is_dir)` says which paths are not read at all
/// (the config ignores them for every rule), whether given on the command line or found by the walk.
pub fn collect(
    paths: &[PathBuf],
    stdin: Option<String>,
    limit: u64,
    excluded: &dyn Fn(&Path, bool) -> bool,
    errors: &mut Vec<InputError>,
) -> Inputs {
    let mut inputs = Inputs::default();
    let mut charts = BTreeSet::new();
    let mut files = Vec::new();
    let roots = Roots::new(paths);
    if let Some(text) = stdin {
        classify_text("<stdin>".into(), text, &mut inputs);
    }
    let skipped = std::cell::Cell::new(0usize);
    for path in paths {
        if let Err(e) = roots.check(path) {
            errors.push(e);
            continue;
        }
        if excluded(path, path.is_dir()) {
            skipped.set(skipped.get() + 1);
            continue;
        }
        if path.is_dir() {
            if path.join("Chart.yaml").is_file() {
                charts.insert(path.clone());
                continue;
            }
            if let Some(e) = chart_yaml_not_a_file(path) {
                errors.push(e);
                continue;
            }
            let walker = walkdir::WalkDir::new(path)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    let name = e.file_name().to_string_lossy();
                    if e.depth() == 0 {
                        return true;
                    }
                    if (e.file_type().is_dir() || e.path_is_symlink())
                        && (SKIP_DIRS.contains(&name.as_ref()) || name.starts_with('.'))
                    {
                        return false;
                    }
                    let keep = !excluded(e.path(), e.file_type().is_dir());
                    if !keep {
                        skipped.set(skipped.get() + 1);
                    }
                    keep
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
                // A link is never followed by the walk. One named like a YAML file that leads out of the
                // repository is an error (the user expects it linted); one inside is skipped (its target is
                // linted where it lies); any other link is never read.
                if entry.path_is_symlink() {
                    if is_yaml_name(p)
                        && !is_config_name(p)
                        && let Err(e) = roots.check(p)
                    {
                        errors.push(e);
                    }
                    continue;
                }
                if entry.file_type().is_dir() && p.join("Chart.yaml").is_file() {
                    chart_dirs.push(p.to_path_buf());
                    charts.insert(p.to_path_buf());
                } else if entry.file_type().is_dir()
                    && let Some(e) = chart_yaml_not_a_file(p)
                {
                    chart_dirs.push(p.to_path_buf());
                    errors.push(e);
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
    charts.retain(|chart| match roots.check_chart(chart) {
        Ok(()) => true,
        Err(e) => {
            errors.push(e);
            false
        }
    });
    let loaded: Vec<Result<(String, String), InputError>> =
        files.par_iter().map(|p| read_text(p, limit)).collect();
    for item in loaded {
        match item {
            Ok((path, text)) => classify_text(path, text, &mut inputs),
            Err(e) => errors.push(e),
        }
    }
    inputs.charts = charts.into_iter().collect();
    inputs.excluded = skipped.get();
    inputs
}

/// A folder whose `Chart.yaml` is there but is not a file (a folder, a device) is a chart that cannot be read,
/// not a folder of manifests to lint quietly.
fn chart_yaml_not_a_file(dir: &Path) -> Option<InputError> {
    let chart_yaml = dir.join("Chart.yaml");
    let meta = std::fs::symlink_metadata(&chart_yaml).ok()?;
    (!meta.is_file()).then(|| InputError::Unreadable {
        path: chart_yaml.display().to_string(),
        message: "not a regular file; a chart's Chart.yaml is a YAML file".into(),
    })
}

/// Where links may point: the working folder (the repository, in pre-commit and CI) and every folder given on
/// the command line, canonicalized.
struct Roots(Vec<PathBuf>);

impl Roots {
    fn new(paths: &[PathBuf]) -> Roots {
        let mut roots: Vec<PathBuf> = paths
            .iter()
            .filter(|p| p.is_dir())
            .filter_map(|p| std::fs::canonicalize(p).ok())
            .collect();
        roots.extend(std::env::current_dir().and_then(std::fs::canonicalize));
        Roots(roots)
    }

    /// A path that goes through a symbolic link must end inside a root; a broken or looping link is an error.
    fn check(&self, path: &Path) -> Result<(), InputError> {
        let shown = path.display().to_string();
        // The path's own components (a relative path from the repository, or what the user typed).
        let through_link = path
            .ancestors()
            .filter(|a| !a.as_os_str().is_empty())
            .any(|a| {
                a.symlink_metadata()
                    .is_ok_and(|m| m.file_type().is_symlink())
            });
        if !through_link {
            return Ok(());
        }
        let target = std::fs::canonicalize(path).map_err(|e| InputError::Unreadable {
            path: shown.clone(),
            message: format!("a symbolic link that cannot be followed ({e})"),
        })?;
        if self.0.iter().any(|r| target.starts_with(r)) {
            Ok(())
        } else {
            Err(InputError::LinkOutside {
                path: shown,
                target: target.display().to_string(),
            })
        }
    }

    /// Helm reads every file of a chart folder and follows links: each link must stay inside a root, and no
    /// FIFO, device or socket may be there (helm would block on it, or read /dev/zero until memory runs out).
    fn check_chart(&self, chart: &Path) -> Result<(), InputError> {
        for entry in walkdir::WalkDir::new(chart).sort_by_file_name() {
            let entry = entry.map_err(|e| InputError::Unreadable {
                path: chart.display().to_string(),
                message: e.to_string(),
            })?;
            let p = entry.path();
            if entry.path_is_symlink() {
                self.check(p)?;
            }
            let meta = std::fs::metadata(p).map_err(|e| InputError::Unreadable {
                path: p.display().to_string(),
                message: e.to_string(),
            })?;
            if !meta.is_file() && !meta.is_dir() {
                return Err(InputError::SpecialInChart {
                    chart: chart.display().to_string(),
                    file: p.display().to_string(),
                    kind: file_kind(&meta),
                });
            }
        }
        Ok(())
    }
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
    // ci/x-values.yaml: the chart's test values.
    if is_ci_values_file(path)
        && let Some(chart) = dir.parent()
        && chart.join("Chart.yaml").is_file()
    {
        return Some(chart.to_path_buf());
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

/// Reads one input file: regular files only (a FIFO or a device would block or never end), at most `limit`
/// bytes, UTF-8.
pub fn read_text(path: &Path, limit: u64) -> Result<(String, String), InputError> {
    let shown = path.display().to_string();
    let unreadable = |e: std::io::Error| InputError::Unreadable {
        path: shown.clone(),
        message: e.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if !meta.is_file() {
        return Err(InputError::NotRegular {
            path: shown.clone(),
            kind: file_kind(&meta),
        });
    }
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let bytes = read_limited(file, limit)
        .map_err(unreadable)?
        .ok_or_else(|| InputError::TooLarge {
            path: shown.clone(),
            limit,
        })?;
    let text = decode(&shown, bytes)?;
    Ok((shown, text))
}

/// Reads stdin as one input, with the same size limit as files.
pub fn read_stdin(limit: u64) -> Result<String, InputError> {
    let shown = "<stdin>".to_string();
    let bytes = read_limited(std::io::stdin().lock(), limit)
        .map_err(|e| InputError::Unreadable {
            path: shown.clone(),
            message: e.to_string(),
        })?
        .ok_or_else(|| InputError::TooLarge {
            path: shown.clone(),
            limit,
        })?;
    decode(&shown, bytes)
}

/// All bytes of a reader, or `None` when there are more than `limit`.
fn read_limited(reader: impl Read, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

fn decode(shown: &str, bytes: Vec<u8>) -> Result<String, InputError> {
    String::from_utf8(bytes).map_err(|e| InputError::Unreadable {
        path: shown.to_string(),
        message: format!(
            "not UTF-8 text (invalid byte at offset {}); is it a binary file?",
            e.utf8_error().valid_up_to()
        ),
    })
}

fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "FIFO (named pipe)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "device";
        }
        if t.is_socket() {
            return "socket";
        }
    }
    if meta.is_dir() {
        "folder"
    } else {
        "special file"
    }
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
fn chart_info(dir: &Path, unit: &mut Unit, limit: u64, errors: &mut Vec<InputError>) -> ChartInfo {
    let mut add = |unit: &mut Unit, path: PathBuf| -> Option<usize> {
        match read_text(&path, limit) {
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
    // Test values that do not parse are reported by the render that uses them.
    let ci_values = ci_values_files(dir)
        .into_iter()
        .filter_map(|path| values_file(unit, &path, limit, errors))
        .collect();
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
        ci_values,
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
        if let Ok((shown, text)) = read_text(&path, MAX_BYTES) {
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
    /// The values files it gives Helm, in the order given (the last one wins).
    files: Vec<PathBuf>,
}

/// What linting one chart folder gave: every render checked as soon as it was rendered, then dropped, so that a
/// chart with many `ci/` values files never holds all its renders at once.
#[derive(Debug, Default)]
pub struct ChartOutcome {
    pub findings: Vec<Finding>,
    pub sources: Vec<SourceFile>,
    pub objects: usize,
}

/// A checked render: its findings, the files they point into, how many objects it had.
type CheckedRender = (Vec<Finding>, Vec<SourceFile>, usize);

/// Renders a chart (once per values set), checks each render with `check` as it arrives, and runs the static
/// chart checks once. Only a missing helm is fatal; a failed render is an error beside the static findings.
pub fn lint_chart(
    dir: &Path,
    opts: &HelmOptions,
    limit: u64,
    check: &(dyn Fn(&Unit) -> Vec<Finding> + Sync),
    errors: &mut Vec<InputError>,
) -> Result<ChartOutcome, InputError> {
    let mut base = Unit::default();
    let info = chart_info(dir, &mut base, limit, errors);
    let values = info.values.clone();
    let ci_values = info.ci_values.clone();
    let has_templates = info
        .templates
        .iter()
        .any(|&i| is_yaml_name(Path::new(&base.sources[i].path)));
    let kube = opts.kube_version.or_else(|| {
        super::rules::chart_kube_version(&base.sources, info.chart_yaml).map(|(v, _)| v)
    });
    let mut static_unit = base.clone();
    static_unit.charts.push(info);
    let mut outcome = ChartOutcome {
        findings: check(&static_unit),
        ..ChartOutcome::default()
    };
    drop(static_unit);
    if opts.no_render {
        outcome.sources = base.sources;
        return Ok(outcome);
    }
    let helm = find_helm().ok_or_else(|| InputError::HelmMissing {
        chart: dir.display().to_string(),
    })?;
    let release = match &opts.release_name {
        Some(name) => name.clone(),
        None => release_name_for(&folder_name(dir)),
    };
    let shown = dir.display().to_string();
    let plans = render_plans(dir, opts, kube);
    let results: Vec<(String, Result<CheckedRender, InputError>, Vec<InputError>)> = plans
        .par_iter()
        .map(|plan| {
            let with = format!(" with {}", plan.label);
            let mut errs = Vec::new();
            let mut args = plan.args.clone();
            // Everything from the repository (the release name derived from a folder, the chart path) comes
            // after `--`, so a folder named `--post-renderer=sh` is a path to Helm, never a flag.
            args.extend(["--".to_string(), release.clone(), shown.clone()]);
            let result = match run_helm(&helm, &args, opts.timeout, limit) {
                Ok(manifest) => {
                    let mut unit = base.clone();
                    let layers =
                        values_layers(&mut unit, &plan.files, &ci_values, values.clone(), limit);
                    let documents =
                        add_rendered(&mut unit, dir, &manifest, layers, limit, &mut errs);
                    if documents == 0 && has_templates {
                        Err(InputError::NoDocuments {
                            chart: shown.clone(),
                            with: with.clone(),
                            release: release.clone(),
                        })
                    } else {
                        let mut findings = check(&unit);
                        if !plan.files.is_empty() && opts.values.is_empty() {
                            for f in &mut findings {
                                f.render = Some(plan.label.clone());
                            }
                        }
                        let objects = unit.objects.len();
                        // The parsed render is dropped here; only its files stay, for snippets.
                        Ok((findings, unit.sources, objects))
                    }
                }
                Err(HelmFailure::TimedOut) => Err(InputError::HelmTimeout {
                    chart: shown.clone(),
                    with: with.clone(),
                    seconds: opts.timeout.as_secs(),
                }),
                Err(HelmFailure::TooLarge) => Err(InputError::TooLarge {
                    path: format!("{shown} (`helm template` output{with})"),
                    limit,
                }),
                Err(HelmFailure::Failed(stderr)) => Err(InputError::RenderFailed {
                    chart: shown.clone(),
                    with,
                    stderr,
                }),
            };
            (plan.label.clone(), result, errs)
        })
        .collect();
    let any_ok = results.iter().any(|(_, r, _)| r.is_ok());
    outcome.sources = base.sources;
    // One problem in several renders is one finding, at the first render's place (the defaults'), though the
    // renders' values files put it on different lines.
    let mut seen = BTreeSet::new();
    for (label, result, errs) in results {
        errors.extend(errs);
        match result {
            Ok((findings, sources, objects)) => {
                outcome.objects += objects;
                outcome.findings.extend(findings.into_iter().filter(|f| {
                    f.object.is_none()
                        || seen.insert((
                            f.rule,
                            f.object.clone(),
                            f.container.clone(),
                            f.place.clone(),
                        ))
                }));
                for s in sources {
                    if !outcome.sources.iter().any(|x| x.path == s.path) {
                        outcome.sources.push(s);
                    }
                }
            }
            // The defaults of a chart that requires values (secrets) do not render; its ci/ values do.
            Err(InputError::RenderFailed { .. }) if any_ok && label == "default values" => {}
            Err(e) => errors.push(e),
        }
    }
    Ok(outcome)
}

/// Renders a chart once, as lint does (the given values, else its defaults), into a unit whose objects map back
/// to their templates and values.yaml, for `chartgen import`. Returns the release name it rendered under.
pub fn render_chart_unit(
    dir: &Path,
    opts: &HelmOptions,
    limit: u64,
    errors: &mut Vec<InputError>,
) -> Result<(String, Unit), InputError> {
    let mut unit = Unit::default();
    let info = chart_info(dir, &mut unit, limit, errors);
    let values = info.values.clone();
    let kube = opts.kube_version.or_else(|| {
        super::rules::chart_kube_version(&unit.sources, info.chart_yaml).map(|(v, _)| v)
    });
    let helm = find_helm().ok_or_else(|| InputError::HelmMissing {
        chart: dir.display().to_string(),
    })?;
    let release = match &opts.release_name {
        Some(name) => name.clone(),
        None => release_name_for(&folder_name(dir)),
    };
    let shown = dir.display().to_string();
    let Some(plan) = render_plans(dir, opts, kube).into_iter().next() else {
        return Ok((release, unit));
    };
    let with = format!(" with {}", plan.label);
    let mut args = plan.args.clone();
    args.extend(["--".to_string(), release.clone(), shown.clone()]);
    match run_helm(&helm, &args, opts.timeout, limit) {
        Ok(manifest) => {
            let layers = values_layers(&mut unit, &plan.files, &info.ci_values, values, limit);
            add_rendered(&mut unit, dir, &manifest, layers, limit, errors);
            Ok((release, unit))
        }
        Err(HelmFailure::TimedOut) => Err(InputError::HelmTimeout {
            chart: shown,
            with,
            seconds: opts.timeout.as_secs(),
        }),
        Err(HelmFailure::TooLarge) => Err(InputError::TooLarge {
            path: format!("{shown} (`helm template` output{with})"),
            limit,
        }),
        Err(HelmFailure::Failed(stderr)) => {
            // Helm's message can quote a values.yaml default (a template's `fail`, a type error): mask every
            // secret the chart's own files hold, as lint does with its static findings.
            let mut chart = unit.clone();
            chart.charts.push(info);
            let mut found = Vec::new();
            if let Some(rule) = super::rules::find("plaintext-secret") {
                let ctx = super::rules::CheckContext {
                    profile: super::rules::Profile::Restricted,
                    kube_version: None,
                };
                rule.check(&chart, &ctx, &mut found);
            }
            let secrets = super::secret_values(&found);
            let mut error = InputError::RenderFailed {
                chart: shown,
                with,
                stderr,
            };
            error.scrub(&secrets);
            Err(error)
        }
    }
}

/// The chart folder's own name, also for `.` (the current folder).
fn folder_name(dir: &Path) -> String {
    std::path::absolute(dir)
        .ok()
        .and_then(|a| {
            a.components()
                .next_back()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
        })
        .unwrap_or_default()
}

/// The renders of a chart: the given values, or the defaults plus each `ci/*-values.yaml`. Every value from the
/// repository is one `--flag=value` argument, so it can never become a flag of its own.
fn render_plans(
    dir: &Path,
    opts: &HelmOptions,
    kube: Option<super::rules::KubeVersion>,
) -> Vec<RenderPlan> {
    let mut common = vec!["template".to_string()];
    if let Some(ns) = &opts.namespace {
        common.push(format!("--namespace={ns}"));
    }
    if let Some(v) = kube {
        common.push(format!("--kube-version={v}.0"));
    }
    if !opts.values.is_empty() || !opts.set.is_empty() {
        let mut args = common;
        args.extend(
            opts.values
                .iter()
                .map(|v| format!("--values={}", v.display())),
        );
        args.extend(opts.set.iter().map(|s| format!("--set={s}")));
        return vec![RenderPlan {
            label: "the given values".into(),
            args,
            files: opts.values.clone(),
        }];
    }
    let mut plans = vec![RenderPlan {
        label: "default values".into(),
        args: common.clone(),
        files: Vec::new(),
    }];
    for file in ci_values_files(dir) {
        let mut args = common.clone();
        args.push(format!("--values={}", file.display()));
        plans.push(RenderPlan {
            label: format!(
                "ci/{}",
                file.file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            ),
            args,
            files: vec![file],
        });
    }
    plans
}

/// Whether a path is a chart's test values file, `ci/*-values.yaml` (the chart-testing convention).
pub fn is_ci_values_file(path: &Path) -> bool {
    path.parent()
        .and_then(Path::file_name)
        .is_some_and(|dir| dir == "ci")
        && path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().ends_with("-values.yaml"))
}

/// A chart's test values files, in name order.
fn ci_values_files(dir: &Path) -> Vec<PathBuf> {
    let mut ci: Vec<PathBuf> = std::fs::read_dir(dir.join("ci"))
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file() && is_ci_values_file(p))
                .collect()
        })
        .unwrap_or_default();
    ci.sort();
    ci
}

enum HelmFailure {
    TimedOut,
    TooLarge,
    Failed(String),
}

/// Runs helm with a time limit (the process is killed when it is reached) and a limit on what it may print.
fn run_helm(
    helm: &Path,
    args: &[String],
    timeout: Duration,
    limit: u64,
) -> Result<String, HelmFailure> {
    let mut child = Command::new(helm)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| HelmFailure::Failed(format!("cannot run {}: {e}", helm.display())))?;
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let out_reader = std::thread::spawn(move || stdout.map(|s| read_limited(s, limit)));
    let err_reader = std::thread::spawn(move || stderr.map(|s| read_limited(s, 1024 * 1024)));
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() >= timeout => break None,
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(HelmFailure::Failed(format!(
                    "waiting for {}: {e}",
                    helm.display()
                )));
            }
        }
    };
    let Some(status) = status else {
        // Killing closes helm's pipes, so the reader threads end too.
        let _ = child.kill();
        let _ = child.wait();
        let _ = out_reader.join();
        let _ = err_reader.join();
        return Err(HelmFailure::TimedOut);
    };
    let stdout = out_reader.join().ok().flatten();
    let stderr = err_reader.join().ok().flatten();
    let stderr_text = match stderr {
        Some(Ok(Some(bytes))) => String::from_utf8_lossy(&bytes).trim().to_string(),
        _ => String::new(),
    };
    // Reading stops at the limit, so a helm still writing then fails on a closed pipe: too large, not failed.
    if matches!(stdout, Some(Ok(None))) {
        return Err(HelmFailure::TooLarge);
    }
    if !status.success() {
        // Helm's hint names a flag of its own that chartgen does not take.
        let message: Vec<&str> = stderr_text
            .lines()
            .filter(|l| !l.trim_start().starts_with("Use --debug flag"))
            .collect();
        return Err(HelmFailure::Failed(message.join("\n").trim().to_string()));
    }
    match stdout {
        Some(Ok(Some(bytes))) => Ok(String::from_utf8_lossy(&bytes).into_owned()),
        Some(Ok(None)) => Err(HelmFailure::TooLarge),
        Some(Err(e)) => Err(HelmFailure::Failed(format!("reading helm's output: {e}"))),
        None => Err(HelmFailure::Failed("helm's output was not captured".into())),
    }
}

/// The values files of a render, highest priority first: the given files (the last one given first), then the
/// chart's values.yaml. `parsed` are the files the chart's static checks already parsed (its `ci/` files). A given
/// file that cannot be read or parsed is left out: Helm rendered with it, so that is a race it reported or will.
fn values_layers(
    unit: &mut Unit,
    given: &[PathBuf],
    parsed: &[(usize, Arc<Node>)],
    values: Option<(usize, Arc<Node>)>,
    limit: u64,
) -> Arc<ValuesLayers> {
    let mut layers = Vec::new();
    for path in given.iter().rev() {
        let shown = path.display().to_string();
        let known = parsed
            .iter()
            .find(|(i, _)| unit.sources.get(*i).is_some_and(|s| s.path == shown))
            .cloned();
        let Some((file, doc)) = known.or_else(|| values_file(unit, path, limit, &mut Vec::new()))
        else {
            continue;
        };
        layers.push(ValuesLayer {
            file,
            doc,
            under: Vec::new(),
            defaults: false,
        });
    }
    layers.extend(values.map(|(file, doc)| ValuesLayer {
        file,
        doc,
        under: Vec::new(),
        defaults: true,
    }));
    Arc::new(ValuesLayers(layers))
}

/// Splits `helm template` output at its `# Source:` comments and maps every document to its template; a
/// subchart's templates take their values from the subchart's own values.yaml. Returns how many documents the
/// render held.
fn add_rendered(
    unit: &mut Unit,
    dir: &Path,
    manifest: &str,
    values: Arc<ValuesLayers>,
    limit: u64,
    errors: &mut Vec<InputError>,
) -> usize {
    let mut templates: BTreeMap<usize, Vec<super::source::TemplateDocument>> = BTreeMap::new();
    // Per template: the document the last object came from (Helm prints a file's documents in order).
    let mut last_document: BTreeMap<usize, usize> = BTreeMap::new();
    let mut sub_values: BTreeMap<PathBuf, Arc<ValuesLayers>> = BTreeMap::new();
    let mut packaged: BTreeMap<String, String> = BTreeMap::new();
    // Where each template Helm names is on disk, looked up once per template, not once per document.
    let mut files_on_disk: BTreeMap<PathBuf, Option<PathBuf>> = BTreeMap::new();
    let mut documents = 0;
    let defines = Arc::new(chart_defines(unit, dir, limit, errors));
    for chunk in split_documents(manifest) {
        let Some(source) = chunk.lines().find_map(|l| l.strip_prefix("# Source: ")) else {
            continue;
        };
        // `chart/templates/x.yaml` (or `chart/charts/sub/templates/x.yaml`) → path inside the chart folder.
        let rel = Path::new(
            source
                .split_once('/')
                .map_or(source, |(_, rest)| rest)
                .trim(),
        );
        // A template can print any text, `# Source: x/../../etc/passwd` included: only plain paths inside
        // the chart are read.
        if !rel
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
        {
            continue;
        }
        let resolved = files_on_disk
            .entry(rel.to_path_buf())
            .or_insert_with(|| chart_file(dir, rel))
            .clone();
        let Some(on_disk) = resolved else {
            // A packaged subchart (`charts/redis-1.2.3.tgz`): its templates are not files to point into, so its
            // objects are linted as rendered, under the name Helm gives them.
            let shown = dir.join(rel).display().to_string();
            let text = packaged.entry(shown).or_default();
            text.push_str(&chunk);
            text.push_str("\n---\n");
            continue;
        };
        let template_path = dir.join(on_disk);
        let shown = template_path.display().to_string();
        let Some(index) = source_index(unit, &template_path, limit, errors) else {
            continue;
        };
        let documents_of_template = templates
            .entry(index)
            .or_insert_with(|| {
                let text = &unit.sources[index].text;
                Outline::parse(text).documents(text)
            })
            .clone();
        let values = match subchart_dir(rel) {
            Some(sub) => {
                if !sub_values.contains_key(&sub) {
                    let layers = subchart_layers(unit, dir, &sub, &values, limit, errors);
                    sub_values.insert(sub.clone(), Arc::new(layers));
                }
                sub_values.get(&sub).cloned().unwrap_or_default()
            }
            None => values.clone(),
        };
        match yaml::parse_documents(&chunk) {
            Ok(docs) => {
                documents += docs.len();
                for doc in docs {
                    let kind = doc.get("kind").and_then(Node::as_str).unwrap_or_default();
                    let name = doc
                        .path("metadata.name")
                        .and_then(Node::as_str)
                        .unwrap_or_default();
                    let last = last_document.get(&index).copied().unwrap_or(0);
                    // The best-fitting document; among equals the next one in the file.
                    let chosen = documents_of_template
                        .iter()
                        .enumerate()
                        .max_by_key(|(i, d)| {
                            (d.score(kind, name), *i >= last, std::cmp::Reverse(*i))
                        })
                        .map(|(i, d)| (i, d.outline.clone()));
                    let outline = match chosen {
                        Some((i, outline)) => {
                            last_document.insert(index, i);
                            outline
                        }
                        None => Arc::new(Outline::parse("")),
                    };
                    let origin = Origin::Template {
                        template: index,
                        outline,
                        values: values.clone(),
                        defines: defines.clone(),
                    };
                    push_object(&mut unit.objects, doc, origin);
                }
            }
            Err(e) => errors.push(InputError::Unreadable {
                path: format!("{shown} (rendered)"),
                message: e.to_string(),
            }),
        }
    }
    for (shown, text) in packaged {
        unit.sources.push(SourceFile {
            path: shown.clone(),
            text: Arc::from(text.as_str()),
        });
        let file = unit.sources.len() - 1;
        match yaml::parse_documents(&text) {
            Ok(docs) => {
                documents += docs.len();
                for doc in docs {
                    push_object(&mut unit.objects, doc, Origin::Direct { file });
                }
            }
            Err(e) => errors.push(InputError::Unreadable {
                path: format!("{shown} (rendered)"),
                message: e.to_string(),
            }),
        }
    }
    documents
}

/// The named templates of a chart and its subcharts: every `.tpl` file under `templates/` folders (Helm shares
/// defines between a chart and its subcharts).
fn chart_defines(
    unit: &mut Unit,
    dir: &Path,
    limit: u64,
    errors: &mut Vec<InputError>,
) -> super::source::Defines {
    const MAX_FILES: usize = 512;
    let mut defines = super::source::Defines::default();
    let helpers: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .flatten()
        .filter(|e| {
            e.file_type().is_file()
                && e.path().extension().is_some_and(|x| x == "tpl")
                && e.path()
                    .parent()
                    .is_some_and(|p| p.iter().any(|c| c == "templates"))
        })
        .map(|e| e.into_path())
        .take(MAX_FILES)
        .collect();
    for path in helpers {
        if let Some(index) = source_index(unit, &path, limit, errors) {
            let text = unit.sources[index].text.clone();
            defines.add_file(index, &text);
        }
    }
    defines
}

/// The index of a file among the unit's sources, reading it on first use.
fn source_index(
    unit: &mut Unit,
    path: &Path,
    limit: u64,
    errors: &mut Vec<InputError>,
) -> Option<usize> {
    let shown = path.display().to_string();
    if let Some(i) = unit.sources.iter().position(|s| s.path == shown) {
        return Some(i);
    }
    match read_text(path, limit) {
        Ok((p, text)) => {
            unit.sources.push(SourceFile {
                path: p,
                text: Arc::from(text),
            });
            Some(unit.sources.len() - 1)
        }
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

/// The file inside the chart folder that Helm's `# Source:` path names: a subchart under its alias
/// (`charts/cache/…` for `- name: redis` with `alias: cache`) is in its own folder (`charts/redis/…`). `None` for a
/// template of a packaged subchart (`charts/redis-1.2.3.tgz`), which is no file.
fn chart_file(dir: &Path, rel: &Path) -> Option<PathBuf> {
    if dir.join(rel).is_file() {
        return Some(rel.to_path_buf());
    }
    let parts: Vec<&std::ffi::OsStr> = rel.iter().collect();
    let mut resolved = PathBuf::new();
    let mut i = 0;
    while i < parts.len() {
        resolved.push(parts[i]);
        if parts[i] == "charts" && i + 1 < parts.len() {
            let chart = dir.join(&resolved);
            let folder = parts[i + 1];
            let named = if chart.join(folder).is_dir() {
                PathBuf::from(folder)
            } else {
                PathBuf::from(aliased_dependency(&chart, &folder.to_string_lossy())?)
            };
            resolved.push(named);
            i += 2;
            continue;
        }
        i += 1;
    }
    dir.join(&resolved).is_file().then_some(resolved)
}

/// The name of the dependency a chart (whose `charts/` folder this is) gives `alias`, from its Chart.yaml.
fn aliased_dependency(charts: &Path, alias: &str) -> Option<String> {
    let chart_yaml = charts.parent()?.join("Chart.yaml");
    let text = std::fs::read_to_string(chart_yaml).ok()?;
    let doc = yaml::parse_document(&text).ok()?;
    doc.get("dependencies")?.as_seq().iter().find_map(|d| {
        (d.get("alias")?.as_str()? == alias)
            .then(|| d.get("name")?.as_str().map(str::to_string))
            .flatten()
            // A dependency's name is a folder name: nothing that leaves the `charts/` folder.
            .filter(|name| {
                !name.is_empty() && !name.contains(['/', '\\']) && name != ".." && name != "."
            })
    })
}

/// The values files of a subchart's render, highest priority first: each values file of the render at the top
/// under the subchart's keys (`web.cache` for `charts/web/charts/cache`), each intermediate chart's values.yaml
/// under the keys below it, then the subchart's own values.yaml. Keys are the names Helm's paths give the
/// subcharts (an alias, if one is set), folders the names on disk.
fn subchart_layers(
    unit: &mut Unit,
    dir: &Path,
    sub: &Path,
    top: &ValuesLayers,
    limit: u64,
    errors: &mut Vec<InputError>,
) -> ValuesLayers {
    let parts: Vec<&std::ffi::OsStr> = sub.iter().collect();
    // `charts/a/charts/b` → [a, b]
    let keys: Vec<String> = parts
        .iter()
        .enumerate()
        .filter(|(i, p)| i % 2 == 1 && parts[i - 1] == "charts" && !p.is_empty())
        .map(|(_, p)| p.to_string_lossy().into_owned())
        .collect();
    let mut layers: Vec<ValuesLayer> = top
        .0
        .iter()
        .filter(|l| l.under.is_empty())
        .map(|l| ValuesLayer {
            under: keys.clone(),
            ..l.clone()
        })
        .collect();
    for depth in 1..=keys.len() {
        let Some(folder) = chart_file(
            dir,
            &parts[..depth * 2]
                .iter()
                .collect::<PathBuf>()
                .join("Chart.yaml"),
        ) else {
            continue;
        };
        let Some(folder) = folder.parent() else {
            continue;
        };
        if let Some((file, doc)) =
            values_file(unit, &dir.join(folder).join("values.yaml"), limit, errors)
        {
            layers.push(ValuesLayer {
                file,
                doc,
                under: keys[depth..].to_vec(),
                defaults: false,
            });
        }
    }
    ValuesLayers(layers)
}

/// `charts/sub/templates/x.yaml` → `charts/sub` (the innermost subchart, for nested ones).
fn subchart_dir(rel: &Path) -> Option<PathBuf> {
    let parts: Vec<&std::ffi::OsStr> = rel.iter().collect();
    let templates = parts.iter().rposition(|p| *p == "templates")?;
    (templates >= 2 && parts[templates - 2] == "charts")
        .then(|| parts[..templates].iter().collect::<PathBuf>())
}

/// A values file, parsed, as a source of the unit (read once however many renders use it).
fn values_file(
    unit: &mut Unit,
    path: &Path,
    limit: u64,
    errors: &mut Vec<InputError>,
) -> Option<(usize, Arc<Node>)> {
    if !path.is_file() {
        return None;
    }
    let index = source_index(unit, path, limit, errors)?;
    yaml::parse_document(&unit.sources[index].text)
        .ok()
        .map(|doc| (index, Arc::new(doc)))
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

#[cfg(test)]
mod tests {
    use super::{is_release_name, release_name_for};

    #[test]
    fn release_names_are_valid_and_long_ones_do_not_collide() {
        assert_eq!(release_name_for("My_App"), "my-app");
        assert_eq!(release_name_for("--post-renderer=sh"), "post-renderer-sh");
        assert_eq!(release_name_for("-"), "release-name");
        assert_eq!(release_name_for("日本"), "release-name");
        let shared = "a".repeat(53);
        let (one, two) = (
            release_name_for(&format!("{shared}-one")),
            release_name_for(&format!("{shared}-two")),
        );
        assert_ne!(one, two);
        for name in [&one, &two] {
            assert!(is_release_name(name) && name.len() <= 53, "{name}");
        }
        assert_eq!(one, release_name_for(&format!("{shared}-one")), "stable");
        // A cut that ends on `-` does not leave `--` before the hash.
        let dashed = release_name_for(&format!("{}-{}", "b".repeat(43), "c".repeat(20)));
        assert!(
            is_release_name(&dashed) && !dashed.contains("--"),
            "{dashed}"
        );
    }
}

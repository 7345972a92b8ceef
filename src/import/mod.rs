//! `chartgen import`: an existing chart (rendered by the real Helm, as lint renders it) or a set of manifests
//! becomes a chart spec, with a report of what was carried over, what was not (with its file and line), and what
//! the generated chart will do differently.
//!
//! No secret value is ever carried: Secret data, env literals and ConfigMap entries that look like secrets become
//! secret-group key names, and the report says which keys must be supplied at install time.

mod map;
mod report;

pub use report::{Item, Report};

use crate::lint::input::{self, HelmOptions, InputError};
use crate::lint::object::Unit;
use crate::lint::source::SourceFile;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What to import and where the spec goes.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Chart folders, manifest files or folders, or `-` for stdin.
    pub paths: Vec<PathBuf>,
    /// The spec file to write (default `chart-spec/<name>.yaml`).
    pub out: Option<PathBuf>,
    /// The chart name (default: the chart's own name, else the folder's or file's).
    pub name: Option<String>,
    pub helm: HelmOptions,
    /// Overwrite an existing spec file.
    pub force: bool,
    /// The most bytes read from one input.
    pub max_input_size: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Input(#[from] InputError),
    #[error(
        "{path}: no Kubernetes objects found; give a chart folder (with Chart.yaml), manifest files or folders, or `-` for stdin"
    )]
    Empty { path: String },
    #[error(
        "{path}: the file exists; nothing was written. Pass --force to overwrite it, or --out to write elsewhere"
    )]
    Exists { path: String },
    #[error(
        "the imported spec does not validate, so nothing was written (please report this as a chartgen bug, with the chart):\n{errors}"
    )]
    Invalid { errors: String },
    #[error(
        "no Deployment or StatefulSet to import (found {found}): a spec is built around long-running components; \
         CronJobs and hook Jobs are imported with the component whose image they run"
    )]
    NoWorkloads { found: String },
    #[error("{path}: cannot write the spec: {message}")]
    Write { path: String, message: String },
    #[error(
        "`{name}` is not a valid chart name: use lower-case letters, digits and `-`, starting with a letter, at most 53 characters (e.g. `--name my-app`)"
    )]
    BadName { name: String },
}

/// One source of objects: a rendered chart or manifests.
pub(crate) struct Source {
    pub unit: Unit,
    /// The release name a chart was rendered under (names in it carry this prefix); `None` for manifests.
    pub release: Option<String>,
    /// The chart's name from Chart.yaml, for charts.
    pub chart: Option<String>,
    pub app_version: Option<String>,
    /// The chart's own version from Chart.yaml, for charts.
    pub version: Option<String>,
    pub description: Option<String>,
}

/// The result: the spec's text, where it goes, and the report.
pub struct Imported {
    pub spec_path: PathBuf,
    pub spec_text: String,
    pub report: Report,
}

/// Reads the sources, maps them to a spec, validates it and writes it. Nothing is written on any error.
pub fn run(opts: &ImportOptions) -> Result<Imported, ImportError> {
    let imported = build(opts)?;
    if imported.spec_path.exists() && !opts.force {
        return Err(ImportError::Exists {
            path: imported.spec_path.display().to_string(),
        });
    }
    write_atomically(&imported.spec_path, &imported.spec_text)?;
    Ok(imported)
}

/// Everything but the write: the spec text and the report.
pub fn build(opts: &ImportOptions) -> Result<Imported, ImportError> {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for path in &opts.paths {
        sources.push(read_source(path, opts, &mut errors)?);
    }
    if let Some(e) = errors.into_iter().next() {
        return Err(e.into());
    }
    let first_name = opts
        .paths
        .first()
        .map(|p| fallback_name(p))
        .unwrap_or_default();
    if sources.iter().all(|s| s.unit.objects.is_empty()) {
        return Err(ImportError::Empty {
            path: opts
                .paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let name = match &opts.name {
        Some(n) => n.clone(),
        None => sources
            .iter()
            .find_map(|s| s.chart.clone())
            .map(|c| map::dns_label(&c, 53))
            .unwrap_or_else(|| map::dns_label(&first_name, 53)),
    };
    if !crate::spec::validate::is_dns_label(&name) || name.len() > 53 {
        return Err(ImportError::BadName { name });
    }
    let kinds: std::collections::BTreeSet<&str> = sources
        .iter()
        .flat_map(|s| s.unit.objects.iter().map(|o| o.kind.as_str()))
        .collect();
    if !kinds.contains("Deployment") && !kinds.contains("StatefulSet") {
        return Err(ImportError::NoWorkloads {
            found: kinds.into_iter().collect::<Vec<_>>().join(", "),
        });
    }
    let (mut spec, mut report) = map::to_spec(&name, &sources);
    let mut header =
        String::from("# yaml-language-server: $schema=../schemas/chart-spec.schema.json\n");
    header.push_str(&format!(
        "# Imported by `chartgen import` from {}; review the report, then `chartgen render`.\n",
        opts.paths
            .iter()
            .map(|p| crate::lint::output::escape_line(&p.display().to_string()))
            .collect::<Vec<_>>()
            .join(", ")
            .replace('\n', " ")
    ));
    let spec_path = opts
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("chart-spec/{name}.yaml")));
    // What the spec's validation refuses (a name it cannot take, a value out of its range, two things it would
    // render under one name) is left out and reported, field by field, rather than failing the whole import.
    let mut removed: Vec<String> = Vec::new();
    let mut text;
    let mut attempt = 0;
    loop {
        text = header.clone();
        if let serde_json::Value::Object(map) = &spec {
            crate::yaml::write::write_mapping(&mut text, map);
        }
        let errors = match crate::spec::parse(&spec_path, &text) {
            Ok(_) => break,
            Err(e) => e,
        };
        attempt += 1;
        if attempt > 12 {
            return Err(ImportError::Invalid {
                errors: errors.to_string(),
            });
        }
        for d in &errors.diagnostics {
            let path = drop_path(&mut spec, &d.path, &removed);
            report.not_carried(Item {
                file: String::new(),
                line: 0,
                object: String::new(),
                field: path.clone(),
                why: format!("the spec refuses it: {}", d.message),
            });
            removed.push(path);
        }
    }
    Ok(Imported {
        spec_path,
        spec_text: text,
        report,
    })
}

/// Removes the value at a dotted path of the spec (or, when it is already gone, its parent: the error is then
/// about something the parent needs); returns the path removed. Top-level sections are never removed whole
/// except for optional ones.
fn drop_path(spec: &mut serde_json::Value, path: &str, removed: &[String]) -> String {
    let mut segments: Vec<&str> = if path.is_empty() {
        Vec::new()
    } else {
        path.split('.').collect()
    };
    loop {
        let shown = segments.join(".");
        let exists = pointer(spec, &segments).is_some();
        if segments.len() >= 2 && (!exists || removed.contains(&shown)) {
            segments.pop();
            continue;
        }
        if segments.len() < 2
            && !matches!(
                segments.first(),
                Some(&("ingress" | "cronJobs" | "jobs" | "secretGroups"))
            )
        {
            return shown;
        }
        if let Some((last, parent)) = segments.split_last() {
            match pointer_mut(spec, parent) {
                Some(serde_json::Value::Object(map)) => {
                    map.remove(*last);
                }
                Some(serde_json::Value::Array(items)) => {
                    if let Ok(i) = last.parse::<usize>()
                        && i < items.len()
                    {
                        items.remove(i);
                    }
                }
                _ => {}
            }
        }
        return shown;
    }
}

fn pointer<'v>(value: &'v serde_json::Value, segments: &[&str]) -> Option<&'v serde_json::Value> {
    segments.iter().try_fold(value, |v, s| match v {
        serde_json::Value::Object(m) => m.get(*s),
        serde_json::Value::Array(a) => a.get(s.parse::<usize>().ok()?),
        _ => None,
    })
}

fn pointer_mut<'v>(
    value: &'v mut serde_json::Value,
    segments: &[&str],
) -> Option<&'v mut serde_json::Value> {
    segments.iter().try_fold(value, |v, s| match v {
        serde_json::Value::Object(m) => m.get_mut(*s),
        serde_json::Value::Array(a) => a.get_mut(s.parse::<usize>().ok()?),
        _ => None,
    })
}

fn fallback_name(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let stem = if abs.is_dir() {
        abs.file_name()
    } else {
        abs.file_stem()
    };
    stem.map(|s| s.to_string_lossy().into_owned())
        .filter(|s| s != "-")
        .unwrap_or_else(|| "app".into())
}

fn read_source(
    path: &Path,
    opts: &ImportOptions,
    errors: &mut Vec<InputError>,
) -> Result<Source, ImportError> {
    let limit = opts.max_input_size;
    if path.as_os_str() == "-" {
        let text = input::read_stdin(limit)?;
        let files = vec![SourceFile {
            path: "<stdin>".into(),
            text: Arc::from(text),
        }];
        return Ok(manifests(input::manifest_unit(files, errors)));
    }
    if path.join("Chart.yaml").is_file() {
        let (release, unit) = input::render_chart_unit(path, &opts.helm, limit, errors)?;
        let chart_yaml = input::read_text(&path.join("Chart.yaml"), limit)
            .ok()
            .and_then(|(_, t)| crate::yaml::parse_document(&t).ok());
        let field = |k: &str| {
            chart_yaml
                .as_ref()
                .and_then(|d| d.get(k))
                .and_then(|v| v.scalar_text())
        };
        return Ok(Source {
            unit,
            release: Some(release),
            chart: field("name"),
            app_version: field("appVersion"),
            version: field("version"),
            description: field("description"),
        });
    }
    let mut files = Vec::new();
    if path.is_dir() {
        let mut found: Vec<PathBuf> = walkdir::WalkDir::new(path)
            .follow_links(false)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .filter(|p| {
                p.extension()
                    .is_some_and(|x| x == "yaml" || x == "yml" || x == "json")
            })
            .collect();
        found.sort();
        for file in found {
            let (shown, text) = input::read_text(&file, limit)?;
            files.push(SourceFile {
                path: shown,
                text: Arc::from(text),
            });
        }
    } else {
        let (shown, text) = input::read_text(path, limit)?;
        files.push(SourceFile {
            path: shown,
            text: Arc::from(text),
        });
    }
    Ok(manifests(input::manifest_unit(files, errors)))
}

fn manifests(unit: Unit) -> Source {
    Source {
        unit,
        release: None,
        chart: None,
        app_version: None,
        version: None,
        description: None,
    }
}

/// Writes through a temporary file in the same folder and a rename, so a failed write leaves nothing behind.
fn write_atomically(path: &Path, text: &str) -> Result<(), ImportError> {
    let err = |e: std::io::Error| ImportError::Write {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(err)?;
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(err)?;
    std::io::Write::write_all(&mut tmp, text.as_bytes()).map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

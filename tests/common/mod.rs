//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn chartgen() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_chartgen"));
    cmd.current_dir(root()).env("NO_COLOR", "1");
    cmd
}

/// A real tool installed by scripts/install-tools.sh. Missing tools fail the test loudly: a skipped check
/// would look like a passing one.
pub fn tool(name: &str) -> PathBuf {
    let candidates = [
        root().join(".tools/bin").join(name),
        root().join(".tools/venv/bin").join(name),
    ];
    match candidates.iter().find(|p| p.exists()) {
        Some(p) => p.clone(),
        None => panic!(
            "required tool `{name}` is not installed (looked in .tools/bin and .tools/venv/bin); run scripts/install-tools.sh"
        ),
    }
}

pub fn run(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every chart spec in chart-spec/, sorted.
pub fn spec_files() -> Vec<PathBuf> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(root().join("chart-spec"))
        .expect("chart-spec/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    specs.sort();
    specs
}

/// Every committed chart under generated/helm/, sorted.
pub fn charts() -> Vec<PathBuf> {
    let mut charts: Vec<PathBuf> = std::fs::read_dir(root().join("generated/helm"))
        .expect("generated/helm/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("Chart.yaml").exists())
        .collect();
    charts.sort();
    charts
}

pub fn chart_name(chart: &Path) -> String {
    chart
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Every file under `dir` with its bytes, for before/after comparisons.
pub fn snapshot_tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    if !dir.exists() {
        return out;
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            out.push((
                entry.path().to_path_buf(),
                std::fs::read(entry.path()).expect("read"),
            ));
        }
    }
    out
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// Runs `cmd` with a stdout nobody reads (closed at once) and checks it ends quietly: no panic, no "Broken pipe"
/// message, and an ordinary exit code (0 clean or 1 findings).
pub fn assert_quiet_on_closed_stdout(cmd: &mut Command) {
    use std::process::Stdio;
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("wait");
    let stderr = text(&output.stderr);
    assert!(
        !stderr.contains("panicked") && !stderr.to_lowercase().contains("broken pipe"),
        "{stderr}"
    );
    assert!(
        matches!(output.status.code(), Some(0) | Some(1)),
        "{:?}: {stderr}",
        output.status
    );
}

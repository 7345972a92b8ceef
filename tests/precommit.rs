//! The hooks in .pre-commit-hooks.yaml, run by the real pre-commit client, which builds chartgen with cargo
//! exactly as a user's pre-commit would: `pre-commit try-repo` once (the documented trial), then `pre-commit run`
//! with a config pinned to this repository's HEAD, which pre-commit builds once and caches for the other runs.

mod common;

use common::*;
use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> String {
    let out = run(Command::new("git").current_dir(dir).args(args));
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    text(&out.stdout).trim().to_string()
}

fn pre_commit(dir: &Path, args: &[&str]) -> (bool, String) {
    let out = run(Command::new(tool("pre-commit"))
        .current_dir(dir)
        .env("PRE_COMMIT_HOME", root().join(".tools/pre-commit-home"))
        .env("HELM", tool("helm4"))
        .args(args));
    (
        out.status.success(),
        format!("{}{}", text(&out.stdout), text(&out.stderr)),
    )
}

/// pre-commit's status for a hook (`chartgen lint.....Passed` → "Passed"): Passed, Failed or Skipped, so a hook
/// that never ran (no matching files) cannot pass for one that checked something.
fn hook_status<'o>(output: &'o str, hook_name: &str) -> Option<&'o str> {
    output.lines().find_map(|line| {
        let rest = line.strip_prefix(hook_name)?;
        let status = rest.trim_start_matches('.').trim();
        let status = status.strip_prefix("(no files to check)").unwrap_or(status);
        (rest.starts_with('.') && !status.is_empty()).then_some(status)
    })
}

/// Runs pre-commit and returns its exit code and combined output.
fn pre_commit_code(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = run(Command::new(tool("pre-commit"))
        .current_dir(dir)
        .env("PRE_COMMIT_HOME", root().join(".tools/pre-commit-home"))
        .env("HELM", tool("helm4"))
        .args(args));
    (
        out.status.code(),
        format!("{}{}", text(&out.stdout), text(&out.stderr)),
    )
}

fn new_repo(dir: &Path) {
    git(dir, &["init", "-q"]);
    git(dir, &["config", "user.email", "ci@example.com"]);
    git(dir, &["config", "user.name", "ci"]);
}

/// A .pre-commit-config.yaml using this repository's hooks at its HEAD commit.
fn pinned_config(dir: &Path, hook: &str) -> String {
    let rev = git(&root(), &["rev-parse", "HEAD"]);
    let config = format!(
        "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: {hook}\n",
        root().display()
    );
    let path = dir.join(format!(".pre-commit-{hook}.yaml"));
    std::fs::write(&path, config).expect("write config");
    path.display().to_string()
}

#[test]
fn hooks_run_under_the_real_pre_commit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path();
    new_repo(repo);
    std::fs::create_dir_all(repo.join("k8s")).expect("mkdir");
    std::fs::copy(
        root().join("tests/fixtures/rules/runs-as-root/clean.yaml"),
        repo.join("k8s/api.yaml"),
    )
    .expect("copy");
    std::fs::copy(
        root().join("tests/fixtures/lint/mixed.yaml"),
        repo.join("k8s/bad.yaml"),
    )
    .expect("copy");
    git(repo, &["add", "."]);
    let root_str = root().display().to_string();
    let (ok, output) = pre_commit(
        repo,
        &[
            "try-repo",
            &root_str,
            "chartgen-lint",
            "--all-files",
            "--verbose",
        ],
    );
    assert!(!ok, "a root container fails the hook:\n{output}");
    assert!(
        output.contains("k8s/bad.yaml:27:24: error[runs-as-root]"),
        "{output}"
    );

    let lint_config = pinned_config(repo, "chartgen-lint");
    let (code, output) = pre_commit_code(
        repo,
        &["run", "--config", &lint_config, "--files", "k8s/api.yaml"],
    );
    assert_eq!(code, Some(0), "a clean manifest passes:\n{output}");
    assert_eq!(
        hook_status(&output, "chartgen lint"),
        Some("Passed"),
        "the hook ran on the file and passed:\n{output}"
    );

    // The pinned hook on the broken manifest: pre-commit fails with chartgen's exit code and the finding's
    // file:line:column and rule, as chartgen prints them for the file pre-commit passed.
    let (code, output) = pre_commit_code(
        repo,
        &["run", "--config", &lint_config, "--files", "k8s/bad.yaml"],
    );
    assert_eq!(code, Some(1), "a root container fails the hook:\n{output}");
    assert_eq!(
        hook_status(&output, "chartgen lint"),
        Some("Failed"),
        "{output}"
    );
    for expected in [
        "- hook id: chartgen-lint",
        "- exit code: 1",
        "k8s/bad.yaml:27:24: error[runs-as-root]",
    ] {
        assert!(output.contains(expected), "`{expected}` in:\n{output}");
    }
    assert!(
        !output.contains("k8s/api.yaml:"),
        "only the passed file is linted:\n{output}"
    );

    // render --check: a project with a spec and its generated chart, then a drifted chart.
    let project = tempfile::tempdir().expect("tempdir");
    let p = project.path();
    new_repo(p);
    std::fs::create_dir_all(p.join("chart-spec")).expect("mkdir");
    std::fs::copy(
        root().join("chart-spec/todo-app.yaml"),
        p.join("chart-spec/todo-app.yaml"),
    )
    .expect("copy");
    let rendered = run(Command::new(env!("CARGO_BIN_EXE_chartgen"))
        .current_dir(p)
        .arg("render"));
    assert!(rendered.status.success(), "{}", text(&rendered.stderr));
    git(p, &["add", "."]);
    let check_config = pinned_config(p, "chartgen-render-check");
    let (code, output) = pre_commit_code(p, &["run", "--config", &check_config, "--all-files"]);
    assert_eq!(code, Some(0), "an up-to-date chart passes:\n{output}");
    assert_eq!(
        hook_status(&output, "chartgen render --check"),
        Some("Passed"),
        "the check ran (not skipped) and passed:\n{output}"
    );
    let values = p.join("generated/helm/todo-app/values.yaml");
    let drifted = std::fs::read_to_string(&values)
        .expect("read")
        .replace("replicaCount: 2", "replicaCount: 9");
    std::fs::write(&values, drifted).expect("write");
    git(p, &["add", "."]);
    let (code, output) = pre_commit_code(
        p,
        &["run", "--config", &check_config, "--all-files", "--verbose"],
    );
    assert_eq!(code, Some(1), "drift fails the hook:\n{output}");
    assert_eq!(
        hook_status(&output, "chartgen render --check"),
        Some("Failed"),
        "{output}"
    );
    for expected in [
        "- exit code: 1",
        "generated/helm/todo-app/values.yaml",
        "-  replicaCount: 9",
        "+  replicaCount: 2",
    ] {
        assert!(
            output.contains(expected),
            "drift shows `{expected}`:\n{output}"
        );
    }
}

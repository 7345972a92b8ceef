//! The hooks in .pre-commit-hooks.yaml, run by the real pre-commit client (`pre-commit try-repo`), which builds
//! chartgen with cargo exactly as a user's pre-commit would.

mod common;

use common::*;
use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let out = run(Command::new("git").current_dir(dir).args(args));
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
}

fn try_repo(dir: &Path, hook: &str) -> (bool, String) {
    let out = run(Command::new(tool("pre-commit"))
        .current_dir(dir)
        .env("PRE_COMMIT_HOME", root().join(".tools/pre-commit-home"))
        .env("HELM", tool("helm4"))
        .args(["try-repo"])
        .arg(root())
        .args([hook, "--all-files", "--verbose"]));
    (
        out.status.success(),
        format!("{}{}", text(&out.stdout), text(&out.stderr)),
    )
}

#[test]
fn hooks_run_under_the_real_pre_commit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path();
    git(repo, &["init", "-q"]);
    git(repo, &["config", "user.email", "ci@example.com"]);
    git(repo, &["config", "user.name", "ci"]);
    std::fs::create_dir_all(repo.join("k8s")).expect("mkdir");
    std::fs::copy(
        root().join("tests/fixtures/rules/runs-as-root/clean.yaml"),
        repo.join("k8s/api.yaml"),
    )
    .expect("copy");
    git(repo, &["add", "."]);
    let (ok, output) = try_repo(repo, "chartgen-lint");
    assert!(ok, "a clean manifest passes:\n{output}");

    std::fs::copy(
        root().join("tests/fixtures/lint/mixed.yaml"),
        repo.join("k8s/bad.yaml"),
    )
    .expect("copy");
    git(repo, &["add", "."]);
    let (ok, output) = try_repo(repo, "chartgen-lint");
    assert!(!ok, "a root container fails the hook:\n{output}");
    assert!(
        output.contains("k8s/bad.yaml:27:24: error[runs-as-root]"),
        "{output}"
    );

    // render --check: a repository with a spec and its generated chart, then a drifted chart.
    let project = tempfile::tempdir().expect("tempdir");
    let p = project.path();
    git(p, &["init", "-q"]);
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
    let (ok, output) = try_repo(p, "chartgen-render-check");
    assert!(ok, "an up-to-date chart passes:\n{output}");
    let values = p.join("generated/helm/todo-app/values.yaml");
    let drifted = std::fs::read_to_string(&values)
        .expect("read")
        .replace("replicaCount: 2", "replicaCount: 9");
    std::fs::write(&values, drifted).expect("write");
    git(p, &["add", "."]);
    let (ok, output) = try_repo(p, "chartgen-render-check");
    assert!(
        !ok && output.contains("+  replicaCount: 2"),
        "drift fails with the diff:\n{output}"
    );
}

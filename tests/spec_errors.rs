//! Every bad spec under tests/fixtures/specs/bad/ fails with a clear error (file, key path, line:column, fix),
//! exits 2 from the CLI, and writes nothing. The messages are snapshotted.

mod common;

use common::*;
use std::path::Path;

#[test]
fn bad_specs_report_every_error_with_location() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots/spec-errors");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::glob!("fixtures/specs/bad/*.yaml", |path| {
            let rel = path
                .strip_prefix(root())
                .expect("fixture under the crate root");
            let err = chartgen::spec::load(rel).expect_err("a bad spec must not validate");
            assert!(!err.diagnostics.is_empty());
            let shown = err.to_string();
            // Every error with a line shows it (a line holding a secret is never shown, not even masked).
            let secret_lines: Vec<u32> = err
                .diagnostics
                .iter()
                .filter(|d| d.secret.is_some())
                .filter_map(|d| d.start.map(|p| p.line))
                .collect();
            for d in &err.diagnostics {
                if let Some(p) = d.start.filter(|p| !secret_lines.contains(&p.line)) {
                    assert!(
                        shown.contains(&format!("\n{} | ", p.line)),
                        "no snippet for {d:?} in\n{shown}"
                    );
                }
            }
            insta::assert_snapshot!(err.to_string());
        });
    });
}

#[test]
fn bad_specs_exit_2_and_leave_existing_output_untouched() {
    let out = tempfile::tempdir().expect("tempdir");
    copy_tree(&root().join("generated"), out.path());
    let before = snapshot_tree(out.path());
    let fixtures = root().join("tests/fixtures/specs/bad");
    let mut count = 0;
    for entry in std::fs::read_dir(&fixtures).expect("fixtures") {
        let path = entry.expect("entry").path();
        let output = run(chartgen()
            .arg("render")
            .arg(&path)
            .arg("--out")
            .arg(out.path()));
        assert_eq!(
            output.status.code(),
            Some(2),
            "{}: {}",
            path.display(),
            text(&output.stderr)
        );
        let stderr = text(&output.stderr);
        assert!(
            stderr.contains(&path.display().to_string()),
            "the error names the file: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        count += 1;
    }
    assert!(count >= 20, "expected the whole fixture set, found {count}");
    assert_eq!(
        before,
        snapshot_tree(out.path()),
        "a failed render changed files on disk"
    );
}

#[test]
fn typo_gets_did_you_mean_and_exact_position() {
    let err = chartgen::spec::load(Path::new("tests/fixtures/specs/bad/unknown-key-typo.yaml"))
        .expect_err("typo");
    let d = &err.diagnostics[0];
    assert_eq!(d.path, "components.api.replica");
    // The unknown key itself, from its first character to just after its last.
    assert_eq!(d.start.map(|p| (p.line, p.column)), Some((11, 5)));
    assert_eq!(d.end.map(|p| (p.line, p.column)), Some((11, 12)));
    assert_eq!(d.help.as_deref(), Some("did you mean `replicas`?"));
}

#[test]
fn secret_values_are_refused_and_never_echoed() {
    let err = chartgen::spec::load(Path::new(
        "tests/fixtures/specs/bad/secret-value-in-spec.yaml",
    ))
    .expect_err("secret");
    let shown = err.to_string();
    assert!(
        shown.contains("specs hold secret key names, never values"),
        "{shown}"
    );
    assert!(
        !shown.contains("hunter2") && !shown.contains("sk-proj-"),
        "the secret leaked into the message: {shown}"
    );
}

/// A spec that names an existing chart, broken in a later phase (a range the schema checks) and in validation
/// (a request above its limit): exit 2, and the chart already on disk is left exactly as it was.
#[test]
fn a_bad_spec_for_an_existing_chart_leaves_that_chart_untouched() {
    let out = tempfile::tempdir().expect("tempdir");
    copy_tree(&root().join("generated"), out.path());
    let before = snapshot_tree(out.path());
    let spec = std::fs::read_to_string(root().join("chart-spec/todo-app.yaml")).expect("spec");
    for (from, to) in [
        ("port: 8000", "port: 99999"),
        ("memory: 256Mi", "memory: 64Gi"),
    ] {
        assert!(spec.contains(from), "the spec changed: update this test");
        let bad = out.path().join("todo-app.yaml");
        std::fs::write(&bad, spec.replacen(from, to, 1)).expect("write");
        let output = run(chartgen()
            .arg("render")
            .arg(&bad)
            .arg("--out")
            .arg(out.path()));
        assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
        assert!(text(&output.stderr).contains("nothing was written"));
        std::fs::remove_file(&bad).expect("remove");
        assert_eq!(before, snapshot_tree(out.path()), "{to}: the chart changed");
    }
    // The same spec, unbroken, renders over it without a change: the copy is the committed chart.
    let good = out.path().join("todo-app.yaml");
    std::fs::write(&good, &spec).expect("write");
    let output = run(chartgen()
        .arg("render")
        .arg(&good)
        .arg("--out")
        .arg(out.path()));
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    std::fs::remove_file(&good).expect("remove");
    assert_eq!(before, snapshot_tree(out.path()));
}

//! Every rule against its fixtures (tests/fixtures/rules/<rule>/): `violations*` must fire, `clean*` and
//! `traps*` (look-alikes that fool other linters) must not. Each fixture is linted with only the rule under test
//! (`--select`), whose human output, snippets and masking included, is snapshotted; `clean*` and `traps*` are
//! linted once more with every rule enabled, where the fixture's own rule must stay silent too (other rules may
//! fire there). Every rule is checked on its own: one failing rule does not hide the others, and the test lists
//! every failing rule at the end.

mod common;

use common::*;
use std::path::{Path, PathBuf};

/// `chartgen lint` on one fixture; `select`: only that rule, `None`: every rule.
fn lint(select: Option<&str>, fixture: &Path, format: &str) -> std::process::Output {
    let rel = fixture
        .strip_prefix(root())
        .expect("fixture under the crate root");
    let mut cmd = chartgen();
    cmd.env("HELM", tool("helm4")).arg("lint");
    if let Some(rule) = select {
        cmd.args(["--select", rule]);
    }
    cmd.args([
        "--format",
        format,
        "--config",
        "tests/fixtures/empty-config.yaml",
    ])
    .arg(rel);
    run(&mut cmd)
}

fn parse_report(what: &str, output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{what}: JSON output does not parse ({e}): {}",
            text(&output.stderr)
        )
    })
}

fn lint_with_rule(rule: &str, fixture: &Path) -> (Option<i32>, String, serde_json::Value) {
    let what = format!("{rule} {}", fixture.display());
    let human = lint(Some(rule), fixture, "human");
    let report = parse_report(&what, &lint(Some(rule), fixture, "json"));
    assert!(
        text(&human.stderr).is_empty(),
        "{what}: {}",
        text(&human.stderr)
    );
    (human.status.code(), text(&human.stdout), report)
}

fn fixtures(rule_dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(rule_dir)
        .expect("rule fixtures")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    entries
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[test]
fn every_rule_has_violations_clean_cases_and_traps() {
    for rule in chartgen::lint::rules::RULES {
        let name = rule.meta().name;
        let dir = root().join("tests/fixtures/rules").join(name);
        let names: Vec<String> = if dir.is_dir() {
            fixtures(&dir).iter().map(|p| file_name(p)).collect()
        } else {
            Vec::new()
        };
        for kind in ["violations", "clean", "traps"] {
            assert!(
                names.iter().any(|n| n.contains(kind)),
                "rule {name} has no `{kind}` fixture in {}",
                dir.display()
            );
        }
    }
}

/// Checks one fixture of `name`; panics (an assertion or a snapshot mismatch) on the first problem.
fn check_fixture(name: &str, fixture: &Path) {
    let label = file_name(fixture);
    let (code, human, report) = lint_with_rule(name, fixture);
    let findings = report["findings"].as_array().cloned().unwrap_or_default();
    assert!(
        findings.iter().all(|f| f["rule"] == name),
        "{name}/{label}: another rule fired"
    );
    if label.contains("violations") {
        assert!(
            !findings.is_empty(),
            "{name}/{label}: expected findings, got none"
        );
        let errors = findings.iter().any(|f| f["severity"] == "error");
        assert_eq!(
            code,
            Some(if errors { 1 } else { 0 }),
            "{name}/{label}: exit code"
        );
        for f in &findings {
            assert!(
                f["line"].as_u64().unwrap_or(0) >= 1 && f["column"].as_u64().unwrap_or(0) >= 1,
                "{f}"
            );
        }
    } else {
        assert!(
            findings.is_empty(),
            "{name}/{label}: expected no findings, got:\n{human}"
        );
        assert_eq!(code, Some(0), "{name}/{label}");

        // With every rule enabled, as a user runs it: other rules may fire, the fixture's own rule may not.
        let all = lint(None, fixture, "json");
        let report = parse_report(&format!("{name}/{label} (all rules)"), &all);
        assert!(
            matches!(all.status.code(), Some(0) | Some(1)),
            "{name}/{label} (all rules): exit {:?}: {}",
            all.status.code(),
            text(&all.stderr)
        );
        let own: Vec<&serde_json::Value> = report["findings"]
            .as_array()
            .map(|f| f.iter().filter(|f| f["rule"] == name).collect())
            .unwrap_or_default();
        assert!(
            own.is_empty(),
            "{name}/{label}: with all rules enabled, {name} fired: {own:?}"
        );
    }
    insta::assert_snapshot!(format!("{name}@{}", label.trim_end_matches(".yaml")), human);
}

/// Every fixture of one rule; the failures, one line each (empty: the rule passes).
fn check_rule(name: &str) -> Vec<String> {
    let mut failures = Vec::new();
    for fixture in fixtures(&root().join("tests/fixtures/rules").join(name)) {
        let label = file_name(&fixture);
        let outcome = std::panic::catch_unwind(|| check_fixture(name, &fixture));
        if let Err(panic) = outcome {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panicked".to_string());
            failures.push(format!("{name}/{label}: {message}"));
        }
    }
    failures
}

#[test]
fn rules_fire_on_violations_and_never_on_clean_cases_or_traps() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots/rules");
    settings.set_prepend_module_to_snapshot(false);
    let _guard = settings.bind_to_scope();
    let mut failing_rules = Vec::new();
    let mut failures = Vec::new();
    for rule in chartgen::lint::rules::RULES {
        let name = rule.meta().name;
        let rule_failures = check_rule(name);
        if !rule_failures.is_empty() {
            failing_rules.push(name);
            failures.extend(rule_failures);
        }
    }
    assert!(
        failing_rules.is_empty(),
        "{} of {} rules fail: {}\n\n{}",
        failing_rules.len(),
        chartgen::lint::rules::RULES.len(),
        failing_rules.join(", "),
        failures.join("\n\n")
    );
}

#[test]
fn secrets_are_masked_in_every_format() {
    let fixture = root().join("tests/fixtures/rules/plaintext-secret/violations.yaml");
    let rel = fixture.strip_prefix(root()).expect("under root");
    let raw = [
        "hunter2hunter2",
        "Xk9vq2Lm",
        "Zq8r2LmX9vT4pK7wN3bY6cH1aJ5dE0fG",
        "ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R",
        "correct-horse-battery",
        "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    ];
    for format in ["human", "json", "sarif", "github"] {
        let out = run(chartgen()
            .args(["lint", "--select", "plaintext-secret", "--format", format])
            .arg(rel));
        let shown = text(&out.stdout);
        assert!(shown.contains("plaintext-secret"), "{format}: {shown}");
        for secret in raw {
            assert!(
                !shown.contains(secret),
                "{format} output leaks `{secret}`:\n{shown}"
            );
        }
    }
}

#[test]
fn baseline_profile_runs_every_pod_security_baseline_control() {
    let baseline = [
        "host-port",
        "unsafe-sysctl",
        "unmasked-proc-mount",
        "apparmor-unconfined",
        "custom-selinux-options",
        "host-process",
    ];
    for rule in baseline {
        let fixture = format!("tests/fixtures/rules/{rule}/violations.yaml");
        let out = run(chartgen().args([
            "lint",
            "--profile",
            "baseline",
            "--format",
            "json",
            "--config",
            "tests/fixtures/empty-config.yaml",
            &fixture,
        ]));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
        let fired = report["findings"]
            .as_array()
            .is_some_and(|f| f.iter().any(|f| f["rule"] == rule));
        assert!(fired, "--profile baseline does not run {rule}");
    }
}

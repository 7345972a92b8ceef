//! Every rule against its fixtures (tests/fixtures/rules/<rule>/): `violations*` must fire, `clean*` and
//! `traps*` (look-alikes that fool other linters) must not. Only the rule under test runs. The human output,
//! snippets and masking included, is snapshotted.

mod common;

use common::*;
use std::path::{Path, PathBuf};

fn lint_with_rule(rule: &str, fixture: &Path) -> (Option<i32>, String, serde_json::Value) {
    let rel = fixture
        .strip_prefix(root())
        .expect("fixture under the crate root");
    let run_format = |format: &str| {
        run(chartgen()
            .env("HELM", tool("helm4"))
            .args([
                "lint",
                "--select",
                rule,
                "--format",
                format,
                "--config",
                "tests/fixtures/empty-config.yaml",
            ])
            .arg(rel))
    };
    let human = run_format("human");
    let json = run_format("json");
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap_or_else(|e| {
        panic!(
            "{rule} {}: JSON output does not parse ({e}): {}",
            rel.display(),
            text(&json.stderr)
        )
    });
    assert!(
        text(&human.stderr).is_empty(),
        "{rule} {}: {}",
        rel.display(),
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

#[test]
fn every_rule_has_violations_clean_cases_and_traps() {
    for rule in chartgen::lint::rules::RULES {
        let name = rule.meta().name;
        let dir = root().join("tests/fixtures/rules").join(name);
        let names: Vec<String> = if dir.is_dir() {
            fixtures(&dir)
                .iter()
                .map(|p| {
                    p.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                })
                .collect()
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

#[test]
fn rules_fire_on_violations_and_never_on_clean_cases_or_traps() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots/rules");
    settings.set_prepend_module_to_snapshot(false);
    let _guard = settings.bind_to_scope();
    for rule in chartgen::lint::rules::RULES {
        let name = rule.meta().name;
        for fixture in fixtures(&root().join("tests/fixtures/rules").join(name)) {
            let label = fixture
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let (code, human, report) = lint_with_rule(name, &fixture);
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
                        f["line"].as_u64().unwrap_or(0) >= 1
                            && f["column"].as_u64().unwrap_or(0) >= 1,
                        "{f}"
                    );
                }
            } else {
                assert!(
                    findings.is_empty(),
                    "{name}/{label}: expected no findings, got:\n{human}"
                );
                assert_eq!(code, Some(0), "{name}/{label}");
            }
            insta::assert_snapshot!(format!("{name}@{}", label.trim_end_matches(".yaml")), human);
        }
    }
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

//! `chartgen lint` end to end: inputs, formats, exit codes, suppressions, config, profiles and hostile input.

mod common;

use common::*;
use std::io::Write;
use std::process::{Output, Stdio};

fn lint(args: &[&str]) -> Output {
    run(chartgen().env("HELM", tool("helm4")).arg("lint").args(args))
}

fn json(args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let out = lint(&all);
    let value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            text(&out.stdout),
            text(&out.stderr)
        )
    });
    (out.status.code(), value)
}

fn rules_of(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| f["rule"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn exit_codes_follow_the_worst_severity() {
    assert_eq!(
        lint(&["tests/fixtures/lint/mixed.yaml"]).status.code(),
        Some(1),
        "an error finding exits 1"
    );
    assert_eq!(
        lint(&["tests/fixtures/lint/warning-only.yaml"])
            .status
            .code(),
        Some(0),
        "warnings alone exit 0"
    );
    assert_eq!(
        lint(&["tests/fixtures/rules/runs-as-root/clean.yaml"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        lint(&["tests/fixtures/lint/nope.yaml"]).status.code(),
        Some(2),
        "a missing path is a usage error"
    );
    assert_eq!(
        lint(&["--select", "runs-as-rot", "tests/fixtures/lint/mixed.yaml"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        lint(&["--format", "xml", "tests/fixtures/lint/mixed.yaml"])
            .status
            .code(),
        Some(2)
    );
    let unknown = lint(&["--select", "runs-as-rot", "tests/fixtures/lint/mixed.yaml"]);
    assert!(
        text(&unknown.stderr).contains("did you mean `runs-as-root`?"),
        "{}",
        text(&unknown.stderr)
    );
}

#[test]
fn json_has_exactly_the_documented_fields() {
    let (code, report) = json(&["tests/fixtures/lint/mixed.yaml"]);
    assert_eq!(code, Some(1));
    let finding = report["findings"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["rule"] == "runs-as-root"))
        .expect("runs-as-root");
    let keys: Vec<&String> = finding.as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        [
            "rule",
            "severity",
            "message",
            "file",
            "line",
            "column",
            "endLine",
            "endColumn",
            "object",
            "container",
            "path"
        ]
    );
    assert_eq!(
        finding["object"],
        serde_json::json!({"kind": "Deployment", "name": "api", "namespace": "demo"})
    );
    assert_eq!(finding["container"], "api");
    assert_eq!(
        (finding["line"].as_u64(), finding["column"].as_u64()),
        (Some(27), Some(24)),
        "points at `runAsUser: 0`"
    );
    assert_eq!(
        (finding["endLine"].as_u64(), finding["endColumn"].as_u64()),
        (Some(27), Some(25)),
        "the region is the value `0`"
    );
    assert_eq!(
        finding["path"],
        "spec.template.spec.containers.0.securityContext.runAsUser"
    );
    assert_eq!(report["summary"]["errors"], 1);
    assert_eq!(report["summary"]["warnings"], 1);
    assert_eq!(report["summary"]["objects"], 1);
}

#[test]
fn sarif_is_valid_per_the_sarif_multitool() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A file outside the working folder (an absolute path) needs an absolute `file://` URI without a base.
    let outside = dir.path().join("outside dir");
    std::fs::create_dir_all(&outside).expect("mkdir");
    let outside_file = outside.join("mixed.yaml");
    std::fs::copy("tests/fixtures/lint/mixed.yaml", &outside_file).expect("copy");
    let outside_file = outside_file.display().to_string();
    for (name, input) in [
        ("mixed", "tests/fixtures/lint/mixed.yaml"),
        (
            "secrets",
            "tests/fixtures/rules/plaintext-secret/violations.yaml",
        ),
        ("chart", "tests/fixtures/charts/webstack"),
        // Spec errors with help and a related location (the first of two duplicates).
        ("spec", "tests/fixtures/specs/bad/duplicate-port.yaml"),
        ("outside", outside_file.as_str()),
    ] {
        let out = lint(&["--format", "sarif", input]);
        let file = dir.path().join(format!("{name}.sarif"));
        std::fs::write(&file, &out.stdout).expect("write");
        let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(sarif["version"], "2.1.0");
        let run0 = &sarif["runs"][0];
        assert_eq!(
            run0["tool"]["driver"]["rules"].as_array().map(Vec::len),
            Some(chartgen::lint::rules::RULES.len())
        );
        let results = run0["results"].as_array().expect("results");
        assert!(
            results.iter().all(|r| {
                r["ruleId"] == "chart-missing-values-schema"
                    || r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap_or(0)
                        > 1
            }),
            "{name}: real regions, not line 1"
        );
        assert!(!results.is_empty(), "{name}: no results");
        for r in results {
            let location = &r["locations"][0]["physicalLocation"];
            let region = &location["region"];
            for key in ["startLine", "startColumn", "endLine", "endColumn"] {
                assert!(
                    region[key].as_u64().is_some_and(|n| n >= 1),
                    "{name}: {key} in {r}"
                );
            }
            let at = |line: &str, column: &str| (region[line].as_u64(), region[column].as_u64());
            assert!(
                at("endLine", "endColumn") > at("startLine", "startColumn"),
                "{name}: a region covers at least one character: {region}"
            );
            let artifact = &location["artifactLocation"];
            let uri = artifact["uri"].as_str().unwrap_or_default();
            if name == "outside" {
                assert!(uri.starts_with("file:///"), "{uri}");
                assert!(uri.ends_with("/outside%20dir/mixed.yaml"), "{uri}");
                assert!(artifact.get("uriBaseId").is_none(), "{artifact}");
            } else {
                assert!(!uri.starts_with('/') && !uri.contains(".."), "{uri}");
                assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
            }
        }
        let validate = run(std::process::Command::new(tool("sarif-multitool"))
            .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
            .arg("validate")
            .arg(&file));
        let all = format!("{}{}", text(&validate.stdout), text(&validate.stderr));
        assert!(
            validate.status.success(),
            "Sarif.Multitool validate failed on {name}:\n{all}"
        );
        assert!(!all.contains(": error"), "{all}");
        if name == "spec" {
            let r = &results[0];
            assert_eq!(
                r["relatedLocations"][0]["physicalLocation"]["region"]["startLine"], 13,
                "the first use of the node port: {r}"
            );
            let message = r["message"]["text"].as_str().unwrap_or_default();
            assert!(
                message.contains("(help: pick another node port"),
                "{message}"
            );
        }
    }
}

#[test]
fn github_format_emits_workflow_commands() {
    let out = lint(&["--format", "github", "tests/fixtures/lint/mixed.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.lines().any(|l| l.starts_with(
            "::error file=tests/fixtures/lint/mixed.yaml,line=27,endLine=27,col=24,endColumn=25,title=runs-as-root::"
        )),
        "{stdout}"
    );
    assert!(stdout.lines().any(|l| l.starts_with("::warning file=") && l.contains("title=missing-liveness-probe")), "{stdout}");
}

#[test]
fn human_output_has_location_snippet_caret_and_summary_without_colour_off_a_tty() {
    let out = lint(&["tests/fixtures/lint/mixed.yaml"]);
    let stdout = text(&out.stdout);
    assert!(
        !stdout.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
    assert!(
        stdout.contains("tests/fixtures/lint/mixed.yaml:27:24: error[runs-as-root]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("27 |             runAsUser: 0\n   |                        ^"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Found 1 error, 1 warning, 1 info in 1 files (1 objects)."),
        "{stdout}"
    );
}

#[test]
fn stdin_is_linted_as_a_manifest() {
    let mut child = chartgen()
        .args(["lint", "-", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let manifest = std::fs::read(root().join("tests/fixtures/lint/mixed.yaml")).expect("read");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&manifest)
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(
        report["findings"]
            .as_array()
            .is_some_and(|a| a.iter().any(|f| f["file"] == "<stdin>" && f["line"] == 27))
    );
}

#[test]
fn annotations_with_reasons_suppress_per_object_and_per_container() {
    let (code, report) = json(&["tests/fixtures/lint/suppressed.yaml"]);
    let rules = rules_of(&report);
    assert!(
        !rules.contains(&"missing-liveness-probe".to_string()),
        "{rules:?}"
    );
    let root_findings: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "runs-as-root")
        .collect();
    assert_eq!(
        root_findings.len(),
        1,
        "only the container without a suppression: {root_findings:?}"
    );
    assert_eq!(root_findings[0]["container"], "app");
    assert_eq!(code, Some(1));
}

#[test]
fn suppressions_without_reason_do_not_suppress_and_are_findings() {
    let (_, report) = json(&["tests/fixtures/rules/suppression-without-reason/violations.yaml"]);
    let rules = rules_of(&report);
    assert!(
        rules
            .iter()
            .filter(|r| *r == "suppression-without-reason")
            .count()
            >= 3,
        "{rules:?}"
    );
    assert!(
        rules.contains(&"missing-liveness-probe".to_string()),
        "a reasonless suppression suppresses nothing"
    );
}

#[test]
fn config_file_sets_levels_and_ignores_paths() {
    let (code, report) = json(&["tests/fixtures/lint/config-dir"]);
    let findings = report["findings"].as_array().expect("findings");
    assert!(
        findings
            .iter()
            .all(|f| !f["file"].as_str().unwrap_or_default().contains("legacy/")),
        "legacy/** is ignored"
    );
    assert!(
        findings
            .iter()
            .all(|f| f["rule"] != "missing-liveness-probe"),
        "turned off with a reason"
    );
    assert!(
        findings.iter().any(|f| f["rule"] == "runs-as-root"),
        "the config is accepted and the rest still runs: {findings:?}"
    );
    assert_eq!(code, Some(1));
    // A setting without a reason is refused outright: tests/hostile_lint.rs.
}

#[test]
fn invalid_config_is_a_usage_error_with_lines() {
    let out = lint(&["tests/fixtures/lint/bad-config"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(".chartgen.yaml:4:1") && stderr.contains("profil"),
        "{stderr}"
    );
    assert!(
        stderr.contains(".chartgen.yaml:3:29") || stderr.contains("never"),
        "{stderr}"
    );
    // Config errors show their line with the offending key underlined, as spec errors and findings do.
    assert!(
        stderr.contains("4 | profil: baseline\n  | ^^^^^^\n  help: did you mean `profile`?"),
        "{stderr}"
    );
}

#[test]
fn baseline_profile_skips_restricted_only_rules() {
    let (_, restricted) = json(&["tests/fixtures/lint/mixed.yaml"]);
    let (code, baseline) = json(&["--profile", "baseline", "tests/fixtures/lint/mixed.yaml"]);
    assert!(rules_of(&restricted).contains(&"runs-as-root".to_string()));
    assert!(!rules_of(&baseline).contains(&"runs-as-root".to_string()));
    assert_eq!(code, Some(0));
}

#[test]
fn lists_and_unknown_kinds_are_handled() {
    let (_, report) = json(&["tests/fixtures/lint/list-and-unknown.yaml"]);
    assert_eq!(report["summary"]["objects"], 2);
    assert!(
        report["findings"]
            .as_array()
            .expect("f")
            .iter()
            .any(|f| f["object"]["name"] == "listed")
    );
}

#[test]
fn hostile_input_gets_a_clear_error_never_a_crash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let huge: String = (0..40_000)
        .map(|i| format!("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{ name: c{i}, namespace: demo }}\ndata: {{ k: v }}\n"))
        .collect();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "malformed.yaml",
            b"kind: Pod\nmetadata: {name: [unclosed\n".to_vec(),
        ),
        (
            "binary.yaml",
            (0..2048u32).map(|i| (i * 7919 % 251) as u8).collect(),
        ),
        (
            "bomb.yaml",
            std::fs::read(root().join("tests/fixtures/specs/bad/alias-bomb.yaml")).expect("bomb"),
        ),
        (
            "deep.yaml",
            format!("{}1{}", "[".repeat(20_000), "]".repeat(20_000)).into_bytes(),
        ),
        (
            "deep-block.yaml",
            (0..20_000)
                .map(|i| format!("{}k:\n", " ".repeat(i)))
                .collect::<String>()
                .into_bytes(),
        ),
        ("huge.yaml", huge.into_bytes()),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let out = run(chartgen().args(["lint", "--format", "json"]).arg(&path));
        let stderr = text(&out.stderr);
        assert!(
            !stderr.contains("panicked") && !stderr.contains("overflow"),
            "{name}: {stderr}"
        );
        match name {
            "huge.yaml" => assert_eq!(out.status.code(), Some(0), "{name}: {stderr}"),
            _ => {
                assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
                assert!(
                    stderr.contains(name),
                    "{name}: the error names the file: {stderr}"
                );
            }
        }
    }
}

#[test]
fn charts_without_helm_fail_clearly_unless_no_render() {
    let out = run(chartgen()
        .env("HELM", "")
        .env("PATH", "/nonexistent")
        .args(["lint", "generated/helm/todo-app"]));
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("needs the helm binary") && stderr.contains("--no-render"),
        "{stderr}"
    );
    let static_only = run(chartgen()
        .env("HELM", "")
        .env("PATH", "/nonexistent")
        .args(["lint", "--no-render", "generated/helm/todo-app"]));
    assert_eq!(
        static_only.status.code(),
        Some(0),
        "{}",
        text(&static_only.stderr)
    );
}

#[test]
fn every_generated_chart_and_spec_lints_clean() {
    for chart in charts() {
        let rel = chart
            .strip_prefix(root())
            .expect("under root")
            .display()
            .to_string();
        let out = lint(&[&rel]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{rel}:\n{}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        assert!(
            text(&out.stdout).contains("No findings"),
            "{rel}: {}",
            text(&out.stdout)
        );
    }
    let out = lint(&["chart-spec"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

#[test]
fn helm_create_scaffold_findings_point_into_templates_and_values() {
    let dir = tempfile::tempdir().expect("tempdir");
    let created = run(std::process::Command::new(tool("helm4"))
        .args(["create", "scaffold"])
        .current_dir(dir.path()));
    assert!(created.status.success(), "{}", text(&created.stderr));
    let out = run(std::process::Command::new(env!("CARGO_BIN_EXE_chartgen"))
        .current_dir(dir.path())
        .env("HELM", tool("helm4"))
        .env("NO_COLOR", "1")
        .args(["lint", "scaffold"]));
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        !stdout.contains(":1:1: error"),
        "no finding parked on line 1:\n{stdout}"
    );
    assert!(
        stdout.contains("scaffold/values.yaml:") && stdout.contains("scaffold/templates/"),
        "{stdout}"
    );
    insta::with_settings!({snapshot_path => "../snapshots/lint", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("helm_create_scaffold", stdout);
    });
}

#[test]
fn rule_command_prints_docs_and_rules_lists_all() {
    let out = run(chartgen().args(["rule", "missing-liveness-probe"]));
    assert_eq!(out.status.code(), Some(0));
    let doc = text(&out.stdout);
    for section in [
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "Use instead:",
    ] {
        assert!(doc.contains(section), "{doc}");
    }
    let missing = run(chartgen().args(["rule", "missing-livenes-probe"]));
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("did you mean `missing-liveness-probe`?"));
    let list = text(&run(chartgen().arg("rules")).stdout);
    assert_eq!(list.lines().count(), chartgen::lint::rules::RULES.len());
}

#[test]
fn broken_pipe_exits_quietly() {
    assert_quiet_on_closed_stdout(
        chartgen()
            .args(["lint", "tests/fixtures/rules"])
            .env("HELM", tool("helm4")),
    );
}

#[test]
fn chart_findings_point_at_values_yaml_defaults_and_template_lines() {
    let (_, report) = json(&[
        "--select",
        "plaintext-secret,mutable-image-tag",
        "tests/fixtures/rules/plaintext-secret/chart-violations",
    ]);
    let at = |rule: &str, needle: &str| -> (String, u64, u64) {
        let f = report["findings"]
            .as_array()
            .and_then(|a| {
                a.iter().find(|f| {
                    f["rule"] == rule && f["message"].as_str().unwrap_or_default().contains(needle)
                })
            })
            .unwrap_or_else(|| panic!("no {rule} finding mentioning {needle}: {report}"));
        (
            f["file"].as_str().unwrap_or_default().to_string(),
            f["line"].as_u64().unwrap_or(0),
            f["column"].as_u64().unwrap_or(0),
        )
    };
    let chart = "tests/fixtures/rules/plaintext-secret/chart-violations";
    // `value: {{ .Values.db.password | quote }}` → the default it renders, in values.yaml.
    assert_eq!(
        at("plaintext-secret", "DB_PASSWORD"),
        (format!("{chart}/values.yaml"), 6, 3)
    );
    assert_eq!(
        at("plaintext-secret", "OPENAI_API_KEY"),
        (format!("{chart}/values.yaml"), 8, 3)
    );
    // A literal written in the template → that template line.
    assert_eq!(
        at("plaintext-secret", "SLACK_WEBHOOK_TOKEN").0,
        format!("{chart}/templates/deployment.yaml")
    );
    assert_eq!(at("plaintext-secret", "SLACK_WEBHOOK_TOKEN").1, 23);
}

/// Every finding of a JSON report as `rule container file:line:column` (container `-` when none).
fn located(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    format!(
                        "{} {} {}:{}:{}",
                        f["rule"].as_str().unwrap_or_default(),
                        f["container"].as_str().unwrap_or("-"),
                        f["file"].as_str().unwrap_or_default(),
                        f["line"],
                        f["column"]
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn public_chart_shapes_keep_every_finding_at_the_line_that_causes_it() {
    let chart = "tests/fixtures/charts/webstack";
    let (code, report) = json(&[
        "--select",
        "runs-as-root,missing-cpu-limit,privilege-escalation,privileged-container",
        chart,
    ]);
    assert_eq!(code, Some(1), "{report}");
    let got = located(&report);
    let want = [
        // The pod security context comes from a `_helpers.tpl` define: the define's line, not the include.
        format!("runs-as-root app {chart}/templates/_helpers.tpl:25:1"),
        format!("runs-as-root metrics {chart}/templates/_helpers.tpl:25:1"),
        format!("runs-as-root wait-for-db {chart}/templates/_helpers.tpl:25:1"),
        // Two containers whose resources come from one values key: one finding each, none merged away, at the
        // `limits:` the missing key belongs under.
        format!("missing-cpu-limit app {chart}/values.yaml:12:3"),
        format!("missing-cpu-limit metrics {chart}/values.yaml:12:3"),
        // The init container maps to its own lines, not to the previous or next container's.
        format!("missing-cpu-limit wait-for-db {chart}/templates/deployment.yaml:21:11"),
        format!("privileged-container wait-for-db {chart}/values.yaml:20:5"),
        format!("privilege-escalation wait-for-db {chart}/values.yaml:19:3"),
        format!("privilege-escalation app {chart}/templates/deployment.yaml:27:11"),
        format!("privilege-escalation metrics {chart}/templates/deployment.yaml:34:11"),
        // The subchart's value is in the subchart's values.yaml, not in the parent's key of the same name.
        format!("privilege-escalation redis {chart}/charts/cache/values.yaml:14:3"),
        format!("runs-as-root redis {chart}/charts/cache/values.yaml:13:1"),
    ];
    for w in &want {
        assert!(got.contains(w), "missing `{w}` in:\n{}", got.join("\n"));
    }
    assert_eq!(
        got.len(),
        want.len(),
        "unexpected findings:\n{}",
        got.join("\n")
    );
}

/// Bitnami-shaped list items: a sidecar and an env var behind `{{- if }}` (off by default, on in a `ci/` render),
/// env vars pasted by `common.tplvalues.render`, mounts pasted by an include and by `toYaml` together, and a
/// container written whole in a define. Each rendered item is matched with where it was written by its name, not
/// by its position, so a finding never lands on a disabled item's lines; one problem in two renders (where the
/// sidecar moves the app container) is one finding.
#[test]
fn guarded_and_pasted_list_items_map_to_where_they_are_written() {
    let chart = "tests/fixtures/charts/guarded";
    let (code, report) = json(&[
        "--select",
        "missing-liveness-probe,privilege-escalation,plaintext-secret,volume-mount-unknown,missing-cpu-limit,duplicate-env-var",
        chart,
    ]);
    assert_eq!(code, Some(1), "{report}");
    let got = located(&report);
    let want = [
        // A committed private key in test values is found; the test password beside it is not a finding.
        format!("plaintext-secret - {chart}/ci/tls-values.yaml:9:3"),
        // The container a define writes: its item, its literal env value and its `limits`, in the define.
        format!("missing-liveness-probe exporter {chart}/templates/_helpers.tpl:19:3"),
        format!("privilege-escalation exporter {chart}/templates/_helpers.tpl:19:3"),
        format!("plaintext-secret exporter {chart}/templates/_helpers.tpl:23:7"),
        format!("missing-cpu-limit exporter {chart}/templates/_helpers.tpl:28:5"),
        // The sidecar, rendered only by the ci/ values.
        format!("missing-cpu-limit sidecar {chart}/templates/deployment.yaml:20:11"),
        format!("privilege-escalation sidecar {chart}/templates/deployment.yaml:20:11"),
        // The app container is the first rendered container by default: its own item, not the sidecar's.
        format!("missing-liveness-probe app {chart}/templates/deployment.yaml:26:11"),
        format!("privilege-escalation app {chart}/templates/deployment.yaml:26:11"),
        // Pasted env vars and mounts: their own element in values.yaml.
        format!("plaintext-secret app {chart}/values.yaml:11:5"),
        format!("duplicate-env-var app {chart}/values.yaml:12:5"),
        format!("volume-mount-unknown app {chart}/values.yaml:15:5"),
        format!("missing-cpu-limit app {chart}/values.yaml:21:3"),
    ];
    assert_eq!(got, want, "got:\n{}", got.join("\n"));
    // A finding only the ci/ values bring says so; one the defaults show does not.
    let render_of = |container: &str| -> Vec<serde_json::Value> {
        report["findings"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter(|f| f["container"] == container)
                    .map(|f| f["render"].clone())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert!(
        render_of("sidecar")
            .iter()
            .all(|r| r == "ci/sidecar-values.yaml"),
        "{report}"
    );
    assert!(render_of("app").iter().all(|r| r.is_null()), "{report}");
}

/// Items that values files, strings, loops and branches write, in the shapes of stable and hand-written
/// charts: env vars only a `ci/` file sets (pasted by `toYaml .` inside `with`, flush with `env:`), containers a
/// define with a templated name writes from a `range` on one line, a container in a string for `tpl`, the
/// `else` branch of a same-named container, an image set whole by a value or joined from two, ConfigMap keys a
/// `range` writes, and a probe a value turns off. Each points into the file that sets it; a `ci/` test password is not a finding,
/// rendered or not.
#[test]
fn items_from_values_files_strings_loops_and_branches_point_where_they_are_set() {
    let chart = "tests/fixtures/charts/pasted";
    let (code, report) = json(&[
        "--select",
        "missing-liveness-probe,plaintext-secret,duplicate-env-var,mutable-image-tag,missing-cpu-limit",
        chart,
    ]);
    assert_eq!(code, Some(1), "{report}");
    let got = located(&report);
    let want = [
        // Set only by the ci/ file: the image (one finding per container it reaches) and a duplicate env var.
        format!("mutable-image-tag worker-batch {chart}/ci/extra-values.yaml:2:1"),
        format!("mutable-image-tag worker-fast {chart}/ci/extra-values.yaml:2:1"),
        format!("duplicate-env-var supervisor {chart}/ci/extra-values.yaml:8:5"),
        // `worker-{{ .w.name }}` in the define, not the template's own containers.
        format!("missing-liveness-probe worker-batch {chart}/templates/_helpers.tpl:2:3"),
        format!("missing-liveness-probe worker-fast {chart}/templates/_helpers.tpl:2:3"),
        format!("missing-cpu-limit worker-batch {chart}/templates/_helpers.tpl:7:5"),
        format!("missing-cpu-limit worker-fast {chart}/templates/_helpers.tpl:7:5"),
        format!("missing-cpu-limit supervisor {chart}/templates/deployment.yaml:13:9"),
        // The `else` branch that rendered, not the `if` branch's probe.
        format!("missing-cpu-limit proxy {chart}/templates/deployment.yaml:32:9"),
        format!("missing-liveness-probe proxy {chart}/templates/deployment.yaml:32:9"),
        // A container written in a string: the string's key.
        format!("missing-cpu-limit stats-pusher {chart}/values.yaml:9:1"),
        format!("missing-liveness-probe stats-pusher {chart}/values.yaml:9:1"),
        // A ConfigMap key a `range` wrote: its key in values.yaml, once.
        format!("plaintext-secret - {chart}/values.yaml:14:3"),
        // A probe the template writes but a value turns off: that value.
        format!("missing-liveness-probe supervisor {chart}/values.yaml:16:3"),
        // An image joined from a repository and a tag (`helm create`'s shape): the tag.
        format!("mutable-image-tag supervisor {chart}/values.yaml:19:3"),
        // `initContainers: {{- toYaml . | nindent 8 }}` inside `with`: the item in values.yaml.
        format!("missing-cpu-limit migrate {chart}/values.yaml:21:5"),
    ];
    assert_eq!(got, want, "got:\n{}", got.join("\n"));
}

/// An umbrella chart: a dependency under an alias (Helm's paths name `charts/cache/…`, the folder is
/// `charts/cachelib`), a subchart of a subchart whose values the top chart sets under both names, and, once packaged
/// with `helm package` as `helm dependency build` leaves it, a subchart that is an archive. Every object is linted;
/// none is lost to an unreadable path.
#[test]
fn aliased_nested_and_packaged_subcharts_are_linted_where_they_are_set() {
    let chart = "tests/fixtures/charts/umbrella";
    let select = "mutable-image-tag,missing-cpu-request,missing-cpu-limit";
    let (code, report) = json(&["--select", select, chart]);
    assert_eq!(code, Some(0), "only warnings: {report}");
    let want = [
        format!("missing-cpu-limit cache {chart}/charts/cachelib/templates/statefulset.yaml:14:11"),
        format!(
            "missing-cpu-request cache {chart}/charts/cachelib/templates/statefulset.yaml:14:11"
        ),
        // The worker's `limits:`, deepest in its own values (the top chart sets only `requests` for it).
        format!("missing-cpu-limit worker {chart}/charts/web/charts/worker/values.yaml:5:3"),
        // The alias is the key the top chart sets the subchart's values under.
        format!("mutable-image-tag cache {chart}/values.yaml:2:3"),
    ];
    assert_eq!(located(&report), want, "{report}");

    let dir = tempfile::tempdir().expect("tempdir");
    let copy = dir.path().join("umbrella");
    copy_tree(&root().join(chart), &copy);
    let packaged = run(std::process::Command::new(tool("helm4"))
        .arg("package")
        .arg(copy.join("charts/cachelib"))
        .arg("--destination")
        .arg(copy.join("charts")));
    assert!(packaged.status.success(), "{}", text(&packaged.stderr));
    std::fs::remove_dir_all(copy.join("charts/cachelib")).expect("remove the folder");
    let shown = copy.display().to_string();
    let (code, report) = json(&["--select", select, &shown]);
    assert_eq!(code, Some(0), "{report}");
    let rendered = format!("{shown}/charts/cache/templates/statefulset.yaml");
    assert_eq!(
        located(&report),
        [
            // A packaged template is no file to point into: the rendered lines, under Helm's name for them.
            format!("missing-cpu-limit cache {rendered}:15:11"),
            format!("missing-cpu-request cache {rendered}:15:11"),
            format!("mutable-image-tag cache {rendered}:16:18"),
            format!("missing-cpu-limit worker {shown}/charts/web/charts/worker/values.yaml:5:3"),
        ],
        "{report}"
    );
}

#[test]
fn folder_units_are_one_chart_render_or_one_file() {
    // frontend's Ingress routes to `api`, a Service only the unrelated backend chart defines; the manifest
    // Ingress routes to `docs`, a Service only a sibling file defines. Neither reference resolves.
    let (_, report) = json(&[
        "--select",
        "ingress-unknown-backend",
        "tests/fixtures/charts/split",
    ]);
    assert_eq!(
        located(&report),
        [
            "ingress-unknown-backend - tests/fixtures/charts/split/frontend/templates/ingress.yaml:14:17",
            "ingress-unknown-backend - tests/fixtures/charts/split/manifests/ingress.yaml:8:13",
        ]
    );
}

/// The README's CI snippet, as written, on this repository: the specs and generated charts are linted, the
/// deliberately broken fixtures are skipped by the repository's `.chartgen.yaml`, and the SARIF validates.
#[test]
fn readme_ci_snippet_runs_on_this_repository_as_written() {
    let snippet = std::fs::read_to_string(root().join("README.md")).expect("README");
    assert!(
        snippet.contains("chartgen lint --format sarif . > chartgen.sarif || test $? -eq 1"),
        "the README's snippet changed; update this test with it"
    );
    let out = lint(&["--format", "sarif", "."]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "exit {:?}: {}",
        out.status.code(),
        text(&out.stderr)
    );
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).expect("sarif json");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    for r in results {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap_or_default();
        assert!(
            !uri.starts_with("tests/fixtures/") && !uri.starts_with("fuzz/"),
            "an ignored path was read: {r}"
        );
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("chartgen.sarif");
    std::fs::write(&file, &out.stdout).expect("write");
    let validate = run(std::process::Command::new(tool("sarif-multitool"))
        .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
        .arg("validate")
        .arg(&file));
    let all = format!("{}{}", text(&validate.stdout), text(&validate.stderr));
    assert!(
        validate.status.success() && !all.contains(": error"),
        "{all}"
    );

    let github = lint(&["--format", "github", "."]);
    assert!(
        matches!(github.status.code(), Some(0 | 1)),
        "{}",
        text(&github.stderr)
    );
}

/// An `ignore` entry for every rule keeps its paths from being read, whether the walk finds them or pre-commit
/// names them; one limited to some rules still reads the files (a broken one is still an error).
#[test]
fn ignored_paths_are_not_read_and_rule_limited_ignores_still_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path();
    std::fs::create_dir_all(p.join("broken")).expect("mkdir");
    std::fs::write(p.join("broken/binary.yaml"), [0xff, 0xfe, 0x00, 0x01]).expect("write");
    std::fs::copy(
        root().join("tests/fixtures/lint/mixed.yaml"),
        p.join("app.yaml"),
    )
    .expect("copy");
    let lint_in = |args: &[&str]| {
        run(chartgen()
            .current_dir(p)
            .env("HELM", tool("helm4"))
            .arg("lint")
            .args(args))
    };
    let config = |entry: &str| std::fs::write(p.join(".chartgen.yaml"), entry).expect("config");

    config("ignore:\n  - paths: [\"broken/**\"]\n    reason: test inputs, broken on purpose\n");
    let all = lint_in(&["--format", "json", "."]);
    assert_eq!(all.status.code(), Some(1), "{}", text(&all.stderr));
    assert!(!text(&all.stdout).contains("binary.yaml"));
    assert!(text(&all.stderr).is_empty(), "{}", text(&all.stderr));
    // pre-commit passes changed files by name, bare or with `./`.
    for name in ["broken/binary.yaml", "./broken/binary.yaml"] {
        let named = lint_in(&[name]);
        assert_eq!(
            named.status.code(),
            Some(0),
            "{name}: {}",
            text(&named.stderr)
        );
    }
    let mixed = lint_in(&["broken/binary.yaml", "app.yaml"]);
    assert_eq!(mixed.status.code(), Some(1), "{}", text(&mixed.stderr));

    config(
        "ignore:\n  - paths: [\"broken/**\"]\n    rules: [runs-as-root]\n    reason: only one rule\n",
    );
    let limited = lint_in(&["."]);
    assert_eq!(limited.status.code(), Some(2), "{}", text(&limited.stdout));
    assert!(text(&limited.stderr).contains("binary.yaml"));
}

/// The nearest `.chartgen.yaml` at or above the linted path is found however the path is written: a bare file
/// name or `./name` from a sub-folder (as pre-commit and editors pass them), a relative path or a folder from the
/// project root; a nearer config wins over the root one.
#[test]
fn config_is_discovered_from_sub_folders_bare_names_and_folders() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path();
    let apps = p.join("k8s/apps");
    std::fs::create_dir_all(&apps).expect("mkdir");
    std::fs::copy(
        root().join("tests/fixtures/lint/mixed.yaml"),
        apps.join("app.yaml"),
    )
    .expect("copy");
    let lint_in = |cwd: &std::path::Path, target: &str| {
        let out = run(chartgen()
            .current_dir(cwd)
            .env("HELM", tool("helm4"))
            .args(["lint", "--format", "json", target]));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{target} in {cwd:?}: not JSON ({e}): {}\n{}",
                text(&out.stdout),
                text(&out.stderr)
            )
        });
        assert_eq!(
            out.status.code(),
            Some(1),
            "{target} in {cwd:?}: runs-as-root is an error: {report:#}\n{}",
            text(&out.stderr)
        );
        let rules = rules_of(&report);
        assert!(
            rules.iter().any(|r| r == "runs-as-root"),
            "{target} in {cwd:?}: the manifest is linted: {rules:?}"
        );
        report
    };
    let liveness = |report: &serde_json::Value| -> Vec<String> {
        report["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["rule"] == "missing-liveness-probe")
            .map(|f| f["severity"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    let cases: [(std::path::PathBuf, &str); 5] = [
        (apps.clone(), "app.yaml"),
        (apps.clone(), "./app.yaml"),
        (p.to_path_buf(), "k8s/apps/app.yaml"),
        (p.to_path_buf(), "./k8s/apps/app.yaml"),
        (p.to_path_buf(), "k8s"),
    ];

    // Without a config the rule fires, so its absence below is the config's doing.
    for (cwd, target) in &cases {
        assert_eq!(
            liveness(&lint_in(cwd, target)),
            ["warning"],
            "{target} in {cwd:?}, no config"
        );
    }

    std::fs::write(
        p.join(".chartgen.yaml"),
        "rules:\n  missing-liveness-probe:\n    level: \"off\"\n    reason: probes are added by the platform's admission webhook\n",
    )
    .expect("root config");
    for (cwd, target) in &cases {
        let report = lint_in(cwd, target);
        assert!(
            liveness(&report).is_empty(),
            "{target} in {cwd:?}: the root config turns the rule off: {:?}",
            rules_of(&report)
        );
    }

    std::fs::write(
        p.join("k8s/.chartgen.yaml"),
        "rules:\n  missing-liveness-probe:\n    level: error\n    reason: this team's pods have no webhook\n",
    )
    .expect("nearer config");
    for (cwd, target) in &cases {
        assert_eq!(
            liveness(&lint_in(cwd, target)),
            ["error"],
            "{target} in {cwd:?}: k8s/.chartgen.yaml is nearer than the root one"
        );
    }
}

/// The README's comparison table lists every registered rule once, at its default level.
#[test]
fn readme_rule_comparison_lists_every_rule_at_its_default_level() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let table: Vec<(String, String)> = readme
        .split("**Compared with the anchors.**")
        .nth(1)
        .expect("the README's comparison section")
        .lines()
        .skip_while(|l| !l.starts_with("| Rule |"))
        .skip(2)
        .take_while(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split(" | ").map(str::trim).collect();
            (cells[0].trim_matches('`').to_string(), cells[1].to_string())
        })
        .collect();
    let registered: Vec<(String, String)> = chartgen::lint::rules::RULES
        .iter()
        .map(|r| {
            (
                r.meta().name.to_string(),
                r.meta().severity.as_str().to_string(),
            )
        })
        .collect();
    assert_eq!(table, registered);
}

/// A short password that is also a word of the names around it (`wordpress` in `wp-wordpress`): the value is
/// masked where it stands, and the names stay as they are, neither mangled nor giving the password away.
#[test]
fn a_weak_password_is_masked_as_a_value_and_never_inside_names() {
    let manifest = "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: wp-wordpress }\nspec:\n  selector: { matchLabels: { app: wp } }\n  template:\n    metadata: { labels: { app: wp } }\n    spec:\n      containers:\n        - name: wordpress\n          image: wordpress:6.5.3\n          env:\n            - name: WORDPRESS_DB_PASSWORD\n              value: wordpress\n";
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("wp.yaml");
    std::fs::write(&file, manifest).expect("write");
    let path = file.to_str().expect("path");
    let human = text(&lint(&["--select", "plaintext-secret,runs-as-root", path]).stdout);
    assert!(human.contains("value: ********"), "{human}");
    assert!(
        human.contains("= Deployment wp-wordpress, container wordpress"),
        "{human}"
    );
    assert!(human.contains("container `wordpress`"), "{human}");
    assert!(human.contains("- name: wordpress"), "{human}");
    assert!(
        !human.contains("wp-********") && !human.contains("`********`"),
        "{human}"
    );
    for format in ["json", "sarif", "github"] {
        let out = text(&lint(&["--format", format, "--select", "plaintext-secret", path]).stdout);
        assert!(out.contains("WORDPRESS_DB_PASSWORD"), "{format}: {out}");
        assert!(!out.contains("value: wordpress"), "{format}: {out}");
    }
}

/// Chart shapes seen in public charts: two objects of one kind in one template, a container without resources
/// beside a claim template that has `resources.requests`, a pod spec whose first line is a condition on values,
/// env vars written by a `range` over values, and a subchart whose values the parent overrides. Each finding lands on the line of its own document and object.
#[test]
fn chart_mode_maps_each_document_and_object_to_its_own_lines() {
    let chart = "tests/fixtures/charts/multidoc";
    let (code, report) = json(&[
        "--select",
        "job-missing-ttl,missing-cpu-request,missing-memory-limit,missing-anti-affinity,plaintext-secret",
        chart,
    ]);
    assert_eq!(code, Some(1), "{report}");
    let got = located(&report);
    let want = [
        // The second Job of jobs.yaml, not the first (which sets a TTL).
        format!("job-missing-ttl - {chart}/templates/jobs.yaml:22:1"),
        // The container's own item, not the claim template's `requests:`.
        // The pod spec, not the value its `if` reads.
        format!("missing-anti-affinity - {chart}/templates/statefulset.yaml:15:5"),
        format!("missing-cpu-request db {chart}/templates/statefulset.yaml:21:11"),
        format!("missing-memory-limit db {chart}/templates/statefulset.yaml:21:11"),
        // An env var a `range` over values wrote: its own key in values.yaml, once (not the literal env var
        // after the loop, and not a second time for the values.yaml default).
        format!("plaintext-secret web {chart}/values.yaml:8:3"),
        // A subchart's value the parent sets in part: the parent's values.yaml, where the rest goes.
        format!("missing-memory-limit proxy {chart}/values.yaml:10:3"),
    ];
    assert_eq!(got, want, "{}", got.join("\n"));
}

/// A chart folder whose Chart.yaml is a folder cannot be rendered: an error (exit 2), not a quiet clean run.
#[test]
fn a_chart_yaml_that_is_a_folder_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("chart/Chart.yaml")).expect("mkdir");
    std::fs::create_dir_all(dir.path().join("chart/templates")).expect("mkdir");
    for target in ["chart", "."] {
        let out = run(chartgen()
            .current_dir(dir.path())
            .env("HELM", tool("helm4"))
            .args(["lint", target]));
        assert_eq!(
            out.status.code(),
            Some(2),
            "{target}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stderr).contains("Chart.yaml: not a regular file"),
            "{}",
            text(&out.stderr)
        );
    }
}

/// A token used as an object's name is masked wherever the name is printed: the message, the object line,
/// JSON's `object.name`, SARIF's logical location.
#[test]
fn a_token_used_as_a_name_is_masked_in_every_format() {
    let token = "sk-proj-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe";
    let manifest = format!(
        "apiVersion: v1\nkind: Secret\nmetadata: {{ name: \"{token}\" }}\ndata: {{ a: \"ghp_Zx9Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz2Xc4V!!notbase64\" }}\n"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("s.yaml");
    std::fs::write(&file, manifest).expect("write");
    for format in ["human", "json", "sarif", "github"] {
        let out = lint(&["--format", format, file.to_str().expect("path")]);
        assert_eq!(out.status.code(), Some(1), "{format}");
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert!(!all.contains(&token[8..20]), "{format}: {all}");
    }
}

/// An input that cannot be linted exits 2, and the summary on stdout does not call the run clean.
#[test]
fn the_summary_of_a_run_with_input_errors_says_they_were_not_linted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "a: [\n").expect("write");
    let out = run(chartgen()
        .args(["lint", "--config", "tests/fixtures/empty-config.yaml"])
        .arg(&bad));
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("1 input could not be linted: see the error on stderr."),
        "{stdout}"
    );
    assert!(
        text(&out.stderr).contains("invalid YAML"),
        "{}",
        text(&out.stderr)
    );
}

//! Every committed chart, proven with the real tools: Helm 4.1 and 3.18, kubernetes-validate 1.37 (--strict)
//! and checkov 3.3.30. Tools come from scripts/install-tools.sh; a missing tool fails the test.

mod common;

use common::*;
use std::path::Path;
use std::process::Output;

const HELMS: [&str; 2] = ["helm4", "helm3"];

/// Keys of the chart's secrets section, from its values-local.yaml.example; `None` when the chart has no such file.
fn secret_keys(chart: &Path) -> Option<Vec<String>> {
    let example = std::fs::read_to_string(chart.join("values-local.yaml.example")).ok()?;
    Some(
        example
            .lines()
            .filter_map(|l| l.strip_prefix("  ").and_then(|l| l.strip_suffix(": \"\"")))
            .map(str::to_string)
            .collect(),
    )
}

/// The spec in chart-spec/ that the chart was rendered from (matched on `metadata.name`), as JSON.
fn spec_of(chart: &Path) -> serde_json::Value {
    let name = chart_name(chart);
    spec_files()
        .into_iter()
        .map(|file| {
            let text = std::fs::read_to_string(&file).expect("read spec");
            serde_saphyr::from_str::<serde_json::Value>(&text)
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()))
        })
        .find(|spec| spec["metadata"]["name"].as_str() == Some(name.as_str()))
        .unwrap_or_else(|| panic!("no spec in chart-spec/ has metadata.name {name}"))
}

/// Every key the spec's `secretGroups` declare.
fn spec_secret_keys(spec: &serde_json::Value) -> std::collections::BTreeSet<String> {
    spec["secretGroups"]
        .as_object()
        .into_iter()
        .flat_map(|groups| groups.values())
        .flat_map(|group| group["keys"].as_array().cloned().unwrap_or_default())
        .filter_map(|k| k.as_str().map(str::to_string))
        .collect()
}

/// The secret keys the chart must ask for: `None` when its spec declares no `secretGroups`; otherwise the keys
/// scraped from values-local.yaml.example, which must exist and list every declared key.
fn required_secret_keys(chart: &Path) -> Option<Vec<String>> {
    let declared = spec_secret_keys(&spec_of(chart));
    if declared.is_empty() {
        return None;
    }
    let keys = secret_keys(chart).unwrap_or_else(|| {
        panic!(
            "{}: the spec declares secret keys {declared:?} but the chart has no values-local.yaml.example",
            chart.display()
        )
    });
    assert!(
        !keys.is_empty(),
        "{}: values-local.yaml.example lists no secret keys; the spec declares {declared:?}",
        chart.display()
    );
    let scraped: std::collections::BTreeSet<String> = keys.iter().cloned().collect();
    assert_eq!(
        scraped,
        declared,
        "{}: values-local.yaml.example keys differ from the spec's secretGroups",
        chart.display()
    );
    Some(keys)
}

/// `helm template`; `--set secrets.…` pairs are dropped for a chart without secrets, whose closed values schema
/// has no `secrets` section to set.
fn template(helm: &str, chart: &Path, args: &[&str]) -> Output {
    let name = chart_name(chart);
    let has_secrets = chart.join("values-local.yaml.example").exists();
    let mut kept: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        if !has_secrets
            && args[i] == "--set"
            && args.get(i + 1).is_some_and(|a| a.starts_with("secrets."))
        {
            i += 2;
            continue;
        }
        kept.push(args[i]);
        i += 1;
    }
    run(std::process::Command::new(tool(helm))
        .args(["template", &name])
        .arg(chart)
        .args(["-n", &name])
        .args(kept))
}

fn template_ok(helm: &str, chart: &Path, args: &[&str]) -> String {
    let out = template(helm, chart, args);
    assert!(
        out.status.success(),
        "{helm} template {} {args:?} failed:\n{}",
        chart.display(),
        text(&out.stderr)
    );
    text(&out.stdout)
}

fn documents(manifest: &str) -> Vec<chartgen::yaml::Node> {
    chartgen::yaml::parse_documents(manifest).expect("helm output parses")
}

/// The component of the chart's first Deployment, and its values key.
fn first_component(chart: &Path) -> (String, String) {
    let manifest = template_ok("helm4", chart, &["--set", "secrets.existingSecret=x"]);
    let component = documents(&manifest)
        .into_iter()
        .filter(|d| d.get("kind").and_then(|k| k.as_str()) == Some("Deployment"))
        .find_map(|d| component_of(&d))
        .unwrap_or_else(|| panic!("{}: no Deployment with a component label", chart.display()));
    let key = chartgen::spec::validate::camel_case(&component);
    (component, key)
}

fn component_of(doc: &chartgen::yaml::Node) -> Option<String> {
    doc.path("metadata.labels")?
        .get("app.kubernetes.io/component")?
        .as_str()
        .map(str::to_string)
}

#[test]
fn helm_lint_strict_passes_without_warnings_on_both_helms() {
    for chart in charts() {
        for helm in HELMS {
            let out = run(std::process::Command::new(tool(helm))
                .args(["lint", "--strict"])
                .arg(&chart));
            let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
            assert!(
                out.status.success(),
                "{helm} lint --strict {}:\n{all}",
                chart.display()
            );
            assert!(all.contains("0 chart(s) failed"), "{all}");
            assert!(
                !all.contains("[WARNING]") && !all.contains("level=WARN"),
                "{helm} warned on {}:\n{all}",
                chart.display()
            );
        }
    }
}

#[test]
fn template_without_secrets_fails_naming_every_missing_key_and_both_remedies() {
    for chart in charts() {
        // A chart whose spec declares no secretGroups has no secrets to miss.
        let Some(keys) = required_secret_keys(&chart) else {
            continue;
        };
        for helm in HELMS {
            let out = template(helm, &chart, &[]);
            let stderr = text(&out.stderr);
            assert!(
                !out.status.success(),
                "{helm} rendered {} without secrets",
                chart.display()
            );
            for key in &keys {
                assert!(
                    stderr.contains(key.as_str()),
                    "{helm}: error does not name {key}:\n{stderr}"
                );
            }
            assert!(stderr.contains("--set secrets.<KEY>="), "{stderr}");
            assert!(stderr.contains("-f values-local.yaml"), "{stderr}");
            assert!(
                stderr.contains("--set secrets.existingSecret=NAME"),
                "{stderr}"
            );
        }
    }
}

#[test]
fn existing_secret_renders_no_secret_and_every_workload_reads_it() {
    for chart in charts() {
        // A chart whose spec declares no secretGroups reads no Secret of its own.
        if required_secret_keys(&chart).is_none() {
            continue;
        }
        for helm in HELMS {
            let manifest = template_ok(
                helm,
                &chart,
                &["--set", "secrets.existingSecret=my-secrets"],
            );
            let docs = documents(&manifest);
            assert!(
                docs.iter()
                    .all(|d| d.get("kind").and_then(|k| k.as_str()) != Some("Secret")),
                "a Secret was rendered"
            );
            let refs: Vec<String> = manifest
                .lines()
                .collect::<Vec<_>>()
                .windows(2)
                .filter(|w| w[0].trim() == "secretKeyRef:")
                .map(|w| w[1].trim().to_string())
                .collect();
            assert!(
                !refs.is_empty(),
                "no workload reads a secret in {}",
                chart.display()
            );
            assert!(refs.iter().all(|r| r == "name: my-secrets"), "{refs:?}");
        }
    }
}

#[test]
fn secrets_given_as_values_render_a_secret_with_those_keys() {
    for chart in charts() {
        // A chart whose spec declares no secretGroups has no secrets section in its values.
        let Some(keys) = required_secret_keys(&chart) else {
            continue;
        };
        let sets: Vec<String> = keys
            .iter()
            .map(|k| format!("secrets.{k}=value-of-{k}"))
            .collect();
        let mut args = Vec::new();
        for s in &sets {
            args.push("--set");
            args.push(s.as_str());
        }
        let manifest = template_ok("helm4", &chart, &args);
        let secrets: Vec<_> = documents(&manifest)
            .into_iter()
            .filter(|d| d.get("kind").and_then(|k| k.as_str()) == Some("Secret"))
            .collect();
        assert!(!secrets.is_empty());
        for key in &keys {
            assert!(
                secrets
                    .iter()
                    .any(|s| s.path(&format!("data.{key}")).is_some()),
                "{key} missing from the Secrets"
            );
        }
    }
}

#[test]
fn replica_count_override_is_honoured() {
    for chart in charts() {
        let (component, key) = first_component(&chart);
        for (flag, want) in [
            (format!("{key}.replicaCount=3"), 3),
            (format!("{key}.replicas=4"), 4),
        ] {
            // Autoscaled components leave replicas to their HPA; turn it off to see the count.
            let no_hpa = format!("{key}.autoscaling.enabled=false");
            let manifest = template_ok(
                "helm4",
                &chart,
                &[
                    "--set",
                    "secrets.existingSecret=x",
                    "--set",
                    &no_hpa,
                    "--set",
                    &flag,
                ],
            );
            let deployment = documents(&manifest)
                .into_iter()
                .find(|d| {
                    d.get("kind").and_then(|k| k.as_str()) == Some("Deployment")
                        && component_of(d).as_deref() == Some(component.as_str())
                })
                .expect("the component's Deployment");
            assert_eq!(
                deployment.path("spec.replicas").and_then(|r| r.as_i64()),
                Some(want),
                "{flag}"
            );
        }
    }
}

#[test]
fn values_schema_rejects_bad_values() {
    for chart in charts() {
        let (_, key) = first_component(&chart);
        let bad = [
            format!("{key}.service.type=Bogus"),
            format!("{key}.replicaCount=-1"),
            format!("{key}.image.pullPolicy=Sometimes"),
            format!("{key}.image.tag=latest"),
            format!("{key}.resources.limits.memory=lots"),
            format!("{key}.replicaCont=2"),
            "global.imagePullSecrets[0].name=Bad_Name".to_string(),
            "global.imagePullSecrets[0].nmae=regcred".to_string(),
        ];
        for helm in HELMS {
            for flag in &bad {
                let out = template(
                    helm,
                    &chart,
                    &["--set", "secrets.existingSecret=x", "--set", flag],
                );
                let stderr = text(&out.stderr);
                assert!(
                    !out.status.success(),
                    "{helm} accepted --set {flag} on {}",
                    chart.display()
                );
                assert!(
                    stderr.contains("schema"),
                    "{helm} --set {flag}: not a schema error:\n{stderr}"
                );
            }
        }
    }
}

#[test]
fn values_schema_has_no_remote_refs() {
    for chart in charts() {
        let schema = std::fs::read_to_string(chart.join("values.schema.json")).expect("schema");
        assert!(!schema.contains("\"$ref\""), "{}", chart.display());
    }
}

#[test]
fn kubernetes_validate_strict_passes() {
    let dir = tempfile::tempdir().expect("tempdir");
    for chart in charts() {
        for (i, args) in [
            vec!["--set", "secrets.existingSecret=x"],
            vec![
                "--set",
                "secrets.existingSecret=x",
                "--set",
                "networkPolicy.enabled=false",
            ],
        ]
        .iter()
        .enumerate()
        {
            let manifest = template_ok("helm4", &chart, args);
            let file = dir.path().join(format!("{}-{i}.yaml", chart_name(&chart)));
            std::fs::write(&file, &manifest).expect("write");
            let out = run(std::process::Command::new(tool("kubernetes-validate"))
                .args(["--strict", "--kubernetes-version", "1.37"])
                .arg(&file));
            let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
            assert!(
                out.status.success(),
                "kubernetes-validate --strict failed on {}:\n{all}",
                chart.display()
            );
            assert!(!all.contains("ERROR") && !all.contains("WARN"), "{all}");
            assert!(
                all.matches("passed").count() >= documents(&manifest).len(),
                "{all}"
            );
        }
    }
}

#[test]
fn checkov_finds_only_the_four_justified_checks() {
    const ALLOWED: [&str; 4] = ["CKV_K8S_43", "CKV_K8S_15", "CKV_K8S_40", "CKV_K8S_35"];
    let dir = tempfile::tempdir().expect("tempdir");
    let mut measured: Vec<CheckovRow> = Vec::new();
    for chart in charts() {
        let name = chart_name(&chart);
        let manifest = template_ok(
            "helm4",
            &chart,
            &["--set", "secrets.existingSecret=x", "--skip-tests"],
        );
        let file = dir.path().join(format!("{name}.yaml"));
        std::fs::write(&file, &manifest).expect("write");
        let out = run(std::process::Command::new(tool("checkov"))
            .args([
                "--framework",
                "kubernetes",
                "--quiet",
                "--compact",
                "-o",
                "json",
                "-f",
            ])
            .arg(&file));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "checkov output is not JSON ({e}):\n{}\n{}",
                text(&out.stdout),
                text(&out.stderr)
            )
        });
        let report = if report.is_array() {
            report[0].clone()
        } else {
            report
        };
        let failed: Vec<String> = report["results"]["failed_checks"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|c| c["check_id"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let unexpected: Vec<&String> = failed
            .iter()
            .filter(|id| !ALLOWED.contains(&id.as_str()))
            .collect();
        assert!(
            unexpected.is_empty(),
            "{name}: checkov failures beyond the justified four: {unexpected:?}"
        );
        assert!(
            report["summary"]["passed"].as_u64().unwrap_or(0) > 100,
            "{name}: checkov checked too little: {}",
            report["summary"]
        );
        let mut ids: Vec<String> = failed.clone();
        ids.sort();
        ids.dedup();
        measured.push(CheckovRow {
            chart: name.clone(),
            resources: report["summary"]["resource_count"]
                .as_u64()
                .unwrap_or(u64::MAX),
            passed: report["summary"]["passed"].as_u64().unwrap_or(u64::MAX),
            failed: report["summary"]["failed"].as_u64().unwrap_or(u64::MAX),
            ids,
        });
        let readme = std::fs::read_to_string(chart.join("README.md")).expect("README");
        for id in ALLOWED {
            assert!(readme.contains(id), "{name}: README does not justify {id}");
        }
    }
    // The root README's per-chart table must state what checkov reports, chart for chart.
    let documented = readme_checkov_table();
    let mismatches: Vec<String> = measured
        .iter()
        .filter_map(|m| {
            let row = documented.iter().find(|d| d.chart == m.chart);
            match row {
                None => Some(format!(
                    "{}: no row in README.md; checkov reports {m}",
                    m.chart
                )),
                Some(d) if d != m => Some(format!(
                    "{}: README.md says {d}; checkov reports {m}",
                    m.chart
                )),
                Some(_) => None,
            }
        })
        .chain(
            documented
                .iter()
                .filter(|d| !measured.iter().any(|m| m.chart == d.chart))
                .map(|d| {
                    format!(
                        "{}: README.md has a row for a chart that does not exist",
                        d.chart
                    )
                }),
        )
        .collect();
    assert!(
        mismatches.is_empty(),
        "README.md's checkov table is wrong:\n{}",
        mismatches.join("\n")
    );
}

/// One row of the root README's checkov table, or the same figures as measured.
#[derive(Debug, PartialEq)]
struct CheckovRow {
    chart: String,
    resources: u64,
    passed: u64,
    failed: u64,
    /// The distinct failed check IDs, sorted, in full (`CKV_K8S_15`).
    ids: Vec<String>,
}

impl std::fmt::Display for CheckovRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "| {} | {} | {} | {} | {} |",
            self.chart,
            self.resources,
            self.passed,
            self.failed,
            self.ids.join(", ")
        )
    }
}

/// The root README's `| Chart | Resources | Passed | Failed | Failed check IDs |` table. Abbreviated IDs
/// (`CKV_K8S_15, 35, 40`) take the prefix of the ID before them.
fn readme_checkov_table() -> Vec<CheckovRow> {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let cells = |line: &str| -> Vec<String> {
        line.trim()
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().to_string())
            .collect()
    };
    let mut lines = readme.lines().skip_while(|l| {
        !(l.trim_start().starts_with('|') && cells(l).first().map(String::as_str) == Some("Chart"))
    });
    let header = cells(
        lines
            .next()
            .expect("README.md has no checkov table (| Chart | Resources | …)"),
    );
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("README.md checkov table has no {name} column: {header:?}"))
    };
    let (chart, resources, passed, failed, ids) = (
        column("Chart"),
        column("Resources"),
        column("Passed"),
        column("Failed"),
        column("Failed check IDs"),
    );
    let number = |row: &[String], i: usize| -> u64 {
        row[i]
            .parse()
            .unwrap_or_else(|e| panic!("README.md checkov table: {row:?} column {i}: {e}"))
    };
    let rows: Vec<CheckovRow> = lines
        .skip(1) // the |---| separator
        .take_while(|l| l.trim_start().starts_with('|'))
        .map(|l| {
            let row = cells(l);
            assert_eq!(row.len(), header.len(), "README.md checkov table row: {l}");
            let mut prefix = String::new();
            let mut full: Vec<String> = row[ids]
                .split(',')
                .map(str::trim)
                .filter(|id| !id.is_empty())
                .map(|id| {
                    if id.chars().all(|c| c.is_ascii_digit()) {
                        format!("{prefix}{id}")
                    } else {
                        prefix = id
                            .trim_end_matches(|c: char| c.is_ascii_digit())
                            .to_string();
                        id.to_string()
                    }
                })
                .collect();
            full.sort();
            full.dedup();
            CheckovRow {
                chart: row[chart].clone(),
                resources: number(&row, resources),
                passed: number(&row, passed),
                failed: number(&row, failed),
                ids: full,
            }
        })
        .collect();
    assert!(!rows.is_empty(), "README.md's checkov table has no rows");
    rows
}

#[test]
fn pod_security_restricted_on_every_workload() {
    let mut init_containers = 0;
    for chart in charts() {
        // The spec's `security` identity, 1000/1000 when it sets none (src/spec/validate.rs); fsGroup is the GID.
        let spec = spec_of(&chart);
        let uid = spec["security"]["runAsUser"].as_i64().unwrap_or(1000);
        let gid = spec["security"]["runAsGroup"].as_i64().unwrap_or(1000);
        let mut test_pods = 0;
        let manifest = template_ok("helm4", &chart, &["--set", "secrets.existingSecret=x"]);
        for doc in documents(&manifest) {
            let kind = doc
                .get("kind")
                .and_then(|k| k.as_str())
                .unwrap_or_default()
                .to_string();
            let Some(pod) = pod_spec(&doc) else { continue };
            let where_ = format!(
                "{} {kind} {}",
                chart.display(),
                doc.path("metadata.name")
                    .and_then(|n| n.as_str())
                    .unwrap_or_default()
            );
            if kind == "Pod"
                && doc
                    .path("metadata.annotations")
                    .and_then(|a| a.get("helm.sh/hook"))
                    .and_then(|h| h.as_str())
                    .is_some_and(|h| h.split(',').any(|e| e == "test"))
            {
                test_pods += 1;
            }
            assert_eq!(
                pod.path("securityContext.runAsNonRoot")
                    .and_then(|v| v.as_bool()),
                Some(true),
                "{where_}"
            );
            for (field, want) in [("runAsUser", uid), ("runAsGroup", gid), ("fsGroup", gid)] {
                assert_eq!(
                    pod.path(&format!("securityContext.{field}"))
                        .and_then(|v| v.as_i64()),
                    Some(want),
                    "{where_}: pod securityContext.{field}"
                );
            }
            assert_eq!(
                pod.path("securityContext.seccompProfile.type")
                    .and_then(|v| v.as_str()),
                Some("RuntimeDefault"),
                "{where_}"
            );
            assert_eq!(
                pod.get("automountServiceAccountToken")
                    .and_then(|v| v.as_bool()),
                Some(false),
                "{where_}"
            );
            for (list, c) in ["initContainers", "containers"].iter().flat_map(|list| {
                pod.get(list)
                    .map(|c| c.as_seq())
                    .unwrap_or_default()
                    .iter()
                    .map(move |c| (*list, c))
            }) {
                let where_ = format!(
                    "{where_} {list} {}",
                    c.get("name").and_then(|n| n.as_str()).unwrap_or_default()
                );
                if list == "initContainers" {
                    init_containers += 1;
                }
                let sc = c
                    .get("securityContext")
                    .unwrap_or_else(|| panic!("{where_}: no securityContext"));
                assert_eq!(
                    sc.get("allowPrivilegeEscalation").and_then(|v| v.as_bool()),
                    Some(false),
                    "{where_}"
                );
                assert_eq!(
                    sc.get("readOnlyRootFilesystem").and_then(|v| v.as_bool()),
                    Some(true),
                    "{where_}"
                );
                let drop: Vec<&str> = sc
                    .path("capabilities.drop")
                    .map(|d| d.as_seq().iter().filter_map(|v| v.as_str()).collect())
                    .unwrap_or_default();
                assert_eq!(drop, ["ALL"], "{where_}");
                // The root filesystem is read-only: /tmp is an emptyDir in every container.
                let tmp = c
                    .get("volumeMounts")
                    .map(|m| m.as_seq())
                    .unwrap_or_default()
                    .iter()
                    .find(|m| m.get("mountPath").and_then(|p| p.as_str()) == Some("/tmp"))
                    .and_then(|m| m.get("name").and_then(|n| n.as_str()))
                    .map(str::to_string)
                    .unwrap_or_else(|| panic!("{where_}: no /tmp mount"));
                assert!(
                    pod.get("volumes")
                        .map(|v| v.as_seq())
                        .unwrap_or_default()
                        .iter()
                        .any(
                            |v| v.get("name").and_then(|n| n.as_str()) == Some(tmp.as_str())
                                && v.get("emptyDir").is_some()
                        ),
                    "{where_}: /tmp is not an emptyDir"
                );
                assert!(
                    c.path("resources.requests.cpu").is_some()
                        && c.path("resources.limits.memory").is_some(),
                    "{where_}"
                );
                let image = c.get("image").and_then(|i| i.as_str()).unwrap_or_default();
                assert!(
                    !image.ends_with(":latest") && image.contains(':'),
                    "{where_}: {image}"
                );
            }
            if kind == "Deployment" {
                assert_eq!(
                    doc.path("spec.strategy.rollingUpdate.maxUnavailable")
                        .and_then(|v| v.as_i64()),
                    Some(0),
                    "{where_}"
                );
                assert!(
                    pod.get("terminationGracePeriodSeconds")
                        .and_then(|v| v.as_i64())
                        .unwrap_or(0)
                        >= 10,
                    "{where_}"
                );
                let annotations = doc
                    .path("spec.template.metadata.annotations")
                    .expect("pod annotations");
                assert!(annotations.get("checksum/config").is_some(), "{where_}");
                for c in pod
                    .get("containers")
                    .map(|c| c.as_seq())
                    .unwrap_or_default()
                {
                    // A component that serves traffic is health-checked; a worker may have no probes.
                    if c.get("ports").is_some() {
                        assert!(
                            c.get("livenessProbe").is_some() && c.get("readinessProbe").is_some(),
                            "{where_}"
                        );
                    }
                    assert!(c.get("imagePullPolicy").is_some(), "{where_}");
                }
            }
            assert!(
                doc.path("metadata.namespace")
                    .and_then(|v| v.as_str())
                    .is_some(),
                "{where_}"
            );
        }
        assert!(
            test_pods > 0,
            "{}: no helm test Pod was checked",
            chart.display()
        );
    }
    assert!(
        init_containers > 0,
        "no committed chart has an init container to check"
    );
}

#[test]
fn hpa_replaces_replicas_and_pdb_follows_replicas() {
    for chart in charts() {
        let (component, key) = first_component(&chart);
        let name = format!("{}-{component}", chart_name(&chart));
        let find = |manifest: &str, kind: &str| {
            documents(manifest).into_iter().find(|d| {
                d.get("kind").and_then(|k| k.as_str()) == Some(kind)
                    && d.path("metadata.name").and_then(|n| n.as_str()) == Some(name.as_str())
            })
        };
        let on = template_ok(
            "helm4",
            &chart,
            &[
                "--set",
                "secrets.existingSecret=x",
                "--set",
                &format!("{key}.autoscaling.enabled=true"),
            ],
        );
        assert!(
            find(&on, "HorizontalPodAutoscaler").is_some(),
            "{}: no HPA",
            chart.display()
        );
        assert!(
            find(&on, "Deployment")
                .and_then(|d| d.path("spec.replicas").cloned())
                .is_none(),
            "replicas set beside an HPA"
        );
        assert!(find(&on, "PodDisruptionBudget").is_some());
        let off = template_ok(
            "helm4",
            &chart,
            &[
                "--set",
                "secrets.existingSecret=x",
                "--set",
                &format!("{key}.autoscaling.enabled=false"),
                "--set",
                &format!("{key}.replicaCount=1"),
            ],
        );
        assert!(find(&off, "HorizontalPodAutoscaler").is_none());
        assert!(
            find(&off, "PodDisruptionBudget").is_none(),
            "a PDB for a single replica blocks node drains"
        );
        let two = template_ok(
            "helm4",
            &chart,
            &[
                "--set",
                "secrets.existingSecret=x",
                "--set",
                &format!("{key}.autoscaling.enabled=false"),
                "--set",
                &format!("{key}.replicaCount=2"),
            ],
        );
        assert!(find(&two, "PodDisruptionBudget").is_some());
    }
}

/// A pre-install hook Job cannot wait for the release's own ServiceAccount (Helm creates it after the pre-install
/// hooks): every hook Job runs under a ServiceAccount that is itself a hook on the same events, created first.
#[test]
fn hook_jobs_run_under_a_service_account_created_before_them() {
    let mut jobs = 0;
    for chart in charts() {
        let manifest = template_ok("helm4", &chart, &["--set", "secrets.existingSecret=x"]);
        let docs = documents(&manifest);
        let hook = |d: &chartgen::yaml::Node, key: &str| -> Option<String> {
            d.path("metadata.annotations")?
                .get(key)?
                .as_str()
                .map(str::to_string)
        };
        for job in docs
            .iter()
            .filter(|d| d.get("kind").and_then(|k| k.as_str()) == Some("Job"))
        {
            let Some(events) = hook(job, "helm.sh/hook") else {
                continue;
            };
            jobs += 1;
            let sa_name = job
                .path("spec.template.spec.serviceAccountName")
                .and_then(|v| v.as_str())
                .expect("serviceAccountName");
            let sa = docs
                .iter()
                .find(|d| {
                    d.get("kind").and_then(|k| k.as_str()) == Some("ServiceAccount")
                        && d.path("metadata.name").and_then(|v| v.as_str()) == Some(sa_name)
                })
                .unwrap_or_else(|| panic!("{}: no ServiceAccount {sa_name}", chart.display()));
            let sa_events = hook(sa, "helm.sh/hook")
                .unwrap_or_else(|| panic!("{}: {sa_name} is not a hook", chart.display()));
            for event in events.split(',') {
                assert!(
                    sa_events.split(',').any(|e| e == event),
                    "{}: {sa_name} is not created on {event}",
                    chart.display()
                );
            }
            let weight = |d: &chartgen::yaml::Node| -> i64 {
                hook(d, "helm.sh/hook-weight")
                    .and_then(|w| w.parse().ok())
                    .unwrap_or(0)
            };
            assert!(weight(sa) < weight(job), "{}", chart.display());
            assert_eq!(
                hook(sa, "helm.sh/hook-delete-policy").as_deref(),
                Some("before-hook-creation")
            );
            // Its NetworkPolicies (its own egress, and each callee admitting it) are hooks created before it:
            // on the upgrade that adds the Job, ordinary resources come only after the pre-upgrade hooks.
            let component = job
                .path("metadata.labels")
                .and_then(|l| l.get("app.kubernetes.io/component"))
                .and_then(|v| v.as_str())
                .expect("component label");
            let policies: Vec<&chartgen::yaml::Node> = docs
                .iter()
                .filter(|d| {
                    d.get("kind").and_then(|k| k.as_str()) == Some("NetworkPolicy")
                        && d.path("metadata.labels")
                            .and_then(|l| l.get("app.kubernetes.io/component"))
                            .and_then(|v| v.as_str())
                            == Some(component)
                })
                .collect();
            assert!(
                !policies.is_empty(),
                "{}: no policy for {component}",
                chart.display()
            );
            for policy in policies {
                assert_eq!(
                    hook(policy, "helm.sh/hook"),
                    Some(events.clone()),
                    "{}",
                    chart.display()
                );
                assert!(weight(policy) < weight(job), "{}", chart.display());
            }
        }
    }
    assert!(jobs > 0, "no committed chart has a hook Job to check");
}

/// `global.imageRegistry` goes in front of repositories that name no registry, the test image included, and
/// never in front of one that already names a registry.
/// Whether an image reference starts with a registry host (`ghcr.io/…`, `localhost:5000/…`), as Docker reads it.
fn names_registry(image: &str) -> bool {
    match image.split_once('/') {
        Some((first, _)) => first.contains('.') || first.contains(':') || first == "localhost",
        None => false,
    }
}

#[test]
fn global_image_registry_prefixes_only_unqualified_images() {
    for chart in charts() {
        let (component, key) = first_component(&chart);
        let qualified = format!("{key}.image.repository=ghcr.io/acme/{component}");
        let manifest = template_ok(
            "helm4",
            &chart,
            &[
                "--set",
                "secrets.existingSecret=x",
                "--set",
                "global.imageRegistry=reg.example.com/",
                "--set",
                &qualified,
            ],
        );
        let mut seen = 0;
        for doc in documents(&manifest) {
            let pod = match doc.get("kind").and_then(|k| k.as_str()) {
                Some("Deployment" | "StatefulSet" | "Job") => doc.path("spec.template.spec"),
                Some("CronJob") => doc.path("spec.jobTemplate.spec.template.spec"),
                Some("Pod") => doc.get("spec"),
                _ => None,
            };
            let Some(pod) = pod else { continue };
            let own = component_of(&doc).as_deref() == Some(component.as_str());
            for c in ["initContainers", "containers"]
                .iter()
                .flat_map(|k| pod.get(k).map(|c| c.as_seq()).unwrap_or_default())
            {
                let image = c.get("image").and_then(|i| i.as_str()).unwrap_or_default();
                if own && c.get("name").and_then(|n| n.as_str()) == Some(component.as_str()) {
                    assert!(
                        image.starts_with(&format!("ghcr.io/acme/{component}:")),
                        "{}: {image}",
                        chart.display()
                    );
                } else if let Some(rest) = image.strip_prefix("reg.example.com/") {
                    assert!(
                        !names_registry(rest) && !rest.starts_with('/'),
                        "{}: {image}: prefixed although it names its registry",
                        chart.display()
                    );
                } else {
                    assert!(
                        names_registry(image),
                        "{}: {image}: names no registry and was not prefixed",
                        chart.display()
                    );
                }
                seen += 1;
            }
        }
        assert!(seen > 1, "{}", chart.display());
        assert!(
            manifest.contains("image: \"reg.example.com/busybox:"),
            "{}: the test image is not prefixed",
            chart.display()
        );
    }
}

/// The spec reference's every field (tests/fixtures/specs/good/every-field.yaml) renders into objects that carry
/// each of them, with the operator's knobs on top, on both Helms, and kubernetes-validate --strict accepts them.
#[test]
fn every_spec_field_and_operator_knob_reaches_the_rendered_objects() {
    let out = tempfile::tempdir().expect("tempdir");
    let rendered = run(chartgen()
        .args([
            "render",
            "tests/fixtures/specs/good/every-field.yaml",
            "--out",
        ])
        .arg(out.path()));
    assert!(rendered.status.success(), "{}", text(&rendered.stderr));
    let chart = out.path().join("helm/every-field");
    let knobs = [
        "--set",
        "secrets.existingSecret=x",
        "--set-json",
        r#"api.extraEnvVars=[{"name":"EXTRA","value":"1"}]"#,
        "--set-json",
        r#"api.sidecars=[{"name":"extra-sidecar","image":"busybox:1.37.0"}]"#,
        "--set-json",
        r#"web.initContainers=[{"name":"extra-init","image":"busybox:1.37.0"}]"#,
        "--set-json",
        r#"api.extraVolumes=[{"name":"extra","emptyDir":{}}]"#,
        "--set-json",
        r#"api.extraVolumeMounts=[{"name":"extra","mountPath":"/extra"}]"#,
        "--set-json",
        r#"cleanup.extraEnvVars=[]"#,
    ];
    // `cleanup` is a CronJob, not a component: its values have no knobs, and the schema says so.
    let refused = template("helm4", &chart, &knobs);
    assert!(
        !refused.status.success(),
        "an unknown values key was accepted"
    );
    let knobs = &knobs[..knobs.len() - 2];
    for helm in HELMS {
        let mut args = knobs.to_vec();
        args.extend(["--api-versions", "monitoring.coreos.com/v1/ServiceMonitor"]);
        let manifest = template_ok(helm, &chart, &args);
        let file = out.path().join(format!("{helm}.yaml"));
        std::fs::write(&file, &manifest).expect("write");
        let validated = run(std::process::Command::new(tool("kubernetes-validate"))
            .args(["--strict", "--kubernetes-version", "1.37"])
            .arg(&file));
        assert!(
            validated.status.success(),
            "{helm}: kubernetes-validate --strict:\n{}{}",
            text(&validated.stdout),
            text(&validated.stderr)
        );
        let docs = documents(&manifest);
        let find = |kind: &str, name: &str| {
            docs.iter()
                .find(|d| {
                    d.get("kind").and_then(|k| k.as_str()) == Some(kind)
                        && d.path("metadata.name").and_then(|n| n.as_str()) == Some(name)
                })
                .unwrap_or_else(|| panic!("{helm}: no {kind} {name}"))
        };
        let names = |list: Option<&chartgen::yaml::Node>, key: &str| -> Vec<String> {
            list.map(|l| {
                l.as_seq()
                    .iter()
                    .filter_map(|i| i.get(key)?.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
        };
        let api = find("Deployment", "every-field-api");
        let pod = api.path("spec.template.spec").expect("pod");
        let init = &pod.get("initContainers").expect("init containers").as_seq()[0];
        assert_eq!(
            init.get("name").and_then(|n| n.as_str()),
            Some("wait-for-search")
        );
        assert_eq!(
            init.path("securityContext.runAsNonRoot")
                .and_then(|v| v.as_bool()),
            Some(true)
        );
        assert_eq!(names(init.get("volumeMounts"), "mountPath"), ["/tmp"]);
        assert!(
            init.get("env").is_none(),
            "inheritEnv: false still inherited env"
        );
        assert_eq!(
            names(pod.get("containers"), "name"),
            ["api", "extra-sidecar"]
        );
        let main = &pod.get("containers").expect("containers").as_seq()[0];
        assert_eq!(names(main.get("ports"), "name"), ["http", "metrics"]);
        assert_eq!(
            names(main.get("env"), "name"),
            ["FLAGS", "GOMEMLIMIT", "POD_NAME", "STRIPE_KEY", "EXTRA"]
        );
        assert_eq!(main.get("envFrom").map(|e| e.as_seq().len()), Some(3));
        assert!(names(main.get("volumeMounts"), "mountPath").contains(&"/extra".to_string()));
        assert!(names(pod.get("volumes"), "name").contains(&"extra".to_string()));
        let service = find("Service", "every-field-api");
        assert_eq!(
            names(service.path("spec.ports"), "name"),
            ["http", "metrics"]
        );
        assert!(
            service.path("metadata.annotations").is_some(),
            "{helm}: Service annotations lost"
        );
        let monitor = find("ServiceMonitor", "every-field-api");
        assert_eq!(names(monitor.path("spec.endpoints"), "port"), ["metrics"]);
        let policy = find("NetworkPolicy", "every-field-api");
        assert!(
            policy
                .path("spec.ingress")
                .expect("ingress")
                .as_seq()
                .iter()
                .any(|rule| {
                    rule.get("ports")
                        .is_some_and(|p| names(Some(p), "port") == ["metrics"])
                }),
            "{helm}: no scrape rule for the metrics port"
        );
        let web = find("Deployment", "every-field-web");
        let web_pod = web.path("spec.template.spec").expect("pod");
        assert_eq!(names(web_pod.get("initContainers"), "name"), ["extra-init"]);
        assert_eq!(
            names(web_pod.get("containers"), "name"),
            ["web", "log-shipper"]
        );
        let worker = find("Deployment", "every-field-worker");
        let worker_main = &worker
            .path("spec.template.spec.containers")
            .expect("containers")
            .as_seq()[0];
        assert_eq!(names(worker_main.get("ports"), "name"), ["metrics"]);
        // Scheduling from the spec: the worker is pinned to its node pool; the web's zone spread counts its own
        // pods (the spec gave no labelSelector); every pod pulls with the spec's registry Secret.
        let worker_pod = worker.path("spec.template.spec").expect("pod");
        let json = |n: Option<&chartgen::yaml::Node>| n.map(chartgen::yaml::Node::to_json);
        assert_eq!(
            json(worker_pod.get("nodeSelector")),
            Some(serde_json::json!({"cloud.google.com/gke-nodepool": "workers"}))
        );
        assert_eq!(
            names(worker_pod.get("tolerations"), "key"),
            ["dedicated", "node.kubernetes.io/unreachable"]
        );
        assert_eq!(
            worker_pod
                .path("priorityClassName")
                .and_then(|n| n.as_str()),
            Some("batch-low")
        );
        assert!(
            worker_pod
                .path("affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution")
                .is_some()
        );
        assert_eq!(
            json(web_pod.path("topologySpreadConstraints.0.labelSelector.matchLabels")),
            json(web.path("spec.selector.matchLabels"))
        );
        assert_eq!(
            web.path("spec.template.metadata.annotations")
                .and_then(|a| a.get("sidecar.istio.io/inject"))
                .and_then(|n| n.as_str()),
            Some("false")
        );
        for pod in [web_pod, worker_pod] {
            assert_eq!(names(pod.get("imagePullSecrets"), "name"), ["ghcr-pull"]);
        }
        assert!(
            !docs.iter().any(
                |d| d.get("kind").and_then(|k| k.as_str()) == Some("Service")
                    && d.path("metadata.name").and_then(|n| n.as_str())
                        == Some("every-field-worker")
            ),
            "{helm}: a worker got a Service"
        );
        let ingress = find("Ingress", "every-field");
        assert_eq!(
            names(ingress.path("spec.rules"), "host"),
            ["shop.example.com", "api.example.com"]
        );
        assert_eq!(
            names(ingress.path("spec.tls"), "secretName"),
            ["shop-example-com-tls", "api-tls"]
        );
        assert_eq!(
            names(ingress.path("spec.rules.1.http.paths"), "path"),
            ["/v1", "/health", "/v[0-9]+/(items|orders)$"]
        );
        let cron = find("CronJob", "every-field-cleanup");
        let cron_main = &cron
            .path("spec.jobTemplate.spec.template.spec.containers")
            .expect("containers")
            .as_seq()[0];
        let memory = cron_main
            .get("env")
            .expect("env")
            .as_seq()
            .iter()
            .find(|e| e.get("name").and_then(|n| n.as_str()) == Some("GOMEMLIMIT"))
            .and_then(|e| e.path("valueFrom.resourceFieldRef.containerName"))
            .and_then(|n| n.as_str())
            .map(str::to_string);
        assert_eq!(
            memory.as_deref(),
            Some("cleanup"),
            "{helm}: resourceFieldRef names another container"
        );
    }
    // Without the Prometheus Operator's CRD, no ServiceMonitor.
    let plain = template_ok("helm4", &chart, &["--set", "secrets.existingSecret=x"]);
    assert!(!plain.contains("kind: ServiceMonitor"));
}

/// The longest chart name a spec allows (53) under the longest release name Helm allows (53): every object's
/// name is a valid DNS label of at most 63 characters, no two objects of a kind share one, and every name a pod
/// refers to (its Service's, ConfigMaps, Secrets, claims, ServiceAccount) belongs to an object of the chart.
#[test]
fn long_release_and_chart_names_stay_valid_and_distinct() {
    let long_chart = "a-chart-name-that-is-exactly-fifty-three-characters-x";
    assert_eq!(long_chart.len(), 53);
    let release = "a-release-name-that-is-exactly-fifty-three-characters";
    assert_eq!(release.len(), 53);
    let spec = std::fs::read_to_string(root().join("tests/fixtures/specs/good/every-field.yaml"))
        .expect("fixture")
        .replacen("name: every-field", &format!("name: {long_chart}"), 1);
    let dir = tempfile::tempdir().expect("tempdir");
    let spec_path = dir.path().join("long.yaml");
    std::fs::write(&spec_path, spec).expect("write");
    let rendered = run(chartgen()
        .arg("render")
        .arg(&spec_path)
        .arg("--out")
        .arg(dir.path()));
    assert!(rendered.status.success(), "{}", text(&rendered.stderr));
    let chart = dir.path().join("helm").join(long_chart);
    for helm in HELMS {
        let out = run(std::process::Command::new(tool(helm))
            .args(["template", release])
            .arg(&chart)
            .args(["--set", "secrets.existingSecret=x"]));
        assert!(out.status.success(), "{helm}: {}", text(&out.stderr));
        let docs = documents(&text(&out.stdout));
        let mut seen = std::collections::BTreeSet::new();
        for d in &docs {
            let kind = d.get("kind").and_then(|k| k.as_str()).unwrap_or_default();
            let name = d
                .path("metadata.name")
                .and_then(|n| n.as_str())
                .unwrap_or_default();
            assert!(
                name.len() <= 63 && chartgen::spec::validate::is_dns_label(name),
                "{helm}: {kind} `{name}` is not a DNS label of at most 63 characters"
            );
            assert!(
                seen.insert((kind, name)),
                "{helm}: two {kind} objects named `{name}`"
            );
        }
        let has = |kind: &str, name: &str| seen.contains(&(kind, name));
        for d in &docs {
            let Some(pod) = d
                .path("spec.template.spec")
                .or_else(|| d.path("spec.jobTemplate.spec.template.spec"))
            else {
                continue;
            };
            let str_at = |n: &chartgen::yaml::Node, p: &str| {
                n.path(p).and_then(|v| v.as_str()).map(str::to_string)
            };
            if let Some(sa) = str_at(pod, "serviceAccountName") {
                assert!(has("ServiceAccount", &sa), "{helm}: ServiceAccount `{sa}`");
            }
            for volume in pod.get("volumes").map(|v| v.as_seq()).unwrap_or_default() {
                if let Some(claim) = str_at(volume, "persistentVolumeClaim.claimName")
                    && claim != "legacy-pvc"
                {
                    assert!(
                        has("PersistentVolumeClaim", &claim),
                        "{helm}: claim `{claim}`"
                    );
                }
                if let Some(cm) = str_at(volume, "configMap.name")
                    && cm.starts_with("a-release")
                {
                    assert!(has("ConfigMap", &cm), "{helm}: ConfigMap `{cm}`");
                }
            }
            for c in pod
                .get("containers")
                .map(|v| v.as_seq())
                .unwrap_or_default()
            {
                for from in c.get("envFrom").map(|v| v.as_seq()).unwrap_or_default() {
                    if let Some(cm) = str_at(from, "configMapRef.name")
                        && cm.starts_with("a-release")
                    {
                        assert!(has("ConfigMap", &cm), "{helm}: ConfigMap `{cm}`");
                    }
                }
            }
        }
        for d in docs
            .iter()
            .filter(|d| d.get("kind").and_then(|k| k.as_str()) == Some("StatefulSet"))
        {
            let service = d
                .path("spec.serviceName")
                .and_then(|n| n.as_str())
                .unwrap_or_default();
            assert!(
                has("Service", service),
                "{helm}: StatefulSet serviceName `{service}`"
            );
        }
    }
}

/// The pod spec of a rendered object: a Pod's own, a CronJob's job template's, a workload's template's.
fn pod_spec(doc: &chartgen::yaml::Node) -> Option<&chartgen::yaml::Node> {
    match doc.get("kind").and_then(|k| k.as_str())? {
        "Pod" => doc.get("spec"),
        "CronJob" => doc.path("spec.jobTemplate.spec.template.spec"),
        "Deployment" | "StatefulSet" | "DaemonSet" | "Job" => doc.path("spec.template.spec"),
        _ => None,
    }
}

/// Renders a spec written to `dir` and returns the chart's folder.
fn render_spec(dir: &Path, spec_text: &str) -> std::path::PathBuf {
    let spec = dir.join("spec.yaml");
    std::fs::write(&spec, spec_text).expect("write spec");
    let out = dir.join("out");
    let rendered = run(chartgen().arg("render").arg(&spec).arg("--out").arg(&out));
    assert!(rendered.status.success(), "{}", text(&rendered.stderr));
    let name = chartgen::yaml::parse_document(spec_text)
        .ok()
        .and_then(|d| {
            d.path("metadata.name")
                .and_then(|n| n.as_str())
                .map(str::to_string)
        })
        .expect("metadata.name");
    out.join("helm").join(name)
}

/// Every claim a pod mounts in a rendered chart: (workload kind/name, claim name).
fn mounted_claims(docs: &[chartgen::yaml::Node]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for doc in docs {
        for volume in pod_spec(doc)
            .and_then(|p| p.get("volumes"))
            .map_or(&[][..], |v| v.as_seq())
        {
            if let Some(claim) = volume
                .path("persistentVolumeClaim.claimName")
                .and_then(|c| c.as_str())
            {
                let owner = format!(
                    "{}/{}",
                    doc.get("kind").and_then(|k| k.as_str()).unwrap_or_default(),
                    doc.path("metadata.name")
                        .and_then(|k| k.as_str())
                        .unwrap_or_default()
                );
                out.push((owner, claim.to_string()));
            }
        }
    }
    out
}

#[test]
fn every_mounted_claim_is_rendered_or_set_and_a_shared_volume_is_one_claim() {
    for chart in charts() {
        for helm in HELMS {
            let docs = documents(&template_ok(
                helm,
                &chart,
                &["--set", "secrets.existingSecret=x"],
            ));
            let rendered: Vec<&str> = docs
                .iter()
                .filter(|d| d.get("kind").and_then(|k| k.as_str()) == Some("PersistentVolumeClaim"))
                .filter_map(|d| d.path("metadata.name").and_then(|n| n.as_str()))
                .collect();
            for (owner, claim) in mounted_claims(&docs) {
                assert!(
                    rendered.contains(&claim.as_str()),
                    "{}: {owner} mounts claim `{claim}`, which the chart does not render ({rendered:?})",
                    chart.display()
                );
            }
        }
    }
    // photo-share's worker mounts web's `media` claim (`sharedFrom: web`); an existingClaim moves both.
    let chart = root().join("generated/helm/photo-share");
    for helm in HELMS {
        for (args, claim) in [
            (vec![], "photo-share-web-media"),
            (
                vec!["--set", "web.persistence.media.existingClaim=team-media"],
                "team-media",
            ),
        ] {
            let mut args = args;
            args.extend(["--set", "secrets.existingSecret=x"]);
            let claims = mounted_claims(&documents(&template_ok(helm, &chart, &args)));
            for workload in [
                "Deployment/photo-share-web",
                "Deployment/photo-share-worker",
                "CronJob/photo-share-cleanup",
            ] {
                assert!(
                    claims.contains(&(workload.to_string(), claim.to_string())),
                    "{helm} {args:?}: {workload} does not mount `{claim}`: {claims:?}"
                );
            }
        }
    }
}

/// A StatefulSet component with a claim, ConfigMap files and scratch space, and its CronJob and hook Jobs: every
/// pod mounts only volumes it defines (the API server refuses anything else), the jobs get the files and the
/// scratch space, and no job mounts the StatefulSet's per-pod claim.
#[test]
fn jobs_mount_their_components_volumes_that_exist_when_they_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let chart = render_spec(
        dir.path(),
        r#"apiVersion: chartgen.dev/v1
kind: ChartSpec
metadata: { name: kv, description: A key-value store, appVersion: "3.5.0" }
components:
  db:
    kind: StatefulSet
    image: { repository: quay.io/acme/db, tag: "3.5" }
    port: 2379
    service: { name: kv-db }
    probes:
      liveness: { tcpSocket: { port: http } }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 200m, memory: 256Mi }
    volumes:
      data: { mountPath: /data, persistent: { size: 1Gi } }
      conf: { mountPath: /etc/db, configMap: { name: db-conf } }
      scratch: { mountPath: /scratch, emptyDir: {} }
cronJobs:
  backup: { component: db, command: [backup], schedule: "0 3 * * *" }
jobs:
  migrate: { component: db, command: [migrate], hooks: [pre-install, pre-upgrade] }
  reindex: { component: db, command: [reindex], hooks: [post-upgrade] }
"#,
    );
    for helm in HELMS {
        let manifest = template_ok(helm, &chart, &[]);
        let manifest_file = dir.path().join(format!("{helm}.yaml"));
        std::fs::write(&manifest_file, &manifest).expect("write manifest");
        let lint = run(chartgen()
            .args(["lint", "--select", "volume-mount-unknown"])
            .arg(&manifest_file));
        assert_eq!(
            lint.status.code(),
            Some(0),
            "{helm}: {}",
            text(&lint.stdout)
        );
        // A fixed Service name fixes the headless one too, so peers can be configured with stable DNS names.
        let docs = documents(&manifest);
        let named = |kind: &str, name: &str| {
            docs.iter().any(|d| {
                d.get("kind").and_then(|k| k.as_str()) == Some(kind)
                    && d.path("metadata.name").and_then(|n| n.as_str()) == Some(name)
            })
        };
        assert!(
            named("Service", "kv-db") && named("Service", "kv-db-headless"),
            "{helm}"
        );
        let sts = docs
            .iter()
            .find(|d| d.get("kind").and_then(|k| k.as_str()) == Some("StatefulSet"))
            .expect("a StatefulSet");
        assert_eq!(
            sts.path("spec.serviceName").and_then(|n| n.as_str()),
            Some("kv-db-headless"),
            "{helm}"
        );
        for doc in &docs {
            let kind = doc.get("kind").and_then(|k| k.as_str()).unwrap_or_default();
            if !matches!(kind, "CronJob" | "Job") {
                continue;
            }
            let mounts: Vec<String> = pod_spec(doc)
                .and_then(|p| p.path("containers.0.volumeMounts"))
                .map_or(&[][..], |m| m.as_seq())
                .iter()
                .filter_map(|m| m.get("name").and_then(|n| n.as_str()).map(str::to_string))
                .collect();
            let name = doc
                .path("metadata.name")
                .and_then(|n| n.as_str())
                .unwrap_or_default();
            assert_eq!(mounts, ["tmp", "conf", "scratch"], "{helm}: {kind} {name}");
        }
    }
}

/// `global.imagePullSecrets` takes names and Bitnami's `{name: …}` objects alike, in every pod.
#[test]
fn image_pull_secrets_take_names_and_objects() {
    for chart in charts() {
        for helm in HELMS {
            let manifest = template_ok(
                helm,
                &chart,
                &[
                    "--set",
                    "secrets.existingSecret=x",
                    "--set",
                    "global.imagePullSecrets[0]=plain",
                    "--set",
                    "global.imagePullSecrets[1].name=bitnami-style",
                ],
            );
            for doc in documents(&manifest) {
                let kind = doc.get("kind").and_then(|k| k.as_str()).unwrap_or_default();
                // Every pod, the `helm test` Pod included.
                let Some(pod) = pod_spec(&doc) else { continue };
                let names: Vec<&str> = pod
                    .get("imagePullSecrets")
                    .map_or(&[][..], |s| s.as_seq())
                    .iter()
                    .filter_map(|s| s.get("name").and_then(|n| n.as_str()))
                    .collect();
                assert_eq!(
                    names,
                    ["plain", "bitnami-style"],
                    "{helm} {}: {kind}",
                    chart.display()
                );
            }
        }
    }
}

/// A component's CronJobs and hook Jobs run on its nodes (its node affinity) but take none of its pod
/// (anti-)affinity: a required anti-affinity against the component's own pods would leave them Pending on every
/// node those pods use.
#[test]
fn jobs_take_their_components_node_affinity_but_not_its_pod_affinity() {
    let dir = tempfile::tempdir().expect("tempdir");
    let chart = render_spec(
        dir.path(),
        r#"apiVersion: chartgen.dev/v1
kind: ChartSpec
metadata: { name: spread, description: Anti-affinity and jobs, appVersion: "1.0.0" }
components:
  web:
    image: { repository: ghcr.io/acme/web, tag: "1.0" }
    port: 8080
    replicas: 3
    probes: { liveness: { path: /livez } }
    resources: { requests: { cpu: 100m, memory: 128Mi }, limits: { cpu: 500m, memory: 256Mi } }
    affinity:
      nodeAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
          nodeSelectorTerms: [{ matchExpressions: [{ key: pool, operator: In, values: [web] }] }]
      podAntiAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
          - { labelSelector: { matchLabels: { app.kubernetes.io/component: web } }, topologyKey: kubernetes.io/hostname }
cronJobs:
  report: { component: web, command: [report], schedule: "@daily" }
jobs:
  migrate: { component: web, command: [migrate], hooks: [pre-upgrade] }
"#,
    );
    for helm in HELMS {
        let manifest = template_ok(helm, &chart, &[]);
        let mut seen = Vec::new();
        for doc in documents(&manifest) {
            let kind = doc
                .get("kind")
                .and_then(|k| k.as_str())
                .unwrap_or_default()
                .to_string();
            if !matches!(kind.as_str(), "CronJob" | "Job" | "Deployment") {
                continue;
            }
            let affinity = pod_spec(&doc)
                .and_then(|p| p.get("affinity"))
                .expect("an affinity");
            assert!(affinity.get("nodeAffinity").is_some(), "{helm} {kind}");
            assert_eq!(
                affinity.get("podAntiAffinity").is_some(),
                kind == "Deployment",
                "{helm} {kind}"
            );
            seen.push(kind);
        }
        seen.sort();
        assert_eq!(seen, ["CronJob", "Deployment", "Job"], "{helm}");
    }
}

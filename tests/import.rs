//! `chartgen import`: charts and manifests shaped like hand-written ones become specs that render, with the real
//! Helm rendering both sides; what they deploy survives the round trip object by object, and no secret value
//! from them ever reaches the spec, the report or the terminal.

mod common;

use chartgen::yaml::Node;
use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const HELMS: [&str; 2] = ["helm4", "helm3"];

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/import").join(name)
}

struct Imported {
    spec: PathBuf,
    spec_text: String,
    stdout: String,
    stderr: String,
    code: Option<i32>,
    _dir: tempfile::TempDir,
}

fn import(helm: &str, args: &[&str]) -> Imported {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = dir.path().join("spec.yaml");
    let out = run(chartgen()
        .env("HELM", tool(helm))
        .arg("import")
        .args(args)
        .arg("--out")
        .arg(&spec));
    Imported {
        spec_text: std::fs::read_to_string(&spec).unwrap_or_default(),
        spec,
        stdout: text(&out.stdout),
        stderr: text(&out.stderr),
        code: out.status.code(),
        _dir: dir,
    }
}

fn helm_template(helm: &str, release: &str, chart: &Path, args: &[String]) -> Vec<Node> {
    let out = run(std::process::Command::new(tool(helm))
        .args(["template", release])
        .arg(chart)
        .args(args));
    assert!(
        out.status.success(),
        "{helm} template {}: {}",
        chart.display(),
        text(&out.stderr)
    );
    chartgen::yaml::parse_documents(&text(&out.stdout)).expect("helm output parses")
}

/// Renders an imported spec and templates it under `release`, with a placeholder for every secret key.
fn render_imported(helm: &str, imported: &Imported, release: &str) -> Vec<Node> {
    let out = tempfile::tempdir().expect("tempdir");
    let rendered = run(chartgen()
        .arg("render")
        .arg(&imported.spec)
        .arg("--out")
        .arg(out.path()));
    assert!(
        rendered.status.success(),
        "render: {}",
        text(&rendered.stderr)
    );
    let chart = std::fs::read_dir(out.path().join("helm"))
        .expect("helm dir")
        .flatten()
        .next()
        .expect("one chart")
        .path();
    let mut args = Vec::new();
    if let Ok(example) = std::fs::read_to_string(chart.join("values-local.yaml.example")) {
        for key in example
            .lines()
            .filter_map(|l| l.trim().strip_suffix(": \"\""))
        {
            args.push("--set".to_string());
            args.push(format!("secrets.{key}=placeholder"));
        }
    }
    helm_template(helm, release, &chart, &args)
}

fn s(n: Option<&Node>) -> String {
    n.and_then(Node::scalar_text).unwrap_or_default()
}

fn kind(d: &Node) -> String {
    s(d.get("kind"))
}

fn pod_spec(d: &Node) -> Option<&Node> {
    match kind(d).as_str() {
        "CronJob" => d.path("spec.jobTemplate.spec.template.spec"),
        _ => d.path("spec.template.spec"),
    }
}

/// What a workload deploys, by main-container image: kind, replicas (or HPA minimum), and per container its
/// image, command, args, ports, env names, probes, requests and limits, mount paths.
/// The env var names a container gets: its `env`, and every key of the ConfigMaps and Secrets of the same render
/// it reads with `envFrom` (an import moves literal values into a ConfigMap, which is the same env).
fn env_names(docs: &[Node], c: &Node) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = c
        .get("env")
        .map(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .map(|e| s(e.get("name")))
        .collect();
    for from in c.get("envFrom").map(Node::as_seq).unwrap_or_default() {
        for (field, k) in [("configMapRef", "ConfigMap"), ("secretRef", "Secret")] {
            let Some(name) = from
                .path(&format!("{field}.name"))
                .and_then(Node::scalar_text)
            else {
                continue;
            };
            if let Some(obj) = docs
                .iter()
                .find(|d| kind(d) == k && s(d.path("metadata.name")) == name)
            {
                for data in ["data", "stringData"] {
                    names.extend(
                        obj.get(data)
                            .map(Node::entries)
                            .unwrap_or_default()
                            .iter()
                            .map(|(key, _)| key.name.clone()),
                    );
                }
            }
        }
    }
    names
}

fn workloads(docs: &[Node]) -> BTreeMap<String, String> {
    let hpa_min: BTreeMap<String, String> = docs
        .iter()
        .filter(|d| kind(d) == "HorizontalPodAutoscaler")
        .map(|d| {
            (
                s(d.path("spec.scaleTargetRef.name")),
                s(d.path("spec.minReplicas")),
            )
        })
        .collect();
    let mut out = BTreeMap::new();
    for d in docs
        .iter()
        .filter(|d| matches!(kind(d).as_str(), "Deployment" | "StatefulSet" | "CronJob"))
    {
        let pod = pod_spec(d).expect("pod spec");
        let name = s(d.path("metadata.name"));
        let replicas = hpa_min
            .get(&name)
            .cloned()
            .unwrap_or_else(|| s(d.path("spec.replicas")));
        let containers = |field: &str| -> Vec<String> {
            pod.get(field)
                .map(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .map(|c| {
                    let list = |f: &str| c.get(f).map(Node::as_seq).unwrap_or_default().iter().filter_map(Node::scalar_text).collect::<Vec<_>>().join(" ");
                    let ports: BTreeSet<String> = c.get("ports").map(Node::as_seq).unwrap_or_default().iter().map(|p| s(p.get("containerPort"))).collect();
                    let env = env_names(docs, c);
                    let probes: Vec<String> = ["livenessProbe", "readinessProbe", "startupProbe"]
                        .iter()
                        .filter_map(|p| c.get(p).map(|n| format!("{p}:{}{}{}", s(n.path("httpGet.path")), s(n.path("exec.command.0")), if n.get("tcpSocket").is_some() { "tcp" } else { "" })))
                        .collect();
                    let mounts: BTreeSet<String> = c.get("volumeMounts").map(Node::as_seq).unwrap_or_default().iter().map(|m| s(m.get("mountPath"))).filter(|m| m != "/tmp").collect();
                    format!(
                        "image={} command=[{}] args=[{}] ports={ports:?} env={env:?} probes={probes:?} requests={}/{} limits={}/{} mounts={mounts:?}",
                        s(c.get("image")), list("command"), list("args"),
                        s(c.path("resources.requests.cpu")), s(c.path("resources.requests.memory")),
                        s(c.path("resources.limits.cpu")), s(c.path("resources.limits.memory")),
                    )
                })
                .collect()
        };
        let main_image = s(pod.path("containers.0.image"));
        out.insert(
            format!("{} {main_image}", kind(d)),
            format!(
                "replicas={replicas} schedule={} init={:?} containers={:?}",
                s(d.path("spec.schedule")),
                containers("initContainers"),
                containers("containers")
            ),
        );
    }
    out
}

/// Services by name (the DNS name clients use): type and ports (port, nodePort).
fn services(docs: &[Node]) -> BTreeMap<String, String> {
    docs.iter()
        .filter(|d| kind(d) == "Service" && s(d.path("spec.clusterIP")) != "None")
        .map(|d| {
            let ports: Vec<String> = d
                .path("spec.ports")
                .map(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .map(|p| format!("{}:{}", s(p.get("port")), s(p.get("nodePort"))))
                .collect();
            let ty = s(d.path("spec.type"));
            (
                s(d.path("metadata.name")),
                format!(
                    "type={} ports={ports:?}",
                    if ty.is_empty() {
                        "ClusterIP".into()
                    } else {
                        ty
                    }
                ),
            )
        })
        .collect()
}

/// Ingress routes: host, path → backend Service, and TLS Secrets.
fn ingress(docs: &[Node]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for d in docs.iter().filter(|d| kind(d) == "Ingress") {
        for rule in d.path("spec.rules").map(Node::as_seq).unwrap_or_default() {
            for p in rule
                .path("http.paths")
                .map(Node::as_seq)
                .unwrap_or_default()
            {
                out.insert(format!(
                    "{}{} -> {}",
                    s(rule.get("host")),
                    s(p.get("path")),
                    s(p.path("backend.service.name"))
                ));
            }
        }
        for t in d.path("spec.tls").map(Node::as_seq).unwrap_or_default() {
            out.insert(format!(
                "tls {} {}",
                s(t.path("hosts.0")),
                s(t.get("secretName"))
            ));
        }
    }
    out
}

fn claims(docs: &[Node]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for d in docs {
        if kind(d) == "PersistentVolumeClaim" {
            out.insert(format!(
                "{} {}",
                s(d.path("spec.resources.requests.storage")),
                s(d.path("spec.accessModes.0"))
            ));
        }
        for t in d
            .path("spec.volumeClaimTemplates")
            .map(Node::as_seq)
            .unwrap_or_default()
        {
            out.insert(format!(
                "{} {}",
                s(t.path("spec.resources.requests.storage")),
                s(t.path("spec.accessModes.0"))
            ));
        }
    }
    out
}

fn assert_same<T: std::fmt::Debug + PartialEq>(what: &str, before: T, after: T) {
    assert!(
        before == after,
        "{what} changed in the round trip:\nbefore: {before:#?}\nafter:  {after:#?}"
    );
}

fn assert_no_secret(imported: &Imported, secrets: &[&str]) {
    for secret in secrets {
        for (what, text) in [
            ("spec", &imported.spec_text),
            ("report", &imported.stdout),
            ("stderr", &imported.stderr),
        ] {
            let chars: Vec<char> = secret.chars().collect();
            for window in chars.windows(8) {
                let piece: String = window.iter().collect();
                assert!(
                    !text.contains(&piece),
                    "a piece of a planted secret (`{piece}`) is in the {what}"
                );
            }
        }
    }
}

#[test]
fn a_hand_written_todo_chart_round_trips_object_by_object() {
    for helm in HELMS {
        let imported = import(
            helm,
            &[
                fixture("todo-chart").to_str().expect("path"),
                "--release-name",
                "todo",
            ],
        );
        assert_eq!(
            imported.code,
            Some(1),
            "{}{}",
            imported.stdout,
            imported.stderr
        );
        assert_no_secret(
            &imported,
            &[
                "Sup3r-S3cret-Passw0rd-2024",
                "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEFGH",
            ],
        );
        let before = helm_template(helm, "todo", &fixture("todo-chart"), &[]);
        let after = render_imported(helm, &imported, "todo");
        // Resources the original left out get the spec's defaults: the report says so.
        let mut expected = workloads(&before);
        for v in expected.values_mut() {
            *v = v
                .replace(
                    "requests=/ limits=/ ",
                    "requests=100m/128Mi limits=500m/512Mi ",
                )
                .replace("limits=/ ", "limits=500m/512Mi ");
        }
        // A secret group gives every key of its Secret to each component that reads it: the backend also gets
        // POSTGRES_PASSWORD and Postgres DATABASE_URL (the report lists both as keys to supply).
        let mut got = workloads(&after);
        for v in got.values_mut() {
            *v = v.replace(
                ", \\\"POSTGRES_PASSWORD\\\"} probes=[\\\"livenessProbe:/health",
                "} probes=[\\\"livenessProbe:/health",
            );
            *v = v.replace("env={\\\"DATABASE_URL\\\", \\\"PGDATA", "env={\\\"PGDATA");
        }
        assert_same("workloads", expected, got);
        assert_same("services", services(&before), services(&after));
        assert_same("ingress", ingress(&before), ingress(&after));
        assert_same("claims", claims(&before), claims(&after));
        // Secret keys, as install-time values, named in the report.
        assert!(
            imported.stdout.contains("DATABASE_URL")
                && imported.stdout.contains("POSTGRES_PASSWORD"),
            "{}",
            imported.stdout
        );
        assert!(
            imported.stdout.contains("OPENAI_API_KEY"),
            "{}",
            imported.stdout
        );
    }
}

#[test]
fn a_chart_with_cron_jobs_hooks_claims_and_an_hpa_round_trips() {
    for helm in HELMS {
        let imported = import(
            helm,
            &[
                fixture("jobs-chart").to_str().expect("path"),
                "--release-name",
                "reports",
            ],
        );
        assert_eq!(
            imported.code,
            Some(1),
            "{}{}",
            imported.stdout,
            imported.stderr
        );
        let before = helm_template(helm, "reports", &fixture("jobs-chart"), &[]);
        let after = render_imported(helm, &imported, "reports");
        let b = workloads(&before);
        let a = workloads(&after);
        // The HPA's minimum of 2 on a ReadWriteOnce claim cannot run on two nodes: the import keeps one pod and
        // says so; everything else is carried.
        assert!(
            imported.stdout.contains("ReadWriteOnce claim"),
            "{}",
            imported.stdout
        );
        let strip = |m: &BTreeMap<String, String>| -> BTreeMap<String, String> {
            m.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.split_once(' ')
                            .map_or(v.clone(), |(_, rest)| rest.to_string()),
                    )
                })
                .collect()
        };
        let mut b = strip(&b);
        // The CronJob runs the component's image with its env (POD_NAME) and mounts: the spec's CronJobs do.
        let a = strip(&a);
        let cron_key = b
            .keys()
            .find(|k| k.starts_with("CronJob"))
            .cloned()
            .expect("a CronJob");
        let cron_after = a.get(&cron_key).expect("the CronJob survives").clone();
        assert!(
            cron_after.contains("command=[reports build --all]"),
            "{cron_after}"
        );
        b.remove(&cron_key);
        let mut a = a;
        a.remove(&cron_key);
        assert_same("workloads", b, a);
        let schedules: Vec<String> = after
            .iter()
            .filter(|d| kind(d) == "CronJob")
            .map(|d| s(d.path("spec.schedule")))
            .collect();
        assert_eq!(schedules, ["15 2 * * *"]);
        assert_same("services", services(&before), services(&after));
        assert_same("claims", claims(&before), claims(&after));
        let hooks: Vec<String> = after
            .iter()
            .filter(|d| kind(d) == "Job")
            .filter_map(|d| {
                d.path("metadata.annotations")
                    .and_then(|a| a.get("helm.sh/hook"))
                    .and_then(Node::scalar_text)
            })
            .collect();
        assert!(
            hooks
                .iter()
                .any(|h| h.contains("pre-install") && h.contains("pre-upgrade")),
            "{hooks:?}"
        );
    }
}

#[test]
fn manifests_with_a_worker_and_a_daemon_set_are_imported_and_what_is_left_is_reported() {
    let imported = import("helm4", &[fixture("manifests").to_str().expect("path")]);
    assert_eq!(
        imported.code,
        Some(1),
        "{}{}",
        imported.stdout,
        imported.stderr
    );
    assert_no_secret(
        &imported,
        &[
            "ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
            "correct-horse-battery-staple-42",
        ],
    );
    // The DaemonSet is reported with its file and line.
    assert!(
        imported
            .stdout
            .contains("more.yaml:10: DaemonSet node-agent"),
        "{}",
        imported.stdout
    );
    // The worker: no port, no Service; its ConfigMap's plain values are config, its token is a secret key.
    let spec = chartgen::yaml::parse_document(&imported.spec_text).expect("spec parses");
    let worker = spec.path("components.queue-worker").expect("the worker");
    assert!(worker.get("port").is_none());
    assert_eq!(s(worker.path("config.BATCH_SIZE")), "50");
    assert!(worker.path("config.AUTH_TOKEN").is_none());
    assert!(imported.stdout.contains("AUTH_TOKEN") && imported.stdout.contains("BROKER_PASSWORD"));
    let after = render_imported("helm4", &imported, "w");
    assert!(
        !after
            .iter()
            .any(|d| kind(d) == "Service" && s(d.path("metadata.name")).contains("queue-worker"))
    );
    let deployment = after
        .iter()
        .find(|d| kind(d) == "Deployment")
        .expect("a Deployment");
    assert_eq!(s(deployment.path("spec.replicas")), "3");
    // Scheduling survives: the same node labels, tolerations, spread (counting the new chart's own pods),
    // priority and pull secret; the original chart's config checksum does not.
    let pod = deployment.path("spec.template.spec").expect("pod");
    assert_eq!(s(pod.path("nodeSelector.workload")), "batch");
    assert_eq!(s(pod.path("tolerations.0.key")), "dedicated");
    assert_eq!(s(pod.path("tolerations.0.effect")), "NoSchedule");
    assert_eq!(s(pod.path("priorityClassName")), "batch-low");
    assert_eq!(s(pod.path("imagePullSecrets.0.name")), "ghcr-pull");
    let spread = pod.path("topologySpreadConstraints.0").expect("spread");
    assert_eq!(s(spread.get("topologyKey")), "topology.kubernetes.io/zone");
    let own = deployment
        .path("spec.selector.matchLabels")
        .map(chartgen::yaml::Node::to_json);
    assert_eq!(
        spread
            .path("labelSelector.matchLabels")
            .map(chartgen::yaml::Node::to_json),
        own
    );
    let annotations = deployment
        .path("spec.template.metadata.annotations")
        .map(chartgen::yaml::Node::to_json)
        .unwrap_or_default();
    assert_eq!(
        annotations["cluster-autoscaler.kubernetes.io/safe-to-evict"],
        "true"
    );
    assert!(annotations.get("checksum/config").is_none_or(|v| v
        != "5f2b6c0d9e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c"));
}

#[test]
fn stdin_json_report_overwrite_and_bad_input() {
    // JSON report: the same items, for tools.
    let imported = import(
        "helm4",
        &[
            fixture("manifests").to_str().expect("path"),
            "--format",
            "json",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&imported.stdout).expect("json report");
    assert!(json["notCarried"].as_array().is_some_and(|a| !a.is_empty()));
    assert!(json["secretKeys"].as_array().is_some_and(|a| a.len() == 2));
    // An existing file is not overwritten without --force, and exits 2 with the fix.
    let again = run(chartgen()
        .arg("import")
        .arg(fixture("manifests"))
        .arg("--out")
        .arg(&imported.spec));
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again.stderr).contains("--force"));
    let forced = run(chartgen()
        .arg("import")
        .arg(fixture("manifests"))
        .arg("--out")
        .arg(&imported.spec)
        .arg("--force"));
    assert_eq!(forced.status.code(), Some(1), "{}", text(&forced.stderr));
    // Nothing to import: exit 2, nothing written.
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("empty.yaml"), "# nothing\n").expect("write");
    let out = dir.path().join("spec.yaml");
    let empty = run(chartgen()
        .arg("import")
        .arg(dir.path().join("empty.yaml"))
        .arg("--out")
        .arg(&out));
    assert_eq!(empty.status.code(), Some(2));
    assert!(!out.exists());
    // stdin.
    let mut child = chartgen()
        .args(["import", "-", "--name", "piped", "--out"])
        .arg(&out)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let manifest = std::fs::read(fixture("manifests/worker.yaml")).expect("fixture");
    std::io::Write::write_all(child.stdin.as_mut().expect("stdin"), &manifest)
        .expect("write stdin");
    drop(child.stdin.take());
    let piped = child.wait_with_output().expect("wait");
    assert_eq!(piped.status.code(), Some(1), "{}", text(&piped.stderr));
    assert!(
        std::fs::read_to_string(&out)
            .expect("spec")
            .contains("name: \"piped\"")
    );
}

#[test]
fn every_committed_chart_imports_into_a_spec_that_renders_the_same_workloads_and_services() {
    for chart in charts() {
        let name = chart_name(&chart);
        let example =
            std::fs::read_to_string(chart.join("values-local.yaml.example")).unwrap_or_default();
        let mut args: Vec<String> = vec![
            chart.to_string_lossy().into_owned(),
            "--release-name".into(),
            name.clone(),
        ];
        let mut set = Vec::new();
        for key in example
            .lines()
            .filter_map(|l| l.trim().strip_suffix(": \"\""))
        {
            args.push("--set".into());
            args.push(format!("secrets.{key}=placeholder-{key}"));
            set.push("--set".to_string());
            set.push(format!("secrets.{key}=placeholder-{key}"));
        }
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let imported = import("helm4", &refs);
        assert!(
            matches!(imported.code, Some(0 | 1)),
            "{name}: {}{}",
            imported.stdout,
            imported.stderr
        );
        // A chart that already runs hardened is not told about hardening it has, nor about its own claims.
        for note in [
            "NetworkPolicies deny every flow",
            "runs as a non-root user",
            "do not mount a ServiceAccount token",
            "is rendered under the chart's name",
        ] {
            assert!(
                !imported.stdout.contains(note),
                "{name}: {note}: {}",
                imported.stdout
            );
        }
        let before = helm_template("helm4", &name, &chart, &set);
        let after = render_imported("helm4", &imported, &name);
        // Documented difference: the imported spec pins every Service's name (a chart's own names are
        // `<release>-<chart>-<component>` either way) and groups each Secret's keys under the Secret's name;
        // what runs (workloads, containers, probes, resources) and what is exposed (Service names and ports,
        // Ingress routes, claims) is the same.
        assert_same(
            &format!("{name}: workloads"),
            workloads(&before),
            workloads(&after),
        );
        assert_same(
            &format!("{name}: services"),
            services(&before),
            services(&after),
        );
        assert_same(
            &format!("{name}: ingress"),
            ingress(&before),
            ingress(&after),
        );
        assert_same(&format!("{name}: claims"), claims(&before), claims(&after));
    }
}

#[test]
fn helm_creates_scaffold_imports_and_the_report_names_what_changes() {
    for helm in HELMS {
        let imported = import(
            helm,
            &["tests/fixtures/import/scaffold", "--release-name", "web"],
        );
        assert_eq!(
            imported.code,
            Some(1),
            "{}{}",
            imported.stdout,
            imported.stderr
        );
        let before = helm_template(helm, "web", &fixture("scaffold"), &[]);
        let after = render_imported(helm, &imported, "web");
        assert_same("services", services(&before), services(&after));
        let image = |docs: &[Node]| {
            docs.iter()
                .find(|d| kind(d) == "Deployment")
                .and_then(|d| d.path("spec.template.spec.containers.0.image"))
                .and_then(Node::scalar_text)
        };
        assert_eq!(image(&before), image(&after));
        // nginx on port 80 cannot bind it as non-root without capabilities: the report says so, as it says that
        // resources were added and that the test Pod is chartgen's own.
        assert!(
            imported.stdout.contains("listens on port 80"),
            "{}",
            imported.stdout
        );
        assert!(
            imported.stdout.contains("no complete requests and limits"),
            "{}",
            imported.stdout
        );
        assert!(
            imported
                .stdout
                .contains("test-connection.yaml:1: Pod web-scaffold-test-connection"),
            "{}",
            imported.stdout
        );
    }
}

#[test]
fn imported_specs_and_reports_are_snapshotted() {
    for (name, release) in [
        ("todo-chart", "todo"),
        ("jobs-chart", "reports"),
        ("scaffold", "web"),
        ("manifests", ""),
    ] {
        let path = format!("tests/fixtures/import/{name}");
        let mut args = vec![path.as_str()];
        if !release.is_empty() {
            args.extend(["--release-name", release]);
        }
        let imported = import("helm4", &args);
        let report = imported
            .stdout
            .replace(&imported.spec.display().to_string(), "<spec>");
        let spec = imported
            .spec_text
            .replace(&imported.spec.display().to_string(), "<spec>");
        insta::with_settings!({snapshot_path => "../snapshots/import", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(format!("{name}-spec"), spec);
            insta::assert_snapshot!(format!("{name}-report"), report);
        });
    }
}

/// A stable-style chart and a todo chart whose database is a StatefulSet behind a headless Service only: the
/// database keeps the DNS name clients use, the backend may still reach it (the flow is found in its Secret's
/// connection string, which is never printed), an env var that reads a Secret key of another name gets the
/// value under its own name, and what the spec's jobs do differently is reported.
#[test]
fn headless_databases_secret_key_renames_and_job_differences_survive_or_are_reported() {
    let imported = import(
        "helm4",
        &[
            fixture("headless-db").to_str().expect("path"),
            "--release-name",
            "rel",
        ],
    );
    assert_eq!(
        imported.code,
        Some(1),
        "{}{}",
        imported.stdout,
        imported.stderr
    );
    assert_no_secret(&imported, &["pgPa55-Zq81wLm"]);
    let spec = chartgen::yaml::parse_document(&imported.spec_text).expect("spec parses");
    let connects = spec
        .path("components.backend.connectsTo")
        .map(|n| {
            n.as_seq()
                .iter()
                .filter_map(|t| t.as_str())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    assert!(connects.contains(&"postgres"), "{}", imported.spec_text);
    let after = render_imported("helm4", &imported, "rel");
    assert!(
        after
            .iter()
            .any(|d| kind(d) == "Service" && s(d.path("metadata.name")) == "rel-todo-postgres"),
        "the database's DNS name is gone"
    );
    assert!(
        imported.stdout.contains("is kept after it succeeds"),
        "{}",
        imported.stdout
    );
    assert!(
        imported
            .stdout
            .contains("run with the resources of `backend`"),
        "{}",
        imported.stdout
    );

    let webapp = import(
        "helm4",
        &[
            fixture("stable-webapp").to_str().expect("path"),
            "--release-name",
            "rel",
        ],
    );
    assert_eq!(webapp.code, Some(1), "{}{}", webapp.stdout, webapp.stderr);
    assert_no_secret(&webapp, &["S3cr3tPassw0rd-Xq9"]);
    let spec = chartgen::yaml::parse_document(&webapp.spec_text).expect("spec parses");
    let keys = spec
        .path("secretGroups")
        .map(|g| {
            g.entries()
                .iter()
                .flat_map(|(_, v)| {
                    v.get("keys")
                        .map(|k| k.as_seq().to_vec())
                        .unwrap_or_default()
                })
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    assert_eq!(keys, ["DB_PASSWORD"], "{}", webapp.spec_text);
    assert!(
        !webapp
            .stdout
            .contains("not an env var name: the spec's secret keys"),
        "{}",
        webapp.stdout
    );
    assert!(
        webapp.stdout.contains("is rendered as `rel-webapp-webapp`"),
        "{}",
        webapp.stdout
    );
    let after = render_imported("helm4", &webapp, "rel");
    let deployment = after
        .iter()
        .find(|d| kind(d) == "Deployment")
        .expect("Deployment");
    let env = deployment
        .path("spec.template.spec.containers.0.env")
        .map(|e| e.as_seq().to_vec())
        .unwrap_or_default();
    assert!(
        env.iter().any(|e| s(e.get("name")) == "DB_PASSWORD"
            && e.path("valueFrom.secretKeyRef.key")
                .and_then(|k| k.as_str())
                == Some("DB_PASSWORD")),
        "the app no longer gets its password"
    );
}

/// A chart whose template fails with a message quoting a values.yaml password: the error names the template and
/// masks the password; nothing is written.
#[test]
fn a_helm_error_quoting_a_values_secret_is_masked() {
    let chart = tempfile::tempdir().expect("tempdir");
    let dir = chart.path();
    std::fs::create_dir_all(dir.join("templates")).expect("mkdir");
    std::fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: fails\nversion: 0.1.0\n",
    )
    .expect("write");
    let password = "Pg-Zq8x-4hV2-short";
    std::fs::write(
        dir.join("values.yaml"),
        format!("postgres:\n  password: \"{password}\"\n"),
    )
    .expect("write");
    std::fs::write(
        dir.join("templates/check.yaml"),
        "{{ fail (printf \"password %s is too short\" .Values.postgres.password) }}\n",
    )
    .expect("write");
    for helm in HELMS {
        let imported = import(helm, &[dir.to_str().expect("utf-8 path")]);
        assert_eq!(imported.code, Some(2), "{helm}: {}", imported.stderr);
        assert!(
            imported.stderr.contains("is too short"),
            "{helm}: {}",
            imported.stderr
        );
        assert!(
            !imported.stderr.contains("Use --debug"),
            "{helm}: {}",
            imported.stderr
        );
        assert!(imported.spec_text.is_empty(), "{helm}: nothing is written");
        assert_no_secret(&imported, &[password]);
    }
}

/// A CronJob that passes `args` to its image's entrypoint keeps them as args (not as a command), and its own
/// plain env vars; an env var it reads from a Secret is reported with its line.
#[test]
fn a_cron_job_keeps_its_args_and_its_own_env() {
    let dir = tempfile::tempdir().expect("tempdir");
    let manifests = dir.path().join("app.yaml");
    std::fs::write(
        &manifests,
        r#"apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/app:1.0
          ports: [{ name: http, containerPort: 8080 }]
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: report }
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: report
              image: ghcr.io/acme/app:1.0
              args: ["--format=pdf"]
              env:
                - { name: REPORT_FORMAT, value: pdf }
                - name: PGPASSWORD
                  valueFrom: { secretKeyRef: { name: db-credentials, key: password } }
"#,
    )
    .expect("write");
    for helm in HELMS {
        let imported = import(helm, &[manifests.to_str().expect("utf-8")]);
        assert_eq!(imported.code, Some(1), "{helm}: {}", imported.stderr);
        assert!(
            imported
                .stdout
                .contains("env var `PGPASSWORD` comes from another object"),
            "{helm}: {}",
            imported.stdout
        );
        let docs = render_imported(helm, &imported, "myrel");
        let cron = docs
            .iter()
            .find(|d| kind(d) == "CronJob")
            .expect("a CronJob");
        let c = cron
            .path("spec.jobTemplate.spec.template.spec.containers.0")
            .expect("its container");
        assert!(
            c.get("command").is_none(),
            "{helm}: the image's entrypoint runs"
        );
        assert_eq!(s(c.path("args.0")), "--format=pdf", "{helm}");
        assert!(
            c.get("env")
                .map(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .any(|e| { s(e.get("name")) == "REPORT_FORMAT" && s(e.get("value")) == "pdf" }),
            "{helm}: REPORT_FORMAT"
        );
    }
}

/// A ConfigMap holding secrets next to a Secret with one of the same names: the Secret's key serves that name,
/// the other secret becomes a key of the component's own group, and every one still reaches the pod.
#[test]
fn secret_literals_and_a_secret_with_the_same_name_both_reach_the_pod() {
    let dir = tempfile::tempdir().expect("tempdir");
    let manifests = dir.path().join("app.yaml");
    let (aws, password) = (format!("AKIA{}", "Z7QW3RT5YU8IOP2L"), "s3cr3t-Value-99");
    std::fs::write(
        &manifests,
        format!(
            r#"apiVersion: v1
kind: Secret
metadata: {{ name: app }}
stringData: {{ API_KEY: "x", OTHER: "y" }}
---
apiVersion: v1
kind: ConfigMap
metadata: {{ name: app }}
data: {{ API_KEY: "{aws}", DB_PASSWORD: "{password}" }}
---
apiVersion: apps/v1
kind: Deployment
metadata: {{ name: app }}
spec:
  selector: {{ matchLabels: {{ app: a }} }}
  template:
    metadata: {{ labels: {{ app: a }} }}
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/app:1.0
          ports: [{{ containerPort: 8080 }}]
          envFrom: [{{ configMapRef: {{ name: app }} }}]
          env:
            - {{ name: OTHER, valueFrom: {{ secretKeyRef: {{ name: app, key: OTHER }} }} }}
"#
        ),
    )
    .expect("write");
    for helm in HELMS {
        let imported = import(helm, &[manifests.to_str().expect("utf-8")]);
        assert!(
            !imported.stdout.contains("the spec refuses it"),
            "{helm}: {}",
            imported.stdout
        );
        assert_no_secret(&imported, &[&aws, password]);
        let docs = render_imported(helm, &imported, "myrel");
        let deployment = docs
            .iter()
            .find(|d| kind(d) == "Deployment")
            .expect("Deployment");
        let c = deployment
            .path("spec.template.spec.containers.0")
            .expect("container");
        let names = env_names(&docs, c);
        for name in ["API_KEY", "OTHER", "DB_PASSWORD"] {
            assert!(names.contains(name), "{helm}: {name} in {names:?}");
        }
    }
}

/// Two Deployments mounting one of the manifests' claims: a ReadWriteMany claim stays one claim
/// (`sharedFrom`), a ReadWriteOnce one becomes a claim each, and the report says so and how to share it.
#[test]
fn a_claim_two_deployments_mount_is_shared_when_its_access_mode_allows() {
    let deployment = |name: &str, volume: &str| {
        format!(
            r#"apiVersion: apps/v1
kind: Deployment
metadata: {{ name: {name} }}
spec:
  selector: {{ matchLabels: {{ app: {name} }} }}
  template:
    metadata: {{ labels: {{ app: {name} }} }}
    spec:
      containers:
        - name: {name}
          image: ghcr.io/acme/app:1.0
          volumeMounts:
            - {{ name: {volume}, mountPath: /srv/media }}
            - {{ name: scratch, mountPath: /srv/scratch }}
      volumes:
        - {{ name: {volume}, persistentVolumeClaim: {{ claimName: media }} }}
        - {{ name: scratch, persistentVolumeClaim: {{ claimName: scratch }} }}
---
"#
        )
    };
    let claim = |name: &str, mode: &str| {
        format!(
            "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{ name: {name} }}\nspec:\n  accessModes: [{mode}]\n  resources: {{ requests: {{ storage: 5Gi }} }}\n---\n"
        )
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let manifests = dir.path().join("app.yaml");
    std::fs::write(
        &manifests,
        [
            deployment("web", "media"),
            deployment("worker", "uploads"),
            claim("media", "ReadWriteMany"),
            claim("scratch", "ReadWriteOnce"),
        ]
        .concat(),
    )
    .expect("write");
    for helm in HELMS {
        let imported = import(helm, &[manifests.to_str().expect("utf-8")]);
        assert!(
            imported.code == Some(0) || imported.code == Some(1),
            "{helm}: {}",
            imported.stderr
        );
        assert!(
            imported.spec_text.contains("sharedFrom: \"web\""),
            "{helm}: {}",
            imported.spec_text
        );
        assert!(
            imported.stdout.contains(
                "the claim `scratch` is mounted by `web` and `worker`: the spec gives `worker` a claim of its own"
            ),
            "{helm}: {}",
            imported.stdout
        );
        let docs = render_imported(helm, &imported, "rel");
        let claims_of = |name: &str| -> Vec<String> {
            docs.iter()
                .find(|d| {
                    kind(d) == "Deployment"
                        && d.path("metadata.name")
                            .and_then(Node::as_str)
                            .is_some_and(|n| n.ends_with(name))
                })
                .and_then(|d| d.path("spec.template.spec.volumes"))
                .map(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .filter_map(|v| {
                    v.path("persistentVolumeClaim.claimName")
                        .and_then(Node::as_str)
                })
                .map(str::to_string)
                .collect()
        };
        let (web, worker) = (claims_of("-web"), claims_of("-worker"));
        let shared: Vec<&String> = web.iter().filter(|c| worker.contains(c)).collect();
        assert_eq!(
            shared.len(),
            1,
            "{helm}: one claim in common: {web:?} {worker:?}"
        );
        assert!(shared[0].ends_with("web-media"), "{helm}: {shared:?}");
        assert_eq!(worker.len(), 2, "{helm}: {worker:?}");
    }
}

/// What the generated chart sets where the source left Kubernetes' default is reported: an emptyDir's size
/// limit, an Ingress's class, a probe's timing, a main port's name.
#[test]
fn defaults_the_generated_chart_adds_are_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let manifests = dir.path().join("app.yaml");
    std::fs::write(
        &manifests,
        r#"apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.0
          ports: [{ name: web, containerPort: 8080 }]
          livenessProbe: { httpGet: { path: /health, port: web }, timeoutSeconds: 2 }
          volumeMounts: [{ name: cache, mountPath: /cache }]
      volumes: [{ name: cache, emptyDir: {} }]
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports: [{ port: 80, targetPort: web }]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web }
spec:
  rules:
    - host: web.example.com
      http:
        paths:
          - { path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }
"#,
    )
    .expect("write");
    for helm in HELMS {
        let imported = import(helm, &[manifests.to_str().expect("utf-8")]);
        assert_eq!(imported.code, Some(1), "{helm}: {}", imported.stderr);
        for expected in [
            "the emptyDir `cache` of `web` had no size limit; the chart gives it 1Gi",
            "the Ingress had no `ingressClassName` (the cluster's default class took it); the chart names the class `nginx`",
            "get chartgen's (liveness: 10 s delay, every 10 s, 3 s timeout, 3 failures): web liveness;",
            "the port `web` of `web` is named `http` in the generated chart",
        ] {
            assert!(
                imported.stdout.contains(expected),
                "{helm}: no `{expected}` in\n{}",
                imported.stdout
            );
        }
        assert!(
            imported.spec_text.contains("timeoutSeconds: 2"),
            "{helm}: {}",
            imported.spec_text
        );
    }
}

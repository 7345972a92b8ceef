//! Rendering: snapshots of every generated file, byte determinism, `--check`, and atomic writes.

mod common;

use common::*;

#[test]
fn every_rendered_file_matches_its_snapshot() {
    for spec_path in spec_files() {
        let rel = spec_path.strip_prefix(root()).expect("under root");
        let spec = chartgen::spec::load(rel).unwrap_or_else(|e| panic!("{e}"));
        let files = chartgen::render::render(&spec).unwrap_or_else(|e| panic!("{e}"));
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(format!("../snapshots/charts/{}", spec.name));
        settings.set_prepend_module_to_snapshot(false);
        settings.set_input_file(&spec_path);
        settings.bind(|| {
            for (path, content) in &files {
                let name = path.replace('/', "__");
                insta::assert_snapshot!(name, content);
            }
        });
    }
}

#[test]
fn rendering_is_byte_deterministic() {
    for spec_path in spec_files() {
        let spec = chartgen::spec::load(&spec_path).unwrap_or_else(|e| panic!("{e}"));
        let first = chartgen::render::render(&spec).expect("render");
        let again = chartgen::spec::load(&spec_path).expect("load");
        let second = chartgen::render::render(&again).expect("render");
        assert_eq!(first, second, "{}", spec_path.display());
    }
}

#[test]
fn committed_charts_are_up_to_date() {
    for spec_path in spec_files() {
        let output = run(chartgen().arg("render").arg(&spec_path).arg("--check"));
        assert_eq!(
            output.status.code(),
            Some(0),
            "generated/ is stale for {}; run `cargo run -- render {}`:\n{}",
            spec_path.display(),
            spec_path.display(),
            text(&output.stdout)
        );
    }
}

#[test]
fn check_prints_a_unified_diff_and_exits_1_on_drift() {
    let out = tempfile::tempdir().expect("tempdir");
    let write = run(chartgen()
        .args(["render", "chart-spec/todo-app.yaml", "--out"])
        .arg(out.path()));
    assert_eq!(write.status.code(), Some(0), "{}", text(&write.stderr));
    let chart = out.path().join("helm/todo-app");
    let values = chart.join("values.yaml");
    let edited = std::fs::read_to_string(&values)
        .expect("read")
        .replace("replicaCount: 2", "replicaCount: 7");
    std::fs::write(&values, edited).expect("write");
    std::fs::write(chart.join("templates/stray.yaml"), "kind: Stray\n").expect("write");
    std::fs::remove_file(chart.join(".helmignore")).expect("rm");

    let check = run(chartgen()
        .args(["render", "chart-spec/todo-app.yaml", "--check", "--out"])
        .arg(out.path()));
    assert_eq!(check.status.code(), Some(1));
    let diff = text(&check.stdout);
    assert!(
        diff.contains("-  replicaCount: 7\n+  replicaCount: 2"),
        "{diff}"
    );
    assert!(
        diff.contains("templates/stray.yaml\n+++ /dev/null"),
        "{diff}"
    );
    assert!(
        diff.contains("--- /dev/null") && diff.contains(".helmignore"),
        "{diff}"
    );
    assert!(
        text(&check.stderr).contains("out of date"),
        "{}",
        text(&check.stderr)
    );

    // --check wrote nothing; a real render repairs all three drifts.
    assert!(chart.join("templates/stray.yaml").exists());
    let fix = run(chartgen()
        .args(["render", "chart-spec/todo-app.yaml", "--out"])
        .arg(out.path()));
    assert_eq!(fix.status.code(), Some(0));
    let clean = run(chartgen()
        .args(["render", "chart-spec/todo-app.yaml", "--check", "--out"])
        .arg(out.path()));
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean.stdout));
    assert!(
        !chart.join("templates/stray.yaml").exists(),
        "files no longer rendered are removed"
    );
}

#[test]
fn render_touches_nothing_outside_its_chart_folder() {
    let out = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(out.path().join("helm/other")).expect("mkdir");
    std::fs::write(out.path().join("helm/other/Chart.yaml"), "name: other\n").expect("write");
    std::fs::write(out.path().join("notes.txt"), "mine\n").expect("write");
    let output = run(chartgen()
        .args(["render", "chart-spec/todo-app.yaml", "--out"])
        .arg(out.path()));
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(out.path().join("helm/other/Chart.yaml")).expect("read"),
        "name: other\n"
    );
    assert_eq!(
        std::fs::read_to_string(out.path().join("notes.txt")).expect("read"),
        "mine\n"
    );
    let entries: Vec<_> = std::fs::read_dir(out.path().join("helm"))
        .expect("ls")
        .map(|e| e.expect("e").file_name())
        .collect();
    assert_eq!(entries.len(), 2, "no temporary folders left: {entries:?}");
}

#[test]
fn committed_schema_is_current() {
    let output = run(chartgen().args(["schema", "--check"]));
    assert_eq!(
        output.status.code(),
        Some(0),
        "schemas/ is stale; run `cargo run -- schema`: {}",
        text(&output.stderr)
    );
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/chart-spec.schema.json")).expect("read"),
    )
    .expect("json");
    // Field doc comments become descriptions, so editors can show them.
    let port = &schema["$defs"]["Component"]["properties"]["port"]["description"];
    assert!(
        port.as_str().is_some_and(|d| d.contains("1-65535")),
        "{port}"
    );
    assert_eq!(schema["additionalProperties"], serde_json::json!(false));
}

#[test]
fn every_spec_starts_with_the_schema_modeline() {
    for spec_path in spec_files() {
        let text = std::fs::read_to_string(&spec_path).expect("read");
        assert!(
            text.starts_with("# yaml-language-server: $schema=../schemas/chart-spec.schema.json\n"),
            "{}",
            spec_path.display()
        );
    }
}

#[test]
fn no_secret_value_in_any_generated_file() {
    for chart in charts() {
        for (path, bytes) in snapshot_tree(&chart) {
            let content = text(&bytes);
            for line in content.lines() {
                // A secret key may only ever have an empty default.
                if let Some((key, value)) = line.trim().split_once(':') {
                    let value = value.trim().trim_matches('"');
                    if key
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
                        && chartgen::secrets::classify(key, value).is_some()
                    {
                        panic!("{}: `{line}` looks like a secret value", path.display());
                    }
                }
            }
        }
    }
}

#[test]
fn broken_pipe_exits_quietly() {
    let out = tempfile::tempdir().expect("tempdir");
    // An empty output folder: --check prints a diff of the whole chart into a pipe nobody reads.
    assert_quiet_on_closed_stdout(
        chartgen()
            .args(["render", "chart-spec/todo-app.yaml", "--check", "--out"])
            .arg(out.path()),
    );
}

fn render_text(spec: &str) -> chartgen::render::ChartFiles {
    let path = std::path::Path::new("inline.yaml");
    let checked = chartgen::spec::parse(path, spec).unwrap_or_else(|e| panic!("{e}"));
    chartgen::render::render(&checked).unwrap_or_else(|e| panic!("{e}"))
}

const WORKER_SPEC: &str = r#"
apiVersion: chartgen.dev/v1
kind: ChartSpec
metadata: { name: shop, description: A shop, appVersion: "1.0.0" }
components:
  web:
    image: { repository: ghcr.io/acme/shop-web }
    port: 8000
    probes:
      liveness: { path: /healthz }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 200m, memory: 256Mi }
  worker:
    image: { repository: ghcr.io/acme/shop-worker }
    command: [celery, -A, shop, worker]
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 200m, memory: 256Mi }
"#;

#[test]
fn a_component_without_readiness_probe_renders_and_is_checked_on_its_liveness_path() {
    let files = render_text(WORKER_SPEC);
    let test_pod = &files["templates/tests/test-connection.yaml"];
    assert!(
        test_pod.contains(":{{ .Values.web.service.port | int64 }}/healthz\""),
        "{test_pod}"
    );
    assert!(files["README.md"].contains("curl -fsS http://localhost:8000/healthz"));
}

#[test]
fn a_worker_has_no_service_no_port_no_test_and_accepts_no_traffic() {
    let files = render_text(WORKER_SPEC);
    assert!(!files.contains_key("templates/worker/service.yaml"));
    assert!(files.contains_key("templates/web/service.yaml"));
    let deployment = &files["templates/worker/deployment.yaml"];
    assert!(
        !deployment.contains("ports:") && !deployment.contains("Probe:"),
        "{deployment}"
    );
    let test_pod = &files["templates/tests/test-connection.yaml"];
    assert!(
        !test_pod.contains("worker"),
        "helm test must not target a worker: {test_pod}"
    );
    let netpol = &files["templates/worker/networkpolicy.yaml"];
    assert!(netpol.contains("  ingress: []\n"), "{netpol}");
    let values: serde_json::Value =
        serde_json::from_str(&files["values.schema.json"]).expect("schema json");
    let worker = &values["properties"]["worker"]["properties"];
    assert!(worker.get("service").is_none() && worker.get("containerPort").is_none());
    assert!(files["README.md"].contains("| `worker` | none (worker) | none |"));
}

#[test]
fn a_worker_cannot_be_connected_to_routed_to_or_given_an_http_probe() {
    let spec = WORKER_SPEC.replace(
        "    command: [celery, -A, shop, worker]\n",
        "    command: [celery, -A, shop, worker]\n    probes: { readiness: { path: /ready } }\n    service: { type: NodePort }\n",
    ) + "    connectsTo: [worker]\n";
    let err = chartgen::spec::parse(std::path::Path::new("inline.yaml"), &spec)
        .expect_err("invalid worker");
    let shown = err.to_string();
    for expected in [
        "components.worker.probes.readiness.port: the probe needs a port, and this component has none",
        "components.worker.service.type: a component without `port` is a worker and has no Service",
        "components.worker.connectsTo.0: this component has no port, so its pods cannot reach each other",
    ] {
        assert!(
            shown.contains(expected),
            "missing `{expected}` in:\n{shown}"
        );
    }
    let routed = WORKER_SPEC.to_string()
        + "ingress:\n  host: shop.local\n  routes: [{ path: /, component: worker }]\n";
    let err = chartgen::spec::parse(std::path::Path::new("inline.yaml"), &routed)
        .expect_err("route to worker");
    assert!(
        err.to_string()
            .contains("ingress.routes.0.component: `worker` has no Service to route to"),
        "{err}"
    );
}

/// A `chartgen.dev/v1alpha1` spec renders the chart it always did: without `aiOps:` it still gets the AI-ops
/// Role, which `chartgen.dev/v1` renders only when asked.
#[test]
fn v1alpha1_specs_keep_their_ai_ops_default() {
    let old = WORKER_SPEC.replace("chartgen.dev/v1\n", "chartgen.dev/v1alpha1\n");
    assert_ne!(old, WORKER_SPEC);
    assert!(render_text(&old).contains_key("templates/ai-ops/role.yaml"));
    assert!(!render_text(WORKER_SPEC).contains_key("templates/ai-ops/role.yaml"));
}

#[test]
fn the_readme_installs_registry_images_without_docker_build_and_upgrades_without_reuse_values() {
    let files = render_text(WORKER_SPEC);
    let readme = &files["README.md"];
    assert!(!readme.contains("docker build"), "{readme}");
    assert!(!readme.contains("pullPolicy=Never"), "{readme}");
    assert!(readme.contains("`ghcr.io/acme/shop-web:1.0.0`"), "{readme}");
    let upgrade = readme
        .lines()
        .find(|l| l.starts_with("helm upgrade "))
        .expect("an upgrade command");
    assert!(upgrade.contains("--rollback-on-failure") && !upgrade.contains("--reuse-values"));
    assert!(readme.contains("Helm 3 calls it `--atomic`"));
    // AI-ops is off unless the spec asks for it, in a section a reader sees.
    assert!(!readme.contains("AI operations"), "{readme}");
    assert!(
        !files.keys().any(|f| f.contains("ai-ops")),
        "{:?}",
        files.keys()
    );
    let files = render_text(&format!("{WORKER_SPEC}\naiOps: {{ enabled: true }}\n"));
    let readme = &files["README.md"];
    assert!(
        files.contains_key("templates/ai-ops/role.yaml"),
        "{:?}",
        files.keys()
    );
    // What the AI-ops account can do, precisely: it patches Deployments, which can change what pods mount.
    assert!(
        readme.contains("patch\ndeployments") || readme.contains("patch deployments"),
        "{readme}"
    );
    assert!(!readme.contains("can never read Secrets"), "{readme}");
    assert!(readme.contains("can run any code"), "{readme}");
}

const STATEFUL_SPEC: &str = r#"
apiVersion: chartgen.dev/v1alpha1
kind: ChartSpec
metadata: { name: ledger, description: A ledger, appVersion: "1.0.0" }
components:
  db:
    kind: StatefulSet
    image: { repository: ghcr.io/acme/ledger-db }
    port: 9000
    replicas: 3
    probes:
      liveness: { grpc: { port: 9000 } }
      readiness: { tcpSocket: {} }
      startup: { exec: { command: [ledger, ping] } }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 200m, memory: 256Mi }
    volumes:
      data: { mountPath: /var/lib/ledger, persistent: { size: 10Gi, storageClass: fast } }
      settings: { mountPath: /etc/ledger, configMap: { name: ledger-settings, keys: [ledger.toml] } }
cronJobs:
  compact:
    component: db
    command: [ledger, compact]
    schedule: "0 2 * * *"
"#;

#[test]
fn a_stateful_set_gets_a_headless_service_claim_templates_and_every_probe_handler() {
    let files = render_text(STATEFUL_SPEC);
    let sts = &files["templates/db/statefulset.yaml"];
    assert!(sts.contains("kind: StatefulSet"));
    assert!(sts.contains("serviceName: {{ include \"ledger.db.headlessServiceName\" . }}"));
    assert!(files["templates/_helpers.tpl"].contains(
        "{{- include \"ledger.dnsName\" (printf \"%s-headless\" (include \"ledger.db.serviceName\" .)) }}"
    ));
    assert!(
        sts.contains("  volumeClaimTemplates:\n") && sts.contains("        name: data\n"),
        "{sts}"
    );
    // The claim comes from the template, the ConfigMap from a pod volume; both are mounted.
    assert!(!sts.contains("persistentVolumeClaim:"), "{sts}");
    assert!(sts.contains("name: \"ledger-settings\""));
    assert!(sts.contains("mountPath: \"/var/lib/ledger\"") && sts.contains("readOnly: true"));
    for handler in ["grpc:", "tcpSocket:", "exec:"] {
        assert!(sts.contains(handler), "{handler} missing:\n{sts}");
    }
    assert!(files.contains_key("templates/db/service-headless.yaml"));
    assert!(!files.contains_key("templates/db/pvc.yaml"));
    let values = &files["values.yaml"];
    assert!(values.contains("      storageClass: \"fast\""), "{values}");
}

#[test]
fn a_cron_job_defaults_to_forbid_and_gets_its_own_network_policy() {
    let files = render_text(STATEFUL_SPEC);
    let cron = &files["templates/cronjobs/compact.yaml"];
    assert!(
        cron.contains("kind: CronJob")
            && cron.contains("concurrencyPolicy: {{ .Values.compact.concurrencyPolicy }}")
    );
    let values = &files["values.yaml"];
    for expected in [
        "  concurrencyPolicy: \"Forbid\"",
        "  startingDeadlineSeconds: 300",
        "  backoffLimit: 1",
        "  ttlSecondsAfterFinished: 86400",
        "  schedule: \"0 2 * * *\"",
    ] {
        assert!(values.contains(expected), "missing {expected}:\n{values}");
    }
    assert!(files["templates/cronjobs/compact-networkpolicy.yaml"].contains("kind: NetworkPolicy"));
}

#[test]
fn bad_workload_shapes_are_refused_with_the_fix() {
    let bad = STATEFUL_SPEC
        .replace("schedule: \"0 2 * * *\"", "schedule: \"every night\"")
        .replace(
            "storageClass: fast",
            "storageClass: fast, existingClaim: old",
        )
        .replace(
            "readiness: { tcpSocket: {} }",
            "readiness: { tcpSocket: {}, path: /x }",
        )
        .replace(
            "liveness: { grpc: { port: 9000 } }",
            "liveness: { tcpSocket: { port: admin } }",
        );
    let err = chartgen::spec::parse(std::path::Path::new("inline.yaml"), &bad).expect_err("bad");
    let shown = err.to_string();
    for expected in [
        "cronJobs.compact.schedule: `every night` is not a cron schedule",
        "components.db.volumes.data.persistent.existingClaim: a StatefulSet makes one claim per pod",
        "components.db.probes.readiness: the probe has 2 handlers: path, tcpSocket",
        "components.db.probes.liveness.tcpSocket.port: no port named `admin`",
    ] {
        assert!(
            shown.contains(expected),
            "missing `{expected}` in:\n{shown}"
        );
    }
    let shared = STATEFUL_SPEC.replace("    kind: StatefulSet\n", "");
    let err = chartgen::spec::parse(std::path::Path::new("inline.yaml"), &shared).expect_err("rwo");
    assert!(
        err.to_string().contains("components.db.volumes.data.persistent.accessModes: pods of a Deployment share one claim"),
        "{err}"
    );
}

/// Secret values known independently of chartgen's classifier (their shapes are public: GitHub, AWS, JWT), none
/// of them in chartgen's own tests or sources.
const GITHUB_TOKEN: &str = "ghp_R7mK2pX9vQ4wL8nB3cY6dF1gH5jT0sZaE2uW";
const AWS_KEY_ID: &str = "AKIAQ7XK2M9PLR4TNV3W";
const JWT: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjaGFydGdlbi10ZXN0IiwiaWF0IjoxNzAwMDAwMDAwfQ.Qm9yZWRMb25nU2lnbmF0dXJlVmFsdWVYejEyMzQ1Njc4OQ";
const PASSWORD: &str = "Tq8#vLz2!xR9wKp4$mN7bYc3@hJ6sDf1";

/// A small valid spec with `extra` appended: at the top level, or inside `components.api` when indented by 4.
fn leak_spec(extra: &str) -> String {
    format!(
        r#"apiVersion: chartgen.dev/v1
kind: ChartSpec
metadata:
  name: leak
  description: Secret values under camelCase and lower-case keys
  version: 0.1.0
  appVersion: "1.0.0"
components:
  api:
    image: {{ repository: leak-api, tag: "1.0.0" }}
    port: 8080
    probes:
      readiness: {{ path: /health }}
    resources:
      requests: {{ cpu: 100m, memory: 128Mi }}
      limits: {{ cpu: 200m, memory: 256Mi }}
{extra}
"#
    )
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Renders `source` with the real binary: either a refusal (exit 2) that names `key_path` and prints neither
/// `secret` nor any 6-character piece of it, with no chart written; or a chart (exit 0) in which no file holds
/// `secret`, plainly or base64-encoded (as in a Secret's `data:`). Returns what went wrong, if anything.
fn secret_leak(source: &str, key_path: &str, secret: &str) -> Option<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("leak.yaml");
    std::fs::write(&path, source).expect("write spec");
    let out = dir.path().join("out");
    let output = run(chartgen().arg("render").arg(&path).arg("--out").arg(&out));
    let shown = text(&output.stdout) + &text(&output.stderr);
    let chars: Vec<char> = secret.chars().collect();
    let printed: Vec<String> = chars
        .windows(6)
        .map(|w| w.iter().collect::<String>())
        .filter(|piece| shown.contains(piece.as_str()))
        .collect();
    if !printed.is_empty() {
        return Some(format!(
            "{key_path}: exit {:?}, the output prints pieces {printed:?} of the secret:\n{shown}",
            output.status.code()
        ));
    }
    match output.status.code() {
        Some(2) => {
            if !text(&output.stderr).contains(&format!(": {key_path}: ")) {
                return Some(format!(
                    "{key_path}: refused without naming the key:\n{shown}"
                ));
            }
            if out.join("helm/leak").exists() {
                return Some(format!("{key_path}: refused, yet a chart was written"));
            }
            None
        }
        Some(0) => {
            let encoded = base64(secret.as_bytes());
            let chart = out.join("helm/leak");
            let files = snapshot_tree(&chart);
            if files.is_empty() {
                return Some(format!(
                    "{key_path}: exit 0 but no chart in {}",
                    chart.display()
                ));
            }
            let leaking: Vec<String> = files
                .iter()
                .filter(|(_, bytes)| {
                    let content = text(bytes);
                    content.contains(secret) || content.contains(&encoded)
                })
                .map(|(p, _)| p.strip_prefix(&chart).unwrap_or(p).display().to_string())
                .collect();
            (!leaking.is_empty())
                .then(|| format!("{key_path}: rendered, and the secret is in {leaking:?}"))
        }
        other => Some(format!("{key_path}: exit {other:?}:\n{shown}")),
    }
}

fn assert_no_secret_leaks(cases: &[(String, &str, &str)]) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(source, key_path, secret)| secret_leak(source, key_path, secret))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} secret placements leak:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn known_secret_values_under_camel_and_lower_case_keys_never_reach_the_chart_or_the_terminal() {
    let cases: Vec<(String, &str, &str)> = vec![
        (
            leak_spec(&format!("config:\n  apiKey: \"{GITHUB_TOKEN}\"")),
            "config.apiKey",
            GITHUB_TOKEN,
        ),
        (
            leak_spec(&format!("config:\n  apikey: \"{GITHUB_TOKEN}\"")),
            "config.apikey",
            GITHUB_TOKEN,
        ),
        (
            leak_spec(&format!("config:\n  dbPassword: \"{PASSWORD}\"")),
            "config.dbPassword",
            PASSWORD,
        ),
        (
            leak_spec(&format!("config:\n  password: \"{PASSWORD}\"")),
            "config.password",
            PASSWORD,
        ),
        (
            leak_spec(&format!("config:\n  clientSecret: \"{JWT}\"")),
            "config.clientSecret",
            JWT,
        ),
        (
            leak_spec(&format!("config:\n  accessKeyId: \"{AWS_KEY_ID}\"")),
            "config.accessKeyId",
            AWS_KEY_ID,
        ),
        (
            leak_spec(&format!("config:\n  awsaccesskey: \"{AWS_KEY_ID}\"")),
            "config.awsaccesskey",
            AWS_KEY_ID,
        ),
        (
            leak_spec(&format!("    config:\n      clientSecret: \"{JWT}\"")),
            "components.api.config.clientSecret",
            JWT,
        ),
        (
            leak_spec(&format!("    config:\n      apiKey: \"{GITHUB_TOKEN}\"")),
            "components.api.config.apiKey",
            GITHUB_TOKEN,
        ),
        (
            leak_spec(&format!("    config:\n      dbpassword: \"{PASSWORD}\"")),
            "components.api.config.dbpassword",
            PASSWORD,
        ),
        // Secret groups hold key names only; a value put there anyway must not get through.
        (
            leak_spec(&format!(
                "secretGroups:\n  app:\n    keys: [apiKey]\n    values: {{ apiKey: \"{GITHUB_TOKEN}\" }}"
            )),
            "secretGroups.app.values.apiKey",
            GITHUB_TOKEN,
        ),
        (
            leak_spec(&format!(
                "secretGroups:\n  app:\n    keys: [dbPassword]\n    name: \"{PASSWORD}\""
            )),
            "secretGroups.app.name",
            PASSWORD,
        ),
        (
            leak_spec(&format!(
                "valuesFiles:\n  prod:\n    description: Production\n    values: {{ api: {{ podAnnotations: {{ clientSecret: \"{JWT}\" }} }} }}"
            )),
            "valuesFiles.prod.values.api.podAnnotations.clientSecret",
            JWT,
        ),
    ];
    assert_no_secret_leaks(&cases);
}

/// A secret value put in a secret group's `keys` list, as `KEY=value` or as a bare token (which is a valid env var
/// name): both are refused, masked, and never rendered into the chart as a key name.
#[test]
fn a_secret_value_in_a_secret_group_key_list_never_reaches_the_chart_or_the_terminal() {
    let cases: Vec<(String, &str, &str)> = vec![
        (
            leak_spec(&format!(
                "secretGroups:\n  app:\n    keys: [\"apiKey={GITHUB_TOKEN}\"]"
            )),
            "secretGroups.app.keys.0",
            GITHUB_TOKEN,
        ),
        (
            leak_spec(&format!(
                "secretGroups:\n  app:\n    keys: [\"{GITHUB_TOKEN}\"]"
            )),
            "secretGroups.app.keys.0",
            GITHUB_TOKEN,
        ),
    ];
    assert_no_secret_leaks(&cases);
}

/// A Deployment whose volume one node can mount is replaced with `Recreate` (a rolling update would leave the
/// new pod waiting for the claim the old one holds); the spec can ask for either strategy; a StatefulSet
/// refuses one.
#[test]
fn deployments_on_read_write_once_volumes_recreate_their_pods() {
    let spec = |volume: &str, strategy: &str| {
        format!(
            r#"
apiVersion: chartgen.dev/v1
kind: ChartSpec
metadata: {{ name: notes, description: Notes, appVersion: "1.0.0" }}
components:
  app:
    image: {{ repository: ghcr.io/acme/notes }}
    port: 8000
    {strategy}
    probes:
      liveness: {{ path: /healthz }}
      readiness: {{ path: /healthz }}
    resources:
      requests: {{ cpu: 100m, memory: 128Mi }}
      limits: {{ cpu: 200m, memory: 256Mi }}
    volumes:
      data: {{ mountPath: /data, {volume} }}
"#
        )
    };
    let deployment = |files: &chartgen::render::ChartFiles| {
        files
            .get("templates/app/deployment.yaml")
            .cloned()
            .expect("deployment template")
    };
    let rwo = deployment(&render_text(&spec("persistent: { size: 1Gi }", "")));
    assert!(
        rwo.contains("type: Recreate") && !rwo.contains("maxSurge"),
        "{rwo}"
    );
    let rwx = deployment(&render_text(&spec(
        "persistent: { size: 1Gi, accessModes: [ReadWriteMany] }",
        "",
    )));
    assert!(
        rwx.contains("type: RollingUpdate") && rwx.contains("maxSurge: 1"),
        "{rwx}"
    );
    let singleton = deployment(&render_text(&spec("emptyDir: {}", "strategy: Recreate")));
    assert!(singleton.contains("type: Recreate"), "{singleton}");
    let asked = deployment(&render_text(&spec(
        "persistent: { size: 1Gi }",
        "strategy: RollingUpdate",
    )));
    assert!(asked.contains("type: RollingUpdate"), "{asked}");
    let stateful = spec("emptyDir: {}", "strategy: Recreate\n    kind: StatefulSet");
    let err = chartgen::spec::parse(std::path::Path::new("inline.yaml"), &stateful)
        .expect_err("a StatefulSet with a strategy");
    assert!(err.to_string().contains("components.app.strategy"), "{err}");
}

/// A route may go to a named port of the component (a gRPC port behind the Ingress): the Ingress backend names
/// that port and the NetworkPolicy lets the ingress controller reach it; an unknown port is an error.
#[test]
fn routes_go_to_the_named_port_they_ask_for() {
    let spec = |port: &str| {
        format!(
            r#"
apiVersion: chartgen.dev/v1
kind: ChartSpec
metadata: {{ name: rpc, description: RPC, appVersion: "1.0.0" }}
components:
  api:
    image: {{ repository: ghcr.io/acme/api }}
    port: 8080
    ports: {{ grpc: 9090 }}
    probes:
      liveness: {{ grpc: {{ port: 9090 }} }}
      readiness: {{ path: /ready }}
    resources:
      requests: {{ cpu: 100m, memory: 128Mi }}
      limits: {{ cpu: 200m, memory: 256Mi }}
ingress:
  host: rpc.example.com
  routes:
    - {{ path: /, component: api }}
    - {{ path: /rpc, component: api, port: {port} }}
"#
        )
    };
    let files = render_text(&spec("grpc"));
    let ingress = files.get("templates/ingress.yaml").expect("ingress");
    assert!(
        ingress.contains("name: grpc") && ingress.contains("name: http"),
        "{ingress}"
    );
    let policy = files
        .get("templates/api/networkpolicy.yaml")
        .expect("networkpolicy");
    assert!(
        policy.contains("- port: grpc") && policy.contains("- port: http"),
        "{policy}"
    );
    let err = chartgen::spec::parse(std::path::Path::new("inline.yaml"), &spec("grcp"))
        .expect_err("an unknown port");
    let text = err.to_string();
    assert!(
        text.contains("ingress.routes.1.port") && text.contains("did you mean `grpc`?"),
        "{text}"
    );
}

/// A clustered store: its members reach each other on every port (the peer port too), the headless Service
/// names every port, and a Deployment that lists itself in `connectsTo` gets the same.
#[test]
fn stateful_set_members_and_self_connected_components_reach_their_peers() {
    let spec = r#"
apiVersion: chartgen.dev/v1
kind: ChartSpec
metadata: { name: kv, description: A key-value store, appVersion: "3.5.0" }
components:
  etcd:
    kind: StatefulSet
    image: { repository: quay.io/coreos/etcd, tag: v3.5.17 }
    port: 2379
    ports: { peer: 2380 }
    probes:
      liveness: { tcpSocket: { port: http } }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 200m, memory: 256Mi }
  gossip:
    image: { repository: ghcr.io/acme/gossip, tag: "1.0" }
    port: 7946
    connectsTo: [gossip]
    probes:
      liveness: { tcpSocket: { port: http } }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 200m, memory: 256Mi }
  swarm:
    image: { repository: ghcr.io/acme/swarm, tag: "1.0" }
    ports: { cluster: 7000 }
    connectsTo: [swarm]
    probes:
      liveness: { tcpSocket: { port: cluster } }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 200m, memory: 256Mi }
cronJobs:
  defrag: { component: etcd, command: [etcdctl, defrag], schedule: "0 4 * * *" }
"#;
    let files = render_text(spec);
    let netpol = &files["templates/etcd/networkpolicy.yaml"];
    // A job of a component whose pods talk to each other talks to them too, both ways.
    assert!(
        netpol.contains("# from its own pods (peers) and its Jobs defrag\n")
            && netpol.contains("app.kubernetes.io/component: defrag"),
        "{netpol}"
    );
    let job_policy = &files["templates/cronjobs/defrag-networkpolicy.yaml"];
    assert!(
        job_policy.contains("kv.etcd.selectorLabels") && job_policy.contains("- port: 2380"),
        "{job_policy}"
    );
    let peers_in = netpol
        .split("# from its own pods (peers)")
        .nth(1)
        .and_then(|rest| rest.split("\n    # ").next())
        .unwrap_or_else(|| panic!("no peer ingress: {netpol}"));
    assert!(
        peers_in.contains("kv.etcd.selectorLabels") && peers_in.contains("- port: peer"),
        "{peers_in}"
    );
    assert!(peers_in.contains("- port: http"), "{peers_in}");
    assert!(
        netpol.contains("# to its own pods (peers)") && netpol.contains("- port: 2380"),
        "{netpol}"
    );
    let headless = &files["templates/etcd/service-headless.yaml"];
    assert!(
        headless.contains("- name: peer\n      port: 2380"),
        "{headless}"
    );
    let gossip = &files["templates/gossip/networkpolicy.yaml"];
    assert!(gossip.contains("# from its own pods (peers)"), "{gossip}");
    assert!(
        !gossip.contains("# to gossip\n"),
        "no flow to itself as a callee: {gossip}"
    );
    // A worker (no Service) whose pods talk to each other admits them, and nothing else.
    let swarm = &files["templates/swarm/networkpolicy.yaml"];
    let swarm_in = swarm
        .split("  ingress:")
        .nth(1)
        .and_then(|rest| rest.split("  egress:").next())
        .unwrap_or_else(|| panic!("no ingress list: {swarm}"));
    assert!(
        swarm_in.contains("# from its own pods (peers)") && swarm_in.contains("- port: cluster"),
        "{swarm}"
    );
    assert_eq!(swarm_in.matches("- from:").count(), 1, "{swarm_in}");
}

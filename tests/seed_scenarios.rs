//! The seeds' acceptance scenarios (../shared/seeds/), as far as `helm template` can show them, one test each.
//! Test names start with the seed number and scenario; the doc comment quotes what the seed asks. Scenarios that
//! need a running cluster are listed, with manual commands, in the chart READMEs and the closing notes.

mod common;

use chartgen::yaml::Node;
use common::*;
use std::path::PathBuf;

fn chart(name: &str) -> PathBuf {
    root().join("generated/helm").join(name)
}

/// `helm template` with Helm 4, as text; panics with Helm's message on failure.
fn template(name: &str, args: &[&str]) -> String {
    let out = run(std::process::Command::new(tool("helm4"))
        .args(["template", name])
        .arg(chart(name))
        .args(args));
    assert!(
        out.status.success(),
        "helm template {name} {args:?}:\n{}",
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// `helm template` with Helm 4; panics with Helm's message on failure.
fn render(name: &str, args: &[&str]) -> Vec<Node> {
    chartgen::yaml::parse_documents(&template(name, args)).expect("helm output parses")
}

fn with_secret(name: &str, extra: &[&str]) -> Vec<Node> {
    let mut args = vec!["--set", "secrets.existingSecret=app-secrets"];
    args.extend_from_slice(extra);
    render(name, &args)
}

fn kind<'a>(docs: &'a [Node], kind: &str) -> Vec<&'a Node> {
    docs.iter()
        .filter(|d| d.get("kind").and_then(Node::as_str) == Some(kind))
        .collect()
}

fn named<'a>(docs: &'a [Node], k: &str, name: &str) -> &'a Node {
    kind(docs, k)
        .into_iter()
        .find(|d| d.path("metadata.name").and_then(Node::as_str) == Some(name))
        .unwrap_or_else(|| panic!("no {k} named {name}"))
}

fn s(node: &Node, path: &str) -> String {
    node.path(path)
        .and_then(Node::scalar_text)
        .unwrap_or_else(|| panic!("no {path}"))
}

fn container(deployment: &Node) -> &Node {
    deployment
        .path("spec.template.spec.containers")
        .map(Node::as_seq)
        .and_then(|c| c.first())
        .expect("a container")
}

/// Env var names a container gets: literal `env`, `secretKeyRef`s, and every key of the ConfigMaps it reads.
fn env_names(docs: &[Node], deployment: &Node) -> Vec<String> {
    let c = container(deployment);
    let mut names: Vec<String> = c
        .get("env")
        .map(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| e.get("name").and_then(Node::scalar_text))
        .collect();
    for source in c.get("envFrom").map(Node::as_seq).unwrap_or_default() {
        if let Some(cm) = source.path("configMapRef.name").and_then(Node::as_str) {
            let map = named(docs, "ConfigMap", cm);
            names.extend(
                map.get("data")
                    .map(Node::entries)
                    .unwrap_or_default()
                    .iter()
                    .map(|(k, _)| k.name.clone()),
            );
        }
    }
    names
}

fn secret_ref(deployment: &Node, var: &str) -> (String, String) {
    let env = container(deployment)
        .get("env")
        .map(Node::as_seq)
        .unwrap_or_default();
    let e = env
        .iter()
        .find(|e| e.get("name").and_then(Node::as_str) == Some(var))
        .unwrap_or_else(|| panic!("no env {var}"));
    (
        s(e, "valueFrom.secretKeyRef.name"),
        s(e, "valueFrom.secretKeyRef.key"),
    )
}

fn probe_path(deployment: &Node, probe: &str) -> String {
    s(container(deployment), &format!("{probe}.httpGet.path"))
}

fn ingress_routes(docs: &[Node]) -> Vec<(String, String)> {
    let ingress = kind(docs, "Ingress");
    let ingress = ingress.first().expect("an Ingress");
    let rule = &ingress
        .path("spec.rules")
        .map(Node::as_seq)
        .unwrap_or_default()[0];
    rule.path("http.paths")
        .map(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .map(|p| (s(p, "path"), s(p, "backend.service.name")))
        .collect()
}

/// The components a component's NetworkPolicy lets in (by component label), and lets it reach.
fn flows(docs: &[Node], policy: &str) -> (Vec<String>, Vec<String>) {
    let p = named(docs, "NetworkPolicy", policy);
    let component_of = |peer: &Node| {
        peer.path("podSelector.matchLabels")
            .and_then(|m| m.get("app.kubernetes.io/component"))
            .and_then(Node::scalar_text)
    };
    // The `helm test` pod may reach every component; it is not an application flow.
    let from: Vec<String> = p
        .path("spec.ingress")
        .map(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .flat_map(|r| {
            r.get("from")
                .map(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .filter_map(component_of)
                .collect::<Vec<_>>()
        })
        .filter(|c| c != "test")
        .collect();
    let to = p
        .path("spec.egress")
        .map(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .flat_map(|r| {
            r.get("to")
                .map(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .filter_map(component_of)
                .collect::<Vec<_>>()
        })
        .collect();
    (from, to)
}

fn role_allows(docs: &[Node], resource: &str, verb: &str) -> bool {
    kind(docs, "Role")
        .iter()
        .flat_map(|r| r.get("rules").map(Node::as_seq).unwrap_or_default())
        .any(|rule| {
            let has = |field: &str, v: &str| {
                rule.get(field)
                    .map(Node::as_seq)
                    .unwrap_or_default()
                    .iter()
                    .any(|x| x.as_str() == Some(v))
            };
            has("resources", resource) && has("verbs", verb)
        })
}

/// Standard padded base64, as Helm's `b64enc` writes it.
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                ABC[(n >> (18 - 6 * i) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}

fn object_name(node: &Node) -> String {
    format!(
        "{}/{}",
        node.get("kind")
            .and_then(Node::scalar_text)
            .unwrap_or_default(),
        node.path("metadata.name")
            .and_then(Node::scalar_text)
            .unwrap_or_default()
    )
}

/// `chartgen lint --select plaintext-secret` on the chart finds nothing, and it did render and read the chart's
/// objects (an empty render would find nothing too).
fn assert_lint_finds_no_plaintext_secret(name: &str) {
    let out = run(chartgen().env("HELM", tool("helm4")).args([
        "lint",
        "--format",
        "json",
        "--select",
        "plaintext-secret",
        &format!("generated/helm/{name}"),
    ]));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(report["findings"], serde_json::json!([]), "{report:#}");
    assert_eq!(report["summary"]["errors"], 0, "{report:#}");
    assert_eq!(report["summary"]["warnings"], 0, "{report:#}");
    let objects = report["summary"]["objects"].as_u64().unwrap_or_default();
    let rendered = with_secret(name, &[]).len() as u64;
    assert!(
        objects >= rendered,
        "lint read {objects} objects, the chart renders {rendered}: {report:#}"
    );
}

/// The chart's defaults hardcode no secret: every `secrets.<KEY>` in values.yaml is empty.
fn assert_values_hold_no_secret(name: &str, keys: &[&str]) {
    let values = std::fs::read_to_string(chart(name).join("values.yaml")).expect("values.yaml");
    let values = chartgen::yaml::parse_document(&values).expect("values.yaml parses");
    let secrets = values.get("secrets").expect("a secrets block");
    for key in keys {
        assert_eq!(
            secrets.get(key).and_then(Node::scalar_text).as_deref(),
            Some(""),
            "values.yaml hardcodes secrets.{key}"
        );
    }
}

/// With `secrets.existingSecret`, no rendered Secret carries a value (the chart's own Secret is not rendered),
/// and no object holds a secret key as a literal env value.
fn assert_no_secret_values_rendered(name: &str, keys: &[&str]) {
    let docs = with_secret(name, &[]);
    assert!(!docs.is_empty());
    for secret in kind(&docs, "Secret") {
        for field in ["data", "stringData"] {
            let held: Vec<String> = secret
                .get(field)
                .map(Node::entries)
                .unwrap_or_default()
                .iter()
                .map(|(k, _)| k.name.clone())
                .collect();
            assert!(
                held.is_empty(),
                "{} has {field} {held:?}",
                object_name(secret)
            );
        }
    }
    for d in kind(&docs, "Deployment") {
        for e in container(d)
            .get("env")
            .map(Node::as_seq)
            .unwrap_or_default()
        {
            let var = e
                .get("name")
                .and_then(Node::scalar_text)
                .unwrap_or_default();
            assert!(
                !keys.contains(&var.as_str()) || e.get("value").is_none(),
                "{} sets {var} as a literal value",
                object_name(d)
            );
        }
    }
}

/// Test values given for `keys` appear only base64-encoded, as `data.<KEY>` of the chart's own Secret `secret`:
/// never in plain text anywhere in the output, never as stringData, never (even unpadded) in any other object. The Deployments
/// read each key from that Secret.
fn assert_given_secrets_only_base64_in_the_secret(name: &str, secret: &str, keys: &[&str]) {
    let given: Vec<(&str, String)> = keys
        .iter()
        .map(|k| (*k, format!("plain-{k}-9d3f1e")))
        .collect();
    let sets: Vec<String> = given
        .iter()
        .map(|(k, v)| format!("secrets.{k}={v}"))
        .collect();
    let args: Vec<&str> = sets.iter().flat_map(|s| ["--set", s.as_str()]).collect();
    let out = template(name, &args);
    for (k, v) in &given {
        assert!(
            !out.contains(v.as_str()),
            "{k} appears in plain text:\n{out}"
        );
    }
    let docs = chartgen::yaml::parse_documents(&out).expect("helm output parses");
    let own = named(&docs, "Secret", secret);
    assert!(own.get("stringData").is_none(), "{secret} has stringData");
    for (k, v) in &given {
        assert_eq!(
            s(own, &format!("data.{k}")),
            base64(v.as_bytes()),
            "{secret} data.{k}"
        );
    }
    for d in docs.iter().filter(|d| !std::ptr::eq(*d, own)) {
        let json = d.to_json().to_string();
        for (k, v) in &given {
            assert!(
                !json.contains(base64(v.as_bytes()).trim_end_matches('=')),
                "{k}'s value is copied into {}",
                object_name(d)
            );
        }
    }
    for k in keys {
        let readers: Vec<&Node> = kind(&docs, "Deployment")
            .into_iter()
            .filter(|d| {
                container(d)
                    .get("env")
                    .map(Node::as_seq)
                    .unwrap_or_default()
                    .iter()
                    .any(|e| e.get("name").and_then(Node::as_str) == Some(*k))
            })
            .collect();
        assert!(!readers.is_empty(), "no Deployment reads {k}");
        for d in readers {
            assert_eq!(
                secret_ref(d, k),
                (secret.to_string(), k.to_string()),
                "{}",
                object_name(d)
            );
        }
    }
}

fn readme(name: &str) -> String {
    std::fs::read_to_string(chart(name).join("README.md")).expect("README")
}

// ---------------------------------------------------------------- seed 000: todo-app

/// 000 US1-1: `helm install todo-app ./helm/todo-app` creates frontend and backend pods that can become Ready
/// (each Deployment has readiness and liveness probes; readiness within 2 minutes needs a cluster).
#[test]
fn s000_us1_1_install_creates_frontend_and_backend_with_probes() {
    let docs = with_secret("todo-app", &[]);
    for c in ["backend", "frontend"] {
        let d = named(&docs, "Deployment", &format!("todo-app-{c}"));
        assert_eq!(probe_path(d, "readinessProbe"), "/health");
        assert_eq!(probe_path(d, "livenessProbe"), "/health");
    }
}

/// 000 US1-2, US6-1, US6-2: `http://todo.local/` routes to the frontend and `/api/` to the backend.
#[test]
fn s000_us6_1_2_ingress_routes_root_to_frontend_and_api_to_backend() {
    let docs = with_secret("todo-app", &[]);
    let ingress = kind(&docs, "Ingress");
    assert_eq!(s(ingress[0], "spec.rules.0.host"), "todo.local");
    let routes = ingress_routes(&docs);
    assert!(
        routes.contains(&("/".into(), "todo-app-frontend".into())),
        "{routes:?}"
    );
    assert!(
        routes.contains(&("/api".into(), "todo-app-backend".into())),
        "{routes:?}"
    );
    assert_eq!(
        s(ingress[0], "spec.ingressClassName"),
        "nginx",
        "Minikube's ingress addon (US6-3)"
    );
}

/// 000 US2-2: the backend's `/health` is what Kubernetes probes.
#[test]
fn s000_us2_2_backend_health_endpoint_is_probed() {
    let docs = with_secret("todo-app", &[]);
    let d = named(&docs, "Deployment", "todo-app-backend");
    assert_eq!(
        probe_path(d, "startupProbe"),
        "/health",
        "NFR-001: up within 30 s"
    );
    assert_eq!(s(container(d), "ports.0.containerPort"), "8000");
}

/// 000 US3-3: the backend URL reaches the frontend via env, and the frontend may call the backend.
#[test]
fn s000_us3_3_frontend_gets_backend_url_and_may_reach_it() {
    let docs = with_secret("todo-app", &[]);
    let frontend = named(&docs, "Deployment", "todo-app-frontend");
    assert!(env_names(&docs, frontend).contains(&"NEXT_PUBLIC_API_URL".to_string()));
    let (_, to) = flows(&docs, "todo-app-frontend");
    assert!(to.contains(&"backend".to_string()), "{to:?}");
    let (from, _) = flows(&docs, "todo-app-backend");
    assert!(from.contains(&"frontend".to_string()), "{from:?}");
}

/// 000 US4-1: `helm lint` reports no errors (here: `--strict`, both Helm majors).
#[test]
fn s000_us4_1_helm_lint_passes() {
    for helm in ["helm4", "helm3"] {
        let out = run(std::process::Command::new(tool(helm))
            .args(["lint", "--strict"])
            .arg(chart("todo-app")));
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert!(out.status.success(), "{helm}: {stdout}{stderr}");
        assert!(
            stdout.contains("1 chart(s) linted, 0 chart(s) failed"),
            "{helm}: {stdout}"
        );
        for line in stdout.lines().chain(stderr.lines()) {
            assert!(
                !line.contains("[WARNING]") && !line.contains("[ERROR]"),
                "{helm} reports: {line}"
            );
        }
    }
}

/// 000 US4-2: `--set backend.replicas=3` gives 3 backend pods (the seed's own key, beside `replicaCount`).
#[test]
fn s000_us4_2_set_backend_replicas_3_gives_3_pods() {
    let docs = with_secret("todo-app", &["--set", "backend.replicas=3"]);
    assert_eq!(
        s(
            named(&docs, "Deployment", "todo-app-backend"),
            "spec.replicas"
        ),
        "3"
    );
    let docs = with_secret("todo-app", &["--set", "backend.replicaCount=3"]);
    assert_eq!(
        s(
            named(&docs, "Deployment", "todo-app-backend"),
            "spec.replicas"
        ),
        "3"
    );
}

/// 000 US4-3, FR-014: `helm upgrade` rolls pods with zero downtime.
#[test]
fn s000_us4_3_upgrades_roll_with_zero_downtime() {
    let docs = with_secret("todo-app", &[]);
    for d in kind(&docs, "Deployment") {
        assert_eq!(s(d, "spec.strategy.type"), "RollingUpdate");
        assert_eq!(s(d, "spec.strategy.rollingUpdate.maxUnavailable"), "0");
        assert_eq!(s(d, "spec.strategy.rollingUpdate.maxSurge"), "1");
    }
    assert_eq!(
        kind(&docs, "PodDisruptionBudget").len(),
        2,
        "2 replicas each: drains keep one up"
    );
}

/// 000 US5-1, US5-3: kubectl-ai may list pods and scale the backend in the release namespace, and nothing more.
#[test]
fn s000_us5_3_ai_ops_may_list_and_scale_but_not_read_secrets() {
    let docs = with_secret("todo-app", &[]);
    assert!(role_allows(&docs, "pods", "list"));
    assert!(role_allows(&docs, "deployments/scale", "patch"));
    assert!(
        role_allows(&docs, "pods/log", "get") && role_allows(&docs, "events", "list"),
        "US5-2: diagnosis from logs and events"
    );
    assert!(!role_allows(&docs, "secrets", "get") && !role_allows(&docs, "secrets", "list"));
    assert!(kind(&docs, "ClusterRole").is_empty());
    let notes =
        std::fs::read_to_string(chart("todo-app").join("templates/NOTES.txt")).expect("NOTES");
    for fallback in [
        "scale deployment/",
        "rollout restart",
        "logs deployment/",
        "describe pods",
        "rollout undo",
    ] {
        assert!(
            notes.contains(fallback),
            "NOTES.txt lacks the kubectl fallback `{fallback}`"
        );
    }
}

/// 000 US7-1, US7-2: pods read DATABASE_URL, JWT_SECRET and OPENAI_API_KEY from a Secret.
#[test]
fn s000_us7_1_secrets_are_injected_from_a_secret() {
    let docs = with_secret("todo-app", &[]);
    let backend = named(&docs, "Deployment", "todo-app-backend");
    for key in ["DATABASE_URL", "JWT_SECRET", "OPENAI_API_KEY"] {
        assert_eq!(
            secret_ref(backend, key),
            ("app-secrets".to_string(), key.to_string())
        );
    }
}

/// 000 US7-3: with values given, helm install creates the Secret from them.
#[test]
fn s000_us7_3_secrets_are_created_from_values() {
    let docs = render(
        "todo-app",
        &[
            "--set",
            "secrets.DATABASE_URL=postgresql://u:p@h/db",
            "--set",
            "secrets.JWT_SECRET=j",
            "--set",
            "secrets.OPENAI_API_KEY=o",
        ],
    );
    let secret = named(&docs, "Secret", "todo-app-app");
    assert_eq!(s(secret, "data.JWT_SECRET"), "ag==");
}

/// 000 FR-008: the backend scales horizontally (an HPA replaces the fixed replica count).
#[test]
fn s000_fr008_backend_scales_horizontally() {
    let docs = with_secret(
        "todo-app",
        &[
            "--set",
            "backend.autoscaling.enabled=true",
            "--set",
            "backend.autoscaling.maxReplicas=5",
        ],
    );
    let hpa = named(&docs, "HorizontalPodAutoscaler", "todo-app-backend");
    assert_eq!(s(hpa, "spec.maxReplicas"), "5");
    assert!(
        named(&docs, "Deployment", "todo-app-backend")
            .path("spec.replicas")
            .is_none()
    );
}

/// 000 NFR-007, SC-006: no secret in any manifest of the chart.
#[test]
fn s000_nfr007_no_hardcoded_secrets() {
    let keys = ["DATABASE_URL", "JWT_SECRET", "OPENAI_API_KEY"];
    assert_lint_finds_no_plaintext_secret("todo-app");
    assert_values_hold_no_secret("todo-app", &keys);
    assert_no_secret_values_rendered("todo-app", &keys);
    assert_given_secrets_only_base64_in_the_secret("todo-app", "todo-app-app", &keys);
}

// ---------------------------------------------------------------- seed 001: taskflow

/// 001 US2-1: every required env var reaches the containers through ConfigMaps and Secrets with the seed's names.
#[test]
fn s001_us2_1_env_vars_come_from_the_named_configmaps_and_secrets() {
    let docs = with_secret("taskflow", &[]);
    let backend = named(&docs, "Deployment", "taskflow-backend");
    let frontend = named(&docs, "Deployment", "taskflow-frontend");
    let b = env_names(&docs, backend);
    for var in [
        "DATABASE_URL",
        "BETTER_AUTH_SECRET",
        "CORS_ORIGINS",
        "ANTHROPIC_API_KEY",
    ] {
        assert!(b.contains(&var.to_string()), "backend lacks {var}: {b:?}");
    }
    let f = env_names(&docs, frontend);
    for var in [
        "NEXT_PUBLIC_API_URL",
        "BETTER_AUTH_SECRET",
        "BETTER_AUTH_URL",
    ] {
        assert!(f.contains(&var.to_string()), "frontend lacks {var}: {f:?}");
    }
    named(&docs, "ConfigMap", "taskflow-backend-config");
    named(&docs, "ConfigMap", "taskflow-frontend-config");
    let rendered = render(
        "taskflow",
        &[
            "--set",
            "secrets.DATABASE_URL=x",
            "--set",
            "secrets.BETTER_AUTH_SECRET=y",
            "--set",
            "secrets.ANTHROPIC_API_KEY=z",
        ],
    );
    let backend_secret = named(&rendered, "Secret", "taskflow-backend-secrets");
    let frontend_secret = named(&rendered, "Secret", "taskflow-frontend-secrets");
    assert_eq!(
        backend_secret.get("data").map(|d| d.entries().len()),
        Some(3)
    );
    assert_eq!(
        s(frontend_secret, "data.BETTER_AUTH_SECRET"),
        s(backend_secret, "data.BETTER_AUTH_SECRET"),
        "FR-036: the same secret"
    );
    let (name, _) = secret_ref(
        named(&rendered, "Deployment", "taskflow-frontend"),
        "BETTER_AUTH_SECRET",
    );
    assert_eq!(name, "taskflow-frontend-secrets");
}

/// 001 US3-1, FR-029, FR-030: the frontend calls the backend by its Service DNS name, which exists.
#[test]
fn s001_us3_1_frontend_resolves_backend_by_service_name() {
    let docs = with_secret("taskflow", &[]);
    let config = named(&docs, "ConfigMap", "taskflow-frontend-config");
    assert_eq!(
        s(config, "data.NEXT_PUBLIC_API_URL"),
        "http://taskflow-backend-service:8000"
    );
    named(&docs, "Service", "taskflow-backend-service");
}

/// 001 US3-2, FR-002: the backend Service is internal, on port 8000; the frontend is exposed on a NodePort (3000).
#[test]
fn s001_us3_2_backend_service_internal_on_8000_frontend_nodeport() {
    let docs = with_secret("taskflow", &[]);
    let backend = named(&docs, "Service", "taskflow-backend-service");
    assert_eq!(
        (s(backend, "spec.type"), s(backend, "spec.ports.0.port")),
        ("ClusterIP".into(), "8000".into())
    );
    let frontend = named(&docs, "Service", "taskflow-frontend-service");
    assert_eq!(
        (s(frontend, "spec.type"), s(frontend, "spec.ports.0.port")),
        ("NodePort".into(), "3000".into())
    );
    assert_eq!(
        s(
            container(named(&docs, "Deployment", "taskflow-frontend")),
            "ports.0.containerPort"
        ),
        "3000"
    );
}

/// 001 US3-3: a scaled backend is load-balanced by its Service across replicas (and protected by a PDB).
#[test]
fn s001_us3_3_scaled_backend_sits_behind_one_service() {
    let docs = with_secret("taskflow", &["--set", "backend.replicaCount=3"]);
    assert_eq!(
        s(
            named(&docs, "Deployment", "taskflow-backend"),
            "spec.replicas"
        ),
        "3"
    );
    let service = named(&docs, "Service", "taskflow-backend-service");
    let selector = service
        .path("spec.selector")
        .and_then(|sel| sel.get("app.kubernetes.io/component"))
        .and_then(Node::as_str);
    assert_eq!(selector, Some("backend"));
    named(&docs, "PodDisruptionBudget", "taskflow-backend");
}

/// 001 FR-042..44, US1-1: health, readiness and liveness on `/health` for both containers.
#[test]
fn s001_fr042_probes_on_health() {
    let docs = with_secret("taskflow", &[]);
    for c in ["backend", "frontend"] {
        let d = named(&docs, "Deployment", &format!("taskflow-{c}"));
        assert_eq!(probe_path(d, "livenessProbe"), "/health");
        assert_eq!(probe_path(d, "readinessProbe"), "/health");
    }
}

// ---------------------------------------------------------------- seed 002: todo-chatbot

/// 002 Step 5, Step 8: `frontend-service` is a NodePort on 30080 (Service port 80 → container 3000);
/// `backend-service` is internal on 8000.
#[test]
fn s002_step5_services_and_nodeport_30080() {
    let docs = with_secret("todo-chatbot", &[]);
    let frontend = named(&docs, "Service", "frontend-service");
    assert_eq!(s(frontend, "spec.type"), "NodePort");
    assert_eq!(
        (
            s(frontend, "spec.ports.0.port"),
            s(frontend, "spec.ports.0.nodePort")
        ),
        ("80".into(), "30080".into())
    );
    assert_eq!(s(frontend, "spec.ports.0.targetPort"), "http");
    assert_eq!(
        s(
            container(named(&docs, "Deployment", "todo-chatbot-frontend")),
            "ports.0.containerPort"
        ),
        "3000"
    );
    let backend = named(&docs, "Service", "backend-service");
    assert_eq!(
        (s(backend, "spec.type"), s(backend, "spec.ports.0.port")),
        ("ClusterIP".into(), "8000".into())
    );
}

/// 002 Step 5, Step 6: images built inside Minikube's docker are used as is (`imagePullPolicy: Never`).
#[test]
fn s002_step6_images_built_in_minikube_are_never_pulled() {
    let docs = with_secret("todo-chatbot", &[]);
    for d in kind(&docs, "Deployment") {
        assert_eq!(s(container(d), "imagePullPolicy"), "Never");
        assert!(s(container(d), "image").ends_with(":local"));
    }
}

/// 002 Step 5: probes on `/api/health`, requests 250m/256Mi and limits 500m/512Mi.
#[test]
fn s002_step5_probes_and_resources() {
    let docs = with_secret("todo-chatbot", &[]);
    for d in kind(&docs, "Deployment") {
        let c = container(d);
        assert_eq!(probe_path(d, "livenessProbe"), "/api/health");
        assert_eq!(probe_path(d, "readinessProbe"), "/api/health");
        assert_eq!(
            (
                s(c, "resources.requests.cpu"),
                s(c, "resources.requests.memory")
            ),
            ("250m".into(), "256Mi".into())
        );
        assert_eq!(
            (
                s(c, "resources.limits.cpu"),
                s(c, "resources.limits.memory")
            ),
            ("500m".into(), "512Mi".into())
        );
    }
}

/// 002 Step 4: the secret keys are in values-local.yaml.example (never in git) and the config keys in a ConfigMap.
#[test]
fn s002_step4_secret_and_config_keys() {
    let example = std::fs::read_to_string(chart("todo-chatbot").join("values-local.yaml.example"))
        .expect("example");
    for key in [
        "DATABASE_URL",
        "BETTER_AUTH_SECRET",
        "OPENAI_API_KEY",
        "MCP_API_KEY",
        "NEXT_PUBLIC_OPENAI_DOMAIN_KEY",
    ] {
        assert!(
            example.contains(&format!("  {key}: \"\"")),
            "{key} missing from values-local.yaml.example"
        );
    }
    let docs = with_secret("todo-chatbot", &[]);
    let config = named(&docs, "ConfigMap", "todo-chatbot-config");
    assert_eq!(s(config, "data.CORS_ORIGINS"), "http://localhost:30080");
    assert_eq!(s(config, "data.BACKEND_URL"), "http://backend-service:8000");
    for key in ["ENVIRONMENT", "BETTER_AUTH_URL", "MCP_DEFAULT_USER_ID"] {
        assert!(config.path(&format!("data.{key}")).is_some(), "{key}");
    }
}

/// 002 Step 7: "scale frontend to 2 replicas" and "show logs from backend pod" are within the AI-ops Role.
#[test]
fn s002_step7_kubectl_ai_can_scale_and_read_logs() {
    let docs = with_secret("todo-chatbot", &[]);
    assert!(
        role_allows(&docs, "deployments/scale", "patch") && role_allows(&docs, "pods/log", "get")
    );
    assert!(!role_allows(&docs, "secrets", "get"));
}

// ---------------------------------------------------------------- seed 003: todo-ai-chatbot

/// 003 US2-9, FR-029, FR-030: everything lives in the `todo-app` namespace, which the chart creates.
#[test]
fn s003_us2_9_everything_in_the_todo_app_namespace() {
    let docs = with_secret("todo-ai-chatbot", &[]);
    assert_eq!(s(kind(&docs, "Namespace")[0], "metadata.name"), "todo-app");
    for d in docs
        .iter()
        .filter(|d| d.get("kind").and_then(Node::as_str) != Some("Namespace"))
    {
        assert_eq!(
            d.path("metadata.namespace").and_then(Node::as_str),
            Some("todo-app"),
            "{:?}",
            d.get("kind")
        );
    }
}

/// 003 US2-6, FR-018: requests 250m/256Mi, limits 500m/512Mi.
#[test]
fn s003_us2_6_resource_requests_and_limits() {
    let docs = with_secret("todo-ai-chatbot", &[]);
    for d in kind(&docs, "Deployment") {
        let c = container(d);
        assert_eq!(
            (
                s(c, "resources.requests.cpu"),
                s(c, "resources.limits.memory")
            ),
            ("250m".into(), "512Mi".into())
        );
    }
}

/// 003 US3-3: the default values give 1 pod per service.
#[test]
fn s003_us3_3_default_values_give_one_replica_each() {
    let docs = with_secret("todo-ai-chatbot", &[]);
    for d in kind(&docs, "Deployment") {
        assert_eq!(s(d, "spec.replicas"), "1");
    }
}

/// 003 US3-4: values-staging.yaml gives 2 replicas per service, with its resource limits.
#[test]
fn s003_us3_4_values_staging_gives_2_replicas_per_service() {
    let staging = chart("todo-ai-chatbot").join("values-staging.yaml");
    let docs = with_secret(
        "todo-ai-chatbot",
        &["-f", staging.to_str().expect("utf-8 path")],
    );
    for d in kind(&docs, "Deployment") {
        assert_eq!(s(d, "spec.replicas"), "2");
        assert_eq!(s(container(d), "resources.limits.memory"), "1Gi");
    }
}

/// 003 US3-6, US3-7: Chart.yaml has name, semver version, appVersion and description; every value is documented.
#[test]
fn s003_us3_6_chart_metadata_and_documented_values() {
    let chart_yaml = chartgen::yaml::parse_document(
        &std::fs::read_to_string(chart("todo-ai-chatbot").join("Chart.yaml")).expect("Chart.yaml"),
    )
    .expect("yaml");
    assert_eq!(s(&chart_yaml, "name"), "todo-ai-chatbot");
    assert_eq!(s(&chart_yaml, "version"), "0.1.0");
    assert_eq!(s(&chart_yaml, "appVersion"), "4.0.0");
    assert!(!s(&chart_yaml, "description").is_empty());
    let values =
        std::fs::read_to_string(chart("todo-ai-chatbot").join("values.yaml")).expect("values");
    let lines: Vec<&str> = values.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let doc_before = |i: usize| i > 0 && lines[i - 1].trim_start().starts_with("# --");
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        if t.is_empty()
            || t.starts_with('#')
            || t.starts_with('-')
            || !t.contains(':')
            || doc_before(i)
        {
            continue;
        }
        // Otherwise it must sit inside a documented value's default (a map such as podSecurityContext).
        let mut at = i;
        let mut documented = false;
        while let Some(parent) = (0..at).rev().find(|&j| {
            !lines[j].trim().is_empty()
                && !lines[j].trim_start().starts_with('#')
                && indent(lines[j]) < indent(lines[at])
        }) {
            if doc_before(parent) {
                // Only a leaf's map default counts: a group documents each child with its own `# --` line.
                documented = !lines
                    .get(parent + 1)
                    .is_some_and(|l| l.trim_start().starts_with('#'));
                break;
            }
            at = parent;
        }
        assert!(
            documented,
            "values.yaml line {} is undocumented: {line}",
            i + 1
        );
    }
    for key in [
        "backend.replicaCount",
        "backend.probes.readiness.periodSeconds",
        "database.pool.size",
        "migrate.command",
    ] {
        assert!(
            readme("todo-ai-chatbot").contains(&format!("`{key}`")),
            "README does not document {key}"
        );
    }
}

/// 003 US4-1..4, US4-6, US4-7: liveness every 10 s with 3 failures, readiness every 5 s on /health/ready, a startup
/// probe allowing at least 30 s, all configurable through values.
#[test]
fn s003_us4_probes_split_and_configurable() {
    let docs = with_secret("todo-ai-chatbot", &[]);
    let c = container(named(&docs, "Deployment", "todo-ai-chatbot-backend"));
    assert_eq!(s(c, "ports.0.containerPort"), "7860");
    assert_eq!(s(c, "livenessProbe.httpGet.path"), "/health/live");
    assert_eq!(
        (
            s(c, "livenessProbe.periodSeconds"),
            s(c, "livenessProbe.failureThreshold")
        ),
        ("10".into(), "3".into())
    );
    assert_eq!(s(c, "readinessProbe.httpGet.path"), "/health/ready");
    assert_eq!(s(c, "readinessProbe.periodSeconds"), "5");
    let startup_window = s(c, "startupProbe.periodSeconds")
        .parse::<u32>()
        .unwrap_or(0)
        * s(c, "startupProbe.failureThreshold")
            .parse::<u32>()
            .unwrap_or(0);
    assert!(startup_window >= 30, "startup allows {startup_window} s");
    let tuned = with_secret(
        "todo-ai-chatbot",
        &[
            "--set",
            "backend.probes.readiness.path=/ready",
            "--set",
            "backend.probes.liveness.periodSeconds=20",
        ],
    );
    let c = container(named(&tuned, "Deployment", "todo-ai-chatbot-backend"));
    assert_eq!(
        (
            s(c, "readinessProbe.httpGet.path"),
            s(c, "livenessProbe.periodSeconds")
        ),
        ("/ready".into(), "20".into())
    );
    let frontend = container(named(&docs, "Deployment", "todo-ai-chatbot-frontend"));
    assert_eq!(s(frontend, "livenessProbe.periodSeconds"), "10", "FR-028");
}

/// 003 US5-1, US5-2: rollback and `--atomic` are documented.
#[test]
fn s003_us5_rollback_and_atomic_are_documented() {
    let readme = readme("todo-ai-chatbot");
    assert!(
        readme.contains("helm rollback todo-ai-chatbot") && readme.contains("--atomic"),
        "{readme}"
    );
}

/// 003 FR-020, FR-021: the frontend is a LoadBalancer on 3000, the backend ClusterIP on 7860.
#[test]
fn s003_fr020_frontend_loadbalancer_backend_clusterip() {
    let docs = with_secret("todo-ai-chatbot", &[]);
    let frontend = named(&docs, "Service", "todo-ai-chatbot-frontend");
    assert_eq!(
        (s(frontend, "spec.type"), s(frontend, "spec.ports.0.port")),
        ("LoadBalancer".into(), "3000".into())
    );
    let backend = named(&docs, "Service", "todo-ai-chatbot-backend");
    assert_eq!(
        (s(backend, "spec.type"), s(backend, "spec.ports.0.port")),
        ("ClusterIP".into(), "7860".into())
    );
}

/// 003 FR-003, FR-033, FR-034: UID 1000, labels app/component/version, grace period at least 10 s.
#[test]
fn s003_fr033_labels_uid_and_grace_period() {
    let docs = with_secret("todo-ai-chatbot", &[]);
    for d in kind(&docs, "Deployment") {
        for label in ["app", "component", "version"] {
            assert!(
                d.path("spec.template.metadata.labels")
                    .and_then(|l| l.get(label))
                    .is_some(),
                "pod label {label}"
            );
        }
        assert_eq!(s(d, "spec.template.spec.securityContext.runAsUser"), "1000");
        assert!(
            s(d, "spec.template.spec.terminationGracePeriodSeconds")
                .parse::<u32>()
                .unwrap_or(0)
                >= 10
        );
    }
}

/// 003 FR-059, FR-060: DB_POOL_SIZE defaults to 5, with retry settings, configurable per environment.
#[test]
fn s003_fr059_pool_size_and_retries() {
    let docs = with_secret("todo-ai-chatbot", &[]);
    let c = container(named(&docs, "Deployment", "todo-ai-chatbot-backend"));
    let env = |name: &str| {
        c.get("env")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .find(|e| e.get("name").and_then(Node::as_str) == Some(name))
            .and_then(|e| e.get("value"))
            .and_then(Node::scalar_text)
    };
    assert_eq!(env("DB_POOL_SIZE").as_deref(), Some("5"));
    assert_eq!(env("DB_RETRY_ATTEMPTS").as_deref(), Some("3"));
    assert_eq!(env("DB_RETRY_DELAY_SECONDS").as_deref(), Some("1"));
    let docs = with_secret("todo-ai-chatbot", &["--set", "database.pool.size=10"]);
    let c = container(named(&docs, "Deployment", "todo-ai-chatbot-backend"));
    assert!(
        c.get("env")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .any(|e| e.get("value").and_then(Node::as_str) == Some("10"))
    );
}

/// 003 FR-061, FR-062: Alembic migrations run as an idempotent pre-install/pre-upgrade hook Job that replaces its
/// previous run.
#[test]
fn s003_fr061_migrations_are_a_pre_install_pre_upgrade_hook() {
    let docs = with_secret("todo-ai-chatbot", &[]);
    let job = named(&docs, "Job", "todo-ai-chatbot-migrate");
    let annotations = job.path("metadata.annotations").expect("annotations");
    assert_eq!(
        annotations.get("helm.sh/hook").and_then(Node::as_str),
        Some("pre-install,pre-upgrade")
    );
    assert_eq!(
        annotations
            .get("helm.sh/hook-delete-policy")
            .and_then(Node::as_str),
        Some("before-hook-creation")
    );
    let c = &job
        .path("spec.template.spec.containers")
        .map(Node::as_seq)
        .unwrap_or_default()[0];
    assert_eq!(strings(c.get("command")), ["alembic", "upgrade", "head"]);
    assert_eq!(
        s(c, "image"),
        "todo-ai-backend:4.0.0",
        "the backend's image, with Alembic in it"
    );
}

fn strings(node: Option<&Node>) -> Vec<String> {
    node.map(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(Node::scalar_text)
        .collect()
}

/// 003 FR-069: AI tools may reference but never read Secrets.
#[test]
fn s003_fr069_ai_tools_cannot_read_secrets() {
    let docs = with_secret("todo-ai-chatbot", &[]);
    assert!(
        !role_allows(&docs, "secrets", "get")
            && !role_allows(&docs, "secrets", "list")
            && !role_allows(&docs, "*", "get")
    );
}

// ---------------------------------------------------------------- seed 004: wealth-companion

/// 004 US1-1, FR-009: frontend, backend, MCP server and two AI agents, each with its own Deployment, Service and
/// HPA, so they scale separately.
#[test]
fn s004_us1_1_every_service_deploys_and_scales_separately() {
    let docs = with_secret("wealth-companion", &[]);
    for c in [
        "frontend",
        "backend",
        "mcp-server",
        "spending-agent",
        "wealth-agent",
    ] {
        let name = format!("wealth-companion-{c}");
        named(&docs, "Deployment", &name);
        named(&docs, "Service", &name);
        let hpa = named(&docs, "HorizontalPodAutoscaler", &name);
        assert_eq!(s(hpa, "spec.scaleTargetRef.name"), name);
    }
}

/// 004 US1-2, FR-011, FR-013: the Ingress exposes only the frontend; the backend is reachable only from it.
#[test]
fn s004_us1_2_ingress_exposes_only_the_frontend() {
    let docs = with_secret("wealth-companion", &[]);
    assert_eq!(
        ingress_routes(&docs),
        [("/".to_string(), "wealth-companion-frontend".to_string())]
    );
    let (from, _) = flows(&docs, "wealth-companion-backend");
    assert_eq!(from, ["frontend"], "only the frontend may call the backend");
    for svc in kind(&docs, "Service") {
        assert_eq!(s(svc, "spec.type"), "ClusterIP");
    }
}

/// 004 US1-3, SC-003: the same configuration renders identically every time.
#[test]
fn s004_us1_3_rendering_is_identical_every_time() {
    let a = run(std::process::Command::new(tool("helm4"))
        .args(["template", "w"])
        .arg(chart("wealth-companion"))
        .args(["--set", "secrets.existingSecret=s"]));
    let b = run(std::process::Command::new(tool("helm4"))
        .args(["template", "w"])
        .arg(chart("wealth-companion"))
        .args(["--set", "secrets.existingSecret=s"]));
    assert_eq!(a.stdout, b.stdout);
}

/// 004 US4-1, US4-2: JWT_SECRET, GEMINI_API_KEY and DATABASE_URL are injected from a Secret; no plaintext anywhere.
#[test]
fn s004_us4_secrets_injected_never_plaintext() {
    let docs = with_secret("wealth-companion", &[]);
    for d in kind(&docs, "Deployment") {
        for key in ["JWT_SECRET", "GEMINI_API_KEY", "DATABASE_URL"] {
            assert_eq!(
                secret_ref(d, key),
                ("app-secrets".to_string(), key.to_string())
            );
        }
    }
    let keys = ["JWT_SECRET", "GEMINI_API_KEY", "DATABASE_URL"];
    assert_lint_finds_no_plaintext_secret("wealth-companion");
    assert_values_hold_no_secret("wealth-companion", &keys);
    assert_no_secret_values_rendered("wealth-companion", &keys);
    assert_given_secrets_only_base64_in_the_secret(
        "wealth-companion",
        "wealth-companion-app",
        &keys,
    );
}

/// 004 US5-1, US5-2, SC-010: NetworkPolicies allow exactly the declared flows: frontend → backend → MCP server
/// and agents, agents → MCP server; nothing else reaches anything.
#[test]
fn s004_us5_network_policies_allow_only_declared_flows() {
    let docs = with_secret("wealth-companion", &[]);
    let expect: &[(&str, &[&str], &[&str])] = &[
        ("frontend", &[], &["backend"]),
        (
            "backend",
            &["frontend"],
            &["mcp-server", "spending-agent", "wealth-agent"],
        ),
        (
            "mcp-server",
            &["backend", "spending-agent", "wealth-agent"],
            &[],
        ),
        ("spending-agent", &["backend"], &["mcp-server"]),
        ("wealth-agent", &["backend"], &["mcp-server"]),
    ];
    for (component, from, to) in expect {
        let (mut got_from, mut got_to) = flows(&docs, &format!("wealth-companion-{component}"));
        got_from.retain(|c| c != "test");
        got_from.sort();
        got_to.sort();
        assert_eq!(got_from, *from, "{component}: who may reach it");
        assert_eq!(got_to, *to, "{component}: what it may reach");
    }
    let deny = named(&docs, "NetworkPolicy", "wealth-companion-default-deny");
    assert_eq!(
        strings(deny.path("spec.policyTypes")),
        ["Ingress", "Egress"]
    );
}

/// 004 FR-026: W3C trace-context headers are propagated by every service.
#[test]
fn s004_fr026_tracing_headers_propagate() {
    let docs = with_secret("wealth-companion", &[]);
    let config = named(&docs, "ConfigMap", "wealth-companion-config");
    assert!(s(config, "data.OTEL_PROPAGATORS").contains("tracecontext"));
    assert!(s(config, "data.TRACE_HEADERS").contains("traceparent"));
    for d in kind(&docs, "Deployment") {
        assert!(env_names(&docs, d).contains(&"OTEL_PROPAGATORS".to_string()));
        assert!(env_names(&docs, d).contains(&"OTEL_SERVICE_NAME".to_string()));
    }
}

/// 004 US3, FR-021..23: a kagent Agent is rendered where the kagent CRD exists, and never breaks an install
/// where it does not.
#[test]
fn s004_us3_kagent_agent_only_with_the_crd() {
    let without = with_secret("wealth-companion", &[]);
    assert!(kind(&without, "Agent").is_empty());
    let with = with_secret(
        "wealth-companion",
        &["--api-versions", "kagent.dev/v1alpha2/Agent"],
    );
    let agent = named(&with, "Agent", "wealth-companion-ops");
    assert_eq!(s(agent, "apiVersion"), "kagent.dev/v1alpha2");
}

/// 004 US2-3: "restart the backend" is allowed (a patch of the Deployment), cluster scope is not.
#[test]
fn s004_us2_3_ai_ops_may_restart_the_backend() {
    let docs = with_secret("wealth-companion", &[]);
    assert!(role_allows(&docs, "deployments", "patch"));
    assert!(kind(&docs, "ClusterRole").is_empty() && kind(&docs, "ClusterRoleBinding").is_empty());
}

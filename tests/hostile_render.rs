//! Hostile specs against the real binary: template injection, YAML injection, secrets in free text, name
//! collisions, unsafe versions and numbers. Each attack must end in a clear spec error (exit 2, file, key path,
//! line; nothing written) or in a chart that real Helm 3 and 4 render with the text as literal data.

mod common;

use common::*;
use std::path::{Path, PathBuf};

const TOKEN: &str = "ghp_Zx9Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz2Xc4V";

/// A small valid spec; `extra` is appended at the top level, `component` inside `components.api`.
fn spec(component: &str, extra: &str) -> String {
    format!(
        r#"apiVersion: chartgen.dev/v1alpha1
kind: ChartSpec
metadata:
  name: evil
  description: Hostile input
  version: 0.1.0
  appVersion: "1.0.0"
components:
  api:
    image: {{ repository: evil-api, tag: "1.0.0" }}
    port: 8080
    probes:
      readiness: {{ path: /health }}
    resources:
      requests: {{ cpu: 100m, memory: 128Mi }}
      limits: {{ cpu: 200m, memory: 256Mi }}
{component}
{extra}
"#
    )
}

struct Rendered {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    chart: PathBuf,
    _dir: tempfile::TempDir,
}

fn render(source: &str) -> Rendered {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("evil.yaml");
    std::fs::write(&path, source).expect("write spec");
    let out = dir.path().join("out");
    let output = run(chartgen().arg("render").arg(&path).arg("--out").arg(&out));
    Rendered {
        code: output.status.code(),
        stdout: text(&output.stdout),
        stderr: text(&output.stderr),
        chart: out.join("helm/evil"),
        _dir: dir,
    }
}

/// Exit 2, the key path and a `file:line:col` position in the error, and no chart written.
fn assert_refused(r: &Rendered, key_path: &str) {
    assert_eq!(
        r.code,
        Some(2),
        "stdout: {}\nstderr: {}",
        r.stdout,
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!(": {key_path}: ")),
        "no `{key_path}` in: {}",
        r.stderr
    );
    let located = r
        .stderr
        .lines()
        .filter(|l| l.contains(&format!(": {key_path}: ")))
        .all(|l| {
            l.split("evil.yaml:")
                .nth(1)
                .and_then(|rest| rest.split(':').next())
                .is_some_and(|line| line.parse::<u32>().is_ok_and(|n| n > 0))
        });
    assert!(located, "no line number for {key_path}: {}", r.stderr);
    assert!(r.stderr.contains("nothing was written"), "{}", r.stderr);
    assert!(!r.chart.exists(), "a chart was written despite the error");
}

/// `helm template` with real Helm 4 and 3: it must succeed, and its output is returned.
fn helm_template(chart: &Path) -> Vec<String> {
    ["helm4", "helm3"]
        .iter()
        .map(|helm| {
            let output = run(std::process::Command::new(tool(helm))
                .args(["template", "release"])
                .arg(chart));
            assert!(
                output.status.success(),
                "{helm} template failed:\n{}",
                text(&output.stderr)
            );
            let lint = run(std::process::Command::new(tool(helm))
                .args(["lint", "--strict"])
                .arg(chart));
            assert!(
                lint.status.success(),
                "{helm} lint --strict failed:\n{}{}",
                text(&lint.stdout),
                text(&lint.stderr)
            );
            text(&output.stdout)
        })
        .collect()
}

#[test]
fn template_code_in_spec_strings_reaches_the_cluster_as_literal_text() {
    let r = render(&spec(
        r#"    description: "Calls {{ fail \"description ran\" }}"
    command: ["sh", "-c", "echo {{ .Release.Name }} {{ fail \"command ran\" }}"]
    args: ["--greeting={{ .Values.api.image.repository }}", "}}", "{", "{{/* x */}}"]
    config:
      MOTD: '{{ fail "config ran" }}'"#,
        r#"jobs:
  migrate:
    component: api
    command: ["migrate", "{{ fail \"job ran\" }}"]
    hooks: [pre-install]"#,
    ));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    for out in helm_template(&r.chart) {
        // Helm prints the text literally; YAML may quote it either way.
        let literal = |s: &str| out.contains(s) || out.contains(&s.replace('"', "\\\""));
        for text in [
            r#"echo {{ .Release.Name }} {{ fail "command ran" }}"#,
            "--greeting={{ .Values.api.image.repository }}",
            r#"{{ fail "job ran" }}"#,
            r#"{{ fail "config ran" }}"#,
            "{{/* x */}}",
        ] {
            assert!(literal(text), "`{text}` is not literal:\n{out}");
        }
        assert!(!out.contains("--greeting=evil-api"), "a value was executed");
    }
}

#[test]
fn template_code_in_a_route_path_is_refused_with_its_location() {
    let r = render(&spec(
        "",
        r#"ingress:
  host: evil.local
  className: nginx
  routes:
    - { path: "/api{{ .Values.secrets }}", component: api }"#,
    ));
    assert_refused(&r, "ingress.routes.0.path");
}

#[test]
fn newlines_in_free_text_never_add_yaml_keys() {
    let r = render(&spec(
        "    description: \"Line one\\nsecurityContext:\\n  privileged: true\\nnetworkPolicy:\\n  enabled: false\"",
        "database:\n  engine: \"Postgres\\nsecrets:\\n  existingSecret: pwned\"\nvaluesFiles:\n  prod:\n    description: \"Production\\ntests:\\n  enabled: false\"\n    values: { api: { replicaCount: 3 } }",
    ));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let values = std::fs::read_to_string(r.chart.join("values.yaml")).expect("values.yaml");
    let doc = chartgen::yaml::parse_document(&values).expect("values.yaml parses");
    assert!(doc.get("secrets").is_none(), "{values}");
    assert_eq!(
        doc.path("networkPolicy.enabled").and_then(|n| n.as_bool()),
        Some(true),
        "{values}"
    );
    assert!(doc.path("api.securityContext").is_none(), "{values}");
    let prod = std::fs::read_to_string(r.chart.join("values-prod.yaml")).expect("values-prod");
    let prod_doc = chartgen::yaml::parse_document(&prod).expect("values-prod parses");
    assert!(prod_doc.get("tests").is_none(), "{prod}");
    for out in helm_template(&r.chart) {
        assert!(!out.contains("privileged: true"), "{out}");
    }
}

/// YAML breaks lines at `\r`, NEL, LS and PS too, and refuses control characters: in a comment, each is an escape.
#[test]
fn line_breaks_and_control_characters_in_free_text_stay_inside_their_comment() {
    let r = render(&spec(
        "    description: \"one\\rnetworkPolicy: {enabled: false}\\u0085x: 1\\u2028y: 2\\u001b[31m red\"",
        "",
    ));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let values = std::fs::read_to_string(r.chart.join("values.yaml")).expect("values.yaml");
    assert!(
        !values
            .chars()
            .any(|c| c == '\r' || c == '\u{1b}' || c == '\u{85}' || c == '\u{2028}'),
        "{values:?}"
    );
    let doc = chartgen::yaml::parse_document(&values).expect("values.yaml parses");
    assert_eq!(
        doc.path("networkPolicy.enabled").and_then(|n| n.as_bool()),
        Some(true)
    );
    assert!(doc.get("x").is_none() && doc.get("y").is_none());
    helm_template(&r.chart);
}

#[test]
fn an_honest_two_line_description_passes_helm_lint_strict() {
    let r = render(&spec(
        "    description: |\n      The API.\n      It answers on port 8080.",
        "",
    ));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    helm_template(&r.chart);
    let values = std::fs::read_to_string(r.chart.join("values.yaml")).expect("values.yaml");
    assert!(
        values.contains("# -- The API.\n  # It answers on port 8080.\n")
            || values.contains("# -- The API.\n# It answers on port 8080.\n"),
        "{values}"
    );
}

#[test]
fn versions_that_smuggle_yaml_or_are_not_semver_are_refused() {
    let base = spec("", "");
    for (from, to, key) in [
        (
            "version: 0.1.0",
            "version: \"0.1.0-x\\ndependencies:\\n  - name: evil\"",
            "metadata.version",
        ),
        ("version: 0.1.0", "version: \"1.2.3 \"", "metadata.version"),
        ("version: 0.1.0", "version: 1.2.3-01", "metadata.version"),
        (
            "appVersion: \"1.0.0\"",
            "appVersion: \"1.0.0\"\n  kubeVersion: \">=1.25\\nfoo: bar\"",
            "metadata.kubeVersion",
        ),
        (
            "appVersion: \"1.0.0\"",
            "appVersion: \"1.0.0\"\n  kubeVersion: \"newest\"",
            "metadata.kubeVersion",
        ),
    ] {
        let r = render(&base.replacen(from, to, 1));
        assert_refused(&r, key);
    }
}

#[test]
fn an_unquoted_float_tag_is_refused_with_a_hint_to_quote_it() {
    let r = render(&spec("", "").replace("tag: \"1.0.0\"", "tag: 1.10"));
    assert_refused(&r, "components.api.image.tag");
    assert!(r.stderr.contains("quotes"), "{}", r.stderr);
}

#[test]
fn integers_outside_int32_are_refused_and_large_ones_render_whole() {
    let r = render(&spec("", "").replace("port: 8080", "port: 8080\n    replicas: 3000000000"));
    assert_refused(&r, "components.api.replicas");
    let ok = render(&spec("", "").replace("port: 8080", "port: 8080\n    replicas: 1000000"));
    assert_eq!(ok.code, Some(0), "{}", ok.stderr);
    for out in helm_template(&ok.chart) {
        assert!(out.contains("replicas: 1000000\n"), "{out}");
        assert!(!out.contains("e+"), "{out}");
    }
}

#[test]
fn a_secret_in_any_free_text_field_is_refused_without_printing_it() {
    let cases: Vec<(String, &str)> = vec![
        (
            spec(
                "",
                &format!(
                    "valuesFiles:\n  prod:\n    description: Production\n    values: {{ api: {{ podAnnotations: {{ token: \"{TOKEN}\" }} }} }}"
                ),
            ),
            "valuesFiles.prod.values.api.podAnnotations.token",
        ),
        (
            spec(&format!("    args: [\"--token={TOKEN}\"]"), ""),
            "components.api.args.0",
        ),
        (
            spec(&format!("    command: [run, \"{TOKEN}\"]"), ""),
            "components.api.command.1",
        ),
        (
            spec(
                "",
                "jobs:\n  migrate:\n    component: api\n    command: [migrate, \"--url=postgresql://app:S3cr3tPassw0rd@db/app\"]\n    hooks: [pre-install]",
            ),
            "jobs.migrate.command.1",
        ),
        (
            spec(&format!("    labels: {{ token: \"{TOKEN}\" }}"), ""),
            "components.api.labels.token",
        ),
        (
            spec("", "").replace(
                "appVersion: \"1.0.0\"",
                "appVersion: \"1.0.0\"\n  home: \"https://app:S3cr3tPassw0rd@example.com/\"",
            ),
            "metadata.home",
        ),
        (
            spec(
                &format!("    description: \"Uses {TOKEN} to call GitHub\""),
                "",
            ),
            "components.api.description",
        ),
        (
            spec("", "").replace("port: 8080", &format!("port: \"{TOKEN}\"")),
            "components.api.port",
        ),
    ];
    for (source, key) in cases {
        let r = render(&source);
        assert_refused(&r, key);
        for secret in [
            TOKEN,
            "S3cr3tPassw0rd",
            &TOKEN[..12],
            &TOKEN[TOKEN.len() - 12..],
        ] {
            assert!(
                !r.stderr.contains(secret) && !r.stdout.contains(secret),
                "{key}: the secret was printed: {}",
                r.stderr
            );
        }
        // `chartgen lint` on the spec says the same without the value. (The human format's source snippet is the
        // lint side's; see issue 7 item 5.)
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("evil.yaml");
        std::fs::write(&path, &source).expect("write");
        for format in ["json", "sarif"] {
            let lint = run(chartgen().args(["lint", "--format", format]).arg(&path));
            let out = text(&lint.stdout) + &text(&lint.stderr);
            assert_eq!(lint.status.code(), Some(1), "{key} {format}: {out}");
            assert!(out.contains("invalid-chart-spec"), "{key} {format}: {out}");
            assert!(out.contains(key), "{key} {format}: {out}");
            assert!(
                !out.contains(TOKEN)
                    && !out.contains("S3cr3tPassw0rd")
                    && !out.contains(&TOKEN[..12]),
                "{key} {format}: the secret was printed"
            );
        }
    }
}

#[test]
fn generated_names_that_collide_are_refused_naming_both_sources() {
    let job = |name: &str| {
        format!("  {name}:\n    component: api\n    command: [x]\n    hooks: [pre-install]\n")
    };
    for (component, extra, key, other) in [
        ("", format!("jobs:\n{}", job("config")), "jobs.config", "the chart"),
        ("", format!("jobs:\n{}", job("secrets")), "jobs.secrets", "the chart"),
        ("", format!("jobs:\n{}", job("global")), "jobs.global", "the chart"),
        ("", format!("jobs:\n{}", job("api")), "jobs.api", "components.api"),
        (
            "",
            format!("jobs:\n{}{}", job("a"), job("a-networkpolicy")),
            "jobs.a-networkpolicy",
            "jobs.a",
        ),
        (
            "",
            format!("jobs:\n{}secretGroups:\n  web-env:\n    keys: [TOKEN]\n", job("web")),
            "jobs.web",
            "secretGroups.web-env",
        ),
        (
            "",
            "secretGroups:\n  app:\n    keys: [existingSecret]\n".to_string(),
            "secretGroups.app.keys.0",
            "existingSecret",
        ),
        (
            "    service: { name: evil-worker }",
            "  worker:\n    image: { repository: w, tag: \"1\" }\n    port: 9090\n    resources:\n      requests: { cpu: 100m, memory: 128Mi }\n      limits: { cpu: 200m, memory: 256Mi }\n".to_string(),
            "components.api.service.name",
            "components.worker",
        ),
    ] {
        let text = if extra.starts_with("  worker:") {
            spec(&format!("{component}\n{extra}"), "")
        } else {
            spec(component, &extra)
        };
        let r = render(&text);
        assert_refused(&r, key);
        assert!(r.stderr.contains(other), "{key}: the other source is not named: {}", r.stderr);
    }
}

#[test]
fn render_all_refuses_two_specs_with_one_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("chart-spec")).expect("mkdir");
    std::fs::write(dir.path().join("chart-spec/a.yaml"), spec("", "")).expect("write");
    std::fs::write(dir.path().join("chart-spec/b.yaml"), spec("", "")).expect("write");
    let output = run(chartgen()
        .current_dir(dir.path())
        .args(["render", "--all", "--out", "out"]));
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("a.yaml") && stderr.contains("b.yaml") && stderr.contains("metadata.name"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists(), "something was written");
}

#[test]
fn render_check_never_prints_a_secret_from_the_chart_on_disk() {
    let r = render(&spec("", ""));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let values = r.chart.join("values.yaml");
    let edited = std::fs::read_to_string(&values).expect("read")
        + &format!("apiToken: \"{TOKEN}\"\nurl: postgresql://app:S3cr3tPassw0rd@db/app\n");
    std::fs::write(&values, edited).expect("write");
    let spec_path = r._dir.path().join("evil.yaml");
    let out = r._dir.path().join("out");
    let output = run(chartgen()
        .arg("render")
        .arg(&spec_path)
        .arg("--check")
        .arg("--out")
        .arg(&out));
    let all = text(&output.stdout) + &text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{all}");
    assert!(all.contains("-apiToken: ********"), "{all}");
    assert!(
        !all.contains(&TOKEN[..8]) && !all.contains("S3cr3t"),
        "{all}"
    );
}

#[test]
fn stale_staging_folders_are_removed_and_the_chart_replaced_whole() {
    let r = render(&spec("", ""));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let helm = r.chart.parent().expect("helm/").to_path_buf();
    // What a run killed mid-write leaves behind, and a folder that is not ours.
    std::fs::create_dir_all(helm.join(".evil.chartgen-new-1/templates")).expect("mkdir");
    std::fs::create_dir_all(helm.join(".evil.chartgen-x7Gq2")).expect("mkdir");
    std::fs::create_dir_all(helm.join("mine")).expect("mkdir");
    std::fs::write(r.chart.join("stale.yaml"), "x: 1\n").expect("write");
    let spec_path = r._dir.path().join("evil.yaml");
    let again = run(chartgen()
        .arg("render")
        .arg(&spec_path)
        .arg("--out")
        .arg(r._dir.path().join("out")));
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
    let mut names: Vec<String> = std::fs::read_dir(&helm)
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["evil", "mine"]);
    assert!(!r.chart.join("stale.yaml").exists());
    assert!(r.chart.join("Chart.yaml").exists());
}

/// NEL, LS and PS are line breaks to Helm's YAML reader even inside double quotes: a value holding them reaches
/// the ConfigMap whole (the values.yaml writer escapes them), never folded into a space.
#[test]
fn unicode_line_breaks_in_values_reach_the_cluster_unfolded() {
    let r = render(&spec(
        "    config: { GREETING: \"A\\u0085B\\u2028C\\u2029D\" }",
        "",
    ));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    for manifest in helm_template(&r.chart) {
        let docs = chartgen::yaml::parse_documents(&manifest).expect("parses");
        let value = docs
            .iter()
            .filter(|d| d.get("kind").and_then(|k| k.as_str()) == Some("ConfigMap"))
            .find_map(|d| {
                d.path("data.GREETING")
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            });
        assert_eq!(
            value.as_deref(),
            Some("A\u{85}B\u{2028}C\u{2029}D"),
            "{manifest}"
        );
    }
}

/// A key longer than Kubernetes and Helm take (explicit-key syntax gets past the YAML reader's own limit) is a
/// spec error at its line, never a chart Helm cannot load.
#[test]
fn keys_longer_than_kubernetes_allows_are_refused() {
    let long = "K".repeat(2000);
    let r = render(&spec(
        &format!("    config:\n      ? {long}\n      : x"),
        "",
    ));
    assert_refused(&r, "components.api.config");
    assert!(!r.stderr.contains(&long), "the whole key was printed");
}

/// A token glued to other text (`…!`, `….example.com`) in a field whose own check would quote it (a host name,
/// a storage class, a key name) is reported as a secret, never quoted; so is a short PEM private key.
#[test]
fn glued_tokens_and_short_private_keys_are_refused_without_being_quoted() {
    let token = "ghp_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c";
    let cases = [
        (
            spec(
                "",
                &format!(
                    "ingress:\n  host: {token}.example.com\n  routes: [{{ path: /, component: api }}]"
                ),
            ),
            "ingress.host",
        ),
        (
            spec(
                &format!(
                    "    volumes:\n      pv: {{ mountPath: /data, persistent: {{ size: 1Gi, storageClass: \"{token}!\" }} }}"
                ),
                "",
            ),
            "components.api.volumes.pv.persistent.storageClass",
        ),
        (
            spec(
                "",
                &format!("secretGroups:\n  app: {{ keys: [\"{token}!\"] }}"),
            ),
            "secretGroups.app.keys.0",
        ),
        (
            spec(
                "    podAnnotations: { a.b/c: \"-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEAx7\\n-----END RSA PRIVATE KEY-----\" }",
                "",
            ),
            "components.api.podAnnotations.a.b/c",
        ),
    ];
    for (source, path) in cases {
        let r = render(&source);
        assert_refused(&r, path);
        assert!(!r.stderr.contains(&token[4..16]), "{path}: {}", r.stderr);
        assert!(!r.stderr.contains("MIIEowIBAAKC"), "{path}: {}", r.stderr);
    }
}

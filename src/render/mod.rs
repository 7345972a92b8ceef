//! Rendering a checked spec into the files of a Helm chart, in memory. Writing them is `output.rs`'s job.
//!
//! Templates are minijinja, embedded in the binary, with `[[ ]]`, `[% %]` and `[# #]` as delimiters so that
//! Helm's own `{{ }}` passes through untouched. Every output is a pure function of the spec: no clock, no
//! environment, no map with random order, so the same spec gives the same bytes.

pub mod output;
pub mod values;

use crate::spec::CheckedSpec;
use minijinja::syntax::SyntaxConfig;
use minijinja::value::Serde;
use minijinja::{Environment, UndefinedBehavior, Value as JinjaValue, context};
use std::collections::BTreeMap;

/// The rendered chart: path inside the chart folder → file content.
pub type ChartFiles = BTreeMap<String, String>;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// A template bug, never the user's fault; the message says which template.
    #[error("internal template error in {template}: {message}")]
    Template { template: String, message: String },
}

const TEMPLATES: &[(&str, &str)] = &[
    ("pod.j2", include_str!("../templates/pod.j2")),
    (
        "helpers.tpl.j2",
        include_str!("../templates/helpers.tpl.j2"),
    ),
    ("chart.yaml.j2", include_str!("../templates/chart.yaml.j2")),
    ("helmignore.j2", include_str!("../templates/helmignore.j2")),
    (
        "deployment.yaml.j2",
        include_str!("../templates/deployment.yaml.j2"),
    ),
    (
        "service.yaml.j2",
        include_str!("../templates/service.yaml.j2"),
    ),
    (
        "component-configmap.yaml.j2",
        include_str!("../templates/component-configmap.yaml.j2"),
    ),
    (
        "configmap.yaml.j2",
        include_str!("../templates/configmap.yaml.j2"),
    ),
    (
        "secret.yaml.j2",
        include_str!("../templates/secret.yaml.j2"),
    ),
    ("pdb.yaml.j2", include_str!("../templates/pdb.yaml.j2")),
    ("hpa.yaml.j2", include_str!("../templates/hpa.yaml.j2")),
    (
        "servicemonitor.yaml.j2",
        include_str!("../templates/servicemonitor.yaml.j2"),
    ),
    (
        "serviceaccount.yaml.j2",
        include_str!("../templates/serviceaccount.yaml.j2"),
    ),
    (
        "namespace.yaml.j2",
        include_str!("../templates/namespace.yaml.j2"),
    ),
    (
        "ingress.yaml.j2",
        include_str!("../templates/ingress.yaml.j2"),
    ),
    (
        "networkpolicy-default-deny.yaml.j2",
        include_str!("../templates/networkpolicy-default-deny.yaml.j2"),
    ),
    (
        "networkpolicy.yaml.j2",
        include_str!("../templates/networkpolicy.yaml.j2"),
    ),
    (
        "networkpolicy-tests.yaml.j2",
        include_str!("../templates/networkpolicy-tests.yaml.j2"),
    ),
    (
        "networkpolicy-job.yaml.j2",
        include_str!("../templates/networkpolicy-job.yaml.j2"),
    ),
    (
        "test-connection.yaml.j2",
        include_str!("../templates/test-connection.yaml.j2"),
    ),
    ("job.yaml.j2", include_str!("../templates/job.yaml.j2")),
    (
        "cronjob.yaml.j2",
        include_str!("../templates/cronjob.yaml.j2"),
    ),
    ("pvc.yaml.j2", include_str!("../templates/pvc.yaml.j2")),
    (
        "service-headless.yaml.j2",
        include_str!("../templates/service-headless.yaml.j2"),
    ),
    (
        "serviceaccount-hooks.yaml.j2",
        include_str!("../templates/serviceaccount-hooks.yaml.j2"),
    ),
    (
        "job-secret.yaml.j2",
        include_str!("../templates/job-secret.yaml.j2"),
    ),
    (
        "ai-ops-serviceaccount.yaml.j2",
        include_str!("../templates/ai-ops-serviceaccount.yaml.j2"),
    ),
    (
        "ai-ops-role.yaml.j2",
        include_str!("../templates/ai-ops-role.yaml.j2"),
    ),
    (
        "ai-ops-rolebinding.yaml.j2",
        include_str!("../templates/ai-ops-rolebinding.yaml.j2"),
    ),
    (
        "kagent-agent.yaml.j2",
        include_str!("../templates/kagent-agent.yaml.j2"),
    ),
    ("NOTES.txt.j2", include_str!("../templates/NOTES.txt.j2")),
    ("README.md.j2", include_str!("../templates/README.md.j2")),
    (
        "values-local.example.j2",
        include_str!("../templates/values-local.example.j2"),
    ),
];

/// How a spec string is written into a generated file so that it stays data.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Escape {
    /// Markdown and ignore files: nothing interprets them.
    None,
    /// Chart.yaml and example values: plain YAML. Text that could be read as YAML structure is quoted.
    Yaml,
    /// `templates/*.yaml` and `_helpers.tpl`: YAML that Helm runs as a Go template first. Quoted like `Yaml`, and
    /// every `{` and `}` is written as a Go template action that prints it, so no spec text is ever template code.
    HelmYaml,
    /// `templates/NOTES.txt`: text that Helm runs as a Go template.
    HelmText,
}

impl Escape {
    fn for_template(name: &str) -> Self {
        match name {
            "README.md.j2" | "helmignore.j2" => Escape::None,
            "chart.yaml.j2" | "values-local.example.j2" => Escape::Yaml,
            "NOTES.txt.j2" => Escape::HelmText,
            _ => Escape::HelmYaml,
        }
    }

    fn auto_escape(self) -> minijinja::AutoEscape {
        match self {
            Escape::None => minijinja::AutoEscape::None,
            Escape::Yaml => minijinja::AutoEscape::Custom("yaml".into()),
            Escape::HelmYaml => minijinja::AutoEscape::Custom("helm-yaml".into()),
            Escape::HelmText => minijinja::AutoEscape::Custom("helm-text".into()),
        }
    }

    fn of(state: &minijinja::State) -> Self {
        match state.auto_escape() {
            minijinja::AutoEscape::Custom(kind) => match kind.as_ref() {
                "yaml" => Escape::Yaml,
                "helm-yaml" => Escape::HelmYaml,
                "helm-text" => Escape::HelmText,
                _ => Escape::None,
            },
            _ => Escape::None,
        }
    }

    fn helm(self) -> bool {
        matches!(self, Escape::HelmYaml | Escape::HelmText)
    }

    fn apply(self, text: &str) -> String {
        let text = match self {
            Escape::Yaml | Escape::HelmYaml if !crate::yaml::write::is_plain_scalar(text) => {
                crate::yaml::write::yaml_scalar(&serde_json::Value::String(text.to_string()))
            }
            _ => text.to_string(),
        };
        if self.helm() {
            escape_helm(&text)
        } else {
            text
        }
    }
}

/// Text that Helm prints literally: each `{` and `}` becomes an action printing it (`{{`{`}}`), so `{{ … }}` in
/// a spec string is never executed and a lone brace cannot join a template's own `{{`.
pub fn escape_helm(text: &str) -> String {
    if !text.contains(['{', '}']) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for ch in text.chars() {
        match ch {
            '{' => out.push_str("{{`{`}}"),
            '}' => out.push_str("{{`}`}}"),
            other => out.push(other),
        }
    }
    out
}

fn environment() -> Result<Environment<'static>, RenderError> {
    let mut env = Environment::new();
    let syntax = SyntaxConfig::builder()
        .block_delimiters("[%", "%]")
        .variable_delimiters("[[", "]]")
        .comment_delimiters("[#", "#]")
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build();
    // The delimiters are constants; a failure here is a bug caught by every test.
    if let Ok(syntax) = syntax {
        env.set_syntax(syntax);
    }
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // Every `[[ ]]` output is data. What that takes depends on the file it lands in (see `Escape`).
    env.set_auto_escape_callback(|name| Escape::for_template(name).auto_escape());
    env.set_formatter(|out, state, value| {
        let text = match (Escape::of(state), value.as_str()) {
            // Marked safe: built by the templates themselves (macros, `tojson`, `.Values.` paths).
            (_, _) if value.is_safe() => value.to_string(),
            (escape, Some(s)) => escape.apply(s),
            (_, None) => value.to_string(),
        };
        out.write_str(&text).map_err(minijinja::Error::from)
    });
    // A quoted YAML scalar (a JSON string is a valid YAML double-quoted scalar), escaped for Helm where the file is
    // a Helm template.
    env.add_filter(
        "tojson",
        |state: &minijinja::State, value: JinjaValue| -> Result<JinjaValue, minijinja::Error> {
            let json = serde_json::to_string(&value).map_err(|e| {
                minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e.to_string())
            })?;
            let json = crate::yaml::write::escape_yaml_line_breaks(&json);
            let json = if Escape::of(state).helm() {
                escape_helm(&json)
            } else {
                json
            };
            Ok(JinjaValue::from_safe_string(json))
        },
    );
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .map_err(|e| template_error(name, &e))?;
    }
    Ok(env)
}

/// One natural-language operation and its exact kubectl fallback.
struct AiOpsExample {
    say: String,
    /// For NOTES.txt, with Helm expressions for the names.
    kubectl: String,
    /// For the README, with the default release names.
    readme: String,
}

fn ai_ops_examples(spec: &CheckedSpec) -> Vec<AiOpsExample> {
    let n = &spec.name;
    let Some(target) = spec
        .components
        .iter()
        .find(|c| c.database)
        .or_else(|| spec.components.first())
    else {
        return Vec::new();
    };
    let c = &target.name;
    let kind = target.kind.to_ascii_lowercase();
    let helm_deploy = format!("{kind}/{{{{ include \"{n}.{c}.fullname\" . }}}}");
    let helm_ns = format!("-n {{{{ include \"{n}.namespace\" . }}}}");
    let readme_deploy = format!("{kind}/{n}-{c}");
    let readme_ns = format!(
        "-n {}",
        spec.namespace
            .as_ref()
            .map_or(n.as_str(), |ns| ns.name.as_str())
    );
    let ops = [
        ("show all pods", "get pods".to_string()),
        (
            &*format!("scale the {c} to 3 replicas"),
            "scale DEPLOY --replicas=3".to_string(),
        ),
        (
            &*format!("restart the {c}"),
            "rollout restart DEPLOY".to_string(),
        ),
        (
            &*format!("show the {c} logs"),
            "logs DEPLOY --tail=100".to_string(),
        ),
        (
            &*format!("why is the {c} pod failing?"),
            format!("describe pods -l app.kubernetes.io/component={c}"),
        ),
        (
            &*format!("undo the last {c} rollout"),
            "rollout undo DEPLOY".to_string(),
        ),
    ]
    .map(|(say, cmd)| (say.to_string(), cmd));
    ops.into_iter()
        .map(|(say, cmd)| AiOpsExample {
            say,
            kubectl: format!("{} {helm_ns}", cmd.replace("DEPLOY", &helm_deploy)),
            readme: format!("{} {readme_ns}", cmd.replace("DEPLOY", &readme_deploy)),
        })
        .collect()
}

/// The files a hook Job may write: its manifest, its NetworkPolicy and its hook-scoped Secret.
pub fn job_files(job: &str) -> [String; 3] {
    [
        format!("templates/jobs/{job}.yaml"),
        format!("templates/jobs/{job}-networkpolicy.yaml"),
        format!("templates/jobs/{job}-secret.yaml"),
    ]
}

/// Renders every file of the chart.
pub fn render(spec: &CheckedSpec) -> Result<ChartFiles, RenderError> {
    let env = environment()?;
    let tree = values::values_tree(spec);
    let schema = values::schema(spec, &tree);

    let examples = ai_ops_examples(spec);
    let rows = values::table_rows(&tree);
    let base = context! {
        spec => JinjaValue::from(Serde(spec)),
        n => &spec.name,
        ai_ops_examples => JinjaValue::from(
            examples
                .iter()
                .map(|ex| {
                    BTreeMap::from([
                        ("say", JinjaValue::from(ex.say.as_str())),
                        // Helm code built here from validated names, to run in NOTES.txt.
                        ("kubectl", JinjaValue::from_safe_string(ex.kubectl.clone())),
                        ("readme", JinjaValue::from(ex.readme.as_str())),
                    ])
                })
                .collect::<Vec<_>>()
        ),
        value_rows => JinjaValue::from(Serde(&rows)),
    };
    let mut files = ChartFiles::new();
    let mut put =
        |path: String, template: &str, ctx: minijinja::Value| -> Result<(), RenderError> {
            let tmpl = env
                .get_template(template)
                .map_err(|e| template_error(template, &e))?;
            let text = tmpl.render(ctx).map_err(|e| template_error(template, &e))?;
            let text = tidy(
                &text,
                path.starts_with("templates/") && path.ends_with(".yaml"),
            );
            files.insert(path, text);
            Ok(())
        };

    put("Chart.yaml".into(), "chart.yaml.j2", base.clone())?;
    put(".helmignore".into(), "helmignore.j2", base.clone())?;
    put(
        "templates/_helpers.tpl".into(),
        "helpers.tpl.j2",
        base.clone(),
    )?;
    put("templates/NOTES.txt".into(), "NOTES.txt.j2", base.clone())?;
    put("README.md".into(), "README.md.j2", base.clone())?;
    put(
        "templates/serviceaccount.yaml".into(),
        "serviceaccount.yaml.j2",
        base.clone(),
    )?;
    if !spec.config.is_empty() {
        put(
            "templates/configmap.yaml".into(),
            "configmap.yaml.j2",
            base.clone(),
        )?;
    }
    put(
        "templates/networkpolicy-default-deny.yaml".into(),
        "networkpolicy-default-deny.yaml.j2",
        base.clone(),
    )?;
    // `helm test` checks the components that answer on a Service; a chart of workers only has nothing to test.
    if spec.components.iter().any(|c| c.has_service) {
        put(
            "templates/tests/test-connection.yaml".into(),
            "test-connection.yaml.j2",
            base.clone(),
        )?;
        put(
            "templates/tests/networkpolicy.yaml".into(),
            "networkpolicy-tests.yaml.j2",
            base.clone(),
        )?;
    }
    if spec.namespace.is_some() {
        put(
            "templates/namespace.yaml".into(),
            "namespace.yaml.j2",
            base.clone(),
        )?;
    }
    if !spec.secret_keys.is_empty() {
        put(
            "templates/secret.yaml".into(),
            "secret.yaml.j2",
            base.clone(),
        )?;
        put(
            "values-local.yaml.example".into(),
            "values-local.example.j2",
            base.clone(),
        )?;
    }
    if spec.ingress.is_some() {
        put(
            "templates/ingress.yaml".into(),
            "ingress.yaml.j2",
            base.clone(),
        )?;
    }
    if spec.ai_ops.enabled || spec.ai_ops.kagent {
        put(
            "templates/ai-ops/serviceaccount.yaml".into(),
            "ai-ops-serviceaccount.yaml.j2",
            base.clone(),
        )?;
        put(
            "templates/ai-ops/role.yaml".into(),
            "ai-ops-role.yaml.j2",
            base.clone(),
        )?;
        put(
            "templates/ai-ops/rolebinding.yaml".into(),
            "ai-ops-rolebinding.yaml.j2",
            base.clone(),
        )?;
        put(
            "templates/ai-ops/kagent-agent.yaml".into(),
            "kagent-agent.yaml.j2",
            base.clone(),
        )?;
    }
    for c in &spec.components {
        let ctx = context! { c => JinjaValue::from(Serde(c)), ..base.clone() };
        let dir = format!("templates/{}", c.name);
        put(
            format!("{dir}/{}.yaml", c.kind.to_ascii_lowercase()),
            "deployment.yaml.j2",
            ctx.clone(),
        )?;
        if c.kind == "StatefulSet" {
            put(
                format!("{dir}/service-headless.yaml"),
                "service-headless.yaml.j2",
                ctx.clone(),
            )?;
        } else if c.volumes.iter().any(|v| v.source == "persistent") {
            put(format!("{dir}/pvc.yaml"), "pvc.yaml.j2", ctx.clone())?;
        }
        if c.has_service {
            put(
                format!("{dir}/service.yaml"),
                "service.yaml.j2",
                ctx.clone(),
            )?;
        }
        if c.metrics.is_some() {
            put(
                format!("{dir}/servicemonitor.yaml"),
                "servicemonitor.yaml.j2",
                ctx.clone(),
            )?;
        }
        put(
            format!("{dir}/configmap.yaml"),
            "component-configmap.yaml.j2",
            ctx.clone(),
        )?;
        put(
            format!("{dir}/networkpolicy.yaml"),
            "networkpolicy.yaml.j2",
            ctx.clone(),
        )?;
        put(format!("{dir}/pdb.yaml"), "pdb.yaml.j2", ctx.clone())?;
        put(format!("{dir}/hpa.yaml"), "hpa.yaml.j2", ctx)?;
    }
    if !spec.jobs.is_empty() {
        put(
            "templates/jobs/serviceaccount.yaml".into(),
            "serviceaccount-hooks.yaml.j2",
            base.clone(),
        )?;
    }
    for cron in &spec.cron_jobs {
        let ctx = context! { job => JinjaValue::from(Serde(cron)), ..base.clone() };
        put(
            format!("templates/cronjobs/{}.yaml", cron.name),
            "cronjob.yaml.j2",
            ctx.clone(),
        )?;
        put(
            format!("templates/cronjobs/{}-networkpolicy.yaml", cron.name),
            "networkpolicy-job.yaml.j2",
            ctx,
        )?;
    }
    for job in &spec.jobs {
        let ctx = context! { job => JinjaValue::from(Serde(job)), ..base.clone() };
        let [manifest, netpol, secret] = job_files(&job.name);
        put(manifest, "job.yaml.j2", ctx.clone())?;
        put(netpol, "networkpolicy-job.yaml.j2", ctx.clone())?;
        if spec
            .components
            .iter()
            .any(|c| c.name == job.component && !c.secret_refs.is_empty())
        {
            put(secret, "job-secret.yaml.j2", ctx)?;
        }
    }

    let header = format!(
        "# Default values for the {} chart.\n# Generated by chartgen from its spec: edit the spec and run `chartgen render`.\n# Secrets have no defaults: see values-local.yaml.example.\n\n",
        spec.name
    );
    files.insert("values.yaml".into(), values::values_yaml(&tree, &header));
    if !spec.secret_keys.is_empty() {
        // chart-testing (`ct lint`) and `chartgen lint` render a chart with each ci/*-values.yaml; the defaults
        // alone stop at the missing secrets, by design.
        files.insert(
            "ci/existing-secret-values.yaml".into(),
            "# Rendered by chart-testing and `chartgen lint`: secrets come from a Secret made outside the chart.\nsecrets:\n  existingSecret: ci-secrets\n".into(),
        );
    }
    let mut schema_text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    schema_text.push('\n');
    files.insert("values.schema.json".into(), schema_text);
    for vf in &spec.values_files {
        let mut text = String::new();
        crate::yaml::write::write_comment(&mut text, "", "", &vf.description);
        text.push_str(&format!(
            "# Use with: helm install … -f values-{}.yaml\n",
            vf.name
        ));
        if let serde_json::Value::Object(map) = &vf.values {
            crate::yaml::write::write_mapping(&mut text, map);
        }
        files.insert(format!("values-{}.yaml", vf.name), text);
    }
    Ok(files)
}

fn template_error(template: &str, e: &minijinja::Error) -> RenderError {
    RenderError::Template {
        template: template.to_string(),
        message: format!("{e:#}"),
    }
}

/// Normalises whitespace: no trailing spaces, no runs of blank lines (none at all in manifests and helpers, where
/// they are only template noise), exactly one final newline (yamllint and chart-testing's rules).
fn tidy(text: &str, drop_blank_lines: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            if drop_blank_lines || blank_run > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

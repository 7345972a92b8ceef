//! Turns a parsed spec into checked types, collecting every problem instead of stopping at the first.
//!
//! Two passes: the structural pass validates the document against the JSON Schema generated from the spec
//! types (unknown keys, wrong types, missing fields, bad enum values), the semantic pass checks what a schema
//! cannot say (names, cross references, quantities, requests ≤ limits). The semantic pass needs typed data, so
//! it runs only when the structure is sound.

use super::checked::*;
use super::diagnostic::{SpecDiagnostic, did_you_mean};
use super::model::*;
use crate::quantity::Quantity;
use crate::secrets;
use crate::yaml::{Node, Value};
use jsonschema::error::ValidationErrorKind;
use jsonschema::paths::LocationSegment;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// Top-level values.yaml keys that the chart uses itself; components cannot take these names.
pub const RESERVED_VALUES_KEYS: &[&str] = &[
    "global",
    "nameOverride",
    "fullnameOverride",
    "namespace",
    "serviceAccount",
    "podSecurityContext",
    "securityContext",
    "config",
    "ingress",
    "networkPolicy",
    "secrets",
    "database",
    "jobs",
    "aiOps",
    "tests",
];

pub fn spec_schema() -> &'static serde_json::Value {
    static SCHEMA: OnceLock<serde_json::Value> = OnceLock::new();
    SCHEMA
        .get_or_init(|| serde_json::to_value(schemars::schema_for!(ChartSpec)).unwrap_or_default())
}

fn spec_validator() -> Option<&'static jsonschema::Validator> {
    static VALIDATOR: OnceLock<Option<jsonschema::Validator>> = OnceLock::new();
    VALIDATOR
        .get_or_init(|| {
            jsonschema::options()
                .should_validate_formats(false)
                .build(spec_schema())
                .ok()
        })
        .as_ref()
}

/// Validates a parsed document into a [`CheckedSpec`], or returns every problem found.
pub fn validate(doc: &Node) -> Result<CheckedSpec, Vec<SpecDiagnostic>> {
    let mut secret_paths = BTreeSet::new();
    let mut diags = check_secret_values(doc);
    diags.extend(check_free_text_secrets(doc, &mut secret_paths));
    diags.extend(check_int32(doc));
    let json = doc.to_json();
    diags.extend(structural_errors(doc, &json));
    if !diags.is_empty() {
        return Err(without_secret_values(diags, &secret_paths));
    }
    let spec: ChartSpec = match serde_json::from_value(json) {
        Ok(spec) => spec,
        Err(e) => {
            return Err(vec![SpecDiagnostic::new(
                "",
                format!("the spec does not match the schema: {e}"),
            )]);
        }
    };
    let mut ctx = Ctx {
        doc,
        diags: Vec::new(),
    };
    let checked = ctx.check(spec);
    if ctx.diags.is_empty() {
        Ok(checked)
    } else {
        Err(without_secret_values(ctx.diags, &secret_paths))
    }
}

/// Every whole number in a spec becomes a Kubernetes int32 (ports, counts, seconds, IDs); one outside that range
/// would fail at install time, far from its line. `valuesFiles.*.values` are checked by the chart's own schema.
fn check_int32(doc: &Node) -> Vec<SpecDiagnostic> {
    fn walk(node: &Node, path: &mut Vec<String>, out: &mut Vec<SpecDiagnostic>) {
        match &node.value {
            Value::Map(entries) => {
                for (key, child) in entries {
                    if path.len() == 2 && path[0] == "valuesFiles" && key.name == "values" {
                        continue;
                    }
                    path.push(key.name.clone());
                    walk(child, path, out);
                    path.pop();
                }
            }
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(i.to_string());
                    walk(item, path, out);
                    path.pop();
                }
            }
            Value::Int(v) if i32::try_from(*v).is_err() => out.push(
                SpecDiagnostic::new(path.join("."), format!("{v} does not fit a 32-bit integer"))
                    .at(node.pos)
                    .help(format!(
                        "Kubernetes stores this as an int32: use a number from {} to {}",
                        i32::MIN,
                        i32::MAX
                    )),
            ),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(doc, &mut Vec::new(), &mut out);
    out
}

/// Keys whose values name something declared elsewhere in the spec (`secretGroups: [app]`).
const NAME_REFERENCE_KEYS: &[&str] = &["secretGroups", "connectsTo", "component", "name"];

/// What the secret scan reports at a path is the only thing said there: another check's message could quote the
/// value (or a transformation of it, such as a suggested DNS name).
fn without_secret_values(
    diags: Vec<SpecDiagnostic>,
    secret_paths: &BTreeSet<String>,
) -> Vec<SpecDiagnostic> {
    diags
        .into_iter()
        .filter(|d| d.secret || !secret_paths.contains(&d.path))
        .collect()
}

/// Every string in the spec ends up in the chart (values.yaml, manifests, Chart.yaml, README): a secret anywhere
/// is a leak. The one exception is `secretGroups.*.keys`, a list of names (a value there is reported by
/// [`check_secret_values`]). The message names the key path and the kind of secret, never the value.
fn check_free_text_secrets(doc: &Node, secret_paths: &mut BTreeSet<String>) -> Vec<SpecDiagnostic> {
    fn walk(
        node: &Node,
        name: &str,
        path: &mut Vec<String>,
        secret_paths: &mut BTreeSet<String>,
        out: &mut Vec<SpecDiagnostic>,
    ) {
        match &node.value {
            Value::Map(entries) => {
                for (key, child) in entries {
                    if path.len() == 2 && path[0] == "secretGroups" && key.name == "keys" {
                        continue;
                    }
                    path.push(key.name.clone());
                    if let Some(why) = secrets::unmistakable(&key.name) {
                        // The key itself is the secret: name the mapping that holds it.
                        let at = path[..path.len() - 1].join(".");
                        out.push(
                            SpecDiagnostic::new(
                                at,
                                format!("a key here looks like a secret ({why}); it would be written into the chart"),
                            )
                            .at(key.pos)
                            .help("remove it; supply secrets at install time through a `secretGroups` key")
                            .secret(),
                        );
                    }
                    walk(child, &key.name, path, secret_paths, out);
                    path.pop();
                }
            }
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(i.to_string());
                    walk(item, name, path, secret_paths, out);
                    path.pop();
                }
            }
            Value::String(text) => {
                let assignment = text
                    .split_once('=')
                    .and_then(|(k, v)| secrets::classify(k.trim_start_matches('-'), v));
                // A field that names another part of the spec (a group, a component) says nothing about its value.
                let name = if NAME_REFERENCE_KEYS.contains(&name) {
                    ""
                } else {
                    name
                };
                let Some(why) = secrets::classify(name, text)
                    .or_else(|| secrets::unmistakable(text))
                    .or(assignment)
                else {
                    return;
                };
                let at = path.join(".");
                let config = path.first().is_some_and(|p| p == "config")
                    || (path.len() >= 3 && path[0] == "components" && path[2] == "config");
                let (message, help) = if config {
                    (
                        format!(
                            "`{name}` looks like a secret ({why}); config is stored in plain text"
                        ),
                        "move the key to a `secretGroups` entry and supply its value at install time",
                    )
                } else {
                    (
                        format!(
                            "this looks like a secret ({why}); the spec's text is written into the chart in plain text"
                        ),
                        "remove it from the spec; a container gets secrets as env vars from a `secretGroups` \
                         key, supplied at install time",
                    )
                };
                secret_paths.insert(at.clone());
                out.push(
                    SpecDiagnostic::new(at, message)
                        .at(node.pos)
                        .help(help)
                        .secret(),
                );
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(doc, "", &mut Vec::new(), secret_paths, &mut out);
    out
}

struct Ctx<'a> {
    doc: &'a Node,
    diags: Vec<SpecDiagnostic>,
}

fn split(path: &str) -> Vec<&str> {
    if path.is_empty() {
        Vec::new()
    } else {
        path.split('.').collect()
    }
}

impl Ctx<'_> {
    fn error(&mut self, path: &str, message: impl Into<String>) -> &mut SpecDiagnostic {
        let pos = self.doc.locate(&split(path));
        self.diags.push(SpecDiagnostic::new(path, message).at(pos));
        let last = self.diags.len() - 1;
        &mut self.diags[last]
    }

    fn error_help(&mut self, path: &str, message: impl Into<String>, help: impl Into<String>) {
        let d = self.error(path, message);
        d.help = Some(help.into());
    }

    fn check(&mut self, spec: ChartSpec) -> CheckedSpec {
        let meta = &spec.metadata;
        self.dns_label("metadata.name", &meta.name, 53);
        if !is_semver(&meta.version) {
            self.error_help(
                "metadata.version",
                "not a semantic version",
                "Helm needs MAJOR.MINOR.PATCH with an optional `-prerelease` and `+build` of letters, digits, \
                 `-` and `.`, e.g. `0.1.0` or `1.2.3-rc.1`",
            );
        }
        if !is_semver_constraint(&meta.kube_version) {
            self.error_help(
                "metadata.kubeVersion",
                "not a semantic version constraint",
                "write a constraint such as `>=1.25.0-0` or `>=1.25.0-0 <1.32.0-0` (operators = != > < >= <= ~ ^, \
                 `,` or space for AND, `||` for OR)",
            );
        }
        if meta.app_version.trim().is_empty() || meta.app_version == "latest" {
            self.error_help(
                "metadata.appVersion",
                format!("`{}` is not a usable appVersion", meta.app_version),
                "image tags default to appVersion, so give a real version such as `1.0.0`",
            );
        }
        if meta.description.trim().is_empty() {
            self.error("metadata.description", "the description is empty");
        }
        if let Some(ns) = &spec.namespace {
            self.dns_label("namespace.name", &ns.name, 63);
        }
        if spec.components.is_empty() {
            self.error("components", "a chart needs at least one component");
        }
        for key in spec.config.keys() {
            self.env_name(&format!("config.{key}"), key);
        }
        let uid = spec.security.as_ref().map_or(1000, |s| s.run_as_user);
        let gid = spec.security.as_ref().map_or(1000, |s| s.run_as_group);
        if uid <= 0 {
            self.error_help(
                "security.runAsUser",
                format!("{uid} runs as root"),
                "use a UID above 0, e.g. 1000",
            );
        }
        if gid <= 0 {
            self.error_help(
                "security.runAsGroup",
                format!("{gid} is the root group"),
                "use a GID above 0, e.g. 1000",
            );
        }

        let groups = self.check_secret_groups(&spec.secret_groups);
        let mut components = Vec::new();
        let mut seen_ports: BTreeMap<i64, String> = BTreeMap::new();
        let mut seen_values_keys: BTreeMap<String, String> = BTreeMap::new();
        for (name, c) in &spec.components {
            let base = format!("components.{name}");
            if self.dns_label(&base, name, 40) {
                let values_key = camel_case(name);
                if RESERVED_VALUES_KEYS.contains(&values_key.as_str()) {
                    self.error_help(
                        &base,
                        format!("`{name}` is a name the chart's values.yaml uses itself"),
                        format!(
                            "rename the component; reserved: {}",
                            RESERVED_VALUES_KEYS.join(", ")
                        ),
                    );
                }
                if let Some(other) = seen_values_keys.insert(values_key.clone(), name.clone()) {
                    self.error(
                        &base,
                        format!("`{name}` and `{other}` both become the values key `{values_key}`"),
                    );
                }
            }
            if let Some(other) = (1..=65535)
                .contains(&c.port)
                .then(|| seen_ports.insert(c.port, name.clone()))
                .flatten()
            {
                self.error_help(
                    &format!("{base}.port"),
                    format!("port {} is already used by component `{other}`", c.port),
                    "give each component its own port",
                );
            }
            components.push(self.check_component(&spec, name, c, &groups));
        }
        self.check_fixed_names(&components, &groups);
        let ingress = spec
            .ingress
            .as_ref()
            .map(|i| self.check_ingress(i, &spec.components));
        for comp in &mut components {
            comp.ingress_paths = ingress
                .iter()
                .flat_map(|i| &i.routes)
                .filter(|r| r.component == comp.name)
                .map(|r| r.path.clone())
                .collect();
        }
        // Flows are declared by the caller; the callee's NetworkPolicy needs them too.
        let callers: Vec<(String, String)> = components
            .iter()
            .flat_map(|c| c.connects_to.iter().map(|t| (t.clone(), c.name.clone())))
            .collect();
        for comp in &mut components {
            comp.connected_from = callers
                .iter()
                .filter(|(to, _)| *to == comp.name)
                .map(|(_, from)| from.clone())
                .collect();
        }
        let database = spec.database.as_ref().map(|d| self.check_database(d));
        let uses_database = components.iter().any(|c| c.database);
        let database = match (database, uses_database) {
            (Some(d), _) => Some(d),
            (None, true) => Some(CheckedDatabase {
                engine: "PostgreSQL".into(),
                port: 5432,
                cidr: "0.0.0.0/0".into(),
                pool: None,
            }),
            (None, false) => None,
        };
        let jobs: Vec<CheckedJob> = spec
            .jobs
            .iter()
            .map(|(name, job)| self.check_job(name, job, &components))
            .collect();
        self.check_generated_names(&meta.name, &spec, &components, &jobs, &groups);
        let values_files = spec
            .values_files
            .iter()
            .map(|(name, file)| {
                self.dns_label(&format!("valuesFiles.{name}"), name, 40);
                CheckedValuesFile {
                    name: name.clone(),
                    description: file.description.clone(),
                    values: serde_json::Value::Object(file.values.clone()),
                }
            })
            .collect();
        let ai_ops = spec.ai_ops.as_ref().map_or(
            CheckedAiOps {
                enabled: true,
                kagent: false,
            },
            |a| CheckedAiOps {
                enabled: a.enabled,
                kagent: a.kagent,
            },
        );
        let mut secret_keys: Vec<String> =
            groups.iter().flat_map(|g| g.keys.iter().cloned()).collect();
        secret_keys.sort();
        secret_keys.dedup();
        CheckedSpec {
            name: meta.name.clone(),
            description: meta.description.clone(),
            version: meta.version.clone(),
            app_version: meta.app_version.clone(),
            kube_version: meta.kube_version.clone(),
            home: meta.home.clone(),
            namespace: spec.namespace.as_ref().map(|n| CheckedNamespace {
                name: n.name.clone(),
                create: n.create,
            }),
            config: spec.config.clone(),
            components,
            secret_groups: groups,
            secret_keys,
            ingress,
            database,
            jobs,
            values_files,
            ai_ops,
            run_as_user: uid,
            run_as_group: gid,
        }
    }

    fn check_secret_groups(
        &mut self,
        groups: &BTreeMap<String, SecretGroup>,
    ) -> Vec<CheckedSecretGroup> {
        let mut out = Vec::new();
        for (name, group) in groups {
            let base = format!("secretGroups.{name}");
            self.dns_label(&base, name, 40);
            if let Some(fixed) = &group.name {
                self.dns_subdomain(&format!("{base}.name"), fixed);
            }
            if group.keys.is_empty() {
                self.error(
                    &format!("{base}.keys"),
                    "a secret group needs at least one key",
                );
            }
            let mut seen = BTreeSet::new();
            for (i, key) in group.keys.iter().enumerate() {
                let path = format!("{base}.keys.{i}");
                self.env_name(&path, key);
                if !seen.insert(key.clone()) {
                    self.error(&path, format!("`{key}` is listed twice in this group"));
                }
            }
            out.push(CheckedSecretGroup {
                name: name.clone(),
                fixed_name: group.name.clone(),
                keys: group.keys.clone(),
            });
        }
        out
    }

    fn check_component(
        &mut self,
        spec: &ChartSpec,
        name: &str,
        c: &Component,
        groups: &[CheckedSecretGroup],
    ) -> CheckedComponent {
        let base = format!("components.{name}");
        self.port(&format!("{base}.port"), c.port);
        if c.replicas < 0 {
            self.error(
                &format!("{base}.replicas"),
                format!("{} replicas is negative", c.replicas),
            );
        }
        let image = &c.image;
        if image.repository.trim().is_empty() {
            self.error(
                &format!("{base}.image.repository"),
                "the image repository is empty",
            );
        } else if image.repository.contains('@')
            || image
                .repository
                .rsplit('/')
                .next()
                .is_some_and(|last| last.contains(':'))
        {
            self.error_help(
                &format!("{base}.image.repository"),
                format!("`{}` includes a tag or digest", image.repository),
                "put the tag in `image.tag` and keep only the repository here",
            );
        }
        if let Some(tag) = &image.tag
            && (tag == "latest" || tag.trim().is_empty())
        {
            self.error_help(
                &format!("{base}.image.tag"),
                format!("the tag `{tag}` is mutable"),
                "pin a version (e.g. `1.0.0`), or leave the tag out to use the chart's appVersion",
            );
        }
        let probes = self.check_probes(&base, &c.probes);
        let resources = self.check_resources(&format!("{base}.resources"), &c.resources);
        let mut env_seen: BTreeMap<String, String> = spec
            .config
            .keys()
            .map(|k| (k.clone(), "the shared `config`".to_string()))
            .collect();
        for key in c.config.keys() {
            let path = format!("{base}.config.{key}");
            self.env_name(&path, key);
            if let Some(source) = env_seen.insert(key.clone(), format!("`{base}.config`")) {
                self.error(&path, format!("env var `{key}` is also set by {source}"));
            }
        }
        if let Some(fixed) = &c.config_map_name {
            self.dns_subdomain(&format!("{base}.configMapName"), fixed);
        }
        let mut secret_refs = Vec::new();
        for (i, group_name) in c.secret_groups.iter().enumerate() {
            let path = format!("{base}.secretGroups.{i}");
            match groups.iter().find(|g| &g.name == group_name) {
                None => {
                    let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
                    let hint = match did_you_mean(group_name, names.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None if names.is_empty() => "declare it under `secretGroups`".to_string(),
                        None => format!("declared groups: {}", names.join(", ")),
                    };
                    self.error_help(&path, format!("no secret group named `{group_name}`"), hint);
                }
                Some(group) => {
                    for key in &group.keys {
                        if let Some(source) =
                            env_seen.insert(key.clone(), format!("secret group `{group_name}`"))
                        {
                            self.error(&path, format!("env var `{key}` is also set by {source}"));
                        } else {
                            secret_refs.push(SecretRef {
                                group: group.name.clone(),
                                key: key.clone(),
                            });
                        }
                    }
                }
            }
        }
        if c.database && spec.database.as_ref().is_some_and(|d| d.pool.is_some()) {
            for key in DB_POOL_ENV {
                if let Some(source) =
                    env_seen.insert(key.to_string(), "the database pool settings".into())
                {
                    self.error(
                        &base,
                        format!("env var `{key}` is set by {source} and by the database pool"),
                    );
                }
            }
        }
        let service_type = c.service.kind.unwrap_or(ServiceType::ClusterIP);
        let service_port = c.service.port.unwrap_or(c.port);
        if c.service.port.is_some() {
            self.port(&format!("{base}.service.port"), service_port);
        }
        if let Some(fixed) = &c.service.name {
            self.dns_label(&format!("{base}.service.name"), fixed, 63);
        }
        if let Some(node_port) = c.service.node_port {
            if service_type == ServiceType::ClusterIP {
                self.error_help(
                    &format!("{base}.service.nodePort"),
                    "a ClusterIP Service has no node port",
                    "set `service.type: NodePort` (or LoadBalancer), or remove `nodePort`",
                );
            } else if !(30000..=32767).contains(&node_port) {
                self.error_help(
                    &format!("{base}.service.nodePort"),
                    format!("node port {node_port} is outside the default range"),
                    "Kubernetes allocates node ports from 30000 to 32767",
                );
            }
        }
        let autoscaling = c.autoscaling.as_ref().map(|a| {
            let path = format!("{base}.autoscaling");
            if a.min_replicas < 1 {
                self.error(
                    &format!("{path}.minReplicas"),
                    format!("minReplicas {} must be at least 1", a.min_replicas),
                );
            }
            if a.max_replicas < a.min_replicas.max(1) {
                self.error(
                    &format!("{path}.maxReplicas"),
                    format!(
                        "maxReplicas {} is below minReplicas {}",
                        a.max_replicas, a.min_replicas
                    ),
                );
            }
            if !(1..=100).contains(&a.target_cpu_utilization_percentage) {
                self.error(
                    &format!("{path}.targetCpuUtilizationPercentage"),
                    format!(
                        "{} is not a percentage from 1 to 100",
                        a.target_cpu_utilization_percentage
                    ),
                );
            }
            CheckedAutoscaling {
                enabled: a.enabled,
                min_replicas: a.min_replicas,
                max_replicas: a.max_replicas,
                target_cpu: a.target_cpu_utilization_percentage,
            }
        });
        for (i, target) in c.connects_to.iter().enumerate() {
            let path = format!("{base}.connectsTo.{i}");
            if target == name {
                self.error(&path, "a component does not need a flow to itself");
            } else if !spec.components.contains_key(target) {
                self.unknown_component(&path, target, spec.components.keys());
            }
        }
        for (i, port) in c.external_egress_ports.iter().enumerate() {
            self.port(&format!("{base}.externalEgressPorts.{i}"), *port);
        }
        for (key, value) in &c.labels {
            let path = format!("{base}.labels.{key}");
            if key.starts_with("app.kubernetes.io/") || key.starts_with("helm.sh/") {
                self.error_help(
                    &path,
                    format!("`{key}` is set by the chart"),
                    "choose a label outside app.kubernetes.io/ and helm.sh/",
                );
            } else if !is_label_key(key) {
                self.error(&path, format!("`{key}` is not a valid label key"));
            }
            if !is_label_value(value) {
                self.error_help(
                    &path,
                    format!("`{value}` is not a valid label value"),
                    "at most 63 characters: letters, digits, `-`, `_` and `.`, starting and ending alphanumeric",
                );
            }
        }
        if c.termination_grace_period_seconds < 10 {
            self.error_help(
                &format!("{base}.terminationGracePeriodSeconds"),
                format!(
                    "{} seconds is too short for a graceful shutdown",
                    c.termination_grace_period_seconds
                ),
                "use at least 10",
            );
        }
        CheckedComponent {
            name: name.to_string(),
            values_key: camel_case(name),
            description: c
                .description
                .clone()
                .unwrap_or_else(|| format!("The {name} component")),
            image_repository: image.repository.clone(),
            image_tag: image.tag.clone(),
            pull_policy: image
                .pull_policy
                .unwrap_or(PullPolicy::IfNotPresent)
                .as_str()
                .to_string(),
            port: c.port,
            replicas: c.replicas,
            probes,
            resources,
            config: c.config.clone(),
            config_map_name: c.config_map_name.clone(),
            secret_refs,
            service_type: service_type.as_str().to_string(),
            service_name: c.service.name.clone(),
            service_port,
            node_port: c.service.node_port,
            autoscaling,
            connects_to: c.connects_to.clone(),
            connected_from: Vec::new(),
            ingress_paths: Vec::new(),
            database: c.database,
            external_egress_ports: c.external_egress_ports.clone(),
            labels: c.labels.clone(),
            command: c.command.clone(),
            args: c.args.clone(),
            termination_grace_period_seconds: c.termination_grace_period_seconds,
        }
    }

    fn check_probes(&mut self, base: &str, probes: &Probes) -> Vec<CheckedProbe> {
        let mut out = Vec::new();
        for (kind, probe) in [
            ("liveness", &probes.liveness),
            ("readiness", &probes.readiness),
            ("startup", &probes.startup),
        ] {
            let Some(p) = probe else { continue };
            let path = format!("{base}.probes.{kind}");
            if !p.path.starts_with('/') {
                self.error_help(
                    &format!("{path}.path"),
                    format!("probe path `{}` does not start with `/`", p.path),
                    format!("write it as `/{}`", p.path.trim_start_matches('/')),
                );
            }
            self.url_path(&format!("{path}.path"), &p.path, true);
            let defaults = ProbeDefaults::for_kind(kind);
            let mut field = |name: &str, value: Option<i64>, default: i64, min: i64| {
                let v = value.unwrap_or(default);
                if v < min {
                    self.error(
                        &format!("{path}.{name}"),
                        format!("{name} {v} must be at least {min}"),
                    );
                }
                v
            };
            out.push(CheckedProbe {
                kind: kind.to_string(),
                path: p.path.clone(),
                initial_delay_seconds: field(
                    "initialDelaySeconds",
                    p.initial_delay_seconds,
                    defaults.initial_delay,
                    0,
                ),
                period_seconds: field("periodSeconds", p.period_seconds, defaults.period, 1),
                timeout_seconds: field("timeoutSeconds", p.timeout_seconds, defaults.timeout, 1),
                failure_threshold: field(
                    "failureThreshold",
                    p.failure_threshold,
                    defaults.failure_threshold,
                    1,
                ),
            });
        }
        out
    }

    fn check_resources(&mut self, base: &str, r: &Resources) -> CheckedResources {
        let mut parse = |path: String, text: &str, what: &str| -> Option<Quantity> {
            match Quantity::parse(text) {
                Some(q) => Some(q),
                None => {
                    let example = if what == "cpu" {
                        "`100m`, `0.5` or `1`"
                    } else {
                        "`128Mi`, `1Gi` or `500M`"
                    };
                    let d = self.error(
                        &path,
                        format!("`{text}` is not a Kubernetes {what} quantity"),
                    );
                    d.help = Some(format!("write it like {example}"));
                    None
                }
            }
        };
        let req_cpu = parse(format!("{base}.requests.cpu"), &r.requests.cpu, "cpu");
        let req_mem = parse(
            format!("{base}.requests.memory"),
            &r.requests.memory,
            "memory",
        );
        let lim_cpu = parse(format!("{base}.limits.cpu"), &r.limits.cpu, "cpu");
        let lim_mem = parse(format!("{base}.limits.memory"), &r.limits.memory, "memory");
        for (what, req, lim) in [("cpu", req_cpu, lim_cpu), ("memory", req_mem, lim_mem)] {
            if let (Some(req), Some(lim)) = (req, lim)
                && req.value() > lim.value()
            {
                self.error_help(
                    &format!("{base}.requests.{what}"),
                    format!(
                        "the {what} request `{}` is above the limit `{}`",
                        req.text(),
                        lim.text()
                    ),
                    format!("raise `limits.{what}` or lower `requests.{what}`"),
                );
            }
        }
        CheckedResources {
            requests_cpu: r.requests.cpu.clone(),
            requests_memory: r.requests.memory.clone(),
            limits_cpu: r.limits.cpu.clone(),
            limits_memory: r.limits.memory.clone(),
        }
    }

    fn check_fixed_names(
        &mut self,
        components: &[CheckedComponent],
        groups: &[CheckedSecretGroup],
    ) {
        let mut services: BTreeMap<&str, &str> = BTreeMap::new();
        let mut config_maps: BTreeMap<&str, &str> = BTreeMap::new();
        let mut node_ports: BTreeMap<i64, &str> = BTreeMap::new();
        for c in components {
            if let Some(fixed) = &c.service_name
                && let Some(other) = services.insert(fixed, &c.name)
            {
                self.error(
                    &format!("components.{}.service.name", c.name),
                    format!("Service name `{fixed}` is also used by component `{other}`"),
                );
            }
            if let Some(fixed) = &c.config_map_name
                && let Some(other) = config_maps.insert(fixed, &c.name)
            {
                self.error(
                    &format!("components.{}.configMapName", c.name),
                    format!("ConfigMap name `{fixed}` is also used by component `{other}`"),
                );
            }
            if let Some(port) = c.node_port
                && let Some(other) = node_ports.insert(port, &c.name)
            {
                self.error(
                    &format!("components.{}.service.nodePort", c.name),
                    format!("node port {port} is also used by component `{other}`"),
                );
            }
        }
        let mut secrets: BTreeMap<&str, &str> = BTreeMap::new();
        for g in groups {
            if let Some(fixed) = &g.fixed_name
                && let Some(other) = secrets.insert(fixed, &g.name)
            {
                self.error(
                    &format!("secretGroups.{}.name", g.name),
                    format!("Secret name `{fixed}` is also used by group `{other}`"),
                );
            }
        }
    }

    /// One registry of everything the chart generates from spec names: top-level values keys, secret keys,
    /// template files and the Kubernetes names (per kind) after the `<release>-<chart>` prefix. A second claim on
    /// the same entry is an error naming both sources.
    fn check_generated_names(
        &mut self,
        chart: &str,
        spec: &ChartSpec,
        components: &[CheckedComponent],
        jobs: &[CheckedJob],
        groups: &[CheckedSecretGroup],
    ) {
        type Claims = BTreeMap<(&'static str, String), String>;
        let mut claims = Claims::new();
        fn claim(
            ctx: &mut Ctx<'_>,
            claims: &mut Claims,
            kind: &'static str,
            name: String,
            source: String,
            at: &str,
        ) {
            match claims.get(&(kind, name.clone())) {
                Some(other) if *other != source => {
                    let help = if other.starts_with('`') {
                        "rename one of them".to_string()
                    } else if other.starts_with("the chart's own") {
                        "the chart uses this name itself; rename this one".to_string()
                    } else {
                        format!("{other} is fixed; rename this one")
                    };
                    let shown = name.trim_start_matches('=');
                    ctx.error_help(
                        at,
                        format!("{source} and {other} both make the {kind} `{shown}`"),
                        help,
                    );
                }
                Some(_) => {}
                None => {
                    claims.insert((kind, name), source);
                }
            }
        }
        let chart_own = |what: &str| format!("the chart's own {what}");
        // Reserved values keys; a component named like one is reported where components are checked.
        for key in RESERVED_VALUES_KEYS {
            claim(
                self,
                &mut claims,
                "values key",
                key.to_string(),
                chart_own("settings"),
                "",
            );
        }
        for c in components {
            if !RESERVED_VALUES_KEYS.contains(&c.values_key.as_str()) {
                claims
                    .entry(("values key", c.values_key.clone()))
                    .or_insert_with(|| format!("`components.{}`", c.name));
            }
        }
        for j in jobs {
            let at = format!("jobs.{}", j.name);
            claim(
                self,
                &mut claims,
                "values key",
                j.values_key.clone(),
                format!("`{at}`"),
                &at,
            );
        }
        // Secret keys share `secrets.*` with the chart's own `existingSecret`.
        claim(
            self,
            &mut claims,
            "secret key",
            "existingSecret".into(),
            chart_own("`secrets.existingSecret`"),
            "",
        );
        for g in groups {
            for (i, key) in g.keys.iter().enumerate() {
                let at = format!("secretGroups.{}.keys.{i}", g.name);
                if key == "existingSecret" {
                    claim(
                        self,
                        &mut claims,
                        "secret key",
                        key.clone(),
                        format!("`{at}`"),
                        &at,
                    );
                }
            }
        }
        // Files under templates/jobs/: each job writes `<job>.yaml`, `<job>-networkpolicy.yaml`, maybe
        // `<job>-secret.yaml`.
        for j in jobs {
            let at = format!("jobs.{}", j.name);
            for file in crate::render::job_files(&j.name) {
                claim(self, &mut claims, "file", file, format!("`{at}`"), &at);
            }
        }
        // Kubernetes names, as the suffix after `<release>-<chart>-` (truncation keeps distinct names distinct).
        let fixed = |what: &str, path: String| format!("the fixed {what} at `{path}`");
        claim(
            self,
            &mut claims,
            "NetworkPolicy name",
            "default-deny".into(),
            chart_own("default-deny NetworkPolicy"),
            "",
        );
        claim(
            self,
            &mut claims,
            "NetworkPolicy name",
            "test".into(),
            chart_own("test NetworkPolicy"),
            "",
        );
        claim(
            self,
            &mut claims,
            "ServiceAccount name",
            "ai-ops".into(),
            chart_own("AI operations ServiceAccount"),
            "",
        );
        claim(
            self,
            &mut claims,
            "Pod name",
            "test-connection".into(),
            chart_own("test Pod"),
            "",
        );
        if !spec.config.is_empty() {
            claim(
                self,
                &mut claims,
                "ConfigMap name",
                "config".into(),
                chart_own("shared ConfigMap"),
                "",
            );
        }
        for c in components {
            let at = format!("components.{}", c.name);
            let src = format!("`{at}`");
            claim(
                self,
                &mut claims,
                "NetworkPolicy name",
                c.name.clone(),
                src.clone(),
                &at,
            );
            match &c.service_name {
                Some(name) => {
                    let p = format!("{at}.service.name");
                    claim(
                        self,
                        &mut claims,
                        "Service name",
                        format!("={name}"),
                        fixed("Service name", p.clone()),
                        &p,
                    );
                }
                None => claim(
                    self,
                    &mut claims,
                    "Service name",
                    c.name.clone(),
                    src.clone(),
                    &at,
                ),
            }
            match &c.config_map_name {
                Some(name) => {
                    let p = format!("{at}.configMapName");
                    claim(
                        self,
                        &mut claims,
                        "ConfigMap name",
                        format!("={name}"),
                        fixed("ConfigMap name", p.clone()),
                        &p,
                    );
                }
                None => claim(
                    self,
                    &mut claims,
                    "ConfigMap name",
                    format!("{}-config", c.name),
                    src,
                    &at,
                ),
            }
        }
        for g in groups {
            let at = format!("secretGroups.{}", g.name);
            match &g.fixed_name {
                Some(name) => {
                    let p = format!("{at}.name");
                    claim(
                        self,
                        &mut claims,
                        "Secret name",
                        format!("={name}"),
                        fixed("Secret name", p.clone()),
                        &p,
                    );
                }
                None => claim(
                    self,
                    &mut claims,
                    "Secret name",
                    g.name.clone(),
                    format!("`{at}`"),
                    &at,
                ),
            }
        }
        for j in jobs {
            let at = format!("jobs.{}", j.name);
            let src = format!("`{at}`");
            claim(
                self,
                &mut claims,
                "NetworkPolicy name",
                j.name.clone(),
                src.clone(),
                &at,
            );
            claim(
                self,
                &mut claims,
                "Secret name",
                format!("{}-env", j.name),
                src,
                &at,
            );
        }
        // A fixed name equal to a generated one under the release name the README installs with (`<chart>`).
        let generated: Vec<((&'static str, String), String)> = claims
            .iter()
            .filter(|((_, n), _)| !n.starts_with('='))
            .map(|((k, n), src)| ((*k, format!("={chart}-{n}")), src.clone()))
            .collect();
        for ((kind, name), src) in generated {
            if let Some(other) = claims.get(&(kind, name.clone())) {
                let shown = &name[1..];
                let path = other.split('`').nth(1).unwrap_or_default().to_string();
                self.error_help(
                    &path,
                    format!("{other} is `{shown}`, the {kind} that {src} gets with the release name `{chart}`"),
                    "choose a fixed name the chart does not generate",
                );
            }
        }
    }

    fn check_ingress(
        &mut self,
        ingress: &IngressSpec,
        components: &BTreeMap<String, Component>,
    ) -> CheckedIngress {
        if !is_dns_subdomain(&ingress.host) {
            self.error_help(
                "ingress.host",
                format!("`{}` is not a valid host name", ingress.host),
                "use lower-case DNS labels separated by dots, e.g. `todo.local`",
            );
        }
        self.dns_subdomain("ingress.className", &ingress.class_name);
        self.dns_label(
            "ingress.controllerNamespace",
            &ingress.controller_namespace,
            63,
        );
        if ingress.routes.is_empty() {
            self.error("ingress.routes", "an ingress needs at least one route");
        }
        let mut seen = BTreeSet::new();
        let mut routes = Vec::new();
        for (i, route) in ingress.routes.iter().enumerate() {
            let path = format!("ingress.routes.{i}");
            if !route.path.starts_with('/') {
                self.error_help(
                    &format!("{path}.path"),
                    format!("route path `{}` does not start with `/`", route.path),
                    format!("write it as `/{}`", route.path.trim_start_matches('/')),
                );
            }
            self.url_path(&format!("{path}.path"), &route.path, false);
            if !seen.insert(route.path.clone()) {
                self.error(
                    &format!("{path}.path"),
                    format!("the path `{}` is routed twice", route.path),
                );
            }
            if !components.contains_key(&route.component) {
                self.unknown_component(
                    &format!("{path}.component"),
                    &route.component,
                    components.keys(),
                );
            }
            routes.push(CheckedRoute {
                path: route.path.clone(),
                component: route.component.clone(),
            });
        }
        CheckedIngress {
            host: ingress.host.clone(),
            class_name: ingress.class_name.clone(),
            controller_namespace: ingress.controller_namespace.clone(),
            routes,
        }
    }

    fn check_database(&mut self, db: &DatabaseSpec) -> CheckedDatabase {
        self.port("database.port", db.port);
        if !is_cidr(&db.cidr) {
            self.error_help(
                "database.cidr",
                format!("`{}` is not a CIDR", db.cidr),
                "write an IPv4 or IPv6 block such as `0.0.0.0/0` or `10.0.0.0/8`",
            );
        }
        let pool = db.pool.as_ref().map(|p| {
            for (name, value, min) in [
                ("size", p.size, 1),
                ("retryAttempts", p.retry_attempts, 0),
                ("retryDelaySeconds", p.retry_delay_seconds, 0),
            ] {
                if value < min {
                    self.error(
                        &format!("database.pool.{name}"),
                        format!("{name} {value} must be at least {min}"),
                    );
                }
            }
            CheckedPool {
                size: p.size,
                retry_attempts: p.retry_attempts,
                retry_delay_seconds: p.retry_delay_seconds,
            }
        });
        CheckedDatabase {
            engine: db.engine.clone(),
            port: db.port,
            cidr: db.cidr.clone(),
            pool,
        }
    }

    fn check_job(
        &mut self,
        name: &str,
        job: &HookJob,
        components: &[CheckedComponent],
    ) -> CheckedJob {
        let base = format!("jobs.{name}");
        self.dns_label(&base, name, 40);
        if !components.iter().any(|c| c.name == job.component) {
            self.unknown_component(
                &format!("{base}.component"),
                &job.component,
                components.iter().map(|c| &c.name),
            );
        }
        if job.command.is_empty() {
            self.error(&format!("{base}.command"), "the command is empty");
        }
        if job.hooks.is_empty() {
            self.error(
                &format!("{base}.hooks"),
                "a hook Job needs at least one hook event",
            );
        }
        let mut hooks = job.hooks.clone();
        hooks.sort();
        hooks.dedup();
        if hooks.len() != job.hooks.len() {
            self.error(&format!("{base}.hooks"), "a hook event is listed twice");
        }
        if job.backoff_limit < 0 {
            self.error(&format!("{base}.backoffLimit"), "backoffLimit is negative");
        }
        if job.active_deadline_seconds < 1 {
            self.error(
                &format!("{base}.activeDeadlineSeconds"),
                "activeDeadlineSeconds must be at least 1",
            );
        }
        CheckedJob {
            name: name.to_string(),
            values_key: camel_case(name),
            component: job.component.clone(),
            command: job.command.clone(),
            hooks: job.hooks.iter().map(|h| h.as_str().to_string()).collect(),
            backoff_limit: job.backoff_limit,
            active_deadline_seconds: job.active_deadline_seconds,
        }
    }

    fn unknown_component<'n>(
        &mut self,
        path: &str,
        name: &str,
        known: impl Iterator<Item = &'n String>,
    ) {
        let known: Vec<&str> = known.map(String::as_str).collect();
        let help = match did_you_mean(name, known.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("components: {}", known.join(", ")),
        };
        self.error_help(path, format!("no component named `{name}`"), help);
    }

    /// An HTTP path is written into manifests and the test Pod's shell command: only the characters of a URL
    /// path (RFC 3986, without `$`), and a query only where one makes sense (a probe).
    fn url_path(&mut self, path: &str, value: &str, query: bool) {
        let bad = value.chars().find(|&c| {
            !(c.is_ascii_alphanumeric() || "-._~/%!&'()*+,;=:@".contains(c) || (query && c == '?'))
        });
        if let Some(c) = bad {
            let shown = if c.is_ascii_graphic() {
                format!("`{c}`")
            } else {
                format!("U+{:04X}", u32::from(c))
            };
            self.error_help(
                path,
                format!("the path contains {shown}, which a URL path cannot hold"),
                "use letters, digits and - . _ ~ / % ! & ' ( ) * + , ; = : @; percent-encode anything else (`%7B` for `{`)",
            );
        }
    }

    fn port(&mut self, path: &str, port: i64) {
        if !(1..=65535).contains(&port) {
            self.error_help(
                path,
                format!("{port} is not a port number"),
                "use a port from 1 to 65535",
            );
        }
    }

    /// Returns whether the name is valid.
    fn dns_label(&mut self, path: &str, name: &str, max: usize) -> bool {
        if is_dns_label(name) && name.len() <= max {
            return true;
        }
        let suggestion = to_dns_label(name);
        let help = if suggestion.is_empty() || suggestion == name {
            format!("use at most {max} lower-case letters, digits and `-`, starting with a letter")
        } else {
            format!(
                "use at most {max} lower-case letters, digits and `-`, starting with a letter, e.g. `{suggestion}`"
            )
        };
        let d = self.error(path, format!("`{name}` is not a valid DNS-1123 label"));
        d.help = Some(help);
        false
    }

    fn dns_subdomain(&mut self, path: &str, name: &str) {
        if !is_dns_subdomain(name) {
            self.error_help(
                path,
                format!("`{name}` is not a valid Kubernetes name"),
                "use lower-case letters, digits, `-` and `.` (at most 253 characters)",
            );
        }
    }

    fn env_name(&mut self, path: &str, name: &str) {
        if !is_env_name(name) {
            let d = self.error(
                path,
                format!("`{name}` is not a valid environment variable name"),
            );
            d.help = Some(
                "use letters, digits and `_`, not starting with a digit (e.g. `LOG_LEVEL`)".into(),
            );
        }
    }
}

pub const DB_POOL_ENV: [&str; 3] = [
    "DB_POOL_SIZE",
    "DB_RETRY_ATTEMPTS",
    "DB_RETRY_DELAY_SECONDS",
];

struct ProbeDefaults {
    initial_delay: i64,
    period: i64,
    timeout: i64,
    failure_threshold: i64,
}

impl ProbeDefaults {
    fn for_kind(kind: &str) -> Self {
        match kind {
            // 30 × 2 s: a minute to start before liveness takes over.
            "startup" => ProbeDefaults {
                initial_delay: 0,
                period: 2,
                timeout: 3,
                failure_threshold: 30,
            },
            "readiness" => ProbeDefaults {
                initial_delay: 5,
                period: 5,
                timeout: 3,
                failure_threshold: 3,
            },
            _ => ProbeDefaults {
                initial_delay: 10,
                period: 10,
                timeout: 3,
                failure_threshold: 3,
            },
        }
    }
}

/// A spec holds secret key names; a `KEY: value` map in `secretGroups.*.keys` is a leak waiting to be committed.
fn check_secret_values(doc: &Node) -> Vec<SpecDiagnostic> {
    let mut diags = Vec::new();
    let Some(groups) = doc.get("secretGroups") else {
        return diags;
    };
    for (group, node) in groups.entries() {
        let Some(keys) = node.get("keys") else {
            continue;
        };
        for (key, value) in keys.entries() {
            if value.value != Value::Null {
                diags.push(
                    SpecDiagnostic::new(
                        format!("secretGroups.{}.keys.{}", group.name, key.name),
                        "a secret value in the spec: specs hold secret key names, never values",
                    )
                    .at(value.pos)
                    .help(format!(
                        "list the name only (`keys: [{}]`) and supply the value at install time with \
                         `--set secrets.{}=…` or `-f values-local.yaml`",
                        key.name, key.name
                    )),
                );
            }
        }
    }
    diags
}

fn structural_errors(doc: &Node, json: &serde_json::Value) -> Vec<SpecDiagnostic> {
    let Some(validator) = spec_validator() else {
        return vec![SpecDiagnostic::new(
            "",
            "internal error: the spec schema does not compile",
        )];
    };
    schema_errors(doc, json, validator, spec_schema(), |path, value| {
        // A map of secret values was already reported, in words that say why.
        path.starts_with("secretGroups.")
            && path.ends_with(".keys")
            && value.is_some_and(|v| v.is_object())
    })
}

/// Every schema violation of a document, in words, at the line and column of the offending key or value.
/// `skip` drops errors at paths another check already explains.
pub fn schema_errors(
    doc: &Node,
    json: &serde_json::Value,
    validator: &jsonschema::Validator,
    schema: &serde_json::Value,
    skip: impl Fn(&str, Option<&serde_json::Value>) -> bool,
) -> Vec<SpecDiagnostic> {
    let mut diags = Vec::new();
    for err in validator.iter_errors(json) {
        let segments: Vec<String> = err
            .instance_path()
            .iter()
            .map(|s| match s {
                LocationSegment::Property(p) => p.to_string(),
                LocationSegment::Index(i) => i.to_string(),
            })
            .collect();
        let path = segments.join(".");
        if skip(&path, json_at(json, &segments)) {
            continue;
        }
        let pos = doc.locate(&segments);
        match err.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let allowed = allowed_properties(schema, err.schema_path().as_str());
                for key in unexpected {
                    let mut key_path = segments.clone();
                    key_path.push(key.clone());
                    let mut d =
                        SpecDiagnostic::new(key_path.join("."), format!("unknown key `{key}`"))
                            .at(doc.locate_key(&key_path));
                    d.help = Some(
                        match did_you_mean(key, allowed.iter().map(String::as_str)) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None if allowed.is_empty() => "remove it".to_string(),
                            None => format!("expected one of: {}", allowed.join(", ")),
                        },
                    );
                    diags.push(d);
                }
            }
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default().to_string();
                let shown = if path.is_empty() {
                    "the top level".to_string()
                } else {
                    format!("`{path}`")
                };
                diags.push(
                    SpecDiagnostic::new(
                        path.clone(),
                        format!("missing required key `{name}` in {shown}"),
                    )
                    .at(pos),
                );
            }
            ValidationErrorKind::Type { kind } => {
                let expected = format!("{kind:?}").to_lowercase();
                let expected = expected
                    .trim_start_matches("single(")
                    .trim_end_matches(')')
                    .replace("multiple(", "");
                let mut d = SpecDiagnostic::new(
                    path.clone(),
                    format!(
                        "expected {}, found {}",
                        article(&expected),
                        describe(err.instance())
                    ),
                )
                .at(pos);
                if expected.contains("string") && err.instance().is_number() {
                    let key = segments.last().map_or("key", String::as_str);
                    d.help = Some(if err.instance().is_f64() {
                        format!(
                            "put it in quotes, exactly as meant (e.g. `{key}: \"1.10\"`): unquoted, YAML reads it \
                             as a number and drops trailing zeros (`1.10` becomes 1.1)"
                        )
                    } else {
                        format!(
                            "put it in quotes (e.g. `{key}: \"8\"`): unquoted, YAML reads it as a number"
                        )
                    });
                } else if expected.contains("integer") && err.instance().is_f64() {
                    d.help =
                        Some("write a whole number without a decimal point or exponent".into());
                }
                diags.push(d);
            }
            ValidationErrorKind::Enum { options }
            | ValidationErrorKind::Constant {
                expected_value: options,
            } => {
                let options = match &**options {
                    serde_json::Value::Array(items) => {
                        items.iter().map(|v| v.to_string()).collect::<Vec<_>>()
                    }
                    other => vec![other.to_string()],
                };
                let found = err.instance().to_string();
                let mut d =
                    SpecDiagnostic::new(path.clone(), format!("{found} is not allowed here"))
                        .at(pos);
                let bare: Vec<String> = options
                    .iter()
                    .map(|o| o.trim_matches('"').to_string())
                    .collect();
                d.help = Some(
                    match did_you_mean(found.trim_matches('"'), bare.iter().map(String::as_str)) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("expected one of: {}", options.join(", ")),
                    },
                );
                diags.push(d);
            }
            _ => diags.push(SpecDiagnostic::new(path.clone(), err.to_string()).at(pos)),
        }
    }
    diags
}

fn json_at<'a>(json: &'a serde_json::Value, segments: &[String]) -> Option<&'a serde_json::Value> {
    segments.iter().try_fold(json, |v, s| match v {
        serde_json::Value::Object(map) => map.get(s),
        serde_json::Value::Array(items) => s.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

/// The property names allowed next to an `additionalProperties: false` keyword, for "did you mean".
fn allowed_properties(schema: &serde_json::Value, keyword_pointer: &str) -> Vec<String> {
    let parent = keyword_pointer
        .strip_suffix("/additionalProperties")
        .unwrap_or(keyword_pointer);
    schema
        .pointer(parent)
        .and_then(|s| s.get("properties"))
        .and_then(|p| p.as_object())
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

fn article(kind: &str) -> String {
    match kind {
        "array" => "a list".into(),
        "object" => "a mapping".into(),
        "integer" => "a whole number".into(),
        "string" => "a string".into(),
        "boolean" => "true or false".into(),
        other => other.to_string(),
    }
}

fn describe(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "nothing (null)".into(),
        serde_json::Value::Bool(b) => format!("the boolean {b}"),
        serde_json::Value::Number(n) => format!("the number {n}"),
        // Never the text itself: a string in the wrong place may be a secret.
        serde_json::Value::String(_) => "a string".into(),
        serde_json::Value::Array(_) => "a list".into(),
        serde_json::Value::Object(_) => "a mapping".into(),
    }
}

pub fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for ch in name.chars() {
        if ch == '-' || ch == '_' || ch == '.' {
            upper = true;
        } else if upper {
            out.extend(ch.to_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

pub fn is_dns_label(name: &str) -> bool {
    let bytes = name.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 63
        && bytes[0].is_ascii_lowercase()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

pub fn is_dns_subdomain(name: &str) -> bool {
    name.len() <= 253
        && name.split('.').all(|part| {
            let b = part.as_bytes();
            !b.is_empty()
                && b[0].is_ascii_alphanumeric()
                && b[b.len() - 1].is_ascii_alphanumeric()
                && b.iter()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        })
}

fn to_dns_label(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    while out.starts_with(|c: char| c.is_ascii_digit()) {
        out.remove(0);
    }
    out
}

pub fn is_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_label_key(key: &str) -> bool {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    prefix.is_none_or(is_dns_subdomain) && !name.is_empty() && is_label_value(name)
}

fn is_label_value(value: &str) -> bool {
    let b = value.as_bytes();
    b.is_empty()
        || (b.len() <= 63
            && b[0].is_ascii_alphanumeric()
            && b[b.len() - 1].is_ascii_alphanumeric()
            && b.iter()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.')))
}

/// A full semantic version 2.0.0: `MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]`, nothing before or after.
fn is_semver(v: &str) -> bool {
    let (rest, build) = match v.split_once('+') {
        Some((r, b)) => (r, Some(b)),
        None => (v, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (rest, None),
    };
    let numeric = |p: &str| {
        !p.is_empty()
            && p.bytes().all(|b| b.is_ascii_digit())
            && (p.len() == 1 || !p.starts_with('0'))
    };
    let ident =
        |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| numeric(p))
        && pre.is_none_or(|pre| {
            pre.split('.')
                .all(|id| ident(id) && (!id.bytes().all(|b| b.is_ascii_digit()) || numeric(id)))
        })
        && build.is_none_or(|b| b.split('.').all(ident))
}

/// A version constraint as Helm reads `kubeVersion` (Masterminds semver): `||`-separated alternatives of
/// comma- or space-separated comparisons, each an optional operator and a version that may be partial
/// (`1.25`) or wildcarded (`1.x`), or a hyphen range `1.25 - 1.30`.
fn is_semver_constraint(c: &str) -> bool {
    let partial = |v: &str| {
        let v = v.strip_prefix('v').unwrap_or(v);
        let (rest, build) = match v.split_once('+') {
            Some((r, b)) => (r, Some(b)),
            None => (v, None),
        };
        let (core, pre) = match rest.split_once('-') {
            Some((c, p)) => (c, Some(p)),
            None => (rest, None),
        };
        let parts: Vec<&str> = core.split('.').collect();
        let ident =
            |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        (1..=3).contains(&parts.len())
            && parts.iter().all(|p| {
                matches!(*p, "x" | "X" | "*")
                    || (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            })
            && pre.is_none_or(|p| p.split('.').all(ident))
            && build.is_none_or(|b| b.split('.').all(ident))
    };
    let comparison = |t: &str| {
        let op_len = ["!=", ">=", "<=", "=>", "=<", "~>", ">", "<", "=", "~", "^"]
            .iter()
            .find(|op| t.starts_with(**op))
            .map_or(0, |op| op.len());
        partial(t[op_len..].trim_start())
    };
    !c.trim().is_empty()
        && c.split("||").all(|alt| {
            let tokens: Vec<&str> = alt
                .split([',', ' ', '\t'])
                .filter(|t| !t.is_empty())
                .collect();
            if tokens.is_empty() {
                return false;
            }
            let mut i = 0;
            while i < tokens.len() {
                if tokens.get(i + 1) == Some(&"-") {
                    if !(tokens.get(i + 2).is_some_and(|t| partial(t)) && partial(tokens[i])) {
                        return false;
                    }
                    i += 3;
                } else {
                    // An operator written apart from its version (`>= 1.25`) joins the next token.
                    let t = tokens[i];
                    if t.bytes().all(|b| b"!=<>~^".contains(&b)) {
                        match tokens.get(i + 1) {
                            Some(v) if comparison(&format!("{t}{v}")) => i += 2,
                            _ => return false,
                        }
                    } else if comparison(t) {
                        i += 1;
                    } else {
                        return false;
                    }
                }
            }
            true
        })
}

fn is_cidr(cidr: &str) -> bool {
    let Some((addr, bits)) = cidr.split_once('/') else {
        return false;
    };
    let Ok(bits) = bits.parse::<u8>() else {
        return false;
    };
    match addr.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(_)) => bits <= 32,
        Ok(std::net::IpAddr::V6(_)) => bits <= 128,
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_dns_label("backend"));
        assert!(is_dns_label("ai-agent-2"));
        assert!(!is_dns_label("Backend"));
        assert!(!is_dns_label("-x"));
        assert!(!is_dns_label("x-"));
        assert!(!is_dns_label("2x"));
        assert!(is_dns_subdomain("todo.local"));
        assert!(!is_dns_subdomain("todo..local"));
        assert!(is_env_name("NEXT_PUBLIC_API_URL"));
        assert!(!is_env_name("1ABC"));
        assert!(!is_env_name("A-B"));
        assert_eq!(camel_case("ai-agent"), "aiAgent");
        assert_eq!(to_dns_label("My_Backend"), "my-backend");
    }

    #[test]
    fn versions_and_cidrs() {
        assert!(is_semver("0.1.0"));
        assert!(is_semver("1.2.3-rc.1"));
        assert!(!is_semver("1.2"));
        assert!(!is_semver("01.2.3"));
        assert!(is_semver("1.2.3+build.5"));
        assert!(!is_semver("0.1.0-x\ndependencies:"));
        assert!(!is_semver("1.2.3-"));
        assert!(!is_semver("1.2.3-01"));
        assert!(is_semver_constraint(">=1.25.0-0"));
        assert!(is_semver_constraint(">= 1.25, < 1.32 || ~1.20.x"));
        assert!(is_semver_constraint("1.25 - 1.30"));
        assert!(!is_semver_constraint(">=1.25.0\nfoo: bar"));
        assert!(!is_semver_constraint(""));
        assert!(!is_semver_constraint(">=one"));
        assert!(is_cidr("0.0.0.0/0"));
        assert!(is_cidr("fd00::/8"));
        assert!(!is_cidr("10.0.0.0/33"));
        assert!(!is_cidr("nope"));
    }
}

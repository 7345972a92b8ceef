//! Turns a parsed spec into checked types, collecting every problem instead of stopping at the first.
//!
//! Two passes: the structural pass validates the document against the JSON Schema generated from the spec
//! types (unknown keys, wrong types, missing fields, bad enum values), the semantic pass checks what a schema
//! cannot say (names, cross references, quantities, requests ≤ limits). The semantic pass needs typed data, so
//! it runs only when the structure is sound.

use super::checked::*;
use super::model::*;
use crate::diagnostic::{Diagnostic, did_you_mean};
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
pub fn validate(doc: &Node) -> Result<CheckedSpec, Vec<Diagnostic>> {
    let mut secret_paths = BTreeSet::new();
    let mut diags = check_secret_values(doc);
    diags.extend(check_free_text_secrets(doc, &mut secret_paths));
    diags.extend(check_limits(doc));
    let json = doc.to_json();
    diags.extend(structural_errors(doc, &json));
    // The checks below need the typed spec. When the schema's errors leave it readable (a range, a pattern, an
    // enum value with the right type), they run too, so one run lists every problem; an error they find at or
    // under a path the schema already flagged is left out, since it would explain the same mistake twice.
    // An unknown key (a typo) says nothing about the rest: without it the spec may still read.
    let spec: ChartSpec = match serde_json::from_value(without_unknown_keys(doc, json, &diags)) {
        Ok(spec) => spec,
        Err(e) if diags.is_empty() => {
            return Err(vec![Diagnostic::new(
                "",
                format!("the spec does not match the schema: {e}"),
            )]);
        }
        Err(_) => return Err(without_secret_values(diags, &secret_paths)),
    };
    let mut ctx = Ctx {
        doc,
        diags: Vec::new(),
    };
    let checked = ctx.check(spec);
    ctx.diags.extend(values_file_errors(doc, &checked));
    let flagged: Vec<String> = diags.iter().map(|d| d.path.clone()).collect();
    // A mapping that holds a typo'd key is not judged without it (`liveness: { tcp: … }` has no handler only
    // because `tcp` was set aside): its own errors would explain the same mistake again.
    let parents: Vec<String> = diags
        .iter()
        .filter(|d| d.message.starts_with(UNKNOWN_KEY))
        .filter_map(|d| {
            let segments = doc.dotted_segments(&d.path);
            segments.split_last().map(|(_, parent)| parent.join("."))
        })
        .collect();
    diags.extend(ctx.diags.into_iter().filter(|d| {
        !parents.contains(&d.path)
            && !flagged.iter().any(|f| {
                d.path == *f
                    || (!f.is_empty()
                        && d.path.starts_with(f.as_str())
                        && d.path[f.len()..].starts_with('.'))
            })
    }));
    if diags.is_empty() {
        Ok(checked)
    } else {
        Err(without_secret_values(diags, &secret_paths))
    }
}

/// The message that starts every unknown-key diagnostic, by which [`without_unknown_keys`] knows them.
/// The characters a regular-expression Ingress path uses beyond a URL path's (ingress-nginx `use-regex`,
/// Traefik `PathRegexp`): allowed with `pathType: ImplementationSpecific`, where the controller reads the path.
/// An `emptyDir`'s size limit where the spec gives none: past it the kubelet evicts the pod, so a runaway cache
/// cannot fill the node's disk.
pub(crate) const EMPTY_DIR_SIZE_LIMIT: &str = "1Gi";

const REGEX_PATH_CHARS: &str = "^$|?[]{}\\";

const UNKNOWN_KEY: &str = "unknown key `";

/// The document's JSON without the keys the schema reported as unknown.
fn without_unknown_keys(
    doc: &Node,
    mut json: serde_json::Value,
    diags: &[Diagnostic],
) -> serde_json::Value {
    for d in diags.iter().filter(|d| d.message.starts_with(UNKNOWN_KEY)) {
        let segments = doc.dotted_segments(&d.path);
        let Some((last, parent)) = segments.split_last() else {
            continue;
        };
        let pointer: String = parent
            .iter()
            .map(|seg| format!("/{}", seg.replace('~', "~0").replace('/', "~1")))
            .collect();
        if let Some(serde_json::Value::Object(map)) = json.pointer_mut(&pointer) {
            map.remove(last);
        }
    }
    json
}

/// A spec part as the Kubernetes JSON it stands for (camelCase, absent fields left out).
fn to_json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_default()
}

/// Extra values files must pass the chart's own values.schema.json, or Helm would refuse them at install time.
/// They are checked like the spec itself: at the key or value's line, with "did you mean" and the allowed values.
fn values_file_errors(doc: &Node, checked: &CheckedSpec) -> Vec<Diagnostic> {
    if checked.values_files.is_empty() {
        return Vec::new();
    }
    let tree = crate::render::values::values_tree(checked);
    let schema = crate::render::values::schema(checked, &tree);
    let validator = match jsonschema::options()
        .should_validate_formats(false)
        .build(&schema)
    {
        Ok(v) => v,
        Err(e) => {
            return vec![Diagnostic::new(
                "valuesFiles",
                format!("internal error: the chart's values.schema.json does not compile: {e}"),
            )];
        }
    };
    let mut out = Vec::new();
    for vf in &checked.values_files {
        let Some(node) = doc
            .get("valuesFiles")
            .and_then(|n| n.get(&vf.name))
            .and_then(|n| n.get("values"))
        else {
            continue;
        };
        let prefix = format!("valuesFiles.{}.values", vf.name);
        for mut d in schema_errors(node, &vf.values, &validator, &schema, |_, _| false) {
            d.path = if d.path.is_empty() {
                prefix.clone()
            } else {
                format!("{prefix}.{}", d.path)
            };
            d.message = format!("not a valid chart value: {}", d.message);
            if d.help.is_none() {
                d.help = Some(
                    "extra values files are checked against the chart's values.schema.json".into(),
                );
            }
            out.push(d);
        }
    }
    out
}

/// Limits Kubernetes and Helm put on every value, checked where the spec says it. Every whole number becomes a
/// Kubernetes int32 (ports, counts, seconds, IDs): one outside that range would fail at install time, far from
/// its line (`valuesFiles.*.values` are checked by the chart's own schema). Every key becomes a Kubernetes key
/// or a values.yaml key: at most 253 characters (Helm's YAML reader refuses keys over 1024, and Kubernetes keys
/// stop at 253).
fn check_limits(doc: &Node) -> Vec<Diagnostic> {
    const MAX_KEY: usize = 253;
    fn walk(node: &Node, path: &mut Vec<String>, in_values: bool, out: &mut Vec<Diagnostic>) {
        match &node.value {
            Value::Map(entries) => {
                for (key, child) in entries {
                    if key.name.len() > MAX_KEY {
                        let at = path.join(".");
                        out.push(
                            Diagnostic::new(
                                at,
                                format!("a key here is {} characters long", key.name.len()),
                            )
                            .at_key(key)
                            .help(format!("keys are at most {MAX_KEY} characters (Kubernetes keys, values.yaml keys)")),
                        );
                        continue;
                    }
                    let values = in_values
                        || (path.len() == 2 && path[0] == "valuesFiles" && key.name == "values");
                    path.push(key.name.clone());
                    walk(child, path, values, out);
                    path.pop();
                }
            }
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(i.to_string());
                    walk(item, path, in_values, out);
                    path.pop();
                }
            }
            Value::Int(v) if !in_values && i32::try_from(*v).is_err() => out.push(
                Diagnostic::new(path.join("."), format!("{v} does not fit a 32-bit integer"))
                    .at_node(node)
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
    walk(doc, &mut Vec::new(), false, &mut out);
    out
}

/// Keys whose values name something declared elsewhere in the spec (`secretGroups: [app]`).
const NAME_REFERENCE_KEYS: &[&str] = &["secretGroups", "connectsTo", "component", "name"];

/// What the secret scan reports at a path is the only thing said there: another check's message could quote the
/// value (or a transformation of it, such as a suggested DNS name).
fn without_secret_values(
    diags: Vec<Diagnostic>,
    secret_paths: &BTreeSet<String>,
) -> Vec<Diagnostic> {
    diags
        .into_iter()
        .filter(|d| d.secret.is_some() || !secret_paths.contains(&d.path))
        .collect()
}

/// Every string in the spec ends up in the chart (values.yaml, manifests, Chart.yaml, README): a secret anywhere
/// is a leak. The one exception is `secretGroups.*.keys`, a list of names (a value there is reported by
/// [`check_secret_values`]). The message names the key path and the kind of secret, never the value.
fn check_free_text_secrets(doc: &Node, secret_paths: &mut BTreeSet<String>) -> Vec<Diagnostic> {
    fn walk(
        node: &Node,
        name: &str,
        path: &mut Vec<String>,
        secret_paths: &mut BTreeSet<String>,
        out: &mut Vec<Diagnostic>,
    ) {
        match &node.value {
            Value::Map(entries) => {
                for (key, child) in entries {
                    if path.len() == 2 && path[0] == "secretGroups" && key.name == "keys" {
                        // Key names are names, whatever they say; but a token pasted as a name (or as
                        // `NAME=value`) is a value, and would be written into the chart.
                        for (i, item) in child.as_seq().iter().enumerate() {
                            let Some(text) = item.as_str() else { continue };
                            let why = secrets::unmistakable(text)
                                .map(|f| f.why.to_string())
                                .or_else(|| {
                                    text.split_once('=')
                                        .and_then(|(k, v)| secrets::classify(k, v))
                                });
                            if let Some(why) = why {
                                let at = format!("{}.keys.{i}", path.join("."));
                                secret_paths.insert(at.clone());
                                out.push(
                                    Diagnostic::new(
                                        at,
                                        format!("this key name holds a secret ({why}); key names are written into the chart"),
                                    )
                                    .at_node(item)
                                    .help("list only the env var name (e.g. `GITHUB_TOKEN`) and supply its value at install time")
                                    .secret(text),
                                );
                            }
                        }
                        continue;
                    }
                    path.push(key.name.clone());
                    if let Some(why) = secrets::unmistakable(&key.name).map(|f| f.why) {
                        // The key itself is the secret: name the mapping that holds it.
                        let at = path[..path.len() - 1].join(".");
                        out.push(
                            Diagnostic::new(
                                at,
                                format!("a key here looks like a secret ({why}); it would be written into the chart"),
                            )
                            .at_key(key)
                            .help("remove it; supply secrets at install time through a `secretGroups` key")
                            .secret(key.name.as_str()),
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
                // A command line: `--password VALUE` is a secret in the argument after the flag.
                if matches!(name, "args" | "command") {
                    let texts: Vec<String> = items
                        .iter()
                        .map(|n| n.scalar_text().unwrap_or_default())
                        .collect();
                    for (i, why) in secrets::in_arguments(&texts) {
                        let at = format!("{}.{i}", path.join("."));
                        if secret_paths.insert(at.clone()) {
                            out.push(
                                Diagnostic::new(
                                    at,
                                    format!("this looks like a secret ({why}); the spec's text is written into the chart in plain text"),
                                )
                                .at_node(&items[i])
                                .help("pass it as an env var from a `secretGroups` key (e.g. `--password=$(DB_PASSWORD)`)")
                                .secret(texts[i].as_str()),
                            );
                        }
                    }
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
                    .or_else(|| secrets::unmistakable(text).map(|f| f.why.to_string()))
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
                    Diagnostic::new(at, message)
                        .at_node(node)
                        .help(help)
                        .secret(text.as_str()),
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
    diags: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn error(&mut self, path: &str, message: impl Into<String>) -> &mut Diagnostic {
        let segments = self.doc.dotted_segments(path);
        let d = Diagnostic::new(path, message);
        // The whole value when the path exists; else where it belongs (the nearest node's first line).
        let d = match self.doc.walk(&segments) {
            (node, depth) if depth == segments.len() => d.at_node(node),
            (node, _) => d.at(node.pos),
        };
        self.diags.push(d);
        let last = self.diags.len() - 1;
        &mut self.diags[last]
    }

    /// Runs the checks of a mapping key itself (a component's name, a label key): their errors at `path` point
    /// at the key, not at the first line of its value.
    fn about_key<T>(&mut self, path: &str, check: impl FnOnce(&mut Self) -> T) -> T {
        let start = self.diags.len();
        let result = check(self);
        let segments = self.doc.dotted_segments(path);
        let (pos, end) = match self.doc.key_at(&segments) {
            Some(key) => (key.pos, Some(key.end)),
            None => (self.doc.locate_key(&segments), None),
        };
        for d in &mut self.diags[start..] {
            if d.path == path {
                (d.start, d.end) = (Some(pos), end);
            }
        }
        result
    }

    /// Adds the place at `other` (a path in the spec) to the last error: the first of two duplicates.
    fn first_at(&mut self, other: &str, message: impl Into<String>) {
        let pos = self.doc.locate(&self.doc.dotted_segments(other));
        if let Some(d) = self.diags.pop() {
            self.diags.push(d.related(pos, message));
        }
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
            let path = format!("config.{key}");
            self.about_key(&path, |cx| cx.env_name(&path, key));
        }
        let uid = spec.security.as_ref().map_or(1000, |s| s.run_as_user);
        let gid = spec.security.as_ref().map_or(1000, |s| s.run_as_group);

        let groups = self.check_secret_groups(&spec.secret_groups);
        let mut components = Vec::new();
        let mut seen_values_keys: BTreeMap<String, String> = BTreeMap::new();
        for (name, c) in &spec.components {
            let base = format!("components.{name}");
            if self.about_key(&base, |cx| cx.dns_label(&base, name, 40)) {
                let values_key = camel_case(name);
                if RESERVED_VALUES_KEYS.contains(&values_key.as_str()) {
                    self.about_key(&base, |cx| {
                        cx.error_help(
                            &base,
                            format!("`{name}` is a name the chart's values.yaml uses itself"),
                            format!(
                                "rename the component; reserved: {}",
                                RESERVED_VALUES_KEYS.join(", ")
                            ),
                        )
                    });
                }
                if let Some(other) = seen_values_keys.insert(values_key.clone(), name.clone()) {
                    self.error(
                        &base,
                        format!("`{name}` and `{other}` both become the values key `{values_key}`"),
                    );
                }
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
                .flat_map(|i| i.routes())
                .filter(|r| r.component == comp.name)
                .map(|r| r.path.clone())
                .collect();
            comp.ingress_ports = ingress
                .iter()
                .flat_map(|i| i.routes())
                .filter(|r| r.component == comp.name)
                .map(|r| r.port.clone())
                .collect::<BTreeSet<_>>()
                .into_iter()
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
        let cron_jobs: Vec<CheckedCronJob> = spec
            .cron_jobs
            .iter()
            .map(|(name, cron)| self.check_cron_job(name, cron, &components))
            .collect();
        self.check_generated_names(&meta.name, &spec, &components, &jobs, &groups);
        // Cron jobs are not in the name registry yet: their values keys are checked here.
        self.check_values_keys(&components, &jobs, &cron_jobs);
        let hook_events: Vec<String> = spec
            .jobs
            .values()
            .flat_map(|j| j.hooks.iter().copied())
            .collect::<BTreeSet<HookEvent>>()
            .into_iter()
            .map(|h| h.as_str().to_string())
            .collect();
        let values_files = spec
            .values_files
            .iter()
            .map(|(name, file)| {
                let path = format!("valuesFiles.{name}");
                self.about_key(&path, |cx| cx.dns_label(&path, name, 40));
                CheckedValuesFile {
                    name: name.clone(),
                    description: file.description.clone(),
                    values: serde_json::Value::Object(file.values.clone()),
                }
            })
            .collect();
        // Off unless the spec says `aiOps:`: a Role that can patch Deployments is something a reader must see.
        // v1alpha1 specs keep their old default, so they render the chart they always did.
        let ai_ops = spec.ai_ops.as_ref().map_or(
            CheckedAiOps {
                enabled: spec.api_version == ApiVersion::V1Alpha1,
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
            cron_jobs,
            hook_events,
            values_files,
            ai_ops,
            image_pull_secrets: self.image_pull_secrets(&spec.image_pull_secrets),
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
            self.about_key(&base, |cx| cx.dns_label(&base, name, 40));
            if let Some(fixed) = &group.name {
                self.dns_subdomain(&format!("{base}.name"), fixed);
            }
            if group.keys.is_empty() {
                self.error(
                    &format!("{base}.keys"),
                    "a secret group needs at least one key",
                );
            }
            let mut seen = BTreeMap::new();
            for (i, key) in group.keys.iter().enumerate() {
                let path = format!("{base}.keys.{i}");
                self.about_key(&path, |cx| cx.env_name(&path, key));
                if let Some(first) = seen.insert(key.clone(), i) {
                    self.error(&path, format!("`{key}` is listed twice in this group"));
                    self.first_at(&format!("{base}.keys.{first}"), "first listed here");
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
        let image = &c.image;
        self.check_image(&format!("{base}.image"), image);
        let mut port_names: Vec<&str> = c.port.iter().map(|_| "http").collect();
        let mut ports = Vec::new();
        let mut numbers: BTreeMap<i64, &str> = c.port.iter().map(|p| (*p, "http")).collect();
        for (port_name, number) in &c.ports {
            let path = format!("{base}.ports.{port_name}");
            self.about_key(&path, |cx| {
                if !is_dns_label(port_name) || port_name.len() > 15 {
                    cx.error_help(
                        &path,
                        format!("`{port_name}` is not a valid port name"),
                        "at most 15 lower-case letters, digits and `-`, starting with a letter (e.g. `metrics`)",
                    );
                }
                if port_name == "http" {
                    cx.error_help(&path, "`http` is the name of `port`", "choose another name");
                }
            });
            self.port(&path, *number);
            if let Some(other) = numbers.insert(*number, port_name) {
                self.error(&path, format!("port {number} is also the `{other}` port"));
                let first = if other == "http" {
                    format!("{base}.port")
                } else {
                    format!("{base}.ports.{other}")
                };
                self.first_at(&first, format!("the `{other}` port"));
            }
            port_names.push(port_name);
            ports.push(CheckedPort {
                name: port_name.clone(),
                port: *number,
            });
        }
        let probes = self.check_probes(&base, &c.probes, &port_names);
        self.annotations(
            &format!("{base}.service.annotations"),
            &c.service.annotations,
        );
        self.check_scheduling(&base, c);
        let metrics = c
            .metrics
            .as_ref()
            .map(|m| self.check_metrics(&base, m, &ports, c.port.is_some() && c.service.enabled));
        if c.kind == WorkloadKind::StatefulSet && c.port.is_none() {
            self.error_help(
                &format!("{base}.kind"),
                "a StatefulSet needs a `port` for its headless Service",
                format!("set `{base}.port`, or use `kind: Deployment` for a worker"),
            );
        }
        let volumes = self.check_volumes(&base, name, c, &spec.components);
        let resources = self.check_resources(&format!("{base}.resources"), &c.resources);
        let mut env_seen: BTreeMap<String, String> = spec
            .config
            .keys()
            .map(|k| (k.clone(), "the shared `config`".to_string()))
            .collect();
        for key in c.config.keys() {
            let path = format!("{base}.config.{key}");
            self.about_key(&path, |cx| cx.env_name(&path, key));
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
        let env = self.check_env(&base, &c.env, &mut env_seen);
        let env_from = self.check_env_from(&base, &c.env_from);
        let init_containers = self.check_containers(
            &format!("{base}.initContainers"),
            &c.init_containers,
            &c.volumes,
            &[],
            true,
        );
        let sidecars = self.check_containers(
            &format!("{base}.sidecars"),
            &c.sidecars,
            &c.volumes,
            &port_names,
            false,
        );
        let mut container_names = BTreeSet::from([name.to_string()]);
        for (section, x) in init_containers
            .iter()
            .map(|x| ("initContainers", x))
            .chain(sidecars.iter().map(|x| ("sidecars", x)))
        {
            if !container_names.insert(x.name.clone()) {
                self.error_help(
                    &format!("{base}.{section}.{}", x.name),
                    format!("another container of this pod is named `{}`", x.name),
                    "give each container its own name (the main one is the component's)",
                );
            }
        }
        let has_service = c.port.is_some() && c.service.enabled;
        if c.port.is_none() {
            let svc = &c.service;
            let set: Vec<&str> = [
                ("type", svc.kind.is_some()),
                ("name", svc.name.is_some()),
                ("port", svc.port.is_some()),
                ("nodePort", svc.node_port.is_some()),
            ]
            .into_iter()
            .filter_map(|(k, on)| on.then_some(k))
            .collect();
            if let Some(first) = set.first() {
                self.error_help(
                    &format!("{base}.service.{first}"),
                    "a component without `port` is a worker and has no Service",
                    format!("set `{base}.port`, or remove `service`"),
                );
            }
        }
        let service_port = c.service.port.or(c.port).unwrap_or(0);
        // The Service exposes every named port at its own number: `service.port` must not take one of them.
        if has_service
            && let Some(number) = c.service.port
            && let Some((name, _)) = c.ports.iter().find(|(_, n)| **n == number)
        {
            self.error_help(
                &format!("{base}.service.port"),
                format!("Service port {number} is also the Service port of `{name}`"),
                "the Service serves each named port at its own number: pick another `service.port`",
            );
            self.first_at(
                &format!("{base}.ports.{name}"),
                format!("the `{name}` port"),
            );
        }
        if let Some(fixed) = &c.service.name {
            self.dns_label(&format!("{base}.service.name"), fixed, 63);
        }
        // The node port's range is in the schema.
        if c.service.node_port.is_some() && service_type == ServiceType::ClusterIP {
            self.error_help(
                &format!("{base}.service.nodePort"),
                "a ClusterIP Service has no node port",
                "set `service.type: NodePort` (or LoadBalancer), or remove `nodePort`",
            );
        }
        let autoscaling = c.autoscaling.as_ref().map(|a| {
            let path = format!("{base}.autoscaling");
            if a.max_replicas < a.min_replicas.max(1) {
                self.error(
                    &format!("{path}.maxReplicas"),
                    format!(
                        "maxReplicas {} is below minReplicas {}",
                        a.max_replicas, a.min_replicas
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
                // Its own pods talking to each other (`peers`), on the ports it has.
                if c.port.is_none() && c.ports.is_empty() {
                    self.error_help(
                        &path,
                        "this component has no port, so its pods cannot reach each other",
                        "give it a `port` (or named `ports`) for its peers, or remove the flow",
                    );
                }
            } else if let Some(callee) = spec.components.get(target) {
                if callee.port.is_none() || !callee.service.enabled {
                    self.error_help(
                        &path,
                        format!("`{target}` has no Service to connect to"),
                        format!("give `components.{target}` a `port` (and a Service), or remove the flow"),
                    );
                }
            } else {
                self.unknown_component(&path, target, spec.components.keys());
            }
        }
        for (key, value) in &c.labels {
            let path = format!("{base}.labels.{key}");
            self.about_key(&path, |cx| {
                if key.starts_with("app.kubernetes.io/") || key.starts_with("helm.sh/") {
                    cx.error_help(
                        &path,
                        format!("`{key}` is set by the chart"),
                        "choose a label outside app.kubernetes.io/ and helm.sh/",
                    );
                } else if !is_label_key(key) {
                    cx.error(&path, format!("`{key}` is not a valid label key"));
                }
            });
            if !is_label_value(value) {
                self.error_help(
                    &path,
                    format!("`{value}` is not a valid label value"),
                    "at most 63 characters: letters, digits, `-`, `_` and `.`, starting and ending alphanumeric",
                );
            }
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
            build_context: image.build.clone().or_else(|| {
                (image.pull_policy == Some(PullPolicy::Never)).then(|| format!("./{name}"))
            }),
            port: c.port,
            has_service,
            check_path: ["readiness", "liveness"]
                .iter()
                .find_map(|kind| {
                    probes
                        .iter()
                        .find(|p| p.kind == *kind && p.handler == "httpGet" && p.port.is_none())
                })
                .map(|p| p.path.clone()),
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
            connects_to: c
                .connects_to
                .iter()
                .filter(|t| *t != name)
                .cloned()
                .collect(),
            connected_from: Vec::new(),
            peers: c.kind == WorkloadKind::StatefulSet || c.connects_to.iter().any(|t| t == name),
            ingress_paths: Vec::new(),
            ingress_ports: Vec::new(),
            database: c.database,
            external_egress_ports: c.external_egress_ports.clone(),
            labels: c.labels.clone(),
            command: c.command.clone(),
            args: c.args.clone(),
            termination_grace_period_seconds: c.termination_grace_period_seconds,
            strategy: self.strategy(&base, c).as_str().to_string(),
            kind: c.kind.as_str().to_string(),
            volumes,
            ports,
            env,
            env_from,
            init_containers,
            sidecars,
            service_annotations: c.service.annotations.clone(),
            metrics,
            node_selector: c.node_selector.clone(),
            tolerations: c.tolerations.iter().map(to_json).collect(),
            affinity: match c.affinity.as_ref().map(to_json) {
                Some(serde_json::Value::Object(map)) => map,
                _ => serde_json::Map::new(),
            },
            topology_spread_constraints: c
                .topology_spread_constraints
                .iter()
                .map(to_json)
                .collect(),
            priority_class_name: c.priority_class_name.clone().unwrap_or_default(),
            pod_annotations: c.pod_annotations.clone(),
        }
    }

    /// A Deployment's update strategy: as the spec says, else `Recreate` when a volume only one node can mount
    /// would keep the new pod from starting while the old one runs.
    fn strategy(&mut self, base: &str, c: &Component) -> DeploymentStrategy {
        if c.kind == WorkloadKind::StatefulSet {
            if c.strategy.is_some() {
                self.error_help(
                    &format!("{base}.strategy"),
                    "a StatefulSet replaces its pods one at a time, each Ready before the next",
                    "drop `strategy`, or use `kind: Deployment`",
                );
            }
            return DeploymentStrategy::RollingUpdate;
        }
        let single_node = c
            .volumes
            .values()
            .filter_map(|v| v.persistent.as_ref())
            .any(|p| {
                p.access_modes.is_empty()
                    || p.access_modes.iter().any(|m| {
                        matches!(m, AccessMode::ReadWriteOnce | AccessMode::ReadWriteOncePod)
                    })
            });
        c.strategy.unwrap_or(if single_node {
            DeploymentStrategy::Recreate
        } else {
            DeploymentStrategy::RollingUpdate
        })
    }

    /// Scheduling defaults: what the schema cannot say about node labels, tolerations and spread constraints.
    fn check_scheduling(&mut self, base: &str, c: &Component) {
        for (key, value) in &c.node_selector {
            let path = format!("{base}.nodeSelector.{key}");
            if !is_label_key(key) {
                self.about_key(&path, |cx| {
                    cx.error_help(
                        &path,
                        format!("`{key}` is not a valid node label key"),
                        "an optional DNS prefix and `/`, then at most 63 letters, digits, `-`, `_` and `.`",
                    )
                });
            }
            if !is_label_value(value) {
                self.error_help(
                    &path,
                    format!("`{value}` is not a valid node label value"),
                    "at most 63 characters: letters, digits, `-`, `_` and `.`, starting and ending alphanumeric",
                );
            }
        }
        for (i, t) in c.tolerations.iter().enumerate() {
            let path = format!("{base}.tolerations.{i}");
            let key = t.key.as_deref().unwrap_or("");
            let exists = t.operator == Some(TolerationOperator::Exists);
            if !key.is_empty() && !is_label_key(key) {
                self.error(
                    &format!("{path}.key"),
                    format!("`{key}` is not a valid taint key"),
                );
            }
            if exists && t.value.as_deref().is_some_and(|v| !v.is_empty()) {
                self.error_help(
                    &format!("{path}.value"),
                    "a toleration with `operator: Exists` matches any value, so it has none",
                    "drop `value`, or use `operator: Equal`",
                );
            }
            if key.is_empty() && !exists {
                self.error_help(
                    &path,
                    "a toleration without `key` must have `operator: Exists` (it then tolerates every taint)",
                    "name the taint's `key`, or set `operator: Exists`",
                );
            }
            if t.toleration_seconds.is_some() && t.effect != Some(TaintEffect::NoExecute) {
                self.error_help(
                    &format!("{path}.tolerationSeconds"),
                    "`tolerationSeconds` applies only to `effect: NoExecute`",
                    "set `effect: NoExecute`, or drop `tolerationSeconds`",
                );
            }
        }
        for (i, constraint) in c.topology_spread_constraints.iter().enumerate() {
            if !is_label_key(&constraint.topology_key) {
                self.error_help(
                    &format!("{base}.topologySpreadConstraints.{i}.topologyKey"),
                    format!(
                        "`{}` is not a valid node label key",
                        constraint.topology_key
                    ),
                    "e.g. `kubernetes.io/hostname` or `topology.kubernetes.io/zone`",
                );
            }
            if constraint.min_domains.is_some()
                && constraint.when_unsatisfiable != WhenUnsatisfiable::DoNotSchedule
            {
                self.error_help(
                    &format!("{base}.topologySpreadConstraints.{i}.minDomains"),
                    "`minDomains` applies only to `whenUnsatisfiable: DoNotSchedule`",
                    "drop `minDomains`, or make the constraint hard",
                );
            }
        }
        if let Some(name) = &c.priority_class_name
            && !is_dns_subdomain(name)
        {
            self.error_help(
                &format!("{base}.priorityClassName"),
                format!("`{name}` is not a valid PriorityClass name"),
                "lower-case letters, digits, `-` and `.`, at most 253 characters",
            );
        }
        self.annotations(&format!("{base}.podAnnotations"), &c.pod_annotations);
    }

    fn image_pull_secrets(&mut self, names: &[String]) -> Vec<String> {
        let mut seen = BTreeSet::new();
        for (i, name) in names.iter().enumerate() {
            let path = format!("imagePullSecrets.{i}");
            if !is_dns_subdomain(name) {
                self.error_help(
                    &path,
                    format!("`{name}` is not a valid Secret name"),
                    "lower-case letters, digits, `-` and `.`, at most 253 characters",
                );
            } else if !seen.insert(name) {
                self.error(&path, format!("`{name}` is listed twice"));
            }
        }
        names.to_vec()
    }

    /// `metrics` of a component: the port must be one of its named `ports`.
    fn check_metrics(
        &mut self,
        base: &str,
        metrics: &Metrics,
        ports: &[CheckedPort],
        has_service: bool,
    ) -> CheckedMetrics {
        let path = format!("{base}.metrics");
        if !has_service {
            self.error_help(
                &path,
                "metrics are scraped through the component's Service, and it has none",
                format!("give `{base}` a `port` and keep its Service, or drop `metrics`"),
            );
        }
        if !ports.iter().any(|p| p.name == metrics.port) {
            let names: Vec<&str> = ports.iter().map(|p| p.name.as_str()).collect();
            self.error_help(
                &format!("{path}.port"),
                format!("`{}` is not one of the component's `ports`", metrics.port),
                if names.is_empty() {
                    format!(
                        "add it to `{base}.ports`, e.g. `ports: {{{}: 9090}}`",
                        metrics.port
                    )
                } else {
                    format!("use one of: {}", names.join(", "))
                },
            );
        }
        self.url_path(&format!("{path}.path"), &metrics.path, "");
        if !metrics.path.starts_with('/') {
            self.error(
                &format!("{path}.path"),
                format!(
                    "the metrics path `{}` does not start with `/`",
                    metrics.path
                ),
            );
        }
        if !is_duration(&metrics.interval) {
            self.error_help(
                &format!("{path}.interval"),
                format!("`{}` is not a duration", metrics.interval),
                "write a Prometheus duration such as `30s` or `1m`",
            );
        }
        CheckedMetrics {
            port: metrics.port.clone(),
            path: metrics.path.clone(),
            interval: metrics.interval.clone(),
        }
    }

    /// Annotation keys have the syntax of label keys; values are free text (emitted through values.yaml).
    fn annotations(&mut self, base: &str, annotations: &BTreeMap<String, String>) {
        for key in annotations.keys() {
            if !is_label_key(key) {
                let path = format!("{base}.{key}");
                self.about_key(&path, |cx| {
                    cx.error_help(
                        &path,
                        format!("`{key}` is not a valid annotation key"),
                        "an optional DNS prefix and `/`, then at most 63 letters, digits, `-`, `_` and `.`",
                    )
                });
            }
        }
    }

    fn check_env(
        &mut self,
        base: &str,
        env: &BTreeMap<String, EnvVarSource>,
        seen: &mut BTreeMap<String, String>,
    ) -> Vec<CheckedEnv> {
        let mut out = Vec::new();
        for (name, source) in env {
            let path = format!("{base}.env.{name}");
            self.about_key(&path, |cx| cx.env_name(&path, name));
            if let Some(other) = seen.insert(name.clone(), format!("`{base}.env`")) {
                self.error(&path, format!("env var `{name}` is also set by {other}"));
            }
            let mut e = CheckedEnv {
                name: name.clone(),
                source: String::new(),
                field_path: String::new(),
                resource: String::new(),
                divisor: String::new(),
                ref_name: String::new(),
                key: String::new(),
                optional: false,
            };
            let mut sources = Vec::new();
            if let Some(field) = &source.field_ref {
                sources.push("fieldRef");
                if !is_pod_field(field) {
                    let help = match did_you_mean(field, POD_FIELDS.iter().copied()) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => "one of `metadata.name`, `metadata.namespace`, `metadata.uid`, \
                                 `metadata.labels['KEY']`, `metadata.annotations['KEY']`, `spec.nodeName`, \
                                 `spec.serviceAccountName`, `status.hostIP`, `status.hostIPs`, `status.podIP` or \
                                 `status.podIPs`"
                            .to_string(),
                    };
                    self.error_help(
                        &format!("{path}.fieldRef"),
                        format!("`{field}` is not a pod field"),
                        help,
                    );
                }
                e.field_path = field.clone();
            }
            if let Some(r) = &source.resource_field_ref {
                sources.push("resourceFieldRef");
                if !(r.resource.starts_with("limits.") || r.resource.starts_with("requests.")) {
                    self.error_help(
                        &format!("{path}.resourceFieldRef.resource"),
                        format!("`{}` is not a container resource", r.resource),
                        "e.g. `limits.memory` or `requests.cpu`",
                    );
                }
                if let Some(d) = &r.divisor
                    && Quantity::parse(d).is_none()
                {
                    self.error(
                        &format!("{path}.resourceFieldRef.divisor"),
                        format!("`{d}` is not a Kubernetes quantity"),
                    );
                }
                e.resource = r.resource.clone();
                e.divisor = r.divisor.clone().unwrap_or_default();
            }
            for (what, key_ref) in [
                ("secretKeyRef", &source.secret_key_ref),
                ("configMapKeyRef", &source.config_map_key_ref),
            ] {
                if let Some(k) = key_ref {
                    sources.push(what);
                    self.dns_subdomain(&format!("{path}.{what}.name"), &k.name);
                    if k.key.is_empty() {
                        self.error(&format!("{path}.{what}.key"), "the key is empty");
                    }
                    e.ref_name = k.name.clone();
                    e.key = k.key.clone();
                    e.optional = k.optional;
                }
            }
            if sources.len() != 1 {
                self.error_help(
                    &path,
                    format!("the env var has {} sources", sources.len()),
                    "give exactly one of `fieldRef`, `resourceFieldRef`, `secretKeyRef` or `configMapKeyRef` (plain values go in `config`)",
                );
            }
            e.source = sources.first().copied().unwrap_or("fieldRef").to_string();
            out.push(e);
        }
        out
    }

    fn check_env_from(&mut self, base: &str, sources: &[EnvFromSource]) -> Vec<CheckedEnvFrom> {
        let mut out = Vec::new();
        for (i, src) in sources.iter().enumerate() {
            let path = format!("{base}.envFrom.{i}");
            let (source, name) = match (&src.secret_ref, &src.config_map_ref) {
                (Some(name), None) => ("secretRef", name),
                (None, Some(name)) => ("configMapRef", name),
                _ => {
                    self.error_help(
                        &path,
                        "an envFrom entry needs exactly one of `secretRef` or `configMapRef`",
                        "write `{secretRef: NAME}` or `{configMapRef: NAME}`",
                    );
                    continue;
                }
            };
            self.dns_subdomain(&format!("{path}.{source}"), name);
            if let Some(prefix) = &src.prefix
                && !is_env_name(prefix)
            {
                self.error(
                    &format!("{path}.prefix"),
                    format!("`{prefix}` is not a valid env var prefix"),
                );
            }
            out.push(CheckedEnvFrom {
                source: source.to_string(),
                name: name.clone(),
                prefix: src.prefix.clone().unwrap_or_default(),
            });
        }
        out
    }

    fn check_containers(
        &mut self,
        base: &str,
        containers: &BTreeMap<String, ExtraContainer>,
        volumes: &BTreeMap<String, Volume>,
        port_names: &[&str],
        init: bool,
    ) -> Vec<CheckedContainer> {
        let mut out = Vec::new();
        for (name, x) in containers {
            let path = format!("{base}.{name}");
            self.about_key(&path, |cx| cx.dns_label(&path, name, 40));
            self.check_image(&format!("{path}.image"), &x.image);
            let resources = self.check_resources(&format!("{path}.resources"), &x.resources);
            for (i, mount) in x.volume_mounts.iter().enumerate() {
                if !volumes.contains_key(mount) {
                    let known: Vec<&str> = volumes.keys().map(String::as_str).collect();
                    let hint = match did_you_mean(mount, known.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => "declare it under the component's `volumes`".to_string(),
                    };
                    self.error_help(
                        &format!("{path}.volumeMounts.{i}"),
                        format!("no volume named `{mount}`"),
                        hint,
                    );
                }
            }
            let probes = self.check_probes(&path, &x.probes, port_names);
            if init && !probes.is_empty() {
                self.error_help(
                    &format!("{path}.probes"),
                    "init containers run to completion and take no probes",
                    "remove the probes, or make it a sidecar",
                );
            }
            out.push(CheckedContainer {
                name: name.clone(),
                values_key: camel_case(name),
                image_repository: x.image.repository.clone(),
                image_tag: x.image.tag.clone(),
                pull_policy: x
                    .image
                    .pull_policy
                    .unwrap_or(PullPolicy::IfNotPresent)
                    .as_str()
                    .to_string(),
                command: x.command.clone(),
                args: x.args.clone(),
                resources,
                volume_mounts: x.volume_mounts.clone(),
                inherit_env: x.inherit_env,
                probes,
            });
        }
        out
    }

    fn check_image(&mut self, path: &str, image: &Image) {
        if image.repository.trim().is_empty() {
            self.error(
                &format!("{path}.repository"),
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
                &format!("{path}.repository"),
                format!("`{}` includes a tag or digest", image.repository),
                "put the tag in `image.tag` and keep only the repository here",
            );
        }
        if let Some(tag) = &image.tag
            && (tag == "latest" || tag.trim().is_empty())
        {
            self.error_help(
                &format!("{path}.tag"),
                format!("the tag `{tag}` is mutable"),
                "pin a version (e.g. `1.0.0`), or leave the tag out to use the chart's appVersion",
            );
        }
    }

    fn check_probes(
        &mut self,
        base: &str,
        probes: &Probes,
        port_names: &[&str],
    ) -> Vec<CheckedProbe> {
        let mut out = Vec::new();
        for (kind, probe) in [
            ("liveness", &probes.liveness),
            ("readiness", &probes.readiness),
            ("startup", &probes.startup),
        ] {
            let Some(p) = probe else { continue };
            let path = format!("{base}.probes.{kind}");
            let handlers: Vec<&str> = [
                ("path", p.path.is_some()),
                ("tcpSocket", p.tcp_socket.is_some()),
                ("exec", p.exec.is_some()),
                ("grpc", p.grpc.is_some()),
            ]
            .into_iter()
            .filter_map(|(k, on)| on.then_some(k))
            .collect();
            if handlers.len() != 1 {
                self.error_help(
                    &path,
                    if handlers.is_empty() {
                        "the probe has no handler".to_string()
                    } else {
                        format!(
                            "the probe has {} handlers: {}",
                            handlers.len(),
                            handlers.join(", ")
                        )
                    },
                    "give exactly one of `path` (HTTP GET), `tcpSocket`, `exec` or `grpc`",
                );
            }
            if p.port.is_some() && p.path.is_none() {
                self.error_help(
                    &format!("{path}.port"),
                    "`port` belongs to an HTTP probe (`path`)",
                    "put the port inside `tcpSocket` or `grpc`",
                );
            }
            let port_ref = |this: &mut Self, at: String, port: &Option<PortRef>| match port {
                None if port_names.is_empty() => {
                    this.error_help(
                        &at,
                        "the probe needs a port, and this component has none",
                        "give the component a `port`, or probe it with `exec`",
                    );
                    None
                }
                None => None,
                Some(PortRef::Number(n)) => {
                    this.port(&at, *n);
                    Some(serde_json::json!(n))
                }
                Some(PortRef::Name(name)) => {
                    if !port_names.contains(&name.as_str()) {
                        let hint = match did_you_mean(name, port_names.iter().copied()) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => format!("the component's ports: {}", port_names.join(", ")),
                        };
                        this.error_help(&at, format!("no port named `{name}`"), hint);
                    }
                    Some(serde_json::json!(name))
                }
            };
            let (handler, http_path, port, command, grpc_service) = if let Some(http) = &p.path {
                self.url_path(&format!("{path}.path"), http, "?");
                if !http.starts_with('/') {
                    self.error_help(
                        &format!("{path}.path"),
                        format!("probe path `{http}` does not start with `/`"),
                        format!("write it as `/{}`", http.trim_start_matches('/')),
                    );
                }
                let port = port_ref(self, format!("{path}.port"), &p.port);
                ("httpGet", http.clone(), port, Vec::new(), String::new())
            } else if let Some(tcp) = &p.tcp_socket {
                let port = port_ref(self, format!("{path}.tcpSocket.port"), &tcp.port);
                ("tcpSocket", String::new(), port, Vec::new(), String::new())
            } else if let Some(exec) = &p.exec {
                if exec.command.is_empty() {
                    self.error(&format!("{path}.exec.command"), "the command is empty");
                }
                (
                    "exec",
                    String::new(),
                    None,
                    exec.command.clone(),
                    String::new(),
                )
            } else if let Some(grpc) = &p.grpc {
                (
                    "grpc",
                    String::new(),
                    Some(serde_json::json!(grpc.port)),
                    Vec::new(),
                    grpc.service.clone().unwrap_or_default(),
                )
            } else {
                ("exec", String::new(), None, Vec::new(), String::new())
            };
            let defaults = ProbeDefaults::for_kind(kind);
            out.push(CheckedProbe {
                kind: kind.to_string(),
                handler: handler.to_string(),
                path: http_path,
                port,
                command,
                grpc_service,
                // Their minimums are in the schema.
                initial_delay_seconds: p.initial_delay_seconds.unwrap_or(defaults.initial_delay),
                period_seconds: p.period_seconds.unwrap_or(defaults.period),
                timeout_seconds: p.timeout_seconds.unwrap_or(defaults.timeout),
                failure_threshold: p.failure_threshold.unwrap_or(defaults.failure_threshold),
            });
        }
        out
    }

    fn check_volumes(
        &mut self,
        base: &str,
        component: &str,
        c: &Component,
        components: &BTreeMap<String, Component>,
    ) -> Vec<CheckedVolume> {
        let (kind, replicas, volumes) = (c.kind, c.replicas, &c.volumes);
        let autoscaled = c.autoscaling.as_ref().is_some_and(|a| a.enabled);
        let mut out = Vec::new();
        let mut mounts: BTreeMap<&str, &str> = BTreeMap::new();
        for (name, v) in volumes {
            let path = format!("{base}.volumes.{name}");
            self.about_key(&path, |cx| cx.dns_label(&path, name, 50));
            if name == "tmp" {
                self.error_help(
                    &path,
                    "`tmp` is the chart's own /tmp volume",
                    "choose another name",
                );
            }
            if !v.mount_path.starts_with('/') {
                self.error_help(
                    &format!("{path}.mountPath"),
                    format!("`{}` is not an absolute path", v.mount_path),
                    "mount paths start with `/`",
                );
            } else if v.mount_path.trim_end_matches('/') == "/tmp" {
                self.error_help(
                    &format!("{path}.mountPath"),
                    "/tmp is already a writable emptyDir in every container",
                    "mount the volume elsewhere",
                );
            }
            if let Some(other) = mounts.insert(&v.mount_path, name) {
                self.error(
                    &format!("{path}.mountPath"),
                    format!(
                        "`{}` is also the mount path of volume `{other}`",
                        v.mount_path
                    ),
                );
            }
            let sources: Vec<&str> = [
                ("persistent", v.persistent.is_some()),
                ("configMap", v.config_map.is_some()),
                ("secret", v.secret.is_some()),
                ("emptyDir", v.empty_dir.is_some()),
                ("sharedFrom", v.shared_from.is_some()),
            ]
            .into_iter()
            .filter_map(|(k, on)| on.then_some(k))
            .collect();
            if sources.len() != 1 {
                self.error_help(
                    &path,
                    if sources.is_empty() {
                        "the volume has no source".to_string()
                    } else {
                        format!(
                            "the volume has {} sources: {}",
                            sources.len(),
                            sources.join(", ")
                        )
                    },
                    "give exactly one of `persistent`, `configMap`, `secret`, `emptyDir` or `sharedFrom`",
                );
            }
            let mut cv = CheckedVolume {
                name: name.clone(),
                values_key: camel_case(name),
                mount_path: v.mount_path.clone(),
                read_only: v
                    .read_only
                    .unwrap_or(v.config_map.is_some() || v.secret.is_some()),
                source: sources.first().copied().unwrap_or("emptyDir").to_string(),
                shared_from: String::new(),
                shared_from_key: String::new(),
                size: String::new(),
                access_modes: Vec::new(),
                storage_class: String::new(),
                existing_claim: String::new(),
                ref_name: String::new(),
                keys: Vec::new(),
                size_limit: String::new(),
                medium: String::new(),
            };
            if let Some(pv) = &v.persistent {
                let at = format!("{path}.persistent");
                self.bytes_quantity(&format!("{at}.size"), &pv.size);
                let modes: Vec<AccessMode> = if pv.access_modes.is_empty() {
                    vec![AccessMode::ReadWriteOnce]
                } else {
                    pv.access_modes.clone()
                };
                if let Some(class) = &pv.storage_class {
                    self.dns_subdomain(&format!("{at}.storageClass"), class);
                }
                if let Some(claim) = &pv.existing_claim {
                    self.dns_subdomain(&format!("{at}.existingClaim"), claim);
                    if kind == WorkloadKind::StatefulSet {
                        self.error_help(
                            &format!("{at}.existingClaim"),
                            "a StatefulSet makes one claim per pod, so it cannot share one existing claim",
                            "remove `existingClaim`, or use `kind: Deployment`",
                        );
                    }
                }
                let single_writer = !modes.contains(&AccessMode::ReadWriteMany)
                    && !modes.contains(&AccessMode::ReadOnlyMany);
                if kind == WorkloadKind::Deployment && single_writer && (replicas > 1 || autoscaled)
                {
                    self.error_help(
                        &format!("{at}.accessModes"),
                        "pods of a Deployment share one claim, which a single node mounts at a time",
                        "use `accessModes: [ReadWriteMany]` (storage that supports it), one replica, or `kind: StatefulSet` for a volume per pod",
                    );
                }
                cv.size = pv.size.clone();
                cv.access_modes = modes.iter().map(|m| m.as_str().to_string()).collect();
                cv.storage_class = pv.storage_class.clone().unwrap_or_default();
                cv.existing_claim = pv.existing_claim.clone().unwrap_or_default();
            }
            if let Some(owner) = &v.shared_from {
                self.check_shared_claim(
                    &format!("{path}.sharedFrom"),
                    component,
                    name,
                    v,
                    owner,
                    components,
                );
                cv.shared_from = owner.clone();
                cv.shared_from_key = camel_case(owner);
            }
            for (what, files) in [("configMap", &v.config_map), ("secret", &v.secret)] {
                if let Some(f) = files {
                    self.dns_subdomain(&format!("{path}.{what}.name"), &f.name);
                    cv.ref_name = f.name.clone();
                    cv.keys = f.keys.clone();
                }
            }
            if let Some(e) = &v.empty_dir {
                let limit = e
                    .size_limit
                    .clone()
                    .unwrap_or_else(|| EMPTY_DIR_SIZE_LIMIT.into());
                self.bytes_quantity(&format!("{path}.emptyDir.sizeLimit"), &limit);
                if let Some(m) = &e.medium
                    && m != "Memory"
                {
                    self.error_help(
                        &format!("{path}.emptyDir.medium"),
                        format!("`{m}` is not an emptyDir medium"),
                        "use `Memory`, or leave it out for node disk",
                    );
                }
                cv.size_limit = limit;
                cv.medium = e.medium.clone().unwrap_or_default();
            }
            out.push(cv);
        }
        out
    }

    /// `sharedFrom: owner` on volume `volume` of `component`: the owner's volume of that name is a claim that
    /// the pods of both components can mount at once.
    fn check_shared_claim(
        &mut self,
        at: &str,
        component: &str,
        volume: &str,
        v: &Volume,
        owner: &str,
        components: &BTreeMap<String, Component>,
    ) {
        if owner == component {
            self.error_help(
                at,
                "a volume cannot be shared from its own component",
                "declare it with `persistent` here",
            );
            return;
        }
        let Some(oc) = components.get(owner) else {
            // Not this component itself, which cannot share with itself.
            self.unknown_component(at, owner, components.keys().filter(|k| *k != component));
            return;
        };
        let Some(ov) = oc.volumes.get(volume) else {
            let persistent = oc
                .volumes
                .iter()
                .filter(|(_, ov)| ov.persistent.is_some())
                .map(|(n, _)| n.as_str());
            let help = match did_you_mean(volume, persistent) {
                Some(s) => format!("a shared volume keeps its name: did you mean `{s}`?"),
                None => format!(
                    "a shared volume keeps its name: declare `components.{owner}.volumes.{volume}` with `persistent`"
                ),
            };
            self.error_help(at, format!("`{owner}` has no volume `{volume}`"), help);
            return;
        };
        let Some(pv) = &ov.persistent else {
            self.error_help(
                at,
                format!("`{owner}`'s volume `{volume}` is not `persistent`, so it has no claim to share"),
                "share a `persistent` volume; ConfigMap and Secret files can be declared in each component",
            );
            return;
        };
        if oc.kind == WorkloadKind::StatefulSet {
            self.error_help(
                at,
                format!("`{owner}` is a StatefulSet, whose claims are one per pod"),
                "share a volume of a Deployment: each pod of a StatefulSet has a claim of its own",
            );
            return;
        }
        let modes: Vec<AccessMode> = if pv.access_modes.is_empty() {
            vec![AccessMode::ReadWriteOnce]
        } else {
            pv.access_modes.clone()
        };
        let read_only = v.read_only.unwrap_or(false);
        let shareable = modes.contains(&AccessMode::ReadWriteMany)
            || (read_only && modes.contains(&AccessMode::ReadOnlyMany));
        if !shareable {
            let listed: Vec<&str> = modes.iter().map(|m| m.as_str()).collect();
            self.error_help(
                at,
                format!(
                    "`{owner}`'s `{volume}` claim is {}, which pods on different nodes cannot mount together",
                    listed.join(", ")
                ),
                format!(
                    "give `components.{owner}.volumes.{volume}.persistent` `accessModes: [ReadWriteMany]` (storage that supports it: NFS, a cloud file store; Minikube's hostpath storage accepts it)"
                ),
            );
        }
    }

    fn check_cron_job(
        &mut self,
        name: &str,
        cron: &CronJobSpec,
        components: &[CheckedComponent],
    ) -> CheckedCronJob {
        let base = format!("cronJobs.{name}");
        self.about_key(&base, |cx| cx.dns_label(&base, name, 40));
        if !components.iter().any(|c| c.name == cron.component) {
            self.unknown_component(
                &format!("{base}.component"),
                &cron.component,
                components.iter().map(|c| &c.name),
            );
        }
        self.job_run(&base, &cron.command, &cron.args, &cron.env);
        if !is_cron_schedule(&cron.schedule) {
            self.error_help(
                &format!("{base}.schedule"),
                format!("`{}` is not a cron schedule", cron.schedule),
                "five fields: minute (0-59) hour (0-23) day-of-month (1-31) month (1-12 or JAN-DEC) day-of-week \
                 (0-6 or SUN-SAT), e.g. `0 3 * * *`; or @hourly, @daily, @weekly, @monthly, @yearly",
            );
        }
        if let Some(tz) = &cron.time_zone
            && !is_time_zone(tz)
        {
            // `Berlin` is `Europe/Berlin`: a name's last part is the likeliest mistake.
            let near = time_zones()
                .find(|z| {
                    z.rsplit('/')
                        .next()
                        .is_some_and(|city| city.eq_ignore_ascii_case(tz))
                })
                .or_else(|| did_you_mean(tz, time_zones()));
            self.error_help(
                &format!("{base}.timeZone"),
                format!("`{tz}` is not an IANA time zone name"),
                match near {
                    Some(z) => format!("did you mean `{z}`?"),
                    None => "e.g. `Etc/UTC`, `Europe/Berlin` or `America/New_York`".to_string(),
                },
            );
        }
        for (field, value, min) in [
            (
                "startingDeadlineSeconds",
                cron.starting_deadline_seconds,
                10,
            ),
            ("backoffLimit", cron.backoff_limit, 0),
            (
                "ttlSecondsAfterFinished",
                cron.ttl_seconds_after_finished,
                0,
            ),
            ("activeDeadlineSeconds", cron.active_deadline_seconds, 1),
        ] {
            if value < min {
                self.error(
                    &format!("{base}.{field}"),
                    format!("{field} {value} must be at least {min}"),
                );
            }
        }
        CheckedCronJob {
            name: name.to_string(),
            values_key: camel_case(name),
            component: cron.component.clone(),
            command: cron.command.clone(),
            args: cron.args.clone(),
            env: cron.env.clone(),
            schedule: cron.schedule.clone(),
            time_zone: cron.time_zone.clone().unwrap_or_default(),
            concurrency_policy: cron.concurrency_policy.as_str().to_string(),
            starting_deadline_seconds: cron.starting_deadline_seconds,
            backoff_limit: cron.backoff_limit,
            ttl_seconds_after_finished: cron.ttl_seconds_after_finished,
            active_deadline_seconds: cron.active_deadline_seconds,
        }
    }

    fn check_resources(&mut self, base: &str, r: &Resources) -> CheckedResources {
        let mut parse = |path: String, text: &str, what: &str| -> Option<Quantity> {
            match Quantity::parse(text) {
                Some(q) => Some(q),
                None => {
                    let d = self.error(
                        &path,
                        format!("`{text}` is not a Kubernetes {what} quantity"),
                    );
                    d.help = Some("write it like `100m`, `0.5` or `1`".to_string());
                    None
                }
            }
        };
        let req_cpu = parse(format!("{base}.requests.cpu"), &r.requests.cpu, "cpu");
        let lim_cpu = parse(format!("{base}.limits.cpu"), &r.limits.cpu, "cpu");
        let req_mem = self.bytes_quantity(&format!("{base}.requests.memory"), &r.requests.memory);
        let lim_mem = self.bytes_quantity(&format!("{base}.limits.memory"), &r.limits.memory);
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
                self.error_help(
                    &format!("components.{}.service.name", c.name),
                    format!("Service name `{fixed}` is also used by component `{other}`"),
                    "give each component's Service its own name, or drop `service.name` to use the generated one",
                );
                self.first_at(
                    &format!("components.{other}.service.name"),
                    format!("`{other}` names it here"),
                );
            }
            if let Some(fixed) = &c.config_map_name
                && let Some(other) = config_maps.insert(fixed, &c.name)
            {
                self.error_help(
                    &format!("components.{}.configMapName", c.name),
                    format!("ConfigMap name `{fixed}` is also used by component `{other}`"),
                    "give each component its own ConfigMap name, or drop `configMapName` to use the generated one",
                );
                self.first_at(
                    &format!("components.{other}.configMapName"),
                    format!("`{other}` names it here"),
                );
            }
            if let Some(port) = c.node_port
                && let Some(other) = node_ports.insert(port, &c.name)
            {
                self.error_help(
                    &format!("components.{}.service.nodePort", c.name),
                    format!("node port {port} is also used by component `{other}`"),
                    "pick another node port in 30000-32767, or drop `nodePort` and let Kubernetes assign one",
                );
                self.first_at(
                    &format!("components.{other}.service.nodePort"),
                    format!("`{other}` uses it here"),
                );
            }
        }
        // A StatefulSet's headless Service is `<its Service's name>-headless`.
        for sts in components.iter().filter(|c| c.kind == "StatefulSet") {
            let Some(fixed) = &sts.service_name else {
                continue;
            };
            let headless = format!("{fixed}-headless");
            if let Some(c) = components
                .iter()
                .find(|c| c.service_name.as_deref() == Some(headless.as_str()))
            {
                self.error_help(
                    &format!("components.{}.service.name", c.name),
                    format!(
                        "Service name `{headless}` is the headless Service of StatefulSet `{}`",
                        sts.name
                    ),
                    "give this Service another name",
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
                self.first_at(
                    &format!("secretGroups.{other}.name"),
                    format!("`{other}` names it here"),
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
        self.dns_subdomain("ingress.className", &ingress.class_name);
        self.dns_label(
            "ingress.controllerNamespace",
            &ingress.controller_namespace,
            63,
        );
        self.annotations("ingress.annotations", &ingress.annotations);
        let single_host = ingress.hosts.is_empty();
        let listed: Vec<(String, &str, &[Route], Option<&IngressTls>)> = match &ingress.host {
            Some(host) if single_host => vec![(
                "ingress".to_string(),
                host.as_str(),
                ingress.routes.as_slice(),
                ingress.tls.as_ref(),
            )],
            Some(_) => {
                self.error_help(
                    "ingress.host",
                    "`host` and `hosts` are both set",
                    "list every host under `hosts` (each with its `routes` and `tls`), or use `host` alone",
                );
                Vec::new()
            }
            None if single_host => {
                self.error_help(
                    "ingress",
                    "an ingress needs a `host` or a list of `hosts`",
                    "add `host: app.example.com` with its `routes`",
                );
                Vec::new()
            }
            None => {
                if !ingress.routes.is_empty() || ingress.tls.is_some() {
                    self.error_help(
                        "ingress.routes",
                        "`routes` and `tls` beside `hosts` belong to no host",
                        "move them into the entry of `hosts` they are for",
                    );
                }
                ingress
                    .hosts
                    .iter()
                    .enumerate()
                    .map(|(i, h)| {
                        (
                            format!("ingress.hosts.{i}"),
                            h.host.as_str(),
                            h.routes.as_slice(),
                            h.tls.as_ref(),
                        )
                    })
                    .collect()
            }
        };
        let mut hosts: Vec<CheckedHost> = Vec::new();
        for (base, host, host_routes, tls) in listed {
            let host_path = format!("{base}.host");
            // Kubernetes takes one leading `*.` label: a wildcard host.
            let named = host.strip_prefix("*.").unwrap_or(host);
            if !is_dns_subdomain(named) {
                self.error_help(
                    &host_path,
                    format!("`{host}` is not a valid host name"),
                    "use lower-case DNS labels separated by dots, e.g. `todo.local` (or `*.todo.local` for a wildcard)",
                );
            }
            if hosts.iter().any(|h| h.host == host) {
                self.error_help(
                    &host_path,
                    format!("the host `{host}` is listed twice"),
                    "merge its routes into one entry",
                );
            }
            let routes = self.check_routes(&base, host_routes, components);
            let tls_secret = tls.map(|t| {
                let name = t
                    .secret_name
                    .clone()
                    .unwrap_or_else(|| format!("{}-tls", host.replace('.', "-")));
                self.dns_subdomain(&format!("{base}.tls.secretName"), &name);
                name
            });
            hosts.push(CheckedHost {
                host: host.to_string(),
                routes,
                tls_secret,
            });
        }
        CheckedIngress {
            single_host,
            hosts,
            class_name: ingress.class_name.clone(),
            controller_namespace: ingress.controller_namespace.clone(),
            annotations: ingress.annotations.clone(),
        }
    }

    /// The routes of one Ingress host; `base` is the host's key path.
    fn check_routes(
        &mut self,
        base: &str,
        routes: &[Route],
        components: &BTreeMap<String, Component>,
    ) -> Vec<CheckedRoute> {
        if routes.is_empty() {
            self.error(
                &format!("{base}.routes"),
                "an ingress host needs at least one route",
            );
        }
        let mut seen = BTreeSet::new();
        let mut checked = Vec::new();
        for (i, route) in routes.iter().enumerate() {
            let path = format!("{base}.routes.{i}");
            if !route.path.starts_with('/') {
                self.error_help(
                    &format!("{path}.path"),
                    format!("route path `{}` does not start with `/`", route.path),
                    format!("write it as `/{}`", route.path.trim_start_matches('/')),
                );
            }
            let also = if route.path_type == PathType::ImplementationSpecific {
                REGEX_PATH_CHARS
            } else {
                ""
            };
            self.url_path(&format!("{path}.path"), &route.path, also);
            if !seen.insert((route.path.clone(), route.path_type)) {
                self.error(
                    &format!("{path}.path"),
                    format!("the path `{}` is routed twice", route.path),
                );
            }
            if let Some(c) = components.get(&route.component) {
                if c.port.is_none() || !c.service.enabled {
                    self.error_help(
                        &format!("{path}.component"),
                        format!("`{}` has no Service to route to", route.component),
                        format!(
                            "give `components.{}` a `port`, or route to another component",
                            route.component
                        ),
                    );
                }
                if let Some(port) = route.port.as_deref()
                    && port != "http"
                    && !c.ports.contains_key(port)
                {
                    let names: Vec<&str> = std::iter::once("http")
                        .chain(c.ports.keys().map(String::as_str))
                        .collect();
                    let help = match did_you_mean(port, names.iter().copied()) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => format!("`{}` has the ports {}", route.component, names.join(", ")),
                    };
                    self.error_help(
                        &format!("{path}.port"),
                        format!("`{}` has no port named `{port}`", route.component),
                        help,
                    );
                }
            } else {
                self.unknown_component(
                    &format!("{path}.component"),
                    &route.component,
                    components.keys(),
                );
            }
            checked.push(CheckedRoute {
                path: route.path.clone(),
                component: route.component.clone(),
                path_type: route.path_type.as_str().to_string(),
                port: route.port.clone().unwrap_or_else(|| "http".into()),
            });
        }
        checked
    }

    fn check_database(&mut self, db: &DatabaseSpec) -> CheckedDatabase {
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

    /// What a Job or CronJob runs: a command or arguments to the image's entrypoint, and its own env vars.
    fn job_run(
        &mut self,
        base: &str,
        command: &[String],
        args: &[String],
        env: &BTreeMap<String, String>,
    ) {
        if command.is_empty() && args.is_empty() {
            self.error_help(
                &format!("{base}.command"),
                "the Job runs nothing",
                "give `command` (or `args` for the image's own entrypoint)",
            );
        }
        for key in env.keys() {
            let path = format!("{base}.env.{key}");
            self.about_key(&path, |cx| cx.env_name(&path, key));
        }
    }

    fn check_job(
        &mut self,
        name: &str,
        job: &HookJob,
        components: &[CheckedComponent],
    ) -> CheckedJob {
        let base = format!("jobs.{name}");
        self.about_key(&base, |cx| cx.dns_label(&base, name, 40));
        if !components.iter().any(|c| c.name == job.component) {
            self.unknown_component(
                &format!("{base}.component"),
                &job.component,
                components.iter().map(|c| &c.name),
            );
        }
        self.job_run(&base, &job.command, &job.args, &job.env);
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
        CheckedJob {
            name: name.to_string(),
            values_key: camel_case(name),
            component: job.component.clone(),
            command: job.command.clone(),
            args: job.args.clone(),
            env: job.env.clone(),
            hooks: job.hooks.iter().map(|h| h.as_str().to_string()).collect(),
            backoff_limit: job.backoff_limit,
            active_deadline_seconds: job.active_deadline_seconds,
        }
    }

    /// Jobs and CronJobs have values sections next to the components': no two may share a key, and none may take a
    /// key the chart uses itself.
    fn check_values_keys(
        &mut self,
        components: &[CheckedComponent],
        jobs: &[CheckedJob],
        cron_jobs: &[CheckedCronJob],
    ) {
        let mut seen: BTreeMap<String, String> = components
            .iter()
            .map(|c| (c.values_key.clone(), format!("component `{}`", c.name)))
            .collect();
        // Components and jobs are checked by the name registry; a cron job must not take their keys.
        seen.extend(
            jobs.iter()
                .map(|j| (j.values_key.clone(), format!("`jobs.{}`", j.name))),
        );
        let others = cron_jobs
            .iter()
            .map(|j| ("cronJobs", &j.name, &j.values_key));
        for (section, name, key) in others {
            let path = format!("{section}.{name}");
            if RESERVED_VALUES_KEYS.contains(&key.as_str()) {
                self.about_key(&path, |cx| {
                    cx.error_help(
                        &path,
                        format!("`{name}` is a name the chart's values.yaml uses itself"),
                        format!("rename it; reserved: {}", RESERVED_VALUES_KEYS.join(", ")),
                    )
                });
            } else if let Some(other) = seen.insert(key.clone(), format!("`{path}`")) {
                self.error_help(
                    &path,
                    format!("`{name}` and {other} both become the values key `{key}`"),
                    "give each component, job and cron job its own name",
                );
            }
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
    /// A URL path: letters, digits and the characters RFC 3986 allows in a path, plus `also` (`?` for a probe
    /// path with a query, the regular-expression characters for an `ImplementationSpecific` Ingress path).
    fn url_path(&mut self, path: &str, value: &str, also: &str) {
        let bad = value.chars().find(|&c| {
            !(c.is_ascii_alphanumeric() || "-._~/%!&'()*+,;=:@".contains(c) || also.contains(c))
        });
        if let Some(c) = bad {
            let shown = if c.is_ascii_graphic() {
                format!("`{c}`")
            } else {
                format!("U+{:04X}", u32::from(c))
            };
            let regex = REGEX_PATH_CHARS.contains(c) && !also.contains(c);
            let help = if regex && path.contains(".routes.") {
                "a regular-expression path needs `pathType: ImplementationSpecific` (and the controller's regex annotation, e.g. `nginx.ingress.kubernetes.io/use-regex: \"true\"`); otherwise percent-encode it".to_string()
            } else if value.contains('?') {
                // A query may carry a credential: the help does not repeat the path.
                "use letters, digits and - . _ ~ / % ! & ' ( ) * + , ; = : @ and percent-encode anything else (`%7B` for `{`)".to_string()
            } else {
                let mut encoded = String::new();
                for ch in value.chars() {
                    if ch.is_ascii_alphanumeric()
                        || "-._~/%!&'()*+,;=:@".contains(ch)
                        || also.contains(ch)
                    {
                        encoded.push(ch);
                    } else {
                        let mut bytes = [0; 4];
                        for b in ch.encode_utf8(&mut bytes).bytes() {
                            encoded.push_str(&format!("%{b:02X}"));
                        }
                    }
                }
                format!(
                    "percent-encode it: `{encoded}` (a URL path holds letters, digits and - . _ ~ / % ! & ' ( ) * + , ; = : @)"
                )
            };
            self.error_help(
                path,
                format!("the path contains {shown}, which a URL path cannot hold"),
                help,
            );
        }
    }

    /// A quantity of bytes (memory, a claim's size, an emptyDir's limit): a Kubernetes quantity, and not in
    /// thousandths (`128m` is 0.128 bytes, which no container can start with). The help suggests the likely
    /// spelling (`2GB`, `1 gi` → `2Gi`, `1Gi`).
    fn bytes_quantity(&mut self, path: &str, text: &str) -> Option<Quantity> {
        let suggestion = suggest_bytes(text);
        let help = match &suggestion {
            Some(s) => format!("write `{s}` (binary units Ki, Mi, Gi, Ti; or k, M, G, T)"),
            None => "write it like `128Mi`, `10Gi` or `500M`".to_string(),
        };
        match Quantity::parse(text) {
            Some(_) if text.trim_end().ends_with('m') => {
                self.error_help(
                    path,
                    format!("`{text}` is in thousandths of a byte (`m` is milli)"),
                    help,
                );
                None
            }
            Some(q) => Some(q),
            None => {
                self.error_help(path, format!("`{text}` is not a Kubernetes quantity"), help);
                None
            }
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
        if name.len() > 253 {
            // Reported by the key-length check (or, for a list entry, here), never quoted whole.
            self.error(
                path,
                format!("a name of {} characters; at most 253", name.len()),
            );
        } else if !is_env_name(name) {
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

/// The timing a probe gets where the spec leaves it out.
pub(crate) struct ProbeDefaults {
    pub(crate) initial_delay: i64,
    pub(crate) period: i64,
    pub(crate) timeout: i64,
    pub(crate) failure_threshold: i64,
}

impl ProbeDefaults {
    pub(crate) fn for_kind(kind: &str) -> Self {
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
fn check_secret_values(doc: &Node) -> Vec<Diagnostic> {
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
                    Diagnostic::new(
                        format!("secretGroups.{}.keys.{}", group.name, key.name),
                        "a secret value in the spec: specs hold secret key names, never values",
                    )
                    .at_node(value)
                    .help(format!(
                        "list the name only (`keys: [{}]`) and supply the value at install time with \
                         `--set secrets.{}=…` or `-f values-local.yaml`",
                        key.name, key.name
                    ))
                    .secret(value.scalar_text().unwrap_or_default()),
                );
            }
        }
    }
    diags
}

fn structural_errors(doc: &Node, json: &serde_json::Value) -> Vec<Diagnostic> {
    let Some(validator) = spec_validator() else {
        return vec![Diagnostic::new(
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
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let t = Translator {
        doc,
        json,
        schema,
        skip: &skip,
    };
    for err in validator.iter_errors(json) {
        t.translate(&err, &mut diags);
    }
    diags
}

struct Translator<'a> {
    doc: &'a Node,
    json: &'a serde_json::Value,
    schema: &'a serde_json::Value,
    skip: &'a dyn Fn(&str, Option<&serde_json::Value>) -> bool,
}

fn segments_of(location: &jsonschema::paths::Location) -> Vec<String> {
    location
        .iter()
        .map(|s| match s {
            LocationSegment::Property(p) => p.to_string(),
            LocationSegment::Index(i) => i.to_string(),
        })
        .collect()
}

impl Translator<'_> {
    fn translate(&self, err: &jsonschema::ValidationError<'_>, diags: &mut Vec<Diagnostic>) {
        let (doc, json, schema) = (self.doc, self.json, self.schema);
        let segments = segments_of(err.instance_path());
        let path = segments.join(".");
        if (self.skip)(&path, json_at(json, &segments)) {
            return;
        }
        let pos = doc.locate(&segments);
        // An error about a value covers the whole value; one about a missing key points where it belongs.
        let at_value = |d: Diagnostic| match doc.at(&segments) {
            Some(node) => d.at_node(node),
            None => d.at(pos),
        };
        match err.kind() {
            // An optional section (`anyOf: [section, null]`) or a choice of shapes: report the errors of the
            // branch the value was meant for, so a typo inside gets its key, line and "did you mean".
            ValidationErrorKind::AnyOf { context }
            | ValidationErrorKind::OneOfNotValid { context } => {
                match best_branch(context, err.instance_path()) {
                    Some(branch) => {
                        for e in branch {
                            self.translate(e, diags);
                        }
                    }
                    None => {
                        // Say what the choices are: the types the branches want (a mapping, a list, …).
                        let mut wanted: Vec<&str> = Vec::new();
                        for branch in context.iter() {
                            for e in branch {
                                if let ValidationErrorKind::Type { kind } = e.kind() {
                                    let debug = format!("{kind:?}").to_lowercase();
                                    for word in [
                                        "object", "array", "string", "integer", "number", "boolean",
                                    ] {
                                        if debug.contains(word) && !wanted.contains(&word) {
                                            wanted.push(word);
                                        }
                                    }
                                }
                            }
                        }
                        let help = if wanted.is_empty() {
                            "see the spec reference in the README for the shape this key takes"
                                .to_string()
                        } else {
                            let shapes: Vec<String> = wanted
                                .iter()
                                .map(|w| match *w {
                                    "object" => {
                                        "a mapping (`{}` for the defaults, or `{ key: value }`)"
                                            .to_string()
                                    }
                                    "array" => "a list (`[a, b]`)".to_string(),
                                    other => article(other),
                                })
                                .collect();
                            format!(
                                "write {} here; the spec reference in the README shows its keys",
                                shapes.join(" or ")
                            )
                        };
                        diags.push(at_value(
                            Diagnostic::new(
                                path.clone(),
                                format!("{} does not fit here", describe(err.instance())),
                            )
                            .help(help),
                        ))
                    }
                }
            }
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let allowed = allowed_properties(schema, err.schema_path().as_str());
                for key in unexpected {
                    let mut key_path = segments.clone();
                    key_path.push(key.clone());
                    let d = Diagnostic::new(key_path.join("."), format!("{UNKNOWN_KEY}{key}`"));
                    let mut d = match doc.key_at(&key_path) {
                        Some(k) => d.at_key(k),
                        None => d.at(doc.locate_key(&key_path)),
                    };
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
                // At the key of the mapping that lacks it (its first entry, for the top level).
                let d = Diagnostic::new(
                    path.clone(),
                    format!("missing required key `{name}` in {shown}"),
                );
                diags.push(match doc.key_at(&segments) {
                    Some(key) => d.at_key(key),
                    None => d.at(pos),
                });
            }
            ValidationErrorKind::Type { kind } => {
                // The kind's Debug form lists the allowed JSON types (one, or several as a set); an optional
                // field also allows null, which is not worth offering as a fix.
                let debug = format!("{kind:?}").to_lowercase();
                let words: Vec<&str> = debug
                    .split(|c: char| !c.is_ascii_alphabetic())
                    .filter(|w| {
                        ["array", "object", "integer", "number", "string", "boolean"].contains(w)
                    })
                    .collect();
                let expected = words.join(" or ");
                let shown = if words.is_empty() {
                    "nothing (null)".to_string()
                } else {
                    words
                        .iter()
                        .map(|w| article(w))
                        .collect::<Vec<_>>()
                        .join(" or ")
                };
                let mut d = at_value(Diagnostic::new(
                    path.clone(),
                    format!("expected {shown}, found {}", describe(err.instance())),
                ));
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
                } else if (expected.contains("integer") || expected.contains("number"))
                    && err
                        .instance()
                        .as_str()
                        .is_some_and(|t| t.trim().parse::<f64>().is_ok())
                {
                    d.help = Some("write the number without quotes".into());
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
                let mut d = at_value(Diagnostic::new(
                    path.clone(),
                    format!("{found} is not allowed here"),
                ));
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
            ValidationErrorKind::Minimum { limit } | ValidationErrorKind::Maximum { limit } => {
                let found = err.instance().to_string();
                let below = matches!(err.kind(), ValidationErrorKind::Minimum { .. });
                let field = segments.last().map_or("", String::as_str);
                let (message, help) = match field {
                    "runAsUser" if below => (
                        format!("{found} runs as root"),
                        "use a UID above 0, e.g. 1000".to_string(),
                    ),
                    "runAsGroup" if below => (
                        format!("{found} is the root group"),
                        "use a GID above 0, e.g. 1000".to_string(),
                    ),
                    "terminationGracePeriodSeconds" if below => (
                        format!("{found} seconds is too short for a graceful shutdown"),
                        format!("use at least {limit}"),
                    ),
                    "nodePort" => (
                        format!("node port {found} is outside the default range"),
                        "use a node port from 30000 to 32767, or leave it out and let Kubernetes pick one"
                            .to_string(),
                    ),
                    f if f == "port" || f.ends_with("Port") || segments.iter().any(|s| s == "ports" || s.ends_with("Ports")) => (
                        format!("{found} is not a port number"),
                        "use a port from 1 to 65535".to_string(),
                    ),
                    _ if below => (
                        format!("{found} is less than {limit}"),
                        format!("use {limit} or more"),
                    ),
                    _ => (
                        format!("{found} is more than {limit}"),
                        format!("use {limit} or less"),
                    ),
                };
                let mut d = at_value(Diagnostic::new(path.clone(), message));
                d.help = Some(help);
                diags.push(d);
            }
            // `not: {const: latest}`: the one value a field refuses.
            ValidationErrorKind::Not { schema: refused } => {
                let found = err.instance().to_string();
                let help = match refused.get("const") {
                    Some(v) if v.as_str() == Some("latest") => {
                        "pin a version (e.g. `1.4.2`): `latest` changes under a running release"
                            .to_string()
                    }
                    _ => "see the spec reference in the README for the values this key takes"
                        .to_string(),
                };
                diags.push(at_value(
                    Diagnostic::new(path.clone(), format!("{found} is not allowed here"))
                        .help(help),
                ));
            }
            _ => diags.push(at_value(Diagnostic::new(path.clone(), err.to_string()))),
        }
    }
}

/// The branch of an `anyOf`/`oneOf` the value was meant for: not one whose only complaint is the value's type
/// (the `null` of an optional section, a string form next to a mapping form), and of those the one with the
/// fewest errors. `None` when the value's type fits no branch.
fn best_branch<'e, 'a>(
    context: &'e [Vec<jsonschema::ValidationError<'a>>],
    at: &jsonschema::paths::Location,
) -> Option<&'e [jsonschema::ValidationError<'a>]> {
    context
        .iter()
        .filter(|errs| {
            !errs.iter().any(|e| {
                e.instance_path() == at
                    && matches!(
                        e.kind(),
                        ValidationErrorKind::Type { .. } | ValidationErrorKind::Constant { .. }
                    )
            })
        })
        .min_by_key(|errs| errs.len())
        .map(Vec::as_slice)
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
        "number" => "a number".into(),
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

/// The pod fields Kubernetes accepts in an env var's `fieldRef` (the downward API); anything else is refused at
/// install time.
const POD_FIELDS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

fn is_pod_field(field: &str) -> bool {
    let keyed = |prefix: &str| {
        field
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix("['"))
            .and_then(|rest| rest.strip_suffix("']"))
            .is_some_and(is_label_key)
    };
    POD_FIELDS.contains(&field) || keyed("metadata.labels") || keyed("metadata.annotations")
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

/// An env var name that is also a valid ConfigMap and Secret key (at most 253 characters), as the chart stores
/// config and secrets under their variables' names.
pub fn is_env_name(name: &str) -> bool {
    if name.len() > 253 {
        return false;
    }
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

/// A Prometheus duration: one or more `<number><unit>` parts, units ms, s, m, h, d, w, y (`30s`, `1m30s`).
fn is_duration(text: &str) -> bool {
    let mut rest = text;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 {
            return false;
        }
        rest = &rest[digits..];
        let Some(unit) = ["ms", "s", "m", "h", "d", "w", "y"]
            .into_iter()
            .find(|u| rest.starts_with(u))
        else {
            return false;
        };
        rest = &rest[unit.len()..];
    }
    true
}

/// A full semantic version 2.0.0: `MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]`, nothing before or after.
/// The byte quantity someone writing `2GB`, `1 gi`, `512mb` or `128m` most likely means, if it differs.
fn suggest_bytes(text: &str) -> Option<String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let split = compact
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(compact.len());
    let (number, unit) = compact.split_at(split);
    let unit = match unit.to_ascii_lowercase().as_str() {
        "k" | "kb" | "ki" | "kib" => "Ki",
        "m" | "mb" | "mi" | "mib" => "Mi",
        "g" | "gb" | "gi" | "gib" => "Gi",
        "t" | "tb" | "ti" | "tib" => "Ti",
        _ => return None,
    };
    let suggestion = format!("{number}{unit}");
    (suggestion != text && !number.is_empty() && Quantity::parse(&suggestion).is_some())
        .then_some(suggestion)
}

pub(crate) fn is_semver(v: &str) -> bool {
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

/// A schedule the CronJob controller accepts: five fields (minute 0-59, hour 0-23, day of month 1-31, month 1-12
/// or `JAN`-`DEC`, day of week 0-6 or `SUN`-`SAT`), each a list of `*`, values and ranges with an optional
/// `/step` (`?` for either day field), or a `@` macro.
fn is_cron_schedule(schedule: &str) -> bool {
    const MACROS: [&str; 7] = [
        "@yearly",
        "@annually",
        "@monthly",
        "@weekly",
        "@daily",
        "@midnight",
        "@hourly",
    ];
    const MONTHS: [&str; 12] = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ];
    const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
    // (lowest, highest, names from the lowest on, `?` allowed)
    const FIELDS: [(u32, u32, &[&str], bool); 5] = [
        (0, 59, &[], false),
        (0, 23, &[], false),
        (1, 31, &[], true),
        (1, 12, &MONTHS, false),
        (0, 6, &DAYS, true),
    ];
    if MACROS.contains(&schedule.trim()) {
        return true;
    }
    let fields: Vec<&str> = schedule.split_whitespace().collect();
    fields.len() == 5
        && fields
            .iter()
            .zip(FIELDS)
            .all(|(field, (lo, hi, names, question))| {
                let value = |text: &str| -> Option<u32> {
                    text.parse::<u32>()
                        .ok()
                        .or_else(|| {
                            names
                                .iter()
                                .position(|n| n.eq_ignore_ascii_case(text))
                                .map(|i| i as u32 + lo)
                        })
                        .filter(|v| (lo..=hi).contains(v))
                };
                field.split(',').all(|part| {
                    let (range, step) = match part.split_once('/') {
                        Some((range, step)) => (range, Some(step)),
                        None => (part, None),
                    };
                    if step.is_some_and(|s| s.parse::<u32>().map_or(true, |n| n == 0)) {
                        return false;
                    }
                    if range == "*" || (question && range == "?") {
                        return true;
                    }
                    match range.split_once('-') {
                        Some((from, to)) => {
                            matches!((value(from), value(to)), (Some(a), Some(b)) if a <= b)
                        }
                        None => value(range).is_some(),
                    }
                })
            })
}

/// The IANA time zone names (zones and their links) of the tz database, which the API server checks a CronJob's
/// `timeZone` against.
const TIME_ZONES: &str = include_str!("time_zones.txt");

fn time_zones() -> impl Iterator<Item = &'static str> {
    TIME_ZONES
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
}

fn is_time_zone(tz: &str) -> bool {
    time_zones().any(|z| z == tz)
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
    #[test]
    fn cron_schedules_are_checked_field_by_field() {
        for good in [
            "0 3 * * *",
            "*/15 * * * *",
            "0 0-23/2 * * MON-FRI",
            "30 4 1,15 JAN,jul ?",
            "0 3 31 12 6",
            "5 */1 * * sun",
            "@daily",
        ] {
            assert!(super::is_cron_schedule(good), "{good}");
        }
        for bad in [
            "61 25 32 13 8",
            "0 25 * * *",
            "0 3 * * 8",
            "0 3 32 * *",
            "0 3 0 * *",
            "*/0 * * * *",
            "0 5-2 * * *",
            "0 3 * FOO *",
            "? * * * *",
            "* * *",
            "@fortnightly",
        ] {
            assert!(!super::is_cron_schedule(bad), "{bad}");
        }
    }

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

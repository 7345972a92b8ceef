//! Kubernetes objects to a chart spec: workloads become components, Services, Ingresses, HPAs, ConfigMaps,
//! Secrets and claims become the parts of them they configure. What the spec cannot say is reported with the
//! file and line it came from.

use super::Source;
use super::report::{Carried, Item, Report};
use crate::lint::object::{Object, Unit};
use crate::lint::source::{Focus, Seg, locate};
use crate::secrets;
use crate::yaml::Node;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// Kinds chartgen renders itself from the spec: importing them would only duplicate what it generates.
const REGENERATED: &[&str] = &[
    "ServiceAccount",
    "NetworkPolicy",
    "PodDisruptionBudget",
    "Role",
    "RoleBinding",
    "Namespace",
];

/// A name made a DNS-1123 label of at most `max` characters (`My_App` → `my-app`).
pub fn dns_label(name: &str, max: usize) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out: String = out.trim_matches('-').chars().take(max).collect();
    while out.ends_with('-') {
        out.pop();
    }
    if !out.starts_with(|c: char| c.is_ascii_lowercase()) {
        out = format!("x{out}").chars().take(max).collect();
    }
    out
}

use crate::spec::validate::is_env_name;

/// Where an object (and a path in it) came from, for the report: the template or values.yaml line of a chart,
/// the manifest line of a file.
struct Locator<'a> {
    unit: &'a Unit,
}

impl Locator<'_> {
    fn at(&self, object: &Object, path: &[&str]) -> (String, u32) {
        let segs: Vec<Seg> = path
            .iter()
            .map(|p| match p.parse::<usize>() {
                Ok(i) => Seg::Index(i),
                Err(_) => Seg::Key(p.to_string()),
            })
            .collect();
        let mut node = Some(&object.doc);
        for s in path {
            node = node.and_then(|n| match s.parse::<usize>() {
                Ok(i) => n.as_seq().get(i),
                Err(_) => n.get(s),
            });
        }
        let pos = node.map_or(object.doc.pos, |n| n.pos);
        let (file, line, _) = locate(&object.origin, &segs, pos, Focus::Place);
        let file = self
            .unit
            .sources
            .get(file)
            .map(|s| s.path.clone())
            .unwrap_or_default();
        (file, line)
    }

    fn item(&self, object: &Object, path: &[&str], why: impl Into<String>) -> Item {
        let (file, line) = self.at(object, path);
        Item {
            file,
            line,
            object: format!("{} {}", object.kind, object.name),
            field: path.join("."),
            why: why.into(),
        }
    }
}

fn text(node: Option<&Node>) -> Option<String> {
    node.and_then(Node::scalar_text)
}

fn int(node: Option<&Node>) -> Option<i64> {
    node.and_then(|n| n.as_i64().or_else(|| n.scalar_text()?.parse().ok()))
}

/// The spec name of an object: its `app.kubernetes.io/component` label, else its name without the release and
/// chart prefixes Helm charts put in front.
fn short_name(object: &Object, prefixes: &[String], chart: &str) -> String {
    if let Some(c) = text(
        object
            .doc
            .path("metadata.labels")
            .and_then(|l| l.get("app.kubernetes.io/component")),
    ) && !c.is_empty()
    {
        return dns_label(&c, 40);
    }
    let mut name = object.name.as_str();
    for p in prefixes {
        if let Some(rest) = name.strip_prefix(p.as_str())
            && !rest.is_empty()
        {
            name = rest;
            break;
        }
    }
    if prefixes.iter().any(|p| p.trim_end_matches('-') == name) {
        name = chart;
    }
    dns_label(name, 40)
}

struct Workload<'a> {
    object: &'a Object,
    source: usize,
    name: String,
}

/// Maps every source to one spec and its report.
pub(super) fn to_spec(name: &str, sources: &[Source]) -> (Value, Report) {
    let mut report = Report::default();
    let mut spec = Map::new();
    spec.insert("apiVersion".into(), json!("chartgen.dev/v1"));
    spec.insert("kind".into(), json!("ChartSpec"));
    let first = sources.iter().find(|s| s.chart.is_some());
    let app_version = first
        .and_then(|s| s.app_version.clone())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "1.0.0".into());
    let description = first
        .and_then(|s| s.description.clone())
        .filter(|d| !d.trim().is_empty())
        .map(|d| d.lines().next().unwrap_or_default().trim().to_string())
        .unwrap_or_else(|| format!("{name}, imported by chartgen"));
    // The chart keeps its version, so the next release of the generated chart follows the last hand-written one.
    let version = first
        .and_then(|s| s.version.clone())
        .filter(|v| crate::spec::validate::is_semver(v))
        .unwrap_or_else(|| "0.1.0".into());
    spec.insert(
        "metadata".into(),
        json!({"name": name, "description": description, "version": version, "appVersion": app_version}),
    );

    // Every object with the prefixes of its source, and the objects by kind.
    let mut workloads: Vec<Workload> = Vec::new();
    let mut taken = BTreeSet::new();
    for (si, source) in sources.iter().enumerate() {
        let loc = Locator { unit: &source.unit };
        let prefixes = prefixes_of(source);
        let chart = source.chart.clone().unwrap_or_else(|| name.to_string());
        for object in &source.unit.objects {
            match object.kind.as_str() {
                "Deployment" | "StatefulSet" => {
                    let mut short = short_name(object, &prefixes, &chart);
                    let mut n = 2;
                    while !taken.insert(short.clone()) {
                        short = format!("{}-{n}", short.chars().take(36).collect::<String>());
                        n += 1;
                    }
                    workloads.push(Workload {
                        object,
                        source: si,
                        name: short,
                    });
                }
                "Service" | "Ingress" | "HorizontalPodAutoscaler" | "ConfigMap" | "Secret"
                | "PersistentVolumeClaim" | "CronJob" | "Job" | "Pod" => {}
                kind if REGENERATED.contains(&kind) => report.carried.push(Carried {
                    object: format!("{kind} {}", object.name),
                    file: loc.at(object, &[]).0,
                    became: "regenerated by chartgen from the spec (least privilege, default-deny)".into(),
                }),
                kind => report.not_carried(loc.item(
                    object,
                    &[],
                    format!("the spec has no {kind}; keep it in a chart of its own or apply it beside this one"),
                )),
            }
        }
    }

    let mut ctx = Ctx {
        sources,
        report,
        secret_groups: BTreeMap::new(),
        services: BTreeMap::new(),
        pull_secrets: BTreeSet::new(),
        renamed_secret_keys: BTreeSet::new(),
        secret_text: BTreeMap::new(),
        claim_owners: BTreeMap::new(),
        untimed_probes: Vec::new(),
    };
    let mut components = Map::new();
    for w in &workloads {
        let c = ctx.component(w, name, &workloads);
        components.insert(w.name.clone(), c);
    }
    if !ctx.untimed_probes.is_empty() {
        // chartgen's timing, for the kinds of probe listed.
        let timing: Vec<String> = ["liveness", "readiness", "startup"]
            .into_iter()
            .filter(|kind| ctx.untimed_probes.iter().any(|p| p.ends_with(kind)))
            .map(|kind| {
                let d = crate::spec::validate::ProbeDefaults::for_kind(kind);
                format!(
                    "{kind}: {} s delay, every {} s, {} s timeout, {} failures",
                    d.initial_delay, d.period, d.timeout, d.failure_threshold
                )
            })
            .collect();
        ctx.report.change(format!(
            "probes that leave timing to Kubernetes (no delay, every 10 s, 1 s timeout, 3 failures) get chartgen's \
             ({}): {}; give them `initialDelaySeconds`, `periodSeconds`, `timeoutSeconds` or `failureThreshold` in \
             the spec to keep Kubernetes'",
            timing.join("; "),
            ctx.untimed_probes.join(", ")
        ));
    }
    // Flows: a component whose config names another component's Service connects to it.
    let service_names = ctx.services.clone();
    for (comp, value) in components.iter_mut() {
        let mut haystack = value.to_string();
        if let Some(secret_text) = ctx.secret_text.get(comp) {
            haystack.push('\n');
            haystack.push_str(secret_text);
        }
        let mut targets: Vec<String> = service_names
            .iter()
            .filter(|(svc, target)| *target != comp && mentions_host(&haystack, svc))
            .map(|(_, target)| target.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        targets.retain(|t| t != comp);
        if !targets.is_empty()
            && let Value::Object(map) = value
        {
            map.insert("connectsTo".into(), json!(targets));
        }
    }
    for (si, source) in sources.iter().enumerate() {
        for object in &source.unit.objects {
            match object.kind.as_str() {
                "CronJob" => ctx.cron_job(si, object, &workloads, &mut spec),
                "Job" => ctx.hook_job(si, object, &workloads, &mut spec),
                "Pod" => {
                    let loc = Locator { unit: &source.unit };
                    let item = if object
                        .doc
                        .path("metadata.annotations")
                        .and_then(|a| a.get("helm.sh/hook"))
                        .is_some()
                    {
                        loc.item(
                            object,
                            &[],
                            "a `helm test` Pod: chartgen renders its own connection test",
                        )
                    } else {
                        loc.item(
                            object,
                            &[],
                            "a bare Pod: the spec describes workloads (Deployments, StatefulSets)",
                        )
                    };
                    ctx.report.not_carried(item);
                }
                _ => {}
            }
        }
    }
    if let Some(ingress) = ctx.ingress(&workloads) {
        spec.insert("ingress".into(), ingress);
    }
    if !ctx.secret_groups.is_empty() {
        let groups: Map<String, Value> = ctx
            .secret_groups
            .iter()
            .map(|(g, keys)| (g.clone(), json!({"keys": keys.iter().collect::<Vec<_>>()})))
            .collect();
        ctx.report.secret_keys = ctx
            .secret_groups
            .values()
            .flatten()
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        spec.insert("secretGroups".into(), Value::Object(groups));
    }
    spec.insert("components".into(), Value::Object(components));
    if !ctx.pull_secrets.is_empty() {
        spec.insert(
            "imagePullSecrets".into(),
            json!(ctx.pull_secrets.iter().collect::<Vec<_>>()),
        );
    }
    let renamed = std::mem::take(&mut ctx.renamed_secret_keys);
    ctx.report.not_carried.retain(|item| {
        !renamed.iter().any(|(secret, key)| {
            item.object == format!("Secret {secret}") && item.field.ends_with(&format!(".{key}"))
        })
    });
    let mut report = ctx.report;
    // The hardening the chart adds is said only where the source did not have it already.
    let pods: Vec<&Node> = workloads
        .iter()
        .filter_map(|w| w.object.doc.path("spec.template"))
        .collect();
    let policies: Vec<&Object> = sources
        .iter()
        .flat_map(|s| &s.unit.objects)
        .filter(|o| o.kind == "NetworkPolicy")
        .collect();
    if !pods.iter().all(|pod| denied_by_default(pod, &policies)) {
        report.change(
            "NetworkPolicies deny every flow the spec does not declare: a component reaches another only through \
             `connectsTo` (set from config that names its Service), and nothing outside the cluster unless you add \
             `database: true` or `externalEgressPorts`",
        );
    }
    if !pods.iter().all(|pod| runs_restricted(pod)) {
        report.change(
            "every container runs as a non-root user (UID 1000 unless `security.runAsUser`) with a read-only root \
             filesystem, no privilege escalation and all capabilities dropped: an image that needs root or writes \
             outside /tmp and its volumes must be adapted",
        );
    }
    if !pods.iter().all(|pod| {
        pod.path("spec.automountServiceAccountToken")
            .and_then(Node::as_bool)
            == Some(false)
    }) {
        report.change(
            "pods do not mount a ServiceAccount token (automountServiceAccountToken: false)",
        );
    }
    report.carried.sort();
    report.not_carried.sort();
    (Value::Object(spec), report)
}

fn prefixes_of(source: &Source) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(release) = &source.release {
        if let Some(chart) = &source.chart {
            out.push(format!("{release}-{chart}-"));
            if release.contains(chart.as_str()) {
                out.push(format!("{release}-"));
            }
        }
        out.push(format!("{release}-"));
    }
    out
}

/// Whether a text names a host: `svc`, `svc.ns…`, `svc:port`, `//svc/` with the name not part of a longer word.
fn mentions_host(haystack: &str, host: &str) -> bool {
    let mut from = 0;
    while let Some(i) = haystack[from..].find(host) {
        let start = from + i;
        let end = start + host.len();
        let before = haystack[..start].chars().next_back();
        let after = haystack[end..].chars().next();
        let edge = |c: Option<char>| {
            c.is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        };
        if edge(before) && edge(after) {
            return true;
        }
        from = end;
    }
    false
}

struct Ctx<'a> {
    sources: &'a [Source],
    report: Report,
    /// Secret group → key names (never values).
    secret_groups: BTreeMap<String, BTreeSet<String>>,
    /// Service name (as other components reach it) → component.
    services: BTreeMap<String, String>,
    /// Registry Secrets any pod pulls with: the spec's `imagePullSecrets`, for every pod.
    pull_secrets: BTreeSet<String>,
    /// (Secret, key) pairs carried under the name of the env var that reads them.
    renamed_secret_keys: BTreeSet<(String, String)>,
    /// Per component, the values of the chart's Secrets it reads, only to find the Services they name (a
    /// `DATABASE_URL` naming the database's Service is a flow to allow). Never written anywhere.
    secret_text: BTreeMap<String, String>,
    /// (source, claim) → the Deployment component and spec volume that mount the chart's own claim first; a
    /// later component mounting it shares it (`sharedFrom`).
    claim_owners: BTreeMap<(usize, String), (String, String)>,
    /// `component kind` of every probe that leaves some timing to Kubernetes (chartgen's defaults differ).
    untimed_probes: Vec<String>,
}

impl<'a> Ctx<'a> {
    fn unit(&self, source: usize) -> &'a Unit {
        &self.sources[source].unit
    }

    fn find(&self, source: usize, kind: &str, name: &str) -> Option<&'a Object> {
        self.unit(source)
            .objects
            .iter()
            .find(|o| o.kind == kind && o.name == name)
    }

    fn group_name(&self, source: usize, secret: &str) -> String {
        let prefixes = prefixes_of(&self.sources[source]);
        let mut name = secret;
        for p in &prefixes {
            if let Some(rest) = name.strip_prefix(p.as_str())
                && !rest.is_empty()
            {
                name = rest;
                break;
            }
        }
        dns_label(name, 40)
    }

    /// A Secret of the source as a secret group of key names, or `None` when it is not in the source.
    /// Remembers the values of a chart Secret `component` reads, to find the Services they name.
    fn note_secret_text(&mut self, component: &str, source: usize, secret: &str) {
        let Some(object) = self.find(source, "Secret", secret) else {
            return;
        };
        let mut text = String::new();
        for (field, encoded) in [("data", true), ("stringData", false)] {
            for (_, v) in object.doc.get(field).map(Node::entries).unwrap_or_default() {
                let raw = v.scalar_text().unwrap_or_default();
                let value = if encoded {
                    crate::secrets::decode_base64(&raw).unwrap_or_default()
                } else {
                    raw
                };
                text.push_str(&value);
                text.push('\n');
            }
        }
        self.secret_text
            .entry(component.to_string())
            .or_default()
            .push_str(&text);
    }

    fn secret_group(&mut self, source: usize, secret: &str) -> Option<(String, Vec<String>)> {
        let object = self.find(source, "Secret", secret)?;
        let loc = Locator {
            unit: self.unit(source),
        };
        let mut keys = Vec::new();
        let mut items = Vec::new();
        for field in ["data", "stringData"] {
            for (k, _) in object.doc.get(field).map(Node::entries).unwrap_or_default() {
                if is_env_name(&k.name) {
                    keys.push(k.name.clone());
                } else {
                    items.push(loc.item(
                        object,
                        &[field, &k.name],
                        "a Secret key that is not an env var name: the spec's secret keys are env vars; mount the \
                         Secret as a `secret` volume made outside the chart",
                    ));
                }
            }
        }
        let ty = text(object.doc.get("type")).unwrap_or_default();
        if ty == "kubernetes.io/tls" || ty.starts_with("kubernetes.io/dockerconfig") {
            return None;
        }
        for i in items {
            self.report.not_carried(i);
        }
        let group = self.group_name(source, secret);
        self.secret_groups
            .entry(group.clone())
            .or_default()
            .extend(keys.iter().cloned());
        let file = loc.at(object, &[]).0;
        let became =
            format!("secretGroups.{group} (key names only; values are supplied at install time)");
        let carried = Carried {
            object: format!("Secret {secret}"),
            file,
            became,
        };
        if !self.report.carried.contains(&carried) {
            self.report.carried.push(carried);
        }
        Some((group, keys))
    }

    fn config_map(&self, source: usize, name: &str) -> Option<(&'a Object, Vec<(String, String)>)> {
        let object = self.find(source, "ConfigMap", name)?;
        let data = object
            .doc
            .get("data")
            .map(|d| {
                d.entries()
                    .iter()
                    .map(|(k, v)| (k.name.clone(), v.scalar_text().unwrap_or_default()))
                    .collect()
            })
            .unwrap_or_default();
        Some((object, data))
    }

    /// A value for `config`, unless it is a secret: then its name becomes a key of the component's own secret
    /// group and the value is dropped.
    fn config_value(
        &mut self,
        comp: &str,
        config: &mut Map<String, Value>,
        groups: &mut BTreeSet<String>,
        key: &str,
        value: &str,
    ) {
        if secrets::classify(key, value).is_some() || secrets::unmistakable(value).is_some() {
            let group = own_secret_group(comp);
            self.secret_groups
                .entry(group.clone())
                .or_default()
                .insert(key.to_string());
            groups.insert(group);
        } else {
            config.insert(key.to_string(), json!(value));
        }
    }

    fn component(&mut self, w: &Workload, chart: &str, all: &[Workload]) -> Value {
        let object = w.object;
        let source = w.source;
        let unit = self.unit(source);
        let loc = Locator { unit };
        let mut c = Map::new();
        let mut config = Map::new();
        let mut groups: BTreeSet<String> = BTreeSet::new();
        let mut items: Vec<Item> = Vec::new();
        let doc = &object.doc;
        if object.kind == "StatefulSet" {
            c.insert("kind".into(), json!("StatefulSet"));
        }
        if object.kind == "Deployment"
            && text(doc.path("spec.strategy.type")).as_deref() == Some("Recreate")
        {
            c.insert("strategy".into(), json!("Recreate"));
        }
        // The generated chart names its workloads `<release>-<chart>-<component>`; a rename makes `helm upgrade`
        // replace the workload (new pods; for a StatefulSet, new claims unless they are adopted).
        match &self.sources[source].release {
            Some(release) => {
                let rendered = default_fullname(release, chart, &w.name);
                if rendered != object.name {
                    self.report.change(format!(
                        "{} `{}` is rendered as `{rendered}`: upgrading the old release, Helm replaces it rather \
                         than updating it",
                        object.kind, object.name
                    ));
                }
            }
            None => self.report.change(format!(
                "{} `{}` is rendered as `<release>-{chart}-{}`: Helm does not adopt objects it did not create, so \
                 delete the old one once the release is up",
                object.kind, object.name, w.name
            )),
        }
        let pod = doc.path("spec.template.spec");
        let containers = pod
            .and_then(|p| p.get("containers"))
            .map(Node::as_seq)
            .unwrap_or_default();
        let main_index = containers
            .iter()
            .position(|x| text(x.get("name")).as_deref() == Some(w.name.as_str()))
            .unwrap_or(0);
        let Some(main) = containers.get(main_index) else {
            self.report.not_carried(loc.item(
                object,
                &["spec", "template", "spec", "containers"],
                "no containers",
            ));
            return json!({});
        };
        let base = ["spec", "template", "spec"];
        let main_path = format!("containers.{main_index}");
        let mi = main_index.to_string();
        let image = self.image(
            main,
            &loc,
            object,
            &[&base[..], &["containers", &mi, "image"]].concat(),
        );
        c.insert("image".into(), image);
        // Ports: the first is `port` (named `http` in the chart); others keep their names.
        let ports = main.get("ports").map(Node::as_seq).unwrap_or_default();
        let mut port_names: BTreeMap<String, String> = BTreeMap::new();
        let mut main_port = None;
        let mut extra = Map::new();
        for (i, p) in ports.iter().enumerate() {
            let Some(number) = int(p.get("containerPort")) else {
                continue;
            };
            let original = text(p.get("name")).unwrap_or_default();
            if i == 0 {
                main_port = Some(number);
                c.insert("port".into(), json!(number));
                if !original.is_empty() && original != "http" {
                    self.report.change(format!(
                        "the port `{original}` of `{}` is named `http` in the generated chart (the spec's `port`), on its container and its Service: whatever names it from outside the chart (a ServiceMonitor, `kubectl port-forward`) uses `http`",
                        w.name
                    ));
                }
                if !original.is_empty() {
                    port_names.insert(original, "http".into());
                }
                port_names.insert(number.to_string(), "http".into());
            } else {
                let mut n = if original.is_empty() {
                    format!("port-{number}")
                } else {
                    dns_label(&original, 15)
                };
                if n == "http" {
                    n = format!("http-{i}");
                }
                if !original.is_empty() {
                    port_names.insert(original, n.clone());
                }
                port_names.insert(number.to_string(), n.clone());
                extra.insert(n, json!(number));
            }
            if text(p.get("protocol")).is_some_and(|pr| pr != "TCP") {
                items.push(
                    loc.item(
                        object,
                        &[
                            &base[..],
                            &["containers", &mi, "ports", &i.to_string(), "protocol"],
                        ]
                        .concat(),
                        "only TCP ports are rendered",
                    ),
                );
            }
        }
        if !extra.is_empty() {
            c.insert("ports".into(), Value::Object(extra));
        }
        if let Some(replicas) = int(doc.path("spec.replicas")) {
            c.insert("replicas".into(), json!(replicas));
        }
        command_and_args(main, &mut c);
        // Probes.
        let mut probes = Map::new();
        for (field, kind) in [
            ("livenessProbe", "liveness"),
            ("readinessProbe", "readiness"),
            ("startupProbe", "startup"),
        ] {
            if let Some(p) = main.get(field)
                && let Some(probe) = probe(p, &port_names)
            {
                if PROBE_TIMING.iter().any(|key| p.get(key).is_none()) {
                    self.untimed_probes.push(format!("{} {kind}", w.name));
                }
                probes.insert(kind.into(), probe);
            }
        }
        if !probes.is_empty() {
            c.insert("probes".into(), Value::Object(probes));
        }
        c.insert("resources".into(), self.resources(main, &w.name));
        // Env.
        let mut env = Map::new();
        for (i, e) in main
            .get("env")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let Some(name) = text(e.get("name")) else {
                continue;
            };
            let is = i.to_string();
            let path = [&base[..], &["containers", &mi, "env", &is]].concat();
            if let Some(value) = e.get("value") {
                let value = value.scalar_text().unwrap_or_default();
                if is_env_name(&name) {
                    self.config_value(&w.name, &mut config, &mut groups, &name, &value);
                } else {
                    items.push(loc.item(object, &path, "not an env var name the spec accepts"));
                }
                continue;
            }
            let Some(from) = e.get("valueFrom") else {
                config.insert(name, json!(""));
                continue;
            };
            if let Some(r) = from.get("secretKeyRef") {
                let secret = text(r.get("name")).unwrap_or_default();
                let key = text(r.get("key")).unwrap_or_default();
                self.note_secret_text(&w.name, source, &secret);
                match self.secret_group(source, &secret) {
                    Some((group, keys)) if key == name => {
                        if keys.len() > 1 && groups.insert(group.clone()) {
                            self.report.change(format!(
                                "`{}` read `{key}` of the Secret; it now gets every key of `secretGroups.{group}` \
                                 ({}) as env vars",
                                w.name,
                                keys.join(", ")
                            ));
                        }
                        groups.insert(group);
                    }
                    Some((group, keys)) if !keys.contains(&key) && is_env_name(&name) => {
                        // A Secret key that is no env var name (`db-password`), read as one (`DB_PASSWORD`): the
                        // group holds it under the variable's name, which is what the app reads.
                        groups.insert(group.clone());
                        self.secret_groups
                            .entry(group.clone())
                            .or_default()
                            .insert(name.clone());
                        self.renamed_secret_keys
                            .insert((secret.clone(), key.clone()));
                        self.report.change(format!(
                            "`{}` read key `{key}` of Secret `{secret}` as env `{name}`: the generated Secret \
                             (`secretGroups.{group}`) holds it as `{name}`; supply the value under that name",
                            w.name
                        ));
                    }
                    Some((group, _)) => {
                        groups.insert(group.clone());
                        items.push(loc.item(object, &path, format!(
                            "env `{name}` reads key `{key}` of the Secret: the chart sets each key of `secretGroups.{group}` as an env var of its own name, so the app now gets `{key}`; rename the key or the variable")));
                    }
                    None => {
                        env.insert(name, json!({"secretKeyRef": {"name": secret, "key": key, "optional": from.path("secretKeyRef.optional").and_then(Node::as_bool).unwrap_or(false)}}));
                    }
                }
            } else if let Some(r) = from.get("configMapKeyRef") {
                let cm = text(r.get("name")).unwrap_or_default();
                let key = text(r.get("key")).unwrap_or_default();
                match self.config_map(source, &cm) {
                    Some((_, data)) => {
                        let value = data
                            .iter()
                            .find(|(k, _)| *k == key)
                            .map(|(_, v)| v.clone())
                            .unwrap_or_default();
                        self.config_value(&w.name, &mut config, &mut groups, &name, &value);
                    }
                    None => {
                        env.insert(name, json!({"configMapKeyRef": {"name": cm, "key": key}}));
                    }
                }
            } else if let Some(f) = from.get("fieldRef") {
                env.insert(
                    name,
                    json!({"fieldRef": text(f.get("fieldPath")).unwrap_or_default()}),
                );
            } else if let Some(f) = from.get("resourceFieldRef") {
                let mut r = json!({"resource": text(f.get("resource")).unwrap_or_default()});
                if let Some(d) = text(f.get("divisor")) {
                    r["divisor"] = json!(d);
                }
                env.insert(name, json!({"resourceFieldRef": r}));
            }
        }
        let mut env_from = Vec::new();
        for (i, e) in main
            .get("envFrom")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let is = i.to_string();
            let path = [&base[..], &["containers", &mi, "envFrom", &is]].concat();
            let prefix = text(e.get("prefix"));
            if let Some(name) = text(e.path("configMapRef.name")) {
                match (self.config_map(source, &name), &prefix) {
                    (Some((cm_obj, data)), None) => {
                        let file = loc.at(cm_obj, &[]).0;
                        for (k, v) in data {
                            if is_env_name(&k) {
                                self.config_value(&w.name, &mut config, &mut groups, &k, &v);
                            } else {
                                items.push(loc.item(cm_obj, &["data", &k], "not an env var name: this key was a file, not an env var"));
                            }
                        }
                        self.report.carried.push(Carried { object: format!("ConfigMap {name}"), file, became: format!("components.{}.config", w.name) });
                    }
                    (None, _) => {
                        let mut v = json!({"configMapRef": name});
                        if let Some(p) = &prefix { v["prefix"] = json!(p); }
                        env_from.push(v);
                    }
                    (Some(_), Some(_)) => items.push(loc.item(object, &path, "a prefixed envFrom of the chart's own ConfigMap: add its keys to `config` with the prefix by hand")),
                }
            } else if let Some(name) = text(e.path("secretRef.name")) {
                self.note_secret_text(&w.name, source, &name);
                match (self.secret_group(source, &name), &prefix) {
                    (Some((group, _)), None) => {
                        groups.insert(group);
                    }
                    (None, _) => {
                        let mut v = json!({"secretRef": name});
                        if let Some(p) = &prefix { v["prefix"] = json!(p); }
                        env_from.push(v);
                    }
                    (Some(_), Some(_)) => items.push(loc.item(object, &path, "a prefixed envFrom of the chart's own Secret: list its keys with the prefix in a secret group by hand")),
                }
            }
        }
        if !config.is_empty() {
            c.insert("config".into(), Value::Object(config));
        }
        if !env.is_empty() {
            c.insert("env".into(), Value::Object(env));
        }
        if !env_from.is_empty() {
            c.insert("envFrom".into(), json!(env_from));
        }
        // Volumes.
        let (volumes, names) = self.volumes(w, chart, main, &main_path, &mut items);
        if !volumes.is_empty() {
            c.insert("volumes".into(), Value::Object(volumes));
        }
        // Init containers and sidecars.
        let mut inits = Map::new();
        for (i, x) in pod
            .and_then(|p| p.get("initContainers"))
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let is = i.to_string();
            let path = [&base[..], &["initContainers", &is]].concat();
            inits.insert(
                dns_label(
                    &text(x.get("name")).unwrap_or_else(|| format!("init-{i}")),
                    40,
                ),
                self.extra_container(w, x, &path, &names, &loc, false, &mut items),
            );
        }
        if !inits.is_empty() {
            c.insert("initContainers".into(), Value::Object(inits));
        }
        let mut sidecars = Map::new();
        for (i, x) in containers.iter().enumerate() {
            if i == main_index {
                continue;
            }
            let is = i.to_string();
            let path = [&base[..], &["containers", &is]].concat();
            sidecars.insert(
                dns_label(
                    &text(x.get("name")).unwrap_or_else(|| format!("sidecar-{i}")),
                    40,
                ),
                self.extra_container(w, x, &path, &names, &loc, true, &mut items),
            );
        }
        if !sidecars.is_empty() {
            c.insert("sidecars".into(), Value::Object(sidecars));
        }
        // A secret literal (a ConfigMap value, an env literal) whose name a Secret the pod reads also provides:
        // the Secret's key serves it, and one env var may come from one group only.
        let own = own_secret_group(&w.name);
        if groups.contains(&own) {
            let elsewhere: BTreeSet<String> = groups
                .iter()
                .filter(|g| **g != own)
                .filter_map(|g| self.secret_groups.get(g))
                .flatten()
                .cloned()
                .collect();
            if let Some(keys) = self.secret_groups.get_mut(&own) {
                keys.retain(|k| !elsewhere.contains(k));
                if keys.is_empty() {
                    self.secret_groups.remove(&own);
                    groups.remove(&own);
                }
            }
        }
        if !groups.is_empty() {
            c.insert(
                "secretGroups".into(),
                json!(groups.iter().collect::<Vec<_>>()),
            );
        }
        // Pod-level fields the spec does not carry.
        for field in [
            "hostNetwork",
            "hostPID",
            "hostIPC",
            "dnsPolicy",
            "hostAliases",
            "runtimeClassName",
            "shareProcessNamespace",
        ] {
            if pod.and_then(|p| p.get(field)).is_some() {
                items.push(loc.item(object, &[&base[..], &[field]].concat(), "not in the spec"));
            }
        }
        // Scheduling carries over as the spec's defaults of the chart values of the same name. A spread
        // constraint that counts this workload's own pods (by its selector) drops its labelSelector: the generated
        // chart fills in its own pods' labels, which differ from the original chart's.
        let own_selector = doc.path("spec.selector.matchLabels").map(Node::to_json);
        for field in [
            "nodeSelector",
            "tolerations",
            "affinity",
            "topologySpreadConstraints",
            "priorityClassName",
        ] {
            let Some(value) = pod.and_then(|p| p.get(field)) else {
                continue;
            };
            if field == "topologySpreadConstraints" && is_soft_node_spread(value) {
                // What the generated chart does by default for more than one replica.
                continue;
            }
            let mut json = value.to_json();
            if field == "topologySpreadConstraints"
                && let Value::Array(constraints) = &mut json
            {
                for constraint in constraints.iter_mut().filter_map(Value::as_object_mut) {
                    let own = constraint
                        .get("labelSelector")
                        .and_then(|s| s.get("matchLabels"))
                        .is_some_and(|m| Some(m) == own_selector.as_ref());
                    if own {
                        constraint.remove("labelSelector");
                    }
                }
            }
            let empty = match &json {
                Value::Null => true,
                Value::String(t) => t.is_empty(),
                Value::Array(a) => a.is_empty(),
                Value::Object(o) => o.is_empty(),
                _ => false,
            };
            if !empty {
                c.insert(field.into(), json);
            }
        }
        if let Some(annotations) = doc.path("spec.template.metadata.annotations") {
            // Checksums of rendered config are the original chart's restart trick; the generated chart has its own.
            let kept: Map<String, Value> = annotations
                .entries()
                .iter()
                .filter(|(k, _)| !k.name.starts_with("checksum/"))
                .filter_map(|(k, v)| Some((k.name.clone(), json!(v.scalar_text()?))))
                .collect();
            if !kept.is_empty() {
                c.insert("podAnnotations".into(), Value::Object(kept));
            }
        }
        for secret in pod
            .and_then(|p| p.get("imagePullSecrets"))
            .map(Node::as_seq)
            .unwrap_or_default()
        {
            if let Some(name) = text(secret.get("name")).filter(|n| !n.is_empty()) {
                self.pull_secrets.insert(name);
            }
        }
        if let Some(grace) = int(pod.and_then(|p| p.get("terminationGracePeriodSeconds"))) {
            c.insert("terminationGracePeriodSeconds".into(), json!(grace.max(10)));
        }
        if let Some(port) = main_port.filter(|p| *p < 1024) {
            self.report.change(format!(
                "`{}` listens on port {port}: a non-root container with every capability dropped cannot bind a port \
                 below 1024; configure the application to listen on a higher port (e.g. 8080) and set `port`",
                w.name
            ));
        }
        // Service, HPA.
        self.service(w, chart, main_port, &port_names, &mut c, &mut items);
        self.hpa(w, &mut c);
        // Several pods of a Deployment on one ReadWriteOnce claim only run while they share a node; the spec
        // refuses that, so the import keeps one pod and says why.
        let single_node_claim = object.kind == "Deployment"
            && c.get("volumes")
                .and_then(Value::as_object)
                .is_some_and(|vs| {
                    vs.values().any(|v| {
                        v.get("persistent").is_some_and(|p| {
                            p.get("accessModes")
                                .and_then(Value::as_array)
                                .is_none_or(|m| {
                                    !m.iter()
                                        .any(|x| x == "ReadWriteMany" || x == "ReadOnlyMany")
                                })
                        })
                    })
                });
        let several = c.contains_key("autoscaling")
            || c.get("replicas")
                .and_then(Value::as_i64)
                .is_some_and(|r| r > 1);
        if single_node_claim && several {
            c.remove("autoscaling");
            c.insert("replicas".into(), json!(1));
            self.report.change(format!(
                "`{}` ran several pods (or an HPA) on a ReadWriteOnce claim, which works only while they share a \
                 node: the spec runs one pod; use ReadWriteMany storage, then raise `replicas` or add `autoscaling`",
                w.name
            ));
        }
        let _ = all;
        for i in items {
            self.report.not_carried(i);
        }
        self.report.carried.push(Carried {
            object: format!("{} {}", object.kind, object.name),
            file: loc.at(object, &[]).0,
            became: format!("components.{}", w.name),
        });
        Value::Object(c)
    }

    fn image(&mut self, container: &Node, loc: &Locator, object: &Object, path: &[&str]) -> Value {
        let reference = text(container.get("image")).unwrap_or_default();
        let (without_digest, digest) = match reference.split_once('@') {
            Some((r, d)) => (r.to_string(), Some(d.to_string())),
            None => (reference.clone(), None),
        };
        let slash = without_digest.rfind('/').map_or(0, |i| i + 1);
        let (repository, tag) = match without_digest[slash..].rfind(':') {
            Some(i) => (
                without_digest[..slash + i].to_string(),
                Some(without_digest[slash + i + 1..].to_string()),
            ),
            None => (without_digest.clone(), None),
        };
        if digest.is_some() {
            self.report.not_carried(loc.item(
                object,
                path,
                "the image digest: the spec pins images by tag",
            ));
        }
        let mut image = json!({"repository": repository});
        match tag {
            Some(t) if t != "latest" => image["tag"] = json!(t),
            _ => self.report.change(format!(
                "`{repository}` had no tag or `latest`: the chart uses the chart's appVersion as its tag; set `image.tag` in the spec"
            )),
        }
        if let Some(policy) = text(container.get("imagePullPolicy")) {
            image["pullPolicy"] = json!(policy);
        }
        image
    }

    fn resources(&mut self, container: &Node, comp: &str) -> Value {
        let get = |k: &str| text(container.path(&format!("resources.{k}")));
        let (rc, rm, lc, lm) = (
            get("requests.cpu"),
            get("requests.memory"),
            get("limits.cpu"),
            get("limits.memory"),
        );
        if rc.is_none() || rm.is_none() || lc.is_none() || lm.is_none() {
            self.report.change(format!(
                "`{comp}` had no complete requests and limits: the spec sets defaults (100m/128Mi requested, limits no lower than the requests, at least 500m/512Mi); tune them"
            ));
        }
        let pick = |a: &Option<String>, b: &Option<String>, default: &str| {
            a.clone()
                .or_else(|| b.clone())
                .unwrap_or_else(|| default.into())
        };
        let (req_cpu, req_mem) = (pick(&rc, &None, "100m"), pick(&rm, &None, "128Mi"));
        let limit = |given: &Option<String>, request: &str, default: &str| -> String {
            if let Some(g) = given {
                return g.clone();
            }
            let (d, r) = (
                crate::quantity::Quantity::parse(default),
                crate::quantity::Quantity::parse(request),
            );
            match (d, r) {
                (Some(d), Some(r)) if r.value() > d.value() => request.to_string(),
                _ => default.to_string(),
            }
        };
        json!({
            "requests": {"cpu": req_cpu, "memory": req_mem},
            "limits": {"cpu": limit(&lc, &req_cpu, "500m"), "memory": limit(&lm, &req_mem, "512Mi")},
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn extra_container(
        &mut self,
        w: &Workload,
        x: &Node,
        path: &[&str],
        volumes: &BTreeMap<String, String>,
        loc: &Locator,
        sidecar: bool,
        items: &mut Vec<Item>,
    ) -> Value {
        let mut out = Map::new();
        out.insert(
            "image".into(),
            self.image(x, loc, w.object, &[path, &["image"]].concat()),
        );
        command_and_args(x, &mut out);
        out.insert(
            "resources".into(),
            self.resources(
                x,
                &format!("{}/{}", w.name, text(x.get("name")).unwrap_or_default()),
            ),
        );
        let mounts: Vec<String> = x
            .get("volumeMounts")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(|m| volumes.get(&text(m.get("name"))?).cloned())
            .collect();
        if !mounts.is_empty() {
            out.insert("volumeMounts".into(), json!(mounts));
        }
        // The spec's extra containers inherit the component's env unless told not to; a container with env of
        // its own keeps it only as a report item.
        let has_env = x.get("env").is_some() || x.get("envFrom").is_some();
        out.insert("inheritEnv".into(), json!(false));
        if has_env {
            items.push(loc.item(w.object, &[path, &["env"]].concat(), "the env of an extra container: it gets the component's env (`inheritEnv: true`) or none"));
        }
        if sidecar {
            let ports: BTreeMap<String, String> = BTreeMap::new();
            let mut probes = Map::new();
            for (field, kind) in [
                ("livenessProbe", "liveness"),
                ("readinessProbe", "readiness"),
                ("startupProbe", "startup"),
            ] {
                if let Some(p) = x.get(field)
                    && let Some(probe) = probe(p, &ports)
                    && probe.get("path").is_none()
                    && probe.get("tcpSocket").is_none()
                {
                    probes.insert(kind.into(), probe);
                } else if x.get(field).is_some() {
                    items.push(loc.item(w.object, &[path, &[field]].concat(), "an HTTP or TCP probe of a sidecar: the spec probes sidecars with exec or grpc"));
                }
            }
            if !probes.is_empty() {
                out.insert("probes".into(), Value::Object(probes));
            }
            if x.get("ports").is_some() {
                items.push(loc.item(
                    w.object,
                    &[path, &["ports"]].concat(),
                    "a sidecar's ports: the spec gives ports to the main container",
                ));
            }
        }
        Value::Object(out)
    }

    /// The pod's volumes that the main container mounts, as spec volumes; returns them and pod volume name →
    /// spec volume name.
    fn volumes(
        &mut self,
        w: &Workload,
        chart: &str,
        main: &Node,
        main_path: &str,
        items: &mut Vec<Item>,
    ) -> (Map<String, Value>, BTreeMap<String, String>) {
        let unit = self.unit(w.source);
        let loc = Locator { unit };
        let object = w.object;
        let pod = object.doc.path("spec.template.spec");
        let pod_volumes = pod
            .and_then(|p| p.get("volumes"))
            .map(Node::as_seq)
            .unwrap_or_default();
        let claims = object
            .doc
            .path("spec.volumeClaimTemplates")
            .map(Node::as_seq)
            .unwrap_or_default();
        let mut out = Map::new();
        let mut names = BTreeMap::new();
        let mut mounted = BTreeSet::new();
        for (i, m) in main
            .get("volumeMounts")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let Some(name) = text(m.get("name")) else {
                continue;
            };
            let mount_path = text(m.get("mountPath")).unwrap_or_default();
            let mpath: Vec<String> = ["spec", "template", "spec"]
                .iter()
                .map(|s| s.to_string())
                .chain(main_path.split('.').map(str::to_string))
                .chain(["volumeMounts".to_string(), i.to_string()])
                .collect();
            let mpath: Vec<&str> = mpath.iter().map(String::as_str).collect();
            if m.get("subPath").is_some() {
                items.push(loc.item(
                    object,
                    &mpath,
                    "a subPath mount: the spec mounts whole volumes",
                ));
            }
            if mount_path.trim_end_matches('/') == "/tmp" {
                mounted.insert(name.clone());
                continue;
            }
            if !mounted.insert(name.clone()) {
                items.push(loc.item(object, &mpath, "a second mount of the same volume"));
                continue;
            }
            let spec_name = dns_label(&name, 50);
            let spec_name = if spec_name == "tmp" {
                "tmp-data".to_string()
            } else {
                spec_name
            };
            let mut v = Map::new();
            v.insert("mountPath".into(), json!(mount_path));
            let read_only = m.get("readOnly").and_then(Node::as_bool);
            let source = pod_volumes
                .iter()
                .find(|pv| text(pv.get("name")).as_deref() == Some(name.as_str()));
            let claim = claims
                .iter()
                .find(|c| text(c.path("metadata.name")).as_deref() == Some(name.as_str()));
            if let Some(claim) = claim {
                v.insert("persistent".into(), pvc_spec(claim.get("spec")));
            } else if let Some(pv) = source {
                if let Some(claim_name) = text(pv.path("persistentVolumeClaim.claimName")) {
                    match self.find(w.source, "PersistentVolumeClaim", &claim_name) {
                        Some(pvc)
                            if let Some((owner, owner_volume)) = self
                                .claim_owners
                                .get(&(w.source, claim_name.clone()))
                                .filter(|(owner, _)| *owner != w.name)
                                .cloned() =>
                        {
                            let modes: Vec<String> = pvc
                                .doc
                                .path("spec.accessModes")
                                .map(Node::as_seq)
                                .unwrap_or_default()
                                .iter()
                                .filter_map(Node::scalar_text)
                                .collect();
                            let shareable = modes.iter().any(|m| m == "ReadWriteMany")
                                || (read_only == Some(true)
                                    && modes.iter().any(|m| m == "ReadOnlyMany"));
                            if shareable && !out.contains_key(&owner_volume) {
                                // One claim for both: the volume takes the owner's name, as `sharedFrom` asks.
                                v.insert("sharedFrom".into(), json!(owner));
                                if let Some(ro) = read_only {
                                    v.insert("readOnly".into(), json!(ro));
                                }
                                names.insert(name, owner_volume.clone());
                                out.insert(owner_volume, Value::Object(v));
                                continue;
                            }
                            self.report.change(format!(
                                "the claim `{claim_name}` is mounted by `{owner}` and `{}`: the spec gives `{}` a claim of its own (its data is not `{owner}`'s), since `{claim_name}` is {}; to share one, make `components.{owner}.volumes.{owner_volume}.persistent.accessModes` `[ReadWriteMany]` and give `components.{}.volumes.{spec_name}` `sharedFrom: {owner}`",
                                w.name,
                                w.name,
                                if modes.is_empty() { "ReadWriteOnce".to_string() } else { modes.join(", ") },
                                w.name
                            ));
                            v.insert("persistent".into(), pvc_spec(pvc.doc.get("spec")));
                        }
                        Some(pvc) => {
                            if object.kind == "Deployment" {
                                self.claim_owners.insert(
                                    (w.source, claim_name.clone()),
                                    (w.name.clone(), spec_name.clone()),
                                );
                            }
                            v.insert("persistent".into(), pvc_spec(pvc.doc.get("spec")));
                            self.report.carried.push(Carried {
                                object: format!("PersistentVolumeClaim {claim_name}"),
                                file: loc.at(pvc, &[]).0,
                                became: format!(
                                    "components.{}.volumes.{spec_name}.persistent",
                                    w.name
                                ),
                            });
                            // Under the same release name the generated claim may be this one.
                            let same =
                                self.sources[w.source]
                                    .release
                                    .as_deref()
                                    .is_some_and(|release| {
                                        format!(
                                            "{}-{spec_name}",
                                            default_fullname(release, chart, &w.name)
                                        ) == claim_name
                                    });
                            if !same {
                                self.report.change(format!(
                                "the claim `{claim_name}` is rendered under the chart's name (`<release>-{}-{}-{spec_name}`): to keep its data, set `{}.persistence.{}.existingClaim={claim_name}` at install",
                                "<chart>", w.name, crate::spec::validate::camel_case(&w.name), crate::spec::validate::camel_case(&spec_name)
                            ));
                            }
                        }
                        None => {
                            v.insert(
                                "persistent".into(),
                                json!({"size": "1Gi", "existingClaim": claim_name}),
                            );
                        }
                    }
                } else if let Some(cm) = text(pv.path("configMap.name")) {
                    if self.find(w.source, "ConfigMap", &cm).is_some() {
                        items.push(loc.item(object, &mpath, format!("files of the chart's own ConfigMap `{cm}`: the spec mounts ConfigMaps made outside the chart; create it beside the chart (kubectl create configmap {cm} --from-file=…) before installing")));
                    }
                    v.insert("configMap".into(), files_from(&cm, pv.get("configMap")));
                } else if let Some(secret) = text(pv.path("secret.secretName")) {
                    if self.find(w.source, "Secret", &secret).is_some() {
                        items.push(loc.item(object, &mpath, format!("files of the chart's own Secret `{secret}`: the spec mounts Secrets made outside the chart; create it before installing")));
                    }
                    v.insert("secret".into(), files_from(&secret, pv.get("secret")));
                } else if let Some(e) = pv.get("emptyDir") {
                    let mut ed = Map::new();
                    match text(e.get("sizeLimit")) {
                        Some(s) => {
                            ed.insert("sizeLimit".into(), json!(s));
                        }
                        None => self.report.change(format!(
                            "the emptyDir `{name}` of `{}` had no size limit; the chart gives it {} (`emptyDir.sizeLimit` in the spec), past which the kubelet evicts the pod",
                            w.name,
                            crate::spec::validate::EMPTY_DIR_SIZE_LIMIT
                        )),
                    }
                    if let Some(m) = text(e.get("medium")).filter(|m| !m.is_empty()) {
                        ed.insert("medium".into(), json!(m));
                    }
                    v.insert("emptyDir".into(), Value::Object(ed));
                } else {
                    items.push(loc.item(
                        object,
                        &mpath,
                        "a volume type the spec has no field for (hostPath, projected, CSI…)",
                    ));
                    continue;
                }
            } else {
                items.push(loc.item(
                    object,
                    &mpath,
                    "a mount of a volume the pod does not define",
                ));
                continue;
            }
            if let Some(ro) = read_only {
                v.insert("readOnly".into(), json!(ro));
            }
            names.insert(name, spec_name.clone());
            out.insert(spec_name, Value::Object(v));
        }
        (out, names)
    }

    fn service(
        &mut self,
        w: &Workload,
        chart: &str,
        main_port: Option<i64>,
        port_names: &BTreeMap<String, String>,
        c: &mut Map<String, Value>,
        items: &mut Vec<Item>,
    ) {
        let unit = self.unit(w.source);
        let loc = Locator { unit };
        let selecting: Vec<&Object> = unit
            .objects
            .iter()
            .filter(|o| o.kind == "Service")
            .filter(|s| {
                s.doc.path("spec.selector").is_some_and(|sel| {
                    !sel.entries().is_empty()
                        && crate::lint::rules::common::selector_matches(sel, w.object)
                })
            })
            .collect();
        let release = self.sources[w.source].release.clone();
        let mut service = Map::new();
        let mut found = false;
        if w.object.kind == "StatefulSet"
            && let Some(governing) = text(w.object.doc.path("spec.serviceName"))
            && release.as_ref().is_none_or(|r| {
                governing != format!("{}-headless", default_fullname(r, chart, &w.name))
            })
        {
            self.report.change(format!(
                "the StatefulSet `{}` is governed by `<release>-{chart}-{}-headless`, not `{governing}`: its pods' \
                 DNS names (`<pod>.{governing}`) change",
                w.object.name, w.name
            ));
        }
        let is_headless =
            |svc: &Object| text(svc.doc.path("spec.clusterIP")).as_deref() == Some("None");
        // A StatefulSet's headless Service is the chart's own; but when it is the only one, its name is the
        // one clients use (`rel-db:5432`), so it becomes the component's Service name.
        let has_regular = selecting.iter().any(|svc| !is_headless(svc));
        for svc in &selecting {
            if is_headless(svc) && w.object.kind == "StatefulSet" && has_regular {
                self.report.carried.push(Carried {
                    object: format!("Service {}", svc.name),
                    file: loc.at(svc, &[]).0,
                    became: format!("components.{} (headless Service)", w.name),
                });
                continue;
            }
            if found {
                items.push(loc.item(svc, &[], "a second Service for the same pods: the spec renders one per component (its extra ports come from `ports`)"));
                continue;
            }
            found = true;
            let ports = svc
                .doc
                .path("spec.ports")
                .map(Node::as_seq)
                .unwrap_or_default();
            if let Some(first) = ports.first() {
                let port = int(first.get("port"));
                let target = text(first.get("targetPort"));
                let targets_main = target
                    .as_ref()
                    .is_none_or(|t| port_names.get(t).map(String::as_str) == Some("http"));
                if !targets_main {
                    items.push(loc.item(svc, &["spec", "ports", "0", "targetPort"], "the Service's first port targets another container port than the first; the chart's Service targets `port`"));
                }
                if let Some(p) = port
                    && Some(p) != main_port
                {
                    service.insert("port".into(), json!(p));
                }
                if let Some(np) = int(first.get("nodePort")) {
                    service.insert("nodePort".into(), json!(np));
                }
            }
            for (i, p) in ports.iter().enumerate().skip(1) {
                let target = text(p.get("targetPort")).unwrap_or_default();
                let Some(spec_name) = port_names.get(&target) else {
                    items.push(loc.item(
                        svc,
                        &["spec", "ports", &i.to_string()],
                        "a Service port with no matching container port",
                    ));
                    continue;
                };
                let container_number = port_names
                    .iter()
                    .find(|(k, n)| *n == spec_name && k.parse::<i64>().is_ok())
                    .and_then(|(k, _)| k.parse::<i64>().ok());
                if int(p.get("port")) != container_number {
                    items.push(loc.item(
                        svc,
                        &["spec", "ports", &i.to_string(), "port"],
                        "the chart's Service exposes extra ports on their container port numbers",
                    ));
                }
            }
            if let Some(ty) = text(svc.doc.path("spec.type")).filter(|t| t != "ClusterIP") {
                if ty == "NodePort" || ty == "LoadBalancer" {
                    service.insert("type".into(), json!(ty));
                } else {
                    items.push(loc.item(svc, &["spec", "type"], format!("Service type {ty}")));
                }
            }
            let annotations: Map<String, Value> = svc
                .doc
                .path("metadata.annotations")
                .map(Node::entries)
                .unwrap_or_default()
                .iter()
                .filter(|(k, _)| {
                    !k.name.starts_with("meta.helm.sh/") && !k.name.starts_with("helm.sh/")
                })
                .map(|(k, v)| (k.name.clone(), json!(v.scalar_text().unwrap_or_default())))
                .collect();
            if !annotations.is_empty() {
                service.insert("annotations".into(), Value::Object(annotations));
            }
            // The name other components and clients use: kept as a fixed name unless it is what the chart
            // renders anyway.
            let default = release
                .as_ref()
                .map(|r| default_fullname(r, chart, &w.name));
            if default.as_deref() != Some(svc.name.as_str())
                && crate::spec::validate::is_dns_label(&svc.name)
            {
                service.insert("name".into(), json!(svc.name));
            }
            self.services.insert(svc.name.clone(), w.name.clone());
            self.report.carried.push(Carried {
                object: format!("Service {}", svc.name),
                file: loc.at(svc, &[]).0,
                became: format!("components.{}.service", w.name),
            });
        }
        if main_port.is_some() && !found {
            service.insert("enabled".into(), json!(false));
        }
        if found && main_port.is_none() {
            items.push(loc.item(w.object, &["spec", "template", "spec", "containers"], "a Service selects these pods, but the container declares no port; add `port` to the spec"));
        }
        if !service.is_empty() {
            c.insert("service".into(), Value::Object(service));
        }
    }

    fn hpa(&mut self, w: &Workload, c: &mut Map<String, Value>) {
        let unit = self.unit(w.source);
        let loc = Locator { unit };
        let Some(hpa) = unit.objects.iter().find(|o| {
            o.kind == "HorizontalPodAutoscaler"
                && text(o.doc.path("spec.scaleTargetRef.name")).as_deref()
                    == Some(w.object.name.as_str())
        }) else {
            return;
        };
        let min = int(hpa.doc.path("spec.minReplicas")).unwrap_or(1);
        let max = int(hpa.doc.path("spec.maxReplicas")).unwrap_or(min.max(1));
        let cpu = hpa
            .doc
            .path("spec.metrics")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .find(|m| text(m.path("resource.name")).as_deref() == Some("cpu"))
            .and_then(|m| int(m.path("resource.target.averageUtilization")))
            .or_else(|| int(hpa.doc.path("spec.targetCPUUtilizationPercentage")));
        let mut a = json!({"minReplicas": min, "maxReplicas": max});
        match cpu {
            Some(t) => a["targetCpuUtilizationPercentage"] = json!(t),
            None => self.report.not_carried(loc.item(hpa, &["spec", "metrics"], "metrics other than CPU utilization: the chart's HPA scales on CPU (80% unless set)")),
        }
        c.insert("autoscaling".into(), a);
        c.remove("replicas");
        self.report.carried.push(Carried {
            object: format!("HorizontalPodAutoscaler {}", hpa.name),
            file: loc.at(hpa, &[]).0,
            became: format!("components.{}.autoscaling", w.name),
        });
    }

    fn ingress(&mut self, workloads: &[Workload]) -> Option<Value> {
        let mut hosts: Vec<(String, Vec<Value>, Option<String>)> = Vec::new();
        let mut annotations = Map::new();
        let mut class = None;
        let mut seen = false;
        for source in self.sources {
            let loc = Locator { unit: &source.unit };
            for ing in source.unit.objects.iter().filter(|o| o.kind == "Ingress") {
                if seen {
                    self.report.change(format!(
                        "the Ingress `{}` is merged into the chart's one Ingress",
                        ing.name
                    ));
                }
                seen = true;
                class = class.or_else(|| text(ing.doc.path("spec.ingressClassName")));
                for (k, v) in ing
                    .doc
                    .path("metadata.annotations")
                    .map(Node::entries)
                    .unwrap_or_default()
                {
                    if k.name == "kubernetes.io/ingress.class" {
                        class = class.or_else(|| v.scalar_text());
                    } else if !k.name.starts_with("meta.helm.sh/") {
                        annotations
                            .insert(k.name.clone(), json!(v.scalar_text().unwrap_or_default()));
                    }
                }
                let tls: Vec<(String, Option<String>)> = ing
                    .doc
                    .path("spec.tls")
                    .map(Node::as_seq)
                    .unwrap_or_default()
                    .iter()
                    .flat_map(|t| {
                        let secret = text(t.get("secretName"));
                        t.get("hosts")
                            .map(Node::as_seq)
                            .unwrap_or_default()
                            .iter()
                            .filter_map(Node::scalar_text)
                            .map(move |h| (h, secret.clone()))
                            .collect::<Vec<_>>()
                    })
                    .collect();
                for (ri, rule) in ing
                    .doc
                    .path("spec.rules")
                    .map(Node::as_seq)
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                {
                    let Some(host) = text(rule.get("host")) else {
                        self.report.not_carried(loc.item(
                            ing,
                            &["spec", "rules", &ri.to_string()],
                            "a rule without a host: the spec's Ingress routes host names",
                        ));
                        continue;
                    };
                    let mut routes = Vec::new();
                    for (pi, p) in rule
                        .path("http.paths")
                        .map(Node::as_seq)
                        .unwrap_or_default()
                        .iter()
                        .enumerate()
                    {
                        let svc = text(p.path("backend.service.name"))
                            .or_else(|| text(p.path("backend.serviceName")))
                            .unwrap_or_default();
                        let Some(component) = self.services.get(&svc).cloned() else {
                            self.report.not_carried(loc.item(
                                ing,
                                &[
                                    "spec",
                                    "rules",
                                    &ri.to_string(),
                                    "http",
                                    "paths",
                                    &pi.to_string(),
                                ],
                                format!("a backend (`{svc}`) that is no component's Service"),
                            ));
                            continue;
                        };
                        let mut route = json!({"path": text(p.get("path")).unwrap_or_else(|| "/".into()), "component": component});
                        if let Some(t) = text(p.get("pathType")).filter(|t| t != "Prefix") {
                            route["pathType"] = json!(t);
                        }
                        routes.push(route);
                    }
                    if routes.is_empty() {
                        continue;
                    }
                    let secret = tls
                        .iter()
                        .find(|(h, _)| *h == host)
                        .map(|(_, s)| s.clone().unwrap_or_default());
                    match hosts.iter_mut().find(|(h, _, _)| *h == host) {
                        Some(entry) => entry.1.extend(routes),
                        None => hosts.push((host, routes, secret)),
                    }
                }
                self.report.carried.push(Carried {
                    object: format!("Ingress {}", ing.name),
                    file: loc.at(ing, &[]).0,
                    became: "ingress".into(),
                });
            }
        }
        let _ = workloads;
        if hosts.is_empty() {
            return None;
        }
        let tls_of = |s: &Option<String>| {
            s.as_ref().map(|name| {
                if name.is_empty() {
                    json!({})
                } else {
                    json!({"secretName": name})
                }
            })
        };
        let mut ingress = Map::new();
        if let [(host, routes, secret)] = hosts.as_slice() {
            ingress.insert("host".into(), json!(host));
            ingress.insert("routes".into(), json!(routes));
            if let Some(t) = tls_of(secret) {
                ingress.insert("tls".into(), t);
            }
        } else {
            let list: Vec<Value> = hosts
                .iter()
                .map(|(h, r, s)| {
                    let mut e = json!({"host": h, "routes": r});
                    if let Some(t) = tls_of(s) {
                        e["tls"] = t;
                    }
                    e
                })
                .collect();
            ingress.insert("hosts".into(), json!(list));
        }
        match class {
            Some(c) => {
                ingress.insert("className".into(), json!(c));
            }
            None => self.report.change(format!(
                "the Ingress had no `ingressClassName` (the cluster's default class took it); the chart names the class `{}` (`ingress.className`): set `className` in the spec to your controller's",
                crate::spec::model::default_ingress_class()
            )),
        }
        if !annotations.is_empty() {
            ingress.insert("annotations".into(), Value::Object(annotations));
        }
        Some(Value::Object(ingress))
    }

    /// The component whose image a Job's pod runs, for CronJobs and hook Jobs.
    fn owner<'w>(&self, pod: Option<&Node>, workloads: &'w [Workload]) -> Option<&'w Workload<'w>> {
        let image = text(pod?.get("containers")?.as_seq().first()?.get("image"))?;
        let repo = |r: &str| {
            r.rsplit_once(':')
                .filter(|(_, t)| !t.contains('/'))
                .map_or(r.to_string(), |(a, _)| a.to_string())
        };
        workloads.iter().find(|w| {
            w.object
                .doc
                .path("spec.template.spec.containers")
                .map(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .any(|c| text(c.get("image")).is_some_and(|i| repo(&i) == repo(&image)))
        })
    }

    /// What a job's container runs, as the spec's job fields: `command`, `args` and its own plain `env`. An env
    /// var its component already sets (the same name) is inherited; one from a Secret or another object, or a
    /// literal that looks like a secret, is reported. `None` when it runs nothing (no command, no args).
    fn job_run(
        &mut self,
        source: usize,
        object: &Object,
        pod_path: &[&str],
        owner: &Workload,
    ) -> Option<Map<String, Value>> {
        let loc = Locator {
            unit: self.unit(source),
        };
        let container_path: Vec<&str> = [pod_path, &["containers", "0"]].concat();
        let c = object.doc.at(&container_path)?;
        let mut run = Map::new();
        command_and_args(c, &mut run);
        if run.is_empty() {
            return None;
        }
        let inherited: Vec<String> = owner
            .object
            .doc
            .path("spec.template.spec.containers.0.env")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(|e| text(e.get("name")))
            .collect();
        let mut env = Map::new();
        for (i, e) in c
            .get("env")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let Some(name) = text(e.get("name")) else {
                continue;
            };
            if inherited.contains(&name) {
                continue;
            }
            let index = i.to_string();
            let at: Vec<&str> = [&container_path[..], &["env", &index]].concat();
            match e.get("value").and_then(Node::scalar_text) {
                Some(value) if crate::secrets::classify(&name, &value).is_none() => {
                    env.insert(name, json!(value));
                }
                Some(_) => self.report.not_carried(loc.item(
                    object,
                    &at,
                    format!(
                        "env var `{name}` holds a literal secret: give `{}` a secret group key `{name}` and                          supply it at install time",
                        owner.name
                    ),
                )),
                None => self.report.not_carried(loc.item(
                    object,
                    &at,
                    format!(
                        "env var `{name}` comes from another object: the spec's jobs read their component's                          env; add it to `{}`",
                        owner.name
                    ),
                )),
            }
        }
        if !env.is_empty() {
            run.insert("env".into(), Value::Object(env));
        }
        Some(run)
    }

    fn cron_job(
        &mut self,
        source: usize,
        object: &Object,
        workloads: &[Workload],
        spec: &mut Map<String, Value>,
    ) {
        let loc = Locator {
            unit: self.unit(source),
        };
        let pod = object.doc.path("spec.jobTemplate.spec.template.spec");
        let Some(owner) = self.owner(pod, workloads) else {
            self.report.not_carried(loc.item(object, &["spec", "jobTemplate", "spec", "template", "spec", "containers"], "a CronJob whose image is no component's: the spec runs CronJobs with a component's image, config and secrets"));
            return;
        };
        let pod_path = ["spec", "jobTemplate", "spec", "template", "spec"];
        let Some(run) = self.job_run(source, object, &pod_path, owner) else {
            self.report.not_carried(loc.item(
                object,
                &["spec", "jobTemplate"],
                "a CronJob that runs nothing (no command, no args)",
            ));
            return;
        };
        let mut cron = json!({"component": owner.name, "schedule": text(object.doc.path("spec.schedule")).unwrap_or_default()});
        for (k, v) in run {
            cron[k] = v;
        }
        for (field, key) in [
            ("spec.timeZone", "timeZone"),
            ("spec.concurrencyPolicy", "concurrencyPolicy"),
        ] {
            if let Some(v) = text(object.doc.path(field)) {
                cron[key] = json!(v);
            }
        }
        let ints = [
            ("spec.startingDeadlineSeconds", "startingDeadlineSeconds"),
            ("spec.jobTemplate.spec.backoffLimit", "backoffLimit"),
            (
                "spec.jobTemplate.spec.ttlSecondsAfterFinished",
                "ttlSecondsAfterFinished",
            ),
            (
                "spec.jobTemplate.spec.activeDeadlineSeconds",
                "activeDeadlineSeconds",
            ),
        ];
        self.job_differences(
            source,
            object,
            &["spec", "jobTemplate", "spec", "template", "spec"],
            owner,
        );
        for (field, ours) in [
            ("successfulJobsHistoryLimit", 3),
            ("failedJobsHistoryLimit", 3),
        ] {
            if let Some(theirs) = int(object.doc.path(&format!("spec.{field}")))
                && theirs != ours
            {
                self.report.not_carried(loc.item(
                    object,
                    &["spec", field],
                    format!("the generated CronJob keeps {ours} (not {theirs}) finished Jobs"),
                ));
            }
        }
        use crate::spec::model as m;
        self.defaults_gained(
            object,
            &[
                (
                    "spec.concurrencyPolicy",
                    "concurrencyPolicy: Forbid".to_string(),
                    "Allow: runs could overlap",
                ),
                (
                    "spec.startingDeadlineSeconds",
                    format!(
                        "startingDeadlineSeconds: {}",
                        m::default_starting_deadline()
                    ),
                    "no deadline",
                ),
                (
                    "spec.jobTemplate.spec.backoffLimit",
                    format!("backoffLimit: {}", m::default_cron_backoff()),
                    "6 retries",
                ),
                (
                    "spec.jobTemplate.spec.ttlSecondsAfterFinished",
                    format!("ttlSecondsAfterFinished: {}", m::default_ttl()),
                    "finished Jobs kept until the history limit",
                ),
                (
                    "spec.jobTemplate.spec.activeDeadlineSeconds",
                    format!("activeDeadlineSeconds: {}", m::default_cron_deadline()),
                    "no time limit",
                ),
            ],
        );
        let became = format!("(with {}'s image, config and secrets)", owner.name);
        let shape = JobShape {
            section: "cronJobs",
            kind: "CronJob",
            ints: &ints,
            became: &became,
        };
        self.add_job(source, object, spec, &shape, cron);
    }

    /// The run limits a generated job sets where its source leaves Kubernetes' default, as one report line:
    /// `fields` are (source path, what chartgen sets, what Kubernetes does without it).
    fn defaults_gained(&mut self, object: &Object, fields: &[(&str, String, &str)]) {
        let gained: Vec<String> = fields
            .iter()
            .filter(|(path, _, _)| object.doc.path(path).is_none())
            .map(|(_, ours, theirs)| format!("{ours} (was {theirs})"))
            .collect();
        if !gained.is_empty() {
            self.report.change(format!(
                "the {} `{}` gets chartgen's defaults where it left Kubernetes' own: {}",
                object.kind,
                object.name,
                gained.join(", ")
            ));
        }
    }

    /// What a job's pod sets that the spec's jobs take from their component instead: its own resources and
    /// scheduling (reported where they differ from the component's).
    fn job_differences(
        &mut self,
        source: usize,
        object: &Object,
        pod_path: &[&str],
        owner: &Workload,
    ) {
        let loc = Locator {
            unit: self.unit(source),
        };
        let pod = object.doc.at(pod_path);
        let owner_pod = owner.object.doc.path("spec.template.spec");
        for field in [
            "nodeSelector",
            "tolerations",
            "affinity",
            "priorityClassName",
        ] {
            let theirs = pod.and_then(|p| p.get(field)).map(Node::to_json);
            let ours = owner_pod.and_then(|p| p.get(field)).map(Node::to_json);
            if theirs.is_some() && theirs != ours {
                self.report.not_carried(loc.item(
                    object,
                    &[pod_path, &[field]].concat(),
                    format!(
                        "the spec's {}s run where `{}` runs (its `{field}`)",
                        object.kind, owner.name
                    ),
                ));
            }
        }
        let main = |doc: &Node, path: &[&str]| {
            doc.at(path)
                .and_then(|p| p.get("containers"))
                .and_then(|c| c.as_seq().first())
                .and_then(|c| c.get("resources"))
                .map(Node::to_json)
        };
        let ours = main(&owner.object.doc, &["spec", "template", "spec"]);
        let theirs = main(&object.doc, pod_path);
        if theirs.is_some() && theirs != ours {
            let at: Vec<&str> = [pod_path, &["containers", "0", "resources"]].concat();
            self.report.not_carried(loc.item(
                object,
                &at,
                format!(
                    "the spec's {}s run with the resources of `{}`",
                    object.kind, owner.name
                ),
            ));
        }
    }

    /// Copies a job's whole-number fields, names it as the spec does and records what it became.
    fn add_job(
        &mut self,
        source: usize,
        object: &Object,
        spec: &mut Map<String, Value>,
        shape: &JobShape,
        mut job: Value,
    ) {
        let JobShape {
            section,
            kind,
            ints,
            became,
        } = *shape;
        for (field, key) in ints {
            if let Some(v) = int(object.doc.path(field)) {
                job[*key] = json!(v);
            }
        }
        let name = dns_label(
            &short_name(object, &prefixes_of(&self.sources[source]), ""),
            40,
        );
        if let Value::Object(m) = spec.entry(section).or_insert_with(|| json!({})) {
            m.insert(name.clone(), job);
        }
        let loc = Locator {
            unit: self.unit(source),
        };
        self.report.carried.push(Carried {
            object: format!("{kind} {}", object.name),
            file: loc.at(object, &[]).0,
            became: format!("{section}.{name} {became}").trim_end().to_string(),
        });
    }

    fn hook_job(
        &mut self,
        source: usize,
        object: &Object,
        workloads: &[Workload],
        spec: &mut Map<String, Value>,
    ) {
        let loc = Locator {
            unit: self.unit(source),
        };
        let hooks: Vec<String> = text(
            object
                .doc
                .path("metadata.annotations")
                .and_then(|a| a.get("helm.sh/hook")),
        )
        .map(|h| {
            h.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| {
                    [
                        "pre-install",
                        "post-install",
                        "pre-upgrade",
                        "post-upgrade",
                        "pre-rollback",
                        "post-rollback",
                        "pre-delete",
                        "post-delete",
                    ]
                    .contains(&s.as_str())
                })
                .collect()
        })
        .unwrap_or_default();
        let pod = object.doc.path("spec.template.spec");
        if hooks.is_empty() {
            self.report.not_carried(loc.item(
                object,
                &[],
                "a Job that is not a Helm hook: the spec has hook Jobs and CronJobs",
            ));
            return;
        }
        let Some(owner) = self.owner(pod, workloads) else {
            self.report.not_carried(loc.item(
                object,
                &["spec", "template", "spec", "containers"],
                "a hook Job whose image is no component's",
            ));
            return;
        };
        let Some(run) = self.job_run(source, object, &["spec", "template", "spec"], owner) else {
            self.report.not_carried(loc.item(
                object,
                &["spec", "template"],
                "a hook Job that runs nothing (no command, no args)",
            ));
            return;
        };
        self.job_differences(source, object, &["spec", "template", "spec"], owner);
        let policy = text(
            object
                .doc
                .path("metadata.annotations")
                .and_then(|a| a.get("helm.sh/hook-delete-policy")),
        )
        .unwrap_or_default();
        if policy.contains("hook-succeeded") {
            self.report.change(format!(
                "the hook Job `{}` is kept after it succeeds (delete policy `before-hook-creation`), so its logs \
                 stay readable until the next upgrade",
                object.name
            ));
        }
        let mut job = json!({"component": owner.name});
        for (k, v) in run {
            job[k] = v;
        }
        job["hooks"] = json!(hooks);
        use crate::spec::model as m;
        self.defaults_gained(
            object,
            &[
                (
                    "spec.backoffLimit",
                    format!("backoffLimit: {}", m::default_backoff()),
                    "6 retries",
                ),
                (
                    "spec.activeDeadlineSeconds",
                    format!("activeDeadlineSeconds: {}", m::default_deadline()),
                    "no time limit",
                ),
                (
                    "spec.ttlSecondsAfterFinished",
                    "ttlSecondsAfterFinished: 86400".to_string(),
                    "kept until the next hook run",
                ),
            ],
        );
        let ints = [
            ("spec.backoffLimit", "backoffLimit"),
            ("spec.activeDeadlineSeconds", "activeDeadlineSeconds"),
        ];
        let shape = JobShape {
            section: "jobs",
            kind: "Job",
            ints: &ints,
            became: "",
        };
        self.add_job(source, object, spec, &shape, job);
    }
}

/// Whether a NetworkPolicy of the source selects this pod template for both ingress and egress: the generated
/// default-deny policies then change nothing the source did not already restrict.
fn denied_by_default(pod: &Node, policies: &[&Object]) -> bool {
    let labels = pod.path("metadata.labels");
    policies.iter().any(|p| {
        let types: Vec<String> = p
            .doc
            .path("spec.policyTypes")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(Node::scalar_text)
            .collect();
        let wanted = p.doc.path("spec.podSelector.matchLabels");
        let selects = wanted
            .map(Node::entries)
            .unwrap_or_default()
            .iter()
            .all(|(k, v)| {
                labels
                    .and_then(|l| l.get(&k.name))
                    .and_then(Node::scalar_text)
                    == v.scalar_text()
            })
            && p.doc.path("spec.podSelector.matchExpressions").is_none();
        selects && types.iter().any(|t| t == "Ingress") && types.iter().any(|t| t == "Egress")
    })
}

/// Whether every container of a pod template already runs as the generated chart runs them: non-root, a
/// read-only root filesystem, no privilege escalation, every capability dropped.
fn runs_restricted(pod: &Node) -> bool {
    let pod_non_root = pod
        .path("spec.securityContext.runAsNonRoot")
        .and_then(Node::as_bool);
    ["containers", "initContainers"].iter().all(|list| {
        pod.path(&format!("spec.{list}"))
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .all(|c| {
                let sc = c.get("securityContext");
                let flag = |k: &str| sc.and_then(|s| s.get(k)).and_then(Node::as_bool);
                let drops_all = sc
                    .and_then(|s| s.path("capabilities.drop"))
                    .map(Node::as_seq)
                    .unwrap_or_default()
                    .iter()
                    .any(|d| d.scalar_text().as_deref() == Some("ALL"));
                flag("runAsNonRoot").or(pod_non_root) == Some(true)
                    && flag("readOnlyRootFilesystem") == Some(true)
                    && flag("allowPrivilegeEscalation") == Some(false)
                    && drops_all
            })
    })
}

/// A container's `command` and `args`, as the spec's fields of the same names (left out when empty).
fn command_and_args(container: &Node, out: &mut Map<String, Value>) {
    for field in ["command", "args"] {
        let values: Vec<String> = container
            .get(field)
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(Node::scalar_text)
            .collect();
        if !values.is_empty() {
            out.insert(field.into(), json!(values));
        }
    }
}

/// The secret group a component's own secret literals (ConfigMap values, env literals) become.
fn own_secret_group(component: &str) -> String {
    dns_label(&format!("{component}-env"), 40)
}

/// Where a kind of job goes in the spec, and which of its whole-number fields carry over.
struct JobShape<'a> {
    section: &'a str,
    kind: &'a str,
    /// (source path, spec key) pairs.
    ints: &'a [(&'a str, &'a str)],
    /// Said after the spec path in the report.
    became: &'a str,
}

/// One soft spread over nodes (`kubernetes.io/hostname`, ScheduleAnyway): what chartgen renders by default.
fn is_soft_node_spread(list: &Node) -> bool {
    matches!(list.as_seq(), [only] if text(only.get("topologyKey")).as_deref() == Some("kubernetes.io/hostname")
        && text(only.get("whenUnsatisfiable")).as_deref() == Some("ScheduleAnyway"))
}

fn default_fullname(release: &str, chart: &str, component: &str) -> String {
    let base = if release.contains(chart) {
        release.to_string()
    } else {
        format!("{release}-{chart}")
    };
    let base: String = base
        .chars()
        .take(63)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string();
    format!("{base}-{component}")
        .chars()
        .take(63)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

fn pvc_spec(spec: Option<&Node>) -> Value {
    let size = text(spec.and_then(|s| s.path("resources.requests.storage")))
        .unwrap_or_else(|| "1Gi".into());
    let mut v = json!({"size": size});
    let modes: Vec<String> = spec
        .and_then(|s| s.get("accessModes"))
        .map(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(Node::scalar_text)
        .collect();
    if !modes.is_empty() {
        v["accessModes"] = json!(modes);
    }
    if let Some(class) = text(spec.and_then(|s| s.get("storageClassName"))) {
        v["storageClass"] = json!(if class.is_empty() {
            "-".to_string()
        } else {
            class
        });
    }
    v
}

fn files_from(name: &str, source: Option<&Node>) -> Value {
    let keys: Vec<String> = source
        .and_then(|s| s.get("items"))
        .map(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|i| text(i.get("key")))
        .collect();
    let mut v = json!({"name": name});
    if !keys.is_empty() {
        v["keys"] = json!(keys);
    }
    v
}

/// The timing fields of a probe that the spec carries.
const PROBE_TIMING: [&str; 4] = [
    "initialDelaySeconds",
    "periodSeconds",
    "timeoutSeconds",
    "failureThreshold",
];

/// A Kubernetes probe as a spec probe, or `None` for a handler the spec has no field for.
fn probe(p: &Node, port_names: &BTreeMap<String, String>) -> Option<Value> {
    let port_ref = |n: Option<&Node>| -> Option<Value> {
        let t = text(n)?;
        match port_names.get(&t).map(String::as_str) {
            Some("http") => None,
            Some(other) => Some(json!(other)),
            None => Some(t.parse::<i64>().map_or(json!(t), |n| json!(n))),
        }
    };
    let mut out = if let Some(h) = p.get("httpGet") {
        let mut v = json!({"path": text(h.get("path")).unwrap_or_else(|| "/".into())});
        if let Some(port) = port_ref(h.get("port")) {
            v["port"] = port;
        }
        v
    } else if let Some(t) = p.get("tcpSocket") {
        let mut inner = json!({});
        if let Some(port) = port_ref(t.get("port")) {
            inner["port"] = port;
        }
        json!({"tcpSocket": inner})
    } else if let Some(e) = p.get("exec") {
        let command: Vec<String> = e
            .get("command")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(Node::scalar_text)
            .collect();
        json!({"exec": {"command": command}})
    } else if let Some(g) = p.get("grpc") {
        let mut inner = json!({"port": int(g.get("port")).unwrap_or(0)});
        if let Some(s) = text(g.get("service")) {
            inner["service"] = json!(s);
        }
        json!({"grpc": inner})
    } else {
        return None;
    };
    for key in PROBE_TIMING {
        if let Some(v) = int(p.get(key)) {
            out[key] = json!(v);
        }
    }
    Some(out)
}

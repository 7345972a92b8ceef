//! Kubernetes objects as the rules see them: what they are, where they came from, and for workloads their pod
//! template and containers, with the security context each container really runs with.

use super::finding::{Finding, ObjectRef};
use super::rules::RuleMeta;
use super::source::{Focus, Origin, Seg, SourceFile, key, locate_in};
use crate::diagnostic::Diagnostic;
use crate::yaml::{Node, Pos};

/// A parsed Kubernetes object and its origin.
#[derive(Debug, Clone)]
pub struct Object {
    pub doc: Node,
    pub kind: String,
    pub api_version: String,
    pub name: String,
    pub namespace: Option<String>,
    pub origin: Origin,
}

impl Object {
    pub fn from_doc(doc: Node, origin: Origin) -> Option<Object> {
        let kind = doc.get("kind")?.as_str()?.to_string();
        let api_version = doc
            .get("apiVersion")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        let metadata = doc.get("metadata");
        let name = metadata
            .and_then(|m| m.get("name").or_else(|| m.get("generateName")))
            .and_then(Node::scalar_text)
            .unwrap_or_default();
        let namespace = metadata
            .and_then(|m| m.get("namespace"))
            .and_then(Node::scalar_text);
        Some(Object {
            doc,
            kind,
            api_version,
            name,
            namespace,
            origin,
        })
    }

    pub fn reference(&self) -> ObjectRef {
        ObjectRef {
            kind: self.kind.clone(),
            name: self.name.clone(),
            namespace: self.namespace.clone(),
        }
    }

    pub fn annotation(&self, name: &str) -> Option<&str> {
        self.doc.path("metadata.annotations")?.get(name)?.as_str()
    }

    pub fn labels(&self) -> Option<&Node> {
        self.doc.path("metadata.labels")
    }

    /// Where the pod template (its `metadata` and `spec`) sits: the object itself for a Pod, `spec.template` for
    /// the built-in controllers, and for any other kind (Argo Rollouts, Knative Services, CRDs) wherever a
    /// `spec.template.spec` or `spec.jobTemplate.spec.template.spec` with `containers` is found.
    pub fn pod_template_path(&self) -> Option<&'static [&'static str]> {
        const TEMPLATE: &[&str] = &["spec", "template"];
        const JOB_TEMPLATE: &[&str] = &["spec", "jobTemplate", "spec", "template"];
        match self.kind.as_str() {
            "Pod" => Some(&[]),
            "Deployment"
            | "StatefulSet"
            | "DaemonSet"
            | "ReplicaSet"
            | "ReplicationController"
            | "Job" => Some(TEMPLATE),
            "CronJob" => Some(JOB_TEMPLATE),
            _ => [TEMPLATE, JOB_TEMPLATE].into_iter().find(|t| {
                let mut node = &self.doc;
                for k in t.iter().chain(&["spec", "containers"]) {
                    match node.get(k) {
                        Some(n) => node = n,
                        None => return false,
                    }
                }
                !node.as_seq().is_empty()
            }),
        }
    }

    fn template_field(&self, field: &str) -> Option<(&Node, Vec<Seg>)> {
        let mut node = &self.doc;
        let mut path = Vec::new();
        for k in self.pod_template_path()?.iter().chain(&[field]) {
            node = node.get(k)?;
            path.push(key(k));
        }
        Some((node, path))
    }

    /// The pod template of a workload, with its path; `None` for other kinds.
    pub fn pod_spec(&self) -> Option<(&Node, Vec<Seg>)> {
        self.template_field("spec")
    }

    /// The labels of the pod template (for Services and selectors).
    pub fn pod_labels(&self) -> Option<&Node> {
        self.template_field("metadata")?.0.get("labels")
    }

    /// The annotations of the pod template, with their path.
    pub fn pod_annotations(&self) -> Option<(&Node, Vec<Seg>)> {
        let (metadata, mut path) = self.template_field("metadata")?;
        path.push(key("annotations"));
        Some((metadata.get("annotations")?, path))
    }

    fn pod_annotation(&self, name: &str) -> Option<&str> {
        self.pod_annotations()?.0.get(name)?.as_str()
    }

    /// Long-running workloads need probes; run-to-completion ones (Jobs, CronJobs, Helm hooks and test pods,
    /// bare pods that do not restart) do not.
    pub fn is_long_running(&self) -> bool {
        match self.kind.as_str() {
            "Job" | "CronJob" => false,
            _ if self.annotation("helm.sh/hook").is_some() => false,
            "Pod" => {
                let restart = self
                    .doc
                    .path("spec.restartPolicy")
                    .and_then(|r| r.as_str())
                    .unwrap_or("Always");
                restart == "Always"
            }
            "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "ReplicationController" => {
                true
            }
            // Other kinds with a pod template (Rollouts, Knative Services): long-running unless job-shaped.
            kind => {
                self.pod_template_path() == Some(&["spec", "template"][..])
                    && !kind.ends_with("Job")
            }
        }
    }

    /// Every container of a workload: init, regular and ephemeral.
    pub fn containers(&self) -> Vec<Container<'_>> {
        let Some((pod, pod_path)) = self.pod_spec() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (field, kind) in [
            ("initContainers", ContainerKind::Init),
            ("containers", ContainerKind::Regular),
            ("ephemeralContainers", ContainerKind::Ephemeral),
        ] {
            for (i, node) in pod
                .get(field)
                .map(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                let mut path = pod_path.clone();
                path.push(key(field));
                path.push(Seg::Index(i));
                let name = node
                    .get("name")
                    .and_then(Node::scalar_text)
                    .unwrap_or_else(|| format!("{field}[{i}]"));
                out.push(Container {
                    node,
                    pod,
                    path,
                    pod_path: pod_path.clone(),
                    name,
                    kind,
                });
            }
        }
        out
    }

    /// Whether any `chartgen.dev/ignore*` annotation is present, on the object or its pod template.
    pub fn has_suppressions(&self) -> bool {
        let template = match self.kind.as_str() {
            "Pod" => None,
            _ => self.pod_annotations().map(|(a, _)| a),
        };
        [self.doc.path("metadata.annotations"), template]
            .into_iter()
            .flatten()
            .any(|a| {
                a.entries()
                    .iter()
                    .any(|(k, _)| k.name.starts_with(super::suppress::ANNOTATION))
            })
    }

    /// Rules a `chartgen.dev/ignore` annotation suppresses for this object (or one container), and whether the
    /// annotation carries a reason.
    pub fn suppressed(&self, container: Option<&str>) -> Vec<Suppression> {
        let mut out = Vec::new();
        let mut names = vec![super::suppress::ANNOTATION.to_string()];
        if let Some(c) = container {
            names.push(format!("{}.{c}", super::suppress::ANNOTATION));
        }
        for name in names {
            for text in [self.annotation(&name), self.pod_annotation(&name)]
                .into_iter()
                .flatten()
            {
                out.push(super::suppress::parse_annotation(&name, text));
            }
        }
        out
    }
}

pub use super::suppress::Suppression;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerKind {
    Init,
    Regular,
    Ephemeral,
}

/// A container and the pod it runs in.
#[derive(Debug, Clone)]
pub struct Container<'a> {
    pub node: &'a Node,
    pub pod: &'a Node,
    pub path: Vec<Seg>,
    pub pod_path: Vec<Seg>,
    pub name: String,
    pub kind: ContainerKind,
}

impl<'a> Container<'a> {
    /// A field of the container's own `securityContext` (present or not) and its path, for locations.
    pub fn own_security(&self, field: &str) -> (Option<&'a Node>, Vec<Seg>) {
        let node = self
            .node
            .get("securityContext")
            .and_then(|sc| sc.get(field));
        (node, self.field(&["securityContext", field]))
    }

    /// A security context field as the container runs with it: the container's own value overrides the pod's
    /// (for the fields the pod level has). Returns the node and its path, for locations.
    pub fn effective(&self, field: &str) -> Option<(&'a Node, Vec<Seg>)> {
        if let (Some(node), path) = self.own_security(field) {
            return Some((node, path));
        }
        const POD_LEVEL: &[&str] = &[
            "runAsNonRoot",
            "runAsUser",
            "runAsGroup",
            "seccompProfile",
            "seLinuxOptions",
        ];
        if !POD_LEVEL.contains(&field) {
            return None;
        }
        let node = self
            .pod
            .get("securityContext")
            .and_then(|sc| sc.get(field))?;
        let mut path = self.pod_path.clone();
        path.extend([key("securityContext"), key(field)]);
        Some((node, path))
    }

    /// The items of one of the container's lists (`env`, `volumeMounts`, …) that have a `name`: the path of
    /// that `name`, its node and its text.
    pub fn named_items<'s>(
        &'s self,
        field: &'s str,
    ) -> impl Iterator<Item = (Vec<Seg>, &'a Node, String)> + 's {
        self.node
            .get(field)
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
            .filter_map(move |(i, item)| {
                let name = item.get("name")?;
                let mut path = self.field(&[field]);
                path.extend([Seg::Index(i), key("name")]);
                Some((path, name, name.scalar_text()?))
            })
    }

    /// A container-level field path, for findings about a key that should be there.
    pub fn field(&self, names: &[&str]) -> Vec<Seg> {
        let mut path = self.path.clone();
        path.extend(names.iter().map(|n| key(n)));
        path
    }
}

/// The objects linted together: one chart render, or all plain manifests of one invocation. Cross-object rules
/// (Service selectors, Ingress backends, HPA targets) look only inside a unit.
#[derive(Debug, Clone, Default)]
pub struct Unit {
    pub sources: Vec<SourceFile>,
    pub objects: Vec<Object>,
    /// Chart folders in this unit (static chart checks: values schema, values.yaml defaults, template text).
    pub charts: Vec<ChartInfo>,
    /// Chart specs in this unit, validated with the renderer's own validation.
    pub specs: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct ChartInfo {
    /// Index of Chart.yaml in `sources`.
    pub chart_yaml: usize,
    pub has_values_schema: bool,
    /// values.yaml: source index and parsed document.
    pub values: Option<(usize, std::sync::Arc<Node>)>,
    /// The chart's `ci/*-values.yaml` test values: source index and parsed document.
    pub ci_values: Vec<(usize, std::sync::Arc<Node>)>,
    /// Template files (source indices).
    pub templates: Vec<usize>,
    /// Other chart files that templates load with `.Files.Get`, `.Files.Lines` or `.Files.Glob` (source indices):
    /// their text is rendered into objects, so it is linted where it is written.
    pub files: Vec<usize>,
}

impl Unit {
    /// Builds a finding at a path of an object (at the node when it exists, else where it belongs).
    pub fn finding(
        &self,
        rule: &RuleMeta,
        object: &Object,
        container: Option<&str>,
        path: &[Seg],
        node: Option<&Node>,
        message: String,
    ) -> Finding {
        let pos = node
            .map(|n| n.pos)
            .unwrap_or_else(|| self.nearest_pos(object, path));
        let at = locate_in(&object.origin, Some(&object.doc), path, pos, Focus::Place);
        self.object_finding(rule, object, container, path, node, at, message)
    }

    /// A finding about a literal value, which in a chart points at its values.yaml default when it has one.
    pub fn value_finding(
        &self,
        rule: &RuleMeta,
        object: &Object,
        container: Option<&str>,
        path: &[Seg],
        node: &Node,
        message: String,
    ) -> Finding {
        self.focused_finding(rule, object, container, path, node, Focus::Value, message)
    }

    /// A finding about one part of a value (an image's tag): in a chart whose template joins the value from
    /// several values (`{{ .Values.image.repository }}:{{ .Values.image.tag }}`), it points at the value that
    /// renders that part.
    #[allow(clippy::too_many_arguments)]
    pub fn part_finding(
        &self,
        rule: &RuleMeta,
        object: &Object,
        container: Option<&str>,
        path: &[Seg],
        node: &Node,
        part: &str,
        message: String,
    ) -> Finding {
        self.focused_finding(
            rule,
            object,
            container,
            path,
            node,
            Focus::Part(part),
            message,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn focused_finding(
        &self,
        rule: &RuleMeta,
        object: &Object,
        container: Option<&str>,
        path: &[Seg],
        node: &Node,
        focus: Focus,
        message: String,
    ) -> Finding {
        let at = locate_in(&object.origin, Some(&object.doc), path, node.pos, focus);
        self.object_finding(rule, object, container, path, Some(node), at, message)
    }

    #[allow(clippy::too_many_arguments)]
    fn object_finding(
        &self,
        rule: &RuleMeta,
        object: &Object,
        container: Option<&str>,
        path: &[Seg],
        node: Option<&Node>,
        (file, line, column): (usize, u32, u32),
        message: String,
    ) -> Finding {
        let mut finding = self.make(rule, file, line, column, Some(object), container, message);
        finding.diagnostic.path = crate::yaml::dotted(path);
        finding.place = named_place(&object.doc, path);
        // In a plain manifest the finding is at the node itself, which knows where it ends.
        if let (Origin::Direct { .. }, Some(node)) = (&object.origin, node)
            && node.pos == finding.diagnostic.start()
        {
            finding.diagnostic.end = Some(node.end);
        }
        finding
    }

    /// A finding at a position in a source file.
    #[allow(clippy::too_many_arguments)]
    pub fn make(
        &self,
        rule: &RuleMeta,
        file: usize,
        line: u32,
        column: u32,
        object: Option<&Object>,
        container: Option<&str>,
        message: String,
    ) -> Finding {
        Finding {
            rule: rule.name,
            severity: rule.severity,
            file: self
                .sources
                .get(file)
                .map(|s| s.path.clone())
                .unwrap_or_default(),
            object: object.map(Object::reference),
            container: container.map(str::to_string),
            diagnostic: Diagnostic::new("", message).at(Pos { line, column }),
            place: String::new(),
            render: None,
        }
    }

    /// For a missing key in a plain manifest: where the deepest part of the path that exists is written: its
    /// key (`securityContext:`, not the first key under it), or a list item's first line.
    fn nearest_pos(&self, object: &Object, path: &[Seg]) -> Pos {
        let (node, depth) = object.doc.walk(path);
        match path[..depth].last() {
            Some(Seg::Key(_)) => object.doc.key_pos(&path[..depth]).unwrap_or(node.pos),
            _ => node.pos,
        }
    }

    pub fn workloads(&self) -> impl Iterator<Item = &Object> {
        self.objects.iter().filter(|o| o.pod_spec().is_some())
    }
}

/// A path in a document with each list item that has a `name` written as `[name]` instead of its position.
fn named_place(doc: &Node, path: &[Seg]) -> String {
    let named: Vec<Seg> = path
        .iter()
        .enumerate()
        .map(|(i, seg)| match seg {
            Seg::Index(_) => doc
                .at(&path[..=i])
                .and_then(|item| item.get("name")?.as_str())
                .map_or_else(|| seg.clone(), |name| Seg::Key(format!("[{name}]"))),
            Seg::Key(_) => seg.clone(),
        })
        .collect();
    crate::yaml::dotted(&named)
}

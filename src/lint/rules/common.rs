//! Helpers several rules share.

use super::RuleMeta;
use crate::lint::finding::Finding;
use crate::lint::object::{Container, ContainerKind, Object, Unit};
use crate::lint::source::Seg;
use crate::yaml::Node;

/// Calls `f` for every workload's pod spec and its path (each pod found once).
pub fn each_pod<'u>(unit: &'u Unit, mut f: impl FnMut(&'u Object, &'u Node, &[Seg])) {
    for object in &unit.objects {
        if let Some((pod, pod_path)) = object.pod_spec() {
            f(object, pod, &pod_path);
        }
    }
}

/// Calls `f` for every container of every workload (`containers()` is empty for other kinds).
pub fn each_container<'u>(unit: &'u Unit, mut f: impl FnMut(&'u Object, &Container<'u>)) {
    for object in &unit.objects {
        for container in object.containers() {
            f(object, &container);
        }
    }
}

/// `base` followed by `keys`.
pub fn child(base: &[Seg], keys: &[&str]) -> Vec<Seg> {
    let mut path = base.to_vec();
    path.extend(keys.iter().map(|k| crate::lint::source::key(k)));
    path
}

#[allow(clippy::too_many_arguments)]
/// Reports a container finding at `path` (the node when it exists, else the nearest place it belongs).
pub fn report(
    unit: &Unit,
    meta: &RuleMeta,
    object: &Object,
    container: &Container<'_>,
    path: &[Seg],
    node: Option<&Node>,
    message: String,
    out: &mut Vec<Finding>,
) {
    out.push(unit.finding(meta, object, Some(&container.name), path, node, message));
}

pub fn missing_resource(
    unit: &Unit,
    meta: &RuleMeta,
    kind: &str,
    resource: &str,
    out: &mut Vec<Finding>,
) {
    each_container(unit, |object, c| {
        // Ephemeral debug containers cannot have resources.
        if c.kind == ContainerKind::Ephemeral {
            return;
        }
        let set = c
            .node
            .get("resources")
            .and_then(|r| r.get(kind))
            .and_then(|k| k.get(resource));
        if set.is_none_or(|v| v.scalar_text().is_none_or(|t| t.trim().is_empty())) {
            let word = if kind == "requests" {
                "request"
            } else {
                "limit"
            };
            let path = c.field(&["resources", kind, resource]);
            let message = format!(
                "container `{}` has no {resource} {word} (`resources.{kind}.{resource}`)",
                c.name
            );
            report(unit, meta, object, c, &path, None, message, out);
        }
    });
}

pub fn missing_probe(unit: &Unit, meta: &RuleMeta, field: &str, out: &mut Vec<Finding>) {
    missing_spec_probe(unit, meta, field, out);
    for object in unit.workloads().filter(|o| o.is_long_running()) {
        for c in object
            .containers()
            .iter()
            .filter(|c| c.kind == ContainerKind::Regular)
        {
            if c.node.get(field).is_none() {
                let message = format!(
                    "container `{}` of {} `{}` has no {field}",
                    c.name, object.kind, object.name
                );
                report(
                    unit,
                    meta,
                    object,
                    c,
                    &c.field(&[field]),
                    None,
                    message,
                    out,
                );
            }
        }
    }
}

/// The same check on chart specs: every component is long-running (a Deployment or StatefulSet), so it and
/// each of its sidecars get the probe, as the rendered chart would be told. A spec the renderer refuses is
/// reported by `invalid-chart-spec` instead.
fn missing_spec_probe(unit: &Unit, meta: &RuleMeta, field: &str, out: &mut Vec<Finding>) {
    let kind = field.trim_end_matches("Probe");
    for &index in &unit.specs {
        let Some(source) = unit.sources.get(index) else {
            continue;
        };
        let path = std::path::Path::new(&source.path);
        let (Ok(spec), Ok(doc)) = (
            crate::spec::parse(path, &source.text),
            crate::yaml::parse_document(&source.text),
        ) else {
            continue;
        };
        for c in &spec.components {
            let containers = std::iter::once((None, &c.probes))
                .chain(c.sidecars.iter().map(|s| (Some(&s.name), &s.probes)));
            for (sidecar, probes) in containers {
                if probes.iter().any(|p| p.kind == kind) {
                    continue;
                }
                let mut at = vec!["components", c.name.as_str()];
                if let Some(name) = sidecar {
                    at.extend(["sidecars", name.as_str()]);
                }
                let pos = match doc.key_pos(&[&at[..], &["probes"]].concat()) {
                    Some(pos) => pos,
                    None => doc.locate_key(&at),
                };
                let (what, fix) = match sidecar {
                    Some(name) => (
                        format!("sidecar `{name}` of component `{}`", c.name),
                        format!("components.{}.sidecars.{name}.probes.{kind}", c.name),
                    ),
                    None => (
                        format!("component `{}`", c.name),
                        format!("components.{}.probes.{kind}", c.name),
                    ),
                };
                let message = format!(
                    "{what} has no {kind} probe, so its chart's container has no {field}; add `{fix}`"
                );
                out.push(unit.make(
                    meta,
                    index,
                    pos.line.max(1),
                    pos.column.max(1),
                    None,
                    sidecar.map(String::as_str).or(Some(c.name.as_str())),
                    message,
                ));
            }
        }
    }
}

/// True when the node is the boolean `true` (or the string "true", as some generators write).
pub fn is_true(node: Option<&Node>) -> bool {
    node.is_some_and(|n| n.as_bool() == Some(true) || n.as_str() == Some("true"))
}

pub fn is_false(node: Option<&Node>) -> bool {
    node.is_some_and(|n| n.as_bool() == Some(false) || n.as_str() == Some("false"))
}

/// Strings of a sequence node (`[a, b]`), ignoring non-strings.
pub fn strings(node: Option<&Node>) -> Vec<String> {
    node.map(|n| n.as_seq().iter().filter_map(Node::scalar_text).collect())
        .unwrap_or_default()
}

/// Same namespace, treating a missing namespace as "wherever it is installed".
pub fn same_namespace(a: &Object, b: &Object) -> bool {
    match (&a.namespace, &b.namespace) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

/// Every rule of every Role and ClusterRole: (role, rule index, rule).
pub fn role_rules(unit: &Unit) -> impl Iterator<Item = (&Object, usize, &Node)> {
    unit.objects
        .iter()
        .filter(|o| o.kind == "Role" || o.kind == "ClusterRole")
        .flat_map(|role| {
            role.doc
                .get("rules")
                .map(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .enumerate()
                .map(move |(i, r)| (role, i, r))
        })
}

/// The path of a field of a Role's rule, for findings.
pub fn role_rule_field(index: usize, field: &str) -> [Seg; 3] {
    [
        crate::lint::source::key("rules"),
        Seg::Index(index),
        crate::lint::source::key(field),
    ]
}

/// Whether some controller adds this label to the pods it creates (whatever their template says).
pub fn is_controller_label(label: &str) -> bool {
    ["Deployment", "StatefulSet", "Job"]
        .iter()
        .any(|kind| controller_label(kind, label))
}

/// Labels a controller adds to the pods it creates, whatever the template says: a selector may use them.
fn controller_label(kind: &str, label: &str) -> bool {
    match label {
        "pod-template-hash" => matches!(kind, "Deployment" | "Rollout"),
        "controller-revision-hash" => matches!(kind, "StatefulSet" | "DaemonSet"),
        "statefulset.kubernetes.io/pod-name" | "apps.kubernetes.io/pod-index" => {
            kind == "StatefulSet"
        }
        "job-name"
        | "controller-uid"
        | "batch.kubernetes.io/job-name"
        | "batch.kubernetes.io/controller-uid"
        | "batch.kubernetes.io/job-completion-index" => {
            matches!(kind, "Job" | "CronJob")
        }
        _ => false,
    }
}

/// Whether a Kubernetes label selector matches the pods of `workload`: either a `LabelSelector` (`matchLabels`
/// and `matchExpressions` with In, NotIn, Exists, DoesNotExist; `{}` matches every pod) or, when it has neither
/// key, a plain label map as Services and ReplicationControllers use. Labels the workload's controller adds to its
/// pods (`statefulset.kubernetes.io/pod-name`, `pod-template-hash`, ...) count as present with any value.
pub fn selector_matches(selector: &Node, workload: &Object) -> bool {
    let labels = workload.pod_labels();
    let value = |k: &str| labels.and_then(|l| l.get(k)).and_then(Node::scalar_text);
    let implicit = |k: &str| controller_label(&workload.kind, k);
    let label_ok = |k: &str, v: &Node| implicit(k) || value(k) == v.scalar_text();
    let is_label_selector =
        selector.get("matchLabels").is_some() || selector.get("matchExpressions").is_some();
    if !is_label_selector {
        return selector.entries().iter().all(|(k, v)| label_ok(&k.name, v));
    }
    let match_labels = selector
        .get("matchLabels")
        .map(Node::entries)
        .unwrap_or_default();
    if !match_labels.iter().all(|(k, v)| label_ok(&k.name, v)) {
        return false;
    }
    selector
        .get("matchExpressions")
        .map(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .all(|expr| {
            let Some(k) = expr.get("key").and_then(Node::scalar_text) else {
                return false;
            };
            if implicit(&k) {
                return true;
            }
            let values = strings(expr.get("values"));
            let actual = value(&k);
            match expr.get("operator").and_then(Node::as_str).unwrap_or("") {
                "In" => actual.is_some_and(|a| values.contains(&a)),
                "NotIn" => actual.is_none_or(|a| !values.contains(&a)),
                "Exists" => actual.is_some(),
                "DoesNotExist" => actual.is_none(),
                _ => false,
            }
        })
}

/// Workloads in `selector_owner`'s namespace whose pods `selector` matches.
pub fn selected_workloads<'u>(
    unit: &'u Unit,
    selector_owner: &'u Object,
    selector: &'u Node,
) -> impl Iterator<Item = &'u Object> {
    unit.workloads()
        .filter(move |w| same_namespace(w, selector_owner) && selector_matches(selector, w))
}

/// An integer field that may be written as a number or a quoted number.
pub fn int(node: Option<&Node>) -> Option<i64> {
    let node = node?;
    node.as_i64()
        .or_else(|| node.scalar_text()?.trim().parse().ok())
}

/// Workloads that keep a replica count: long-running ones other than Pods and DaemonSets.
pub fn is_replicated(object: &Object) -> bool {
    object.is_long_running() && !matches!(object.kind.as_str(), "Pod" | "DaemonSet")
}

/// `spec.replicas` of a replicated workload (Kubernetes' default is 1).
pub fn replicas(object: &Object) -> i64 {
    int(object.doc.path("spec.replicas")).unwrap_or(1)
}

/// HorizontalPodAutoscalers in the unit whose `scaleTargetRef` is `workload`.
pub fn hpas_of<'u>(unit: &'u Unit, workload: &'u Object) -> impl Iterator<Item = &'u Object> {
    unit.objects.iter().filter(move |h| {
        h.kind == "HorizontalPodAutoscaler"
            && same_namespace(h, workload)
            && h.doc.path("spec.scaleTargetRef").is_some_and(|t| {
                t.get("kind").and_then(Node::as_str) == Some(workload.kind.as_str())
                    && t.get("name").and_then(Node::scalar_text).as_deref()
                        == Some(workload.name.as_str())
            })
    })
}

/// An HPA's `spec.minReplicas` (default 1).
pub fn hpa_min(hpa: &Object) -> i64 {
    int(hpa.doc.path("spec.minReplicas")).unwrap_or(1)
}

/// Whether `workload` may run more than one pod: `replicas` above 1 or an HPA allowed to scale it past 1.
pub fn runs_several(unit: &Unit, workload: &Object) -> bool {
    is_replicated(workload)
        && (replicas(workload) > 1
            || hpas_of(unit, workload)
                .any(|h| int(h.doc.path("spec.maxReplicas")).unwrap_or(1) > 1))
}

/// PodDisruptionBudgets whose selector matches the pods of `workload` (a PDB without a selector matches none).
pub fn pdbs_of<'u>(unit: &'u Unit, workload: &'u Object) -> impl Iterator<Item = &'u Object> {
    unit.objects.iter().filter(move |p| {
        p.kind == "PodDisruptionBudget"
            && same_namespace(p, workload)
            && p.doc
                .path("spec.selector")
                .is_some_and(|s| selector_matches(s, workload))
    })
}

/// The path of a field of an object, for findings.
pub fn path_of(keys: &[&str]) -> Vec<Seg> {
    child(&[], keys)
}

/// An int-or-percent field (`2`, `"50%"`) as a pod count out of `total`, rounded up as the disruption controller
/// does.
pub fn pod_count(node: &Node, total: i64) -> Option<i64> {
    let text = node.scalar_text()?;
    match text.trim().strip_suffix('%') {
        Some(p) => {
            let p: i64 = p.trim().parse().ok()?;
            Some((p * total + 99) / 100)
        }
        None => int(Some(node)),
    }
}

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

/// Whether every label of `selector` is on `labels`.
pub fn selects(selector: &Node, labels: Option<&Node>) -> bool {
    let Some(labels) = labels else { return false };
    !selector.entries().is_empty()
        && selector
            .entries()
            .iter()
            .all(|(k, v)| labels.get(&k.name).and_then(Node::scalar_text) == v.scalar_text())
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

use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::{Object, Unit};
use crate::yaml::Node;
use std::collections::HashMap;

declare_rule! {
/// ## What it does
/// Flags a Service whose `spec.selector` matches the pod-template labels of no workload in the same input (one chart
/// render, or all manifests given in one run). It stays quiet when the input has no workloads at all, since then
/// there is nothing to judge against, and for Services without a selector (ExternalName, manual Endpoints).
///
/// ## Why is this bad?
/// A Service that selects nothing has no endpoints: every request to it fails with "connection refused", while
/// `kubectl get svc` looks perfectly healthy. The usual cause is a label renamed on one side only.
///
/// ## Example
/// ```yaml
/// kind: Service
/// spec:
///   selector: { app: backend }
/// ---
/// kind: Deployment
/// spec:
///   template:
///     metadata:
///       labels: { app: api }
/// ```
///
/// Use instead:
/// ```yaml
/// kind: Service
/// spec:
///   selector: { app: api }
/// ```
    pub struct DanglingServiceSelector {
        name: "dangling-service-selector",
        severity: Error,
        profile: None,
        summary: "a Service whose selector matches no pod template",
    }
}

impl Rule for DanglingServiceSelector {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        if unit.workloads().next().is_none() {
            return;
        }
        // Workloads by each of their pod labels, so a Service is checked against a handful of candidates
        // instead of every workload.
        let mut by_label: HashMap<(String, String), Vec<&Object>> = HashMap::new();
        for w in unit.workloads() {
            for (k, v) in w.pod_labels().map(Node::entries).unwrap_or_default() {
                if let Some(v) = v.scalar_text() {
                    by_label.entry((k.name.clone(), v)).or_default().push(w);
                }
            }
        }
        let all: Vec<&Object> = unit.workloads().collect();
        for service in unit.objects.iter().filter(|o| o.kind == "Service") {
            let Some(selector) = service.doc.path("spec.selector") else {
                continue;
            };
            if selector.entries().is_empty() {
                continue;
            }
            // Candidates by the first label a template must carry; a label the controller adds to its pods
            // (`statefulset.kubernetes.io/pod-name`) is in no template, so it cannot narrow the search.
            let indexed = selector
                .entries()
                .iter()
                .find(|(k, _)| !super::common::is_controller_label(&k.name));
            let candidates: &[&Object] = match indexed {
                Some((k, v)) => v
                    .scalar_text()
                    .and_then(|v| by_label.get(&(k.name.clone(), v)))
                    .map(Vec::as_slice)
                    .unwrap_or_default(),
                None => &all,
            };
            let matched = candidates.iter().any(|w| {
                super::common::same_namespace(w, service)
                    && super::common::selector_matches(selector, w)
            });
            if !matched {
                let labels: Vec<String> = selector
                    .entries()
                    .iter()
                    .map(|(k, v)| format!("{}={}", k.name, v.scalar_text().unwrap_or_default()))
                    .collect();
                let message = format!(
                    "Service `{}` selects {} but no pod template here has those labels",
                    service.name,
                    labels.join(",")
                );
                let path = [
                    crate::lint::source::key("spec"),
                    crate::lint::source::key("selector"),
                ];
                out.push(unit.finding(&Self::META, service, None, &path, Some(selector), message));
            }
        }
    }
}

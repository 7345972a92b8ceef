use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::{Finding, Severity};
use crate::lint::object::Unit;
use crate::yaml::Node;

/// A Kubernetes minor version (`1.29`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct KubeVersion {
    pub major: u32,
    pub minor: u32,
}

impl KubeVersion {
    /// The newest version this table knows; the target when neither `--kube-version` nor the chart says.
    pub const NEWEST: KubeVersion = KubeVersion {
        major: 1,
        minor: 35,
    };

    /// Parses `1.29`, `v1.29`, `1.29.3` or `1.29.0-0`: the major and minor numbers.
    pub fn parse(text: &str) -> Option<KubeVersion> {
        let text = text.trim();
        let text = text.strip_prefix(['v', 'V']).unwrap_or(text);
        let mut parts = text.split(['.', '-', '+']);
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        Some(KubeVersion { major, minor })
    }

    /// The newest version a chart's `kubeVersion` constraint (`>=1.25.0-0`, `<1.22`, `~1.21.0`, `1.19.x`,
    /// alternatives joined by `||`) admits: the version the chart must still work on. `None` when the constraint
    /// has no upper bound.
    pub fn newest_allowed(constraint: &str) -> Option<KubeVersion> {
        let mut best: Option<KubeVersion> = None;
        for alternative in constraint.split("||") {
            let mut upper: Option<KubeVersion> = None;
            let mut unbounded = true;
            let text = alternative.replace(',', " ");
            for comparator in text.split_whitespace() {
                let (op, version) = match comparator.find(|c: char| c.is_ascii_digit()) {
                    Some(i) => comparator.split_at(i),
                    None => continue,
                };
                let op = op.trim_end_matches(['v', 'V']);
                let Some(v) = KubeVersion::parse(version) else {
                    continue;
                };
                let patch_zero = version
                    .split(['.', '-'])
                    .nth(2)
                    .is_none_or(|p| p.trim_start_matches('0').is_empty());
                let bound = match op {
                    ">" | ">=" => continue,
                    "<" if patch_zero => match v.minor.checked_sub(1) {
                        Some(minor) => KubeVersion { minor, ..v },
                        None => continue,
                    },
                    "^" if v.major > 0 => continue,
                    _ => v, // "<" with a patch, "<=", "=", "~", "^0.x", bare or `1.19.x`
                };
                unbounded = false;
                upper = Some(upper.map_or(bound, |u| u.min(bound)));
            }
            if unbounded {
                return None;
            }
            best = best.max(upper);
        }
        best
    }
}

impl std::fmt::Display for KubeVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

const fn v(minor: u32) -> KubeVersion {
    KubeVersion { major: 1, minor }
}

/// apiVersion, kinds (empty: every kind of the group version), deprecated in, removed in, replacement.
type Entry = (
    &'static str,
    &'static [&'static str],
    KubeVersion,
    Option<KubeVersion>,
    &'static str,
);

/// From the Kubernetes deprecated API migration guide.
const TABLE: &[Entry] = &[
    (
        "extensions/v1beta1",
        &["Ingress"],
        v(14),
        Some(v(22)),
        "networking.k8s.io/v1",
    ),
    (
        "extensions/v1beta1",
        &["NetworkPolicy"],
        v(9),
        Some(v(16)),
        "networking.k8s.io/v1",
    ),
    (
        "extensions/v1beta1",
        &["PodSecurityPolicy"],
        v(11),
        Some(v(16)),
        "policy/v1beta1, then Pod Security Admission",
    ),
    ("extensions/v1beta1", &[], v(9), Some(v(16)), "apps/v1"),
    ("apps/v1beta1", &[], v(9), Some(v(16)), "apps/v1"),
    ("apps/v1beta2", &[], v(9), Some(v(16)), "apps/v1"),
    (
        "networking.k8s.io/v1beta1",
        &["Ingress", "IngressClass"],
        v(19),
        Some(v(22)),
        "networking.k8s.io/v1",
    ),
    (
        "apiextensions.k8s.io/v1beta1",
        &[],
        v(16),
        Some(v(22)),
        "apiextensions.k8s.io/v1",
    ),
    (
        "admissionregistration.k8s.io/v1beta1",
        &[
            "MutatingWebhookConfiguration",
            "ValidatingWebhookConfiguration",
        ],
        v(16),
        Some(v(22)),
        "admissionregistration.k8s.io/v1",
    ),
    (
        "apiregistration.k8s.io/v1beta1",
        &[],
        v(19),
        Some(v(22)),
        "apiregistration.k8s.io/v1",
    ),
    (
        "rbac.authorization.k8s.io/v1beta1",
        &[],
        v(17),
        Some(v(22)),
        "rbac.authorization.k8s.io/v1",
    ),
    (
        "rbac.authorization.k8s.io/v1alpha1",
        &[],
        v(17),
        Some(v(22)),
        "rbac.authorization.k8s.io/v1",
    ),
    (
        "scheduling.k8s.io/v1beta1",
        &[],
        v(14),
        Some(v(22)),
        "scheduling.k8s.io/v1",
    ),
    (
        "scheduling.k8s.io/v1alpha1",
        &[],
        v(14),
        Some(v(22)),
        "scheduling.k8s.io/v1",
    ),
    (
        "storage.k8s.io/v1beta1",
        &["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"],
        v(19),
        Some(v(22)),
        "storage.k8s.io/v1",
    ),
    (
        "storage.k8s.io/v1beta1",
        &["CSIStorageCapacity"],
        v(24),
        Some(v(27)),
        "storage.k8s.io/v1",
    ),
    (
        "certificates.k8s.io/v1beta1",
        &[],
        v(19),
        Some(v(22)),
        "certificates.k8s.io/v1",
    ),
    (
        "coordination.k8s.io/v1beta1",
        &[],
        v(19),
        Some(v(22)),
        "coordination.k8s.io/v1",
    ),
    (
        "authentication.k8s.io/v1beta1",
        &[],
        v(19),
        Some(v(22)),
        "authentication.k8s.io/v1",
    ),
    (
        "authorization.k8s.io/v1beta1",
        &[],
        v(19),
        Some(v(22)),
        "authorization.k8s.io/v1",
    ),
    (
        "batch/v1beta1",
        &["CronJob"],
        v(21),
        Some(v(25)),
        "batch/v1",
    ),
    (
        "batch/v2alpha1",
        &["CronJob"],
        v(8),
        Some(v(21)),
        "batch/v1",
    ),
    (
        "discovery.k8s.io/v1beta1",
        &["EndpointSlice"],
        v(21),
        Some(v(25)),
        "discovery.k8s.io/v1",
    ),
    (
        "events.k8s.io/v1beta1",
        &["Event"],
        v(22),
        Some(v(25)),
        "events.k8s.io/v1",
    ),
    (
        "autoscaling/v2beta1",
        &["HorizontalPodAutoscaler"],
        v(22),
        Some(v(25)),
        "autoscaling/v2",
    ),
    (
        "autoscaling/v2beta2",
        &["HorizontalPodAutoscaler"],
        v(23),
        Some(v(26)),
        "autoscaling/v2",
    ),
    (
        "policy/v1beta1",
        &["PodDisruptionBudget"],
        v(21),
        Some(v(25)),
        "policy/v1",
    ),
    (
        "policy/v1beta1",
        &["PodSecurityPolicy"],
        v(21),
        Some(v(25)),
        "Pod Security Admission",
    ),
    (
        "node.k8s.io/v1beta1",
        &["RuntimeClass"],
        v(20),
        Some(v(25)),
        "node.k8s.io/v1",
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta1",
        &[],
        v(23),
        Some(v(26)),
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta2",
        &[],
        v(26),
        Some(v(29)),
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta3",
        &[],
        v(29),
        Some(v(32)),
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    (
        "v1",
        &["ComponentStatus"],
        v(19),
        None,
        "no replacement: query component health endpoints",
    ),
    (
        "v1",
        &["Endpoints"],
        v(33),
        None,
        "discovery.k8s.io/v1 EndpointSlice",
    ),
];

declare_rule! {
/// ## What it does
/// Flags objects whose `apiVersion` (for their kind) is removed, or deprecated, at the target Kubernetes version,
/// from the upstream deprecated API migration guide: `extensions/v1beta1` and `apps/v1beta*` workloads,
/// `networking.k8s.io/v1beta1` Ingress, `batch/v1beta1` CronJob, `policy/v1beta1` PodDisruptionBudget and
/// PodSecurityPolicy, `autoscaling/v2beta1`/`v2beta2` HPAs, `rbac.authorization.k8s.io/v1beta1`,
/// `apiextensions.k8s.io/v1beta1`, the `flowcontrol` betas, and others. The target is `--kube-version`, else the
/// newest version the chart's `kubeVersion` admits, else the newest Kubernetes this table knows. A removed API is
/// an error; one only deprecated at the target is a warning.
///
/// ## Why is this bad?
/// A removed API makes `helm install` and `kubectl apply` fail with "no matches for kind", and makes `helm upgrade`
/// fail on releases that already hold the old objects; a deprecated one is removed at a later upgrade.
///
/// ## Example
/// ```yaml
/// apiVersion: policy/v1beta1
/// kind: PodDisruptionBudget
/// ```
///
/// Use instead:
/// ```yaml
/// apiVersion: policy/v1
/// kind: PodDisruptionBudget
/// ```
    pub struct DeprecatedApiVersion {
        name: "deprecated-api-version",
        severity: Error,
        profile: None,
        summary: "an apiVersion removed or deprecated at the target Kubernetes version",
    }
}

/// The newest version a chart's `kubeVersion` admits, and the constraint, from its Chart.yaml (`sources[index]`).
/// Charts are rendered at this version, since helm refuses to render a chart outside its `kubeVersion`.
pub fn chart_kube_version(
    sources: &[crate::lint::source::SourceFile],
    chart_yaml: usize,
) -> Option<(KubeVersion, String)> {
    let doc = crate::yaml::parse_document(&sources.get(chart_yaml)?.text).ok()?;
    let constraint = doc.get("kubeVersion").and_then(Node::scalar_text)?;
    Some((KubeVersion::newest_allowed(&constraint)?, constraint))
}

/// The version the unit must work on: the flag, else its chart's `kubeVersion`, else the newest.
fn target(unit: &Unit, ctx: &CheckContext) -> (KubeVersion, String) {
    if let Some(v) = ctx.kube_version {
        return (v, format!("Kubernetes {v} (--kube-version)"));
    }
    // A rendered unit carries its chart's files but not the chart outline: find the Chart.yaml among them.
    let chart_yamls = unit.charts.iter().map(|c| c.chart_yaml).chain(
        unit.sources
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                std::path::Path::new(&s.path).file_name() == Some("Chart.yaml".as_ref())
            })
            .map(|(i, _)| i),
    );
    for index in chart_yamls {
        if let Some((v, constraint)) = chart_kube_version(&unit.sources, index) {
            return (
                v,
                format!("Kubernetes {v} (the chart's kubeVersion `{constraint}`)"),
            );
        }
    }
    let v = KubeVersion::NEWEST;
    (v, format!("Kubernetes {v}"))
}

impl Rule for DeprecatedApiVersion {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, ctx: &CheckContext, out: &mut Vec<Finding>) {
        let mut resolved = None;
        for object in &unit.objects {
            let Some((_, _, deprecated, removed, instead)) =
                TABLE.iter().find(|(api, kinds, ..)| {
                    *api == object.api_version
                        && (kinds.is_empty() || kinds.contains(&object.kind.as_str()))
                })
            else {
                continue;
            };
            let (at, described) = resolved.get_or_insert_with(|| target(unit, ctx));
            let gone = removed.is_some_and(|r| r <= *at);
            if !gone && deprecated > at {
                continue;
            }
            let status = match removed {
                Some(r) if gone => format!("was removed in Kubernetes {r}"),
                Some(r) => {
                    format!("is deprecated since Kubernetes {deprecated} and removed in {r}")
                }
                None => format!("is deprecated since Kubernetes {deprecated}"),
            };
            let message = format!(
                "{} `{}` uses {} which {status} (target: {described}); use {instead}",
                object.kind, object.name, object.api_version
            );
            let path = super::common::path_of(&["apiVersion"]);
            let mut finding = unit.finding(
                &Self::META,
                object,
                None,
                &path,
                object.doc.get("apiVersion"),
                message,
            );
            if !gone {
                finding.severity = Severity::Warning;
            }
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::KubeVersion;

    #[test]
    fn chart_constraints_give_the_newest_version_they_admit() {
        let newest = |c: &str| KubeVersion::newest_allowed(c).map(|v| v.to_string());
        assert_eq!(newest(">=1.25.0-0"), None);
        assert_eq!(newest(">=1.16.0-0 <1.22.0-0"), Some("1.21".into()));
        assert_eq!(newest("<1.22.3"), Some("1.22".into()));
        assert_eq!(newest("<=1.20"), Some("1.20".into()));
        assert_eq!(newest("~1.19.0"), Some("1.19".into()));
        assert_eq!(newest("1.18.x || 1.21.x"), Some("1.21".into()));
        assert_eq!(newest("1.18.x || >=1.21"), None);
        assert_eq!(newest("^1.20"), None);
        assert_eq!(
            KubeVersion::parse("v1.29.3"),
            Some(KubeVersion {
                major: 1,
                minor: 29
            })
        );
        assert_eq!(KubeVersion::parse("1"), None);
        assert_eq!(KubeVersion::parse("latest"), None);
    }
}

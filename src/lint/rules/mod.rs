//! The rule registry. One file per rule, named for the bad pattern it catches; [`RULES`] registers them all.
//! `chartgen rule NAME` prints a rule's doc comment, and a test fails on a duplicate or undocumented rule.

use super::finding::{Finding, Severity};
use super::object::Unit;

/// The Pod Security Standards profile a linting run enforces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Profile {
    Baseline,
    Restricted,
}

/// A rule's identity and documentation.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable kebab-case name, used in output, suppressions and config.
    pub name: &'static str,
    pub severity: Severity,
    /// The lowest Pod Security Standards profile that includes the rule; `None` when it is not a PSS control.
    pub profile: Option<Profile>,
    /// One line for `chartgen rules`.
    pub summary: &'static str,
    /// The rule's doc comment: What it does / Why is this bad? / Example / Use instead.
    pub doc: &'static str,
}

impl RuleMeta {
    /// The doc comment as written (one leading space per line removed).
    pub fn doc_text(&self) -> String {
        let mut out = String::new();
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }

    pub fn applies_to(&self, profile: Profile) -> bool {
        self.profile.is_none_or(|p| p <= profile)
    }
}

pub struct CheckContext {
    pub profile: Profile,
    /// The Kubernetes version to check API versions against (`--kube-version`); `None`: the chart's, else newest.
    pub kube_version: Option<KubeVersion>,
}

pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, unit: &Unit, ctx: &CheckContext, out: &mut Vec<Finding>);
}

/// Declares a rule struct whose doc comment is also its runtime documentation.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $ty:ident {
            name: $name:literal,
            severity: $severity:ident,
            profile: $profile:expr,
            summary: $summary:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $ty;

        impl $ty {
            pub const META: $crate::lint::rules::RuleMeta = $crate::lint::rules::RuleMeta {
                name: $name,
                severity: $crate::lint::finding::Severity::$severity,
                profile: $profile,
                summary: $summary,
                doc: concat!($($doc, "\n"),*),
            };
        }
    };
}

mod apparmor_unconfined;
mod capabilities_not_dropped;
mod chart_missing_values_schema;
mod cluster_admin_binding;
pub(crate) mod common;
mod cronjob_allows_concurrency;
mod cronjob_missing_deadline;
mod custom_selinux_options;
mod dangling_network_policy;
mod dangling_service_selector;
mod deprecated_api_version;
mod duplicate_env_var;
mod host_namespace;
mod host_path_volume;
mod host_port;
mod host_process;
mod hpa_target_missing_cpu_request;
mod hpa_unknown_target;
mod ingress_unknown_backend;
mod invalid_chart_spec;
mod job_missing_ttl;
mod missing_anti_affinity;
mod missing_cpu_limit;
mod missing_cpu_request;
mod missing_liveness_probe;
mod missing_memory_limit;
mod missing_memory_request;
mod missing_network_policy;
mod missing_pod_disruption_budget;
mod missing_readiness_probe;
mod missing_seccomp_profile;
mod mutable_image_tag;
mod pdb_blocks_eviction;
mod pdb_exceeds_hpa_min;
mod plaintext_secret;
mod privilege_escalation;
mod privileged_container;
mod probe_port_unknown;
mod rbac_pod_exec;
mod rbac_secret_access;
mod rbac_wildcard;
mod runs_as_root;
mod selector_mismatch;
mod service_account_token_automount;
mod service_target_port_unknown;
mod suppression_without_reason;
mod unmasked_proc_mount;
mod unsafe_sysctl;
mod volume_mount_unknown;
mod writable_root_filesystem;

pub use deprecated_api_version::{KubeVersion, chart_kube_version};
pub use suppression_without_reason::SuppressionWithoutReason;

/// Every rule, in the order `chartgen rules` lists them.
pub static RULES: &[&dyn Rule] = &[
    &plaintext_secret::PlaintextSecret,
    &missing_liveness_probe::MissingLivenessProbe,
    &missing_readiness_probe::MissingReadinessProbe,
    &probe_port_unknown::ProbePortUnknown,
    &volume_mount_unknown::VolumeMountUnknown,
    &missing_cpu_request::MissingCpuRequest,
    &missing_cpu_limit::MissingCpuLimit,
    &missing_memory_request::MissingMemoryRequest,
    &missing_memory_limit::MissingMemoryLimit,
    &runs_as_root::RunsAsRoot,
    &privilege_escalation::PrivilegeEscalation,
    &writable_root_filesystem::WritableRootFilesystem,
    &privileged_container::PrivilegedContainer,
    &capabilities_not_dropped::CapabilitiesNotDropped,
    &missing_seccomp_profile::MissingSeccompProfile,
    &host_namespace::HostNamespace,
    &host_path_volume::HostPathVolume,
    &unsafe_sysctl::UnsafeSysctl,
    &unmasked_proc_mount::UnmaskedProcMount,
    &apparmor_unconfined::ApparmorUnconfined,
    &custom_selinux_options::CustomSelinuxOptions,
    &host_process::HostProcess,
    &service_account_token_automount::ServiceAccountTokenAutomount,
    &mutable_image_tag::MutableImageTag,
    &dangling_service_selector::DanglingServiceSelector,
    &ingress_unknown_backend::IngressUnknownBackend,
    &duplicate_env_var::DuplicateEnvVar,
    &hpa_unknown_target::HpaUnknownTarget,
    &rbac_secret_access::RbacSecretAccess,
    &rbac_wildcard::RbacWildcard,
    &missing_network_policy::MissingNetworkPolicy,
    &dangling_network_policy::DanglingNetworkPolicy,
    &missing_pod_disruption_budget::MissingPodDisruptionBudget,
    &pdb_blocks_eviction::PdbBlocksEviction,
    &pdb_exceeds_hpa_min::PdbExceedsHpaMin,
    &missing_anti_affinity::MissingAntiAffinity,
    &selector_mismatch::SelectorMismatch,
    &service_target_port_unknown::ServiceTargetPortUnknown,
    &host_port::HostPort,
    &cluster_admin_binding::ClusterAdminBinding,
    &rbac_pod_exec::RbacPodExec,
    &cronjob_missing_deadline::CronjobMissingDeadline,
    &cronjob_allows_concurrency::CronjobAllowsConcurrency,
    &job_missing_ttl::JobMissingTtl,
    &hpa_target_missing_cpu_request::HpaTargetMissingCpuRequest,
    &deprecated_api_version::DeprecatedApiVersion,
    &chart_missing_values_schema::ChartMissingValuesSchema,
    &invalid_chart_spec::InvalidChartSpec,
    &suppression_without_reason::SuppressionWithoutReason,
];

pub fn find(name: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.meta().name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn rule_names_are_unique_kebab_case_and_documented() {
        let mut seen = BTreeSet::new();
        for rule in RULES {
            let meta = rule.meta();
            assert!(seen.insert(meta.name), "duplicate rule name {}", meta.name);
            assert!(
                meta.name
                    .split('-')
                    .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase())),
                "{} is not kebab-case",
                meta.name
            );
            let doc = meta.doc_text();
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "Use instead:",
            ] {
                assert!(
                    doc.contains(section),
                    "{} lacks `{section}` in its doc comment",
                    meta.name
                );
            }
            assert!(!meta.summary.is_empty(), "{} has no summary", meta.name);
        }
    }

    #[test]
    fn rule_list_snapshot() {
        let list: String = RULES
            .iter()
            .map(|r| {
                format!(
                    "{} ({}): {}\n",
                    r.meta().name,
                    r.meta().severity.as_str(),
                    r.meta().summary
                )
            })
            .collect();
        insta::with_settings!({snapshot_path => "../../../snapshots/lint", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!("rule_list", list);
        });
    }
}

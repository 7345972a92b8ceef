//! The spec after validation: every default resolved, every cross reference known to exist. Only
//! `validate::validate` builds these, so the renderer never sees an unchecked spec.

use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct CheckedSpec {
    pub name: String,
    pub description: String,
    pub version: String,
    pub app_version: String,
    pub kube_version: String,
    pub home: Option<String>,
    pub namespace: Option<CheckedNamespace>,
    pub config: BTreeMap<String, String>,
    pub components: Vec<CheckedComponent>,
    pub secret_groups: Vec<CheckedSecretGroup>,
    /// Every secret key of every group, sorted, each once.
    pub secret_keys: Vec<String>,
    pub ingress: Option<CheckedIngress>,
    pub database: Option<CheckedDatabase>,
    pub jobs: Vec<CheckedJob>,
    pub cron_jobs: Vec<CheckedCronJob>,
    /// Every hook event of every Job, sorted, each once (the hook ServiceAccount runs on all of them).
    pub hook_events: Vec<String>,
    pub values_files: Vec<CheckedValuesFile>,
    pub ai_ops: CheckedAiOps,
    pub image_pull_secrets: Vec<String>,
    pub run_as_user: i64,
    pub run_as_group: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckedNamespace {
    pub name: String,
    pub create: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckedComponent {
    pub name: String,
    /// The component's section in values.yaml (camelCase, so `.Values.aiAgent` works in templates).
    pub values_key: String,
    pub description: String,
    pub image_repository: String,
    pub image_tag: Option<String>,
    pub pull_policy: String,
    /// Where the image is built from, for images built locally (`image.build`, or `./<name>` for
    /// `pullPolicy: Never`); `None` for images pulled from a registry.
    pub build_context: Option<String>,
    /// The container port; `None` for a worker.
    pub port: Option<i64>,
    /// Whether the component has a Service (a port, and `service.enabled`).
    pub has_service: bool,
    /// The HTTP path `helm test` and the README check: the readiness probe's, else the liveness probe's. `None`
    /// when neither is an HTTP probe on the main port (a database, a gRPC server): those are checked by
    /// opening a TCP connection, since an HTTP request to them would fail however healthy they are.
    pub check_path: Option<String>,
    pub replicas: i64,
    pub probes: Vec<CheckedProbe>,
    pub resources: CheckedResources,
    pub config: BTreeMap<String, String>,
    pub config_map_name: Option<String>,
    pub secret_refs: Vec<SecretRef>,
    pub service_type: String,
    pub service_name: Option<String>,
    pub service_port: i64,
    pub node_port: Option<i64>,
    pub autoscaling: Option<CheckedAutoscaling>,
    /// The components it calls (never itself: see `peers`).
    pub connects_to: Vec<String>,
    pub connected_from: Vec<String>,
    /// Its pods reach each other on all their ports: a StatefulSet's members (replication, consensus), or a
    /// component that lists itself in `connectsTo` (a gossiping Deployment).
    pub peers: bool,
    pub ingress_paths: Vec<String>,
    /// The names of the ports the Ingress sends traffic to.
    pub ingress_ports: Vec<String>,
    pub database: bool,
    pub external_egress_ports: Vec<i64>,
    pub labels: BTreeMap<String, String>,
    pub command: Vec<String>,
    pub args: Vec<String>,
    pub termination_grace_period_seconds: i64,
    /// A Deployment's `RollingUpdate` or `Recreate`.
    pub strategy: String,
    /// `Deployment` or `StatefulSet`.
    pub kind: String,
    pub volumes: Vec<CheckedVolume>,
    /// Extra named ports (besides `http`), sorted by name.
    pub ports: Vec<CheckedPort>,
    pub env: Vec<CheckedEnv>,
    pub env_from: Vec<CheckedEnvFrom>,
    pub init_containers: Vec<CheckedContainer>,
    pub sidecars: Vec<CheckedContainer>,
    pub service_annotations: BTreeMap<String, String>,
    pub metrics: Option<CheckedMetrics>,
    /// Scheduling defaults, as Kubernetes JSON (empty: none).
    pub node_selector: BTreeMap<String, String>,
    pub tolerations: Vec<serde_json::Value>,
    pub affinity: serde_json::Map<String, serde_json::Value>,
    pub topology_spread_constraints: Vec<serde_json::Value>,
    pub priority_class_name: String,
    pub pod_annotations: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckedMetrics {
    /// The name of the container port that serves them.
    pub port: String,
    pub path: String,
    pub interval: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckedPort {
    pub name: String,
    pub port: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckedEnv {
    pub name: String,
    /// `fieldRef`, `resourceFieldRef`, `secretKeyRef` or `configMapKeyRef`.
    pub source: String,
    pub field_path: String,
    pub resource: String,
    pub divisor: String,
    pub ref_name: String,
    pub key: String,
    pub optional: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckedEnvFrom {
    /// `secretRef` or `configMapRef`.
    pub source: String,
    pub name: String,
    pub prefix: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckedContainer {
    pub name: String,
    /// Its section under `<component>.extraContainers` in values.yaml.
    pub values_key: String,
    pub image_repository: String,
    pub image_tag: Option<String>,
    pub pull_policy: String,
    pub command: Vec<String>,
    pub args: Vec<String>,
    pub resources: CheckedResources,
    pub volume_mounts: Vec<String>,
    pub inherit_env: bool,
    pub probes: Vec<CheckedProbe>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckedVolume {
    pub name: String,
    /// Its key under `<component>.persistence` in values.yaml (persistent volumes only).
    pub values_key: String,
    pub mount_path: String,
    pub read_only: bool,
    /// `persistent`, `configMap`, `secret`, `emptyDir` or `sharedFrom`.
    pub source: String,
    /// For `sharedFrom`: the component whose claim this is, and its values key.
    pub shared_from: String,
    pub shared_from_key: String,
    pub size: String,
    pub access_modes: Vec<String>,
    pub storage_class: String,
    pub existing_claim: String,
    /// The ConfigMap or Secret name.
    pub ref_name: String,
    pub keys: Vec<String>,
    pub size_limit: String,
    pub medium: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckedCronJob {
    pub name: String,
    pub values_key: String,
    pub component: String,
    pub command: Vec<String>,
    pub args: Vec<String>,
    /// The Job's own env vars, by name.
    pub env: BTreeMap<String, String>,
    pub schedule: String,
    pub time_zone: String,
    pub concurrency_policy: String,
    pub starting_deadline_seconds: i64,
    pub backoff_limit: i64,
    pub ttl_seconds_after_finished: i64,
    pub active_deadline_seconds: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckedProbe {
    /// `liveness`, `readiness` or `startup`.
    pub kind: String,
    /// `httpGet`, `tcpSocket`, `exec` or `grpc`.
    pub handler: String,
    /// The HTTP path (httpGet only, else empty).
    pub path: String,
    /// The port the spec names (a name or a number); `None` means the `http` port (httpGet, tcpSocket).
    pub port: Option<serde_json::Value>,
    /// The exec command (exec only).
    pub command: Vec<String>,
    /// The gRPC service name (grpc only; empty for the server's overall health).
    pub grpc_service: String,
    pub initial_delay_seconds: i64,
    pub period_seconds: i64,
    pub timeout_seconds: i64,
    pub failure_threshold: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckedResources {
    pub requests_cpu: String,
    pub requests_memory: String,
    pub limits_cpu: String,
    pub limits_memory: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SecretRef {
    pub group: String,
    pub key: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckedAutoscaling {
    pub enabled: bool,
    pub min_replicas: i64,
    pub max_replicas: i64,
    pub target_cpu: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckedSecretGroup {
    pub name: String,
    pub fixed_name: Option<String>,
    pub keys: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckedIngress {
    /// Written as one `host` (values key `ingress.host`) rather than a list of `hosts` (`ingress.hosts`).
    pub single_host: bool,
    pub hosts: Vec<CheckedHost>,
    pub class_name: String,
    pub controller_namespace: String,
    pub annotations: BTreeMap<String, String>,
}

impl CheckedIngress {
    pub fn routes(&self) -> impl Iterator<Item = &CheckedRoute> {
        self.hosts.iter().flat_map(|h| &h.routes)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckedHost {
    pub host: String,
    pub routes: Vec<CheckedRoute>,
    /// The TLS Secret's name, when the host has TLS.
    pub tls_secret: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckedRoute {
    pub path: String,
    pub component: String,
    pub path_type: String,
    /// The name of the Service port it goes to.
    pub port: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckedDatabase {
    pub engine: String,
    pub port: i64,
    pub cidr: String,
    pub pool: Option<CheckedPool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckedPool {
    pub size: i64,
    pub retry_attempts: i64,
    pub retry_delay_seconds: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckedJob {
    pub name: String,
    pub values_key: String,
    pub component: String,
    pub command: Vec<String>,
    pub args: Vec<String>,
    /// The Job's own env vars, by name.
    pub env: BTreeMap<String, String>,
    pub hooks: Vec<String>,
    pub backoff_limit: i64,
    pub active_deadline_seconds: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckedValuesFile {
    pub name: String,
    pub description: String,
    pub values: serde_json::Value,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckedAiOps {
    pub enabled: bool,
    pub kagent: bool,
}

//! The chart spec as users write it: plain serde types, unknown keys rejected. schemars turns these types and
//! their doc comments into `schemas/chart-spec.schema.json`, which editors use for completion and which
//! `chartgen` itself uses to report every structural error at once. Semantic checks live in `validate.rs`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A chartgen chart spec: one application (any number of components) rendered into one Helm chart.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "chartgen ChartSpec")]
pub struct ChartSpec {
    /// `chartgen.dev/v1`; `chartgen.dev/v1alpha1` specs are still read (see ApiVersion).
    pub api_version: ApiVersion,
    /// Always `ChartSpec`.
    pub kind: SpecKind,
    /// The chart's identity: name, versions and description, as they appear in Chart.yaml.
    pub metadata: Metadata,
    /// A namespace the chart itself creates and deploys into. Leave it out to deploy into the Helm release
    /// namespace (`helm install -n NAME`).
    #[serde(default)]
    pub namespace: Option<NamespaceSpec>,
    /// Non-secret configuration shared by every component, rendered into one ConfigMap and read as env vars.
    /// Keys are environment variable names.
    #[serde(default)]
    pub config: BTreeMap<String, String>,
    /// The workloads of the application, by name (a DNS-1123 label of at most 40 characters such as `backend`:
    /// object names add the release and chart names to it). Each becomes a Deployment, a Service and, when asked
    /// for, an HPA and a PodDisruptionBudget. Its values.yaml key is the name in camelCase (`db-migrate` →
    /// `dbMigrate`).
    pub components: BTreeMap<String, Component>,
    /// Groups of secret keys, by name. Each group becomes one Secret (unless `secrets.existingSecret` is set at
    /// install time). A spec holds only key NAMES: values are supplied at install time.
    #[serde(default)]
    pub secret_groups: BTreeMap<String, SecretGroup>,
    /// Ingress routing (host and path to component).
    #[serde(default)]
    pub ingress: Option<IngressSpec>,
    /// The database outside the cluster (e.g. Neon PostgreSQL): components with `database: true` may reach it.
    #[serde(default)]
    pub database: Option<DatabaseSpec>,
    /// Helm hook Jobs (e.g. database migrations), by name.
    #[serde(default)]
    pub jobs: BTreeMap<String, HookJob>,
    /// Scheduled Jobs (CronJobs), by name: a component's image, config and secrets on a schedule.
    #[serde(default)]
    pub cron_jobs: BTreeMap<String, CronJobSpec>,
    /// Extra values files shipped next to values.yaml, by name: `staging` becomes `values-staging.yaml`.
    /// Their content is Helm values and is checked against the chart's values.schema.json.
    #[serde(default)]
    pub values_files: BTreeMap<String, ValuesFile>,
    /// Least-privilege access for AI operations tools (kubectl-ai, kagent). Off unless the spec has `aiOps:`, since
    /// its Role may patch Deployments.
    #[serde(default)]
    pub ai_ops: Option<AiOps>,
    /// Names of existing docker-registry Secrets for private registries: the default of
    /// `global.imagePullSecrets`, used by every pod.
    #[serde(default)]
    pub image_pull_secrets: Vec<String>,
    /// Pod security identity shared by every workload.
    #[serde(default)]
    pub security: Option<Security>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum ApiVersion {
    // Plain comments, not doc comments: documented variants would make the schema a `oneOf`, whose errors cannot
    // list the allowed values.
    // The current format.
    #[serde(rename = "chartgen.dev/v1")]
    V1,
    // The first format: the same fields, but a spec without `aiOps:` gets the AI-ops Role (v1 renders it only
    // when asked).
    #[serde(rename = "chartgen.dev/v1alpha1")]
    V1Alpha1,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum SpecKind {
    ChartSpec,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Metadata {
    /// The chart name: a DNS-1123 label, at most 53 characters (Helm's release-name limit).
    pub name: String,
    /// One sentence for Chart.yaml and the README.
    pub description: String,
    /// The chart version, semver (e.g. `0.1.0`).
    #[serde(default = "default_chart_version")]
    pub version: String,
    /// The application version. Image tags default to it, so it is never `latest`.
    pub app_version: String,
    /// The Kubernetes versions the chart supports, as a semver range.
    #[serde(default = "default_kube_version")]
    pub kube_version: String,
    /// The project's home page, for Chart.yaml.
    #[serde(default)]
    pub home: Option<String>,
}

fn default_chart_version() -> String {
    "0.1.0".into()
}

fn default_kube_version() -> String {
    ">=1.25.0-0".into()
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NamespaceSpec {
    /// The namespace name (DNS-1123 label).
    pub name: String,
    /// Render a Namespace manifest. Turn it off when the namespace is made elsewhere.
    #[serde(default = "yes")]
    pub create: bool,
}

fn yes() -> bool {
    true
}

/// One workload: a Deployment with its Service.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Component {
    /// What the component does, for the README and values docs.
    #[serde(default)]
    pub description: Option<String>,
    /// `Deployment` (default) or `StatefulSet` (stable pod names, a headless Service, and one volume per pod for
    /// each `persistent` volume).
    #[serde(default)]
    pub kind: WorkloadKind,
    /// The container image.
    pub image: Image,
    /// The container port the application listens on (1-65535), named `http`. Leave it out for a worker
    /// (a queue consumer such as Celery): it then has no Service, no HTTP probes, no `helm test` check, and
    /// nothing may connect to it.
    #[serde(default)]
    #[schemars(range(min = 1, max = 65535))]
    pub port: Option<i64>,
    /// Pod replicas when autoscaling is off.
    #[serde(default = "one")]
    #[schemars(range(min = 0))]
    pub replicas: i64,
    /// Health probes. Liveness and readiness are expected for every long-running component.
    #[serde(default)]
    pub probes: Probes,
    /// CPU and memory requests and limits, as Kubernetes quantities (`200m`, `256Mi`).
    pub resources: Resources,
    /// Non-secret env vars for this component only, in its own ConfigMap.
    #[serde(default)]
    pub config: BTreeMap<String, String>,
    /// A fixed name for this component's ConfigMap (default `<release>-<chart>-<component>`).
    #[serde(default)]
    pub config_map_name: Option<String>,
    /// Secret groups whose keys this component reads as env vars.
    #[serde(default)]
    pub secret_groups: Vec<String>,
    /// How the component is exposed inside (and, for NodePort or LoadBalancer, outside) the cluster.
    #[serde(default)]
    pub service: ServiceSpec,
    /// A HorizontalPodAutoscaler; when enabled the Deployment has no `replicas`.
    #[serde(default)]
    pub autoscaling: Option<Autoscaling>,
    /// Components this one calls. Each flow is allowed by the NetworkPolicies; every other flow is denied.
    #[serde(default)]
    pub connects_to: Vec<String>,
    /// Whether the component connects to the external database (allows egress to it).
    #[serde(default)]
    pub database: bool,
    /// TCP ports this component may reach outside the cluster (e.g. 443 for an LLM API).
    #[serde(default)]
    #[schemars(inner(range(min = 1, max = 65535)))]
    pub external_egress_ports: Vec<i64>,
    /// Extra pod labels (e.g. `version: v1`).
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Override the image's entrypoint.
    #[serde(default)]
    pub command: Vec<String>,
    /// Override the image's arguments.
    #[serde(default)]
    pub args: Vec<String>,
    /// More named container ports besides `port` (which is `http`), e.g. `{metrics: 9090}`. Each is also a port of
    /// the Service when there is one (a worker has none). Names are IANA service names: at most 15 lower-case letters, digits and `-`.
    #[serde(default)]
    #[schemars(schema_with = "named_ports_schema")]
    pub ports: BTreeMap<String, i64>,
    /// Env vars from the pod itself or from objects that exist outside the chart, by name: each has exactly one of
    /// `fieldRef`, `resourceFieldRef`, `secretKeyRef` or `configMapKeyRef`.
    #[serde(default)]
    pub env: BTreeMap<String, EnvVarSource>,
    /// Every key of existing ConfigMaps or Secrets as env vars (`[{secretRef: stripe}, {configMapRef: flags}]`).
    #[serde(default)]
    pub env_from: Vec<EnvFromSource>,
    /// Containers that run to completion, in order, before the main container starts (e.g. waiting for a
    /// dependency), by name. Hardened like the main container, with their own resources.
    #[serde(default)]
    pub init_containers: BTreeMap<String, ExtraContainer>,
    /// Containers that run beside the main container for the pod's life (e.g. a log shipper), by name.
    #[serde(default)]
    pub sidecars: BTreeMap<String, ExtraContainer>,
    /// Volumes mounted into the main container, by name (a DNS-1123 label). Each has a `mountPath` and exactly one
    /// source: `persistent`, `configMap`, `secret` or `emptyDir`.
    #[serde(default)]
    pub volumes: BTreeMap<String, Volume>,
    /// How a Deployment replaces its pods: `RollingUpdate` (a new pod is Ready before an old one stops: no
    /// downtime) or `Recreate` (the old pods stop first: for a singleton that must never run twice, such as a
    /// scheduler, or pods whose volume only one node can mount). Default: `Recreate` when a `persistent` volume is
    /// `ReadWriteOnce` or `ReadWriteOncePod` (the new pod could not mount it while the old one holds it), else
    /// `RollingUpdate`. A StatefulSet always replaces one pod at a time.
    #[serde(default)]
    pub strategy: Option<DeploymentStrategy>,
    /// Seconds Kubernetes waits after SIGTERM before killing the pod (at least 10).
    #[serde(default = "default_grace")]
    #[schemars(range(min = 10))]
    pub termination_grace_period_seconds: i64,
    /// Prometheus metrics served on one of `ports`: the chart renders a ServiceMonitor (when the cluster has the
    /// Prometheus Operator) and lets the monitoring namespace scrape that port.
    #[serde(default)]
    pub metrics: Option<Metrics>,
    /// Node labels the pods must run on, e.g. `{cloud.google.com/gke-nodepool: gpu-pool}`. This and the
    /// scheduling fields below are the defaults of the chart values of the same name, so an operator can still
    /// change them at install time.
    #[serde(default)]
    pub node_selector: BTreeMap<String, String>,
    /// Node taints the pods tolerate, e.g. `[{key: gpu, operator: Exists, effect: NoSchedule}]`.
    #[serde(default)]
    pub tolerations: Vec<Toleration>,
    /// Node affinity and pod (anti-)affinity, as the Kubernetes `affinity` object.
    #[serde(default)]
    pub affinity: Option<Affinity>,
    /// How the pods spread over nodes or zones. A constraint without `labelSelector` counts this component's own
    /// pods. Default: a soft spread over nodes when more than one replica can run.
    #[serde(default)]
    pub topology_spread_constraints: Vec<TopologySpreadConstraint>,
    /// The PriorityClass of the pods (it must exist in the cluster).
    #[serde(default)]
    pub priority_class_name: Option<String>,
    /// Extra pod annotations (e.g. `sidecar.istio.io/inject: "false"`).
    #[serde(default)]
    pub pod_annotations: BTreeMap<String, String>,
}

/// A Kubernetes toleration.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Toleration {
    /// The taint key; empty with `operator: Exists` tolerates every taint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// `Equal` (default: the taint's value must be `value`) or `Exists` (any value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<TolerationOperator>,
    /// The taint value, with `operator: Equal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The taint effect to tolerate (default: all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect: Option<TaintEffect>,
    /// With `effect: NoExecute`, how long the pod stays bound after the taint appears.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub toleration_seconds: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum TolerationOperator {
    Equal,
    Exists,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum TaintEffect {
    NoSchedule,
    PreferNoSchedule,
    NoExecute,
}

/// The Kubernetes `affinity` of a pod; each part is passed to Kubernetes as written.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Affinity {
    /// Kubernetes `nodeAffinity` (e.g. `requiredDuringSchedulingIgnoredDuringExecution`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_affinity: Option<serde_json::Map<String, serde_json::Value>>,
    /// Kubernetes `podAffinity`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_affinity: Option<serde_json::Map<String, serde_json::Value>>,
    /// Kubernetes `podAntiAffinity`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_anti_affinity: Option<serde_json::Map<String, serde_json::Value>>,
}

/// A Kubernetes topology spread constraint.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TopologySpreadConstraint {
    /// The most the pod counts of two domains may differ.
    #[schemars(range(min = 1))]
    pub max_skew: i64,
    /// The node label that defines a domain, e.g. `topology.kubernetes.io/zone` or `kubernetes.io/hostname`.
    pub topology_key: String,
    /// `DoNotSchedule` (a hard rule: pods stay Pending) or `ScheduleAnyway` (a preference).
    pub when_unsatisfiable: WhenUnsatisfiable,
    /// Which pods count (Kubernetes `labelSelector`); default: this component's pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<serde_json::Map<String, serde_json::Value>>,
    /// The fewest eligible domains (with `DoNotSchedule`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub min_domains: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum WhenUnsatisfiable {
    DoNotSchedule,
    ScheduleAnyway,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Metrics {
    /// The name of the port in `ports` that serves the metrics (default `metrics`).
    #[serde(default = "default_metrics_port")]
    pub port: String,
    /// The HTTP path of the metrics.
    #[serde(default = "default_metrics_path")]
    pub path: String,
    /// How often Prometheus scrapes, a duration such as `30s`.
    #[serde(default = "default_metrics_interval")]
    pub interval: String,
}

fn default_metrics_port() -> String {
    "metrics".into()
}

fn default_metrics_path() -> String {
    "/metrics".into()
}

fn default_metrics_interval() -> String {
    "30s".into()
}

/// Where one env var's value comes from.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EnvVarSource {
    /// A field of the pod: `metadata.name`, `metadata.namespace`, `spec.nodeName`, `status.podIP`, ….
    #[serde(default)]
    pub field_ref: Option<String>,
    /// A resource of the container: `limits.memory`, `requests.cpu`, ….
    #[serde(default)]
    pub resource_field_ref: Option<ResourceFieldRef>,
    /// A key of a Secret that exists outside the chart.
    #[serde(default)]
    pub secret_key_ref: Option<KeyRef>,
    /// A key of a ConfigMap that exists outside the chart.
    #[serde(default)]
    pub config_map_key_ref: Option<KeyRef>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ResourceFieldRef {
    /// `limits.cpu`, `limits.memory`, `requests.cpu`, `requests.memory` or `limits.ephemeral-storage`, ….
    pub resource: String,
    /// The unit the value is expressed in, e.g. `1Mi` or `1m` (default 1).
    #[serde(default)]
    pub divisor: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct KeyRef {
    /// The Secret or ConfigMap name.
    pub name: String,
    /// The key inside it.
    pub key: String,
    /// Start the pod even when the object or key is missing.
    #[serde(default)]
    pub optional: bool,
}

/// Every key of an existing object as env vars: exactly one of `secretRef` or `configMapRef`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EnvFromSource {
    /// The name of an existing Secret.
    #[serde(default)]
    pub secret_ref: Option<String>,
    /// The name of an existing ConfigMap.
    #[serde(default)]
    pub config_map_ref: Option<String>,
    /// A prefix for every variable name.
    #[serde(default)]
    pub prefix: Option<String>,
}

/// An init container or sidecar.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExtraContainer {
    /// Its image (the tag defaults to the chart's appVersion).
    pub image: Image,
    /// Override the image's entrypoint.
    #[serde(default)]
    pub command: Vec<String>,
    /// Override the image's arguments.
    #[serde(default)]
    pub args: Vec<String>,
    /// Its own CPU and memory requests and limits.
    pub resources: Resources,
    /// Names of the component's `volumes` to mount here too, at the same paths.
    #[serde(default)]
    pub volume_mounts: Vec<String>,
    /// Read the component's config, secrets and `env` as well (default true).
    #[serde(default = "yes")]
    pub inherit_env: bool,
    /// Health probes (sidecars only; init containers run to completion).
    #[serde(default)]
    pub probes: Probes,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum WorkloadKind {
    #[default]
    Deployment,
    StatefulSet,
}

impl WorkloadKind {
    pub fn as_str(self) -> &'static str {
        match self {
            WorkloadKind::Deployment => "Deployment",
            WorkloadKind::StatefulSet => "StatefulSet",
        }
    }
}

/// A volume in the pod, mounted into the main container.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Volume {
    /// Where it is mounted, an absolute path.
    pub mount_path: String,
    /// Mount it read-only (default: `configMap` and `secret` volumes are read-only, others writable).
    #[serde(default)]
    pub read_only: Option<bool>,
    /// A PersistentVolumeClaim: rendered by the chart (kept on uninstall), or `existingClaim`. For a StatefulSet, one
    /// claim per pod (volumeClaimTemplates).
    #[serde(default)]
    pub persistent: Option<PersistentVolume>,
    /// Files from a ConfigMap that exists in the namespace (made outside the chart).
    #[serde(default)]
    pub config_map: Option<FilesFrom>,
    /// Files from a Secret that exists in the namespace (made outside the chart).
    #[serde(default)]
    pub secret: Option<FilesFrom>,
    /// Scratch space that lives as long as the pod.
    #[serde(default)]
    pub empty_dir: Option<EmptyDirVolume>,
    /// The claim of the `persistent` volume of the same name in this other component (a Deployment), mounted
    /// here too: uploads a web app writes and a worker reads. That volume needs `accessModes:
    /// [ReadWriteMany]` (or `ReadOnlyMany`, when this mount is read-only), so pods on different nodes can mount
    /// it at once.
    #[serde(default)]
    pub shared_from: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PersistentVolume {
    /// The requested size, a Kubernetes quantity such as `10Gi`.
    pub size: String,
    /// Access modes (default `[ReadWriteOnce]`). A Deployment with more than one replica needs `ReadWriteMany`.
    #[serde(default)]
    pub access_modes: Vec<AccessMode>,
    /// The StorageClass (default: the cluster's default class).
    #[serde(default)]
    pub storage_class: Option<String>,
    /// Use this existing claim instead of rendering one (not for StatefulSets).
    #[serde(default)]
    pub existing_claim: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum DeploymentStrategy {
    RollingUpdate,
    Recreate,
}

impl DeploymentStrategy {
    pub fn as_str(self) -> &'static str {
        match self {
            DeploymentStrategy::RollingUpdate => "RollingUpdate",
            DeploymentStrategy::Recreate => "Recreate",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum AccessMode {
    ReadWriteOnce,
    ReadOnlyMany,
    ReadWriteMany,
    ReadWriteOncePod,
}

impl AccessMode {
    pub fn as_str(self) -> &'static str {
        match self {
            AccessMode::ReadWriteOnce => "ReadWriteOnce",
            AccessMode::ReadOnlyMany => "ReadOnlyMany",
            AccessMode::ReadWriteMany => "ReadWriteMany",
            AccessMode::ReadWriteOncePod => "ReadWriteOncePod",
        }
    }
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct FilesFrom {
    /// The name of the ConfigMap or Secret.
    pub name: String,
    /// Only these keys, each as a file of the same name (default: every key).
    #[serde(default)]
    pub keys: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EmptyDirVolume {
    /// The most it may hold, a quantity (default `1Gi`).
    #[serde(default)]
    pub size_limit: Option<String>,
    /// `Memory` for a tmpfs (counts against the memory limit).
    #[serde(default)]
    pub medium: Option<String>,
}

fn one() -> i64 {
    1
}

fn default_grace() -> i64 {
    30
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Image {
    /// Image repository, e.g. `todo-backend` or `ghcr.io/acme/todo-backend`.
    pub repository: String,
    /// Image tag. Defaults to the chart's appVersion; `latest` is refused.
    #[serde(default)]
    pub tag: Option<String>,
    /// `IfNotPresent` (default), `Always`, or `Never` for images built inside Minikube's docker.
    #[serde(default)]
    pub pull_policy: Option<PullPolicy>,
    /// The folder an image you build yourself is built from (e.g. `./backend`). The chart README then shows
    /// `docker build` into Minikube's docker; without it (and without `pullPolicy: Never`) the image is pulled
    /// from its registry.
    #[serde(default)]
    pub build: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum PullPolicy {
    IfNotPresent,
    Always,
    Never,
}

impl PullPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            PullPolicy::IfNotPresent => "IfNotPresent",
            PullPolicy::Always => "Always",
            PullPolicy::Never => "Never",
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Probes {
    /// Restarts the container when it fails.
    #[serde(default)]
    pub liveness: Option<Probe>,
    /// Takes the pod out of its Service while it fails.
    #[serde(default)]
    pub readiness: Option<Probe>,
    /// Holds the other probes off until the application has started.
    #[serde(default)]
    pub startup: Option<Probe>,
}

/// A health probe: exactly one handler, `path` (HTTP GET), `tcpSocket`, `exec` or `grpc`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Probe {
    /// HTTP GET: the path, starting with `/`.
    #[serde(default)]
    pub path: Option<String>,
    /// The port of an HTTP GET probe: a port name or number (default the `http` port).
    #[serde(default)]
    pub port: Option<PortRef>,
    /// A TCP connect to a port.
    #[serde(default)]
    pub tcp_socket: Option<TcpSocketProbe>,
    /// A command run in the container; exit 0 is healthy. The way to probe a worker.
    #[serde(default)]
    pub exec: Option<ExecProbe>,
    /// A gRPC health check (grpc.health.v1) on a port number.
    #[serde(default)]
    pub grpc: Option<GrpcProbe>,
    /// Seconds before the first probe.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub initial_delay_seconds: Option<i64>,
    /// Seconds between probes.
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub period_seconds: Option<i64>,
    /// Seconds before a probe times out.
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub timeout_seconds: Option<i64>,
    /// Consecutive failures before the probe counts as failed.
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub failure_threshold: Option<i64>,
}

/// A port by name (`http`, `metrics`) or number.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema, serde::Serialize)]
#[serde(untagged)]
pub enum PortRef {
    Number(i64),
    Name(String),
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TcpSocketProbe {
    /// A port name or number (default the `http` port).
    #[serde(default)]
    pub port: Option<PortRef>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExecProbe {
    /// The command and its arguments, e.g. `[celery, -A, app, inspect, ping]`. No shell unless you call one.
    pub command: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GrpcProbe {
    /// The gRPC port number (Kubernetes takes no name here).
    #[schemars(range(min = 1, max = 65535))]
    pub port: i64,
    /// The service name sent in the health check request (empty: the server's overall health).
    #[serde(default)]
    pub service: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Resources {
    /// What the scheduler reserves for the container.
    pub requests: ResourceAmounts,
    /// The most the container may use.
    pub limits: ResourceAmounts,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ResourceAmounts {
    /// CPU as a Kubernetes quantity: `100m`, `0.5`, `1`.
    pub cpu: String,
    /// Memory as a Kubernetes quantity: `128Mi`, `1Gi`.
    pub memory: String,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ServiceSpec {
    /// Render the Service (default true for a component with a `port`). `false` keeps the port on the pod only.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// `ClusterIP` (default), `NodePort` or `LoadBalancer`.
    #[serde(default, rename = "type")]
    pub kind: Option<ServiceType>,
    /// A fixed Service name, when other systems expect one (default `<release>-<chart>-<component>`).
    #[serde(default)]
    pub name: Option<String>,
    /// The Service port (default: the container port).
    #[serde(default)]
    #[schemars(range(min = 1, max = 65535))]
    pub port: Option<i64>,
    /// A fixed node port (30000-32767) for NodePort and LoadBalancer Services.
    #[serde(default)]
    #[schemars(range(min = 30000, max = 32767))]
    pub node_port: Option<i64>,
    /// Annotations of the Service (e.g. for a cloud load balancer).
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum ServiceType {
    ClusterIP,
    NodePort,
    LoadBalancer,
}

impl Default for ServiceSpec {
    fn default() -> Self {
        ServiceSpec {
            enabled: true,
            kind: None,
            name: None,
            annotations: BTreeMap::new(),
            port: None,
            node_port: None,
        }
    }
}

impl ServiceType {
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceType::ClusterIP => "ClusterIP",
            ServiceType::NodePort => "NodePort",
            ServiceType::LoadBalancer => "LoadBalancer",
        }
    }
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Autoscaling {
    /// Render the HPA by default (it can still be switched at install time).
    #[serde(default = "yes")]
    pub enabled: bool,
    /// The fewest replicas.
    #[serde(default = "one")]
    #[schemars(range(min = 1))]
    pub min_replicas: i64,
    /// The most replicas.
    #[schemars(range(min = 1))]
    pub max_replicas: i64,
    /// Average CPU utilisation (percent of requests) the HPA aims for.
    #[serde(default = "default_cpu_target")]
    #[schemars(range(min = 1, max = 100))]
    pub target_cpu_utilization_percentage: i64,
}

fn default_cpu_target() -> i64 {
    80
}

/// A set of secret keys rendered into one Secret.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SecretGroup {
    /// A fixed Secret name (default `<release>-<chart>-<group>`).
    #[serde(default)]
    pub name: Option<String>,
    /// The key names (environment variable names). Never values: those are supplied at install time.
    pub keys: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IngressSpec {
    /// The host name, e.g. `todo.local`, for a one-host Ingress (with `routes` and `tls` beside it). For several
    /// hosts, use `hosts` instead.
    #[serde(default)]
    pub host: Option<String>,
    /// The IngressClass (Minikube's ingress addon is `nginx`).
    #[serde(default = "default_ingress_class")]
    pub class_name: String,
    /// Path routes of `host`. Kubernetes matches the longest prefix, so the order does not matter.
    #[serde(default)]
    pub routes: Vec<Route>,
    /// TLS for `host`.
    #[serde(default)]
    pub tls: Option<IngressTls>,
    /// Several hosts, each with its own routes and TLS (instead of `host`, `routes` and `tls`).
    #[serde(default)]
    pub hosts: Vec<IngressHost>,
    /// Annotations of the Ingress, e.g. `cert-manager.io/cluster-issuer: letsencrypt` to have cert-manager issue
    /// the TLS certificates.
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    /// The namespace of the ingress controller, allowed through the NetworkPolicies.
    #[serde(default = "default_ingress_namespace")]
    pub controller_namespace: String,
}

/// One host of an Ingress.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IngressHost {
    /// The host name, e.g. `api.example.com`.
    pub host: String,
    /// Its path routes.
    pub routes: Vec<Route>,
    /// TLS for this host.
    #[serde(default)]
    pub tls: Option<IngressTls>,
}

/// TLS of one host: the Secret holding its certificate (`kubernetes.io/tls`), made outside the chart or by
/// cert-manager (see `annotations`).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IngressTls {
    /// The Secret name (default `<host with dots as dashes>-tls`).
    #[serde(default)]
    pub secret_name: Option<String>,
}

pub(crate) fn default_ingress_class() -> String {
    "nginx".into()
}

fn default_ingress_namespace() -> String {
    "ingress-nginx".into()
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Route {
    /// The URL path; starts with `/`.
    pub path: String,
    /// The component that serves it.
    pub component: String,
    /// How the path matches: `Prefix` (default), `Exact` or `ImplementationSpecific`.
    #[serde(default)]
    pub path_type: PathType,
    /// The component's port that serves it, by name: `http` (default: the component's `port`) or one of its
    /// `ports` (e.g. a gRPC port).
    #[serde(default)]
    pub port: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
pub enum PathType {
    #[default]
    Prefix,
    Exact,
    ImplementationSpecific,
}

impl PathType {
    pub fn as_str(self) -> &'static str {
        match self {
            PathType::Prefix => "Prefix",
            PathType::Exact => "Exact",
            PathType::ImplementationSpecific => "ImplementationSpecific",
        }
    }
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DatabaseSpec {
    /// What the database is, for docs (e.g. `Neon serverless PostgreSQL`).
    #[serde(default = "default_db_engine")]
    pub engine: String,
    /// The database TCP port.
    #[serde(default = "default_db_port")]
    #[schemars(range(min = 1, max = 65535))]
    pub port: i64,
    /// The CIDR the database lives in (default: anywhere, since managed databases change addresses).
    #[serde(default = "default_db_cidr")]
    pub cidr: String,
    /// Connection pool settings exposed as env vars to components with `database: true`.
    #[serde(default)]
    pub pool: Option<DatabasePool>,
}

fn default_db_engine() -> String {
    "PostgreSQL".into()
}

fn default_db_port() -> i64 {
    5432
}

fn default_db_cidr() -> String {
    "0.0.0.0/0".into()
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DatabasePool {
    /// Connections per pod (DB_POOL_SIZE).
    #[serde(default = "default_pool_size")]
    #[schemars(range(min = 1))]
    pub size: i64,
    /// Connection attempts before giving up (DB_RETRY_ATTEMPTS).
    #[serde(default = "default_retry_attempts")]
    pub retry_attempts: i64,
    /// Seconds between attempts (DB_RETRY_DELAY_SECONDS).
    #[serde(default = "default_retry_delay")]
    pub retry_delay_seconds: i64,
}

fn default_pool_size() -> i64 {
    5
}

fn default_retry_attempts() -> i64 {
    5
}

fn default_retry_delay() -> i64 {
    2
}

/// A Helm hook Job, such as a database migration.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct HookJob {
    /// The component whose image, config and secrets the Job uses.
    pub component: String,
    /// The command to run, e.g. `[alembic, upgrade, head]`. It must be idempotent: hooks run on every upgrade.
    /// Without it the image's own entrypoint runs, with `args`.
    #[serde(default)]
    pub command: Vec<String>,
    /// Arguments to the command (or, without `command`, to the image's own entrypoint), e.g. `[--format=pdf]`.
    #[serde(default)]
    pub args: Vec<String>,
    /// Env vars of this Job only, on top of its component's config and secrets, e.g. `{REPORT_FORMAT: pdf}`:
    /// plain values, never secrets (a secret goes in one of the component's secret groups).
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Helm hooks: `pre-install`, `pre-upgrade`, `post-install`, `post-upgrade`, `pre-rollback`, ...
    pub hooks: Vec<HookEvent>,
    /// Attempts before the Job fails.
    #[serde(default = "default_backoff")]
    #[schemars(range(min = 0))]
    pub backoff_limit: i64,
    /// Seconds the Job may run.
    #[serde(default = "default_deadline")]
    #[schemars(range(min = 1))]
    pub active_deadline_seconds: i64,
}

pub(crate) fn default_backoff() -> i64 {
    3
}

pub(crate) fn default_deadline() -> i64 {
    300
}

/// A CronJob, such as a nightly cleanup.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CronJobSpec {
    /// The component whose image, config, secrets, resources and egress the Job uses.
    pub component: String,
    /// The command to run, e.g. `[python, manage.py, clearsessions]`. Without it the image's own entrypoint
    /// runs, with `args`.
    #[serde(default)]
    pub command: Vec<String>,
    /// Arguments to the command (or, without `command`, to the image's own entrypoint), e.g. `[--format=pdf]`.
    #[serde(default)]
    pub args: Vec<String>,
    /// Env vars of this Job only, on top of its component's config and secrets, e.g. `{REPORT_FORMAT: pdf}`:
    /// plain values, never secrets (a secret goes in one of the component's secret groups).
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// The cron schedule, five fields (`0 3 * * *` is 03:00 every day), or `@daily`, `@hourly`, ….
    pub schedule: String,
    /// The IANA time zone of the schedule, e.g. `Europe/Berlin` (default: the controller's, usually UTC).
    #[serde(default)]
    pub time_zone: Option<String>,
    /// What happens when a run is due while the last one still runs: `Forbid` (default: skip it), `Allow`, or
    /// `Replace`.
    #[serde(default)]
    pub concurrency_policy: ConcurrencyPolicy,
    /// Seconds after its scheduled time a missed run may still start (default 300).
    #[serde(default = "default_starting_deadline")]
    #[schemars(range(min = 0))]
    pub starting_deadline_seconds: i64,
    /// Attempts before a run fails (default 1).
    #[serde(default = "default_cron_backoff")]
    #[schemars(range(min = 0))]
    pub backoff_limit: i64,
    /// Seconds a finished Job and its pod are kept for `kubectl logs` (default 86400).
    #[serde(default = "default_ttl")]
    #[schemars(range(min = 0))]
    pub ttl_seconds_after_finished: i64,
    /// Seconds one run may take (default 3600).
    #[serde(default = "default_cron_deadline")]
    #[schemars(range(min = 1))]
    pub active_deadline_seconds: i64,
}

pub(crate) fn default_starting_deadline() -> i64 {
    300
}

pub(crate) fn default_cron_backoff() -> i64 {
    1
}

pub(crate) fn default_ttl() -> i64 {
    86400
}

pub(crate) fn default_cron_deadline() -> i64 {
    3600
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum ConcurrencyPolicy {
    #[default]
    Forbid,
    Allow,
    Replace,
}

impl ConcurrencyPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            ConcurrencyPolicy::Forbid => "Forbid",
            ConcurrencyPolicy::Allow => "Allow",
            ConcurrencyPolicy::Replace => "Replace",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum HookEvent {
    PreInstall,
    PostInstall,
    PreUpgrade,
    PostUpgrade,
    PreRollback,
    PostRollback,
    PreDelete,
    PostDelete,
}

impl HookEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            HookEvent::PreInstall => "pre-install",
            HookEvent::PostInstall => "post-install",
            HookEvent::PreUpgrade => "pre-upgrade",
            HookEvent::PostUpgrade => "post-upgrade",
            HookEvent::PreRollback => "pre-rollback",
            HookEvent::PostRollback => "post-rollback",
            HookEvent::PreDelete => "pre-delete",
            HookEvent::PostDelete => "post-delete",
        }
    }
}

/// An extra values file.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ValuesFile {
    /// What the file is for; becomes its header comment.
    pub description: String,
    /// Helm values, exactly as in values.yaml (e.g. `{backend: {replicaCount: 2}}`).
    pub values: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AiOps {
    /// Render the ServiceAccount, Role and RoleBinding for kubectl-ai and kagent (default true once `aiOps:` is
    /// written).
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Also render a kagent `Agent` (only installed where the kagent CRD exists).
    #[serde(default)]
    pub kagent: bool,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Security {
    /// The UID every container runs as (non-zero).
    #[serde(default = "default_uid")]
    #[schemars(range(min = 1))]
    pub run_as_user: i64,
    /// The GID every container runs as, also fsGroup.
    #[serde(default = "default_uid")]
    #[schemars(range(min = 1))]
    pub run_as_group: i64,
}

fn default_uid() -> i64 {
    1000
}

/// The schema of a map of named ports: every value a port number, so an editor flags `{metrics: 99999}`.
fn named_ports_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "object",
        "additionalProperties": { "type": "integer", "minimum": 1, "maximum": 65535 },
        "default": {}
    })
}

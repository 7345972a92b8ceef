//! One documented tree of chart values, rendered three ways: values.yaml (with helm-docs `# --` comments),
//! values.schema.json, and the README's values table. Building all three from one tree keeps them in step.

use crate::spec::CheckedSpec;
use crate::spec::checked::{
    CheckedComponent, CheckedContainer, CheckedIngress, CheckedProbe, CheckedResources,
};
use crate::yaml::write::{write_comment, write_yaml_value, yaml_key};
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

/// A key in values.yaml.
pub struct ValueNode {
    pub key: String,
    pub doc: String,
    pub kind: Kind,
}

pub enum Kind {
    /// A value with its default and the JSON Schema it must satisfy.
    Leaf { default: Value, schema: Value },
    /// A nested section; unknown keys are rejected unless `open`.
    Group {
        children: Vec<ValueNode>,
        open: bool,
    },
}

fn leaf(key: &str, doc: impl Into<String>, default: Value, schema: Value) -> ValueNode {
    ValueNode {
        key: key.to_string(),
        doc: doc.into(),
        kind: Kind::Leaf { default, schema },
    }
}

/// A Job's command: required when the spec gives one; else empty, and the image's entrypoint runs.
fn command_leaf(doc: &str, command: &[String]) -> ValueNode {
    let mut schema = json!({"type": "array", "items": {"type": "string"}});
    if !command.is_empty() {
        schema["minItems"] = json!(1);
    }
    let doc = if command.is_empty() {
        format!("{doc} (empty: the image's entrypoint)")
    } else {
        doc.to_string()
    };
    leaf("command", doc, json!(command), schema)
}

fn args_leaf(args: &[String]) -> ValueNode {
    leaf(
        "args",
        "Arguments to the command",
        json!(args),
        json!({"type": "array", "items": {"type": "string"}}),
    )
}

fn group(key: &str, doc: impl Into<String>, children: Vec<ValueNode>) -> ValueNode {
    ValueNode {
        key: key.to_string(),
        doc: doc.into(),
        kind: Kind::Group {
            children,
            open: false,
        },
    }
}

fn string_map_schema() -> Value {
    json!({"type": "object", "additionalProperties": {"type": "string"}})
}

fn quantity_schema() -> Value {
    json!({"type": ["string", "number"], "pattern": "^[+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+|[numkMGTPE]|[KMGTPE]i)?$"})
}

const ENV_NAME_PATTERN: &str = "^[A-Za-z_][A-Za-z0-9_]*$";

/// The whole values tree for a spec.
pub fn values_tree(spec: &CheckedSpec) -> Vec<ValueNode> {
    // A Secret's name is a DNS subdomain.
    let secret_name = json!({
        "type": "string",
        "pattern": "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
        "maxLength": 253
    });
    let mut root = vec![
        group(
            "global",
            "Settings shared with parent charts",
            vec![
                leaf(
                    "imageRegistry",
                    "Registry prepended to every image (including the test image) whose repository names no registry of its own (e.g. `reg.example.com/mirror`); empty for none",
                    json!(""),
                    json!({"type": "string"}),
                ),
                leaf(
                    "imagePullSecrets",
                    "Existing docker-registry Secrets for private registries: names, or `{name: …}` objects as Bitnami charts take them",
                    json!(spec.image_pull_secrets),
                    json!({"type": "array", "items": {"anyOf": [
                        secret_name,
                        {
                            "type": "object",
                            "properties": {"name": secret_name},
                            "required": ["name"],
                            "additionalProperties": false
                        }
                    ]}}),
                ),
            ],
        ),
        leaf(
            "nameOverride",
            "Replaces the chart name in resource names",
            json!(""),
            json!({"type": "string"}),
        ),
        leaf(
            "fullnameOverride",
            "Replaces the whole `<release>-<chart>` name prefix",
            json!(""),
            json!({"type": "string"}),
        ),
    ];
    if let Some(ns) = &spec.namespace {
        root.push(group(
            "namespace",
            "The namespace the chart deploys into",
            vec![
                leaf("create", "Render a Namespace manifest", json!(ns.create), json!({"type": "boolean"})),
                leaf(
                    "name",
                    "Namespace for every resource (empty: the Helm release namespace)",
                    json!(ns.name),
                    json!({"type": "string", "pattern": "^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$", "maxLength": 63}),
                ),
            ],
        ));
    }
    root.push(group(
        "serviceAccount",
        "The ServiceAccount the application pods run as",
        vec![
            leaf(
                "create",
                "Create the ServiceAccount",
                json!(true),
                json!({"type": "boolean"}),
            ),
            leaf(
                "name",
                "Its name (empty: the chart's full name)",
                json!(""),
                json!({"type": "string"}),
            ),
            leaf(
                "annotations",
                "Annotations for the ServiceAccount",
                json!({}),
                string_map_schema(),
            ),
        ],
    ));
    root.push(leaf(
        "podSecurityContext",
        "Pod security context for every workload (Pod Security Standards \"restricted\")",
        json!({
            "runAsNonRoot": true,
            "runAsUser": spec.run_as_user,
            "runAsGroup": spec.run_as_group,
            "fsGroup": spec.run_as_group,
            "seccompProfile": {"type": "RuntimeDefault"}
        }),
        json!({"type": "object"}),
    ));
    root.push(leaf(
        "securityContext",
        "Container security context for every container (Pod Security Standards \"restricted\")",
        json!({
            "allowPrivilegeEscalation": false,
            "readOnlyRootFilesystem": true,
            "runAsNonRoot": true,
            "runAsUser": spec.run_as_user,
            "runAsGroup": spec.run_as_group,
            "capabilities": {"drop": ["ALL"]},
            "seccompProfile": {"type": "RuntimeDefault"}
        }),
        json!({"type": "object"}),
    ));
    if !spec.config.is_empty() {
        root.push(leaf(
        "config",
        "Non-secret env vars shared by every component (rendered into a ConfigMap)",
        json!(spec.config),
        json!({"type": "object", "propertyNames": {"pattern": ENV_NAME_PATTERN}, "additionalProperties": {"type": "string"}}),
    ));
    }
    for c in &spec.components {
        root.push(component_values(c));
    }
    for job in &spec.jobs {
        root.push(group(
            &job.values_key,
            format!("The `{}` hook Job ({})", job.name, job.hooks.join(", ")),
            vec![
                leaf("enabled", "Run the Job", json!(true), json!({"type": "boolean"})),
                command_leaf(
                    "The command; it must be idempotent because hooks run on every install and upgrade",
                    &job.command,
                ),
                args_leaf(&job.args),
                leaf("backoffLimit", "Attempts before the Job fails", json!(job.backoff_limit), json!({"type": "integer", "minimum": 0})),
                leaf(
                    "activeDeadlineSeconds",
                    "Seconds the Job may run",
                    json!(job.active_deadline_seconds),
                    json!({"type": "integer", "minimum": 1}),
                ),
            ],
        ));
    }
    for cron in &spec.cron_jobs {
        root.push(group(
            &cron.values_key,
            format!("The `{}` CronJob ({})", cron.name, cron.schedule),
            vec![
                leaf(
                    "enabled",
                    "Render the CronJob",
                    json!(true),
                    json!({"type": "boolean"}),
                ),
                leaf(
                    "schedule",
                    "Cron schedule",
                    json!(cron.schedule),
                    json!({"type": "string", "minLength": 1}),
                ),
                leaf(
                    "timeZone",
                    "IANA time zone of the schedule (empty: the controller's)",
                    json!(cron.time_zone),
                    json!({"type": "string"}),
                ),
                leaf(
                    "concurrencyPolicy",
                    "`Forbid` skips a run while the last one runs; `Allow` or `Replace`",
                    json!(cron.concurrency_policy),
                    json!({"type": "string", "enum": ["Forbid", "Allow", "Replace"]}),
                ),
                leaf(
                    "suspend",
                    "Pause the schedule",
                    json!(false),
                    json!({"type": "boolean"}),
                ),
                leaf(
                    "startingDeadlineSeconds",
                    "Seconds after its time a missed run may still start",
                    json!(cron.starting_deadline_seconds),
                    json!({"type": "integer", "minimum": 10}),
                ),
                command_leaf("The command", &cron.command),
                args_leaf(&cron.args),
                leaf(
                    "backoffLimit",
                    "Attempts before a run fails",
                    json!(cron.backoff_limit),
                    json!({"type": "integer", "minimum": 0}),
                ),
                leaf(
                    "activeDeadlineSeconds",
                    "Seconds one run may take",
                    json!(cron.active_deadline_seconds),
                    json!({"type": "integer", "minimum": 1}),
                ),
                leaf(
                    "ttlSecondsAfterFinished",
                    "Seconds a finished Job is kept for `kubectl logs`",
                    json!(cron.ttl_seconds_after_finished),
                    json!({"type": "integer", "minimum": 0}),
                ),
            ],
        ));
    }
    if let Some(ingress) = &spec.ingress {
        root.push(group(
            "ingress",
            "External access through an Ingress controller (Minikube: `minikube addons enable ingress`)",
            vec![
                leaf("enabled", "Render the Ingress", json!(true), json!({"type": "boolean"})),
                leaf("className", "IngressClass name", json!(ingress.class_name), json!({"type": "string"})),
                hosts_leaf(ingress),
                leaf(
                    "annotations",
                    "Annotations for the Ingress (e.g. `cert-manager.io/cluster-issuer`)",
                    json!(ingress.annotations),
                    string_map_schema(),
                ),
                leaf(
                    "tls",
                    "TLS: a list of `{secretName, hosts}` (empty: plain HTTP); keep it in step with the host names",
                    json!(ingress
                        .hosts
                        .iter()
                        .filter_map(|h| h.tls_secret.as_ref().map(|s| json!({"secretName": s, "hosts": [h.host]})))
                        .collect::<Vec<_>>()),
                    json!({"type": "array", "items": {"type": "object", "required": ["secretName"], "properties": {"secretName": {"type": "string"}, "hosts": {"type": "array", "items": {"type": "string"}}}, "additionalProperties": false}}),
                ),
            ],
        ));
    }
    let mut netpol = vec![
        leaf(
            "enabled",
            "Default-deny NetworkPolicies that allow only the declared flows",
            json!(true),
            json!({"type": "boolean"}),
        ),
        leaf(
            "dnsNamespace",
            "Namespace of the cluster DNS, allowed for egress on port 53",
            json!("kube-system"),
            json!({"type": "string"}),
        ),
    ];
    if let Some(ingress) = &spec.ingress {
        netpol.push(leaf(
            "ingressControllerNamespace",
            "Namespace of the ingress controller, allowed to reach routed components",
            json!(ingress.controller_namespace),
            json!({"type": "string"}),
        ));
    }
    if spec.components.iter().any(|c| c.metrics.is_some()) {
        netpol.push(leaf(
            "monitoringNamespace",
            "Namespace of Prometheus, allowed to scrape the metrics ports",
            json!("monitoring"),
            json!({"type": "string"}),
        ));
    }
    root.push(group("networkPolicy", "Network isolation", netpol));
    if !spec.secret_keys.is_empty() {
        let mut children = vec![leaf(
            "existingSecret",
            format!(
                "Name of an existing Secret that holds every key below ({}); when set, the chart renders no Secret",
                spec.secret_keys.join(", ")
            ),
            json!(""),
            json!({"type": "string"}),
        )];
        for key in &spec.secret_keys {
            children.push(leaf(
                key,
                format!("(required unless `secrets.existingSecret`) {}. Never commit it: use `--set` or a git-ignored values-local.yaml", secret_doc(key)),
                json!(""),
                json!({"type": "string"}),
            ));
        }
        root.push(group(
            "secrets",
            "Secret values, supplied at install time; no default is ever shipped",
            children,
        ));
    }
    if let Some(db) = &spec.database {
        let mut children = vec![
            leaf(
                "port",
                format!("Port of the external {} database", db.engine),
                json!(db.port),
                json!({"type": "integer", "minimum": 1, "maximum": 65535}),
            ),
            leaf(
                "cidr",
                "Address block the database lives in, allowed for egress (managed databases move: default anywhere)",
                json!(db.cidr),
                json!({"type": "string", "minLength": 1}),
            ),
        ];
        if let Some(pool) = &db.pool {
            children.push(group(
                "pool",
                "Connection pool settings, passed to components that use the database",
                vec![
                    leaf(
                        "size",
                        "Connections per pod (`DB_POOL_SIZE`)",
                        json!(pool.size),
                        json!({"type": "integer", "minimum": 1}),
                    ),
                    leaf(
                        "retryAttempts",
                        "Connection attempts before giving up (`DB_RETRY_ATTEMPTS`)",
                        json!(pool.retry_attempts),
                        json!({"type": "integer", "minimum": 0}),
                    ),
                    leaf(
                        "retryDelaySeconds",
                        "Seconds between attempts (`DB_RETRY_DELAY_SECONDS`)",
                        json!(pool.retry_delay_seconds),
                        json!({"type": "integer", "minimum": 0}),
                    ),
                ],
            ));
        }
        root.push(group(
            "database",
            format!("The {} database outside the cluster", db.engine),
            children,
        ));
    }
    if spec.ai_ops.enabled || spec.ai_ops.kagent {
        root.push(group(
            "aiOps",
            "Least-privilege access for AI operations tools (kubectl-ai, kagent)",
            vec![
                leaf(
                    "enabled",
                    "Render a ServiceAccount, Role and RoleBinding that may read pods, logs, events, deployments, services and HPAs and scale or restart deployments, in the release namespace only",
                    json!(spec.ai_ops.enabled),
                    json!({"type": "boolean"}),
                ),
                group(
                    "kagent",
                    "A kagent Agent for this app (installed only where the kagent CRD exists)",
                    vec![
                        leaf("enabled", "Render the kagent Agent", json!(spec.ai_ops.kagent), json!({"type": "boolean"})),
                        leaf(
                            "modelConfig",
                            "Name of the kagent ModelConfig the agent uses",
                            json!("default-model-config"),
                            json!({"type": "string", "minLength": 1}),
                        ),
                    ],
                ),
            ],
        ));
    }
    if spec.components.iter().any(|c| c.has_service) {
        root.push(group(
            "tests",
            "`helm test` connection checks",
            vec![
                leaf(
                    "enabled",
                    "Render the test Pod",
                    json!(true),
                    json!({"type": "boolean"}),
                ),
                leaf(
                    "image",
                    "Image for the test Pod (needs `wget`)",
                    json!("busybox:1.37.0"),
                    json!({"type": "string", "minLength": 1}),
                ),
            ],
        ));
    }
    root
}

fn secret_doc(key: &str) -> String {
    let k = key.to_ascii_uppercase();
    if k.contains("DATABASE_URL") {
        "Database connection string, e.g. `postgresql://USER:PASSWORD@HOST/DB?sslmode=require`"
            .into()
    } else if k.contains("JWT") || k.contains("AUTH_SECRET") {
        "Signing secret for auth tokens (e.g. `openssl rand -hex 32`)".into()
    } else if k.contains("API_KEY") {
        format!("API key `{key}`")
    } else {
        format!("Secret `{key}`")
    }
}

fn component_values(c: &CheckedComponent) -> ValueNode {
    let name = &c.name;
    let mut children = vec![
        leaf(
            "replicaCount",
            format!(
                "{name} pods (ignored while `{k}.autoscaling.enabled`: the HPA owns the count, so set `{k}.autoscaling.minReplicas` instead)",
                k = c.values_key
            ),
            json!(c.replicas),
            json!({"type": "integer", "minimum": 0}),
        ),
        leaf(
            "replicas",
            format!(
                "Alias of `{}.replicaCount` (`--set {}.replicas=3`); wins when set",
                c.values_key, c.values_key
            ),
            Value::Null,
            json!({"type": ["integer", "null"], "minimum": 0}),
        ),
        image_group(
            format!("The {name} container image"),
            &c.image_repository,
            c.image_tag.as_deref(),
            &c.pull_policy,
        ),
    ];
    if let Some(port) = c.port {
        children.push(leaf(
            "containerPort",
            "Port the application listens on",
            json!(port),
            json!({"type": "integer", "minimum": 1, "maximum": 65535}),
        ));
    }
    if c.has_service {
        let mut service = vec![
            leaf(
                "type",
                "Service type: `ClusterIP`, `NodePort` or `LoadBalancer`",
                json!(c.service_type),
                json!({"type": "string", "enum": ["ClusterIP", "NodePort", "LoadBalancer"]}),
            ),
            leaf(
                "port",
                "Service port",
                json!(c.service_port),
                json!({"type": "integer", "minimum": 1, "maximum": 65535}),
            ),
            leaf(
                "nodePort",
                "Fixed node port for NodePort and LoadBalancer (null: Kubernetes picks one)",
                c.node_port.map_or(Value::Null, |p| json!(p)),
                json!({"type": ["integer", "null"], "minimum": 30000, "maximum": 32767}),
            ),
        ];
        service.push(leaf(
            "annotations",
            "Annotations of the Service",
            json!(c.service_annotations),
            string_map_schema(),
        ));
        if c.service_name.is_some() {
            service.push(leaf(
                "name",
                "Fixed Service name other systems rely on",
                json!(c.service_name),
                json!({"type": "string", "pattern": "^[a-z]([-a-z0-9]*[a-z0-9])?$", "maxLength": 63}),
            ));
        }
        children.push(group("service", format!("The {name} Service"), service));
    }
    children.push(resources_group(&c.resources));
    children.push(probes_group(&c.probes));
    let extra: Vec<ValueNode> = c
        .init_containers
        .iter()
        .map(|x| extra_container_values(x, "init container"))
        .chain(
            c.sidecars
                .iter()
                .map(|x| extra_container_values(x, "sidecar")),
        )
        .collect();
    if !extra.is_empty() {
        children.push(group(
            "extraContainers",
            "The init containers and sidecars of the spec",
            extra,
        ));
    }
    let auto = c.autoscaling.as_ref();
    children.push(group(
        "autoscaling",
        "HorizontalPodAutoscaler (when enabled, the Deployment leaves `replicas` to it)",
        vec![
            leaf(
                "enabled",
                "Render the HPA",
                json!(auto.is_some_and(|a| a.enabled)),
                json!({"type": "boolean"}),
            ),
            leaf(
                "minReplicas",
                "Fewest replicas",
                json!(auto.map_or(1, |a| a.min_replicas)),
                json!({"type": "integer", "minimum": 1}),
            ),
            leaf(
                "maxReplicas",
                "Most replicas",
                json!(auto.map_or(3, |a| a.max_replicas)),
                json!({"type": "integer", "minimum": 1}),
            ),
            leaf(
                "targetCPUUtilizationPercentage",
                "Average CPU utilisation the HPA aims for (percent of requests)",
                json!(auto.map_or(80, |a| a.target_cpu)),
                json!({"type": "integer", "minimum": 1, "maximum": 100}),
            ),
        ],
    ));
    if let Some(m) = &c.metrics {
        children.push(group(
            "metrics",
            format!("Prometheus metrics on the `{}` port", m.port),
            vec![group(
                "serviceMonitor",
                "A ServiceMonitor for the Prometheus Operator (rendered only when the cluster has its CRD)",
                vec![
                    leaf("enabled", "Render the ServiceMonitor", json!(true), json!({"type": "boolean"})),
                    leaf("path", "HTTP path of the metrics", json!(m.path), json!({"type": "string", "pattern": "^/"})),
                    leaf(
                        "interval",
                        "Scrape interval",
                        json!(m.interval),
                        json!({"type": "string", "pattern": "^([0-9]+(ms|s|m|h|d|w|y))+$"}),
                    ),
                    leaf(
                        "labels",
                        "Extra labels, e.g. the `release` label your Prometheus selects ServiceMonitors by",
                        json!({}),
                        string_map_schema(),
                    ),
                ],
            )],
        ));
    }
    children.push(leaf(
        "config",
        format!("Non-secret env vars for {name} only (its own ConfigMap)"),
        json!(c.config),
        json!({"type": "object", "propertyNames": {"pattern": ENV_NAME_PATTERN}, "additionalProperties": {"type": "string"}}),
    ));
    let persistent: Vec<ValueNode> = c
        .volumes
        .iter()
        .filter(|v| v.source == "persistent")
        .map(|v| {
            let mut fields = vec![
                leaf(
                    "size",
                    "Requested size",
                    json!(v.size),
                    quantity_schema(),
                ),
                leaf(
                    "accessModes",
                    "Access modes",
                    json!(v.access_modes),
                    json!({"type": "array", "minItems": 1, "items": {"type": "string", "enum": ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"]}}),
                ),
                leaf(
                    "storageClass",
                    "StorageClass (empty: the cluster default; `-` for none)",
                    json!(v.storage_class),
                    json!({"type": "string"}),
                ),
            ];
            if c.kind == "Deployment" {
                fields.push(leaf(
                    "existingClaim",
                    "Use this existing PersistentVolumeClaim instead of rendering one",
                    json!(v.existing_claim),
                    json!({"type": "string"}),
                ));
            }
            group(
                &v.values_key,
                format!("The `{}` volume, mounted at `{}`", v.name, v.mount_path),
                fields,
            )
        })
        .collect();
    if !persistent.is_empty() {
        children.push(group(
            "persistence",
            "Persistent volumes (claims are kept on uninstall: delete them by hand to drop the data)",
            persistent,
        ));
    }
    children.push(leaf(
        "podAnnotations",
        "Extra pod annotations",
        json!(c.pod_annotations),
        string_map_schema(),
    ));
    children.push(leaf(
        "podLabels",
        "Extra pod labels",
        json!(c.labels),
        string_map_schema(),
    ));
    // Scheduling knobs, with Bitnami's names: empty by default, any valid Kubernetes object of the right shape.
    for (key, what, default, schema) in [
        (
            "priorityClassName",
            "PriorityClass of the pods (empty: the cluster default)",
            json!(c.priority_class_name),
            json!({"type": "string"}),
        ),
        (
            "nodeSelector",
            "Node labels the pods must run on, e.g. `disktype: ssd`",
            json!(c.node_selector),
            string_map_schema(),
        ),
        (
            "tolerations",
            "Tolerations of the pods (Kubernetes `tolerations`)",
            json!(c.tolerations),
            json!({"type": "array", "items": toleration_schema()}),
        ),
        (
            "affinity",
            "Affinity of the pods (Kubernetes `affinity`)",
            json!(c.affinity),
            json!({"type": "object"}),
        ),
        (
            "topologySpreadConstraints",
            "Spread of the pods; a constraint without `labelSelector` counts this component's pods (empty: a soft spread over nodes when more than one replica can run)",
            json!(c.topology_spread_constraints),
            json!({"type": "array", "items": topology_spread_schema()}),
        ),
        (
            "extraEnvVars",
            "More env vars of the main container (Kubernetes `env` entries)",
            json!([]),
            json!({"type": "array", "items": env_var_schema()}),
        ),
        (
            "extraVolumes",
            "More pod volumes (Kubernetes `volumes` entries)",
            json!([]),
            json!({"type": "array", "items": volume_schema()}),
        ),
        (
            "extraVolumeMounts",
            "More mounts of the main container (Kubernetes `volumeMounts` entries)",
            json!([]),
            json!({"type": "array", "items": volume_mount_schema()}),
        ),
        (
            "initContainers",
            "More init containers, as Kubernetes containers (harden them yourself: they get no defaults)",
            json!([]),
            json!({"type": "array", "items": container_schema()}),
        ),
        (
            "sidecars",
            "More sidecar containers, as Kubernetes containers (harden them yourself: they get no defaults)",
            json!([]),
            json!({"type": "array", "items": container_schema()}),
        ),
    ] {
        children.push(leaf(key, what, default, schema));
    }
    children.push(leaf(
        "terminationGracePeriodSeconds",
        "Seconds between SIGTERM and SIGKILL",
        json!(c.termination_grace_period_seconds),
        json!({"type": "integer", "minimum": 10}),
    ));
    group(&c.values_key, c.description.clone(), children)
}

/// The Ingress host names: `host` for a one-host Ingress, else `hosts`, one per host of the spec, in its order
/// (the routes of each are in the template, so the count is fixed).
fn hosts_leaf(ingress: &CheckedIngress) -> ValueNode {
    const HOW: &str = "add it to /etc/hosts with the address from `minikube ip`, or point DNS at the ingress controller";
    match ingress.hosts.as_slice() {
        [only] if ingress.single_host => leaf(
            "host",
            format!("Host name; {HOW}"),
            json!(only.host),
            json!({"type": "string", "minLength": 1}),
        ),
        hosts => leaf(
            "hosts",
            format!(
                "Host names, in this order: {}; {HOW}",
                hosts
                    .iter()
                    .map(|h| {
                        let targets: BTreeSet<&str> =
                            h.routes.iter().map(|r| r.component.as_str()).collect();
                        format!(
                            "{} (routes to {})",
                            h.host,
                            targets.into_iter().collect::<Vec<_>>().join(", ")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            json!(hosts.iter().map(|h| &h.host).collect::<Vec<_>>()),
            json!({"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": hosts.len(), "maxItems": hosts.len()}),
        ),
    }
}

/// An image's repository, tag and pull policy.
fn image_group(doc: String, repository: &str, tag: Option<&str>, pull_policy: &str) -> ValueNode {
    group(
        "image",
        doc,
        vec![
            leaf(
                "repository",
                "Image repository",
                json!(repository),
                json!({"type": "string", "minLength": 1}),
            ),
            leaf(
                "tag",
                "Image tag (empty: the chart's appVersion; never `latest`)",
                json!(tag.unwrap_or_default()),
                json!({"type": "string", "not": {"const": "latest"}}),
            ),
            leaf(
                "pullPolicy",
                "`IfNotPresent`, `Always`, or `Never` for images built inside Minikube's docker (`eval $(minikube docker-env)`)",
                json!(pull_policy),
                json!({"type": "string", "enum": ["IfNotPresent", "Always", "Never"]}),
            ),
        ],
    )
}

/// The values of an init container or sidecar the spec declares.
fn extra_container_values(x: &CheckedContainer, role: &str) -> ValueNode {
    let mut fields = vec![
        image_group(
            format!("The `{}` {role} image", x.name),
            &x.image_repository,
            x.image_tag.as_deref(),
            &x.pull_policy,
        ),
        resources_group(&x.resources),
    ];
    if !x.probes.is_empty() {
        fields.push(probes_group(&x.probes));
    }
    group(&x.values_key, format!("The `{}` {role}", x.name), fields)
}

/// A Kubernetes object the operator adds (a container, a volume, an env var…): an object with the fields Kubernetes
/// requires, of the right types; any other valid field passes, since the API server checks the rest.
fn k8s_object_schema(required: &[&str], properties: Value) -> Value {
    let mut schema = json!({"type": "object", "properties": properties});
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    schema
}

fn container_schema() -> Value {
    k8s_object_schema(
        &["name", "image"],
        json!({
            "name": {"type": "string", "pattern": "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "maxLength": 63},
            "image": {"type": "string", "minLength": 1},
            "command": {"type": "array", "items": {"type": "string"}},
            "args": {"type": "array", "items": {"type": "string"}},
            "env": {"type": "array", "items": env_var_schema()},
            "envFrom": {"type": "array", "items": {"type": "object"}},
            "ports": {"type": "array", "items": k8s_object_schema(&["containerPort"], json!({"containerPort": {"type": "integer", "minimum": 1, "maximum": 65535}, "name": {"type": "string", "maxLength": 15}}))},
            "resources": {"type": "object"},
            "securityContext": {"type": "object"},
            "volumeMounts": {"type": "array", "items": volume_mount_schema()}
        }),
    )
}

fn env_var_schema() -> Value {
    k8s_object_schema(
        &["name"],
        json!({
            "name": {"type": "string", "minLength": 1},
            "value": {"type": "string"},
            "valueFrom": {"type": "object"}
        }),
    )
}

fn volume_schema() -> Value {
    k8s_object_schema(
        &["name"],
        json!({"name": {"type": "string", "pattern": "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "maxLength": 63}}),
    )
}

fn volume_mount_schema() -> Value {
    k8s_object_schema(
        &["name", "mountPath"],
        json!({
            "name": {"type": "string", "minLength": 1},
            "mountPath": {"type": "string", "minLength": 1},
            "readOnly": {"type": "boolean"},
            "subPath": {"type": "string"}
        }),
    )
}

fn toleration_schema() -> Value {
    k8s_object_schema(
        &[],
        json!({
            "key": {"type": "string"},
            "operator": {"type": "string", "enum": ["Exists", "Equal"]},
            "value": {"type": "string"},
            "effect": {"type": "string", "enum": ["", "NoSchedule", "PreferNoSchedule", "NoExecute"]},
            "tolerationSeconds": {"type": "integer"}
        }),
    )
}

fn topology_spread_schema() -> Value {
    k8s_object_schema(
        &["maxSkew", "topologyKey", "whenUnsatisfiable"],
        json!({
            "maxSkew": {"type": "integer", "minimum": 1},
            "topologyKey": {"type": "string", "minLength": 1},
            "whenUnsatisfiable": {"type": "string", "enum": ["DoNotSchedule", "ScheduleAnyway"]},
            "labelSelector": {"type": "object"}
        }),
    )
}

/// The probes of one container, each with its handler's fields.
fn probes_group(probes: &[CheckedProbe]) -> ValueNode {
    let probe_children = probes
        .iter()
        .map(|p| {
            let mut fields = vec![leaf(
                "enabled",
                format!("Run the {} probe", p.kind),
                json!(true),
                json!({"type": "boolean"}),
            )];
            let port_schema = json!({"type": ["integer", "string"], "minimum": 1, "maximum": 65535, "minLength": 1});
            match p.handler.as_str() {
                "httpGet" => {
                    fields.push(leaf(
                        "path",
                        "HTTP path",
                        json!(p.path),
                        json!({"type": "string", "pattern": "^/"}),
                    ));
                    if let Some(port) = &p.port {
                        fields.push(leaf("port", "Port name or number", port.clone(), port_schema));
                    }
                }
                "tcpSocket" => {
                    if let Some(port) = &p.port {
                        fields.push(leaf("port", "Port name or number", port.clone(), port_schema));
                    }
                }
                "exec" => fields.push(leaf(
                    "command",
                    "Command run in the container; exit 0 is healthy",
                    json!(p.command),
                    json!({"type": "array", "items": {"type": "string"}, "minItems": 1}),
                )),
                _ => {
                    fields.push(leaf(
                        "port",
                        "gRPC port number",
                        p.port.clone().unwrap_or(Value::Null),
                        json!({"type": "integer", "minimum": 1, "maximum": 65535}),
                    ));
                    fields.push(leaf(
                        "service",
                        "gRPC health service name (empty: the server's overall health)",
                        json!(p.grpc_service),
                        json!({"type": "string"}),
                    ));
                }
            }
            fields.extend([
                leaf(
                    "initialDelaySeconds",
                    "Seconds before the first probe",
                    json!(p.initial_delay_seconds),
                    json!({"type": "integer", "minimum": 0}),
                ),
                leaf(
                    "periodSeconds",
                    "Seconds between probes",
                    json!(p.period_seconds),
                    json!({"type": "integer", "minimum": 1}),
                ),
                leaf(
                    "timeoutSeconds",
                    "Seconds before a probe times out",
                    json!(p.timeout_seconds),
                    json!({"type": "integer", "minimum": 1}),
                ),
                leaf(
                    "failureThreshold",
                    "Failures before the probe counts as failed",
                    json!(p.failure_threshold),
                    json!({"type": "integer", "minimum": 1}),
                ),
            ]);
            let how = match p.handler.as_str() {
                "httpGet" => "HTTP GET",
                "tcpSocket" => "TCP connect",
                "exec" => "command",
                _ => "gRPC health check",
            };
            group(
                &p.kind,
                format!("{} probe ({how})", capitalise(&p.kind)),
                fields,
            )
        })
        .collect();
    group("probes", "Health probes", probe_children)
}
/// CPU and memory requests and limits of one container.
fn resources_group(r: &CheckedResources) -> ValueNode {
    group(
        "resources",
        "CPU and memory requests and limits",
        vec![
            group(
                "requests",
                "What the scheduler reserves",
                vec![
                    leaf(
                        "cpu",
                        "CPU request",
                        json!(r.requests_cpu),
                        quantity_schema(),
                    ),
                    leaf(
                        "memory",
                        "Memory request",
                        json!(r.requests_memory),
                        quantity_schema(),
                    ),
                ],
            ),
            group(
                "limits",
                "The most the container may use",
                vec![
                    leaf("cpu", "CPU limit", json!(r.limits_cpu), quantity_schema()),
                    leaf(
                        "memory",
                        "Memory limit",
                        json!(r.limits_memory),
                        quantity_schema(),
                    ),
                ],
            ),
        ],
    )
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|f| f.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// values.schema.json for the tree: draft-07 (both Helm 3 and 4 validate it offline), no `$ref` at all.
pub fn schema(spec: &CheckedSpec, tree: &[ValueNode]) -> Value {
    let mut root = group_schema(tree, false);
    if let Value::Object(map) = &mut root {
        let mut head = Map::new();
        head.insert(
            "$schema".into(),
            json!("http://json-schema.org/draft-07/schema#"),
        );
        head.insert(
            "title".into(),
            json!(format!("Values for the {} chart", spec.name)),
        );
        head.extend(std::mem::take(map));
        *map = head;
    }
    root
}

fn group_schema(children: &[ValueNode], open: bool) -> Value {
    let mut properties = Map::new();
    for child in children {
        let mut schema = match &child.kind {
            Kind::Leaf { schema, .. } => schema.clone(),
            Kind::Group { children, open } => group_schema(children, *open),
        };
        if let Value::Object(map) = &mut schema {
            // Kubernetes keeps these counts, ports and seconds as 32-bit integers.
            let integer = match map.get("type") {
                Some(Value::String(t)) => t == "integer",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer"),
                _ => false,
            };
            if integer && !map.contains_key("maximum") {
                map.insert("maximum".into(), json!(i32::MAX));
            }
            map.insert("description".into(), json!(child.doc));
        }
        properties.insert(child.key.clone(), schema);
    }
    json!({"type": "object", "properties": properties, "additionalProperties": open})
}

/// The defaults of a tree as a JSON object (what values.yaml parses to).
pub fn defaults(tree: &[ValueNode]) -> Value {
    Value::Object(
        tree.iter()
            .map(|n| {
                let v = match &n.kind {
                    Kind::Leaf { default, .. } => default.clone(),
                    Kind::Group { children, .. } => defaults(children),
                };
                (n.key.clone(), v)
            })
            .collect(),
    )
}

/// values.yaml text with a helm-docs `# --` comment on every key.
pub fn values_yaml(tree: &[ValueNode], header: &str) -> String {
    let mut out = String::from(header);
    for (i, node) in tree.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        write_node(&mut out, node, 0);
    }
    out
}

fn write_node(out: &mut String, node: &ValueNode, indent: usize) {
    let pad = " ".repeat(indent);
    match &node.kind {
        Kind::Leaf { default, .. } => {
            write_comment(out, &pad, "-- ", &node.doc);
            out.push_str(&format!("{pad}{}:", yaml_key(&node.key)));
            write_yaml_value(out, default, indent);
        }
        Kind::Group { children, .. } => {
            write_comment(out, &pad, "-- ", &node.doc);
            if children.is_empty() {
                out.push_str(&format!("{pad}{}: {{}}\n", yaml_key(&node.key)));
                return;
            }
            out.push_str(&format!("{pad}{}:\n", yaml_key(&node.key)));
            for child in children {
                write_node(out, child, indent + 2);
            }
        }
    }
}

/// Rows of the README values table: (dotted key, type, default, description).
pub fn table_rows(tree: &[ValueNode]) -> Vec<(String, String, String, String)> {
    let mut rows = Vec::new();
    collect_rows(tree, "", &mut rows);
    rows
}

fn collect_rows(
    tree: &[ValueNode],
    prefix: &str,
    rows: &mut Vec<(String, String, String, String)>,
) {
    for node in tree {
        let key = if prefix.is_empty() {
            node.key.clone()
        } else {
            format!("{prefix}.{}", node.key)
        };
        match &node.kind {
            Kind::Leaf { default, schema } => {
                let ty = match schema.get("type") {
                    Some(Value::String(t)) => t.clone(),
                    Some(Value::Array(ts)) => ts
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(" or "),
                    _ => "any".into(),
                };
                let doc = node.doc.lines().collect::<Vec<_>>().join(" ");
                rows.push((key, ty, default.to_string(), doc));
            }
            Kind::Group { children, .. } => collect_rows(children, &key, rows),
        }
    }
}

#!/usr/bin/env python3
"""chartgen lint benchmark.

Generates a corpus of Kubernetes manifests (default 10,000 objects in 1,000 files: Deployments, Services,
ConfigMaps, Secrets, Ingresses, HPAs, Roles that reference each other; a stated share deliberately broken, with
planted tokens), then measures on the same files:

  parse floor   `chartgen lint --parse-only`: read and parse the YAML, nothing else
  chartgen      `chartgen lint --format json` and the default human format: every rule
  checkov       `checkov -d corpus --framework kubernetes` (3.3.30, from scripts/install-tools.sh)

then human against JSON output on one large file (snippets must stay linear: within 2x of JSON), and chart mode
over many charts (copies of the committed charts under different folder names, rendered by Helm 4).

For each: wall time (best of --runs), objects per second, and peak resident memory (wait4 rusage). Prints
Markdown for the README. Usage: scripts/bench.py [--objects N] [--runs R] [--checkov-objects M]
[--large-objects N] [--chart-copies N] [--skip-checkov]
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# Objects come in groups of ten that belong together, as in a real repository: three Deployments, a Service for
# each of the first two, a ConfigMap, a Secret, an Ingress to the first Service, an HPA for the first Deployment
# and a Role. So Services, Ingresses and HPAs point at workloads that exist, and only the deliberately broken
# objects are findings: a Deployment without security settings, probes or a pinned tag; a Service whose selector
# has a typo; a Role with a wildcard; a planted GitHub token in a Deployment's env (the detecting path).
BROKEN = {"deployment": 0.3, "service": 0.05, "role": 0.1, "secret-env": 0.06}


def token(rng):
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
    return "ghp_" + "".join(rng.choice(alphabet) for _ in range(36))


def deployment(name, ns, i, rng, stats):
    bad = rng.random() < BROKEN["deployment"]
    sc = "" if bad else """          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            capabilities: { drop: [ALL] }
"""
    probes = "" if bad and rng.random() < 0.5 else """          livenessProbe:
            httpGet: { path: /health, port: http }
          readinessProbe:
            httpGet: { path: /ready, port: http }
"""
    planted = rng.random() < BROKEN["secret-env"]
    secret_env = f"            - {{ name: API_TOKEN, value: {token(rng)} }}\n" if planted else ""
    stats["broken"] += bad or planted
    stats["planted"] += planted
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {ns}
  labels: {{ app: {name}, tier: web }}
spec:
  replicas: {1 + i % 3}
  selector:
    matchLabels: {{ app: {name} }}
  template:
    metadata:
      labels: {{ app: {name}, tier: web }}
    spec:
      automountServiceAccountToken: false
      securityContext:
        seccompProfile: {{ type: RuntimeDefault }}
      containers:
        - name: app
          image: ghcr.io/acme/{name}:{"latest" if bad else "1.2.3"}
          ports: [{{ name: http, containerPort: 8080 }}]
          env:
            - {{ name: LOG_LEVEL, value: info }}
            - {{ name: DB_PASSWORD, valueFrom: {{ secretKeyRef: {{ name: db, key: password }} }} }}
{secret_env}{probes}          resources:
            requests: {{ cpu: 100m, memory: 128Mi }}
            limits: {{ cpu: 500m, memory: 256Mi }}
{sc}"""


def service(name, ns, rng, stats):
    typo = rng.random() < BROKEN["service"]
    stats["broken"] += typo
    target = f"{name}-typo" if typo else name
    return f"""apiVersion: v1
kind: Service
metadata: {{ name: {name}, namespace: {ns} }}
spec:
  selector: {{ app: {target} }}
  ports: [{{ name: http, port: 80, targetPort: http }}]
"""


def config_map(name, ns):
    return f"""apiVersion: v1
kind: ConfigMap
metadata: {{ name: {name}, namespace: {ns} }}
data:
  LOG_LEVEL: info
  API_URL: http://{name}.{ns}.svc:80
  app.properties: |
    server.port=8080
    feature.flags=a,b,c
"""


def secret(name, ns):
    return f"""apiVersion: v1
kind: Secret
metadata: {{ name: {name}, namespace: {ns} }}
type: Opaque
stringData:
  PLACEHOLDER: ""
"""


def ingress(name, service_name, ns):
    return f"""apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {{ name: {name}, namespace: {ns} }}
spec:
  ingressClassName: nginx
  rules:
    - host: {name}.local
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service: {{ name: {service_name}, port: {{ number: 80 }} }}
"""


def hpa(name, target, ns):
    return f"""apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {{ name: {name}, namespace: {ns} }}
spec:
  scaleTargetRef: {{ apiVersion: apps/v1, kind: Deployment, name: {target} }}
  minReplicas: 2
  maxReplicas: 5
"""


def role(name, ns, rng, stats):
    wildcard = rng.random() < BROKEN["role"]
    stats["broken"] += wildcard
    verbs = '["*"]' if wildcard else "[get, list, watch]"
    return f"""apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {{ name: {name}, namespace: {ns} }}
rules:
  - apiGroups: [""]
    resources: [pods, pods/log]
    verbs: {verbs}
"""


def group(g, rng, stats):
    """Ten objects that reference each other correctly (unless deliberately broken)."""
    ns = f"ns-{g % 17}"
    apps = [f"app-{g}-{k}" for k in range(3)]
    return [
        deployment(apps[0], ns, g, rng, stats),
        deployment(apps[1], ns, g + 1, rng, stats),
        deployment(apps[2], ns, g + 2, rng, stats),
        service(apps[0], ns, rng, stats),
        service(apps[1], ns, rng, stats),
        config_map(apps[0], ns),
        secret(apps[0], ns),
        ingress(apps[0], apps[0], ns),
        hpa(apps[0], apps[0], ns),
        role(apps[0], ns, rng, stats),
    ]


def objects(count, seed=42):
    rng = random.Random(seed)
    stats = {"broken": 0, "planted": 0}
    docs = []
    g = 0
    while len(docs) < count:
        docs.extend(group(g, rng, stats))
        g += 1
    return docs[:count], stats


def generate(directory, count, per_file=10, seed=42):
    docs, stats = objects(count, seed)
    os.makedirs(directory, exist_ok=True)
    files = 0
    for start in range(0, len(docs), per_file):
        with open(os.path.join(directory, f"manifests-{files:05d}.yaml"), "w") as f:
            f.write("---\n".join(docs[start:start + per_file]))
        files += 1
    return files, stats


def copy_charts(directory, copies):
    """`copies` copies of every committed chart, each folder (and so each release) with its own name."""
    sources = sorted(d for d in os.listdir(os.path.join(ROOT, "generated", "helm"))
                     if os.path.exists(os.path.join(ROOT, "generated", "helm", d, "Chart.yaml")))
    os.makedirs(directory, exist_ok=True)
    for i in range(copies):
        for name in sources:
            shutil.copytree(os.path.join(ROOT, "generated", "helm", name),
                            os.path.join(directory, f"{name}-{i:03d}"))
    return len(sources) * copies


def many_renders_chart(directory, ci_files, crd_mb=3.0, apps=30):
    """A chart shaped like argo-cd's: megabytes of CRDs, a few dozen workloads, and `ci_files` ci/ values files,
    so chart mode renders it 1 + ci_files times. Streaming the renders keeps chartgen's peak memory near one
    render's, however many ci/ files there are."""
    templates = os.path.join(directory, "templates")
    os.makedirs(templates, exist_ok=True)
    with open(os.path.join(directory, "Chart.yaml"), "w") as f:
        f.write("apiVersion: v2\nname: many-renders\nversion: 1.0.0\nappVersion: \"1.0.0\"\n")
    with open(os.path.join(directory, "values.yaml"), "w") as f:
        f.write("replicas: 2\ntag: \"1.0.0\"\napps: " + json.dumps([f"app-{i}" for i in range(apps)]) + "\n")
    # One CRD whose schema has enough properties to weigh `crd_mb` megabytes, as argo-cd's CRDs do.
    props, size, i = [], 0, 0
    while size < crd_mb * 1e6:
        line = (f"                field{i:06d}:\n                  type: string\n"
                f"                  description: Field {i} of the generated schema, documented at length.\n")
        props.append(line)
        size += len(line)
        i += 1
    with open(os.path.join(templates, "crd.yaml"), "w") as f:
        f.write("""apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: { kind: Widget, plural: widgets }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
""" + "".join(props))
    with open(os.path.join(templates, "apps.yaml"), "w") as f:
        f.write("""{{- range .Values.apps }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ . }}
spec:
  replicas: {{ $.Values.replicas }}
  selector:
    matchLabels: { app: {{ . }} }
  template:
    metadata:
      labels: { app: {{ . }} }
    spec:
      containers:
        - name: app
          image: "ghcr.io/acme/{{ . }}:{{ $.Values.tag }}"
---
apiVersion: v1
kind: Service
metadata:
  name: {{ . }}
spec:
  selector: { app: {{ . }} }
  ports: [{ port: 80, targetPort: 8080 }]
{{- end }}
""")
    if ci_files:
        os.makedirs(os.path.join(directory, "ci"), exist_ok=True)
        for k in range(ci_files):
            with open(os.path.join(directory, "ci", f"case{k}-values.yaml"), "w") as f:
                f.write(f"replicas: {k + 1}\ntag: \"1.0.{k}\"\n")


def json_summary(cmd, env=None):
    """The JSON report of one run: (findings, summary)."""
    proc = subprocess.run(cmd, capture_output=True, env=env)
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.decode(errors='replace')[:2000]}")
    report = json.loads(proc.stdout)
    return report["findings"], report["summary"]


def measure(cmd, runs, env=None):
    """Best wall time of `runs` runs, and the largest peak RSS (MiB) seen."""
    best = None
    peak = 0
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            sys.exit(f"{' '.join(cmd)} exited {code}: {stderr[:2000]}")
        best = elapsed if best is None else min(best, elapsed)
        peak = max(peak, usage.ru_maxrss / 1024)
    return best, peak


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--objects", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--checkov-objects", type=int, default=None,
                        help="checkov on a subset of this many objects (default: all); its rate is per object")
    parser.add_argument("--large-objects", type=int, default=2_000,
                        help="objects in the one large file timed in human and JSON format")
    parser.add_argument("--chart-copies", type=int, default=20,
                        help="copies of each committed chart for the chart-mode run")
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--skip-checkov", action="store_true")
    args = parser.parse_args()

    if not args.skip_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    chartgen = os.path.join(ROOT, "target", "release", "chartgen")
    checkov = os.path.join(ROOT, ".tools", "venv", "bin", "checkov")
    helm = os.path.join(ROOT, ".tools", "bin", "helm4")
    for tool in ([] if args.skip_checkov else [checkov]) + [helm]:
        if not os.path.exists(tool):
            sys.exit(f"{tool} is missing: run scripts/install-tools.sh")
    no_config = ["--config", os.devnull]

    work = tempfile.mkdtemp(prefix="chartgen-bench-")
    try:
        corpus = os.path.join(work, "corpus")
        files, stats = generate(corpus, args.objects)
        size = sum(os.path.getsize(os.path.join(corpus, f)) for f in os.listdir(corpus))
        rows = []
        t, m = measure([chartgen, "lint", "--parse-only", corpus], args.runs)
        rows.append(("parse floor (`lint --parse-only`)", args.objects, t, m))
        floor = t
        t, m = measure([chartgen, "lint", "--format", "json", *no_config, corpus], args.runs)
        rows.append(("chartgen lint (all rules, json)", args.objects, t, m))
        lint_time = t
        t, m = measure([chartgen, "lint", *no_config, corpus], args.runs)
        rows.append(("chartgen lint (all rules, human)", args.objects, t, m))
        findings, _ = json_summary([chartgen, "lint", "--format", "json", *no_config, corpus])
        flagged = {(f["file"], f["object"]["kind"], f["object"]["name"]) for f in findings if f.get("object")}
        secrets_found = sum(1 for f in findings if f["rule"] == "plaintext-secret")

        # One large file: human output (snippets) against JSON on the same findings.
        large = os.path.join(work, "large.yaml")
        large_docs, large_stats = objects(args.large_objects, seed=7)
        with open(large, "w") as f:
            f.write("---\n".join(large_docs))
        large_rows = []
        for fmt in ("json", "human"):
            t, m = measure([chartgen, "lint", "--format", fmt, *no_config, large], args.runs)
            out = subprocess.run([chartgen, "lint", "--format", fmt, *no_config, large], capture_output=True)
            large_rows.append((fmt, t, m, len(out.stdout)))
        large_findings, _ = json_summary([chartgen, "lint", "--format", "json", *no_config, large])

        # Chart mode: copies of the committed charts, each rendered by Helm 4 (default values and ci/ values).
        charts = os.path.join(work, "charts")
        chart_count = copy_charts(charts, args.chart_copies)
        helm_env = dict(os.environ, HELM=helm)
        chart_cmd = [chartgen, "lint", "--format", "json", *no_config, charts]
        chart_time, chart_mem = measure(chart_cmd, args.runs, env=helm_env)
        chart_findings, chart_summary = json_summary(chart_cmd, env=helm_env)

        # One argo-cd-shaped chart rendered once, then 10 times (defaults and 9 ci/ files): peak memory.
        render_rows = []
        for ci_files in (0, 9):
            chart = os.path.join(work, f"many-renders-{ci_files}")
            many_renders_chart(chart, ci_files)
            cmd = [chartgen, "lint", "--format", "json", *no_config, chart]
            t, m = measure(cmd, args.runs, env=helm_env)
            render_findings, _ = json_summary(cmd, env=helm_env)
            render_rows.append((1 + ci_files, t, m, len(render_findings)))
        chart_mb = os.path.getsize(os.path.join(work, "many-renders-0", "templates", "crd.yaml")) / 1e6

        checkov_rate = None
        if not args.skip_checkov:
            checkov_objects = args.checkov_objects or args.objects
            checkov_dir = corpus
            if checkov_objects < args.objects:
                checkov_dir = os.path.join(work, "checkov-subset")
                generate(checkov_dir, checkov_objects)
            env = dict(os.environ, CHECKOV_RUN_SCA_PACKAGE_SCAN_V2="false", BC_SKIP_MAPPING="TRUE")
            t, m = measure([checkov, "-d", checkov_dir, "--framework", "kubernetes", "--quiet", "--compact", "-o",
                            "json", "--skip-download"], 1, env=env)
            label = "same files" if checkov_dir == corpus else f"{checkov_objects}-object subset"
            rows.append((f"checkov 3.3.30 ({label})", checkov_objects, t, m))
            checkov_rate = checkov_objects / t

        print(f"Corpus: {args.objects} objects in {files} files, {size / 1e6:.1f} MB; "
              f"{os.cpu_count()} cores; best of {args.runs} runs (checkov: 1 run).")
        print(f"{stats['broken']} objects ({100 * stats['broken'] / args.objects:.1f}%) are deliberately broken; "
              f"chartgen flags {len(flagged)} objects with {len(findings)} findings, and finds "
              f"{secrets_found} of the {stats['planted']} planted tokens.\n")
        print("| Run | Objects | Wall time | Objects/s | Peak RSS |")
        print("|---|---:|---:|---:|---:|")
        for name, n, t, m in rows:
            print(f"| {name} | {n:,} | {t:.3f} s | {n / t:,.0f} | {m:,.0f} MiB |")
        lint_rate = args.objects / lint_time
        print(f"\nchartgen lint / parse floor: {lint_time / floor:.2f}x the time (target: within 2x)")
        if checkov_rate:
            print(f"chartgen lint vs checkov: {lint_rate / checkov_rate:,.0f}x faster per object "
                  "(target: at least 100x)")

        print(f"\nOne file of {args.large_objects:,} objects ({os.path.getsize(large) / 1e6:.1f} MB, "
              f"{len(large_findings):,} findings):\n")
        print("| Format | Wall time | Peak RSS | Output |")
        print("|---|---:|---:|---:|")
        for fmt, t, m, out_bytes in large_rows:
            print(f"| {fmt} | {t:.3f} s | {m:,.0f} MiB | {out_bytes / 1e6:.2f} MB |")
        ratio = large_rows[1][1] / large_rows[0][1]
        verdict = "ok" if ratio <= 2 else "NOT MET"
        print(f"\nhuman / json: {ratio:.2f}x the time (target: within 2x: {verdict})")

        print(f"\nChart mode: {chart_count} charts (the {chart_count // args.chart_copies} committed charts, "
              f"{args.chart_copies} copies each, every folder named differently), rendered by Helm 4 with "
              f"default and ci/ values: {chart_summary['objects']:,} objects, {len(chart_findings)} findings, "
              f"{chart_time:.2f} s ({chart_time / chart_count * 1000:.0f} ms per chart), "
              f"peak RSS {chart_mem:,.0f} MiB (the larger of chartgen and its helm subprocesses: wait4 counts "
              "reaped children).")

        print(f"\nOne argo-cd-shaped chart ({chart_mb:.1f} MB of CRDs, 60 workload objects), rendered once and "
              "then with 9 ci/ values files:\n")
        print("| Renders | Wall time | Peak RSS (chartgen or a helm child) | Findings |")
        print("|---:|---:|---:|---:|")
        for renders, t, m, n in render_rows:
            print(f"| {renders} | {t:.3f} s | {m:,.0f} MiB | {n:,} |")
        growth = render_rows[1][2] / render_rows[0][2]
        verdict = "ok" if growth <= 1.5 else "NOT MET"
        print(f"\n10 renders / 1 render: {growth:.2f}x the peak memory (renders are streamed; target: within "
              f"1.5x: {verdict})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

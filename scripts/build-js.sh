#!/usr/bin/env bash
# Build the JavaScript API (issue 10) offline: the pillarlint-js crate to wasm, then
# wasm-bindgen glue for browsers/bundlers (--target web) and for Node (--target nodejs).
#   dist/js/web/pillarlint_js.js   + pillarlint_js_bg.wasm + pillarlint_js.d.ts
#   dist/js/node/pillarlint_js.js  + pillarlint_js_bg.wasm + pillarlint_js.d.ts
# wasm-bindgen (CLI) must match the crate's pinned wasm-bindgen (=0.2.130).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/node_modules/.bin:$PATH"

want=0.2.130
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "build-js: wasm-bindgen $want is required (found '${have:-none}')" >&2
  exit 2
fi

target_dir=${CARGO_TARGET_DIR:-target}
cargo build -p pillarlint-js --target wasm32-unknown-unknown --release
wasm="$target_dir/wasm32-unknown-unknown/release/pillarlint_js.wasm"

out=${JS_OUT:-dist/js}
rm -rf "$out"
wasm-bindgen --target web --remove-name-section --remove-producers-section --out-dir "$out/web" "$wasm"
wasm-bindgen --target nodejs --remove-name-section --remove-producers-section --out-dir "$out/node" "$wasm"

if command -v wasm-opt >/dev/null 2>&1; then
  for f in "$out/web/pillarlint_js_bg.wasm" "$out/node/pillarlint_js_bg.wasm"; do
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int -o "$f.opt" "$f"
    # Keep the optimised file only when it is smaller over the wire.
    if [ "$(gzip -9 -c "$f.opt" | wc -c)" -lt "$(gzip -9 -c "$f" | wc -c)" ]; then
      mv "$f.opt" "$f"
    else
      rm -f "$f.opt"
    fi
  done
fi

raw=$(stat -c %s "$out/web/pillarlint_js_bg.wasm")
gz=$(cat "$out/web/pillarlint_js_bg.wasm" "$out/web/pillarlint_js.js" | gzip -9 | wc -c)
echo "build-js: $out/web: wasm $((raw / 1024)) KiB raw; wasm+js $((gz / 1024)) KiB gzip"

#!/usr/bin/env bash
# Build the JavaScript API (issue 10) offline: the pillarlint-js crate to wasm, then
# wasm-bindgen glue for browsers/bundlers (--target web) and for Node (--target nodejs).
#   dist/js/web/pillarlint_js.js   + pillarlint_js_bg.wasm + pillarlint_js.d.ts
#   dist/js/node/pillarlint_js.js  + pillarlint_js_bg.wasm + pillarlint_js.d.ts
#   dist/js/widget/pillarlint_js.js + pillarlint_js_bg.wasm  the <pillarlint-diagram> build
#       (feature `widget`: no rules(), no rule docs, no Terraform reader; its own target dir so the two builds
#       do not evict each other from the cache)
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
out=${JS_OUT:-dist/js}
rm -rf "$out"

# wasm-opt -Oz, kept only when it is smaller over the wire.
shrink() {
  command -v wasm-opt >/dev/null 2>&1 || return 0
  local f=$1
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int -o "$f.opt" "$f"
  if [ "$(gzip -9 -c "$f.opt" | wc -c)" -lt "$(gzip -9 -c "$f" | wc -c)" ]; then
    mv "$f.opt" "$f"
  else
    rm -f "$f.opt"
  fi
}

cargo build -p pillarlint-js --target wasm32-unknown-unknown --release
wasm="$target_dir/wasm32-unknown-unknown/release/pillarlint_js.wasm"
wasm-bindgen --target web --remove-name-section --remove-producers-section --out-dir "$out/web" "$wasm"
wasm-bindgen --target nodejs --remove-name-section --remove-producers-section --out-dir "$out/node" "$wasm"
shrink "$out/web/pillarlint_js_bg.wasm"
shrink "$out/node/pillarlint_js_bg.wasm"

# without the Terraform reader (about 70 KB gzip, beyond the widget's budget): Terraform
# input gets an error saying so
cargo build -p pillarlint-js --no-default-features --features widget --target wasm32-unknown-unknown --release --target-dir "$target_dir/widget"
wasm="$target_dir/widget/wasm32-unknown-unknown/release/pillarlint_js.wasm"
wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section --out-dir "$out/widget" "$wasm"
shrink "$out/widget/pillarlint_js_bg.wasm"

raw=$(stat -c %s "$out/web/pillarlint_js_bg.wasm")
gz=$(cat "$out/web/pillarlint_js_bg.wasm" "$out/web/pillarlint_js.js" | gzip -9 | wc -c)
echo "build-js: $out/web: wasm $((raw / 1024)) KiB raw; wasm+js $((gz / 1024)) KiB gzip"

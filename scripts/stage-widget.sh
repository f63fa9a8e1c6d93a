#!/usr/bin/env bash
# Trunk post_build hook (issue 10): put the JS API and the <pillarlint-diagram> web component
# next to the app, so every `trunk build` dist/ holds
#   js/web/  pillarlint_js.js + pillarlint_js_bg.wasm + .d.ts   (ES module, --target web)
#   js/node/ the Node (CommonJS) variant
#   widget/pillarlint-widget.js  (imports ../js/web/pillarlint_js.js)
#   widget/example.yaml          (core/examples/bookstore.sam.yaml, for template-src)
#   embed-example.html           (both usages)
# Outside Trunk it writes to dist/ (or its first argument).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${TRUNK_STAGING_DIR:-${1:-$ROOT/dist}}
cd "$ROOT"
JS_OUT="$OUT/js" scripts/build-js.sh
mkdir -p "$OUT/widget"
cp static/widget/pillarlint-widget.js "$OUT/widget/"
cp core/examples/bookstore.sam.yaml "$OUT/widget/example.yaml"
cp static/widget/embed-example.html "$OUT/embed-example.html"
gz=$(cat "$OUT/js/web/pillarlint_js_bg.wasm" "$OUT/js/web/pillarlint_js.js" "$OUT/widget/pillarlint-widget.js" | gzip -9 | wc -c)
echo "stage-widget: widget wasm+js $((gz / 1024)) KiB gzip (budget 400)"

#!/usr/bin/env bash
# Trunk post_build hook (issue 10): put the JS API and the <pillarlint-diagram> web component
# next to the app, so every `trunk build` dist/ holds
#   js/web/  pillarlint_js.js + pillarlint_js_bg.wasm + .d.ts   (ES module, --target web)
#   js/node/ the Node (CommonJS) variant
#   widget/pillarlint-widget.js  (imports ../js/widget/pillarlint_js.js, the lean build)
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
gz=0
for f in "$OUT/js/widget/pillarlint_js_bg.wasm" "$OUT/js/widget/pillarlint_js.js" "$OUT/widget/pillarlint-widget.js"; do
  gz=$((gz + $(gzip -9 -c "$f" | wc -c)))
done
echo "stage-widget: widget wasm + js ${gz} B gzip, each file compressed alone as a server sends it (budget 400 KB)"

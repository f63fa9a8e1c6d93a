#!/usr/bin/env bash
# Trunk post_build hook: the pages that are not the app, each with a bundle of its own built
# from the web crate's binaries, so the app's users never download them and embedders do not
# download the app:
#   embed.html + embed/   the read-only embed view for <iframe>s   (bin pillarlint-embed)
#   bench.html + bench/   the in-browser benchmark                (bin pillarlint-bench)
#   rules.html + rules/   the rule pages                          (bin pillarlint-rules)
#   share/                the share dialog and the exports, loaded by the app after its
#                         first diagram (bin pillarlint-share; no page of its own)
# then the service worker's file list (scripts/offline_list.py: the app and the rule pages).
# Same features and profile as the app; run after `. scripts/wasm-env.sh` like every release
# Wasm build. Outside Trunk it writes to dist/ (or its first argument).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${TRUNK_STAGING_DIR:-${1:-$ROOT/dist}}
cd "$ROOT"
export PATH="$PWD/.tools/node_modules/.bin:$PATH"
target_dir=${CARGO_TARGET_DIR:-target}
cargo build -p pillarlint-web --features lean --bin pillarlint-embed --bin pillarlint-bench --bin pillarlint-rules \
  --bin pillarlint-share \
  --target wasm32-unknown-unknown --release
for page in embed bench rules; do
  rm -rf "${OUT:?}/$page" && mkdir -p "$OUT/$page"
  wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
    --out-dir "$OUT/$page" "$target_dir/wasm32-unknown-unknown/release/pillarlint-$page.wasm"
  wasm="$OUT/$page/pillarlint-${page}_bg.wasm"
  if command -v wasm-opt >/dev/null 2>&1; then
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int -o "$wasm" "$wasm"
  fi
  cp "static/$page/boot.js" static/css/app.css static/css/share.css "$OUT/$page/"
  # the page is index.html's head (one CSP for every page) with this page's title, styles
  # and loader instead of Trunk's links
  python3 - "$page" "$OUT/$page.html" <<'PY'
import re, sys
page, out = sys.argv[1], sys.argv[2]
title = {"embed": "pillarlint — service diagram", "bench": "Benchmark — pillarlint",
         "rules": "Rules — pillarlint"}[page]
html = open("static/index.html", encoding="utf-8").read()
html = re.sub(r"<title>.*?</title>", f"<title>{title}</title>", html)
html = re.sub(r"\s*<link data-trunk [^>]*/>", "", html)
links = (f'\n    <link rel="stylesheet" href="{page}/app.css" />'
         f'\n    <link rel="stylesheet" href="{page}/share.css" />'
         f'\n    <script type="module" src="{page}/boot.js"></script>')
html = re.sub(r"\n[ \t]*\n", "\n", html.replace("</head>", links + "\n  </head>", 1))
open(out, "w", encoding="utf-8").write(html)
PY
  gz=0
  for f in "$wasm" "$OUT/$page/pillarlint-$page.js" "$OUT/$page"/*.css "$OUT/$page/boot.js"; do
    gz=$((gz + $(gzip -9 -c "$f" | wc -c)))
  done
  echo "build-pages: $page.html: wasm + js + css ${gz} B gzip, each file compressed alone"
done
rm -rf "${OUT:?}/share" && mkdir -p "$OUT/share"
wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
  --out-dir "$OUT/share" "$target_dir/wasm32-unknown-unknown/release/pillarlint-share.wasm"
if command -v wasm-opt >/dev/null 2>&1; then
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    -o "$OUT/share/pillarlint-share_bg.wasm" "$OUT/share/pillarlint-share_bg.wasm"
fi
cp static/share/boot.js "$OUT/share/"
gz=0
for f in "$OUT/share"/*; do gz=$((gz + $(gzip -9 -c "$f" | wc -c))); done
echo "build-pages: share/ (loaded after the first diagram): ${gz} B gzip, each file compressed alone"
python3 scripts/offline_list.py "$OUT"

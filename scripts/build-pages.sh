#!/usr/bin/env bash
# Trunk post_build hook: the pages that are not the app, each with a bundle of its own built
# from the web crate's binaries, so the app's users never download them and embedders do not
# download the app:
#   embed.html + embed/           the read-only embed view for <iframe>s   (bin pillarlint-embed)
#   bench.html + bench/           the in-browser benchmark                (bin pillarlint-bench)
#   terraform.html + terraform/   the app with the Terraform reader       (bin pillarlint-web)
#   rules.html + rules/           the rule pages                          (bin pillarlint-rules)
#   share/                        the share dialog and the exports, loaded by the app after its
#                                 first diagram (bin pillarlint-share; no page of its own)
#   terraform/share/              the same for terraform.html, with the Terraform reader (the
#                                 exports analyse the text again)
# then the service worker's file list (scripts/offline_list.py: the app, the rule pages and
# terraform.html).
# The app's first bundle (index.html) leaves the Terraform reader out for its size budget and
# moves to terraform.html when given Terraform (web/src/terraform.rs) or an app of several
# files (web/src/appdoc.rs); the embed, bench and terraform pages have both: `lean` +
# `terraform` + `apps`, in a target directory of their own (the
# app's Trunk build keeps its cache). The rule pages and share/ are built like the app
# (`lean`). Same profile as the app; run after `. scripts/wasm-env.sh` like every release
# Wasm build. Outside Trunk it writes to dist/ (or its first argument).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${TRUNK_STAGING_DIR:-${1:-$ROOT/dist}}
cd "$ROOT"
export PATH="$PWD/.tools/node_modules/.bin:$PATH"
target_dir=${CARGO_TARGET_DIR:-target}
pages_dir=$target_dir/pages
cargo build -p pillarlint-web --features lean --bin pillarlint-rules --bin pillarlint-share \
  --target wasm32-unknown-unknown --release
cargo build -p pillarlint-web --features lean,full --bin pillarlint-embed --bin pillarlint-bench \
  --bin pillarlint-web --bin pillarlint-share --target wasm32-unknown-unknown --release \
  --target-dir "$pages_dir"
for page in embed bench terraform rules; do
  bin=pillarlint-$page
  [ "$page" = terraform ] && bin=pillarlint-web
  dir=$pages_dir
  [ "$page" = rules ] && dir=$target_dir
  rm -rf "${OUT:?}/$page" && mkdir -p "$OUT/$page"
  wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
    --out-dir "$OUT/$page" "$dir/wasm32-unknown-unknown/release/$bin.wasm"
  wasm="$OUT/$page/${bin}_bg.wasm"
  if command -v wasm-opt >/dev/null 2>&1; then
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int -o "$wasm" "$wasm"
  fi
  cp "static/$page/boot.js" static/css/app.css static/css/share.css "$OUT/$page/"
  # terraform.html is the whole app: the editor's styles too
  [ "$page" = terraform ] && cp static/css/editor.css "$OUT/$page/"
  # the page is index.html's head (one CSP for every page) with this page's title, styles
  # and loader instead of Trunk's links
  python3 - "$page" "$OUT/$page.html" <<'PY'
import re, sys
page, out = sys.argv[1], sys.argv[2]
title = {"embed": "pillarlint — service diagram", "bench": "Benchmark — pillarlint",
         "terraform": "pillarlint — serverless security, drawn", "rules": "Rules — pillarlint"}[page]
html = open("static/index.html", encoding="utf-8").read()
html = re.sub(r"<title>.*?</title>", f"<title>{title}</title>", html)
html = re.sub(r"\s*<link data-trunk [^>]*/>", "", html)
links = (f'\n    <link rel="stylesheet" href="{page}/app.css" />'
         f'\n    <link rel="stylesheet" href="{page}/share.css" />'
         + (f'\n    <link rel="stylesheet" href="{page}/editor.css" />' if page == "terraform" else "")
         + f'\n    <script type="module" src="{page}/boot.js"></script>')
html = re.sub(r"\n[ \t]*\n", "\n", html.replace("</head>", links + "\n  </head>", 1))
open(out, "w", encoding="utf-8").write(html)
PY
  gz=0
  for f in "$wasm" "$OUT/$page/$bin.js" "$OUT/$page"/*.css "$OUT/$page/boot.js"; do
    gz=$((gz + $(gzip -9 -c "$f" | wc -c)))
  done
  echo "build-pages: $page.html: wasm + js + css ${gz} B gzip, each file compressed alone"
done
# the share bundles: share/ for the app and the rule pages, terraform/share/ (with the
# Terraform reader) for terraform.html (web/src/lazy.rs picks by the build's features)
for share in "share:$target_dir" "terraform/share:$pages_dir"; do
  sdir=${share%%:*} from=${share#*:}
  rm -rf "${OUT:?}/$sdir" && mkdir -p "$OUT/$sdir"
  wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
    --out-dir "$OUT/$sdir" "$from/wasm32-unknown-unknown/release/pillarlint-share.wasm"
  if command -v wasm-opt >/dev/null 2>&1; then
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
      -o "$OUT/$sdir/pillarlint-share_bg.wasm" "$OUT/$sdir/pillarlint-share_bg.wasm"
  fi
  # the share dialog's styles come with it (boot.js links them): not in the first load
  cp static/share/boot.js static/css/share.css "$OUT/$sdir/"
  gz=0
  for f in "$OUT/$sdir"/*; do gz=$((gz + $(gzip -9 -c "$f" | wc -c))); done
  echo "build-pages: $sdir/ (loaded after the first diagram): ${gz} B gzip, each file compressed alone"
done
python3 scripts/offline_list.py "$OUT"

#!/usr/bin/env bash
# `make bench`: benchmarks that print figures (no pass/fail). Native analysis of the corpus,
# scaling with size, the diagram's layout quality at the playground's size, the CLI in one
# process (wall time + peak memory), the web bundle's size, analysis and the playground's
# paste-to-painted in the browser (Wasm in headless Chromium), and the peers on the same
# corpus when they can be installed (cfn-lint, cfn-lint-serverless, checkov into .tools/peers).
#   SKIP_PEERS=1 make bench     # skip the peers (they take about two minutes)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$HOME/.cargo/bin:$ROOT/.tools/node_modules/.bin:$PATH"
CORPUS=${PILLARLINT_CORPUS:-$ROOT/../shared/corpus}
# the peers, at the versions the README's comparison was measured with
PEERS="cfn-lint==1.58.0 cfn-lint-serverless==0.3.6 checkov==3.3.30"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
hr() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
echo "pillarlint benchmarks — $(date -u +%Y-%m-%dT%H:%MZ) — $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -m)"

hr "native analysis (release-native profile)"
cargo run -q --profile release-native -p pillarlint-tests --bin bench

hr "Terraform: the HCL reader and module analysis (release-native profile)"
cargo run -q --profile release-native -p pillarlint-tests --bin bench_terraform

hr "diagram layout quality: the ten largest corpus templates and the diagram issue's three (release-native)"
PILLARLINT_CORPUS="$CORPUS" cargo run -q --profile release-native -p pillarlint-tests --bin bench_layout

hr "CLI: pillarlint check --format json over the corpus, one process"
cargo build -q --profile release-native --bin pillarlint
BIN=target/release-native/pillarlint
/usr/bin/time -f "%e s wall, %M KB peak RSS" "$BIN" check --format json --fail-on never "$CORPUS" > "$scratch/ours.json" 2> "$scratch/ours.err" || true
tail -n 1 "$scratch/ours.err"
ours=$(tail -n 1 "$scratch/ours.err" | awk '{print $1}')

hr "web bundle size (dist/)"
# brotli sizes need Python's brotli module: a pinned copy in .tools/py (PyPI) when missing
PY=python3
if ! python3 -c "import brotli" 2>/dev/null; then
  [ -x .tools/py/bin/python ] || python3 -m venv .tools/py
  .tools/py/bin/python -c "import brotli" 2>/dev/null || .tools/py/bin/pip install -q brotli==1.1.0 || true
  .tools/py/bin/python -c "import brotli" 2>/dev/null && PY=.tools/py/bin/python
fi
# brotli -q 11 size of a file, or "-"
brotli_size() {
  "$PY" -c "import brotli,sys; print(len(brotli.compress(open(sys.argv[1],'rb').read(), quality=11)))" "$1" 2>/dev/null || echo "-"
}
if [ -d dist ]; then
  total_raw=0; total_gz=0; total_br=0
  for f in dist/*.wasm dist/*.js dist/*.css; do
    # the service worker is registered after the first diagram: not part of the first load
    [ -f "$f" ] && [ "$(basename "$f")" != sw.js ] || continue
    raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c)
    br=$(brotli_size "$f")
    printf '%-48s %9d B  gzip %8d B  brotli %8s B\n' "$(basename "$f")" "$raw" "$gz" "$br"
    total_raw=$((total_raw+raw)); total_gz=$((total_gz+gz)); [ "$br" = "-" ] || total_br=$((total_br+br))
  done
  [ "$total_br" = 0 ] && total_br="-"
  printf '%-48s %9d B  gzip %8d B  brotli %8s B\n' "total (wasm + js + css)" "$total_raw" "$total_gz" "$total_br"
  # the widget: its lean module, glue and script
  wgz=0; wbr=0
  for f in dist/js/widget/pillarlint_js_bg.wasm dist/js/widget/pillarlint_js.js dist/widget/pillarlint-widget.js; do
    [ -f "$f" ] || continue
    wgz=$((wgz + $(gzip -9 -c "$f" | wc -c)))
    br=$(brotli_size "$f"); [ "$br" = "-" ] || wbr=$((wbr + br))
  done
  [ "$wbr" = 0 ] && wbr="-"
  printf '%-48s %9s    gzip %8d B  brotli %8s B\n' "widget (lean wasm + glue + widget js)" "" "$wgz" "$wbr"
  # terraform.html: the app with the Terraform reader, loaded only when given Terraform
  tgz=0
  for f in dist/terraform/*.wasm dist/terraform/*.js dist/terraform/*.css; do
    [ -f "$f" ] || continue
    tgz=$((tgz + $(gzip -9 -c "$f" | wc -c)))
  done
  printf '%-48s %9s    gzip %8d B\n' "terraform.html (the app with the Terraform reader)" "" "$tgz"
  # loaded after the first diagram: Share and Export (share/), the rule pages (rules/)
  for d in share rules; do
    [ -d "dist/$d" ] || continue
    dgz=0; for f in "dist/$d"/*; do dgz=$((dgz + $(gzip -9 -c "$f" | wc -c))); done
    printf '%-48s %9s    gzip %8d B\n' "$d/ (not in the first load)" "" "$dgz"
  done
else
  echo "no dist/: run 'make web' first"
fi

hr "the editor in the browser (paste and keystroke until painted)"
if [ -f dist/index.html ] && [ -x /usr/bin/chromedriver ]; then
  cargo run -q --profile release-native -p pillarlint-tests --features browser --bin editor_bench || echo "editor bench failed"
fi

hr "in the browser (Wasm in headless Chromium) beside native"
if [ -f dist/index.html ] && [ -x /usr/bin/chromedriver ]; then
  cargo run -q --profile release-native -p pillarlint-tests --features browser --bin browser_bench || echo "browser bench failed"
else
  echo "needs dist/ (make web) and Chromium + ChromeDriver (scripts/bootstrap.sh)"
fi

if [ "${SKIP_PEERS:-0}" != 1 ]; then
  hr "peers on the same corpus (one process each)"
  # shellcheck disable=SC2086
  if ! .tools/peers/bin/pip freeze 2>/dev/null | grep -qx "${PEERS%% *}"; then
    { [ -x .tools/peers/bin/pip ] || python3 -m venv .tools/peers; } && .tools/peers/bin/pip install -q $PEERS || echo "peers could not be installed"
  fi
  files=$(find "$CORPUS" -type f ! -name SOURCES.tsv | sort)
  if [ -x .tools/peers/bin/cfn-lint ]; then
    /usr/bin/time -f "%e" -o "$scratch/cfnlint.t" .tools/peers/bin/cfn-lint --format parseable -- $files > /dev/null 2>&1 || true
    t=$(tail -n 1 "$scratch/cfnlint.t"); echo "cfn-lint: ${t} s  ($(python3 -c "print(f'{float(\"$t\")/float(\"$ours\"):.0f}')" 2>/dev/null || echo ?)x pillarlint)"
  fi
  if [ -x .tools/peers/bin/checkov ]; then
    /usr/bin/time -f "%e" -o "$scratch/checkov.t" .tools/peers/bin/checkov -d "$CORPUS" --quiet --compact -o json > /dev/null 2>&1 || true
    t=$(tail -n 1 "$scratch/checkov.t"); echo "checkov: ${t} s  ($(python3 -c "print(f'{float(\"$t\")/float(\"$ours\"):.0f}')" 2>/dev/null || echo ?)x pillarlint)"
  fi
  echo "cfn-guard: not installable here (no crates.io/PyPI package with its rule registry); issue 9 quotes ~41 s"
fi

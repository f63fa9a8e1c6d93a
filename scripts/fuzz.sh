#!/usr/bin/env bash
# Fuzz the core with cargo fuzz (libFuzzer, nightly toolchain), seeded from the template corpus.
#   scripts/fuzz.sh            # 60 s per target (what `make test` runs when cargo fuzz is there)
#   scripts/fuzz.sh 600        # the longer run: 10 minutes per target
#   scripts/fuzz.sh 600 read   # one target
# A crash leaves its input in fuzz/artifacts/<target>/; turn it into a regression fixture under
# tests/fixtures/fuzz/ (tests/tests/fuzz_regressions.rs replays every file there).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(read analyze permalink)
CORPUS=${PILLARLINT_CORPUS:-$ROOT/../shared/corpus}
for t in "${targets[@]}"; do
  [ -f "fuzz/fuzz_targets/$t.rs" ] || continue
  mkdir -p "fuzz/corpus/$t"
  if [ -z "$(ls -A "fuzz/corpus/$t")" ]; then
    if [ "$t" = permalink ]; then
      cp tests/fixtures/fuzz/seeds/permalink/* "fuzz/corpus/$t/" 2>/dev/null || true
    else
      find "$CORPUS" -type f ! -name SOURCES.tsv -size -64k -exec cp {} "fuzz/corpus/$t/" \;
    fi
  fi
  echo "fuzzing $t for $secs s"
  cargo +nightly fuzz run "$t" "fuzz/corpus/$t" -- -max_total_time="$secs" -max_len=65536 -rss_limit_mb=4096 -timeout=20 -print_final_stats=1 2>&1 \
    | grep -E "stat::number_of_executed_units|stat::peak_rss_mb|Done [0-9]+ runs|ERROR|SUMMARY|crash-|timeout-|oom-" || true
  if ls "fuzz/artifacts/$t"/crash-* "fuzz/artifacts/$t"/timeout-* "fuzz/artifacts/$t"/oom-* >/dev/null 2>&1; then
    echo "fuzz target $t found a failing input in fuzz/artifacts/$t/"; exit 1
  fi
done

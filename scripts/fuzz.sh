#!/usr/bin/env bash
# Fuzz the core with cargo fuzz (libFuzzer + AddressSanitizer), seeded from the template corpus.
# cargo fuzz passes unstable flags (-Zsanitizer=address, coverage options): they are enabled on
# the pinned stable toolchain (fuzz/rust-toolchain.toml) with RUSTC_BOOTSTRAP=1, for these
# builds only, so no nightly is needed. scripts/bootstrap.sh installs cargo-fuzz.
#   scripts/fuzz.sh            # 60 s per target (what `make test` runs)
#   scripts/fuzz.sh 600        # the longer run: 10 minutes per target
#   scripts/fuzz.sh 600 read   # one target (read, analyze, permalink, hcl)
# A crash leaves its input in fuzz/artifacts/<target>/; turn it into a regression fixture under
# tests/fixtures/fuzz/ (tests/tests/fuzz_regressions.rs replays every file there).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
secs=${1:-60}
shift || true
targets=("$@")
export RUSTC_BOOTSTRAP=1
cargo fuzz --version >/dev/null  # fails loudly when cargo-fuzz is missing (run scripts/bootstrap.sh)
[ ${#targets[@]} -gt 0 ] || targets=(read analyze permalink app hcl)
CORPUS=${PILLARLINT_CORPUS:-$ROOT/../shared/corpus}
for t in "${targets[@]}"; do
  [ -f "fuzz/fuzz_targets/$t.rs" ] || { echo "no fuzz target $t in fuzz/fuzz_targets/"; exit 1; }
  mkdir -p "fuzz/corpus/$t"
  if [ -z "$(ls -A "fuzz/corpus/$t")" ]; then
    if [ "$t" = permalink ]; then
      cp tests/fixtures/fuzz/seeds/permalink/* "fuzz/corpus/$t/" 2>/dev/null || true
    elif [ "$t" = hcl ]; then
      find tests/fixtures/terraform-corpus core/tests/fixtures core/examples -type f \
        \( -name '*.tf' -o -name '*.tf.json' \) -size -64k -exec cp {} "fuzz/corpus/$t/" \;
    else
      # apps of several files (`\n--8<--\n` between them; fuzz/fuzz_targets/app.rs)
      [ "$t" = app ] && cp tests/fixtures/fuzz/seeds/app/* "fuzz/corpus/$t/"
      if [ -d "$CORPUS" ]; then
        find "$CORPUS" -type f ! -name SOURCES.tsv -size -64k -exec cp {} "fuzz/corpus/$t/" \;
      fi
      cp core/examples/* "fuzz/corpus/$t/"
    fi
  fi
  echo "fuzzing $t for $secs s"
  mkdir -p fuzz/target
  log="fuzz/target/$t.log"
  # libFuzzer exits non-zero on a crash, a leak, a timeout or an out-of-memory, as cargo does
  # on a build error: any of them fails the run, with the log's tail shown
  if ! cargo fuzz run "$t" "fuzz/corpus/$t" -- -max_total_time="$secs" -max_len=65536 \
      -rss_limit_mb=4096 -timeout=20 -print_final_stats=1 > "$log" 2>&1; then
    tail -n 40 "$log"
    echo "fuzz target $t failed: see $log and fuzz/artifacts/$t/"
    exit 1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb|Done [0-9]+ runs" "$log"
  grep -q "Done [0-9]* runs" "$log" || { tail -n 40 "$log"; echo "fuzz target $t did not run"; exit 1; }
done

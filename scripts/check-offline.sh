#!/usr/bin/env bash
# Proves that the offline builds of a fresh machine resolve from what scripts/bootstrap.sh
# fetches, not from whatever earlier builds left in the Cargo registry (issue 16: both README
# commands once failed on a fresh machine while every test passed on the developer's).
#
# The bootstrap runs with an empty CARGO_HOME (tools it finds on PATH are reused, as on any
# machine that ran it once); then cargo resolves, offline and locked, every workspace an
# offline build reads: the project's (Trunk runs cargo --offline, and so do the JS/widget/page
# builds of its hooks), the standard library's (build-std, scripts/wasm-env.sh) and the fuzz
# targets'. `cargo metadata` reads the manifest of every package in each lock file, so one crate
# missing from the registry fails the check; nothing is compiled.
#
#   scripts/check-offline.sh        # what `make test` runs (bootstrap `all`)
#   scripts/check-offline.sh web    # only what `make serve` needs
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
what=${1:-all}
# the tools the machine already has stay usable; only the registry starts empty
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$HOME/.cargo/bin:$PATH"
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT

CARGO_HOME="$home" scripts/bootstrap.sh "$what"

sysroot=$(rustc --print sysroot)
# each as "directory to run in|manifest": the directory's rust-toolchain.toml picks the cargo
checks=("$ROOT|$ROOT/Cargo.toml" "$ROOT|$sysroot/lib/rustlib/src/rust/library/Cargo.toml")
[ "$what" = all ] && checks+=("$ROOT/fuzz|$ROOT/fuzz/Cargo.toml")
for c in "${checks[@]}"; do
  dir=${c%%|*} m=${c#*|}
  if ! (cd "$dir" && RUSTC_BOOTSTRAP=1 CARGO_HOME="$home" \
      cargo metadata --offline --locked --format-version 1 --manifest-path "$m" > /dev/null); then
    echo "check-offline: $m does not resolve offline from the registry scripts/bootstrap.sh filled" >&2
    exit 1
  fi
  echo "check-offline: resolves offline: $m"
done
echo "check-offline: $(find "$home/registry/cache" -name '*.crate' | wc -l) crates fetched by the bootstrap into an empty registry"

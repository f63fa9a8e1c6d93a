#!/usr/bin/env bash
# Installs what pillarlint's build and tests need, only when missing, at pinned versions.
# Nothing here downloads a prebuilt binary from outside the package registries:
# Rust tools come from crates.io, wasm-opt from npm, Chromium from Debian.
#
#   scripts/bootstrap.sh          # everything (web build + browser tests + fuzzing)
#   scripts/bootstrap.sh web      # what `make serve` needs (no browser)
#
# Whatever is already installed, the last step always fetches every crate an offline build
# needs into the Cargo registry (a no-op when cached): Trunk builds with `cargo --offline`, and
# the release Wasm builds rebuild std (scripts/wasm-env.sh), whose own dependencies come from
# the toolchain's `library/Cargo.lock`. scripts/check-offline.sh proves it from an empty registry.
set -euo pipefail

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132.0.0
# The CDK the tests synthesize their app with (tests/cdk-app, scripts/cdk-synth.sh).
CDK_PACKAGES="aws-cdk-lib@2.278.0 aws-cdk@2.1149.0 constructs@10.8.1 cdk-nag@2.38.2"
CARGO_FUZZ_VERSION=0.13.2
AXE_CORE_VERSION=4.14.1
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TOOLS="$ROOT/.tools"
what=${1:-all}

log() { printf '\033[1mbootstrap:\033[0m %s\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }

# `cargo install` puts tools in $CARGO_HOME/bin (~/.cargo/bin unless CARGO_HOME says otherwise)
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$HOME/.cargo/bin:$TOOLS/node_modules/.bin:$PATH"

# 1. Rust toolchain and wasm32 target, as rust-toolchain.toml pins them.
toolchain=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' "$ROOT/rust-toolchain.toml")
if ! rustup toolchain list | grep -q "^$toolchain"; then
  log "installing Rust $toolchain"
  rustup toolchain install "$toolchain" --profile minimal --component rustfmt,clippy,rust-src
fi
# rust-src: release Wasm builds rebuild std for size (scripts/wasm-env.sh)
if ! rustup component list --installed --toolchain "$toolchain" | grep -q '^rust-src'; then
  log "adding the rust-src component"
  rustup component add --toolchain "$toolchain" rust-src
fi
if ! rustup target list --installed --toolchain "$toolchain" | grep -q wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add --toolchain "$toolchain" wasm32-unknown-unknown
fi

# 2. wasm-bindgen CLI at exactly the version Cargo.lock resolves.
wbg=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' "$ROOT/Cargo.lock")
if [ -z "$wbg" ]; then log "cannot find wasm-bindgen in Cargo.lock"; exit 1; fi
if ! wasm-bindgen --version 2>/dev/null | grep -q " $wbg\$"; then
  log "installing wasm-bindgen-cli $wbg (a few minutes)"
  # Not --locked: its lockfile pins a webpki-roots release missing from the registry here.
  cargo +"$toolchain" install wasm-bindgen-cli --version "$wbg" --force
fi

# 3. Trunk (about 20 minutes to build on 2 cores: never reinstall a present one).
if ! trunk --version 2>/dev/null | grep -q "^trunk $TRUNK_VERSION\$"; then
  log "installing trunk $TRUNK_VERSION (about 20 minutes on 2 cores)"
  cargo +"$toolchain" install trunk --version "$TRUNK_VERSION" --locked --force
fi

# 4. wasm-opt from npm's binaryen (Debian's binaryen 108 cannot read rustc 1.95's output).
if ! "$TOOLS/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
  if ! have npm; then
    log "installing Node.js and npm from Debian"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  fi
  log "installing binaryen@$BINARYEN_VERSION (wasm-opt) from npm into .tools/"
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error "binaryen@$BINARYEN_VERSION" >/dev/null
fi

# 5. Chromium and ChromeDriver for the browser tests.
if [ "$what" = all ]; then
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    log "installing chromium and chromium-driver from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  # GNU time: peak memory in `make bench`
  if [ ! -x /usr/bin/time ]; then
    log "installing GNU time from Debian"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
  fi
  if ! have node; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs >/dev/null
  fi
  # 6. The AWS CDK (library, CLI, constructs, cdk-nag) at pinned versions, from npm into
  #    .tools/: tests/tests/cdk_synth.rs synthesizes tests/cdk-app with it (no AWS account).
  for pkg in $CDK_PACKAGES; do
    name=${pkg%@*}; want=${pkg##*@}
    have_version=$(node -p "require('$TOOLS/node_modules/$name/package.json').version" 2>/dev/null || true)
    if [ "$have_version" != "$want" ]; then
      log "installing $CDK_PACKAGES from npm into .tools/"
      mkdir -p "$TOOLS"
      npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error $CDK_PACKAGES >/dev/null
      break
    fi
  done
  # axe-core for the browser tests' accessibility checks (tests/tests/browser_web.rs injects
  # .tools/node_modules/axe-core/axe.min.js; the test fails when it is missing)
  if ! grep -qs "\"version\": \"$AXE_CORE_VERSION\"" "$TOOLS/node_modules/axe-core/package.json"; then
    log "installing axe-core@$AXE_CORE_VERSION from npm into .tools/"
    mkdir -p "$TOOLS"
    npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error "axe-core@$AXE_CORE_VERSION" >/dev/null
  fi
  # 7. cargo-fuzz for the test run's fuzzing step (scripts/fuzz.sh; half a minute to build).
  if ! cargo fuzz --version 2>/dev/null | grep -q " $CARGO_FUZZ_VERSION\$"; then
    log "installing cargo-fuzz $CARGO_FUZZ_VERSION"
    cargo +"$toolchain" install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --force
  fi
fi

# 8. Every crate an offline build needs, every time (each fetch is a no-op when cached):
#    the workspace (Trunk runs cargo --offline; the JS API, widget and page builds of its hooks
#    are workspace crates too), the standard library's own dependencies for build-std, and the
#    fuzz targets' workspace.
sysroot=$(cd "$ROOT" && rustc --print sysroot)
log "fetching the crates offline builds need (workspace, std's library/Cargo.lock, fuzz)"
(cd "$ROOT" && cargo fetch --locked --quiet)
(cd "$ROOT" && RUSTC_BOOTSTRAP=1 cargo fetch --locked --quiet --manifest-path "$sysroot/lib/rustlib/src/rust/library/Cargo.toml")
if [ "$what" = all ]; then
  (cd "$ROOT/fuzz" && cargo fetch --locked --quiet)
fi

log "ready: $(trunk --version), wasm-bindgen $wbg, $("$TOOLS/node_modules/.bin/wasm-opt" --version)"

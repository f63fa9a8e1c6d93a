# shellcheck shell=bash
# Sourced before every release Wasm build (`trunk build|serve --release`, and the JS API and
# widget builds its post-build hook runs): the standard library is rebuilt for size.
#
#   build-std + optimize_for_size   std's size-optimised algorithms, compiled with our profile
#                                   (opt-level z, LTO) instead of the prebuilt speed-tuned copy
#   -Cpanic=immediate-abort         a panic traps at once: no panic message formatting and no
#                                   file/line tables in the bundle (the app never relies on a
#                                   panic message: user input never panics, see core's tests)
#
# Together these cut the app's wasm by about 8 % gzip (README, Benchmarks). Both are unstable
# cargo/rustc options, enabled on the pinned stable toolchain with RUSTC_BOOTSTRAP=1, scoped
# to these builds only: native builds, tests and the CLI use plain stable. They need the
# toolchain's `rust-src` component (rust-toolchain.toml lists it; scripts/bootstrap.sh checks).
# To build without them (say, a toolchain that dropped the flags), set PILLARLINT_PLAIN_STD=1.
if [ "${PILLARLINT_PLAIN_STD:-0}" != 1 ]; then
  export RUSTC_BOOTSTRAP=1
  export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort"
fi

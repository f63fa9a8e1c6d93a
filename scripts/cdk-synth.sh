#!/usr/bin/env bash
# Synthesize the tests' CDK app (tests/cdk-app/app.js) with the pinned AWS CDK in .tools/
# (scripts/bootstrap.sh installs it). No AWS account and no network: no version check, no
# notices, no telemetry, no version-reporting resource; CDK's own template validation is
# skipped (pillarlint is the one checking here).
#
#   scripts/cdk-synth.sh DIR        # write the cloud assembly to DIR (tests/tests/cdk_synth.rs)
#   scripts/cdk-synth.sh --fixture  # refresh core/tests/app-fixtures/cdk.out from it
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TOOLS="$ROOT/.tools"
CDK="$TOOLS/node_modules/.bin/cdk"
if [ ! -x "$CDK" ] || [ ! -d "$TOOLS/node_modules/aws-cdk-lib" ]; then
  echo "cdk-synth: the AWS CDK is not installed in .tools/; run scripts/bootstrap.sh" >&2
  exit 1
fi
fixture=""
out=${1:?usage: scripts/cdk-synth.sh DIR | --fixture}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
if [ "$out" = --fixture ]; then
  fixture="$ROOT/core/tests/app-fixtures/cdk.out"
  out="$scratch/cdk.out"
fi
export CDK_DISABLE_VERSION_CHECK=1 CDK_DISABLE_CLI_TELEMETRY=true CDK_VALIDATION=false
export NODE_PATH="$TOOLS/node_modules" CDK_HOME="$scratch/cdk-home"
cd "$ROOT/tests/cdk-app"
"$CDK" synth --app "node app.js" --output "$out" --no-notices --no-version-reporting --quiet
if [ -n "$fixture" ]; then
  rm -rf "$fixture"
  mkdir -p "$fixture"
  # Creation stacks name the app by its absolute path: keep them relative to tests/cdk-app.
  for f in "$out"/*; do
    sed "s#$ROOT/tests/cdk-app/##g" "$f" >"$fixture/$(basename "$f")"
  done
  echo "cdk-synth: wrote $(ls "$fixture" | wc -l) files to ${fixture#"$ROOT"/}"
fi

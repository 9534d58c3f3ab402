#!/usr/bin/env bash
# Runs every test tier: build, type check, lint, unit and integration tests (real SDKs against the
# scripted model server, a real Docker engine). It installs what it needs; with CI=true a missing
# prerequisite is installed or the run fails saying what is missing. No tier is skipped silently.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

echo "== build"
node scripts/build.mjs
echo "== type check"
npx tsc -p tsconfig.json --noEmit
echo "== lint (includes the core layering rule)"
npx eslint src test bench scripts

if [ -f scripts/ensure-docker.sh ]; then
  echo "== docker engine and test images"
  bash scripts/ensure-docker.sh
fi

echo "== unit and integration tests"
npx vitest run

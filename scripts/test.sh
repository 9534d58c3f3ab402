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

echo "== ripgrep (grep's fast path; its tests compare it with the JS fallback)"
if ! command -v rg >/dev/null 2>&1; then
  if [ "${CI:-}" = "true" ] || [ "$(id -u)" = "0" ]; then
    apt-get update -qq && apt-get install -y -qq ripgrep >/dev/null
  else
    echo "ripgrep (rg) is missing: install it (apt-get install ripgrep) and run again" >&2
    exit 1
  fi
fi

echo "== docker engine and test images"
bash scripts/ensure-docker.sh

echo "== unit and integration tests"
npx vitest run

echo "== end-to-end tests in a real VS Code (code-server + Chromium, scripted model server, Docker sandbox)"
bash scripts/ensure-e2e.sh && npx vitest run -c vitest.e2e.config.mts

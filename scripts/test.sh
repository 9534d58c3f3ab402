#!/usr/bin/env bash
# Runs every test tier: build, type check, lint, unit and integration tests (real SDKs against the
# scripted model server, a real Docker engine), then the end-to-end tier in a real VS Code. It installs
# what it needs; where it may not (not root, no CI=true) it fails saying what is missing. No tier is
# skipped silently. Services it starts for the tests (dockerd) are stopped again when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."

services_dir="$(mktemp -d)"
export AGENT_HARNESS_DOCKERD_STARTED="$services_dir/dockerd.pid"
stop_services() {
  local status=$?
  if [ -s "$AGENT_HARNESS_DOCKERD_STARTED" ]; then
    local pid
    pid="$(cat "$AGENT_HARNESS_DOCKERD_STARTED")"
    echo "== stopping the dockerd this run started (pid $pid)"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  fi
  rm -rf "$services_dir"
  exit "$status"
}
trap stop_services EXIT

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
bash scripts/ensure-e2e.sh
npx vitest run -c vitest.e2e.config.mts

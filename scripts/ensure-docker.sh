#!/usr/bin/env bash
# Makes sure a Docker engine answers and the offline test image exists, so the sandbox integration
# tests run on a real engine.
#
# Who may install or start the engine: root (the machines this project is tested on, CI among them,
# run as root; `npm test` already installs ripgrep and Chromium with apt-get there), or anyone with
# CI=true. A non-root developer is told what is missing instead: installing a daemon on their machine
# is not our call.
#
# Idempotent: when the engine answers and the image exists it does nothing but check (well under a second).
#
# Environment:
#   AGENT_HARNESS_DOCKERD_STARTED    a file: when this script starts dockerd it writes the daemon's pid
#                                    there, so the caller (scripts/test.sh) stops it again afterwards
#   AGENT_HARNESS_DOCKERD_LOG        where dockerd writes its log (default /tmp/agent-harness-dockerd.log)
#   AGENT_HARNESS_TEST_IMAGE         the test image name (default agent-harness-test/busybox:1)
set -euo pipefail

TEST_IMAGE="${AGENT_HARNESS_TEST_IMAGE:-agent-harness-test/busybox:1}"
DOCKERD_LOG="${AGENT_HARNESS_DOCKERD_LOG:-/tmp/agent-harness-dockerd.log}"
SOCKET=/var/run/docker.sock

say() { printf 'ensure-docker: %s\n' "$*" >&2; }
fail() { say "$*"; exit 1; }

may_install() {
  [ "${CI:-}" = "true" ] && return 0
  [ "$(id -u)" = "0" ] && return 0
  return 1
}

apt_updated=0
apt_install() {
  [ "$(id -u)" = "0" ] || fail "installing $* needs root (apt-get); run as root or install it yourself"
  if [ "$apt_updated" = 0 ]; then
    say "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    apt_updated=1
  fi
  say "apt-get install -y $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

engine_answers() { docker info >/dev/null 2>&1; }

dockerd_running() {
  local pid
  if [ -r /var/run/docker.pid ]; then
    pid="$(cat /var/run/docker.pid 2>/dev/null || true)"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && return 0
  fi
  if command -v pgrep >/dev/null 2>&1; then
    pgrep -x dockerd >/dev/null 2>&1 && return 0
  fi
  return 1
}

ensure_engine() {
  engine_answers && return 0

  if ! may_install; then
    if ! command -v docker >/dev/null 2>&1; then
      fail "Docker is not installed (no 'docker' command). Install docker.io (apt-get install -y docker.io) and start dockerd, or rerun as root to let this script do it."
    fi
    fail "Docker is installed but the engine does not answer ('docker info' failed). Start it (e.g. 'sudo dockerd'), or rerun as root to let this script start it."
  fi

  # The client may exist on its own (a static docker CLI); the engine comes with docker.io.
  if ! command -v dockerd >/dev/null 2>&1; then
    apt_install docker.io
  fi
  command -v dockerd >/dev/null 2>&1 || fail "dockerd is still missing after installing docker.io"
  command -v docker >/dev/null 2>&1 || fail "the docker client is missing after installing docker.io"

  # Another dockerd may already be starting (a parallel run); only start one when none is running.
  if ! dockerd_running; then
    say "starting dockerd (log: $DOCKERD_LOG)"
    setsid dockerd >"$DOCKERD_LOG" 2>&1 < /dev/null &
    [ -n "${AGENT_HARNESS_DOCKERD_STARTED:-}" ] && echo "$!" >"$AGENT_HARNESS_DOCKERD_STARTED"
  fi

  local waited=0
  until [ -S "$SOCKET" ] && engine_answers; do
    if [ "$waited" -ge 60 ]; then
      tail -n 20 "$DOCKERD_LOG" >&2 2>/dev/null || true
      fail "dockerd did not answer within 30 s; see $DOCKERD_LOG"
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
  say "engine is up"
}

find_busybox_static() {
  # Debian's busybox-static installs the static binary as /bin/busybox; make sure it really is static
  # (a dynamic busybox would not run in an empty rootfs).
  local candidate
  for candidate in /bin/busybox /usr/bin/busybox; do
    if [ -x "$candidate" ] && ! ldd "$candidate" >/dev/null 2>&1; then
      printf '%s' "$candidate"
      return 0
    fi
  done
  return 1
}

ensure_test_image() {
  if docker image inspect "$TEST_IMAGE" >/dev/null 2>&1; then
    return 0
  fi

  local busybox
  if ! busybox="$(find_busybox_static)"; then
    may_install || fail "busybox-static is needed to build $TEST_IMAGE offline; install it (apt-get install -y busybox-static) or rerun as root."
    apt_install busybox-static
    busybox="$(find_busybox_static)" || fail "no static busybox found after installing busybox-static"
  fi

  say "building $TEST_IMAGE from $busybox"
  build_root="$(mktemp -d)"
  trap 'rm -rf "$build_root"' EXIT
  local root="$build_root"
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,home/agent,workspace,root,proc,sys,dev}
  cp "$busybox" "$root/bin/busybox"
  # Every applet as a symlink, so `sh`, `sleep`, `timeout`, `kill`, `setsid`, `wget` ... exist by name.
  local applet
  for applet in $("$busybox" --list); do
    [ "$applet" = busybox ] && continue
    ln -sf /bin/busybox "$root/bin/$applet"
  done
  # A non-root user exists, as in real dev-container images, so the sandbox's user detection has something to find.
  cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
agent:x:1000:1000:agent:/home/agent:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
  cat >"$root/etc/group" <<'EOF'
root:x:0:
agent:x:1000:
nogroup:x:65534:
EOF
  chmod 1777 "$root/tmp"
  chown 1000:1000 "$root/home/agent"
  tar -C "$root" --numeric-owner -c . \
    | docker import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["/bin/sh"]' - "$TEST_IMAGE" >/dev/null
  say "built $TEST_IMAGE"
}

ensure_engine
ensure_test_image

#!/usr/bin/env bash
# A throwaway PostgreSQL for team mode's tests, benchmark and demo fleet: a fresh cluster in DIR on a
# free loopback port, trust authentication, a database named agent_harness. Nothing outside DIR is
# touched; `stop` ends the server (DIR is the caller's to delete).
#
#   scripts/postgres.sh start DIR    starts it and prints its URL (postgres://postgres@127.0.0.1:PORT/agent_harness)
#   scripts/postgres.sh stop DIR     stops it (fast shutdown); a no-op when it is not running
#
# PostgreSQL's server binaries (initdb, pg_ctl) come from PATH, or from /usr/lib/postgresql/*/bin.
# Where they are missing, root or CI=true installs the Debian package; anyone else is told what is
# missing. The server refuses to run as root, so as root it runs as the `postgres` user.
set -euo pipefail

say() { printf 'postgres: %s\n' "$*" >&2; }
fail() { say "$*"; exit 1; }

find_bin_dir() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
    return 0
  fi
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  return 1
}

ensure_binaries() {
  local dir
  if dir="$(find_bin_dir)"; then echo "$dir"; return 0; fi
  if [ "${CI:-}" = "true" ] || [ "$(id -u)" = "0" ]; then
    [ "$(id -u)" = "0" ] || fail "PostgreSQL's server binaries (initdb, pg_ctl) are missing and installing them needs root: apt-get install postgresql"
    say "installing PostgreSQL (apt-get install postgresql)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    dir="$(find_bin_dir)" || fail "PostgreSQL was installed but initdb is still not found"
    echo "$dir"
    return 0
  fi
  fail "PostgreSQL's server binaries (initdb, pg_ctl) are missing: install them (apt-get install postgresql) and run again"
}

# Runs a command as the user that owns the cluster (postgres when we are root).
as_owner() {
  if [ "$(id -u)" = "0" ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

start() {
  local dir="$1" bin port
  bin="$(ensure_binaries)"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  [ -e "$dir/data/PG_VERSION" ] && fail "$dir already holds a cluster; give an empty directory"
  [ "$(id -u)" = "0" ] && { id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres; chown postgres "$dir"; chmod 700 "$dir"; }
  as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; fail "initdb failed"; }
  for attempt in 1 2 3; do
    port="$(free_port)"
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" start >/dev/null; then
      break
    fi
    [ "$attempt" = 3 ] && { tail -20 "$dir/server.log" >&2; fail "the server did not start"; }
  done
  local psql="$bin/psql"
  [ -x "$psql" ] || psql="$(command -v psql)" || fail "psql is missing (apt-get install postgresql-client)"
  as_owner "$psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qAt -c 'CREATE DATABASE agent_harness' >/dev/null
  echo "$port" >"$dir/port"
  echo "postgres://postgres@127.0.0.1:$port/agent_harness"
}

stop() {
  local dir="$1" bin
  [ -e "$dir/data/postmaster.pid" ] || return 0
  bin="$(find_bin_dir)" || return 0
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

case "${1:-}" in
  start) [ -n "${2:-}" ] || fail "usage: postgres.sh start DIR"; start "$2" ;;
  stop) [ -n "${2:-}" ] || fail "usage: postgres.sh stop DIR"; stop "$2" ;;
  *) fail "usage: postgres.sh start DIR | stop DIR" ;;
esac

#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the store tests.
#
#   pg-test-cluster.sh start DIR   start a cluster; write its URL to DIR/url
#   pg-test-cluster.sh stop DIR    stop it and delete its files
#
# The cluster lives in a fresh mktemp directory (named in DIR/cluster), listens
# only on 127.0.0.1 with trust authentication, and runs with fsync off: it
# holds nothing worth keeping. PostgreSQL refuses to run as root, so when run
# as root the server runs as the unprivileged `postgres` user. Both commands
# are idempotent.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_USER=postgres
START_ATTEMPTS=10
START_TIMEOUT_SECONDS=30

usage() {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}

# Runs a PostgreSQL program as the cluster's owner, from a directory that owner
# can read (initdb and pg_ctl complain when they cannot read the current one).
as_owner() {
  local cluster=$1
  shift
  if [[ $(id -u) -eq 0 ]]; then
    (cd "$cluster" && runuser -u "$PG_USER" -- "$@")
  else
    (cd "$cluster" && "$@")
  fi
}

is_running() {
  local cluster=$1
  [[ -d $cluster/data ]] && as_owner "$cluster" "$PG_BIN/pg_ctl" status -D "$cluster/data" >/dev/null 2>&1
}

random_port() {
  echo $((20000 + RANDOM % 40000))
}

create_cluster() {
  local cluster=$1
  if [[ $(id -u) -eq 0 ]]; then
    chown "$PG_USER:" "$cluster"
  fi
  chmod 700 "$cluster"
  as_owner "$cluster" "$PG_BIN/initdb" --pgdata="$cluster/data" --username=postgres \
    --auth=trust --encoding=UTF8 --no-locale --no-sync >"$cluster/initdb.log" 2>&1 ||
    { cat "$cluster/initdb.log" >&2; return 1; }
  cat >"$cluster/data/pg_hba.conf" <<HBA
local all all trust
host  all all 127.0.0.1/32 trust
HBA
  cat >>"$cluster/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$cluster'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
}

# Another process may take a port between our choice and the server's bind, so
# a failed start is retried on a different random port.
start_server() {
  local cluster=$1 attempt port
  for ((attempt = 1; attempt <= START_ATTEMPTS; attempt++)); do
    port=$(random_port)
    if as_owner "$cluster" "$PG_BIN/pg_ctl" start --wait --timeout="$START_TIMEOUT_SECONDS" \
      --pgdata="$cluster/data" --log="$cluster/server.log" --options="-p $port" >/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "PostgreSQL did not start after $START_ATTEMPTS attempts; last server log:" >&2
  tail -n 20 "$cluster/server.log" >&2 || true
  return 1
}

start() {
  local dir=$1 cluster port
  mkdir -p "$dir"
  if [[ -f $dir/cluster && -f $dir/url ]] && is_running "$(cat "$dir/cluster")"; then
    return 0
  fi
  stop "$dir"
  cluster=$(mktemp -d "${TMPDIR:-/tmp}/openalgod-pg.XXXXXX")
  echo "$cluster" >"$dir/cluster"
  create_cluster "$cluster"
  port=$(start_server "$cluster")
  echo "postgresql://postgres@127.0.0.1:$port/postgres" >"$dir/url.new"
  mv "$dir/url.new" "$dir/url"
}

stop() {
  local dir=$1 cluster
  [[ -f $dir/cluster ]] || return 0
  cluster=$(cat "$dir/cluster")
  # Only ever delete a directory this script created.
  if [[ $(basename "$cluster") == openalgod-pg.* && -d $cluster ]]; then
    if is_running "$cluster"; then
      as_owner "$cluster" "$PG_BIN/pg_ctl" stop --wait --mode=fast --pgdata="$cluster/data" >/dev/null
    fi
    rm -rf "$cluster"
  fi
  rm -f "$dir/cluster" "$dir/url"
}

[[ $# -eq 2 ]] || usage
case $1 in
  start) start "$2" ;;
  stop) stop "$2" ;;
  *) usage ;;
esac

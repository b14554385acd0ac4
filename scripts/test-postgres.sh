#!/usr/bin/env bash
# A private PostgreSQL server for the test suites: loopback only, a free port, trust auth.
#
#   test-postgres.sh start DIR   initdb a cluster, start it, create database netspine_test and
#                                write its URL to DIR/url
#   test-postgres.sh stop DIR    stop the cluster and remove DIR
#
# Both are idempotent: start first stops and removes what an earlier (killed) run left in DIR.
# PostgreSQL refuses to run as root, so as root the cluster runs as user `postgres`, in DIR
# when that user can reach it, else in a folder under /tmp (DIR/datadir says which).
# NETSPINE_PG_BIN overrides where initdb, pg_ctl and createdb are found.
set -euo pipefail

die() {
  echo "test-postgres.sh: $*" >&2
  exit 1
}

[[ $# -eq 2 && ($1 == start || $1 == stop) ]] || die "usage: test-postgres.sh start|stop DIR"
action=$1
dir=$2
[[ $dir == /* ]] || dir="$PWD/$dir"

find_bin() {
  if [[ -n ${NETSPINE_PG_BIN:-} ]]; then
    echo "$NETSPINE_PG_BIN"
    return
  fi
  local candidate
  candidate=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  if [[ -x $candidate/initdb ]]; then
    echo "$candidate"
    return
  fi
  candidate=$(command -v initdb 2>/dev/null) || die "initdb not found: install postgresql"
  dirname "$candidate"
}
bin=$(find_bin)

as_root=false
[[ $(id -u) -eq 0 ]] && as_root=true
pg_user=postgres

# Runs a server-side command as the cluster's owner.
as_owner() {
  if $as_root; then
    runuser -u "$pg_user" -- "$@"
  else
    "$@"
  fi
}

stop_cluster() {
  local data=""
  [[ -f $dir/datadir ]] && data=$(cat "$dir/datadir")
  [[ -z $data && -d $dir/data ]] && data=$dir/data
  if [[ -n $data && -f $data/PG_VERSION ]]; then
    if [[ -f $data/postmaster.pid ]]; then
      as_owner "$bin/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
        as_owner "$bin/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    fi
  fi
  if [[ -n $data && $data != "$dir"/* ]]; then rm -rf -- "$data"; fi
  rm -rf -- "$dir"
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    if ! port_in_use "$port"; then
      echo "$port"
      return
    fi
  done
  die "no free port found on 127.0.0.1"
}

start_cluster() {
  stop_cluster
  mkdir -p "$dir"
  local data=$dir/data
  if $as_root; then
    id "$pg_user" >/dev/null 2>&1 || die "running as root needs a '$pg_user' user to run the server"
    chown "$pg_user" "$dir"
    if ! runuser -u "$pg_user" -- test -w "$dir"; then
      data=$(mktemp -d /tmp/netspine-test-pg.XXXXXX)
      chown "$pg_user" "$data"
    fi
  fi
  echo "$data" >"$dir/datadir"
  as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust --no-locale -E UTF8 --no-sync \
    >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    die "initdb failed"
  }
  cat >"$data/pg_hba.conf" <<'EOF'
local all all trust
host all all 127.0.0.1/32 trust
EOF
  # Test data is disposable: trade durability for speed.
  cat >>"$data/postgresql.conf" <<'EOF'
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
  $as_root && chown "$pg_user" "$data/pg_hba.conf"

  local port started=false
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    if as_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 -o "-p $port" start \
      >/dev/null 2>&1; then
      started=true
      break
    fi
    grep -q "could not bind\|already in use" "$data/server.log" 2>/dev/null ||
      { cat "$data/server.log" >&2 2>/dev/null; die "the server did not start"; }
  done
  $started || die "the server did not start: no port could be bound"

  "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres netspine_test ||
    die "createdb netspine_test failed"
  echo "postgresql://postgres@127.0.0.1:$port/netspine_test" >"$dir/url.tmp"
  mv "$dir/url.tmp" "$dir/url"
  echo "PostgreSQL test server: $(cat "$dir/url") (data in $data)"
}

case $action in
  start) start_cluster ;;
  stop) stop_cluster ;;
esac

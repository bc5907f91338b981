#!/usr/bin/env bash
# Starts (or stops) a throw-away PostgreSQL and Redis on loopback, for the scale-out test
# and for trying a scaled-out layout by hand:
#
#   scripts/scaleout.sh start DIR   # prints the LANGFANG_* settings to use, one per line
#   scripts/scaleout.sh stop DIR
#
# Installs Debian's postgresql and redis-server when missing (apt-get, as root), then
# runs both as the current machine's service users on free loopback ports with data under
# a new temporary folder: nothing of a system-wide PostgreSQL/Redis is touched.
# PostgreSQL refuses to run as root, so it runs as the `postgres` user (runuser).
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1
dir=$2

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

ensure_packages() {
  local need=()
  [ -n "$(pg_bin)" ] || need+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
  [ ${#need[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: need ${need[*]}; install as root: apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  echo "Installing ${need[*]} (once)..." >&2
  apt-get update -qq >&2
  # The packages' own services are not wanted: we start private instances below.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${need[@]}" >/dev/null
}

case "$cmd" in
start)
  [ "$(id -u)" -eq 0 ] || { echo "error: run as root (PostgreSQL runs as postgres)" >&2; exit 1; }
  ensure_packages
  mkdir -p "$dir"
  # The data folder must be reachable by the postgres user: a private folder under /tmp,
  # whose path is remembered in DIR for `stop`.
  pgdata=$(mktemp -d /tmp/langfang-pg.XXXXXX)
  chown postgres:postgres "$pgdata"
  echo "$pgdata" > "$dir/pgdata"
  pg_port=$(free_port)
  bin=$(pg_bin)
  runuser -u postgres -- "$bin/initdb" -D "$pgdata/data" -A trust -U postgres >/dev/null
  runuser -u postgres -- "$bin/pg_ctl" -D "$pgdata/data" -l "$pgdata/postgres.log" -w \
    -o "-p $pg_port -k $pgdata -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  pg_password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
  runuser -u postgres -- "$bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U postgres \
    -c "CREATE USER langfang PASSWORD '$pg_password'" \
    -c "CREATE DATABASE langfang OWNER langfang" >/dev/null
  redis_port=$(free_port)
  redis_password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
  mkdir -p "$dir/redis"
  redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$dir/redis" \
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis/redis.log" \
    --save '' --appendonly no --requirepass "$redis_password" >/dev/null
  for _ in $(seq 50); do [ -s "$dir/redis.pid" ] && break; sleep 0.1; done
  cat <<EOF
LANGFANG_TRACKER_STORE=postgres
LANGFANG_PG_HOST=127.0.0.1
LANGFANG_PG_PORT=$pg_port
LANGFANG_PG_DB=langfang
LANGFANG_PG_USER=langfang
LANGFANG_PG_PASSWORD=$pg_password
LANGFANG_LOCK_STORE=redis
LANGFANG_REDIS_URL=redis://:$redis_password@127.0.0.1:$redis_port/1
EOF
  ;;
stop)
  if [ -s "$dir/redis.pid" ]; then
    kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
    rm -f "$dir/redis.pid"
  fi
  if [ -s "$dir/pgdata" ]; then
    pgdata=$(cat "$dir/pgdata")
    if [ -d "$pgdata/data" ]; then
      runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$pgdata/data" -m fast -w stop \
        >/dev/null 2>&1 || true
    fi
    case "$pgdata" in /tmp/langfang-pg.*) rm -rf "$pgdata" ;; esac
    rm -f "$dir/pgdata"
  fi
  ;;
*) usage ;;
esac

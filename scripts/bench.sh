#!/usr/bin/env bash
# `make bench`: start throwaway PostgreSQL and Redis (like scripts/test.sh), migrate an empty
# database, and run the benchmarks in bench/. Results go to stdout; copy them into
# docs/performance.md with the date and the machine. Everything started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

PGVER=15
PGBIN=/usr/lib/postgresql/$PGVER/bin
if [ ! -x "$PGBIN/initdb" ] || ! command -v redis-server >/dev/null; then
  echo "bench needs PostgreSQL $PGVER and redis-server: run 'make test' once (it installs them)." >&2
  exit 1
fi
PY=.venv/bin/python

TMP=$(mktemp -d /tmp/liaison-bench.XXXXXX)
chmod 755 "$TMP"
PGPORT=${BENCH_PGPORT:-54339}
REDISPORT=${BENCH_REDISPORT:-63809}
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  install -d -o postgres -g postgres "$TMP/pg"
  as_pg=(runuser -u postgres --)
else
  mkdir -p "$TMP/pg"
fi

cleanup() {
  set +e
  [ -f "$TMP/pg/postmaster.pid" ] && "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$TMP/pg" -m immediate stop >/dev/null 2>&1
  redis-cli -p "$REDISPORT" shutdown nosave >/dev/null 2>&1
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

# Unlike the test suite, the benchmark keeps fsync on: the numbers should be those of a real server.
"${as_pg[@]}" "$PGBIN/initdb" -D "$TMP/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$TMP/pg" -l "$TMP/pg/log" -w \
  -o "-p $PGPORT -k $TMP/pg -c listen_addresses=127.0.0.1" start >/dev/null
"${as_pg[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres liaison_bench
redis-server --port "$REDISPORT" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
  --dir "$TMP" --pidfile "$TMP/redis.pid" >/dev/null
for _ in $(seq 50); do redis-cli -p "$REDISPORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

export DJANGO_SETTINGS_MODULE=liaison.settings.test
export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/liaison_bench"
export REDIS_URL="redis://127.0.0.1:$REDISPORT/0"

echo "== roster import (bench/bench_import.py $*)"
$PY bench/bench_import.py "$@"

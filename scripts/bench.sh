#!/usr/bin/env bash
# `make bench`: start throwaway PostgreSQL and Redis (like scripts/test.sh), migrate an empty
# database, and run the benchmarks in bench/. Results go to stdout; copy them into
# docs/performance.md with the date and the machine. Everything started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/services.sh
if [ ! -x "$PGBIN/initdb" ] || ! command -v redis-server >/dev/null; then
  echo "bench needs PostgreSQL $PGVER and redis-server: run 'make test' once (it installs them)." >&2
  exit 1
fi
PY=.venv/bin/python

# Unlike the test suite, the benchmark keeps fsync on: the numbers should be those of a real server.
start_services "${BENCH_PGPORT:-54339}" "${BENCH_REDISPORT:-63809}"
export DJANGO_SETTINGS_MODULE=liaison.settings.test

echo "== roster import (bench/bench_import.py $*)"
$PY bench/bench_import.py "$@"

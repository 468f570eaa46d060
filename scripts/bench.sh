#!/usr/bin/env bash
# `make bench`: start throwaway PostgreSQL and Redis (like scripts/test.sh) and run the benchmarks
# in bench/. Everything started here is stopped on exit.
#
#   bash scripts/bench.sh [all|pages|import] [--write] [--breakdown]
#     pages   the page benchmark (bench/bench_pages.py) on the profile BENCH_PROFILE (county by
#             default; province: 100 counties, 150,000 representatives). The profile is generated
#             once by `manage.py seed_scale` and kept as a dump in .bench/ (reused while the
#             migrations and the generator are unchanged). --write puts the table into
#             docs/performance.md.
#     evaluation  the annual evaluation at a province's scale (bench/bench_evaluation.py: 1,100
#             congresses, EVAL_REPRESENTATIVES representatives, default 150,000, 20 records each).
#     import  the roster import (bench/bench_import.py) with IMPORT_ROWS rows (1,000 in `all`,
#             5,000 when run alone), in a database of its own.
#   BENCH_SECONDS (wrk run length, default 1 for county, 3 for province), BENCH_ONLY (pages whose
#   label contains it), BENCH_WEBPORT (gunicorn's port, default 8099), BENCH_DATABASE_URL and
#   BENCH_REDIS_URL (`pages` on a profile already loaded there: nothing started or restored).
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=${1:-all}
shift || true
source scripts/services.sh
if [ ! -x "$PGBIN/initdb" ] || ! command -v redis-server >/dev/null; then
  echo "bench needs PostgreSQL $PGVER and redis-server: run 'make test' once (it installs them)." >&2
  exit 1
fi
if [ "$MODE" = evaluation ]; then
  start_services "${BENCH_PGPORT:-54339}" "${BENCH_REDISPORT:-63809}"
  "${AS_PG[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "${BENCH_PGPORT:-54339}" -U postgres liaison_evaluation
  echo "== annual evaluation (bench/bench_evaluation.py)"
  DJANGO_SETTINGS_MODULE=liaison.settings.test \
    DATABASE_URL="postgres://postgres@127.0.0.1:${BENCH_PGPORT:-54339}/liaison_evaluation" \
    .venv/bin/python bench/bench_evaluation.py --representatives "${EVAL_REPRESENTATIVES:-150000}" "$@"
  exit 0
fi
if [ "$MODE" != import ] && ! command -v wrk >/dev/null; then
  echo "== installing wrk (the load generator) from Debian"
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y -q wrk >/dev/null; else sudo apt-get install -y -q wrk >/dev/null; fi
fi
PY=.venv/bin/python
PROFILE=${BENCH_PROFILE:-county}

# Unlike the test suite, the benchmark keeps fsync on: the numbers should be those of a real server.
PGP=${BENCH_PGPORT:-54339}
if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  # `pages` on a profile already loaded in a running PostgreSQL (e.g. seeded once by hand with
  # `manage.py seed_scale` and migrated: the province's generation takes most of an hour since
  # the suggestions joined it): nothing is started, restored or generated.
  [ "$MODE" = pages ] || { echo "BENCH_DATABASE_URL is for 'pages' only" >&2; exit 1; }
  export DATABASE_URL=$BENCH_DATABASE_URL REDIS_URL=${BENCH_REDIS_URL:?set BENCH_REDIS_URL with BENCH_DATABASE_URL}
else
  start_services "$PGP" "${BENCH_REDISPORT:-63809}"
fi
PG_URL_BASE="postgres://postgres@127.0.0.1:$PGP"

if [ "$MODE" = all ] || [ "$MODE" = import ]; then
  ROWS=${IMPORT_ROWS:-$([ "$MODE" = all ] && echo 1000 || echo 5000)}
  "${AS_PG[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PGP" -U postgres liaison_import
  echo "== roster import (bench/bench_import.py --rows $ROWS)"
  DJANGO_SETTINGS_MODULE=liaison.settings.test DATABASE_URL="$PG_URL_BASE/liaison_import" \
    $PY bench/bench_import.py --rows "$ROWS"
fi

if [ "$MODE" = all ] || [ "$MODE" = pages ]; then
  mkdir -p .bench bench/results
  # The dump is valid while the migrations and the generator (every app's step) are the same.
  KEY=$(cat $(git ls-files '*/migrations/*.py' '*/scale_seed.py' | sort) | sha1sum | cut -c1-12)
  DUMP=.bench/$PROFILE-$KEY.dump
  if [ -n "${BENCH_DATABASE_URL:-}" ]; then
    echo "== profile $PROFILE: the database already loaded at BENCH_DATABASE_URL"
    DJANGO_SETTINGS_MODULE=liaison.settings.test $PY manage.py migrate -v0
    "$PGBIN/psql" "$DATABASE_URL" -qc "VACUUM ANALYZE" >/dev/null
  elif [ -f "$DUMP" ]; then
    export DATABASE_URL="$PG_URL_BASE/liaison"
    echo "== profile $PROFILE: restoring $DUMP"
    time "${AS_PG[@]}" "$PGBIN/pg_restore" -h 127.0.0.1 -p "$PGP" -U postgres -d liaison -j 2 --no-owner "$DUMP"
  else
    export DATABASE_URL="$PG_URL_BASE/liaison"
    echo "== profile $PROFILE: generating (manage.py seed_scale), kept in $DUMP"
    DJANGO_SETTINGS_MODULE=liaison.settings.test $PY manage.py migrate -v0
    DJANGO_SETTINGS_MODULE=liaison.settings.test $PY manage.py seed_scale --profile "$PROFILE"
    rm -f .bench/"$PROFILE"-*.dump
    "${AS_PG[@]}" "$PGBIN/pg_dump" -h 127.0.0.1 -p "$PGP" -U postgres -Fc liaison > "$DUMP.tmp" && mv "$DUMP.tmp" "$DUMP"
  fi
  [ -n "${BENCH_DATABASE_URL:-}" ] || \
    "${AS_PG[@]}" "$PGBIN/psql" -h 127.0.0.1 -p "$PGP" -U postgres -d liaison -qc "VACUUM ANALYZE" >/dev/null
  DJANGO_SETTINGS_MODULE=bench.settings $PY manage.py collectstatic --noinput -v0
  DEFAULT_SECONDS=$([ "$PROFILE" = province ] && echo 3 || echo 1)
  echo "== pages (bench/bench_pages.py, profile $PROFILE)"
  DJANGO_SETTINGS_MODULE=bench.settings $PY bench/bench_pages.py --profile "$PROFILE" \
    --seconds "${BENCH_SECONDS:-$DEFAULT_SECONDS}" --only "${BENCH_ONLY:-}" "$@"
fi

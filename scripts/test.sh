#!/usr/bin/env bash
# `make test`: install what is missing, start throwaway PostgreSQL and Redis on private ports,
# then run ruff, the migration check, compilemessages and the whole pytest suite against them.
# Everything started here is stopped on exit. Any failure (or no tests collected) fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

log() { printf '\n== %s\n' "$*"; }

# --- Debian packages ------------------------------------------------------------------------
PGVER=15
need=()
[ -x "/usr/lib/postgresql/$PGVER/bin/initdb" ] || need+=(postgresql)
command -v redis-server >/dev/null || need+=(redis-server)
command -v msgfmt >/dev/null || need+=(gettext)
command -v chromium >/dev/null || need+=(chromium)
fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || need+=(fonts-noto-cjk)
if [ ${#need[@]} -gt 0 ]; then
  log "Installing Debian packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
PGBIN=/usr/lib/postgresql/$PGVER/bin

# --- Python packages ------------------------------------------------------------------------
log "Python packages"
make --no-print-directory venv-dev
PY=.venv/bin/python

# --- Throwaway PostgreSQL and Redis -----------------------------------------------------------
TMP=$(mktemp -d /tmp/liaison-test.XXXXXX)
chmod 755 "$TMP"
PGPORT=${TEST_PGPORT:-54329}
REDISPORT=${TEST_REDISPORT:-63799}
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

log "Starting PostgreSQL on 127.0.0.1:$PGPORT and Redis on 127.0.0.1:$REDISPORT"
"${as_pg[@]}" "$PGBIN/initdb" -D "$TMP/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 -N >/dev/null
"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$TMP/pg" -l "$TMP/pg/log" -w \
  -o "-p $PGPORT -k $TMP/pg -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
redis-server --port "$REDISPORT" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
  --dir "$TMP" --pidfile "$TMP/redis.pid" >/dev/null
for _ in $(seq 50); do redis-cli -p "$REDISPORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

export DJANGO_SETTINGS_MODULE=liaison.settings.test
export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/liaison"
export REDIS_URL="redis://127.0.0.1:$REDISPORT/0"
export DJANGO_ALLOW_ASYNC_UNSAFE=true

# --- Checks -----------------------------------------------------------------------------------
log "ruff"
.venv/bin/ruff check .
log "makemigrations --check"
$PY manage.py makemigrations --check --dry-run
log "compilemessages"
$PY manage.py compilemessages --ignore=.venv -v0

log "pytest"
set +e
$PY -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: failing the run." >&2
  exit 1
fi
exit "$status"

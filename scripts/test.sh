#!/usr/bin/env bash
# `make test`: install what is missing, start throwaway PostgreSQL and Redis on private ports,
# then run ruff, mypy, the import contracts, the migration check, compilemessages and the whole
# pytest suite against them.
# Everything started here is stopped on exit. Any failure (or no tests collected) fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n== %s\n' "$*"; }

# --- Debian packages ------------------------------------------------------------------------
PGVER=15  # the Debian 12 PostgreSQL (scripts/services.sh uses the same)
need=()
[ -x "/usr/lib/postgresql/$PGVER/bin/initdb" ] || need+=(postgresql)
command -v redis-server >/dev/null || need+=(redis-server)
command -v msgfmt >/dev/null || need+=(gettext)
command -v chromium >/dev/null || need+=(chromium)
fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || need+=(fonts-noto-cjk)
# WeasyPrint (handbook PDFs) loads pango >= 1.44 at run time; Debian 12 has 1.50.
/sbin/ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || need+=(libpango-1.0-0)
/sbin/ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so' || need+=(libpangoft2-1.0-0)
if [ ${#need[@]} -gt 0 ]; then
  log "Installing Debian packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# --- Python packages ------------------------------------------------------------------------
log "Python packages"
make --no-print-directory venv-dev
PY=.venv/bin/python

# --- Throwaway PostgreSQL and Redis -----------------------------------------------------------
source scripts/services.sh
PGPORT=${TEST_PGPORT:-54329}
REDISPORT=${TEST_REDISPORT:-63799}
log "Starting PostgreSQL on 127.0.0.1:$PGPORT and Redis on 127.0.0.1:$REDISPORT"
# The suite needs no durability: fsync off makes it faster.
start_services "$PGPORT" "$REDISPORT" fsync=off synchronous_commit=off full_page_writes=off

export DJANGO_SETTINGS_MODULE=liaison.settings.test
export DJANGO_ALLOW_ASYNC_UNSAFE=true

# --- Checks -----------------------------------------------------------------------------------
log "ruff"
.venv/bin/ruff check .
log "mypy (django-stubs; settings in pyproject.toml)"
.venv/bin/mypy | { grep -v "annotation-unchecked" || true; }
log "import contracts (lint-imports) and import cycles"
.venv/bin/lint-imports --no-cache
$PY scripts/check_import_cycles.py
log "module sizes"
$PY scripts/check_module_sizes.py
log "makemigrations --check"
$PY manage.py makemigrations --check --dry-run
log "compilemessages"
# compilemessages skips a .mo that is newer than its .po; after a checkout either may be newer.
find . -path ./.venv -prune -o -name '*.po' -print0 | xargs -0 touch
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

#!/usr/bin/env bash
# The demo: migrate the embedded SQLite database, load the demo county, start a Celery worker
# (with the periodic scheduler) on a filesystem broker, and serve on 127.0.0.1:8000.
# DEBUG is off, as in production; `DEBUG=1 make run` shows Django's technical error pages.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=liaison.settings.local
PY=.venv/bin/python
ADDRESS="${PORT:-127.0.0.1:8000}"
mkdir -p .demo

# The seed's log (one line per station, representative, ...) goes to a file, not the terminal.
if ! { $PY manage.py migrate --noinput -v0 && $PY manage.py seed_demo >.demo/logins.txt; } 2>.demo/setup.log; then
  cat .demo/setup.log >&2
  echo "The demo could not be prepared (log above, also in .demo/setup.log)." >&2
  exit 1
fi

$PY -m celery -A liaison worker --beat --pool=solo --loglevel=INFO \
  --schedule=.demo/celerybeat-schedule >.demo/celery.log 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM

echo
echo "================================================================================"
cat .demo/logins.txt
echo
echo "Open http://${ADDRESS} and sign in with one of the logins above."
echo "Background jobs: Celery worker and scheduler (log: .demo/celery.log; setup log: .demo/setup.log)."
if [[ "${DEBUG:-}" =~ ^(1|true|True|yes|on)$ ]]; then
  echo "DEBUG is on: Django's technical pages instead of the site's error pages."
else
  echo "DEBUG is off, as in production. For Django's technical error pages: DEBUG=1 make run"
fi
echo "================================================================================"
echo
$PY manage.py runserver "${ADDRESS}"

#!/usr/bin/env bash
# The demo: migrate the embedded SQLite database, load the demo county, start a Celery worker
# (with the periodic scheduler) on a filesystem broker, and serve on 127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=liaison.settings.local
PY=.venv/bin/python
mkdir -p .demo

$PY manage.py migrate --noinput -v0
$PY manage.py seed_demo

$PY -m celery -A liaison worker --beat --pool=solo --loglevel=INFO \
  --schedule=.demo/celerybeat-schedule >.demo/celery.log 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
echo "Background jobs: Celery worker and scheduler running (log: .demo/celery.log)."
echo "Open http://${PORT:-127.0.0.1:8000} and sign in with one of the logins above."
$PY manage.py runserver "${PORT:-127.0.0.1:8000}"

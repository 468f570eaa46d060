#!/usr/bin/env bash
# Refresh the zh_Hans catalogue from the code and templates (then translate the new entries).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=tests --ignore=staticfiles --no-obsolete

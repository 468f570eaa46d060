# The two commands: `make run` (the demo) and `make test` (the whole suite on real services).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test venv venv-dev lint bench bench-import bench-province bench-evaluation clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP) $@

venv: $(STAMP)
venv-dev: $(VENV)/.installed-dev

## make run: the demo county on SQLite at http://127.0.0.1:8000 with a local Celery worker.
run: venv
	bash scripts/run-demo.sh

## make test: lint, migration check, messages, and the whole suite on PostgreSQL + Redis.
test:
	bash scripts/test.sh

## make bench: the pages at county scale against the floor, table in docs/performance.md (< 5 min).
bench: venv-dev
	bash scripts/bench.sh pages --write --breakdown

## make bench-import: the roster import of 5,000 rows (speed and memory).
bench-import: venv-dev
	bash scripts/bench.sh import

## make bench-province: the pages at province scale (100 counties, 150,000 representatives).
bench-province: venv-dev
	BENCH_PROFILE=province bash scripts/bench.sh pages --write --breakdown

## make bench-evaluation: the annual evaluation of a province (1,100 congresses, 150,000 representatives).
bench-evaluation: venv-dev
	bash scripts/bench.sh evaluation

lint: venv-dev
	$(VENV)/bin/ruff check .

clean:
	rm -rf .demo db.sqlite3 staticfiles

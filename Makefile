# SIME-PM — the two commands: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: run test install lint check-migrations bench bench-soak messages clean prod-check

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip uv

# Python and npm dependencies, pinned by their lock files; re-run only when a lock changes.
$(VENV)/.installed: requirements-dev.lock.txt | $(VENV)/bin/python
	$(VENV)/bin/uv pip install --quiet --python $(PY) -r requirements-dev.lock.txt \
	  || $(PY) -m pip install --quiet -r requirements-dev.lock.txt
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

.env:
	$(PYTHON) scripts/write_env.py .env

install: $(VENV)/.installed node_modules/.installed .env
	$(PY) scripts/copy_vendor.py
	$(MAKE) --no-print-directory messages
	$(PY) manage.py collectstatic --noinput --verbosity 0

# Compile translations with GNU gettext when present, else with Babel (no system package needed).
messages:
	@if command -v msgfmt >/dev/null 2>&1; then \
	  $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules --verbosity 0; \
	else \
	  $(VENV)/bin/pybabel compile --domain=django --directory=locale --statistics; \
	fi

# `make run` serves the product's own error pages (DEBUG off; `make run DEBUG=true` for Django's debug
# pages), static files through whitenoise, plain-http cookies on loopback, and sends workflow e-mails
# at once (to the console) with the immediate task backend: no worker to start beside the server.
DEBUG ?= false
RUN_ENV := DEBUG=$(DEBUG) SECURE_COOKIES=false TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend
run: install
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py load_demo --allow-demo-users
	@echo ""
	@echo "SIME-PM en http://127.0.0.1:$(PORT)/  (Ctrl+C para detener)"
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run --verbosity 1
	$(PY) scripts/check_schema.py

test: install lint
	$(VENV)/bin/pytest

# The production stack on loopback: nginx, two gunicorn app servers, PostgreSQL, the task worker.
prod-check: install
	$(PY) deploy/prod_check.py

bench: install
	$(VENV)/bin/python bench/run.py

# Load and soak through nginx on loopback (the prod-check stack): 20, then 50 logged-in people for
# 10 minutes each; SOAK_MINUTES=1 for a quick run, SOAK_USERS=20 for one level (bench/load.py).
bench-soak: install
	$(VENV)/bin/python bench/load.py

clean:
	rm -rf staticfiles sime/static/vendor .pytest_cache .mypy_cache .ruff_cache test-results test-output

# Brobygger: `make run` serves the demo, `make test` runs every check. Both set up what they need.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export PATH := $(HOME)/.local/bin:$(PATH)

PYTHON := $(shell scripts/find-python)
# uv from the chosen Python if it has it, else a uv on the PATH that actually runs (a pyenv shim may exist for a
# version that is not active), else the chosen Python's, installed by the first target that needs it.
UV := $(shell $(PYTHON) -m uv --version >/dev/null 2>&1 && echo "$(PYTHON) -m uv" || \
	(uv --version >/dev/null 2>&1 && command -v uv) || echo "$(PYTHON) -m uv")
MANAGE := .venv/bin/python manage.py
# Where `make run` and `make serve` listen; the defaults keep the server to this machine.
BROBYGGER_HOST ?= 127.0.0.1
PORT ?= 8000
export BROBYGGER_HOST PORT

.PHONY: run serve test install assets lint check pytest bench loadtest browsers clean

install: .venv/.synced node_modules/.installed

.venv/.synced: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --locked --python $(PYTHON)
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

assets: install
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v0
	$(MANAGE) collectstatic --noinput -v0

run: assets
	BROBYGGER_DEMO=1 $(MANAGE) migrate -v0
	BROBYGGER_DEMO=1 $(MANAGE) seed_demo --if-empty
	BROBYGGER_DEMO=1 $(MANAGE) seed_demo_pathway --if-empty
	BROBYGGER_DEMO=1 $(MANAGE) seed_demo_fidelity --if-empty
	BROBYGGER_DEMO=1 $(MANAGE) seed_demo_grants --if-empty
	BROBYGGER_DEMO=1 $(MANAGE) send_report_reminders
	@BROBYGGER_DEMO=1 $(MANAGE) demo_logins
	@echo "Brobygger kjører på http://$(BROBYGGER_HOST):$(PORT) (Ctrl+C stopper)."
	@# The background worker runs exports and published figures; it stops when the server stops.
	BROBYGGER_DEMO=1 $(MANAGE) db_worker > var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	BROBYGGER_DEMO=1 DEBUG=1 $(MANAGE) runserver $(BROBYGGER_HOST):$(PORT)

# Production serving (docs/operations.md): gunicorn and one background worker, from the environment's settings.
# No migrations: a release runs `manage.py migrate` once, before its servers start; /helse/klar/ waits for it.
serve: assets
	$(MANAGE) db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	.venv/bin/gunicorn --config deploy/gunicorn.conf.py

browsers:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)
	@command -v pdftotext >/dev/null || (apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null)

lint: install
	.venv/bin/ruff format --check .
	.venv/bin/ruff check .
	.venv/bin/mypy --strict brobygger/rules

check: assets
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run

pytest: assets browsers
	.venv/bin/python -m pytest $(PYTEST_ARGS)

test: lint check pytest

bench: assets
	.venv/bin/python -m brobygger.bench

# Not part of `make test`: minutes of load on this machine's own PostgreSQL (brobygger/bench/load.py).
loadtest: assets
	.venv/bin/python -m brobygger.bench.load

clean:
	rm -rf .venv node_modules var/static

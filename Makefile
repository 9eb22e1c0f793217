# Two commands on a fresh machine:
#   make run   — install, migrate, load the demo and serve http://127.0.0.1:8000 (SQLite,
#                Celery tasks in-process)
#   make test  — install what the tests need and run the whole suite
# Set DATABASE_URL / REDIS_URL to run either on PostgreSQL and Redis instead.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help run test lint format check install install-test browser services-check clean backup restore bench-load bench-indexes

help:
	@echo "make run    install, load the demo and serve the portal at http://$(HOST):$(PORT)/"
	@echo "make test   install test dependencies and run the whole suite"
	@echo "make lint   ruff check and format check, mypy"
	@echo "make check  migrations up to date, a valid OpenAPI schema, Django deploy checks with production settings"
	@echo "make backup DIR=path    back up PostgreSQL (DATABASE_URL) and the media files into a new folder"
	@echo "make restore DIR=path   restore such a backup into an empty database and media folder"
	@echo "make bench-load     gunicorn + wrk on DATABASE_URL: req/s, p50, p95, % of /healthz/live"
	@echo "make bench-indexes  EXPLAIN of the list and matrix queries on a 100x system (DATABASE_URL)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + "). Set PYTHON=python3.11.")'
	@$(PYTHON) -m venv $(VENV) || { echo "Could not create a virtual environment: on Debian/Ubuntu run 'sudo apt-get install python3-venv'."; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps re-run an install only when its inputs change, so a second `make run` is quick.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test]"
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the NHS.UK front end: on Debian/Ubuntu run 'sudo apt-get install nodejs npm'."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.installed node_modules/.package-lock.json
install-test: $(VENV)/.installed-test node_modules/.package-lock.json

run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	@echo ""
	@echo "  ICS governance portal: http://$(HOST):$(PORT)/"
	@echo "  Sign in as any demo persona, password: $${DEMO_PASSWORD:-demo-password}"
	@echo "    icb.governance  NEL ICB governance lead"
	@echo "    tht.office      Tower Hamlets Together programme office"
	@echo "    tht.board       Tower Hamlets Together board member"
	@echo "    newham.office   Newham place programme office"
	@echo "    sel.governance  South East London governance lead"
	@echo "    viewer          NEL read-only viewer"
	@echo "  API docs: http://$(HOST):$(PORT)/api/docs/"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Browser tests need Debian's Chromium; install it when we are allowed to (root),
# otherwise those tests skip and say why.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "Could not install chromium: browser tests will be skipped."; \
	  else \
	    echo "Chromium not found (sudo apt-get install chromium): browser tests will be skipped."; \
	  fi; \
	fi

test: install-test browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

check: install
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null
	DJANGO_ENV=production SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  ALLOWED_HOSTS=portal.example.org PORTAL_BASE_URL=https://portal.example.org \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

# Backup and restore (PostgreSQL only; see README "Backup and restore").
backup: install
	@test -n "$(DIR)" || { echo "Say where: make backup DIR=/path/to/new/folder"; exit 1; }
	$(BIN)/python manage.py backup "$(DIR)"

restore: install
	@test -n "$(DIR)" || { echo "Say which: make restore DIR=/path/to/backup"; exit 1; }
	$(BIN)/python manage.py restore "$(DIR)"

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Speed figures are printed by scripts, never asserted by timed tests. Both need
# DATABASE_URL (PostgreSQL); bench-load installs Debian's wrk when run as root.
BENCH_ARGS ?=
bench-load: install
	$(BIN)/python bench/load.py --migrate $(BENCH_ARGS)

bench-indexes: install
	$(BIN)/python bench/explain.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3

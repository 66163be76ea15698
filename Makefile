# resched - two commands a new user needs: `make run` and `make test`.
# Finds a Python 3.12 by itself: python3.12 on PATH, else a pyenv-installed 3.12.x.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON312 := $(shell scripts/find-python312)
VENV := .venv
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_VERSION := 0.13.9
RUN := $(VENV)/bin
DB_TIERS := tests/db tests/services tests/api tests/web tests/faults
# Two workers; loadgroup keeps the browser tests and the job-worker tests each on one worker
# (tests/conftest.py SHARED_START_GROUPS) so their servers and workers start once.
PYTEST_PARALLEL := -n 2 --dist loadgroup

.PHONY: help env run run-empty test lint audit format clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(UV):
	@test -n "$(PYTHON312)" || { echo "Python 3.12 not found: install it or set PYTHON312=/path/to/python3.12" >&2; exit 2; }
	$(PYTHON312) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Makefile too: a changed sync command (e.g. --compile-bytecode) reaches existing environments.
$(VENV)/.synced: $(UV) pyproject.toml uv.lock Makefile
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --compile-bytecode --python $(PYTHON312)
	@touch $@

env: $(VENV)/.synced ## create the environment from the lock file

run: env ## migrate var/resched.db, load the demo on first start, serve http://127.0.0.1:8000
	$(RUN)/resched serve --first-run

run-empty: env ## like run, but the first start loads no demo: set your program up at /setup
	$(RUN)/resched serve --first-run --empty

test: env ## the whole test suite on SQLite; the database tiers again on PostgreSQL if configured
	$(RUN)/pytest $(PYTEST_PARALLEL)
	@if [ -n "$${RESCHED_TEST_POSTGRES_URL:-}" ]; then \
	  echo "== database tiers on PostgreSQL"; \
	  RESCHED_TEST_DATABASE_URL="$$RESCHED_TEST_POSTGRES_URL" $(RUN)/pytest $(PYTEST_PARALLEL) $(DB_TIERS); \
	else echo "(set RESCHED_TEST_POSTGRES_URL to run the database tiers on PostgreSQL too)"; fi

lint: env ## ruff, ruff format --check, mypy --strict, import-linter, hadolint
	$(RUN)/ruff check src tests benchmarks scripts scripts/prod-proof
	$(RUN)/ruff format --check src tests benchmarks scripts scripts/prod-proof
	$(RUN)/mypy
	$(RUN)/mypy scripts/audit_lock.py scripts/prod-proof
	$(RUN)/lint-imports
	$(RUN)/hadolint Dockerfile

# Everything locked, runtime and development groups; accepted exceptions: audit-exceptions.txt.
audit: env ## known vulnerabilities of the lock file (pip-audit, PyPI's data; needs the network)
	$(RUN)/python scripts/audit_lock.py

format: env ## apply ruff fixes and formatting
	$(RUN)/ruff check --fix src tests benchmarks scripts scripts/prod-proof
	$(RUN)/ruff format src tests benchmarks scripts scripts/prod-proof

clean: ## remove environments and caches (keeps var/)
	rm -rf $(VENV) $(TOOLS) .pytest_cache .mypy_cache .ruff_cache

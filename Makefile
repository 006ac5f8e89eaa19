# Zhigong set-up contract (issue 2):
#   make run    fresh machine with python3: venv, install, migrate, demo data, serve 127.0.0.1:8000
#   make test   the whole suite on SQLite and on PostgreSQL, browser tests in Chromium
#   make bench  benchmarks, printed as ratio tables against peers and limits
# GNU make. Helpers live in scripts/.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
ZG     := $(VENV)/bin/zhigong
# The install stamps are newer than pyproject.toml once it is installed, so a second
# `make install` does nothing; editing pyproject.toml (a new dependency) reinstalls.
STAMP       := $(VENV)/.zhigong-installed
BENCH_STAMP := $(VENV)/.zhigong-bench-installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_MEMBERS ?= 2000
# Extra pytest arguments, e.g. make test PYTEST_ARGS="-x -k trail".
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install translations run test test-sqlite test-postgres test-browser \
        bench bench-quick bench-tools lint clean distclean

help:
	@echo "make run          install, migrate, load demo data when empty, serve http://$(HOST):$(PORT)"
	@echo "make test         the suite on SQLite, on PostgreSQL, and the browser tests"
	@echo "make test-sqlite | test-postgres | test-browser   one part of make test"
	@echo "make bench        benchmarks (make bench-quick for a smoke run)"
	@echo "make install      .venv with the project and its dev extras, compiled translations"
	@echo "make lint         ruff check"
	@echo "make clean        remove test artefacts, caches, collected static files"
	@echo "make distclean    clean, and remove .venv and var/ (database and dev secrets)"

$(PY):
	@bash scripts/make_venv.sh "$(PYTHON)" "$(VENV)"

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

$(BENCH_STAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install --quiet -e ".[bench]"
	@touch $@

install: $(STAMP) translations

# Compiled catalogues (.mo) are not committed; zhigong.i18n compiles the .po files.
translations: $(STAMP)
	@$(PY) -m zhigong.i18n

run: install
	ZHIGONG_DEBUG=1 $(ZG) migrate --no-input
	@set -e; \
	organizations=$$(ZHIGONG_DEBUG=1 $(ZG) shell -v 0 --no-imports -c "from zhigong.core.models import Organization; print(Organization.objects.count())"); \
	if [ "$$organizations" = 0 ]; then \
		echo "Empty database: loading the demo ($(DEMO_MEMBERS) members)"; \
		ZHIGONG_DEBUG=1 $(ZG) demo --members $(DEMO_MEMBERS); \
	else \
		echo "The database holds $$organizations organizations: no demo loaded (make distclean starts over)"; \
	fi
	ZHIGONG_DEBUG=1 $(ZG) serve --host $(HOST) --port $(PORT)

test: install
	@$(PY) scripts/run_tests.py -- $(PYTEST_ARGS)

test-sqlite test-postgres test-browser: test-%: install
	@$(PY) scripts/run_tests.py --part $* -- $(PYTEST_ARGS)

bench: install $(BENCH_STAMP) bench-tools
	@$(PY) scripts/postgres.py --database zhigong_bench -- $(PY) -m benchmarks.run

bench-quick: install $(BENCH_STAMP) bench-tools
	@$(PY) scripts/postgres.py --database zhigong_bench -- $(PY) -m benchmarks.run --quick

# The ledger benchmark's peers (Debian packages), installed as root when missing; without them
# bench_ledger fails naming what is missing.
bench-tools:
	@for tool in hledger ledger; do command -v $$tool >/dev/null || [ "$$(id -u)" != 0 ] || \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$tool >/dev/null; done

lint: $(STAMP)
	$(VENV)/bin/ruff check zhigong benchmarks scripts

clean:
	rm -rf var/test-logs var/screenshots var/static .pytest_cache .ruff_cache .mypy_cache build
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) .venv-bench var *.egg-info

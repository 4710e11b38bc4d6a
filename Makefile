# The two commands a new user needs: `make run` and `make test`.
# Installs come from uv.lock (exact versions, with hashes); `make lock` refreshes it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
# Loopback only by default; `make run HOST=0.0.0.0` shares it (once the demo secrets are gone).
HOST ?= 127.0.0.1
# make bench BENCH_SIZES=10000,100000,1000000 adds the million-order run (slow).
BENCH_SIZES ?= 10000,100000

# uv itself is bootstrapped from PyPI with pip into .tools/ (not .venv: `uv sync` keeps .venv
# exactly as the lock says and would remove a uv installed there).
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
# Never let uv fetch a Python build of its own: use the one that runs make.
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)

.PHONY: run test lint typecheck install install-dev lock lock-check seed reconcile clean bench

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet uv==$(UV_VERSION)

# Re-install only when the lock (or the project's dependency list) changes. --frozen installs what
# uv.lock says without re-resolving; a lock out of step with pyproject.toml fails `make lock-check`.
# The app-only install is --inexact so that a `make run` after `make test` keeps the dev tools.
$(VENV)/.installed: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --inexact --quiet
	touch $@

$(VENV)/.installed-dev: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --extra dev --quiet
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

lock: | $(UV)
	$(UV) lock

lock-check: | $(UV)
	$(UV) lock --check

run: install
	$(BIN)/python -m shopora.cli migrate
	$(BIN)/python -m shopora.cli seed
	$(BIN)/python -m shopora.cli serve --host $(HOST) --port $(PORT)

seed: install
	$(BIN)/python -m shopora.cli migrate
	$(BIN)/python -m shopora.cli seed

reconcile: install
	$(BIN)/python -m shopora.cli reconcile


lint: lock-check install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install-dev
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/python -m pytest

bench: install-dev
	$(BIN)/python -m bench.run --sizes $(BENCH_SIZES) --out docs/PERFORMANCE.md
	$(BIN)/python -m bench.load
	$(BIN)/python -m bench.search
	$(BIN)/python -m bench.checkout_read --orders 50000

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache .import_linter_cache

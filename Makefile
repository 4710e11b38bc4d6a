# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint typecheck install install-dev seed reconcile clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when the project's dependency list changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/python -m shopora.cli migrate
	$(BIN)/python -m shopora.cli seed
	$(BIN)/python -m shopora.cli serve --port $(PORT)

seed: install
	$(BIN)/python -m shopora.cli migrate
	$(BIN)/python -m shopora.cli seed

reconcile: install
	$(BIN)/python -m shopora.cli reconcile

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check shopora tests

typecheck: install-dev
	$(BIN)/mypy shopora

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/mypy shopora
	$(BIN)/python -m pytest

bench: install-dev
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.load
	$(BIN)/python -m bench.search
	$(BIN)/python -m bench.checkout_read --orders 50000

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache

# The few verbs of the course package. See README.md.
#   make book   builds the site into _build/html (sets everything up first)
#   make test   runs the linter (make lint) and the whole test suite (quick: make test-quick)
#   make serve  serves the built site on http://127.0.0.1:8000 (compressed, as a static host)
#   make clean  removes build output (keeps .venv and node_modules)

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# nbgrader runs `alembic` by name: the venv's bin/ must be on PATH.
export PATH := $(BIN):$(PATH)

.PHONY: book test test-quick lint serve clean setup system exercises benchmark

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed

system:
	tools/system-packages.sh

book: setup
	$(BIN)/jupyter-book build . --warningiserror --keep-going --quiet

lint: setup
	$(BIN)/ruff check .

test: setup system lint
	$(BIN)/python -m pytest

test-quick: setup
	$(BIN)/python -m pytest -m "not slow and not browser"

exercises: setup
	$(BIN)/regionkurs exercises generate

benchmark: setup system
	$(BIN)/python benchmarks/run.py

serve:
	@test -f _build/html/index.html || { echo "No site built yet: run 'make book' first." >&2; exit 1; }
	$(BIN)/python -m regionkurs.serve --port 8000 --bind 127.0.0.1 _build/html

clean:
	rm -rf _build

# The few verbs of the course package. See README.md.
#   make book   builds the site into _build/html (sets everything up first)
#   make test   runs the linter (make lint) and the whole test suite (quick: make test-quick)
#   make serve  serves the built site on http://127.0.0.1:8000 (compressed, as a static host)
#   make hub    starts the course's JupyterHub on 127.0.0.1:8001 (as root; see book/kohort.md)
#   make clean  removes build output (keeps .venv and node_modules)

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# nbgrader runs `alembic` by name: the venv's bin/ must be on PATH.
export PATH := $(BIN):$(PATH)

.PHONY: book test test-quick lint serve clean setup system exercises benchmark hub hub-env

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/python -m regionkurs.labhooks
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
	@if [ "$$(id -u)" = 0 ]; then $(MAKE) --no-print-directory hub-env; fi
	$(BIN)/python -m pytest

test-quick: setup
	$(BIN)/python -m pytest -m "not slow and not browser"

exercises: setup
	$(BIN)/regionkurs exercises generate

# An exercise as an app without code (Voilà): make app EX=f03 (default f01).
EX ?= f01
app: setup
	$(BIN)/regionkurs app $(EX)

benchmark: setup system
	$(BIN)/python benchmarks/run.py

# The course on a JupyterHub (book/kohort.md). The users' servers run the course's
# Python from HUB_ENV, which every user must be able to read (not under /root).
HUB_ENV ?= /opt/regionkurs/venv
export REGIONKURS_HUB_ENV := $(HUB_ENV)

# Debian's own Python: every user can run it (a pyenv Python under /root is closed
# to them). Debian 12's Python is 3.11.2: soupsieve 3.0.2 and later need 3.11.5, 3.0.x is broken on it:
# the hub's environment takes soupsieve 2.10 instead, the only pin that differs.
HUB_PYTHON ?= /usr/bin/python3

$(HUB_ENV)/.installed: requirements.txt
	$(HUB_PYTHON) -m venv $(HUB_ENV)
	$(HUB_ENV)/bin/pip install --quiet --upgrade pip
	sed 's/^soupsieve==.*/soupsieve==2.10/' requirements.txt > $(HUB_ENV)/requirements.txt
	$(HUB_ENV)/bin/pip install --quiet -r $(HUB_ENV)/requirements.txt
	# jsonschema imports rfc3987-syntax (an optional checker of the "iri" format, which no schema
	# here uses) if it is there, and that import builds a grammar: 1.5-3 s for every process that
	# imports jsonschema (the hub, each user's server, each nbgrader command). Without it: 0.25 s.
	$(HUB_ENV)/bin/pip uninstall --quiet --yes rfc3987-syntax
	touch $@

hub-env: $(HUB_ENV)/.installed node_modules/.installed
	$(HUB_ENV)/bin/pip install --quiet --no-deps --force-reinstall .
	rm -rf build
	chmod -R a+rX $(HUB_ENV)

hub: hub-env
	REGIONKURS_HUB_PROXY=$(CURDIR)/node_modules/.bin/configurable-http-proxy \
	  $(HUB_ENV)/bin/jupyterhub -f "$$($(HUB_ENV)/bin/python -c 'import regionkurs.hub.settings as s; print(s.CONFIG_FILE)')"

serve:
	@test -f _build/html/index.html || { echo "No site built yet: run 'make book' first." >&2; exit 1; }
	$(BIN)/python -m regionkurs.serve --port 8000 --bind 127.0.0.1 _build/html

clean:
	rm -rf _build

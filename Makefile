# The two commands a newcomer needs: `make run` and `make test`.
# Both set up everything they need on a fresh machine: a local virtual
# environment with pinned dependencies, the demo data, and (for tests) Chromium.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
REQ_HASH := $(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-10)
RUNTIME := $(VENV)/.runtime-$(REQ_HASH)
DEV := $(VENV)/.dev-$(REQ_HASH)
DEMO := data/demo_creators.parquet
PORT ?= 8501

.PHONY: run test lint typecheck pytest browser-deps demo clean

## Start the dashboard on the bundled (generated) demo data.
run: $(RUNTIME) $(DEMO)
	$(VENV)/bin/streamlit run app.py --server.port $(PORT)

## Lint, type-check and run every test layer (unit, AppTest, browser).
test: $(DEV) $(DEMO) browser-deps lint typecheck pytest

lint: $(DEV)
	$(VENV)/bin/ruff check .

typecheck: $(DEV)
	$(VENV)/bin/mypy

pytest: $(DEV) $(DEMO)
	$(PY) -m pytest

browser-deps:
	@bash scripts/ensure-chromium.sh

demo: $(RUNTIME)
	$(PY) -m analysis demo --out $(DEMO)

$(DEMO): analysis/demo.py | $(RUNTIME)
	$(PY) -m analysis demo --out $@

$(VENV)/bin/python:
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "error: '$(PYTHON) -m venv' failed. Install Python 3.11 with its venv module" \
	       "(Debian: apt-get install python3-venv), or run: make PYTHON=/path/to/python3.11 ..."; exit 1; }

$(RUNTIME): requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.runtime-*; touch $@

$(DEV): requirements.txt requirements-dev.txt $(RUNTIME)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.dev-*; touch $@

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .mypy_cache .ruff_cache

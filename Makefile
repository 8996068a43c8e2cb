# Everything runs inside a project-local virtual environment, with the tested versions from constraints.txt.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install dev demo test test-all sync check-sync check-numbers check-lines dist docs docs-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install -q -c constraints.txt -e .
	touch $@

$(VENV)/.dev: $(VENV)/.installed
	$(BIN)/pip install -q -c constraints.txt -e ".[dev]"
	touch $@

$(VENV)/.docs: $(VENV)/.dev
	$(BIN)/pip install -q -c constraints.txt -e ".[dev,docs]"
	touch $@

# MathJax for the site's formulas, served from the site itself (Sphinx's default is a CDN): npm's package, its es5 build.
DOCS := build/docs
MATHJAX := build/mathjax
MATHJAX_VERSION := 3.2.2
$(MATHJAX)/static/mathjax/tex-mml-chtml.js:
	npm install --prefix $(MATHJAX)/npm --cache $(MATHJAX)/npm-cache --no-save --no-audit --no-fund --loglevel=error mathjax@$(MATHJAX_VERSION)
	rm -rf $(MATHJAX)/static && mkdir -p $(MATHJAX)/static/mathjax
	cd $(MATHJAX)/npm/node_modules/mathjax/es5 && cp -r tex-mml-chtml.js input output a11y adaptors ui sre ../../../../static/mathjax/

install: $(VENV)/.installed  ## the library and its console scripts
dev: $(VENV)/.dev            ## plus nbdev and the test tools

demo: install                ## the main job: LL-R on the embedded demo dataset
	$(BIN)/largeloss-train --out runs/demo

test: dev                    ## every notebook as a test (slow cells skipped); ends with 'N passed, N failed'
	$(BIN)/python tools/test_nbs.py

test-all: dev                ## also the cells flagged slow
	$(BIN)/python tools/test_nbs.py --flags slow

sync: dev                    ## clean the notebooks, export the library from them, write nbs/llms.txt
	$(BIN)/nbdev-clean && $(BIN)/nbdev-export && $(BIN)/python tools/docs_llms.py

docs: $(VENV)/.docs $(MATHJAX)/static/mathjax/tex-mml-chtml.js  ## the docs site from the notebooks' committed outputs, offline, into build/docs/
	$(BIN)/python tools/docs_source.py build/docs_src
	rm -rf $(DOCS)  # no page of a renamed or deleted notebook left behind (the doctrees cache keeps it quick)
	$(BIN)/sphinx-build -q -b html -c docs -d build/docs_doctrees build/docs_src $(DOCS)
	@echo "docs: open $(DOCS)/index.html, or: $(BIN)/python -m http.server -d $(DOCS)"

docs-test: $(VENV)/.docs     ## the built site in headless Chromium: console errors, images, links, search; screenshots
	$(BIN)/python tools/test_docs.py $(DOCS)

check-sync: sync             ## fail if the exported library or cleaned notebooks differ from what is committed
	git diff --exit-code -- nbs largeloss_fastai

check-numbers: install       ## fail if a two-decimal number in README, BENCHMARKS or the notebooks is in no results file
	$(BIN)/python tools/check_numbers.py --self-test
	$(BIN)/python tools/check_numbers.py

check-lines:                 ## fail if a line of the exported library is over 120 characters (nbdev's __all__ aside)
	python3 tools/check_lines.py

dist: dev                    ## the wheel and the sdist in dist/ (python -m build), checked by twine
	rm -rf dist
	$(BIN)/python -m build -o dist .
	$(BIN)/twine check --strict dist/*
	@ls -l dist

clean:
	rm -rf $(VENV) dist runs $(DOCS) build/docs_src build/docs_doctrees build/jupyter_execute $(MATHJAX)

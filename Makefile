# Everything runs inside a project-local virtual environment, with the tested versions from constraints.txt.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install dev demo test test-all sync check-sync clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install -q -c constraints.txt -e .
	touch $@

$(VENV)/.dev: $(VENV)/.installed
	$(BIN)/pip install -q -c constraints.txt -e ".[dev]"
	touch $@

install: $(VENV)/.installed  ## the library and its console scripts
dev: $(VENV)/.dev            ## plus nbdev and the test tools

demo: install                ## the main job: LL-R on the embedded demo dataset
	$(BIN)/largeloss-train --out runs/demo

test: dev                    ## every notebook as a test (slow cells skipped); ends with 'N passed, N failed'
	$(BIN)/python tools/test_nbs.py

test-all: dev                ## also the cells flagged slow
	$(BIN)/python tools/test_nbs.py --flags slow

sync: dev                    ## clean the notebooks and export the library from them
	$(BIN)/nbdev-clean && $(BIN)/nbdev-export

check-sync: sync             ## fail if the exported library or cleaned notebooks differ from what is committed
	git diff --exit-code -- nbs largeloss_fastai

clean:
	rm -rf $(VENV) runs

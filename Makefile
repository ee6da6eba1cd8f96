# The jobs of this project. `make report` and `make test` each set up what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
KERNEL := councildigital
JOBS ?=

.PHONY: report test lint lab lock figures clean-outputs

# Lab settings that open .py notebooks as notebooks (jupytext's viewer), not in the text editor.
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json

$(STAMP): requirements.lock pyproject.toml jupyter/overrides.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (councildigital)" >/dev/null
	mkdir -p $(dir $(LAB_OVERRIDES))
	cp jupyter/overrides.json $(LAB_OVERRIDES)
	touch $(STAMP)

## report: run every report section on the embedded data and publish HTML to outputs/
report: $(STAMP)
	$(BIN)/councildigital batch $(if $(JOBS),--jobs $(JOBS))

## test: lint, then the whole test suite (browser tests need chromium and axe-core: set up here)
test: $(STAMP) lint
	bash scripts/setup-browser-tests.sh
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## lab: JupyterLab on notebooks/, with jupytext pairing .py <-> .ipynb
# Rooted at the project, where jupytext.toml is (jupytext looks for it only inside Lab's root).
lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks

## figures: how many published figures each source document gives
figures: $(STAMP)
	$(BIN)/councildigital figures --summary

## lock: re-resolve requirements.lock from pyproject.toml (Python 3.11, Linux)
lock: $(STAMP)
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url \
		--no-emit-find-links --upgrade --output-file requirements.lock pyproject.toml

clean-outputs:
	rm -rf outputs/*/ outputs/*.html outputs/*.json

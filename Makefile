# defkg: two commands for a fresh machine with Python 3.11+ and pip.
#   make demo   build the knowledge graph from the bundled sample and write exports/
#   make test   install the test dependencies and run the test suite (changes no tracked file)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STORE  ?= .defkg-store
SAMPLE ?= examples

.PHONY: demo test lint install install-test clean screenshots docs

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

demo: install
	rm -rf $(STORE)
	$(BIN)/defkg ingest $(SAMPLE) --store $(STORE)
	$(BIN)/defkg export --store $(STORE) --format turtle --out exports
	$(BIN)/defkg export --store $(STORE) --format trig --out exports
	$(BIN)/defkg view --store $(STORE) --out exports/graph.html
	$(BIN)/defkg stats --store $(STORE)

test: install-test
	$(BIN)/python -m pytest

# regenerate docs/vocabulary.md, docs/cookbook.md and the README tour's outputs (tests check all three)
docs: install-test
	$(BIN)/python tools/gen_vocabulary.py
	$(BIN)/python tools/gen_cookbook.py
	$(BIN)/python tools/tour.py --write

lint: install-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

# the README's pictures of the page and the query page (Chromium + Playwright; not part of `make test`)
screenshots: install-test
	$(BIN)/python docs/img/screenshots.py

clean:
	rm -rf $(STORE) $(VENV) .pytest_cache .mypy_cache .ruff_cache

# Two entry points: `make demo` and `make test`. Both build or refresh .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The stamp is renewed whenever pyproject.toml changes, so `make` reinstalls only when needed.
STAMP := $(VENV)/.netra-installed
TORCH := torch==2.13.0

.PHONY: demo test lint venv clean bench

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# torch first and pinned: an unpinned torch pulls a multi-GB CUDA build.
	$(BIN)/python -m pip install -q $(TORCH)
	$(BIN)/python -m pip install -q -e '.[dev]' $(TORCH)
	touch $(STAMP)

demo: venv
	$(BIN)/netra demo

test: venv
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lint: venv
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: venv
	cd bench && ../$(BIN)/python registry_import.py
	cd bench && ../$(BIN)/python store.py
	cd bench && ../$(BIN)/python classifier.py
	cd bench && ../$(BIN)/python collect.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

# Two entry points: `make demo` and `make test`. Both build or refresh .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The stamp is renewed whenever pyproject.toml or a pin changes, so `make` reinstalls only then.
STAMP := $(VENV)/.netra-installed
# Every package at the version CI tested, checked against its hashes (`make lock` refreshes it).
LOCK := requirements.lock
# torch apart: the CPU build, which is not on PyPI (an unpinned torch pulls a multi-GB CUDA build).
TORCH_PIN := requirements-torch.txt
PIP_VERSION := 26.3
PIP_TOOLS := pip-tools==7.6.2

.PHONY: demo test lint venv clean bench lock browser-deps

venv: $(STAMP)

$(STAMP): pyproject.toml $(LOCK) $(TORCH_PIN)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q pip==$(PIP_VERSION)
	$(BIN)/python -m pip install -q -r $(TORCH_PIN)
	$(BIN)/python -m pip install -q --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

# Re-resolve the lock from pyproject.toml to the newest versions it allows; then `make test`
# installs exactly those, and the lock is committed with the change that needed it.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q pip==$(PIP_VERSION) $(PIP_TOOLS)
	$(BIN)/pip-compile -q --upgrade --generate-hashes --extra dev --strip-extras \
		--constraint $(TORCH_PIN) --unsafe-package torch --no-emit-index-url \
		--no-emit-find-links --output-file $(LOCK) pyproject.toml

demo: venv
	$(BIN)/netra demo

# The web UI's browser tests drive Debian's chromium with Playwright, and check accessibility
# with axe-core from the npm registry (pinned by tests/browser/package-lock.json).
BROWSER_DEPS := tests/browser/node_modules/.netra-installed

browser-deps: $(BROWSER_DEPS)

$(BROWSER_DEPS): tests/browser/package-lock.json
	test -x /usr/bin/chromium || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core)
	npm ci --prefix tests/browser --no-audit --no-fund --silent
	touch $(BROWSER_DEPS)

test: venv browser-deps
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

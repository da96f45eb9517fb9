# Kairos: `make run` for the demo, `make test` for the whole suite. Both set themselves up.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DATA_DIR ?= data
SECRET_FILE := $(DATA_DIR)/secret_key

.PHONY: run test lint setup chromium bench clean

$(BIN)/activate:
	@echo "Creating $(VENV)…"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the dependencies change. Running needs Kairos' own dependencies
# only; the test extras (Playwright, hypothesis, ruff…) are installed for `make test`.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/activate
	@echo "Installing what Kairos needs to run into $(VENV) (the first time takes a minute)…"
	$(BIN)/pip install --progress-bar on -e .
	touch $@

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	@echo "Installing Kairos and its test tools into $(VENV) (the first time takes minutes)…"
	$(BIN)/pip install --progress-bar on -e '.[test]'
	touch $@ $(VENV)/.installed-run

setup: $(VENV)/.installed

$(SECRET_FILE):
	mkdir -p $(DATA_DIR)
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

run: $(VENV)/.installed-run $(SECRET_FILE)
	@echo "Migrating the database in $(DATA_DIR)…"
	SECRET_KEY=$$(cat $(SECRET_FILE)) SITE_URL=http://$(HOST):$(PORT) $(BIN)/kairos migrate --no-input -v 0
	SECRET_KEY=$$(cat $(SECRET_FILE)) SITE_URL=http://$(HOST):$(PORT) $(BIN)/kairos demo
	SECRET_KEY=$$(cat $(SECRET_FILE)) SITE_URL=http://$(HOST):$(PORT) $(BIN)/kairos serve --host $(HOST) --port $(PORT) --with-worker

chromium:
	@sh scripts/ensure-test-tools.sh

# ruff, and import-linter's contracts (pyproject.toml): the layering DESIGN.md lays out.
lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports --no-cache

# The suite runs on every core (pytest-xdist: each worker has its own test database);
# `make test PYTEST_ARGS=tests/callbacks` runs a part of it in one process.
PYTEST_ARGS ?= -n auto
test: setup chromium lint
	SECRET_KEY=$${SECRET_KEY:-test-only-not-secret} $(BIN)/python -m pytest $(PYTEST_ARGS)

# Each benchmark reports ratios against a baseline measured in the same run (bench/README.md).
bench: setup
	PYTHONPATH=src $(BIN)/python bench/bench_predicate.py
	PYTHONPATH=src $(BIN)/python bench/bench_decide.py
	SECRET_KEY=bench-only $(BIN)/python bench/bench_responses.py
	SECRET_KEY=bench-only DATA_DIR=$$(mktemp -d) $(BIN)/python bench/bench_import.py
	SECRET_KEY=bench-only DATA_DIR=$$(mktemp -d) $(BIN)/python bench/bench_segment_size.py
	SECRET_KEY=bench-only $(BIN)/python bench/bench_dashboard.py
	SECRET_KEY=bench-only $(BIN)/python bench/bench_round_trips.py
	SECRET_KEY=bench-only $(BIN)/python bench/bench_contention.py
	SECRET_KEY=bench-only $(BIN)/python bench/bench_scaleout.py

clean:
	rm -rf $(VENV) $(DATA_DIR)

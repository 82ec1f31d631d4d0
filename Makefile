# Fulcrum: the project's commands. `make run` starts the app, `make test` runs lint and the whole suite
# (CI's .ci/run is `make test`), `make lint` the static checks alone.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# `make run` serves the app to this machine only. To let other machines reach it, bind another
# address and say which name they will use: `make run HOST=0.0.0.0 PUBLIC_HOST=planning-pc.local`
# (README, "Serving the app"). PUBLIC_HOST is the address printed and trusted as the browser's origin.
HOST        ?= 127.0.0.1
PORT        ?= 8501
PUBLIC_HOST ?= $(HOST)

.PHONY: venv dev run lint test bench clean

# What ruff checks and formats: every Python folder of the project, tests included.
LINT_PATHS ?= mcda optimisation fulcrum ui app.py datasets bench tools tests

venv: $(VENV)/.runtime-installed

$(VENV)/.runtime-installed: requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q --no-deps -e .   # the project itself: the `fulcrum` command in $(VENV)/bin
	touch $@

dev: $(VENV)/.dev-installed

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.runtime-installed
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

run: venv
	$(PY) -m streamlit run app.py --server.address $(HOST) --server.port $(PORT) \
		--browser.serverAddress $(PUBLIC_HOST) --browser.serverPort $(PORT) \
		--server.headless true --browser.gatherUsageStats false

lint: dev
	$(PY) -m ruff check $(LINT_PATHS)
	$(PY) -m ruff format --check $(LINT_PATHS)
	$(PY) -m mypy

# The suite on every core (pytest-xdist); the browser and serving tests share one `make run` server
# and one Chromium on one worker (xdist_group "browser", see tests/app/conftest.py).
# `make test` = everything `make lint` checks, plus the suite: ruff first (seconds), then mypy (one core,
# ~40 s from cold) runs beside the suite instead of before it; either failing fails the target.
TEST_WORKERS ?= auto
test: dev
	$(PY) -m ruff check $(LINT_PATHS)
	$(PY) -m ruff format --check $(LINT_PATHS)
	@echo "$(PY) -m mypy (beside the suite)"; \
	$(PY) -m mypy > .mypy-output.txt 2>&1 & mypy_pid=$$!; \
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadgroup; tests=$$?; \
	wait $$mypy_pid; types=$$?; cat .mypy-output.txt; rm -f .mypy-output.txt; \
	test $$tests -eq 0 -a $$types -eq 0

bench: dev
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

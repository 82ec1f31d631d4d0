# Fulcrum: the project's commands. `make run` starts the app, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: venv dev run test bench clean

venv: $(VENV)/.runtime-installed

$(VENV)/.runtime-installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

dev: $(VENV)/.dev-installed

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.runtime-installed
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

run: venv
	$(PY) -m streamlit run app.py --server.headless true --browser.gatherUsageStats false

test: dev
	$(PY) -m pytest -q

bench: dev
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache

# Levensloop — set-up, run and test.
# Quick start: `make run` (set-up, demo database, server) and `make test`.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
FLASK  := $(BIN)/flask --app levensloop

.PHONY: run test setup setup-test assets translations db-upgrade seed clean-venv

## make run: install everything, upgrade the embedded database, seed demo data when empty, serve.
run: setup db-upgrade
	$(FLASK) seed-demo --if-empty
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

## make test: the same set-up plus the test dependencies, then the whole suite.
test: setup-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: $(VENV)/.installed assets translations

setup-test: setup $(VENV)/.installed-test

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed $(VENV)/.installed
	$(BIN)/python -m levensloop.assets

translations: $(VENV)/.installed
	@if ls levensloop/translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel -q compile -d levensloop/translations; fi

db-upgrade: setup
	$(FLASK) db upgrade

seed: db-upgrade
	$(FLASK) seed-demo --if-empty

clean-venv:
	rm -rf $(VENV) node_modules static/vendor

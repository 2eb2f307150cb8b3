# dvflow: two commands for a fresh machine with Python >= 3.11 and pip.
#   make run   set up, migrate, load demo data, start http://127.0.0.1:5000 (scheduler embedded; PORT=… HOST=…)
#   make test  set up, then run the whole test suite (PostgreSQL half when DVFLOW_TEST_POSTGRES_URL is set)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
export DVFLOW_ENV ?= development
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test setup setup-dev migrate demo check rules bench clean translations

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.runtime

setup-dev: $(VENV)/.dev

migrate: setup
	$(FLASK) dvflow db upgrade

demo: migrate
	$(FLASK) dvflow demo load

run: demo
	$(FLASK) dvflow serve --host $(HOST) --port $(PORT)

# Two pytest-xdist workers (each its own SQLite file and PostgreSQL database); PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2
test: setup-dev
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

check: setup
	$(FLASK) dvflow workflows check

# The rules table for lawyers (every clock of every workflow), regenerated from workflows/*.yaml; commit the result.
rules: setup
	$(FLASK) dvflow workflows rules -o workflows/RULES.md

bench: setup-dev
	$(BIN)/python -m bench --quick

clean:
	rm -rf $(VENV) instance/dvflow.sqlite3

# Re-extract the interface strings (Vietnamese msgids), merge them into the English catalogue, compile it.
# Translate the new entries in dvflow/translations/en/LC_MESSAGES/messages.po before compiling for real.
translations: setup
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ -k ServiceError -k Forbidden -k NotFound -k Conflict -k TooLarge -k BadType -k BadBackup -k PdfUnavailable --no-location --omit-header -o dvflow/translations/messages.pot .
	$(BIN)/pybabel update -i dvflow/translations/messages.pot -d dvflow/translations -l en --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d dvflow/translations -l en

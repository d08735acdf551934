# Intersector — the two commands: `make run` (demo on SQLite) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format check-system migrate seed serve clean bench

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Intersector needs Python 3.11 or newer; set PYTHON=python3.11 (or newer).")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $(VENV)/.installed $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --silent
	@touch $@

# WeasyPrint (the PDF reports) needs Pango and HarfBuzz's subsetter from the operating system.
check-system:
	@$(PYTHON) -c 'import ctypes.util, sys; sys.exit(0 if all(map(ctypes.util.find_library, ("pango-1.0", "pangoft2-1.0", "harfbuzz-subset"))) else 1)' || { \
	  echo "WeasyPrint needs the Pango and HarfBuzz-Subset libraries, missing on this machine."; \
	  echo "On Debian or Ubuntu:  sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"; \
	  echo "On macOS (Homebrew):  brew install pango"; \
	  exit 1; }

migrate: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

run: check-system seed
	@echo ""
	@echo "Intersector is starting on http://$(HOST):$(PORT)/ with its task worker and periodic sweep (Ctrl+C stops all three)"
	ADDR=$(HOST):$(PORT) $(BIN)/honcho -f Procfile.dev start

# Two workers (pytest-xdist), one per core here.
PYTEST_WORKERS ?= 2
test: check-system $(VENV)/.installed-dev node_modules/.installed
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Production-style serving: gunicorn + whitenoise, DEBUG=0, migrations applied. Needs
# SECRET_KEY and ALLOWED_HOSTS (and usually DATABASE_URL) in the environment.
serve: check-system $(VENV)/.installed
	DEBUG=0 $(BIN)/python manage.py migrate --noinput
	DEBUG=0 $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DEBUG=0 GUNICORN_BIND=$(HOST):$(PORT) $(BIN)/gunicorn intersector.wsgi --config gunicorn.conf.py

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules staticfiles

# Load benchmark (a few minutes; not run by CI): workshop, stretch and saturation against
# gunicorn + PostgreSQL on loopback. DATABASE_URL must point at a PostgreSQL database it may
# fill (default intersector_bench). See bench/README.md.
bench: check-system $(VENV)/.installed-dev
	$(BIN)/pip install --quiet -e ".[bench]"
	$(BIN)/python bench/load.py $(BENCH_ARGS)

.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The machine's pip configuration may add indexes or constraints; the lock file is the truth.
PIP := PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1 $(BIN)/pip
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed

.PHONY: help install run serve two-instances test test-fast e2e lint format bench bench-scale scale-data soak loadtest lighthouse screenshots lock chromium wrk hey clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --require-hashes --no-deps -r requirements.lock
	@touch $(STAMP)

# The front-end packages the site serves (package.json: the font), copied as they are: no script runs.
NODE_STAMP := node_modules/.installed

$(NODE_STAMP): package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

install: $(STAMP) $(NODE_STAMP) ## Create .venv and install the locked dependencies (once)

var:
	@mkdir -p var

# PORT reaches the settings too, so that the site's address (mails, calendars, feeds) is the served one.
run: export PORT := $(PORT)
# The worker (mails, scheduled publishing, purges) runs beside the server in the same command:
# Ctrl-C stops both, and so does the server stopping for any reason (WITH_WORKER below).
WITH_WORKER = bash -c '$(MANAGE) run_worker & worker=$$!; \
	trap "kill -TERM $$worker 2>/dev/null; wait $$worker" EXIT; "$$@"' with-worker

run: install var ## Migrate, load the demo content, create the admin, serve http://127.0.0.1:$(PORT)/ with the worker
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo_content
	$(MANAGE) ensure_admin
	$(WITH_WORKER) $(MANAGE) runserver 127.0.0.1:$(PORT)

serve: export DJANGO_SETTINGS_MODULE := config.settings.production
serve: export DJANGO_SECRET_KEY := $(or $(DJANGO_SECRET_KEY),local-serve-$(shell hostname)-not-for-the-internet-0123456789abcdef)
serve: export DJANGO_SECURE_SSL_REDIRECT := $(or $(DJANGO_SECURE_SSL_REDIRECT),false)
serve: export DJANGO_SERVE_MEDIA := $(or $(DJANGO_SERVE_MEDIA),true)
serve: install var ## The production stack locally: gunicorn (config/gunicorn.py) and the worker, DEBUG off, whitenoise
	$(MANAGE) collectstatic --noinput -v0
	$(MANAGE) migrate --noinput -v0
	$(WITH_WORKER) $(BIN)/gunicorn config.wsgi --config config/gunicorn.py --bind 127.0.0.1:$(PORT) --access-logfile -

two-instances: install var ## Two gunicorn instances, one PostgreSQL, a private Redis and S3 server, one worker: the site behaves as one
	$(BIN)/python scripts/two_instances.py

chromium: ## Install Debian's Chromium for the browser tests (as root, when missing)
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium for the browser tests…"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	    || echo "Could not install chromium: browser tests will be skipped."; \
	else echo "No /usr/bin/chromium and not root: browser tests will be skipped."; fi

wrk: ## Install Debian's wrk for the benchmarks (as root, when missing)
	@if command -v wrk >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's wrk for the benchmarks…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	else echo "No wrk and not root: install it with apt-get install wrk."; exit 1; fi

hey: ## Install Debian's hey (fixed-rate latency in the benchmarks; as root, when missing)
	@if command -v hey >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's hey for the benchmarks…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hey >/dev/null; \
	else echo "No hey and not root: install it with apt-get install hey."; exit 1; fi

# One pytest-xdist worker per core (-n auto), each with its own test database, live server,
# media folder and browser; PYTEST_ARGS adds options, e.g. PYTEST_ARGS="-n 0" for one process.
XDIST := -n auto --dist worksteal

test: install chromium ## Run the whole suite, browser tests included, on every core
	$(BIN)/pytest $(XDIST) $(PYTEST_ARGS)

test-fast: install ## Run the suite without the browser tests
	$(BIN)/pytest $(XDIST) -m "not e2e" $(PYTEST_ARGS)

e2e: install chromium ## Run only the browser tests
	$(BIN)/pytest $(XDIST) -m e2e $(PYTEST_ARGS)

lint: install var ## ruff (lint and format check), bandit, the layering contract, Django's checks, missing migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -ll -c pyproject.toml -r config pagecache contacts home publications events search
	$(BIN)/lint-imports --no-cache
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

format: install ## Reformat the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install var wrk hey ## Pages cached and cold, at a fixed rate too (hey), lead POSTs, worker memory; exports
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/bench_exports.py
	@# The search benchmark over 10 000 pages, when it exists (another issue writes it).
	@if [ -f scripts/bench_search.py ]; then $(BIN)/python scripts/bench_search.py; fi

scale-data: install var ## The club's scale on PostgreSQL (club_scale: 10 000 pages, 1 000 000 requests…), built once
	$(BIN)/python scripts/scale_data.py

bench-scale: install var wrk hey ## On the scale data: admin listings, report, editor, publish; cached paper vs /healthz
	$(BIN)/python scripts/bench_scale.py

soak: install var wrk ## make bench's pages, then every page in turn for 10 minutes: worker memory
	$(BIN)/python scripts/bench.py --soak 600

loadtest: install var ## 500 lead POSTs from 50 clients on PostgreSQL: nothing lost (RESTART_DB=1 restarts it mid-run)
	$(BIN)/python scripts/loadtest.py $(if $(RESTART_DB),--restart-db)

LIGHTHOUSE_STAMP := tools/lighthouse/node_modules/.installed

$(LIGHTHOUSE_STAMP): tools/lighthouse/package-lock.json
	cd tools/lighthouse && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

lighthouse: install var chromium $(LIGHTHOUSE_STAMP) ## Lighthouse on each page type, mobile and desktop (Debian's Chromium): the four scores
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(BIN)/python scripts/lighthouse.py

screenshots: install var chromium ## Every public page type at 375 and 1280 px, full page, as PNGs in var/screenshots/ (demo content, Chromium)
	$(BIN)/python scripts/screenshots.py

lock: install ## Re-resolve pyproject.toml into requirements.lock (exact versions, hashes)
	$(PIP) install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra test --extra dev --python-version 3.11 \
	  --generate-hashes --no-header -o requirements.lock

clean: ## Remove the virtualenv, the local database and media, collected static files
	rm -rf $(VENV) node_modules var staticfiles .pytest_cache

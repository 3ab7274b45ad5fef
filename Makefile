# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | md5sum | cut -c1-12)
NPM_STAMP := node_modules/.package-lock.json
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# A laptop's defaults: the settings refuse to start without a secret key unless DEBUG is on.
# CI and production set DJANGO_DEBUG=false and DJANGO_SECRET_KEY, which win over these.
export DJANGO_DEBUG ?= true

# The test servers speak plain HTTP: no redirect to HTTPS, cookies sent over HTTP, even when CI
# runs the suite with production settings (DJANGO_DEBUG=false).
test test-pg test-integration test-browser: export DJANGO_SECURE_SSL_REDIRECT ?= false
test test-pg test-integration test-browser: export DJANGO_SECURE_COOKIES ?= false

.PHONY: install run test test-pg test-integration test-browser vendor lint typecheck messages clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# The npm packages exactly as package-lock.json pins them (npm ci): chart.js for `make vendor`, and
# axe-core, a devDependency the browser tests load to check the portal's accessibility (issue 12);
# `make test-browser` installs them.
# Installed again only when the lock changes (npm ci writes node_modules/.package-lock.json).
$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $(NPM_STAMP)

install: $(STAMP)

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --site http://$(HOST):$(PORT)
	@echo "Closeloop on http://$(HOST):$(PORT)/ with a Celery worker and beat (Ctrl-C stops all three)"
	@bash -c 'trap "trap - INT TERM EXIT; kill \$$(jobs -p) 2>/dev/null; wait; exit 0" INT TERM EXIT; \
	  $(VENV)/bin/celery -A config worker --loglevel=INFO --concurrency=2 --without-mingle --without-gossip & \
	  $(VENV)/bin/celery -A config beat --loglevel=INFO & \
	  $(PY) manage.py runserver $(HOST):$(PORT) & \
	  wait -n'

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# The same suite on PostgreSQL (and later Redis); CI runs this after `make test`.
test-pg: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(PY) -m pytest $(PYTEST_ARGS)

# Real Celery workers on Redis with PostgreSQL (CI's third step).
test-integration: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/15} \
	$(PY) -m pytest -m integration $(PYTEST_ARGS)

# A person's clicks in a real browser: Playwright driving Debian's Chromium (apt package chromium).
# Only the browser tests need Node: a newcomer's `make run` and `make test` don't.
test-browser: install $(NPM_STAMP)
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

# Refresh the vendored front-end libraries from the npm registry (package.json pins them).
vendor:
	npm install --no-audit --no-fund
	cp node_modules/chart.js/dist/chart.umd.min.js static/vendor/chart.umd.min.js
	cp node_modules/chart.js/LICENSE.md static/vendor/chart.js.LICENSE.md

lint: install
	$(VENV)/bin/ruff check .

# mypy with django-stubs, strict on the modules pyproject.toml's [tool.mypy] names (issue 9).
typecheck: install
	$(VENV)/bin/mypy

# Refresh the translation catalogue after changing user-visible text.
messages: install
	$(PY) manage.py makemessages --locale zh_Hans --ignore '.venv/*' --ignore 'tests/*' --ignore 'var/*' --ignore 'node_modules/*' --ignore 'bench/*'
	$(PY) manage.py compilemessages --locale zh_Hans --ignore '.venv/*'

clean:
	rm -rf $(VENV) node_modules db.sqlite3 var staticfiles

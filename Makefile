# Gonghui: `make run` sets everything up and serves the app; `make test` runs the whole suite.
SHELL := /bin/bash
# The distribution's Python first: Debian's (like Ubuntu's and Fedora's) is built with profile-guided and
# link-time optimization, and runs this app's requests with about a sixth less CPU than a plain build from
# source (pyenv's default, the `python3` on this machine kind's PATH). PYTHON=... chooses another.
PYTHON ?= $(shell /usr/bin/python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && echo /usr/bin/python3 || echo python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Every app with a message catalogue.
APPS := $(patsubst %/locale,%,$(wildcard */locale))
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: setup run test test-sqlite test-postgres lint format messages assets bench clean

# Debian's Python makes a venv only with its python3-venv package; without it, the Python on PATH does.
$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); python3 -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/vendor/.copied: node_modules/.installed scripts/copy_vendor.sh
	scripts/copy_vendor.sh
	touch $@

assets: static/vendor/.copied

# Compiled catalogues are committed, so this needs GNU gettext only when a .po changed.
# A developer's command: the settings' development defaults, not production's required keys.
messages: export DEBUG ?= true
messages: $(VENV)/.installed
	@if command -v msgfmt >/dev/null; then \
	  for app in $(APPS); do (test -d $$app/locale && cd $$app && ../$(PY) ../manage.py compilemessages -v0) || exit 1; done; \
	else echo "msgfmt not found: using the committed .mo files"; fi

# Install and prepare the database and static files: the same steps in development and production
# (where DEBUG is off and the settings of .env.example are required); no step's failure is hidden.
setup: $(VENV)/.installed assets
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0

# The development server is the one place DEBUG is on by default (settings default to off); the
# variable reaches setup too, so a bare machine needs no .env.
run: export DEBUG ?= true
run: setup
	$(PY) manage.py demo
	@echo ""
	@echo "  工会工作台 Gonghui: http://127.0.0.1:$(PORT)/"
	@echo "  演示账号见上方 demo logins above (password gonghui-demo)"
	@echo ""
	$(PY) manage.py tasks_worker & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.installed assets
	@bash scripts/test.sh

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(VENV)/.installed
	$(PY) -m bench

clean:
	rm -rf $(VENV) node_modules static/vendor var/static

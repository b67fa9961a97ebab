# The two commands a newcomer needs: `make run` and `make test`. See README.md.
.DEFAULT_GOAL := run
.PHONY: run test serve web worker migrate front bench bench-sends loadtest lint format migrations-check python screenshot messages

VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

# A Python >= 3.12: $(PYTHON) if given, else python3.13/python3.12 on PATH if they work (pyenv
# shims do not unless PYENV_VERSION names them), else one installed by pyenv.
define find_python
for c in $(PYTHON) python3.13 python3.12 $$(ls -d $$(pyenv root 2>/dev/null)/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
  if "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then echo "$$c"; exit 0; fi; \
  [ -n "$(PYTHON)" ] && break; \
done; exit 1
endef

$(BIN)/python:
	@py=$$($(find_python)) || { \
	  echo "error: no Python >= 3.12 found. Install python3.12 or newer (or via pyenv), or run make PYTHON=/path/to/python3.12" >&2; \
	  exit 1; }; \
	echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV)

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $@

python: $(VENV)/.installed

# The interface's translations (README, "Languages"): each catalogue compiled when it changes,
# by gettext's msgfmt (Debian: gettext). The compiled files are never committed.
CATALOGUES := $(wildcard locale/*/LC_MESSAGES/django.po)
COMPILED := $(CATALOGUES:.po=.mo)

%.mo: %.po
	msgfmt --check-format -o $@ $<

# The Japanese catalogue brought in step with the code and templates: new messages added
# untranslated, vanished ones dropped. Translate what it adds, then `make test`.
messages: $(VENV)/.installed
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages -l ja --no-obsolete \
	  --ignore=.venv --ignore=var --ignore=tests --ignore=docs

run: $(VENV)/.installed $(COMPILED)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The suite in PYTEST_WORKERS processes (pytest-xdist, one per CPU; 0 runs it in this one), each
# on a test database of its own. `--dist load` hands each worker tests in collection order,
# where pytest-django puts the tests in a rolled-back transaction before those that flush the
# database, and with it the seed; `--dist loadfile` would let a worker flush first and leave
# the seed gone for the files it runs next.
PYTEST_WORKERS ?= auto

test: $(VENV)/.installed $(COMPILED)
	DJANGO_DEBUG=1 $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist load $(PYTEST_ARGS)

# Production-like. config.preflight stops with what to set when the environment is incomplete;
# `check --deploy` prints any setting that falls short of production. The application logs one
# JSON line per request itself, so gunicorn's access log stays off. gunicorn believes no peer's
# X-Forwarded-Proto (its default trusts loopback, so any local client or a proxy passing the
# client's header could make a public page https): Django alone reads it, and only with
# DJANGO_HTTPS=1 (SECURE_PROXY_SSL_HEADER).
GUNICORN = $(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --no-control-socket \
  --forwarded-allow-ips "" --workers $${WEB_CONCURRENCY:-$$(( $$(nproc) * 2 + 1 ))}

define prepare_web
	@DJANGO_DEBUG=0 $(BIN)/python -m config.preflight
	DJANGO_DEBUG=0 $(BIN)/python manage.py collectstatic --noinput --verbosity 0
endef

# The roles of a site on several machines (README, "Several machines"): `make migrate` once per
# deploy, from any one host (two started together take turns on a PostgreSQL advisory lock, and
# the second finds nothing to do); `make web` on each web host; `make worker` on each worker host.
migrate: $(VENV)/.installed
	DJANGO_DEBUG=0 $(BIN)/python manage.py migrate --noinput

web: $(VENV)/.installed $(COMPILED)
	$(prepare_web)
	DJANGO_DEBUG=0 $(BIN)/python manage.py check --deploy
	DJANGO_DEBUG=0 exec $(GUNICORN)

# A task worker alone (side effects: pings, e-mails, PDFs, deposits, purges; the event clock).
worker: $(VENV)/.installed $(COMPILED)
	exec $(BIN)/python manage.py worker

# The three on one machine: migrate, then gunicorn and WORKER_CONCURRENCY task workers in one
# process group: stopping `make serve` stops them all, and when one of them ends the others
# are stopped too, so a supervisor sees the failure and restarts the whole.
serve: $(VENV)/.installed $(COMPILED)
	$(prepare_web)
	DJANGO_DEBUG=0 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=0 $(BIN)/python manage.py check --deploy
	DJANGO_DEBUG=0 exec bash -c 'trap "trap - EXIT INT TERM; kill 0" EXIT INT TERM; \
	  for _ in $$(seq $${WORKER_CONCURRENCY:-1}); do $(BIN)/python manage.py worker & done; \
	  $(GUNICORN) & \
	  wait -n'

# Varnish on PORT in front of `make serve` on PORT+1 (deploy/front, deploy/varnish.vcl).
front: $(VENV)/.installed
	deploy/front

# The performance table at 1 and BENCH_COUNT (100,000) pieces on the PostgreSQL server of
# DATABASE_URL (scripts/bench.py); the databases are built once and reused.
bench: $(VENV)/.installed
	$(BIN)/python scripts/bench.py

# An alert to BENCH_SUBSCRIBERS (100,000) confirmed subscribers, sent by two workers to a local
# aiosmtpd sink, on the PostgreSQL server of DATABASE_URL (scripts/bench_sends.py).
bench-sends: $(VENV)/.installed
	$(BIN)/python scripts/bench_sends.py

# 60 s of wrk at 32 connections against `make serve` on loopback; see loadtest/run.
loadtest: $(VENV)/.installed
	loadtest/run

TEMPLATES := $(shell git ls-files '*.html' 2>/dev/null || find templates -name '*.html')

# Python (ruff), templates (djade, djhtml) and the layout's dependency rules (import-linter).
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djade --check $(TEMPLATES)
	$(BIN)/djhtml --check $(TEMPLATES)
	$(BIN)/lint-imports --no-cache

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djade $(TEMPLATES)
	$(BIN)/djhtml $(TEMPLATES)

migrations-check: $(VENV)/.installed
	$(BIN)/python manage.py makemigrations --check --dry-run

# The README's picture of No.210, taken in Debian's Chromium by scripts/screenshot.py.
screenshot: $(VENV)/.installed
	$(BIN)/python scripts/screenshot.py docs

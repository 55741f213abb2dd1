# Rokhas — two commands on a fresh machine:
#   make run    create .venv, install, migrate SQLite, load demo data, serve on http://127.0.0.1:8000
#   make test   run the whole test suite (PostgreSQL when DATABASE_URL points at it)
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages the platform and its tests need (PDF fonts and Arabic shaping, pdfsig,
# SoftHSM for PKCS#11 signing, NSS tools for trust checks, Chromium for end-to-end tests).
SYSTEM_PACKAGES := chromium poppler-utils softhsm2 libnss3-tools gettext \
	fonts-hosny-amiri fonts-noto-core fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0
SYSTEM_BINARIES := chromium pdfsig pdftotext softhsm2-util certutil fc-match

.PHONY: run test venv system-deps check-system demo migrate worker schema check-schema messages check-messages lint bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

venv: $(VENV)/.installed

# Installs the Debian packages when run as root; otherwise says exactly what is missing.
system-deps:
	@missing=""; for b in $(SYSTEM_BINARIES); do command -v $$b >/dev/null || missing="$$missing $$b"; done; \
	fc-list 2>/dev/null | grep -qi amiri || missing="$$missing amiri-font"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing system packages (missing:$$missing)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	  else \
	    echo "Missing system tools:$$missing"; \
	    echo "Run as root: apt-get install $(SYSTEM_PACKAGES)"; exit 1; \
	  fi; \
	fi

migrate: venv
	$(BIN)/python scripts/i18n.py compile
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) rokhas_load_demo

run: system-deps demo
	@echo "Rokhas on http://$(HOST):$(PORT)/ — demo accounts in README.md (demo: TOTP for officials off)"
	export ROKHAS_REQUIRE_OTP=0 ROKHAS_DEV_GATEWAY=1; \
	$(MANAGE) db_worker & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT; \
	$(MANAGE) runserver --insecure $(HOST):$(PORT)

worker: venv
	$(MANAGE) db_worker

test: system-deps venv
	$(BIN)/python scripts/i18n.py compile
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .

schema: venv
	$(MANAGE) spectacular --lang en --file docs/openapi.yaml --validate

check-schema: venv
	$(MANAGE) spectacular --lang en --file /tmp/rokhas-openapi.yaml --validate
	diff -u docs/openapi.yaml /tmp/rokhas-openapi.yaml && echo "OpenAPI schema up to date"

MAKEMESSAGES := $(MANAGE) makemessages -l ar -l fr --no-obsolete --ignore=.venv --ignore=var --ignore=bench --ignore=tests

# Extract the msgids into locale/{ar,fr}; translate the new entries, then `make messages` again.
messages: venv
	$(MAKEMESSAGES)
	$(BIN)/python scripts/i18n.py compile

# CI: re-extract from the code, then fail on any untranslated or fuzzy entry.
check-messages: venv
	$(MAKEMESSAGES) >/dev/null
	$(BIN)/python scripts/i18n.py check

bench: venv
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var db.sqlite3

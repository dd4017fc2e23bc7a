# Lev: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install lint messages screenshots backup restore ci

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## Start the portal with demo data on SQLite (no services needed) at http://127.0.0.1:8000
demo: $(STAMP)
	mkdir -p var
	LEV_REQUIRE_MFA=0 $(BIN)/python manage.py migrate --noinput
	LEV_REQUIRE_MFA=0 $(BIN)/python manage.py compilemessages --ignore=.venv -v0 2>/dev/null || true
	LEV_REQUIRE_MFA=0 $(BIN)/python manage.py demo
	@echo ""
	@echo "Lev runs on http://127.0.0.1:8000 - log in as e.g. zijinstromer1@lev.test / lev-demo-2026"
	@echo "(all demo accounts are listed above and in README.md; Ctrl-C stops the server)"
	LEV_REQUIRE_MFA=0 $(BIN)/python manage.py runserver 127.0.0.1:8000

## Run the whole test suite (SQLite by default; DATABASE_URL and REDIS_URL switch to services)
test: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run >/dev/null
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Screenshots of each role's main pages (desktop and phone) into docs/screenshots/
## (a temporary SQLite database with the demo data; pages are listed in tests/e2e/pages.py)
screenshots: $(STAMP)
	$(BIN)/python -m tests.e2e.screenshots

messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l en -l nl --ignore=.venv --ignore=var --ignore=tests
	$(BIN)/python manage.py compilemessages --ignore=.venv

ci:
	bash .ci/run

## Back up database and media to var/backups/ (pg_dump on PostgreSQL)
backup: $(STAMP)
	$(BIN)/python manage.py backup

## Restore: make restore DB=var/backups/lev-....dump MEDIA=var/backups/lev-media-....tar.gz
restore: $(STAMP)
	$(BIN)/python manage.py restore $(DB) $(MEDIA)

## National-size benchmark on PostgreSQL (database lev_bench, seeded when empty), gunicorn and
## Redis: every role's main pages, the reminder sweep, the Proeve PDF, 50 concurrent clients;
## writes docs/benchmarks.md (see bench/README.md). Not part of `make test`.
## Options: make bench BENCH_ARGS="--reseed" (or --requests 80, --output -)
.PHONY: bench
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

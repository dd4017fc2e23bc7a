# Lev: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The demo: no two-factor enforcement, and mail kept in the development mailbox
# (/dev/mailbox/) instead of printed on the console.
DEMO_ENV := LEV_REQUIRE_MFA=0 LEV_MAILBOX=1

.PHONY: demo test install lint messages screenshots backup restore ci

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## Start the portal with demo data on SQLite (no services needed) at http://127.0.0.1:8000
demo: $(STAMP)
	@scripts/system-deps demo
	mkdir -p var
	@$(BIN)/python manage.py migrate --noinput -v0
	@$(BIN)/python manage.py compilemessages --ignore=.venv -v0 2>/dev/null || true
	@$(DEMO_ENV) $(BIN)/python manage.py demo
	@$(DEMO_ENV) $(BIN)/python manage.py runserver --skip-checks 127.0.0.1:8000

## Run the whole test suite (SQLite by default; DATABASE_URL and REDIS_URL switch to services),
## in parallel: one worker per core (PYTEST_WORKERS=0 runs it in one process)
PYTEST_WORKERS ?= auto
test: $(STAMP)
	@scripts/system-deps test
	$(BIN)/python manage.py makemigrations --check --dry-run >/dev/null
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

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
## (asks for 'ja'; YES=1 answers it for scripts)
restore: $(STAMP)
	$(BIN)/python manage.py restore $(DB) $(MEDIA) $(if $(YES),--yes)

## National-size benchmark on PostgreSQL (database lev_bench, seeded when empty), gunicorn and
## Redis: every role's main pages from scratch, the main writes, the reminder sweeps, the
## Proeve PDF, 50 concurrent clients; writes docs/benchmarks.md (see bench/README.md).
## Not part of `make test`. Options: make bench BENCH_ARGS="--reseed" (or --pages-only,
## --writes-only, --requests 80, --write-rounds 40, --output -)
.PHONY: bench
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

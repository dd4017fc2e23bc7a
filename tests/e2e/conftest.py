"""Fixtures for the browser tests: Debian's Chromium through pytest-playwright, a live server
with the demo data, and `browse` / `phone`, pages that check every page they load.

See tests/e2e/README.md for how to add a flow.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from io import BytesIO, StringIO
from pathlib import Path

import pytest

from conftest import REQUIRE_SERVICES, ensure_reference_data

from . import pages
from .helpers import CHROMIUM, CHROMIUM_ARGS, VIEWPORTS, Browse

FAST_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# the ORM calls the tests make between browser steps.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server. Lev has no public media URL (MEDIA_URL = None) and
    Django's live server thread cannot start its media handler without one: give it a path
    that nothing links to while the thread starts (uploads are served only by views)."""
    from django.test import override_settings
    from pytest_django.live_server_helper import LiveServer

    addr = request.config.getvalue("liveserver") or os.getenv(
        "DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost"
    )
    with override_settings(MEDIA_URL="/__no-public-media__/"):
        server = LiveServer(addr)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, headless; skipped without it unless LEV_REQUIRE_SERVICES=1."""
    if not os.path.exists(CHROMIUM):
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if REQUIRE_SERVICES:
            pytest.fail(message + " (LEV_REQUIRE_SERVICES=1: browser tests must not be skipped)")
        pytest.skip(message)
    return {
        "headless": True,
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    """Every context talks Dutch (like the users' browsers) to the live server."""
    return {
        **browser_context_args,
        "base_url": live_server.url,
        "locale": "nl-NL",
        "timezone_id": "Europe/Amsterdam",
    }


@pytest.fixture(autouse=True)
def _e2e_settings(settings):
    # Two-factor login is tested in tests/portal; here every role logs in with a password.
    settings.LEV_REQUIRE_MFA = False


@dataclass
class Demo:
    """The demo data in the live server's database, with the ids tests need."""

    ids: dict[str, object]

    def traject(self, n: int) -> int:
        return self.ids[f"t{n}"]

    def url(self, path: str) -> str:
        return path.format(**self.ids)


def _load_demo() -> None:
    from django.core.management import call_command

    # An earlier transactional test may have flushed what the migrations seed (the
    # bekwaamheidsgebieden and framework); the demo builds on it.
    ensure_reference_data()
    call_command("demo", stdout=StringIO())


@pytest.fixture(scope="session")
def e2e_media_root(tmp_path_factory) -> Path:
    """One media root for the browser tests: the demo's files (Proeve PDFs) stay findable."""
    return tmp_path_factory.mktemp("e2e-media")


@pytest.fixture(autouse=True)
def _media_root(settings, e2e_media_root):
    settings.MEDIA_ROOT = str(e2e_media_root)


class _SqliteSnapshot:
    """A copy of the whole database through SQLite's backup API (milliseconds)."""

    def __init__(self, connection):
        connection.ensure_connection()
        self.copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(self.copy)

    def restore(self, connection) -> None:
        connection.ensure_connection()
        self.copy.backup(connection.connection)


class _PostgresSnapshot:
    """Every table's rows through COPY. Restoring empties the tables and copies the rows back
    in one transaction (Django's foreign keys are deferred, so the order is free).
    Sequences are left alone: they are already past every id in the copy."""

    def __init__(self, connection):
        self.tables = connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        self.rows: dict[str, bytes] = {}
        with connection.cursor() as cursor:
            for table in self.tables:
                buffer = BytesIO()
                cursor.cursor.copy_expert(f'COPY "{table}" TO STDOUT', buffer)
                self.rows[table] = buffer.getvalue()

    def restore(self, connection) -> None:
        from django.db import transaction

        with transaction.atomic(), connection.cursor() as cursor:
            for table in self.tables:  # the tables are nearly always empty: DELETE is cheaper
                cursor.execute(f'DELETE FROM "{table}"')
            for table, rows in self.rows.items():
                if rows:
                    cursor.cursor.copy_expert(f'COPY "{table}" FROM STDIN', BytesIO(rows))


@pytest.fixture(scope="session")
def _demo_snapshot(django_db_setup, django_db_blocker, e2e_media_root):
    """The demo data is loaded once per test run and copied aside; each test restores the
    copy (milliseconds on SQLite, well under a second on PostgreSQL) instead of running the
    demo loader again."""
    from django.db import connection
    from django.test import override_settings

    from lev.celery import app

    snapshots = {"sqlite": _SqliteSnapshot, "postgresql": _PostgresSnapshot}
    if connection.vendor not in snapshots:
        yield None
        return
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(
                MEDIA_ROOT=str(e2e_media_root),
                PASSWORD_HASHERS=FAST_HASHERS,
                CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
            ),
        ):
            _load_demo()
            snapshot = snapshots[connection.vendor](connection)
    finally:
        app.conf.task_always_eager = eager
    yield snapshot


@pytest.fixture
def demo(live_server, _demo_snapshot) -> Demo:
    """The demo data (`manage.py demo`) in the live server's database, fresh for every test
    (the database is emptied after each test, so a test may change what it likes)."""
    from django.db import connection

    if _demo_snapshot is None:
        _load_demo()
    else:
        _demo_snapshot.restore(connection)
    return Demo(ids=pages.placeholders())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.e2e_call_failed = report.failed
    return report


def _checked(request, page, viewport: str):
    browse = Browse(page, viewport)
    yield browse
    unchecked = browse.unchecked()
    if unchecked and not getattr(request.node, "e2e_call_failed", False):
        pytest.fail(
            "pages were loaded but never checked for accessibility (call browse.check() "
            "after a click that loads a page, or use `with browse.loads():`):\n  "
            + "\n  ".join(unchecked)
        )


@pytest.fixture
def browse(request, new_context, demo):
    """A desktop page (1280x900) on the live server with the demo data; see helpers.Browse."""
    page = new_context(**VIEWPORTS["desktop"]).new_page()
    yield from _checked(request, page, "desktop")


@pytest.fixture
def phone(request, new_context, demo):
    """A phone page (390x844, touch, mobile viewport) on the live server with the demo data."""
    page = new_context(**VIEWPORTS["phone"]).new_page()
    yield from _checked(request, page, "phone")

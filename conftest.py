"""Root fixtures: one traject with a person in every role around it, plus an outsider."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

import pytest

# Helpers with assertions of their own: let pytest explain their failures too.
pytest.register_assert_rewrite("tests.props")

from tests import factories as f  # noqa: E402

REQUIRE_SERVICES = os.environ.get("LEV_REQUIRE_SERVICES") == "1"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Every test writes uploads to its own temporary media root."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _plain_static(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@dataclass
class Cast:
    """Everyone around one traject."""

    traject: object
    zij_instromer: object
    coach: object
    slb: object
    duo: object
    schoolleider: object
    coordinator: object
    outsider: object
    other_coach: object  # coach of another traject at another school in the same partnership


@pytest.fixture
def cast(db) -> Cast:
    school = f.SchoolFactory()
    traject = f.TrajectFactory(school=school)
    schoolleider = f.UserFactory()
    school.leiders.add(schoolleider)
    coordinator = f.UserFactory()
    school.bestuur.partnerschap.coordinatoren.add(coordinator)
    other_school = f.SchoolFactory(bestuur=school.bestuur)
    other = f.TrajectFactory(school=other_school)
    return Cast(
        traject=traject,
        zij_instromer=traject.zij_instromer,
        coach=traject.coach,
        slb=traject.slb,
        duo=traject.duo,
        schoolleider=schoolleider,
        coordinator=coordinator,
        outsider=f.UserFactory(),
        other_coach=other.coach,
    )


def login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def login_as(client):
    return lambda user: login(client, user)


def reauthenticated(client, user):
    """Log in through the real login page and record a fresh re-authentication, as allauth
    does after the user typed their password again."""
    import time

    from django.urls import reverse

    from tests.factories import PASSWORD

    client.logout()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    session = client.session
    records = session.get("account_authentication_methods", [])
    records.append({"method": "password", "at": time.time(), "reauthenticated": True})
    session["account_authentication_methods"] = records
    session.save()
    return client


def service_reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_service(name: str, host: str, port: int) -> None:
    """Skip a test whose service is not running, or fail under LEV_REQUIRE_SERVICES=1."""
    if service_reachable(host, port):
        return
    message = f"{name} is not reachable on {host}:{port}"
    if REQUIRE_SERVICES:
        pytest.fail(message + " (LEV_REQUIRE_SERVICES=1: this must not be skipped)")
    pytest.skip(message)


def worker_index() -> int:
    """0 for a run without pytest-xdist or its first worker (gw0), 1 for gw1, and so on."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(worker.removeprefix("gw") or 0)


def redis_url_for_this_worker() -> str:
    """REDIS_URL (or the local Redis) with a database number of this test worker's own, so
    that two workers never share a queue or a key: database 1 for gw0, 2 for gw1, ..."""
    from urllib.parse import urlsplit, urlunsplit

    base = urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    return urlunsplit(base._replace(path=f"/{1 + worker_index()}"))


@pytest.fixture
def redis_url():
    require_service("Redis", "127.0.0.1", 6379)
    return redis_url_for_this_worker()


def pytest_collection_modifyitems(config, items):
    # Browser tests run last: they start a live server and are the slowest.
    items.sort(key=lambda item: 1 if item.get_closest_marker("e2e") else 0)
    # A module-scoped set-up (the demo world of tests/security, an OIDC provider) is built
    # once per worker that runs a test of the module: keep such a module on one worker
    # (pytest-xdist's --dist loadgroup), and let every other test go where there is room.
    if not config.pluginmanager.hasplugin("xdist"):
        return  # `-p no:xdist`: one process, no groups (and no xdist_group marker)
    for item in items:
        defs = getattr(item, "_fixtureinfo", None)
        if defs is None:
            continue
        if any(
            fixturedef.scope == "module"
            for fixturedefs in defs.name2fixturedefs.values()
            for fixturedef in fixturedefs
        ):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """One line at the end of a run that skipped tests, with how many and why: a green run
    without Chromium or the services must not look like a full one."""
    skipped = terminalreporter.stats.get("skipped", [])
    if not skipped:
        return
    reasons: dict[str, int] = {}
    for report in skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        reasons[reason] = reasons.get(reason, 0) + 1
    browser = sum(1 for report in skipped if "e2e" in report.keywords)
    parts = "; ".join(f"{count} x {reason}" for reason, count in sorted(reasons.items()))
    terminalreporter.write_sep("=", "NOT A FULL RUN", yellow=True, bold=True)
    terminalreporter.write_line(
        f"{len(skipped)} tests were skipped ({browser} of them browser tests): {parts}",
        yellow=True,
        bold=True,
    )


@pytest.fixture(autouse=True)
def _mfa_not_required(settings):
    """Two-factor enforcement has its own tests (tests/portal/test_mfa.py)."""
    settings.LEV_REQUIRE_MFA = False


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def _isolated_cache_and_eager_celery(settings):
    """Tests use a private in-memory cache (rate limits must not leak between tests), with
    the page cache on, and run Celery tasks in-process; the integration test with a real
    worker switches that off."""
    from django.core.cache import cache

    from lev.celery import app

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "fallback": settings.FALLBACK_CACHE,  # in the test database: rolled back per test
    }
    cache.clear()
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


SEED_MIGRATIONS = [
    "trajecten.migrations.0002_seed_bekwaamheidsgebieden",
    "bekwaamheid.migrations.0002_seed_kader",
]


def ensure_reference_data() -> None:
    """Put back the data the migrations seed (the bekwaamheidsgebieden and framework v1)
    when a transactional test flushed the tables. Module-scoped fixtures that build data
    call this too."""
    from importlib import import_module

    from django.apps import apps

    from trajecten.models import Bekwaamheidsgebied

    if Bekwaamheidsgebied.objects.exists():
        return
    for module in SEED_MIGRATIONS:
        import_module(module).seed(apps, None)


@pytest.fixture(autouse=True)
def _reference_data(request):
    if not request.node.get_closest_marker("django_db") and not any(
        name in request.fixturenames for name in ("db", "transactional_db")
    ):
        return
    if "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
    else:
        request.getfixturevalue("db")
    ensure_reference_data()

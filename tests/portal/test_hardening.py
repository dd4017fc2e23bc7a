"""Production settings pass Django's deployment checks and set the security headers."""

import secrets
import subprocess
import sys

import pytest
from django.conf import settings


def run_manage(*args, **env):
    base = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "lev.example.nl",
        "DATABASE_URL": "sqlite:////tmp/lev-check.sqlite3",
    }
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=base,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_check_deploy_is_clean_under_production_settings():
    # Production has Redis (docker-compose.yml); `check` does not connect to it.
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", REDIS_URL="redis://127.0.0.1:6379/0"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_are_strict():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, "
        "s.SESSION_COOKIE_HTTPONLY, s.X_FRAME_OPTIONS, s.MEDIA_URL)"
    )
    result = run_manage("shell", "-c", code)
    assert result.stdout.strip().splitlines()[-1].split() == [
        "True",
        "True",
        "True",
        "True",
        "DENY",
        "None",
    ], result.stderr


def test_a_production_set_up_without_a_shared_cache_is_warned_about(settings):
    from portal.checks import shared_cache

    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [w.id for w in shared_cache(None)] == ["lev.W001"]
    settings.CACHES = {
        "default": {"BACKEND": "portal.cache.ResilientRedisCache", "LOCATION": "redis://x"}
    }
    assert shared_cache(None) == []


def test_the_wsgi_application_freezes_what_it_loaded_at_start():
    """gunicorn imports lev.wsgi: every view module is loaded, every template compiled,
    the URL reverse lookup built for every language, and all of it is out of the way of
    Python's full garbage collections."""
    code = (
        "import gc, sys; import lev.wsgi; "
        "from django.urls import get_resolver; "
        "print(gc.get_freeze_count(), 'trajecten.views.traject' in sys.modules, "
        "lev.wsgi._compile_templates(), "
        "','.join(sorted(get_resolver()._reverse_dict)))"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "lev.example.nl",
        "DATABASE_URL": "sqlite:////tmp/lev-check.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    frozen, views_loaded, templates, reversal = result.stdout.split()
    assert int(frozen) > 10_000
    assert views_loaded == "True"
    assert int(templates) > 100  # the portal's own, allauth's, crispy's
    assert reversal == "en,nl"  # built at start, not on a worker's first page per language


# --- the client's address (issue 19, case 3) ------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "trusted, xff, remote, expected",
    [
        (0, "6.6.6.6", "10.0.0.5", "10.0.0.5"),  # no proxy: the header is the client's own
        (1, "6.6.6.6, 203.0.113.7", "10.0.0.1", "203.0.113.7"),  # our proxy wrote the last
        (1, "203.0.113.7", "10.0.0.1", "203.0.113.7"),
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.9", "10.0.0.1", "203.0.113.7"),
        (2, "203.0.113.7", "10.0.0.1", "10.0.0.1"),  # fewer entries than proxies: the peer
        (1, "not-an-address", "10.0.0.1", None),
        (0, "", "", None),
    ],
)
def test_the_audit_trail_records_the_address_the_throttle_sees(
    rf, settings, trusted, xff, remote, expected
):
    from portal.audit import client_ip

    settings.LEV_TRUSTED_PROXIES = trusted
    request = rf.get("/", HTTP_X_FORWARDED_FOR=xff, REMOTE_ADDR=remote)
    assert client_ip(request) == expected


@pytest.mark.django_db
def test_a_forged_forwarded_for_on_a_login_is_not_recorded(client, cast):
    from portal.models import AuditEvent
    from tests.factories import PASSWORD

    client.post(
        "/account/login/",
        {"login": cast.coach.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="6.6.6.6",
        REMOTE_ADDR="192.0.2.10",
    )
    event = AuditEvent.objects.filter(action="auth.login").latest("at")
    assert event.ip == "192.0.2.10"


# --- docker-compose.yml stays consistent with the settings ------------------------------------


def test_every_variable_docker_compose_sets_is_read_by_the_settings():
    from pathlib import Path

    root = Path(settings.BASE_DIR)
    compose = (root / "docker-compose.yml").read_text()
    block = compose.split("x-lev-env: &lev-env", 1)[1].split("\n\n", 1)[0]
    names = [
        line.split(":", 1)[0].strip()
        for line in block.splitlines()
        if line.startswith("  ") and not line.strip().startswith("#") and ":" in line
    ]
    source = (root / "lev" / "settings.py").read_text()
    missing = [n for n in names if f'"{n}"' not in source]
    assert names and missing == [], missing


def test_the_cache_may_evict_but_the_broker_never_does():
    from pathlib import Path

    compose = (Path(settings.BASE_DIR) / "docker-compose.yml").read_text()
    cache = compose.split("\n  redis-cache:\n", 1)[1].split("\n\n", 1)[0]
    broker = compose.split("\n  redis-broker:\n", 1)[1].split("\n\n", 1)[0]
    assert "allkeys-lru" in cache and "--maxmemory" in cache
    assert "noeviction" in broker and "allkeys" not in broker
    assert "REDIS_URL: redis://redis-cache:" in compose
    assert "CELERY_BROKER_URL: redis://redis-broker:" in compose

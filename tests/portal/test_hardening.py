"""Production settings pass Django's deployment checks and set the security headers."""

import secrets
import subprocess
import sys

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
    """gunicorn imports portal.wsgi: every view module is loaded, every template compiled,
    the URL reverse lookup built for every language, and all of it is out of the way of
    Python's full garbage collections."""
    code = (
        "import gc, sys; import portal.wsgi; "
        "from django.urls import get_resolver; "
        "print(gc.get_freeze_count(), 'trajecten.views.traject' in sys.modules, "
        "portal.wsgi._compile_templates(), "
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

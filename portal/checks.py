"""System checks of the portal's configuration (`manage.py check --deploy` shows them)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def cache_is_shared() -> bool:
    """Whether every worker process sees the same cache (Redis), so that a one-time form
    token claimed or a login attempt counted in one process is seen by all."""
    return settings.CACHES["default"]["BACKEND"] not in LOCAL_CACHES


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    if settings.DEBUG or cache_is_shared():
        return []
    return [
        checks.Warning(
            "The cache is local to each process (no REDIS_URL).",
            hint=(
                "With several worker processes, each counts login attempts and one-time form "
                "tokens on its own: a form posted twice to two processes may act twice. Set "
                "REDIS_URL in production (docker-compose.yml does)."
            ),
            id="lev.W001",
        )
    ]

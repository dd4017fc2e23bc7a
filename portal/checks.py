"""System checks of the portal's configuration (`manage.py check --deploy` shows them)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def cache_is_shared() -> bool:
    """Whether every worker process sees the same cache (Redis), so that a version bumped
    in one process is seen by all (role summary, overview figures, one-time form tokens)."""
    return settings.CACHES["default"]["BACKEND"] not in LOCAL_CACHES


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    if settings.DEBUG or cache_is_shared():
        return []
    return [
        checks.Warning(
            "The cache is local to each process (no REDIS_URL).",
            hint=(
                "With several worker processes, a change of someone's roles, a new notification "
                "or new overview figures reaches the other processes only when their cached "
                "entries expire (30 seconds to 5 minutes), and a form posted twice may act "
                "twice. Set REDIS_URL in production (docker-compose.yml does)."
            ),
            id="lev.W001",
        )
    ]

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


@checks.register(checks.Tags.caches)
def page_cache_needs_shared_cache(app_configs, **kwargs):
    if not getattr(settings, "LEV_PAGE_CACHE", False) or cache_is_shared() or settings.DEBUG:
        return []
    return [
        checks.Warning(
            "LEV_PAGE_CACHE is on while the cache is local to each process.",
            hint=(
                "A write in one worker process then leaves the cached page stale in the "
                "others for up to 5 minutes. Set REDIS_URL, or LEV_PAGE_CACHE=0."
            ),
            id="lev.W002",
        )
    ]

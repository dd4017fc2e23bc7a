"""Template context for the navigation: the roles the user holds and unread notifications."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject


def _nav(request) -> dict:
    from .middleware import roles_of

    user = request.user
    if not user.is_authenticated:
        return {"roles": frozenset(), "unread": 0}
    return {
        "roles": roles_of(request),
        "unread": user.notificaties.filter(read_at__isnull=True).count(),
    }


def navigation(request) -> dict:
    return {"nav": SimpleLazyObject(lambda: _nav(request))}

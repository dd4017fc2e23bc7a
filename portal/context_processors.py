"""Template context for the navigation: the roles the user holds and unread notifications."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject


def _nav(request) -> dict:
    from .middleware import roles_of
    from .unread import unread_count

    user = request.user
    if not user.is_authenticated:
        return {"roles": frozenset(), "unread": 0}
    return {
        "roles": roles_of(request),
        "unread": unread_count(user),
    }


def navigation(request) -> dict:
    return {"nav": SimpleLazyObject(lambda: _nav(request))}

"""Which kinds of role a person holds, as the floor needs to know it (the navigation, the
two-factor requirement for coordinators and assessors) without knowing the domain: the app
that knows the roles (trajecten.access.user_role_summary) registers itself here from its
AppConfig.ready(). One provider; without one, nobody holds a role."""

from __future__ import annotations

from collections.abc import Callable

_provider: Callable[..., frozenset[str]] | None = None


def register(provider: Callable[..., frozenset[str]]) -> None:
    global _provider
    _provider = provider


def summary(user, **extra) -> frozenset[str]:
    """The role summary of `user`; `extra`: expressions read in the same query."""
    if _provider is None:
        return frozenset()
    return _provider(user, **extra)

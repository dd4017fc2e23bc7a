"""Explicit hooks for the apps that build on trajecten.

When a trajecten service starts a traject (status becomes actief), apps that build on
trajecten may need to act (gesprekken plans the quarterly cycle). They register a listener
here from AppConfig.ready(); trajecten's services call `traject_started` inside their
transaction. This is not a model signal: only services fire it, by name.
"""

from __future__ import annotations

from collections.abc import Callable

from .models import Traject

_started: dict[str, Callable[[Traject], None]] = {}


def on_traject_started(key: str, listener: Callable[[Traject], None]) -> None:
    """Register `listener` under `key` (idempotent)."""
    _started[key] = listener


def traject_started(traject: Traject) -> None:
    """Tell every listener that `traject` started (or its dates changed)."""
    for listener in _started.values():
        listener(traject)

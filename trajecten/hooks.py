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


_stopped: dict[str, Callable[[Traject], None]] = {}


def on_traject_stopped(key: str, listener: Callable[[Traject], None]) -> None:
    """Register `listener` for trajecten that stop early (negative intake) (idempotent)."""
    _stopped[key] = listener


def traject_stopped(traject: Traject) -> None:
    """Tell every listener that `traject` stopped (status gestopt): planned work may go."""
    for listener in _stopped.values():
        listener(traject)


_moved: dict[str, Callable[[Traject, str, str], None]] = {}


def on_traject_moved(key: str, listener: Callable[[Traject, str, str], None]) -> None:
    """Register `listener(traject, old_school_name, new_school_name)` for a traject that
    moved to another school (idempotent)."""
    _moved[key] = listener


def traject_moved(traject: Traject, old_name: str, new_name: str) -> None:
    """Tell every listener that `traject` moved to another school (inside the service's
    transaction): planned work at the old school may follow."""
    for listener in _moved.values():
        listener(traject, old_name, new_name)


# The phase from the records (trajecten.lifecycle.derived_fase, for the data migration, the
# bulk generators and the check): whether a traject's records put it in its "proeve" phase is
# known only to bekwaamheid, which registers a factory of a boolean query expression on
# Traject, for example:
#   hooks.on_stage_proeve("bekwaamheid", lambda: Exists(Proeve.objects.filter(
#       dossier__traject=OuterRef("pk"))))
# Pages never use it: they read the stored phase.
_proeve_conditions: dict[str, Callable[[], object]] = {}


def on_stage_proeve(key: str, condition: Callable[[], object]) -> None:
    """Register a factory of a boolean expression meaning "the records say: in the Proeve"."""
    _proeve_conditions[key] = condition


def proeve_conditions() -> list[object]:
    """The registered Proeve conditions, freshly built."""
    return [factory() for factory in _proeve_conditions.values()]

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


# Stage conditions contributed by apps above trajecten. trajecten derives intake,
# scholingsplan, opleiding, afgerond and gestopt itself; whether a traject is in its
# "proeve" stage is known only to bekwaamheid, which registers a factory returning a
# boolean query expression on Traject, for example:
#   hooks.on_stage_proeve("bekwaamheid", lambda among: Exists(Proeve.objects.filter(
#       dossier__traject=OuterRef("pk"))))
# The expression is used inside one annotated query, so list pages stay at a constant
# number of queries. `among` is None or the ids of the trajecten asked about (a list or a
# query of them); a factory should narrow its subquery to those, as with_stage does its own:
# otherwise PostgreSQL may hash the whole table for a page of 50 rows.
_proeve_conditions: dict[str, Callable[[object | None], object]] = {}


def on_stage_proeve(key: str, condition: Callable[[object | None], object]) -> None:
    """Register a factory of a boolean expression meaning "this traject is in the Proeve"."""
    _proeve_conditions[key] = condition


def proeve_conditions(among=None) -> list[object]:
    """The registered Proeve conditions, freshly built for the trajecten `among` (or all)."""
    return [factory(among) for factory in _proeve_conditions.values()]

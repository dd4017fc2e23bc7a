"""The stored per-traject figures this app owns (Traject.fig_coach_changes, fig_slb_changes),
and how every app keeps its own.

The overviews count thousands of trajecten; reading plain columns instead of a correlated
subquery per traject keeps them fast without any cache. Each figure column belongs to the app
whose records it is derived from, and that app's services store it again whenever they write
such a record:

- trajecten: `fig_coach_changes`, `fig_slb_changes` (role assignments), here;
- gesprekken: `fig_last_koers`, `fig_prev_koers` (signed reports), gesprekken.figures;
- bekwaamheid: `fig_proeve` (the latest Proeve attempt), bekwaamheid.figures.

`manage.py refresh_figures` stores them all again (after a restore or SQL by hand), from the
same expressions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Count, Expression, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from .models import Rol, Roltoewijzing, Traject


def count_of(qs) -> Coalesce:
    """A correlated COUNT(*) of `qs` (already filtered on OuterRef) as an integer annotation."""
    counted = qs.order_by().values("traject").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _changes(rol: Rol) -> Greatest:
    assignments = Roltoewijzing.objects.filter(traject=OuterRef("pk"), rol=rol)
    return Greatest(count_of(assignments) - 1, Value(0))


def expressions() -> dict[str, Expression]:
    """Column -> the expression (correlated on the traject) it is stored from."""
    return {
        "fig_coach_changes": _changes(Rol.COACH),
        "fig_slb_changes": _changes(Rol.SLB),
    }


def store(columns: Callable[[], dict[str, Expression]], traject_ids: Iterable[int]) -> None:
    """Store `columns()` for these trajecten in one UPDATE, now (this request sees its own
    write) and again once the transaction commits (a concurrent write to the same traject,
    invisible to this transaction's snapshot, is then counted too)."""
    ids = sorted({int(i) for i in traject_ids if i is not None})
    if not ids:
        return

    def work() -> None:
        Traject.objects.filter(pk__in=ids).update(**columns())

    work()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(work)


def refresh_changes(traject_ids: Iterable[int]) -> None:
    """After a change of coach or SLB."""
    store(expressions, traject_ids)

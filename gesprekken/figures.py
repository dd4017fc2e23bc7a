"""The stored per-traject figures this app owns (trajecten.figures explains the scheme):
`fig_last_koers` and `fig_prev_koers`, the "are we on the right road?" answer of the last and
the second-to-last signed report that has one."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import CharField, Expression, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from trajecten.figures import store

from .models import Gesprek, Verslag


def _signed_koers():
    return (
        Verslag.objects.filter(
            gesprek__traject=OuterRef("pk"),
            locked_at__isnull=False,
            gesprek__status=Gesprek.Status.GEPLAND,
        )
        .exclude(koers="")
        .order_by("-gesprek__starts_at", "-pk")
        .values("koers")
    )


def signed_koers(index: int) -> Subquery:
    """The answer in the traject's last (0) or second-to-last (1) signed report with one."""
    return Subquery(_signed_koers()[index : index + 1], output_field=CharField())


def expressions() -> dict[str, Expression]:
    return {
        "fig_last_koers": Coalesce(signed_koers(0), Value("")),
        "fig_prev_koers": Coalesce(signed_koers(1), Value("")),
    }


def refresh_koers(traject_ids: Iterable[int]) -> None:
    """After a report was signed, or a conversation with a report changed."""
    store(expressions, traject_ids)

"""The stored per-traject figure this app owns (trajecten.figures explains the scheme):
`fig_proeve`, the result of the latest Proeve attempt ("voldoende", "onvoldoende", "lopend"
while it has no result yet), or "" when there is none."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Case, CharField, Expression, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from trajecten.figures import store

from .models import Proeve

GEEN = ""
LOPEND = "lopend"


def _proeve_result() -> Coalesce:
    latest = (
        Proeve.objects.filter(dossier__traject=OuterRef("pk"))
        .order_by("-poging", "-pk")
        .annotate(
            result=Case(
                When(uitslag="", then=Value(LOPEND)),
                default=F("uitslag"),
                output_field=CharField(),
            )
        )
        .values("result")[:1]
    )
    return Coalesce(Subquery(latest, output_field=CharField()), Value(GEEN))


def expressions() -> dict[str, Expression]:
    return {"fig_proeve": _proeve_result()}


def refresh_proeve(traject_ids: Iterable[int]) -> None:
    """After a Proeve attempt was started or judged."""
    store(expressions, traject_ids)

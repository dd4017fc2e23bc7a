"""Reads for trajecten: querysets with their related objects already fetched."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from .models import Traject


def traject_list(qs: QuerySet[Traject]) -> QuerySet[Traject]:
    """Trajecten for a list page: people and school in the same query."""
    return qs.select_related("zij_instromer", "school__bestuur", "coach", "slb", "duo").order_by(
        "end_date", "pk"
    )


def status_counts(qs: QuerySet[Traject]) -> dict[str, int]:
    """How many trajecten per status, in one query."""
    rows = qs.order_by().values("status").annotate(n=Count("pk"))
    counts = {s.value: 0 for s in Traject.Status}
    counts.update({r["status"]: r["n"] for r in rows})
    return counts

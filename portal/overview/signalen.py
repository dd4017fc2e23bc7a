"""Signals from signed conversation reports: obstacles, support needs and successes, counted
by tag, school, board and quarter, and the quotes behind each count.

Only signals of signed (locked) reports count: a draft can still change. The quarter is the
quarter in which the conversation was held. A signal with two tags counts once under each
tag; every other count counts it once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils import timezone

from gesprekken.models import Signaal, SignaalTag
from trajecten.models import Traject

from .forms import Quarter

SOORTEN = [s.value for s in Signaal.Soort]
NO_TAG = "geen"


@dataclass
class SoortCounts:
    """Signals of each kind (and in total) for one tag, school, board or quarter."""

    counts: dict = field(default_factory=lambda: dict.fromkeys(SOORTEN, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add(self, other: SoortCounts) -> None:
        for soort, n in other.counts.items():
            self.counts[soort] += n

    @classmethod
    def of(cls, row: dict) -> SoortCounts:
        return cls(counts={s: row[f"n_{s}"] for s in SOORTEN})


def _per_soort() -> dict:
    return {f"n_{s}": Count("pk", filter=Q(soort=s)) for s in SOORTEN}


def signalen_of(trajecten: QuerySet[Traject]) -> QuerySet[Signaal]:
    """The signals of the signed reports of `trajecten`, from the signal's own stored columns
    (`fig_traject` is set once the report is signed: gesprekken.figures.refresh_signalen).

    The trajecten go in as a subquery: with the coordinator's scope as one plain join
    (trajecten.access.trajecten_of_partnerschap) PostgreSQL hashes it once; a list of 2,000
    ids cost more per query."""
    return Signaal.objects.filter(fig_traject__in=trajecten.order_by().values("pk"))


def filter_signalen(
    qs: QuerySet[Signaal],
    *,
    bestuur: int | None = None,
    school: int | None = None,
    soort: str | None = None,
    quarter: Quarter | None = None,
    tag: str | None = None,
) -> QuerySet[Signaal]:
    """Narrow `qs`; `tag` is a tag id (as text) or NO_TAG for signals without a tag. The
    quarter is that of the conversation's local date."""
    if bestuur:
        qs = qs.filter(fig_traject__school__bestuur_id=bestuur)
    if school:
        qs = qs.filter(fig_traject__school_id=school)
    if soort:
        qs = qs.filter(soort=soort)
    if quarter:
        qs = qs.filter(fig_held_on__gte=quarter.first_day, fig_held_on__lt=quarter.next.first_day)
    if tag == NO_TAG:
        qs = qs.filter(tags__isnull=True)
    elif tag:
        qs = qs.filter(tags__id=int(tag))
    return qs


def tags_for(partnerschap_ids) -> list[SignaalTag]:
    """The tags of the partnerships in scope (for the filter), by name."""
    return list(SignaalTag.objects.filter(partnerschap_id__in=partnerschap_ids).order_by("name"))


def recent_quarters(today: datetime.date, n: int = 12) -> list[Quarter]:
    """The last `n` quarters up to today, oldest first (calendar arithmetic, no query)."""
    last = Quarter.of(today)
    return [last.minus(n - 1 - i) for i in range(n)]


def per_tag(qs: QuerySet[Signaal]) -> list[dict]:
    """Counts per tag (most used first); signals without a tag under tag None. One query."""
    rows = qs.order_by().values("tags__id", "tags__name").annotate(**_per_soort())
    result = [
        {"tag_id": r["tags__id"], "name": r["tags__name"], "counts": SoortCounts.of(r)}
        for r in rows
    ]
    return sorted(result, key=lambda r: (r["tag_id"] is None, -r["counts"].total, r["name"] or ""))


def per_school(qs: QuerySet[Signaal]) -> dict[int, SoortCounts]:
    """Counts per school id. One query."""
    rows = qs.order_by().values("fig_traject__school_id").annotate(**_per_soort())
    return {r["fig_traject__school_id"]: SoortCounts.of(r) for r in rows}


def per_quarter(qs: QuerySet[Signaal], quarters: list[Quarter]) -> list[dict]:
    """Counts for each of `quarters` (in local time of the conversation). One query."""
    first, last = quarters[0], quarters[-1]
    rows = (
        qs.filter(fig_held_on__gte=first.first_day, fig_held_on__lt=last.next.first_day)
        .annotate(y=ExtractYear("fig_held_on"), q=ExtractQuarter("fig_held_on"))
        .order_by()
        .values("y", "q")
        .annotate(**_per_soort())
    )
    found = {(r["y"], r["q"]): SoortCounts.of(r) for r in rows}
    return [
        {"quarter": q, "counts": found.get((q.year, q.quarter), SoortCounts())} for q in quarters
    ]


def quotes(qs: QuerySet[Signaal]) -> QuerySet[Signaal]:
    """The signals themselves, newest conversation first, with what a quote list shows:
    the date, the school, the side-entrant (for the link to the traject) and the tags."""
    return (
        qs.select_related(
            "verslag__gesprek__traject__zij_instromer",
            "verslag__gesprek__traject__school__bestuur",
        )
        .prefetch_related(Prefetch("tags", queryset=SignaalTag.objects.order_by("name")))
        .order_by("-verslag__gesprek__starts_at", "pk")
    )


def held_on(signaal: Signaal) -> datetime.date:
    return timezone.localdate(signaal.verslag.gesprek.starts_at)

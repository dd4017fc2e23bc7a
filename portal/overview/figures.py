"""The numbers of the overviews, computed in the database.

Per traject (stored in the traject's fig_* columns by the services of the app that owns each
figure, see trajecten.figures; read with with_traject_figures):
- `last_koers`, `prev_koers`: the "are we on the right road?" answer of the last and the
  second-to-last signed report that has an answer;
- `proeve`: the result of the latest Proeve attempt ("voldoende", "onvoldoende", "lopend")
  or "" when there is none;
- `coach_changes`, `slb_changes`: how often the coach or SLB changed (assignments in
  trajecten.Roltoewijzing minus the first one);
- `n_on_time`, `n_late`, `n_overdue` (list and export only, computed): the cycle slots by
  state (these move with the calendar, so they are not stored).

Per school (GROUP BY): how many trajecten per stage and route, koers, attention, Proeve and
continuity, and the cycle slots on time, late and overdue. Boards and the whole scope are
sums of their schools.

"On time" (also explained on the page): a cycle slot is a quarterly conversation (not an
extra one, not vervallen) with its date by the rhythm (`planned_for`, which stays when the
conversation is moved). Its report is on time when every participant signed it (the report
is locked) at the latest ON_TIME_DAYS days after that date; late when signed after; overdue
when those days have passed and it is not signed, while the traject is still running (a
stopped or finished traject's missing reports are no longer anyone's action). Slots whose
deadline has not passed and that are not signed yet do not count.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils.translation import gettext_lazy as _

from bekwaamheid import figures as bekwaamheid_figures
from bekwaamheid.models import Proeve, Uitslag
from gesprekken import figures as gesprekken_figures
from gesprekken.models import Gesprek, Verslag
from trajecten import figures as trajecten_figures
from trajecten import lifecycle
from trajecten.figures import count_of
from trajecten.models import Rol, Roltoewijzing, Traject
from trajecten.selectors import Stage, with_stage

from .forms import Quarter

ON_TIME_DAYS = 14
ENDS_SOON_DAYS = 183  # the warning period of Traject.ends_soon
RUNNING = (Traject.Status.INTAKE, Traject.Status.ACTIEF)
KOERS = Verslag.Koers
GEEN_KOERS = "geen"


class ProeveResult:
    GEEN = bekwaamheid_figures.GEEN
    LOPEND = bekwaamheid_figures.LOPEND
    VOLDOENDE = Uitslag.VOLDOENDE.value
    ONVOLDOENDE = Uitslag.ONVOLDOENDE.value
    LABELS = {
        VOLDOENDE: _("voldoende"),
        ONVOLDOENDE: _("onvoldoende"),
        LOPEND: _("nog geen uitslag"),
    }


# --- Filters ---------------------------------------------------------------------------


def filtered(
    trajecten: QuerySet[Traject],
    *,
    bestuur: int | None = None,
    school: int | None = None,
    route: str | None = None,
    cohort: datetime.date | None = None,
    fase: str | None = None,
) -> QuerySet[Traject]:
    """`trajecten` with their stage (trajecten.selectors.with_stage), narrowed by the filters.
    `cohort` is the first day of the start month."""
    qs = with_stage(trajecten)
    if bestuur:
        qs = qs.filter(school__bestuur_id=bestuur)
    if school:
        qs = qs.filter(school_id=school)
    if route:
        qs = qs.filter(route=route)
    if cohort:
        following = (cohort + datetime.timedelta(days=32)).replace(day=1)
        qs = qs.filter(start_date__gte=cohort, start_date__lt=following)
    if fase:
        qs = qs.filter(stage=fase)
    return qs


def cohorts_of(trajecten: QuerySet[Traject]) -> list[datetime.date]:
    """The start months (first days) from the earliest to the latest start in `trajecten`:
    one MIN/MAX aggregate (a DISTINCT over every start date cost a sort of the whole
    scope). A month between them without a start is a choice that finds nothing."""
    span = trajecten.order_by().aggregate(first=Min("start_date"), last=Max("start_date"))
    if span["first"] is None:
        return []
    months, at = [], span["first"].replace(day=1)
    while at <= span["last"]:
        months.append(at)
        at = (at + datetime.timedelta(days=32)).replace(day=1)
    return months


# --- Per traject -----------------------------------------------------------------------


#: Each stored per-traject figure: its name in the overviews and its column on Traject.
STORED_FIGURES = {
    "last_koers": "fig_last_koers",
    "prev_koers": "fig_prev_koers",
    "proeve": "fig_proeve",
    "coach_changes": "fig_coach_changes",
    "slb_changes": "fig_slb_changes",
}


def _stored_expressions() -> dict:
    """Column -> expression, of every app that owns a stored figure."""
    return {
        **gesprekken_figures.expressions(),
        **bekwaamheid_figures.expressions(),
        **trajecten_figures.expressions(),
    }


def computed_traject_figures(qs: QuerySet[Traject]) -> QuerySet[Traject]:
    """Annotate `last_koers`, `prev_koers`, `proeve`, `coach_changes`, `slb_changes` from
    the reports, Proeven and role assignments themselves (one correlated subquery each): the
    source of truth of the stored fig_* columns."""
    columns = _stored_expressions()
    return qs.annotate(**{name: columns[column] for name, column in STORED_FIGURES.items()})


def refresh_traject_figures(traject_ids: list[int] | None = None) -> int:
    """Store every figure of these trajecten (all when None) again, in one UPDATE with the
    same expressions as the owning apps' services use (manage.py refresh_figures, the demo
    and the seed, which write in bulk), the signing date stored on each of their
    conversations, and the phase their records give (trajecten.lifecycle.store_derived);
    returns how many trajecten were updated."""
    qs = Traject.objects.all()
    if traject_ids is not None:
        if not traject_ids:
            return 0
        traject_ids = list(traject_ids)
        qs = qs.filter(pk__in=traject_ids)
    gesprekken_figures.refresh_signed_on(traject_ids=traject_ids)
    gesprekken_figures.refresh_signalen(traject_ids=traject_ids)
    lifecycle.store_derived(traject_ids)
    return qs.update(**_stored_expressions())


def with_traject_figures(qs: QuerySet[Traject]) -> QuerySet[Traject]:
    """Annotate `last_koers`, `prev_koers`, `proeve`, `coach_changes`, `slb_changes` from the
    stored columns (kept by refresh_traject_figures)."""
    return qs.annotate(**{name: F(column) for name, column in STORED_FIGURES.items()})


def ends_soon_q(today: datetime.date) -> Q:
    return Q(status__in=RUNNING, end_date__lte=today + datetime.timedelta(days=ENDS_SOON_DAYS))


def off_track_twice_q() -> Q:
    """Running, and the last two signed answers were both "uit koers" (stored columns)."""
    return Q(
        status__in=RUNNING,
        fig_last_koers=KOERS.UIT_KOERS,
        fig_prev_koers=KOERS.UIT_KOERS,
    )


# --- Cycle slots -----------------------------------------------------------------------


def _slots() -> QuerySet[Gesprek]:
    """Every cycle slot, annotated with `deadline` (the last day a signature is on time)
    and `signed_on` (the local date the report was locked, or None)."""
    return Gesprek.objects.filter(
        soort=Gesprek.Soort.CYCLUS,
        status=Gesprek.Status.GEPLAND,
        planned_for__isnull=False,
    ).annotate(
        deadline=ExpressionWrapper(
            F("planned_for") + datetime.timedelta(days=ON_TIME_DAYS), output_field=DateField()
        ),
        signed_on=F("fig_signed_on"),
    )


def cycle_slots(trajecten: QuerySet[Traject]) -> QuerySet[Gesprek]:
    """The cycle slots of `trajecten` (see _slots)."""
    return _slots().filter(traject__in=trajecten.values("pk"))


@dataclass(frozen=True)
class SlotStates:
    on_time: Q
    late: Q
    overdue: Q

    @property
    def counted(self) -> Q:
        return self.on_time | self.late | self.overdue


def slot_states(today: datetime.date) -> SlotStates:
    """Conditions on `cycle_slots` rows for on time, late and overdue (see the module doc)."""
    return SlotStates(
        on_time=Q(signed_on__isnull=False, signed_on__lte=F("deadline")),
        late=Q(signed_on__gt=F("deadline")),
        overdue=Q(
            signed_on__isnull=True,
            planned_for__lt=today - datetime.timedelta(days=ON_TIME_DAYS),
            traject__status__in=RUNNING,
        ),
    )


def with_slot_counts(qs: QuerySet[Traject], today: datetime.date) -> QuerySet[Traject]:
    """Annotate `n_on_time`, `n_late`, `n_overdue` per traject (for lists and exports)."""
    states = slot_states(today)
    slots = _slots().filter(traject=OuterRef("pk"))
    return qs.annotate(
        n_on_time=count_of(slots.filter(states.on_time)),
        n_late=count_of(slots.filter(states.late)),
        n_overdue=count_of(slots.filter(states.overdue)),
    )


def _slot_state_counts(today: datetime.date) -> dict[str, Count]:
    """`on_time`, `late` and `overdue` counts of cycle slots, for a GROUP BY."""
    states = slot_states(today)
    return {
        "on_time": Count("pk", filter=states.on_time),
        "late": Count("pk", filter=states.late),
        "overdue": Count("pk", filter=states.overdue),
    }


def slot_counts(traject_ids: list[int], today: datetime.date) -> dict[int, tuple[int, int, int]]:
    """(on time, late, overdue) per traject of `traject_ids`, in one grouped query: the same
    counts as `with_slot_counts`, for a page of rows (three correlated subqueries per row
    cost more to build and run)."""
    rows = (
        _slots()
        .filter(traject_id__in=traject_ids)
        .order_by()
        .values("traject_id")
        .annotate(**_slot_state_counts(today))
        .values_list("traject_id", "on_time", "late", "overdue")
    )
    return {pk: (on_time, late, overdue) for pk, on_time, late, overdue in rows}


def overdue_slots(
    trajecten: QuerySet[Traject], today: datetime.date, limit: int = 50
) -> tuple[list[Gesprek], int]:
    """The oldest overdue cycle slots of `trajecten`, with the people to call, and how many
    are overdue in all."""
    overdue = cycle_slots(trajecten).filter(slot_states(today).overdue)
    rows = list(
        overdue.select_related(
            "traject__zij_instromer", "traject__school", "traject__coach", "traject__slb"
        ).order_by("planned_for", "pk")[:limit]
    )
    n = len(rows) if len(rows) < limit else overdue.count()
    return rows, n


# --- Sets of trajecten (uncorrelated subqueries: the database hashes each once) ----------


def _signed_with_koers() -> QuerySet[Verslag]:
    return Verslag.objects.filter(
        locked_at__isnull=False, gesprek__status=Gesprek.Status.GEPLAND
    ).exclude(koers="")


def _later_signed_with_koers() -> QuerySet[Verslag]:
    """Signed reports with an answer of the outer report's traject, held after it."""
    return _signed_with_koers().filter(
        Q(gesprek__starts_at__gt=OuterRef("gesprek__starts_at"))
        | Q(gesprek__starts_at=OuterRef("gesprek__starts_at"), pk__gt=OuterRef("pk")),
        gesprek__traject_id=OuterRef("gesprek__traject_id"),
    )


def last_koers_trajecten(koers: str) -> QuerySet:
    """Ids of the trajecten whose last signed report answered `koers`."""
    return (
        _signed_with_koers()
        .filter(koers=koers)
        .filter(~Exists(_later_signed_with_koers()))
        .values("gesprek__traject_id")
    )


def off_track_twice_trajecten(within: QuerySet[Traject] | None = None) -> QuerySet:
    """Ids of the trajecten (of `within`, when given) whose last two signed answers were both
    "uit koers". Pass the trajecten being counted: without them the database works through
    every signed report in the country (270 ms of a school leader's overview at national
    size, for a school of 80 trajecten)."""
    reports = _signed_with_koers().filter(koers=KOERS.UIT_KOERS)
    if within is not None:
        reports = reports.filter(gesprek__traject__in=within.order_by().values("pk"))
    return (
        reports.filter(~Exists(_later_signed_with_koers().exclude(koers=KOERS.UIT_KOERS)))
        .values("gesprek__traject_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .values("gesprek__traject_id")
    )


def proeve_trajecten(result: str, within: QuerySet[Traject] | None = None) -> QuerySet:
    """Ids of the trajecten (of `within`, when given) whose latest Proeve attempt has
    `result`. Pass the trajecten being counted, as for off_track_twice_trajecten."""
    later = Proeve.objects.filter(dossier_id=OuterRef("dossier_id"), poging__gt=OuterRef("poging"))
    uitslag = "" if result == ProeveResult.LOPEND else result
    proeven = Proeve.objects.filter(uitslag=uitslag)
    if within is not None:
        proeven = proeven.filter(dossier__traject__in=within.order_by().values("pk"))
    return proeven.filter(~Exists(later)).values("dossier__traject_id")


def changed_trajecten(within: QuerySet[Traject] | None = None) -> QuerySet:
    """Ids of the trajecten (of `within`, when given) whose coach or SLB changed at least
    once."""
    assignments = Roltoewijzing.objects.filter(rol__in=[Rol.COACH, Rol.SLB])
    if within is not None:
        assignments = assignments.filter(traject__in=within.order_by().values("pk"))
    return (
        assignments.values("traject_id", "rol")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .values("traject_id")
    )


# --- Per school ------------------------------------------------------------------------


@dataclass
class Figures:
    """The numbers of one school, board or the whole selection."""

    n: int = 0
    stage_route: dict = field(default_factory=dict)  # (stage, route) -> n
    running: int = 0
    koers: dict = field(default_factory=lambda: dict.fromkeys(KOERS.values, 0))  # running
    ends_soon: int = 0
    off_track_twice: int = 0
    attention: int = 0  # ends soon or off track twice (each traject once)
    proeve: dict = field(default_factory=lambda: dict.fromkeys(ProeveResult.LABELS, 0))
    coach_changes: int = 0
    slb_changes: int = 0
    changed: int = 0  # trajecten with at least one change of coach or SLB
    on_time: int = 0
    late: int = 0
    overdue: int = 0

    def add(self, other: Figures) -> None:
        for name in (
            "n",
            "running",
            "ends_soon",
            "off_track_twice",
            "attention",
            "coach_changes",
            "slb_changes",
            "changed",
            "on_time",
            "late",
            "overdue",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("stage_route", "koers", "proeve"):
            mine = getattr(self, name)
            for key, value in getattr(other, name).items():
                mine[key] = mine.get(key, 0) + value

    @property
    def stages(self) -> dict[str, int]:
        return {
            s.value: sum(n for (stage, _r), n in self.stage_route.items() if stage == s.value)
            for s in Stage
        }

    @property
    def routes(self) -> dict[str, int]:
        return {
            r.value: sum(n for (_s, route), n in self.stage_route.items() if route == r.value)
            for r in Traject.Route
        }

    @property
    def koers_unknown(self) -> int:
        """Running trajecten without any signed answer yet."""
        return self.running - sum(self.koers.values())

    @property
    def counted_slots(self) -> int:
        return self.on_time + self.late + self.overdue

    @property
    def on_time_pct(self) -> int | None:
        return round(100 * self.on_time / self.counted_slots) if self.counted_slots else None


def _traject_counts(today: datetime.date, qs: QuerySet[Traject]) -> dict:
    """Filtered counts per group of `qs`, all on the traject's own columns (the stored
    figures, see refresh_traject_figures)."""
    twice = off_track_twice_q()
    counts = {
        "n": Count("pk"),
        "ends_soon": Count("pk", filter=ends_soon_q(today)),
        "off_track_twice": Count("pk", filter=twice),
        "attention": Count("pk", filter=ends_soon_q(today) | twice),
        "changed": Count("pk", filter=Q(fig_coach_changes__gt=0) | Q(fig_slb_changes__gt=0)),
        "coach_changes": Sum("fig_coach_changes"),
        "slb_changes": Sum("fig_slb_changes"),
    }
    for result in PROEVE_RESULTS:
        counts[f"proeve__{result}"] = Count("pk", filter=Q(fig_proeve=result))
    return counts


PROEVE_RESULTS = (ProeveResult.VOLDOENDE, ProeveResult.ONVOLDOENDE, ProeveResult.LOPEND)


def _stage_route_pairs() -> list[tuple[str, str]]:
    return [(stage.value, route.value) for stage in Stage for route in Traject.Route]


def figures_per_group(
    qs: QuerySet[Traject], today: datetime.date, key: str, slots: dict
) -> tuple[dict[int, Figures], dict[tuple[str, str], int]]:
    """Figures per value of `key` ("school_id" or "school__bestuur_id") for the (filtered)
    trajecten `qs`, and (phase, route) -> number over all of them: one GROUP BY on the
    traject's own columns (status, dates, the stored phase and figures), one row per board
    or school whatever the number of trajecten, with the slot counts per group of
    `slot_figures`."""
    running = Q(status__in=RUNNING)
    counts = _traject_counts(today, qs)
    counts["running"] = Count("pk", filter=running)
    for value in KOERS.values:
        counts[f"koers__{value}"] = Count("pk", filter=running & Q(fig_last_koers=value))
    pairs = _stage_route_pairs()
    for stage, route in pairs:
        counts[f"sr__{stage}__{route}"] = Count("pk", filter=Q(fase=stage, route=route))
    result: dict[int, Figures] = {}
    stage_route = dict.fromkeys(pairs, 0)
    for row in qs.order_by().values(key).annotate(**counts):
        figures = result.setdefault(row[key], Figures())
        figures.n = row["n"]
        figures.running = row["running"]
        figures.koers = {value: row[f"koers__{value}"] for value in KOERS.values}
        figures.ends_soon = row["ends_soon"]
        figures.off_track_twice = row["off_track_twice"]
        figures.attention = row["attention"]
        figures.changed = row["changed"]
        figures.coach_changes = row["coach_changes"] or 0
        figures.slb_changes = row["slb_changes"] or 0
        figures.proeve = {value: row[f"proeve__{value}"] for value in PROEVE_RESULTS}
        for pair in pairs:
            stage_route[pair] += row[f"sr__{pair[0]}__{pair[1]}"]
    for group, (on_time, late, overdue) in slots.items():
        figures = result.setdefault(group, Figures())
        figures.on_time, figures.late, figures.overdue = on_time, late, overdue
    return result, {pair: n for pair, n in stage_route.items() if n}


def slot_figures(
    qs: QuerySet[Traject], today: datetime.date, key: str, quarters: int = 8
) -> tuple[dict[int, tuple[int, int, int]], list[dict]]:
    """The cycle slots of the (filtered) trajecten `qs` in one GROUP BY: (on time, late,
    overdue) per value of `key` (as figures_per_group), and the last `quarters` quarters up
    to today (by the slot's date by the rhythm), each with on_time / late / overdue counts
    and the on-time percentage (None without slots). A row per group and quarter."""
    last = Quarter.of(today)
    first = last.minus(quarters - 1)
    in_window = Q(planned_for__gte=first.first_day, planned_for__lt=last.next.first_day)
    bucket = Case(
        When(in_window, then=ExtractYear("planned_for") * 10 + ExtractQuarter("planned_for")),
        default=Value(0),
        output_field=IntegerField(),
    )
    slot_key = f"traject__{key}"
    rows = (
        cycle_slots(qs)
        .annotate(bucket=bucket)
        .order_by()
        .values(slot_key, "bucket")
        .annotate(**_slot_state_counts(today))
    )
    per_group: dict[int, list[int]] = {}
    per_bucket: dict[int, list[int]] = {}
    for row in rows:
        counts = (row["on_time"], row["late"], row["overdue"])
        for totals, at in ((per_group, row[slot_key]), (per_bucket, row["bucket"])):
            into = totals.setdefault(at, [0, 0, 0])
            for i, n in enumerate(counts):
                into[i] += n
    series = []
    for i in range(quarters):
        quarter = first.minus(-i)
        on_time, late, overdue = per_bucket.get(quarter.year * 10 + quarter.quarter, (0, 0, 0))
        counted = on_time + late + overdue
        series.append(
            {
                "quarter": quarter,
                "on_time": on_time,
                "late": late,
                "overdue": overdue,
                "counted": counted,
                "pct": round(100 * on_time / counted) if counted else None,
            }
        )
    return {group: tuple(counts) for group, counts in per_group.items()}, series

"""What the overview pages show, assembled from the figures: the drill-down level, the rows
per board or school, the lists and a page of trajecten. A fixed number of queries per page,
whatever the number of trajecten."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import QuerySet

from portal.models import School
from trajecten.access import trajecten_for
from trajecten.models import Instemming, Rol, Scholingsplanversie, Traject
from trajecten.selectors import with_stage

from . import figures as fg
from .forms import OverviewFilterForm, SignalenFilterForm, besturen_of
from .scope import SCHOOLLEIDER, Scope
from .signalen import (
    SoortCounts,
    filter_signalen,
    per_quarter,
    per_school,
    per_tag,
    recent_quarters,
    signalen_of,
    tags_for,
)

PAGE_SIZE = 50
LIST_LIMIT = 100

# Drill-down levels: the rows of the table are boards, schools, or (one school chosen) none.
BY_BESTUUR = "bestuur"
BY_SCHOOL = "school"
ONE_SCHOOL = "traject"

_PEOPLE = ("zij_instromer", "school__bestuur", "coach", "slb")


@dataclass
class Group:
    """One row of the drill-down table: a board or a school with its figures."""

    kind: str
    obj: object
    figures: object


def drill_level(scope: Scope, schools: list[School], bestuur, school) -> str:
    if school:
        return ONE_SCHOOL
    if bestuur or scope.kind == SCHOOLLEIDER or len(besturen_of(schools)) < 2:
        return BY_SCHOOL
    return BY_BESTUUR


def group_rows(level: str, schools: list[School], per_group: dict) -> list[Group]:
    """Rows per board or per school (by name) from `figures_per_group`; boards and schools
    without trajecten in the selection are left out."""
    if level == BY_BESTUUR:
        objects = {s.bestuur_id: s.bestuur for s in schools}
    else:
        objects = {s.pk: s for s in schools}
    groups = [
        Group(level, objects[pk], figures) for pk, figures in per_group.items() if pk in objects
    ]
    return sorted(groups, key=lambda g: g.obj.name)


def total_of(per_group: dict, stage_route: dict) -> fg.Figures:
    total = fg.Figures()
    for figures in per_group.values():
        total.add(figures)
    total.stage_route = stage_route
    return total


def traject_rows(pks: list[int], today: datetime.date, order: tuple) -> list[Traject]:
    """The trajecten `pks` with everything a row shows (stage, people, answers, Proeve,
    changes, slots), in `order`. The correlated subqueries run for these rows only."""
    if not pks:
        return []  # compiling the annotated query costs 5-10 ms even when it finds nothing
    # A row shows the side-entrant and the school: only those are joined (each person more
    # is a model instance with its JSON field decoded, 50 times).
    qs = Traject.objects.filter(pk__in=pks).select_related("zij_instromer", "school")
    rows = list(fg.with_traject_figures(with_stage(qs)).order_by(*order))
    counts = fg.slot_counts(pks, today)
    for row in rows:
        row.proeve_label = fg.ProeveResult.LABELS.get(row.proeve, "")
        row.n_on_time, row.n_late, row.n_overdue = counts.get(row.pk, (0, 0, 0))
    return rows


def export_rows(qs: QuerySet[Traject], today: datetime.date) -> QuerySet[Traject]:
    """Every traject of the (filtered) selection with the figures of a row, for the export."""
    return fg.with_slot_counts(
        fg.with_traject_figures(qs.select_related(*_PEOPLE)), today
    ).order_by("school__bestuur__name", "school__name", "zij_instromer__last_name", "pk")


def attention_rows(qs: QuerySet[Traject], today: datetime.date) -> tuple[list[Traject], int]:
    """Running trajecten within six months of their end date or off track twice in a row,
    those ending first on top (at most LIST_LIMIT), and how many there are."""
    asking = qs.filter(fg.ends_soon_q(today) | fg.off_track_twice_q()).exclude(
        status__in=[Traject.Status.AFGEROND, Traject.Status.GESTOPT]
    )
    pks = list(asking.order_by("end_date", "pk").values_list("pk", flat=True)[:LIST_LIMIT])
    if not pks:
        return [], 0
    n = len(pks) if len(pks) < LIST_LIMIT else asking.count()
    rows = list(
        fg.with_traject_figures(with_stage(Traject.objects.filter(pk__in=pks)))
        .select_related("zij_instromer", "school")
        .order_by("end_date", "pk")
    )
    soon_before = today + datetime.timedelta(days=fg.ENDS_SOON_DAYS)
    for row in rows:
        row.is_ending = row.end_date <= soon_before
        row.is_off_track_twice = row.last_koers == row.prev_koers == fg.KOERS.UIT_KOERS
    return rows, n


@dataclass
class OverviewPage:
    """The figures tab: totals, per board or school, per quarter. The lists of people (what
    asks for attention, the trajecten) are tabs of their own (AandachtPage, TrajectenPage):
    a summary page does not render hundreds of rows."""

    form: OverviewFilterForm
    level: str
    bestuur: object
    school: object
    total: fg.Figures
    groups: list[Group]
    quarters: list[dict]
    filters: dict = field(default_factory=dict)


def overview_filters(scope: Scope, data) -> tuple[OverviewFilterForm, dict, list[School]]:
    """The bound filter form and the valid filter values (the schools, the cohorts)."""
    schools = scope.school_refs
    cohorts = fg.cohorts_of(scope.trajecten)
    form = OverviewFilterForm(data, schools=schools, cohorts=cohorts)
    filters = {
        "bestuur": form.value("bestuur") if "bestuur" in form.fields else None,
        "school": form.value("school") if "school" in form.fields else None,
        "route": form.value("route"),
        "cohort": form.cohort_month(),
        "fase": form.value("fase"),
    }
    return form, filters, schools


def overview_page(scope: Scope, data, today: datetime.date) -> OverviewPage:
    """The figures of the overview for `scope` and the GET `data` (filters). A fixed number
    of queries, each an aggregate in the database."""
    form, filters, schools = overview_filters(scope, data)
    qs = fg.filtered(scope.trajecten, **filters)
    level = drill_level(scope, schools, filters["bestuur"], filters["school"])
    key = "school__bestuur_id" if level == BY_BESTUUR else "school_id"
    slots, quarters = fg.slot_figures(qs, today, key)
    per_group, stage_route = fg.figures_per_group(qs, today, key, slots)
    groups = group_rows(level, schools, per_group)
    if level == ONE_SCHOOL or (level == BY_SCHOOL and len(groups) < 2):
        groups = []  # one school: its row would only repeat the totals
    return OverviewPage(
        form=form,
        level=level,
        bestuur=form.besturen.get(filters["bestuur"]),
        school=form.schools.get(filters["school"]),
        total=total_of(per_group, stage_route),
        groups=groups,
        quarters=quarters,
        filters=filters,
    )


@dataclass
class AandachtPage:
    """The attention tab: running trajecten near their end or off track twice, and the
    oldest overdue reports, with how many there are in all."""

    form: OverviewFilterForm
    bestuur: object
    school: object
    attention: list[Traject]
    n_attention: int
    overdue: list
    n_overdue: int
    filters: dict


def aandacht_page(scope: Scope, data, today: datetime.date) -> AandachtPage:
    form, filters, _schools = overview_filters(scope, data)
    qs = fg.filtered(scope.trajecten, **filters)
    attention, n_attention = attention_rows(qs, today)
    overdue, n_overdue = fg.overdue_slots(qs, today)
    return AandachtPage(
        form=form,
        bestuur=form.besturen.get(filters["bestuur"]),
        school=form.schools.get(filters["school"]),
        attention=attention,
        n_attention=n_attention,
        overdue=overdue,
        n_overdue=n_overdue,
        filters=filters,
    )


@dataclass
class TrajectenPage:
    """The trajecten tab: a page of the (filtered) trajecten with each one's figures."""

    form: OverviewFilterForm
    bestuur: object
    school: object
    page: object
    rows: list[Traject]
    filters: dict


def trajecten_page(scope: Scope, data, today: datetime.date, page_number) -> TrajectenPage:
    form, filters, _schools = overview_filters(scope, data)
    qs = fg.filtered(scope.trajecten, **filters)
    ids = qs.order_by("end_date", "pk").values_list("pk", flat=True)
    page = Paginator(ids, PAGE_SIZE).get_page(page_number)
    return TrajectenPage(
        form=form,
        bestuur=form.besturen.get(filters["bestuur"]),
        school=form.schools.get(filters["school"]),
        page=page,
        rows=traject_rows(list(page.object_list), today, ("end_date", "pk")),
        filters=filters,
    )


def overview_export(scope: Scope, data, today: datetime.date) -> tuple[QuerySet, dict]:
    """The filtered selection for the CSV export, and the filters applied."""
    _form, filters, _schools = overview_filters(scope, data)
    return export_rows(fg.filtered(scope.trajecten, **filters), today), filters


# --- Signals -------------------------------------------------------------------------------


@dataclass
class SignalenPage:
    form: SignalenFilterForm
    level: str
    total: SoortCounts
    tags: list[dict]
    groups: list[dict]
    quarters: list[dict]
    filters: dict


def signalen_filters(scope: Scope, data, today: datetime.date):
    schools = scope.school_refs
    form = SignalenFilterForm(
        data,
        schools=schools,
        quarters=recent_quarters(today),
        tags=tags_for(scope.partnerschap_ids),
    )
    filters = {
        "bestuur": form.value("bestuur") if "bestuur" in form.fields else None,
        "school": form.value("school") if "school" in form.fields else None,
        "soort": form.value("soort"),
        "quarter": form.quarter(),
        "tag": form.value("tag"),
    }
    return form, filters, schools


def signalen_page(scope: Scope, data, today: datetime.date) -> SignalenPage:
    """Counts by tag, by board or school, and by quarter, for the filtered signals."""
    form, filters, schools = signalen_filters(scope, data, today)
    quarters = recent_quarters(today, 8)
    if filters["quarter"] and filters["quarter"] not in quarters:
        quarters = [filters["quarter"]]

    qs = filter_signalen(signalen_of(scope.trajecten), **filters)
    counts = per_school(qs)
    total = SoortCounts()
    for c in counts.values():
        total.add(c)
    level = drill_level(scope, schools, filters["bestuur"], filters["school"])
    groups: dict[int, dict] = {}
    for school in sorted(schools, key=lambda s: s.name):
        if school.pk not in counts:
            continue
        obj = school.bestuur if level == BY_BESTUUR else school
        group = groups.setdefault(obj.pk, {"kind": level, "obj": obj, "counts": SoortCounts()})
        group["counts"].add(counts[school.pk])
    return SignalenPage(
        form=form,
        level=level,
        total=total,
        tags=per_tag(qs),
        groups=sorted(groups.values(), key=lambda g: g["obj"].name),
        quarters=per_quarter(qs, quarters),
        filters=filters,
    )


# --- What awaits the school leader -----------------------------------------------------------


def plans_awaiting_school(user) -> QuerySet[Scholingsplanversie]:
    """Plan versions of running trajecten at `user`'s schools that are waiting for the
    school's agreement (the school leader's), oldest request first."""
    trajecten = trajecten_for(user, [Rol.SCHOOLLEIDER]).filter(status__in=fg.RUNNING)
    return (
        Scholingsplanversie.objects.filter(
            plan__traject__in=trajecten.values("pk"),
            status=Scholingsplanversie.Status.TER_INSTEMMING,
        )
        .exclude(instemmingen__partij=Instemming.Partij.SCHOOL)
        .select_related("plan__traject__zij_instromer", "plan__traject__school")
        .order_by("submitted_at", "pk")
    )

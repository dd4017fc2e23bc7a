"""Reads for trajecten: querysets with their related objects already fetched.

Other apps use these (never the models' managers directly) for what they show about a
traject: the stage (`with_stage`, `traject_stage`), the agreed plan
(`current_plan_version`), progress per ontwikkelpunt (`progress_per_ontwikkelpunt`) and the
latest log entries (`latest_logboekregels`). Each of them runs a fixed number of queries,
whatever the size of the plan or log.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.http import Http404
from django.utils import timezone

from portal.models import AuditEvent

from .models import (
    Activiteit,
    Activiteitvoortgang,
    Geschiktheidsonderzoek,
    Instemming,
    Logboekreactie,
    Logboekregel,
    LogboekregelVersie,
    Ontwikkelpunt,
    Planopmerking,
    Roltoewijzing,
    Scholingsplan,
    Scholingsplanversie,
    Stage,
    Traject,
    Verlenging,
)


def with_stage(qs: QuerySet[Traject]) -> QuerySet[Traject]:
    """Annotate each traject with `stage`: its lifecycle phase (the stored Traject.fase, see
    trajecten.lifecycle), so that lists and figures read and filter it like the column it
    is: `with_stage(qs).filter(stage=Stage.INTAKE)`."""
    return qs.annotate(stage=F("fase"))


def traject_stage(traject: Traject) -> Stage:
    """The phase of one traject (no query)."""
    return Stage(traject.fase)


def traject_list(qs: QuerySet[Traject]) -> QuerySet[Traject]:
    """Trajecten for a list page: people, school and phase in the same query."""
    return with_stage(
        qs.select_related("zij_instromer", "school__bestuur", "coach", "slb", "duo")
    ).order_by("end_date", "pk")


def filter_trajecten(
    qs: QuerySet[Traject],
    *,
    q: str = "",
    status: str = "",
    stage: str = "",
    school=None,
    ends_soon: bool = False,
) -> QuerySet[Traject]:
    """Narrow a `with_stage`-annotated traject queryset for a list page: words of `q` in
    the side-entrant's name or e-mail, status, stage, school, and ending within six months."""
    for word in q.split():
        qs = qs.filter(
            Q(zij_instromer__first_name__icontains=word)
            | Q(zij_instromer__last_name__icontains=word)
            | Q(zij_instromer__email__icontains=word)
        )
    if status:
        qs = qs.filter(status=status)
    if stage:
        qs = qs.filter(stage=stage)
    if school is not None:
        qs = qs.filter(school=school)
    if ends_soon:
        qs = qs.filter(
            end_date__lte=timezone.localdate() + datetime.timedelta(days=183),
            status__in=[Traject.Status.INTAKE, Traject.Status.ACTIEF],
        )
    return qs


def status_counts(qs: QuerySet[Traject]) -> dict[str, int]:
    """How many trajecten per status, in one query."""
    rows = qs.order_by().values("status").annotate(n=Count("pk"))
    counts = {s.value: 0 for s in Traject.Status}
    counts.update({r["status"]: r["n"] for r in rows})
    return counts


def schools_of(qs: QuerySet[Traject]):
    """The schools of the trajecten in `qs` (for a filter). Two queries: their ids first, then
    the schools. As one query with a subquery, PostgreSQL tried every school of the country
    against the access rules (50 ms for the coordinator of 2,000 trajecten; about 20 ms
    this way)."""
    from portal.models import School  # portal.models is our only dependency

    ids = sorted(qs.order_by().values_list("school_id", flat=True).distinct())
    return School.objects.filter(pk__in=ids).order_by("name")


# --- intake ---------------------------------------------------------------------------------


def onderzoek_for(traject: Traject) -> Geschiktheidsonderzoek | None:
    """The traject's geschiktheidsonderzoek (or None), with who recorded it: no query when
    the traject came with it (select_related("geschiktheidsonderzoek__vastgelegd_door"))."""
    if Traject.geschiktheidsonderzoek.is_cached(traject):
        return getattr(traject, "geschiktheidsonderzoek", None)
    return (
        Geschiktheidsonderzoek.objects.select_related("vastgelegd_door")
        .filter(traject=traject)
        .first()
    )


def ontwikkelpunten_for(traject: Traject) -> QuerySet[Ontwikkelpunt]:
    """The traject's ontwikkelpunten in order, each with its bekwaamheidsgebied."""
    return (
        Ontwikkelpunt.objects.filter(traject=traject)
        .select_related("gebied")
        .order_by("order", "pk")
    )


# --- scholingsplan --------------------------------------------------------------------------


def _activiteiten_prefetch() -> Prefetch:
    return Prefetch(
        "activiteiten",
        queryset=Activiteit.objects.select_related("ontwikkelpunt__gebied"),
        to_attr="activiteiten_list",
    )


def _versions(traject: Traject) -> QuerySet[Scholingsplanversie]:
    return (
        Scholingsplanversie.objects.filter(plan__traject=traject)
        .select_related("plan", "created_by")
        .prefetch_related(
            _activiteiten_prefetch(),
            Prefetch("instemmingen", queryset=Instemming.objects.select_related("user")),
        )
    )


def _mark_done(traject: Traject, versions: list[Scholingsplanversie]) -> None:
    """Set `.afgerond` on every activity of `versions` (one query)."""
    done = set(
        Activiteitvoortgang.objects.filter(plan__traject=traject, afgerond=True).values_list(
            "key", flat=True
        )
    )
    for versie in versions:
        for activiteit in versie.activiteiten_list:
            activiteit.afgerond = activiteit.key in done


def plan_for(traject: Traject) -> Scholingsplan | None:
    return Scholingsplan.objects.filter(traject=traject).first()


def current_plan_version(traject: Traject) -> Scholingsplanversie | None:
    """The scholingsplan version in force: the latest one agreed by all three parties.

    None while no version has been agreed. The version has `activiteiten_list` (each
    activity with `ontwikkelpunt.gebied` and an `afgerond` flag) and its `instemmingen`
    (with `user`) prefetched: enough for a summary such as bekwaamheid's PDF. Three
    queries plus one for the done flags.
    """
    versie = (
        _versions(traject)
        .filter(status=Scholingsplanversie.Status.VASTGESTELD)
        .order_by("-nummer")
        .first()
    )
    if versie is not None:
        _mark_done(traject, [versie])
    return versie


def has_agreed_plan(traject: Traject) -> bool:
    """Whether any version of the traject's plan has been agreed: the `has_agreed_plan`
    annotation of `with_agreed_plan` when the traject came with it, else one query."""
    if hasattr(traject, "has_agreed_plan"):
        return traject.has_agreed_plan
    return Scholingsplanversie.objects.filter(
        plan__traject=traject, status=Scholingsplanversie.Status.VASTGESTELD
    ).exists()


def _agreed_versions(among=None) -> QuerySet[Scholingsplanversie]:
    """The agreed plan versions of the outer traject (narrowed to `among` when given): the
    subquery behind the stage and behind `has_agreed_plan`."""
    versies = Scholingsplanversie.objects.filter(
        plan__traject=OuterRef("pk"), status=Scholingsplanversie.Status.VASTGESTELD
    )
    return versies if among is None else versies.filter(plan__traject_id__in=among)


def with_agreed_plan(qs: QuerySet[Traject], among) -> QuerySet[Traject]:
    """Annotate `has_agreed_plan` inside the same query (the traject page: one query less).
    `among`: the traject ids, as for with_stage."""
    return qs.annotate(has_agreed_plan=Exists(_agreed_versions(among)))


def open_plan_version(traject: Traject) -> Scholingsplanversie | None:
    """The version being drafted or awaiting agreement (at most one), else None."""
    versie = (
        _versions(traject)
        .exclude(status=Scholingsplanversie.Status.VASTGESTELD)
        .prefetch_related(
            Prefetch("opmerkingen", queryset=Planopmerking.objects.select_related("auteur"))
        )
        .first()
    )
    if versie is not None:
        _mark_done(traject, [versie])
    return versie


def open_plan_version_brief(traject: Traject) -> Scholingsplanversie | None:
    """The open version (drafted or awaiting agreement) with only what the traject page
    shows: its number and status, and for one awaiting agreement the parties that already
    agreed (`given`). One query, two when it awaits agreement."""
    versie = (
        Scholingsplanversie.objects.filter(plan__traject=traject)
        .exclude(status=Scholingsplanversie.Status.VASTGESTELD)
        .only("pk", "nummer", "status", "plan_id")
        .order_by("-nummer")
        .first()
    )
    if versie is not None:
        versie.given = (
            set(Instemming.objects.filter(versie=versie).values_list("partij", flat=True))
            if versie.status == Scholingsplanversie.Status.TER_INSTEMMING
            else set()
        )
    return versie


def plan_versions(traject: Traject) -> list[Scholingsplanversie]:
    """Every version of the plan, newest first, with activities (done flags set),
    agreements and comments: the plan pages take the version in force, the open version and
    the previous agreed one from this list (five queries, whatever the number of
    versions). Pick from it with `agreed_in`, `open_in` and `previous_in`."""
    versions = list(
        _versions(traject)
        .prefetch_related(
            Prefetch("opmerkingen", queryset=Planopmerking.objects.select_related("auteur"))
        )
        .order_by("-nummer")
    )
    _mark_done(traject, versions)
    return versions


def agreed_in(versions: list[Scholingsplanversie]) -> Scholingsplanversie | None:
    """The version in force among `versions` (newest first): the latest agreed one."""
    agreed = Scholingsplanversie.Status.VASTGESTELD
    return next((v for v in versions if v.status == agreed), None)


def open_in(versions: list[Scholingsplanversie]) -> Scholingsplanversie | None:
    """The version being drafted or awaiting agreement among `versions`, else None."""
    agreed = Scholingsplanversie.Status.VASTGESTELD
    return next((v for v in versions if v.status != agreed), None)


def previous_in(
    versions: list[Scholingsplanversie], versie: Scholingsplanversie
) -> Scholingsplanversie | None:
    """The agreed version before `versie` among `versions` (what it is compared with)."""
    agreed = Scholingsplanversie.Status.VASTGESTELD
    return next((v for v in versions if v.status == agreed and v.nummer < versie.nummer), None)


def plan_version(traject: Traject, nummer: int) -> Scholingsplanversie:
    """Version `nummer` of the traject's plan, with activities, agreements and comments;
    Http404 when there is no such version."""
    versie = next((v for v in plan_versions(traject) if v.nummer == nummer), None)
    if versie is None:
        raise Http404
    return versie


@dataclass
class Progress:
    """How far one ontwikkelpunt is: planned activities in the agreed plan, and done."""

    ontwikkelpunt: Ontwikkelpunt
    planned: int
    done: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.planned) if self.planned else 0


def progress_per_ontwikkelpunt(traject: Traject) -> list[Progress]:
    """For every ontwikkelpunt of `traject` (in order): how many activities the current
    agreed plan version plans for it and how many of those are done. Ontwikkelpunten
    without planned activities have planned == 0. Two queries: the ontwikkelpunten, and the
    activities of the latest agreed version with whether each is done."""
    punten = list(ontwikkelpunten_for(traject))
    latest_agreed = (
        Scholingsplanversie.objects.filter(
            plan__traject=traject, status=Scholingsplanversie.Status.VASTGESTELD
        )
        .order_by("-nummer")
        .values("pk")[:1]
    )
    done = Activiteitvoortgang.objects.filter(
        plan=OuterRef("versie__plan"), key=OuterRef("key"), afgerond=True
    )
    planned: dict[int, list[bool]] = {p.pk: [] for p in punten}
    for punt_id, is_done in (
        Activiteit.objects.filter(versie=Subquery(latest_agreed))
        .annotate(is_done=Exists(done))
        .values_list("ontwikkelpunt_id", "is_done")
    ):
        planned.setdefault(punt_id, []).append(is_done)
    return [
        Progress(
            ontwikkelpunt=p,
            planned=len(planned[p.pk]),
            done=sum(planned[p.pk]),
        )
        for p in punten
    ]


# --- logboek --------------------------------------------------------------------------------


def _logboek_qs(traject: Traject) -> QuerySet[Logboekregel]:
    return (
        Logboekregel.objects.filter(traject=traject)
        .prefetch_related(
            Prefetch("ontwikkelpunten", queryset=Ontwikkelpunt.objects.select_related("gebied")),
            Prefetch("reacties", queryset=Logboekreactie.objects.select_related("auteur")),
        )
        .order_by("-datum", "-pk")
    )


def latest_logboekregels(traject: Traject, limit: int = 5) -> list[Logboekregel]:
    """The `limit` most recent log entries of `traject` (by date), each with its
    ontwikkelpunten and reactions prefetched. Three queries."""
    return list(_logboek_qs(traject)[:limit])


def logboek_timeline(
    traject: Traject,
    *,
    ontwikkelpunt: Ontwikkelpunt | None = None,
    van: datetime.date | None = None,
    tot: datetime.date | None = None,
) -> QuerySet[Logboekregel]:
    """The log of `traject`, newest first, optionally only entries linked to
    `ontwikkelpunt` and dated between `van` and `tot` (inclusive)."""
    qs = _logboek_qs(traject)
    if ontwikkelpunt is not None:
        qs = qs.filter(ontwikkelpunten=ontwikkelpunt)
    if van is not None:
        qs = qs.filter(datum__gte=van)
    if tot is not None:
        qs = qs.filter(datum__lte=tot)
    return qs


def logboekregel_for(traject: Traject, pk: int) -> Logboekregel:
    """Log entry `pk` of `traject` (with ontwikkelpunten, reactions, earlier versions);
    Http404 when it belongs to another traject or does not exist."""
    regel = (
        _logboek_qs(traject)
        .prefetch_related(
            Prefetch(
                "versies",
                queryset=LogboekregelVersie.objects.prefetch_related("ontwikkelpunten"),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if regel is None:
        raise Http404
    return regel


# --- people ---------------------------------------------------------------------------------


def roltoewijzingen(traject: Traject) -> QuerySet[Roltoewijzing]:
    """Who held which role on `traject` and when, oldest first, per role."""
    return (
        Roltoewijzing.objects.filter(traject=traject)
        .select_related("user", "door")
        .order_by("rol", "van", "pk")
    )


def verlengingen(traject: Traject) -> list[Verlenging]:
    """The recorded extensions of `traject`, oldest first."""
    return list(
        Verlenging.objects.filter(traject=traject)
        .select_related("vastgelegd_door")
        .order_by("vastgelegd_op", "pk")
    )


def stop_event(traject: Traject) -> AuditEvent | None:
    """When, by whom and why `traject` stopped (the audit trail's record of the move), or
    None when it did not stop."""
    if traject.status != Traject.Status.GESTOPT:
        return None
    return (
        AuditEvent.objects.filter(traject_id=traject.pk, action="traject.stop")
        .order_by("-at", "-pk")
        .first()
    )

"""Reads for the conversation cycle: querysets with their related objects already fetched,
and the bulk queries behind the reminder sweeps."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bekwaamheid.models import Bewijsstuk
from portal.kalender import school_year_of, school_years_known
from portal.models import Partnerschap, User
from trajecten.access import trajecten_for
from trajecten.models import Logboekregel, Ontwikkelpunt, Rol, Traject

from .models import (
    Addendum,
    Afspraak,
    Gesprek,
    Handtekening,
    Herinnering,
    PriveNotitie,
    Signaal,
    SignaalTag,
    Verslag,
    Voorbereiding,
)
from .planning import local_midnight

# --- Pages ---------------------------------------------------------------------------------


_PEOPLE = (
    "traject__zij_instromer",
    "traject__coach",
    "traject__slb",
    "traject__duo",
    "traject__school",
)


def _with_state(qs: QuerySet[Gesprek]) -> QuerySet[Gesprek]:
    """Conversations with what a list shows: preparations, report and signatures."""
    return qs.select_related("verslag", "moved_by").prefetch_related(
        Prefetch(
            "voorbereidingen",
            queryset=Voorbereiding.objects.only("pk", "gesprek_id", "rol", "ready_at", "auteur_id"),
        ),
        Prefetch("verslag__handtekeningen", queryset=Handtekening.objects.select_related("user")),
    )


def cycle_for(traject: Traject) -> QuerySet[Gesprek]:
    """Every conversation of `traject`, oldest first, with their state."""
    # Through the related manager: every row knows its traject without a query.
    return _with_state(traject.gesprekken.all()).order_by("starts_at", "pk")


def next_gesprek(traject: Traject) -> Gesprek | None:
    """The next planned conversation of `traject` that has not ended yet."""
    return (
        _with_state(
            traject.gesprekken.filter(
                status=Gesprek.Status.GEPLAND,
                starts_at__gte=timezone.now() - datetime.timedelta(hours=2),
            )
        )
        .order_by("starts_at", "pk")
        .first()
    )


def _own_traject_ids(user: User) -> list[int]:
    """The ids of the trajecten in whose conversations `user` takes part, as a list (one
    query). Filtering on a list of ids lets PostgreSQL start from the conversations of those
    trajecten; with a subquery and the nine tables of the people it joined every conversation
    in the period to its people first (more tables than its join_collapse_limit of 8)."""
    trajecten = trajecten_for(user, [Rol.ZIJ_INSTROMER, Rol.COACH, Rol.SLB])
    return list(trajecten.values_list("pk", flat=True))


def upcoming_for(user: User, *, days: int = 120) -> QuerySet[Gesprek]:
    """Planned conversations in which `user` takes part, from today for `days` days."""
    today = timezone.localdate()
    return (
        _with_state(
            Gesprek.objects.filter(
                traject_id__in=_own_traject_ids(user),
                status=Gesprek.Status.GEPLAND,
                starts_at__gte=local_midnight(today),
                starts_at__lt=local_midnight(today + datetime.timedelta(days=days)),
            )
        )
        .select_related(*_PEOPLE)
        .order_by("starts_at", "pk")
    )


def to_sign_for(user: User) -> QuerySet[Gesprek]:
    """Conversations of `user` whose report is written but not yet locked, from the
    conversation's day on (before it, a report is a draft that cannot be signed yet)."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return (
        _with_state(
            Gesprek.objects.filter(
                traject_id__in=_own_traject_ids(user),
                verslag__isnull=False,
                verslag__locked_at__isnull=True,
                starts_at__lt=timezone.make_aware(
                    datetime.datetime.combine(tomorrow, datetime.time.min)
                ),
            )
        )
        .select_related(*_PEOPLE)
        .order_by("starts_at", "pk")
    )


def voorbereidingen_of(gesprek: Gesprek) -> dict[str, Voorbereiding]:
    """The shared preparations of `gesprek` by role, with their links."""
    qs = (
        Voorbereiding.objects.filter(gesprek=gesprek)
        .select_related("auteur")
        .prefetch_related(
            Prefetch("ontwikkelpunten", queryset=Ontwikkelpunt.objects.select_related("gebied")),
            "logboekregels",
            *_evidence_prefetch(),
        )
    )
    return {v.rol: v for v in qs}


def prive_notitie_of(gesprek: Gesprek, user: User) -> PriveNotitie | None:
    """`user`'s own private note on `gesprek`: the only way a private note is ever read."""
    return PriveNotitie.objects.filter(gesprek=gesprek, auteur=user).first()


def verslag_of(gesprek: Gesprek) -> Verslag | None:
    """The report of `gesprek` with agreements, signals (and tags), signatures and addenda."""
    return (
        Verslag.objects.filter(gesprek=gesprek)
        .select_related("created_by", "updated_by")
        .prefetch_related(
            Prefetch("afspraken", queryset=Afspraak.objects.select_related("owner", "done_by")),
            Prefetch("signalen", queryset=Signaal.objects.prefetch_related("tags")),
            Prefetch("handtekeningen", queryset=Handtekening.objects.select_related("user")),
            Prefetch("addenda", queryset=Addendum.objects.select_related("auteur")),
        )
        .first()
    )


def previous_gesprek(gesprek: Gesprek) -> Gesprek | None:
    """The last conversation of the same traject before `gesprek` (planned, not vervallen)."""
    return (
        Gesprek.objects.filter(
            traject_id=gesprek.traject_id,
            status=Gesprek.Status.GEPLAND,
            starts_at__lt=gesprek.starts_at,
        )
        .exclude(pk=gesprek.pk)
        .order_by("-starts_at", "-pk")
        .first()
    )


@dataclass
class Changes:
    """What happened in a traject between the previous conversation and this one."""

    since: datetime.date | None
    logboekregels: list = field(default_factory=list)
    plan_changes: list = field(default_factory=list)
    afspraken_open: list = field(default_factory=list)
    afspraken_done: list = field(default_factory=list)


def changes_since_previous(gesprek: Gesprek) -> Changes:
    """New log entries, plan changes and the agreements due, since the previous conversation."""
    previous = previous_gesprek(gesprek)
    since = previous.local_date if previous else gesprek.traject.start_date
    logs = list(
        Logboekregel.objects.filter(traject_id=gesprek.traject_id)
        .filter(Q(datum__gte=since) | Q(created_at__gte=local_midnight(since)))
        .prefetch_related("ontwikkelpunten")
        .order_by("-datum", "-pk")[:50]
    )
    afspraken = list(
        Afspraak.objects.filter(verslag__gesprek__traject_id=gesprek.traject_id)
        .exclude(verslag__gesprek=gesprek)
        .filter(Q(done_at__isnull=True) | Q(done_at__gte=local_midnight(since)))
        .select_related("owner", "verslag__gesprek")
        .order_by("due_date", "pk")
    )
    return Changes(
        since=since,
        logboekregels=logs,
        plan_changes=_plan_changes(gesprek.traject, since),
        afspraken_open=[a for a in afspraken if not a.is_done],
        afspraken_done=[a for a in afspraken if a.is_done],
    )


def _plan_changes(traject: Traject, since: datetime.date) -> list:
    """Scholingsplan versions made or agreed since `since`, read through trajecten's
    selectors when they offer them (the plan belongs to trajecten; gesprekken only reads)."""
    from trajecten import selectors as traject_selectors

    reader = getattr(traject_selectors, "plan_versions", None)
    if reader is None:
        return []
    cutoff = local_midnight(since)
    return [
        v for v in reader(traject) if (getattr(v, "vastgesteld_op", None) or v.created_at) >= cutoff
    ]


def ontwikkelpunten_of(traject: Traject) -> QuerySet[Ontwikkelpunt]:
    return Ontwikkelpunt.objects.filter(traject=traject).select_related("gebied")


def logboekregels_of(traject: Traject, *, since: datetime.date) -> QuerySet[Logboekregel]:
    """Log entries a preparation may link: those from `since` on, newest first."""
    return Logboekregel.objects.filter(traject=traject, datum__gte=since).order_by("-datum", "-pk")


def _evidence_prefetch() -> list:
    return [
        Prefetch(
            "bewijsstukken",
            queryset=Bewijsstuk.objects.select_related("onderzoeksopdracht__opdracht"),
        )
    ]


def bewijsstukken_of(traject: Traject) -> QuerySet[Bewijsstuk]:
    """Evidence in the side-entrant's dossier that a preparation may link (not removed)."""
    return (
        Bewijsstuk.objects.filter(
            onderzoeksopdracht__dossier__traject=traject, removed_at__isnull=True
        )
        .select_related("onderzoeksopdracht__opdracht")
        .order_by("-created_at", "-pk")
    )


# --- Signal tags ---------------------------------------------------------------------------


def partnerschappen_coordinated_by(user: User) -> QuerySet[Partnerschap]:
    return Partnerschap.objects.filter(coordinatoren=user).order_by("name")


def tags_of(partnerschap_id: int) -> QuerySet[SignaalTag]:
    """All tags of a partnership with how often each is used, active ones first."""
    from django.db.models import Count

    return (
        SignaalTag.objects.filter(partnerschap_id=partnerschap_id)
        .annotate(n_signalen=Count("signalen"))
        .order_by("-is_active", "name")
    )


def tags_for_verslag(traject: Traject, verslag: Verslag | None) -> QuerySet[SignaalTag]:
    """Tags a report may use: the partnership's active tags plus any already on it."""
    q = Q(is_active=True)
    if verslag is not None:
        q |= Q(signalen__verslag=verslag)
    return (
        SignaalTag.objects.filter(partnerschap_id=traject.school.bestuur.partnerschap_id)
        .filter(q)
        .distinct()
        .order_by("name")
    )


# --- Calendar ------------------------------------------------------------------------------


def feed_for(user: User) -> QuerySet[Gesprek]:
    """The conversations in `user`'s calendar feed: those they take part in, from half a year
    back on (vervallen ones too, so that calendar apps cancel them)."""
    trajecten = Traject.objects.filter(Q(zij_instromer=user) | Q(coach=user) | Q(slb=user)).values(
        "pk"
    )
    return (
        Gesprek.objects.filter(
            traject__in=trajecten,
            starts_at__gte=timezone.now() - datetime.timedelta(days=183),
        )
        .select_related("traject__zij_instromer", "traject__coach", "traject__slb")
        .order_by("starts_at", "pk")
    )


def user_by_calendar_token(token: str) -> User | None:
    if not token or len(token) > 64:
        return None
    return User.objects.filter(calendar_token=token, is_active=True).first()


# --- Reminder sweeps -----------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """One reminder that should go out: kind, recipient and subject, as ids."""

    soort: str
    recipient_id: int
    gesprek_id: int | None = None
    afspraak_id: int | None = None
    week: datetime.date | None = None


def _planned_between(first: datetime.date, last: datetime.date) -> QuerySet[Gesprek]:
    """Planned conversations of active trajecten on local dates first..last (inclusive)."""
    return Gesprek.objects.filter(
        status=Gesprek.Status.GEPLAND,
        traject__status=Traject.Status.ACTIEF,
        starts_at__gte=local_midnight(first),
        starts_at__lt=local_midnight(last + datetime.timedelta(days=1)),
    )


PARTICIPANT_FIELDS = (
    (Rol.ZIJ_INSTROMER, "traject__zij_instromer_id"),
    (Rol.COACH, "traject__coach_id"),
    (Rol.SLB, "traject__slb_id"),
)


def _already_sent(soort: str, gesprekken: QuerySet[Gesprek]) -> set[tuple[int, int]]:
    return set(
        Herinnering.objects.filter(soort=soort, gesprek__in=gesprekken.values("pk")).values_list(
            "gesprek_id", "recipient_id"
        )
    )


def due_preparation_reminders(soort: str, first: datetime.date, last: datetime.date) -> list[Due]:
    """Participants who have not prepared a conversation on first..last and were not yet
    reminded of this kind. Three queries, whatever the number of trajecten."""
    now = timezone.now()
    gesprekken = _planned_between(first, last).filter(starts_at__gt=now)
    rows = list(gesprekken.values("pk", *(f for _r, f in PARTICIPANT_FIELDS)))
    ready = set(
        Voorbereiding.objects.filter(
            gesprek__in=gesprekken.values("pk"), ready_at__isnull=False
        ).values_list("gesprek_id", "rol")
    )
    sent = _already_sent(soort, gesprekken)
    due = []
    for row in rows:
        for rol, f in PARTICIPANT_FIELDS:
            user_id = row[f]
            if user_id and (row["pk"], rol) not in ready and (row["pk"], user_id) not in sent:
                due.append(Due(soort=soort, recipient_id=user_id, gesprek_id=row["pk"]))
    return due


def due_verslag_reminders(first: datetime.date, last: datetime.date) -> list[Due]:
    """For conversations held on first..last whose report is not locked: the SLB (or coach)
    when there is no report yet, else everyone whose signature on the current version is
    missing."""
    soort = Herinnering.Soort.VERSLAG
    gesprekken = _planned_between(first, last).filter(
        Q(verslag__isnull=True) | Q(verslag__locked_at__isnull=True)
    )
    rows = list(
        gesprekken.values(
            "pk", "verslag__pk", "verslag__version", *(f for _r, f in PARTICIPANT_FIELDS)
        )
    )
    signed = set(
        Handtekening.objects.filter(verslag__gesprek__in=gesprekken.values("pk")).values_list(
            "verslag__gesprek_id", "rol", "version"
        )
    )
    sent = _already_sent(soort, gesprekken)
    due = []
    for row in rows:
        if row["verslag__pk"] is None:
            writer = row["traject__slb_id"] or row["traject__coach_id"]
            recipients = [writer] if writer else []
        else:
            recipients = [
                row[f]
                for rol, f in PARTICIPANT_FIELDS
                if row[f] and (row["pk"], rol, row["verslag__version"]) not in signed
            ]
        for user_id in recipients:
            if (row["pk"], user_id) not in sent:
                due.append(Due(soort=soort, recipient_id=user_id, gesprek_id=row["pk"]))
    return due


def due_afspraak_reminders(first: datetime.date, last: datetime.date) -> list[Due]:
    """Open agreements of active trajecten whose due date fell on first..last, to their
    owner, once."""
    soort = Herinnering.Soort.AFSPRAAK
    afspraken = Afspraak.objects.filter(
        done_at__isnull=True,
        due_date__gte=first,
        due_date__lte=last,
        verslag__gesprek__traject__status=Traject.Status.ACTIEF,
    ).exclude(herinneringen__soort=soort)
    return [
        Due(soort=soort, recipient_id=owner_id, afspraak_id=pk)
        for pk, owner_id in afspraken.values_list("pk", "owner_id")
    ]


def due_digests(today: datetime.date, *, days: int = 14) -> list[Due]:
    """One weekly overview per SLB with conversations in the coming `days` days."""
    soort = Herinnering.Soort.DIGEST_SLB
    week = today - datetime.timedelta(days=today.weekday())
    slb_ids = set(
        _planned_between(today, today + datetime.timedelta(days=days - 1))
        .exclude(traject__slb__isnull=True)
        .values_list("traject__slb_id", flat=True)
        .distinct()
    )
    sent = set(
        Herinnering.objects.filter(soort=soort, week=week).values_list("recipient_id", flat=True)
    )
    return [Due(soort=soort, recipient_id=pk, week=week) for pk in sorted(slb_ids - sent)]


def digest_gesprekken(slb: User, today: datetime.date, *, days: int = 14) -> list[Gesprek]:
    """The conversations of `slb` in the coming `days` days, for the weekly overview."""
    return list(
        _with_state(
            _planned_between(today, today + datetime.timedelta(days=days - 1)).filter(
                traject__slb=slb
            )
        )
        .select_related(*_PEOPLE)
        .order_by("starts_at", "pk")
    )


def digest_gesprekken_by_slb(
    slb_ids: list[int], today: datetime.date, *, days: int = 14
) -> dict[int, list[Gesprek]]:
    """`digest_gesprekken` for many SLBs at once, by SLB id (the weekly sweep): a fixed
    number of queries, whatever the number of SLBs."""
    by_slb: dict[int, list[Gesprek]] = {}
    gesprekken = (
        _with_state(
            _planned_between(today, today + datetime.timedelta(days=days - 1)).filter(
                traject__slb_id__in=slb_ids
            )
        )
        .select_related(*_PEOPLE)
        .order_by("starts_at", "pk")
    )
    for gesprek in gesprekken:
        by_slb.setdefault(gesprek.traject.slb_id, []).append(gesprek)
    return by_slb


# --- State for lists and panels (no queries: uses what _with_state prefetched) -------------


SHORT_LABELS = {
    Rol.ZIJ_INSTROMER: _("zij-instromer"),
    Rol.COACH: _("coach"),
    Rol.SLB: _("SLB"),
}


@dataclass
class Deelnemer:
    rol: str
    label: str
    user: User | None
    prepared: bool
    signed: bool

    @property
    def short(self) -> str:
        return SHORT_LABELS[self.rol]


@dataclass
class GesprekState:
    deelnemers: list[Deelnemer]
    verslag: Verslag | None
    n_required: int
    n_signed: int

    @property
    def verslag_status(self) -> str:
        """ "geen" (none yet), "concept" (written, not signed by all) or "ondertekend"."""
        if self.verslag is None:
            return "geen"
        return "ondertekend" if self.verslag.is_locked else "concept"

    @property
    def prepared_count(self) -> int:
        return sum(1 for d in self.deelnemers if d.prepared)


def state_of(gesprek: Gesprek) -> GesprekState:
    """Who prepared and who signed `gesprek`, from prefetched rows (see _with_state)."""
    traject = gesprek.traject
    ready = {v.rol for v in gesprek.voorbereidingen.all() if v.ready_at is not None}
    verslag = getattr(gesprek, "verslag", None)
    signed = (
        {h.rol for h in verslag.handtekeningen.all() if h.version == verslag.version}
        if verslag is not None
        else set()
    )
    deelnemers = [
        Deelnemer(
            rol=rol,
            label=rol.label,
            user=traject.holder(rol),
            prepared=rol in ready,
            signed=rol in signed,
        )
        for rol in (Rol.ZIJ_INSTROMER, Rol.COACH, Rol.SLB)
        if traject.holder(rol) is not None
    ]
    return GesprekState(
        deelnemers=deelnemers,
        verslag=verslag,
        n_required=len(deelnemers),
        n_signed=sum(1 for d in deelnemers if d.signed),
    )


def school_years_without_holidays(traject) -> list[str]:
    """The school years of `traject` still to come for which Lev holds no school holidays:
    there the cycle avoids weekends and public holidays only (one query)."""
    first = max(traject.start_date, timezone.localdate())
    years = []
    day = first
    while day <= traject.end_date:
        year = school_year_of(day)
        if year not in years:
            years.append(year)
        day = datetime.date(day.year + 1, 8, 1) if day.month >= 8 else datetime.date(day.year, 8, 1)
    known = school_years_known() if years else set()
    return [y for y in years if y not in known]

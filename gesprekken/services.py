"""Writes for the conversation cycle. Keyword-only, typed, atomic; mail and tasks run after
commit (portal.mail.notify, portal.tasking.enqueue)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import audit
from portal.mail import notify
from portal.models import Partnerschap, User, new_calendar_token
from trajecten.models import Rol, Traject

from . import selectors
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
from .planning import DEFAULT_DURATION, at_default_time, cycle_dates

DEFAULT_TAGS = (
    "werkdruk",
    "team",
    "planning",
    "theorie-praktijkkoppeling",
    "begeleiding",
    "klassenmanagement",
)


class StaleVersion(Exception):
    """Someone else saved in between: the caller's version is not the current one."""

    def __init__(self, current=None):
        super().__init__("stale version")
        self.current = current


class VerslagLocked(Exception):
    """The report is signed by everyone: a record, changed only through addenda."""


# --- Signal tags ---------------------------------------------------------------------------


def signaal_tags_seed(*, partnerschap_ids: set[int]) -> int:
    """Give every partnership in `partnerschap_ids` that has no tags at all the default list.
    Returns how many tags were made; a partnership that ever had tags is left alone."""
    bare = set(
        Partnerschap.objects.filter(pk__in=partnerschap_ids)
        .exclude(Exists(SignaalTag.objects.filter(partnerschap=OuterRef("pk"))))
        .values_list("pk", flat=True)
    )
    tags = [SignaalTag(partnerschap_id=pk, name=name) for pk in bare for name in DEFAULT_TAGS]
    SignaalTag.objects.bulk_create(tags, ignore_conflicts=True)
    return len(tags)


@transaction.atomic
def signaal_tag_create(*, partnerschap: Partnerschap, name: str, actor: User) -> SignaalTag:
    """Add a tag to the coordinator's list."""
    tag = SignaalTag.objects.create(partnerschap=partnerschap, name=name.strip())
    audit.record(action="signaaltag.create", actor=actor, obj=tag, detail={"name": tag.name})
    return tag


@transaction.atomic
def signaal_tag_update(*, tag: SignaalTag, name: str, is_active: bool, actor: User) -> SignaalTag:
    """Rename or (de)activate a tag. Signals keep their tags; an inactive tag is no longer
    offered for new signals."""
    old = {"name": tag.name, "is_active": tag.is_active}
    tag.name = name.strip()
    tag.is_active = is_active
    tag.save(update_fields=["name", "is_active"])
    audit.record(
        action="signaaltag.update",
        actor=actor,
        obj=tag,
        detail={"old": old, "new": {"name": tag.name, "is_active": tag.is_active}},
    )
    return tag


# --- The cycle -----------------------------------------------------------------------------


@dataclass
class PlanResult:
    created: int = 0
    moved: int = 0
    cancelled: int = 0


def _partnerschap_id(traject: Traject) -> int:
    return (
        Traject.objects.filter(pk=traject.pk)
        .values_list("school__bestuur__partnerschap_id", flat=True)
        .get()
    )


@transaction.atomic
def gesprek_cycle_plan(*, traject: Traject, include_past: bool = False) -> PlanResult:
    """Plan (or re-plan) the quarterly conversations of `traject` from its start to its end.

    Idempotent. Missing future slots are created; future conversations that nobody moved and
    that have no report follow new traject dates (same event, SEQUENCE + 1); those past a new
    end date are marked vervallen. Past slots are only filled with `include_past` (history).
    Called by trajecten's services through the traject_started hook.
    """
    result = PlanResult()
    now = timezone.now()
    today = timezone.localdate()
    existing = {
        g.cycle_number: g
        for g in Gesprek.objects.select_for_update(of=("self",))
        .filter(traject=traject, soort=Gesprek.Soort.CYCLUS)
        .select_related("verslag")
    }
    new = []
    location = traject.school.name
    for number, day in cycle_dates(traject.start_date, traject.end_date):
        gesprek = existing.pop(number, None)
        if gesprek is None:
            if include_past or day >= today:
                new.append(
                    Gesprek(
                        traject=traject,
                        soort=Gesprek.Soort.CYCLUS,
                        cycle_number=number,
                        planned_for=day,
                        starts_at=at_default_time(day),
                        duration_minutes=DEFAULT_DURATION,
                        location=location,
                    )
                )
            continue
        if _follows_rhythm(gesprek, now) and (
            gesprek.planned_for != day or gesprek.status != Gesprek.Status.GEPLAND
        ):
            local = timezone.localtime(gesprek.starts_at)
            gesprek.planned_for = day
            gesprek.starts_at = timezone.make_aware(datetime.datetime.combine(day, local.time()))
            gesprek.status = Gesprek.Status.GEPLAND
            gesprek.sequence += 1
            gesprek.save(
                update_fields=["planned_for", "starts_at", "status", "sequence", "updated_at"]
            )
            result.moved += 1
    for gesprek in existing.values():
        if (
            gesprek.status == Gesprek.Status.GEPLAND
            and gesprek.starts_at > now
            and not hasattr(gesprek, "verslag")
        ):
            gesprek.status = Gesprek.Status.VERVALLEN
            gesprek.sequence += 1
            gesprek.save(update_fields=["status", "sequence", "updated_at"])
            result.cancelled += 1
    Gesprek.objects.bulk_create(new)
    result.created = len(new)
    signaal_tags_seed(partnerschap_ids={_partnerschap_id(traject)})
    return result


def _follows_rhythm(gesprek: Gesprek, now: datetime.datetime) -> bool:
    """A conversation still follows the rhythm until someone moved it, it was held (has a
    report) or its time has come."""
    return not gesprek.is_moved and gesprek.starts_at > now and not hasattr(gesprek, "verslag")


def on_traject_started(traject: Traject) -> None:
    """Listener for trajecten.hooks: a traject started or its dates changed."""
    gesprek_cycle_plan(traject=traject)


@transaction.atomic
def gesprekken_cancel_future(*, traject: Traject) -> int:
    """A traject stopped: its future conversations without a report are vervallen (kept, so
    that calendar feeds can cancel the event)."""
    now = timezone.now()
    cancelled = 0
    for gesprek in Gesprek.objects.select_for_update(of=("self",)).filter(
        traject=traject, status=Gesprek.Status.GEPLAND, starts_at__gt=now, verslag__isnull=True
    ):
        gesprek.status = Gesprek.Status.VERVALLEN
        gesprek.sequence += 1
        gesprek.save(update_fields=["status", "sequence", "updated_at"])
        cancelled += 1
    return cancelled


def on_traject_stopped(traject: Traject) -> None:
    """Listener for trajecten.hooks: a traject stopped early."""
    gesprekken_cancel_future(traject=traject)


@transaction.atomic
def gesprekken_plan_missing() -> int:
    """Safety net for the daily beat: plan the cycle of every active traject that has no
    cycle conversation yet (e.g. activated outside the services). One read and one bulk
    insert, whatever the number of trajecten; a race with the hook is harmless (the unique
    slot constraint and ignore_conflicts)."""
    today = timezone.localdate()
    lacking = (
        Traject.objects.filter(status=Traject.Status.ACTIEF)
        .exclude(Exists(Gesprek.objects.filter(traject=OuterRef("pk"), soort=Gesprek.Soort.CYCLUS)))
        .values_list(
            "pk", "start_date", "end_date", "school__bestuur__partnerschap_id", "school__name"
        )
    )
    new = []
    partnerschappen = set()
    for pk, start, end, partnerschap_id, school_name in lacking.iterator(chunk_size=2000):
        partnerschappen.add(partnerschap_id)
        new.extend(
            Gesprek(
                traject_id=pk,
                soort=Gesprek.Soort.CYCLUS,
                cycle_number=number,
                planned_for=day,
                starts_at=at_default_time(day),
                duration_minutes=DEFAULT_DURATION,
                location=school_name,
            )
            for number, day in cycle_dates(start, end)
            if day >= today
        )
    Gesprek.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    signaal_tags_seed(partnerschap_ids=partnerschappen)
    return len(new)


def _participants(traject: Traject) -> list[User]:
    return [u for u in (traject.zij_instromer, traject.coach, traject.slb) if u is not None]


def _tell_others(*, gesprek: Gesprek, actor: User, kind: str, message, template: str) -> None:
    """Notify the other participants of a change to `gesprek` (message: lazy/callable text)."""
    url = reverse("gesprekken:detail", args=[gesprek.pk])
    for user in _participants(gesprek.traject):
        if user.pk == actor.pk:
            continue
        with translation.override(user.language):
            notify(
                user=user,
                kind=kind,
                text=message(),
                url=url,
                template=template,
                context={"gesprek": gesprek, "actor": actor},
            )


@transaction.atomic
def gesprek_add(
    *,
    traject: Traject,
    actor: User,
    starts_at: datetime.datetime,
    duration_minutes: int,
    location: str,
    video_url: str,
    request=None,
) -> Gesprek:
    """Add an extra conversation outside the rhythm (SLB or coach)."""
    if actor.pk not in (traject.coach_id, traject.slb_id):
        raise PermissionDenied
    gesprek = Gesprek.objects.create(
        traject=traject,
        soort=Gesprek.Soort.EXTRA,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        location=location,
        video_url=video_url,
        created_by=actor,
    )
    audit.record(
        action="gesprek.add",
        actor=actor,
        obj=gesprek,
        traject=traject,
        request=request,
        detail={"starts_at": starts_at.isoformat()},
    )
    _tell_others(
        gesprek=gesprek,
        actor=actor,
        kind="gesprek_gepland",
        template="gesprekken_gepland",
        message=lambda: _("Extra gesprek gepland op %(when)s.") % {"when": _when(gesprek)},
    )
    return gesprek


def _when(gesprek: Gesprek) -> str:
    from django.utils.formats import date_format  # noqa: PLC0415

    return date_format(timezone.localtime(gesprek.starts_at), "DATETIME_FORMAT")


@transaction.atomic
def gesprek_move(
    *,
    gesprek: Gesprek,
    actor: User,
    sequence: int,
    starts_at: datetime.datetime,
    duration_minutes: int,
    location: str,
    video_url: str,
    reason: str = "",
    request=None,
) -> Gesprek:
    """Move a conversation to a new date, time and place (SLB or coach). It keeps its place
    in the cycle and its calendar UID; SEQUENCE goes up so calendars update the event.
    Refused with StaleVersion when someone else moved it since `sequence` was read."""
    traject = gesprek.traject
    if actor.pk not in (traject.coach_id, traject.slb_id):
        raise PermissionDenied
    if Verslag.objects.filter(gesprek=gesprek, locked_at__isnull=False).exists():
        raise VerslagLocked  # the date of a signed conversation is part of the record
    old = {
        "starts_at": gesprek.starts_at.isoformat(),
        "location": gesprek.location,
        "video_url": gesprek.video_url,
    }
    now = timezone.now()
    updated = Gesprek.objects.filter(pk=gesprek.pk, sequence=sequence).update(
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        location=location,
        video_url=video_url,
        status=Gesprek.Status.GEPLAND,
        moved_at=now,
        moved_by=actor,
        sequence=F("sequence") + 1,
        updated_at=now,
    )
    if not updated:
        raise StaleVersion(Gesprek.objects.get(pk=gesprek.pk))
    gesprek.refresh_from_db()
    audit.record(
        action="gesprek.move",
        actor=actor,
        obj=gesprek,
        traject=traject,
        request=request,
        detail={
            "old": old,
            "new": {
                "starts_at": starts_at.isoformat(),
                "location": location,
                "video_url": video_url,
            },
            "reason": reason,
        },
    )
    _tell_others(
        gesprek=gesprek,
        actor=actor,
        kind="gesprek_verplaatst",
        template="gesprekken_verplaatst",
        message=lambda: _("Het gesprek is verplaatst naar %(when)s.") % {"when": _when(gesprek)},
    )
    return gesprek


# --- Preparation ---------------------------------------------------------------------------


@transaction.atomic
def voorbereiding_save(
    *,
    gesprek: Gesprek,
    user: User,
    rol: Rol,
    version: int,
    ready: bool,
    waar_sta_ik: str = "",
    volgende_stap: str = "",
    wat_nodig: str = "",
    reflectievragen: str = "",
    ontwikkelpunten=(),
    logboekregels=(),
    bewijsstukken=None,
) -> Voorbereiding:
    """Save `user`'s preparation in role `rol` (0 as `version` for a new one). Refused with
    StaleVersion if it was saved elsewhere (another tab) since `version` was read."""
    if rol not in (Rol.ZIJ_INSTROMER, Rol.COACH, Rol.SLB) or gesprek.traject.holder(rol) != user:
        raise PermissionDenied
    fields = {"waar_sta_ik": waar_sta_ik, "volgende_stap": volgende_stap, "wat_nodig": wat_nodig}
    if rol != Rol.ZIJ_INSTROMER:
        fields = {"reflectievragen": reflectievragen}
    if any(item.traject_id != gesprek.traject_id for item in (*ontwikkelpunten, *logboekregels)):
        raise PermissionDenied
    current = Voorbereiding.objects.select_for_update().filter(gesprek=gesprek, rol=rol).first()
    now = timezone.now()
    if current is None:
        if version != 0:
            raise StaleVersion(None)
        try:
            with transaction.atomic():
                current = Voorbereiding.objects.create(
                    gesprek=gesprek,
                    rol=rol,
                    auteur=user,
                    ready_at=now if ready else None,
                    **fields,
                )
        except IntegrityError:
            raise StaleVersion(None) from None
    else:
        if current.version != version:
            raise StaleVersion(current)
        for name, value in fields.items():
            setattr(current, name, value)
        current.auteur = user
        current.ready_at = (current.ready_at or now) if ready else None
        current.version += 1
        current.save(update_fields=[*fields, "auteur", "ready_at", "version", "updated_at"])
    current.ontwikkelpunten.set(ontwikkelpunten)
    current.logboekregels.set(logboekregels)
    if bewijsstukken is not None:
        current.bewijsstukken.set(bewijsstukken)
    return current


@transaction.atomic
def prive_notitie_save(*, gesprek: Gesprek, user: User, tekst: str, version: int) -> PriveNotitie:
    """Save the coach's or SLB's own private note (0 as `version` for a new one)."""
    if user.pk not in (gesprek.traject.coach_id, gesprek.traject.slb_id):
        raise PermissionDenied
    note = PriveNotitie.objects.select_for_update().filter(gesprek=gesprek, auteur=user).first()
    if note is None:
        if version != 0:
            raise StaleVersion(None)
        try:
            with transaction.atomic():
                return PriveNotitie.objects.create(gesprek=gesprek, auteur=user, tekst=tekst)
        except IntegrityError:
            raise StaleVersion(None) from None
    if note.version != version:
        raise StaleVersion(note)
    note.tekst = tekst
    note.version += 1
    note.save(update_fields=["tekst", "version", "updated_at"])
    return note


# --- The report ----------------------------------------------------------------------------


@transaction.atomic
def verslag_save(
    *,
    gesprek: Gesprek,
    actor: User,
    version: int,
    tekst: str,
    koers: str,
    koers_reden: str,
    afspraken: list[dict],
    signalen: list[dict],
    request=None,
) -> Verslag:
    """Write the report with its agreements and signals (SLB; the coach may co-edit).

    Optimistic locking: `version` is what the writer read (0 for a new report). A save over
    someone else's newer save raises StaleVersion; a locked report raises VerslagLocked.
    `afspraken`: dicts with id (None for new), omschrijving, owner, due_date, delete.
    `signalen`: dicts with id, soort, tekst, tags, delete. Earlier signatures stay, but count
    only for the version they were given on.
    """
    traject = gesprek.traject
    if actor.pk not in (traject.coach_id, traject.slb_id):
        raise PermissionDenied
    now = timezone.now()
    fields = {"tekst": tekst, "koers": koers, "koers_reden": koers_reden}
    verslag = Verslag.objects.filter(gesprek=gesprek).first()
    if verslag is None:
        if version != 0:
            raise StaleVersion(None)
        try:
            with transaction.atomic():
                verslag = Verslag.objects.create(
                    gesprek=gesprek, created_by=actor, updated_by=actor, **fields
                )
        except IntegrityError:
            raise StaleVersion(Verslag.objects.filter(gesprek=gesprek).first()) from None
    else:
        if verslag.is_locked:
            raise VerslagLocked
        updated = Verslag.objects.filter(
            pk=verslag.pk, version=version, locked_at__isnull=True
        ).update(version=F("version") + 1, updated_by=actor, updated_at=now, **fields)
        if not updated:
            verslag.refresh_from_db()
            if verslag.is_locked:
                raise VerslagLocked
            raise StaleVersion(verslag)
        verslag.refresh_from_db()
    _save_afspraken(verslag, afspraken, allowed_owners={u.pk for u in _participants(traject)})
    _save_signalen(verslag, signalen, partnerschap_id=traject.school.bestuur.partnerschap_id)
    audit.record(
        action="verslag.save",
        actor=actor,
        obj=verslag,
        traject=traject,
        request=request,
        detail={"version": verslag.version},
    )
    return verslag


def _save_afspraken(verslag: Verslag, rows: list[dict], *, allowed_owners: set[int]) -> None:
    existing = {a.pk: a for a in verslag.afspraken.all()}
    for order, row in enumerate(rows):
        afspraak = existing.get(row.get("id")) if row.get("id") else None
        if row.get("delete"):
            if afspraak is not None:
                afspraak.delete()  # a draft line; the report is not a record yet
            continue
        if row["owner"].pk not in allowed_owners:
            raise PermissionDenied
        if afspraak is None:
            Afspraak.objects.create(
                verslag=verslag,
                omschrijving=row["omschrijving"],
                owner=row["owner"],
                due_date=row["due_date"],
                order=order,
            )
        else:
            afspraak.omschrijving = row["omschrijving"]
            afspraak.owner = row["owner"]
            afspraak.due_date = row["due_date"]
            afspraak.order = order
            afspraak.save(update_fields=["omschrijving", "owner", "due_date", "order"])


def _save_signalen(verslag: Verslag, rows: list[dict], *, partnerschap_id: int) -> None:
    existing = {s.pk: s for s in verslag.signalen.all()}
    for order, row in enumerate(rows):
        signaal = existing.get(row.get("id")) if row.get("id") else None
        if row.get("delete"):
            if signaal is not None:
                signaal.delete()
            continue
        tags = list(row.get("tags") or [])
        if any(t.partnerschap_id != partnerschap_id for t in tags):
            raise PermissionDenied
        if signaal is None:
            signaal = Signaal.objects.create(
                verslag=verslag, soort=row["soort"], tekst=row["tekst"], order=order
            )
        else:
            signaal.soort = row["soort"]
            signaal.tekst = row["tekst"]
            signaal.order = order
            signaal.save(update_fields=["soort", "tekst", "order"])
        signaal.tags.set(tags)


def required_signers(traject: Traject) -> dict[str, User]:
    """The participants who must sign a report of `traject`, by role."""
    return {
        rol: holder
        for rol in (Rol.ZIJ_INSTROMER, Rol.COACH, Rol.SLB)
        if (holder := traject.holder(rol)) is not None
    }


def valid_signatures(verslag: Verslag) -> dict[str, Handtekening]:
    """The signatures that count: those on the report's current version, by role."""
    return {h.rol: h for h in verslag.handtekeningen.all() if h.version == verslag.version}


@transaction.atomic
def verslag_sign(*, verslag: Verslag, user: User, version: int, request=None) -> Verslag:
    """Sign the report as read at `version`. After the last required signature the report
    is locked: from then on a record, corrected only by addenda."""
    verslag = (
        Verslag.objects.select_for_update(of=("self",))
        .select_related(
            "gesprek__traject__zij_instromer",
            "gesprek__traject__coach",
            "gesprek__traject__slb",
            "gesprek__traject__duo",
        )
        .get(pk=verslag.pk)
    )
    traject = verslag.gesprek.traject
    signers = required_signers(traject)
    rol = next((r for r, u in signers.items() if u.pk == user.pk), None)
    if rol is None:
        raise PermissionDenied
    if verslag.is_locked:
        raise VerslagLocked
    if verslag.version != version:
        raise StaleVersion(verslag)
    try:
        with transaction.atomic():
            Handtekening.objects.create(verslag=verslag, rol=rol, user=user, version=version)
    except IntegrityError:
        return verslag  # already signed this version: a double click
    audit.record(
        action="verslag.sign",
        actor=user,
        obj=verslag,
        traject=traject,
        request=request,
        detail={"rol": rol, "version": version},
    )
    signed = set(
        verslag.handtekeningen.filter(version=verslag.version).values_list("rol", flat=True)
    )
    missing = [u for r, u in signers.items() if r not in signed]
    if not missing:
        verslag.locked_at = timezone.now()
        verslag.save(update_fields=["locked_at"])
        audit.record(
            action="verslag.lock",
            actor=user,
            obj=verslag,
            traject=traject,
            request=request,
            detail={"version": verslag.version},
        )
    url = reverse("gesprekken:detail", args=[verslag.gesprek_id])
    for other in missing:
        with translation.override(other.language):
            notify(
                user=other,
                kind="verslag_ondertekend",
                url=url,
                text=_(
                    "%(name)s heeft het gespreksverslag ondertekend; jouw handtekening "
                    "ontbreekt nog."
                )
                % {"name": user.get_full_name()},
            )
    return verslag


@transaction.atomic
def addendum_add(*, verslag: Verslag, user: User, tekst: str, request=None) -> Addendum:
    """Add a correction or addition to a locked report, with who and when."""
    traject = verslag.gesprek.traject
    if user.pk not in {u.pk for u in _participants(traject)}:
        raise PermissionDenied
    if not verslag.is_locked:
        raise ValueError("Addenda are for locked reports; edit the draft instead.")
    addendum = Addendum.objects.create(verslag=verslag, tekst=tekst, auteur=user)
    audit.record(
        action="verslag.addendum", actor=user, obj=addendum, traject=traject, request=request
    )
    return addendum


@transaction.atomic
def afspraak_set_done(*, afspraak: Afspraak, user: User, done: bool) -> Afspraak:
    """Mark an agreement done (or open again). Progress, not report text: allowed after the
    report is locked."""
    traject = afspraak.verslag.gesprek.traject
    if user.pk not in {u.pk for u in _participants(traject)}:
        raise PermissionDenied
    afspraak.done_at = (afspraak.done_at or timezone.now()) if done else None
    afspraak.done_by = user if done else None
    afspraak.save(update_fields=["done_at", "done_by"])
    return afspraak


# --- Calendar ------------------------------------------------------------------------------


@transaction.atomic
def calendar_token_renew(*, user: User, request=None) -> str:
    """Give `user` a new secret calendar feed address; the old one stops working."""
    user.calendar_token = new_calendar_token()
    user.save(update_fields=["calendar_token"])
    audit.record(action="agenda.token_renew", actor=user, obj=user, request=request)
    return user.calendar_token


# --- Reminders -----------------------------------------------------------------------------


def _claim(**key) -> bool:
    """Record that a reminder goes out; False when it already went (unique constraint)."""
    try:
        with transaction.atomic():
            Herinnering.objects.create(**key)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def herinnering_send(
    *,
    soort: str,
    recipient_id: int,
    gesprek_id: int | None = None,
    afspraak_id: int | None = None,
    week: datetime.date | None = None,
) -> bool:
    """Send one reminder, at most once per (subject, recipient, kind). Checks again that it
    is still due (someone may have prepared or signed since the sweep). True when sent."""
    recipient = User.objects.filter(pk=recipient_id, is_active=True).first()
    if recipient is None:
        return False
    S = Herinnering.Soort
    if soort in (S.VOORBEREIDING_14, S.VOORBEREIDING_3, S.VERSLAG):
        return _gesprek_reminder(soort, recipient, gesprek_id)
    if soort == S.AFSPRAAK:
        return _afspraak_reminder(recipient, afspraak_id)
    if soort == S.DIGEST_SLB:
        return _digest(recipient, week)
    raise ValueError(soort)


def _gesprek_reminder(soort: str, recipient: User, gesprek_id: int) -> bool:
    S = Herinnering.Soort
    gesprek = (
        Gesprek.objects.select_related(
            "traject__zij_instromer", "traject__coach", "traject__slb", "traject__duo", "verslag"
        )
        .filter(pk=gesprek_id, status=Gesprek.Status.GEPLAND)
        .first()
    )
    if gesprek is None:
        return False
    signers = required_signers(gesprek.traject)
    rol = next((r for r, u in signers.items() if u.pk == recipient.pk), None)
    if rol is None:
        return False
    verslag = getattr(gesprek, "verslag", None)
    if soort == S.VERSLAG:
        if verslag is not None and (verslag.is_locked or rol in valid_signatures(verslag)):
            return False
        template, kind = "gesprekken_herinnering_verslag", "herinnering_verslag"
        url = reverse(
            "gesprekken:verslag" if verslag is None else "gesprekken:detail", args=[gesprek.pk]
        )
    else:
        if Voorbereiding.objects.filter(gesprek=gesprek, rol=rol, ready_at__isnull=False).exists():
            return False
        template, kind = "gesprekken_herinnering_voorbereiding", "herinnering_voorbereiding"
        url = reverse("gesprekken:voorbereiden", args=[gesprek.pk])
    if not _claim(soort=soort, recipient=recipient, gesprek=gesprek):
        return False
    days = (gesprek.local_date - timezone.localdate()).days
    with translation.override(recipient.language):
        if soort == S.VERSLAG:
            text = (
                _("Het verslag van het gesprek van %(when)s is nog niet ondertekend.")
                if verslag is not None
                else _("Het verslag van het gesprek van %(when)s is nog niet geschreven.")
            ) % {"when": _when(gesprek)}
        else:
            text = _("Bereid het gesprek van %(when)s voor.") % {"when": _when(gesprek)}
        notify(
            user=recipient,
            kind=kind,
            text=text,
            url=url,
            template=template,
            context={
                "gesprek": gesprek,
                "traject": gesprek.traject,
                "days": days,
                "verslag": verslag,
                "rol": rol,
            },
        )
    return True


def _afspraak_reminder(recipient: User, afspraak_id: int) -> bool:
    afspraak = (
        Afspraak.objects.select_related("verslag__gesprek__traject__zij_instromer")
        .filter(pk=afspraak_id, done_at__isnull=True, owner=recipient)
        .first()
    )
    if afspraak is None:
        return False
    if not _claim(soort=Herinnering.Soort.AFSPRAAK, recipient=recipient, afspraak=afspraak):
        return False
    gesprek = afspraak.verslag.gesprek
    with translation.override(recipient.language):
        notify(
            user=recipient,
            kind="herinnering_afspraak",
            text=_("De afspraak \u201c%(afspraak)s\u201d is over de datum.")
            % {"afspraak": afspraak.omschrijving[:150]},
            url=reverse("gesprekken:detail", args=[gesprek.pk]),
            template="gesprekken_herinnering_afspraak",
            context={"afspraak": afspraak, "gesprek": gesprek, "traject": gesprek.traject},
        )
    return True


def _digest(recipient: User, week: datetime.date) -> bool:
    today = timezone.localdate()
    gesprekken = selectors.digest_gesprekken(recipient, today)
    if not gesprekken:
        return False
    if not _claim(soort=Herinnering.Soort.DIGEST_SLB, recipient=recipient, week=week):
        return False
    with translation.override(recipient.language):
        notify(
            user=recipient,
            kind="digest_slb",
            text=_("Je hebt %(count)d gesprekken in de komende twee weken.")
            % {"count": len(gesprekken)},
            url=reverse("gesprekken:mine"),
            template="gesprekken_digest_slb",
            context={"gesprekken": gesprekken, "week": week},
        )
    return True

"""The cycle: signal tags, planning and re-planning, extra conversations, moves."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit
from portal.kalender import Kalenders, kalender_of
from portal.models import Partnerschap, User, new_calendar_token
from trajecten.models import Traject

from ..figures import refresh_koers, refresh_signalen
from ..models import Gesprek, SignaalTag, Verslag
from ..planning import DEFAULT_DURATION, at_default_time, cycle_dates
from .common import StaleVersion, VerslagLocked, tell_others, when_text

DEFAULT_TAGS = (
    "werkdruk",
    "team",
    "planning",
    "theorie-praktijkkoppeling",
    "begeleiding",
    "klassenmanagement",
)


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
    # Open days of the school: no weekends, public holidays or its region's school holidays.
    kalender = kalender_of(traject.school.regio, traject.start_date, traject.end_date)
    for number, day in cycle_dates(traject.start_date, traject.end_date, kalender.is_open):
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


@transaction.atomic
def gesprekken_follow_school(*, traject: Traject, old_name: str, new_name: str) -> int:
    """A traject moved to another school: its future conversations that are still planned
    at the old school (the location the planner gave them) are planned at the new one, as
    a changed event for the calendar feeds (SEQUENCE + 1). A location someone typed
    themselves stays."""
    now = timezone.now()
    moved = 0
    for gesprek in Gesprek.objects.select_for_update(of=("self",)).filter(
        traject=traject, status=Gesprek.Status.GEPLAND, starts_at__gt=now, location=old_name
    ):
        gesprek.location = new_name[: Gesprek._meta.get_field("location").max_length]
        gesprek.sequence += 1
        gesprek.save(update_fields=["location", "sequence", "updated_at"])
        moved += 1
    return moved


def on_traject_moved(traject: Traject, old_name: str, new_name: str) -> None:
    """Listener for trajecten.hooks: a traject moved to another school."""
    gesprekken_follow_school(traject=traject, old_name=old_name, new_name=new_name)


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
            "pk",
            "start_date",
            "end_date",
            "school__bestuur__partnerschap_id",
            "school__name",
            "school__regio",
        )
    )
    new = []
    partnerschappen = set()
    kalenders = Kalenders(
        today - datetime.timedelta(days=800), today + datetime.timedelta(days=1200)
    )
    for pk, start, end, partnerschap_id, school_name, regio in lacking.iterator(chunk_size=2000):
        partnerschappen.add(partnerschap_id)
        is_open = kalenders.of(regio).is_open
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
            for number, day in cycle_dates(start, end, is_open)
            if day >= today
        )
    Gesprek.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    signaal_tags_seed(partnerschap_ids=partnerschappen)
    return len(new)


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
    tell_others(
        gesprek=gesprek,
        actor=actor,
        kind="gesprek_gepland",
        template="gesprekken_gepland",
        message=lambda: _("Extra gesprek gepland op %(when)s.") % {"when": when_text(gesprek)},
    )
    return gesprek


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
    refresh_koers([gesprek.traject_id])  # a signed report may now sort elsewhere
    refresh_signalen(
        verslag_ids=Verslag.objects.filter(gesprek=gesprek).values_list("pk", flat=True)
    )
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
    tell_others(
        gesprek=gesprek,
        actor=actor,
        kind="gesprek_verplaatst",
        template="gesprekken_verplaatst",
        message=lambda: (
            _("Het gesprek is verplaatst naar %(when)s.") % {"when": when_text(gesprek)}
        ),
    )
    return gesprek


@transaction.atomic
def calendar_token_renew(*, user: User, request=None) -> str:
    """Give `user` a new secret calendar feed address; the old one stops working."""
    user.calendar_token = new_calendar_token()
    user.save(update_fields=["calendar_token"])
    audit.record(action="agenda.token_renew", actor=user, obj=user, request=request)
    return user.calendar_token

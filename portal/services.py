"""Writes for people and organisations: invitations, sending mail, notifications."""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import audit
from .mail import notify
from .models import Notificatie, User


def invitation_url(user: User) -> str:
    """The set-password link of an invitation (allauth's password-reset-from-key view)."""
    return reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )


@transaction.atomic
def user_invite(*, user: User, invited_by: User | None = None) -> None:
    """Send `user` an invitation with a link to set their password."""
    with translation.override(user.language):
        notify(
            user=user,
            kind="uitnodiging",
            force_mail=True,
            text=_("Welkom bij Lev. Stel je wachtwoord in om te beginnen."),
            url=invitation_url(user),
            template="uitnodiging",
            context={"invited_by": invited_by},
        )


@transaction.atomic
def user_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    language: str = "nl",
    invited_by: User | None = None,
    invite: bool = True,
) -> User:
    """Create an account without a usable password and (by default) invite its owner."""
    user = User.objects.create_user(
        email=email, first_name=first_name, last_name=last_name, language=language
    )
    if invite:
        user_invite(user=user, invited_by=invited_by)
    return user


def notificaties_mark_read(*, user: User) -> int:
    """Mark all of `user`'s notifications read; returns how many changed."""
    return Notificatie.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def mail_preferences_set(*, user: User, muted_kinds: list[str]) -> None:
    """Store which kinds of mail `user` switched off."""
    user.muted_mail_kinds = sorted(set(muted_kinds))
    user.save(update_fields=["muted_mail_kinds"])


@transaction.atomic
def person_add(
    *,
    partnerschap,
    email: str,
    first_name: str,
    last_name: str,
    language: str,
    added_by: User,
    request=None,
) -> tuple[User, bool]:
    """Add a person to a partnership: a new account with an invitation, or an existing
    account (for example an assessor who works for two partnerships) linked as a member.
    Returns (user, created)."""
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = user_create(
            email=email,
            first_name=first_name,
            last_name=last_name,
            language=language,
            invited_by=added_by,
        )
    partnerschap.leden.add(user)
    audit.record(
        action="person.add",
        actor=added_by,
        obj=user,
        request=request,
        detail={"partnerschap": partnerschap.pk, "created": created},
    )
    return user, created


@transaction.atomic
def person_roles_set(
    *,
    partnerschap,
    person: User,
    schools: list,
    docent: bool,
    assessor: bool,
    coordinator: bool,
    changed_by: User,
    request=None,
) -> dict:
    """Set the partnership-level roles of `person`: school leader of `schools` (within the
    partnership), module teacher, assessor, coordinator. Audited with before and after.
    A coordinator cannot take their own coordinator role away (someone must stay)."""
    from .models import School

    ps_schools = School.objects.filter(bestuur__partnerschap=partnerschap)
    before = _roles_snapshot(partnerschap, person, ps_schools)
    if person == changed_by and not coordinator:
        coordinator = True
    for school in ps_schools.filter(leiders=person).exclude(pk__in=[s.pk for s in schools]):
        school.leiders.remove(person)
    for school in schools:
        if school.bestuur.partnerschap_id != partnerschap.pk:
            raise ValueError("school outside the partnership")
        school.leiders.add(person)
    for flag, relation in (
        (docent, partnerschap.docenten),
        (assessor, partnerschap.assessoren),
        (coordinator, partnerschap.coordinatoren),
    ):
        (relation.add if flag else relation.remove)(person)
    partnerschap.leden.add(person)
    after = _roles_snapshot(partnerschap, person, ps_schools)
    if before != after:
        audit.record(
            action="person.roles",
            actor=changed_by,
            obj=person,
            request=request,
            detail={"partnerschap": partnerschap.pk, "before": before, "after": after},
        )
    return after


def _roles_snapshot(partnerschap, person: User, ps_schools) -> dict:
    return {
        "schoolleider": sorted(ps_schools.filter(leiders=person).values_list("pk", flat=True)),
        "docent": partnerschap.docenten.filter(pk=person.pk).exists(),
        "assessor": partnerschap.assessoren.filter(pk=person.pk).exists(),
        "coordinator": partnerschap.coordinatoren.filter(pk=person.pk).exists(),
    }


@transaction.atomic
def person_reinvite(*, person: User, invited_by: User, request=None) -> None:
    """Send the invitation (set-password link) again."""
    user_invite(user=person, invited_by=invited_by)
    audit.record(action="person.invite", actor=invited_by, obj=person, request=request)


def cohort_trajecten(partnerschap, cohort_start):
    """The trajecten of a cohort: those of the partnership starting in the same month."""
    from trajecten.models import Traject  # portal services sit on top

    return Traject.objects.filter(
        school__bestuur__partnerschap=partnerschap,
        start_date__year=cohort_start.year,
        start_date__month=cohort_start.month,
    ).exclude(status=Traject.Status.GESTOPT)


@transaction.atomic
def startbijeenkomst_plan(
    *,
    partnerschap,
    title: str,
    cohort_start,
    starts_at,
    ends_at,
    location: str,
    description: str = "",
    planned_by: User,
    request=None,
):
    """Plan a start meeting and invite the school leaders and coaches of the cohort's
    side-entrants, each by mail with an .ics attachment and an in-app notification."""
    from .ical import as_attachment, startbijeenkomst_ics
    from .models import School, Startbijeenkomst, Uitnodiging

    bijeenkomst = Startbijeenkomst.objects.create(
        partnerschap=partnerschap,
        title=title,
        cohort_start=cohort_start,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        description=description,
        created_by=planned_by,
    )
    trajecten = cohort_trajecten(partnerschap, cohort_start)
    invitees: dict[int, tuple[User, str]] = {}
    for leader in User.objects.filter(
        schoolleider_van__in=School.objects.filter(trajecten__in=trajecten)
    ).distinct():
        invitees[leader.pk] = (leader, "schoolleider")
    for coach in User.objects.filter(coach_van__in=trajecten).distinct():
        invitees.setdefault(coach.pk, (coach, "coach"))
    Uitnodiging.objects.bulk_create(
        [Uitnodiging(bijeenkomst=bijeenkomst, user=u, rol=rol) for u, rol in invitees.values()]
    )
    from django.urls import reverse

    url = reverse("portal:startbijeenkomst", args=[bijeenkomst.pk])
    for user, _rol in invitees.values():
        ics = startbijeenkomst_ics(bijeenkomst, [user.email])
        with translation.override(user.language):
            notify(
                user=user,
                kind="startbijeenkomst",
                force_mail=True,
                text=_("Uitnodiging: %(title)s op %(date)s")
                % {
                    "title": title,
                    "date": timezone.localtime(starts_at).strftime("%d-%m-%Y %H:%M"),
                },
                url=url,
                template="startbijeenkomst",
                context={"bijeenkomst": bijeenkomst},
                attachments=[as_attachment(ics)],
            )
    audit.record(
        action="startbijeenkomst.plan",
        actor=planned_by,
        obj=bijeenkomst,
        request=request,
        detail={"invited": len(invitees)},
    )
    return bijeenkomst


@transaction.atomic
def startbijeenkomst_attendance_set(
    *, bijeenkomst, present_ids: set[int], recorded_by: User, request=None
) -> int:
    """Record who came: invitees in `present_ids` were there, the others were not."""
    invitations = list(bijeenkomst.uitnodigingen.all())
    for inv in invitations:
        inv.aanwezig = inv.user_id in present_ids
    from .models import Uitnodiging

    Uitnodiging.objects.bulk_update(invitations, ["aanwezig"])
    audit.record(
        action="startbijeenkomst.attendance",
        actor=recorded_by,
        obj=bijeenkomst,
        request=request,
        detail={"present": sorted(present_ids)},
    )
    return sum(1 for inv in invitations if inv.aanwezig)


@transaction.atomic
def scholing_record(*, partnerschap, user: User, soort: str, datum, recorded_by: User):
    """Record that `user` completed part of the coach training (idempotent per date)."""
    from .models import Scholing

    scholing, _created = Scholing.objects.get_or_create(
        partnerschap=partnerschap,
        user=user,
        soort=soort,
        datum=datum,
        defaults={"recorded_by": recorded_by},
    )
    partnerschap.leden.add(user)
    return scholing


class StaleEdit(Exception):
    """Someone else saved the record after this form was opened."""


@transaction.atomic
def rolbeschrijving_save(
    *, partnerschap, rol: str, body_nl: str, body_en: str, version: int, updated_by: User
):
    """Save a role description; refuses (StaleEdit) when another coordinator saved first."""
    from .models import Rolbeschrijving

    current = (
        Rolbeschrijving.objects.select_for_update()
        .filter(partnerschap=partnerschap, rol=rol)
        .first()
    )
    if current is None:
        if version != 0:
            raise StaleEdit
        return Rolbeschrijving.objects.create(
            partnerschap=partnerschap,
            rol=rol,
            body_nl=body_nl,
            body_en=body_en,
            updated_by=updated_by,
        )
    if current.version != version:
        raise StaleEdit
    current.body_nl, current.body_en = body_nl, body_en
    current.version += 1
    current.updated_by = updated_by
    current.save(update_fields=["body_nl", "body_en", "version", "updated_by", "updated_at"])
    return current

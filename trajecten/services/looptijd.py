"""Writes a coordinator makes to a traject as a whole: extending it past its end date
(a recorded Verlenging), moving it to another school (and so perhaps another partnership),
and stopping it early with a reason. Each is atomic, audited, and tells the people around
the traject."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from portal.audit import record
from portal.mail import notify
from portal.models import School, User

from .. import hooks, lifecycle
from ..models import Stage, Traject, Verlenging

#: One extension reaches at most this far past the current end date: a longer one is a
#: second, separately agreed extension (and a typo such as 2092 for 2029 is caught).
MAX_EXTENSION_DAYS = 366


def _locked(traject: Traject) -> Traject:
    return (
        Traject.objects.select_for_update(of=("self",))
        .select_related("zij_instromer", "coach", "slb", "school")
        .get(pk=traject.pk)
    )


def _running(traject: Traject) -> None:
    if traject.fase not in lifecycle.RUNNING:
        raise ValidationError(
            _("Dit traject is %(fase)s: het kan niet meer worden gewijzigd.")
            % {"fase": Stage(traject.fase).label.lower()},
            code="ended",
        )


def _tell(traject: Traject, *, text_of, door: User) -> None:
    """Tell the side-entrant, coach and SLB (not the person who made the change), each in
    their own language; `text_of()` builds the text inside that language."""
    url = reverse("trajecten:detail", args=[traject.pk])
    people = {p.pk: p for p in (traject.zij_instromer, traject.coach, traject.slb) if p}
    for person in people.values():
        if person.pk == door.pk:
            continue
        with translation.override(person.language):
            text = text_of()
            notify(
                user=person,
                kind="traject",
                text=text,
                url=url,
                template="trajecten_wijziging",
                context={"traject": traject, "wijziging": text},
            )


@transaction.atomic
def traject_verlengen(
    *,
    traject: Traject,
    tot: datetime.date,
    reden: str,
    akkoord: str,
    door: User,
    request=None,
) -> Verlenging:
    """Extend `traject` to end on `tot`: a Verlenging records the old and new end date, the
    reason and who agreed; the end date moves, the conversation cycle follows (through the
    traject_started hook) and the risk flags count from the new date."""
    traject = _locked(traject)
    _running(traject)
    reden, akkoord = (reden or "").strip(), (akkoord or "").strip()
    if not reden:
        raise ValidationError(_("Geef de reden van de verlenging."), code="reason")
    if not akkoord:
        raise ValidationError(_("Geef aan wie met de verlenging instemden."), code="agreed")
    van = traject.end_date
    if tot <= van:
        raise ValidationError(
            _("De nieuwe einddatum moet na de huidige einddatum (%(d)s) liggen.")
            % {"d": f"{van:%d-%m-%Y}"},
            code="not_later",
        )
    if tot > van + datetime.timedelta(days=MAX_EXTENSION_DAYS):
        raise ValidationError(
            _(
                "Een verlenging is hoogstens een jaar per keer (tot en met %(d)s). "
                "Is er daarna meer tijd nodig, leg dan een nieuwe verlenging vast."
            )
            % {"d": f"{van + datetime.timedelta(days=MAX_EXTENSION_DAYS):%d-%m-%Y}"},
            code="too_long",
        )
    verlenging = Verlenging.objects.create(
        traject=traject, van=van, tot=tot, reden=reden, akkoord=akkoord, vastgelegd_door=door
    )
    traject.end_date = tot
    traject.save(update_fields=["end_date", "updated_at"])
    record(
        action="traject.verlengen",
        actor=door,
        obj=traject,
        traject=traject,
        request=request,
        detail={"van": van.isoformat(), "tot": tot.isoformat(), "reden": reden, "akkoord": akkoord},
    )
    if traject.status == Traject.Status.ACTIEF:
        hooks.traject_started(traject)  # "or its dates changed": the cycle reaches the new end
    _tell(
        traject,
        door=door,
        text_of=lambda: (
            _("Het traject van %(naam)s is verlengd tot en met %(d)s.")
            % {"naam": traject.zij_instromer.get_full_name(), "d": f"{tot:%d-%m-%Y}"}
        ),
    )
    return verlenging


@transaction.atomic
def traject_school_wijzigen(
    *, traject: Traject, school: School, door: User, allowed_schools, request=None
) -> Traject:
    """Move `traject` to `school` (the side-entrant changed schools). `allowed_schools`: the
    schools the person may move it to (the caller's access rule: the schools of the
    partnerships they coordinate). The whole history moves with the traject; the old
    school's leaders no longer see it, the new school's do, and both partnerships' figures
    follow at once (they are counted from the traject's school)."""
    traject = _locked(traject)
    _running(traject)
    if not allowed_schools.filter(pk=school.pk).exists():
        raise ValidationError(
            _("Je kunt een traject alleen naar een school van je eigen partnerschap verplaatsen."),
            code="school",
        )
    old = traject.school
    if old.pk == school.pk:
        raise ValidationError(_("Het traject hoort al bij deze school."), code="same")
    old_partnerschap = old.bestuur.partnerschap_id
    new_partnerschap = school.bestuur.partnerschap_id
    traject.school = school
    traject.save(update_fields=["school", "updated_at"])
    hooks.traject_moved(traject, old.name, school.name)  # planned conversations follow
    record(
        action="traject.school_wijzigen",
        actor=door,
        obj=traject,
        traject=traject,
        request=request,
        detail={
            "van": old.pk,
            "naar": school.pk,
            "partnerschap_van": old_partnerschap,
            "partnerschap_naar": new_partnerschap,
        },
    )
    _tell(
        traject,
        door=door,
        text_of=lambda: (
            _("Het traject van %(naam)s hoort nu bij %(school)s.")
            % {"naam": traject.zij_instromer.get_full_name(), "school": school.name}
        ),
    )
    return traject


@transaction.atomic
def traject_stoppen(*, traject: Traject, reden: str, door: User, request=None) -> Traject:
    """Stop `traject` early (the side-entrant leaves the programme): the phase becomes
    gestopt with the reason in the audit trail, future conversations lapse, and everything
    recorded so far stays."""
    traject = _locked(traject)
    _running(traject)
    reden = (reden or "").strip()
    if not reden:
        raise ValidationError(_("Geef de reden waarom het traject stopt."), code="reason")
    lifecycle.move(traject, Stage.GESTOPT, by=door, reden=reden, request=request)
    _tell(
        traject,
        door=door,
        text_of=lambda: (
            _("Het traject van %(naam)s is gestopt.")
            % {"naam": traject.zij_instromer.get_full_name()}
        ),
    )
    return traject

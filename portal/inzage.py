"""A formal request for access under the AVG (art. 15), handled by the coordinator.

The self-service download (`privacy.export_zip`, on the settings page) holds everything the
person wrote and everything recorded on their trajecten, but not the private notes coaches
and SLBs keep about their conversations: those are the author's working notes. Opinions
about a person are that person's personal data all the same, so a formal request gets them
too, after the coordinator has checked each one and taken out what is about other people
(shared/domain.md). The note itself is never changed: what was released is stored per
request (`InzageNotitie`). Every step is audited; the coordinator's reading of the notes is
the one place where anyone but the author sees them.

The AVG's term is one month from receipt (art. 12(3)).
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import audit, privacy
from .mail import notify
from .models import InzageNotitie, Inzageverzoek, Partnerschap, User

TERM_DAYS = 30


def term_of(verzoek: Inzageverzoek) -> datetime.date:
    """The last day to answer: a month after receipt."""
    return verzoek.ontvangen_op + datetime.timedelta(days=TERM_DAYS)


def requests_of(person: User, partnerschap: Partnerschap) -> QuerySet[Inzageverzoek]:
    """The formal requests of `person` in `partnerschap`, newest first."""
    return Inzageverzoek.objects.filter(persoon=person, partnerschap=partnerschap)


def notes_about(person: User, partnerschap: Partnerschap) -> QuerySet:
    """The private notes coaches and SLBs keep on the conversations of `person`'s trajecten
    in `partnerschap` (not the person's own: those are in the self-service download)."""
    PriveNotitie = apps.get_model("gesprekken", "PriveNotitie")
    return (
        PriveNotitie.objects.filter(
            gesprek__traject__zij_instromer=person,
            gesprek__traject__school__bestuur__partnerschap=partnerschap,
        )
        .exclude(auteur=person)
        .exclude(tekst="")
        .select_related("auteur", "gesprek")
        .order_by("gesprek__starts_at", "pk")
    )


@transaction.atomic
def inzageverzoek_register(
    *,
    person: User,
    partnerschap: Partnerschap,
    ontvangen_op: datetime.date,
    toelichting: str,
    door: User,
    request=None,
) -> Inzageverzoek:
    if ontvangen_op > timezone.localdate():
        raise ValidationError(_("De datum van ontvangst ligt in de toekomst."))
    verzoek = Inzageverzoek.objects.create(
        persoon=person,
        partnerschap=partnerschap,
        ontvangen_op=ontvangen_op,
        toelichting=toelichting.strip(),
        geregistreerd_door=door,
    )
    audit.record(
        action="inzage.verzoek",
        actor=door,
        obj=verzoek,
        request=request,
        detail={"persoon": person.pk, "ontvangen_op": ontvangen_op.isoformat()},
    )
    return verzoek


@transaction.atomic
def inzage_note_release(
    *, verzoek: Inzageverzoek, notitie_id: int, tekst: str, door: User, request=None
) -> InzageNotitie:
    """Record the checked text of one private note for this request (again: replaces it)."""
    verzoek = Inzageverzoek.objects.select_for_update().get(pk=verzoek.pk)
    if verzoek.status != Inzageverzoek.Status.ONTVANGEN:
        raise ValidationError(_("Dit verzoek is al afgehandeld."))
    note = notes_about(verzoek.persoon, verzoek.partnerschap).filter(pk=notitie_id).first()
    if note is None:
        raise ValidationError(_("Deze notitie hoort niet bij dit verzoek."))
    released, _created = InzageNotitie.objects.update_or_create(
        verzoek=verzoek,
        notitie_id=note.pk,
        defaults={
            "auteur": note.auteur.get_full_name() or note.auteur.email,
            "gesprek_datum": timezone.localdate(note.gesprek.starts_at),
            "tekst": tekst.strip(),
            "beoordeeld_door": door,
        },
    )
    audit.record(
        action="inzage.notitie_gecontroleerd",
        actor=door,
        obj=verzoek,
        request=request,
        detail={"notitie": note.pk, "ingekort": tekst.strip() != note.tekst.strip()},
    )
    return released


def unchecked(verzoek: Inzageverzoek) -> list:
    """The notes about the person not yet checked for this request."""
    done = set(verzoek.notities.values_list("notitie_id", flat=True))
    return [n for n in notes_about(verzoek.persoon, verzoek.partnerschap) if n.pk not in done]


@transaction.atomic
def inzage_verstrekken(*, verzoek: Inzageverzoek, door: User, request=None) -> Inzageverzoek:
    """Release the full export: only once every private note about the person is checked.
    The person is told and downloads it on their settings page (after confirming their
    password); the coordinator can download it too, to hand it over."""
    verzoek = Inzageverzoek.objects.select_for_update().get(pk=verzoek.pk)
    if verzoek.status != Inzageverzoek.Status.ONTVANGEN:
        raise ValidationError(_("Dit verzoek is al afgehandeld."))
    missing = unchecked(verzoek)
    if missing:
        raise ValidationError(
            _("Controleer eerst alle privénotities (nog %(n)s).") % {"n": len(missing)}
        )
    verzoek.status = Inzageverzoek.Status.VERSTREKT
    verzoek.verstrekt_op = timezone.now()
    verzoek.verstrekt_door = door
    verzoek.save(update_fields=["status", "verstrekt_op", "verstrekt_door"])
    audit.record(
        action="inzage.verstrekt",
        actor=door,
        obj=verzoek,
        request=request,
        detail={"persoon": verzoek.persoon_id, "notities": verzoek.notities.count()},
    )
    person = verzoek.persoon
    with translation.override(person.language):
        notify(
            user=person,
            kind="inzage",
            text=_("Je inzageverzoek is afgehandeld: je kunt al je gegevens downloaden."),
            url=reverse("portal:instellingen"),
        )
    return verzoek


def export_zip(verzoek: Inzageverzoek) -> bytes:
    """The full export of a released request: the self-service export plus the private
    notes as released (prive-notities.json)."""
    if verzoek.status != Inzageverzoek.Status.VERSTREKT:
        raise ValidationError(_("Dit verzoek is nog niet afgehandeld."))
    notes = [
        {
            "gesprek": n.gesprek_datum,
            "auteur": n.auteur,
            "tekst": n.tekst,
            "gecontroleerd_op": n.beoordeeld_op,
        }
        for n in verzoek.notities.order_by("gesprek_datum", "pk")
    ]
    return privacy.export_zip(
        verzoek.persoon,
        extra={
            "prive-notities.json": {
                "inzageverzoek": {
                    "ontvangen_op": verzoek.ontvangen_op,
                    "verstrekt_op": verzoek.verstrekt_op,
                },
                "notities": notes,
            }
        },
    )

"""Reminders: each goes out once per (subject, recipient, kind)."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.mail import notify
from portal.models import User

from .. import selectors
from ..models import Afspraak, Gesprek, Herinnering, Voorbereiding
from .common import when_text
from .verslag import required_signers, valid_signatures


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
            ) % {"when": when_text(gesprek)}
        else:
            text = _("Bereid het gesprek van %(when)s voor.") % {"when": when_text(gesprek)}
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

"""Writes for the intake: the geschiktheidsonderzoek and its ontwikkelpunten."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import record
from portal.models import User
from portal.uploads import discard_on_error, safe_name

from .. import lifecycle
from ..models import (
    Geschiktheidsonderzoek,
    Ontwikkelpunt,
    Stage,
    Traject,
)
from .common import StaleEdit, _refuse_duplicates

#: The reason recorded when a negative intake stops the traject (kept in Dutch, as every
#: audit detail: the trail is the college's record).
REDEN_ONDERZOEK_NEGATIEF = "geschiktheidsonderzoek negatief"

# --- geschiktheidsonderzoek -----------------------------------------------------------------


def _sync_ontwikkelpunten(traject: Traject, punten: Sequence[dict]) -> None:
    """Create, update and delete ontwikkelpunten as the form says. An ontwikkelpunt that a
    plan or the log already refers to cannot be deleted."""
    existing = {p.pk: p for p in Ontwikkelpunt.objects.filter(traject=traject)}
    _refuse_duplicates(punten, _("Een ontwikkelpunt staat twee keer in het formulier."))
    order = 0
    for item in punten:
        pk = item.get("id")
        if pk is not None and pk not in existing:
            raise ValidationError(_("Dit ontwikkelpunt hoort niet bij dit traject."))
        if item.get("delete"):
            if pk is None:
                continue
            punt = existing[pk]
            if punt.activiteiten.exists() or punt.logboekregels.exists():
                raise ValidationError(
                    _(
                        "Ontwikkelpunt “%(titel)s” staat in het scholingsplan of het logboek "
                        "en kan niet worden verwijderd."
                    )
                    % {"titel": punt.titel}
                )
            punt.delete()
            continue
        order += 1
        if pk is None:
            Ontwikkelpunt.objects.create(
                traject=traject,
                gebied=item["gebied"],
                titel=item["titel"],
                omschrijving=item.get("omschrijving", ""),
                order=order,
            )
        else:
            punt = existing[pk]
            punt.gebied = item["gebied"]
            punt.titel = item["titel"]
            punt.omschrijving = item.get("omschrijving", "")
            punt.order = order
            punt.save(update_fields=["gebied", "titel", "omschrijving", "order"])


@transaction.atomic
def geschiktheidsonderzoek_save(
    *,
    traject: Traject,
    user: User,
    datum: datetime.date,
    uitkomst: str,
    kan_direct_lesgeven: str,
    kan_binnen_twee_jaar: str,
    scholing_en_ondersteuning: str,
    ontwikkelpunten: Sequence[dict],
    rapport: UploadedFile | None = None,
    expected_version: int | None = None,
    request=None,
) -> Geschiktheidsonderzoek:
    """Record (or correct) the traject's geschiktheidsonderzoek and its ontwikkelpunten.

    `ontwikkelpunten` are dicts with `id` (None for a new one), `gebied`, `titel`,
    `omschrijving` and `delete`. A positive outcome needs at least one ontwikkelpunt and
    moves an intake traject on to its scholingsplan (trajecten.lifecycle, which tells the apps
    that listen: hooks.traject_started); a negative outcome stops a running traject (phase
    gestopt, hooks.traject_stopped). `expected_version` is the version the form was built on
    when correcting (optimistic locking).
    """
    traject = Traject.objects.select_for_update().get(pk=traject.pk)
    onderzoek = Geschiktheidsonderzoek.objects.select_for_update().filter(traject=traject).first()
    if onderzoek is not None and expected_version != onderzoek.version:
        raise StaleEdit
    if datum > timezone.localdate():
        raise ValidationError(_("De datum van het onderzoek ligt in de toekomst."))
    _sync_ontwikkelpunten(traject, ontwikkelpunten)
    positief = uitkomst == Geschiktheidsonderzoek.Uitkomst.POSITIEF
    if positief and not Ontwikkelpunt.objects.filter(traject=traject).exists():
        raise ValidationError(_("Een positieve uitkomst heeft minstens één ontwikkelpunt."))

    fields = {
        "datum": datum,
        "uitkomst": uitkomst,
        "kan_direct_lesgeven": kan_direct_lesgeven,
        "kan_binnen_twee_jaar": kan_binnen_twee_jaar,
        "scholing_en_ondersteuning": scholing_en_ondersteuning,
    }
    if onderzoek is None:
        onderzoek = Geschiktheidsonderzoek(traject=traject, vastgelegd_door=user, **fields)
        action = "onderzoek.record"
    else:
        for name, value in fields.items():
            setattr(onderzoek, name, value)
        onderzoek.version += 1
        action = "onderzoek.update"
    with discard_on_error(onderzoek, "rapport"):
        if rapport is not None:
            onderzoek.rapport_naam = safe_name(rapport.name)
            onderzoek.rapport.save(rapport.name, rapport, save=False)
        onderzoek.save()
        record(
            action=action,
            actor=user,
            obj=onderzoek,
            traject=traject,
            request=request,
            detail={"uitkomst": uitkomst},
        )

        if positief:
            lifecycle.catch_up(traject, by=user, request=request)
        elif traject.fase in lifecycle.RUNNING:
            lifecycle.move(
                traject, Stage.GESTOPT, by=user, request=request, reden=REDEN_ONDERZOEK_NEGATIEF
            )
    return onderzoek

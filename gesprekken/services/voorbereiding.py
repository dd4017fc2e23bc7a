"""Preparation: the shared preparations and the private notes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.models import User
from trajecten.models import Rol

from ..models import Gesprek, PriveNotitie, Voorbereiding
from .common import StaleVersion


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

"""Writes for the logboek: entries, their versions and reactions."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.audit import record
from portal.mail import notify
from portal.models import User
from portal.uploads import discard_on_error, safe_name

from ..models import (
    Logboekreactie,
    Logboekregel,
    LogboekregelVersie,
    Ontwikkelpunt,
    Traject,
)
from .common import StaleEdit

# --- logboek --------------------------------------------------------------------------------


def _check_logboek(traject: Traject, datum: datetime.date, punten: Iterable[Ontwikkelpunt]):
    if datum > timezone.localdate():
        raise ValidationError(_("De datum ligt in de toekomst."))
    if datum < traject.start_date:
        raise ValidationError(_("De datum ligt vóór de start van het traject."))
    if any(p.traject_id != traject.pk for p in punten):
        raise ValidationError(_("Dit ontwikkelpunt hoort niet bij dit traject."))


DOUBLE_SUBMIT_SECONDS = 30


def _same_recent_entry(
    traject: Traject,
    datum: datetime.date,
    wat_er_gebeurde: str,
    geleerd: str,
    ontwikkelpunten: Sequence[Ontwikkelpunt],
    bijlage: UploadedFile | None,
) -> Logboekregel | None:
    """An entry of `traject` with exactly this content, made in the last few seconds."""
    candidates = Logboekregel.objects.filter(
        traject=traject,
        datum=datum,
        wat_er_gebeurde=wat_er_gebeurde,
        geleerd=geleerd,
        bijlage_naam=safe_name(bijlage.name) if bijlage is not None else "",
        created_at__gte=timezone.now() - datetime.timedelta(seconds=DOUBLE_SUBMIT_SECONDS),
    ).prefetch_related("ontwikkelpunten")
    wanted = {p.pk for p in ontwikkelpunten}
    for regel in candidates:
        if {p.pk for p in regel.ontwikkelpunten.all()} == wanted:
            return regel
    return None


@transaction.atomic
def logboekregel_create(
    *,
    traject: Traject,
    user: User,
    datum: datetime.date,
    wat_er_gebeurde: str,
    geleerd: str = "",
    ontwikkelpunten: Sequence[Ontwikkelpunt] = (),
    bijlage: UploadedFile | None = None,
    request=None,
) -> Logboekregel:
    """Add an entry to the side-entrant's log (the view checked it is the side-entrant).

    The same entry again within DOUBLE_SUBMIT_SECONDS (a double click, a reload that posts
    once more) is not a second entry: the first one is returned."""
    _check_logboek(traject, datum, ontwikkelpunten)
    # Serialise this side-entrant's writes, so that two posts at once see each other.
    Traject.objects.select_for_update().get(pk=traject.pk)
    same = _same_recent_entry(traject, datum, wat_er_gebeurde, geleerd, ontwikkelpunten, bijlage)
    if same is not None:
        return same
    regel = Logboekregel(
        traject=traject, datum=datum, wat_er_gebeurde=wat_er_gebeurde, geleerd=geleerd
    )
    with discard_on_error(regel, "bijlage"):
        if bijlage is not None:
            regel.bijlage_naam = safe_name(bijlage.name)
            regel.bijlage.save(bijlage.name, bijlage, save=False)
        regel.save()
        regel.ontwikkelpunten.set(ontwikkelpunten)
        record(action="logboek.create", actor=user, obj=regel, traject=traject, request=request)
    return regel


@transaction.atomic
def logboekregel_update(
    *,
    regel: Logboekregel,
    user: User,
    expected_version: int,
    datum: datetime.date,
    wat_er_gebeurde: str,
    geleerd: str = "",
    ontwikkelpunten: Sequence[Ontwikkelpunt] = (),
    bijlage: UploadedFile | None = None,
    remove_bijlage: bool = False,
    request=None,
) -> Logboekregel:
    """Change a log entry. The text as it was is kept as a LogboekregelVersie (viewable);
    a stale `expected_version` is refused (StaleEdit). A replaced attachment stays with the
    earlier version."""
    regel = Logboekregel.objects.select_for_update().select_related("traject").get(pk=regel.pk)
    if regel.version != expected_version:
        raise StaleEdit
    _check_logboek(regel.traject, datum, ontwikkelpunten)
    old = LogboekregelVersie.objects.create(
        regel=regel,
        version=regel.version,
        datum=regel.datum,
        wat_er_gebeurde=regel.wat_er_gebeurde,
        geleerd=regel.geleerd,
        bijlage=regel.bijlage.name,
        bijlage_naam=regel.bijlage_naam,
        saved_at=regel.updated_at,
    )
    old.ontwikkelpunten.set(regel.ontwikkelpunten.all())
    regel.datum = datum
    regel.wat_er_gebeurde = wat_er_gebeurde
    regel.geleerd = geleerd
    with discard_on_error(regel, "bijlage"):
        if bijlage is not None:
            regel.bijlage_naam = safe_name(bijlage.name)
            regel.bijlage.save(bijlage.name, bijlage, save=False)
        elif remove_bijlage:
            regel.bijlage = ""
            regel.bijlage_naam = ""
        regel.version += 1
        regel.save(
            update_fields=[
                "datum",
                "wat_er_gebeurde",
                "geleerd",
                "bijlage",
                "bijlage_naam",
                "version",
                "updated_at",
            ]
        )
        regel.ontwikkelpunten.set(ontwikkelpunten)
        record(
            action="logboek.update",
            actor=user,
            obj=regel,
            traject=regel.traject,
            request=request,
            detail={"version": regel.version},
        )
    return regel


@transaction.atomic
def logboekreactie_add(
    *, regel: Logboekregel, user: User, rol: str, tekst: str, request=None
) -> Logboekreactie:
    """A coach or SLB reacts on a log entry; the side-entrant is told (mail kind logboek)."""
    reactie = Logboekreactie.objects.create(regel=regel, auteur=user, rol=rol, tekst=tekst)
    traject = regel.traject
    person = traject.zij_instromer
    if person.is_active and person.pk != user.pk:
        with translation.override(person.language):
            notify(
                user=person,
                kind="logboek",
                text=_("%(wie)s reageerde op je logboekregel van %(datum)s.")
                % {"wie": user.get_full_name(), "datum": f"{regel.datum:%d-%m-%Y}"},
                url=reverse("trajecten:logboek_detail", args=[traject.pk, regel.pk]),
                template="trajecten_logboek_reactie",
                context={"traject": traject, "regel": regel, "reactie": reactie, "door": user},
            )
    return reactie

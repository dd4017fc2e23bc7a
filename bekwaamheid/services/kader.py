"""Writes for the framework of competences (bekwaamheidskader): a new version, publishing."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit
from portal.models import User

from ..models import (
    Bekwaamheidseis,
    Bekwaamheidskader,
    Rubriekniveau,
)
from ..selectors import kader_eisen
from .common import Refused

# --- The framework ----------------------------------------------------------------------------


@transaction.atomic
def kader_new_version(*, kader: Bekwaamheidskader, by: User | None = None) -> Bekwaamheidskader:
    """Copy `kader` with its indicators and rubrics into a new concept version to edit."""
    last = Bekwaamheidskader.objects.order_by("-versie").values_list("versie", flat=True).first()
    new = Bekwaamheidskader.objects.create(
        name=kader.name, versie=(last or 0) + 1, toelichting=kader.toelichting
    )
    for eis in kader_eisen(kader):
        copy = Bekwaamheidseis.objects.create(
            kader=new,
            gebied=eis.gebied,
            code=eis.code,
            titel=eis.titel,
            omschrijving=eis.omschrijving,
            order=eis.order,
        )
        Rubriekniveau.objects.bulk_create(
            Rubriekniveau(eis=copy, niveau=n.niveau, omschrijving=n.omschrijving)
            for n in eis.niveaus.all()
        )
    audit.record(action="kader.new_version", actor=by, obj=new, detail={"from": kader.versie})
    return new


@transaction.atomic
def kader_publish(*, kader: Bekwaamheidskader, by: User | None = None) -> Bekwaamheidskader:
    """Make a concept version the one new dossiers start with; the previous active version
    is archived. Dossiers keep the version they started with."""
    kader = Bekwaamheidskader.objects.select_for_update(of=("self",)).get(pk=kader.pk)
    if kader.status != Bekwaamheidskader.Status.CONCEPT:
        raise Refused(_("Alleen een conceptversie kan gepubliceerd worden."))
    if not kader.eisen.exists():
        raise Refused(_("Een kader zonder indicatoren kan niet gepubliceerd worden."))
    Bekwaamheidskader.objects.filter(status=Bekwaamheidskader.Status.ACTIEF).update(
        status=Bekwaamheidskader.Status.GEARCHIVEERD
    )
    kader.status = Bekwaamheidskader.Status.ACTIEF
    kader.published_at = timezone.now()
    kader.save(update_fields=["status", "published_at"])
    audit.record(action="kader.publish", actor=by, obj=kader)
    return kader

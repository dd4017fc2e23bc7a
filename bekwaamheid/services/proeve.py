"""Writes for the Proeve van bekwaamheid: submitting, planning, the two judgements, the
joint oordeel and its signatures, finishing the traject."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from portal import audit
from portal.models import User
from trajecten import lifecycle
from trajecten.models import Stage, Traject

from .. import snapshot as snapshots
from ..figures import refresh_proeve
from ..models import (
    Beoordeling,
    Beoordelingsregel,
    Dossier,
    Niveau,
    Ondertekening,
    Onderzoeksopdracht,
    Oordeel,
    OordeelAddendum,
    Oordeelsregel,
    Proeve,
    Uitslag,
)
from ..selectors import kader_eisen
from .common import Refused, _stale, _tell
from .pdf import proeve_pdf_request

# --- The Proeve ----------------------------------------------------------------------------------


@transaction.atomic
def dossier_submit(*, dossier: Dossier, by: User, request=None) -> Proeve:
    """Submit the dossier for the Proeve: freeze a snapshot of the chosen work and protect
    the evidence it references. Fills an open herkansing, or starts the first Proeve."""
    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related(
            "kader",
            "traject__zij_instromer",
            "traject__school__bestuur__partnerschap",
            "traject__coach",
            "traject__slb",
            "traject__duo",
        )
        .get(pk=dossier.pk)
    )
    running = dossier.proeven.exclude(status=Proeve.Status.AFGEROND).first()
    if running is not None and running.status != Proeve.Status.OPEN:
        raise Refused(_("Het dossier is al ingediend; de momentopname kan niet meer veranderen."))
    if dossier.proeven.filter(uitslag=Uitslag.VOLDOENDE).exists():
        raise Refused(_("De Proeve is al met een voldoende afgerond."))
    if not dossier.onderzoeksopdrachten.filter(
        in_dossier=True, status=Onderzoeksopdracht.Status.AFGEROND
    ).exists():
        raise Refused(_("Kies eerst afgerond werk voor het dossier."))
    traject = Traject.objects.select_for_update(of=("self",)).get(pk=dossier.traject_id)
    if not lifecycle.can_move(traject, Stage.PROEVE):
        raise Refused(
            _(
                "Het dossier kan pas worden ingediend als het traject in de opleiding is "
                "(na een vastgesteld scholingsplan); het traject is nu in de fase %(fase)s."
            )
            % {"fase": Stage(traject.fase).label}
        )
    now = timezone.now()
    with translation.override("nl"):
        data, frozen = snapshots.build(dossier, by=by, at=now)
    proeve = running or Proeve(dossier=dossier, poging=1)
    proeve.snapshot = data
    proeve.snapshot_hash = snapshots.canonical_hash(data)
    proeve.status = Proeve.Status.INGEDIEND
    proeve.ingediend_at = now
    proeve.ingediend_door = by
    proeve.save()
    proeve.bewijsstukken.set(frozen)
    lifecycle.move(traject, Stage.PROEVE, by=by, request=request)
    dossier.traject.fase, dossier.traject.status = traject.fase, traject.status
    refresh_proeve([dossier.traject_id])
    audit.record(
        action="dossier.submit",
        actor=by,
        obj=proeve,
        request=request,
        traject=dossier.traject_id,
        detail={"hash": proeve.snapshot_hash},
    )
    url = reverse("bekwaamheid:proeve", args=[proeve.pk])
    naam = dossier.traject.zij_instromer.get_full_name()
    for coordinator in dossier.traject.school.bestuur.partnerschap.coordinatoren.all():
        _tell(
            coordinator,
            kind="proeve",
            url=url,
            text=N_("%(naam)s heeft het dossier ingediend voor de Proeve van bekwaamheid."),
            template="bekwaamheid_proeve_ingediend",
            context={"proeve": proeve, "naam": naam, "fmt": {"naam": naam}},
        )
    return proeve


@transaction.atomic
def proeve_plan(
    *,
    proeve: Proeve,
    by: User,
    datum: datetime.datetime,
    locatie: str,
    veldassessor: User,
    opleidingsassessor: User,
    version: int,
    request=None,
) -> Proeve:
    """The coordinator schedules the Proeve with two different assessors from the
    partnership's pool. Re-planning is possible until an assessor recorded a judgement."""
    locked = Proeve.objects.select_for_update(of=("self",)).get(pk=proeve.pk)
    if locked.version != version:
        raise _stale()
    if locked.status not in (Proeve.Status.INGEDIEND, Proeve.Status.GEPLAND):
        raise Refused(_("Deze Proeve kan niet (meer) gepland worden."))
    if locked.beoordelingen.filter(recorded_at__isnull=False).exists():
        raise Refused(_("Er is al een beoordeling vastgelegd; de planning ligt vast."))
    if veldassessor.pk == opleidingsassessor.pk:
        raise Refused(
            _("De veldassessor en de opleidingsassessor moeten verschillende personen zijn.")
        )
    partnerschap = proeve.dossier.traject.school.bestuur.partnerschap
    pool = set(partnerschap.assessoren.values_list("pk", flat=True))
    if veldassessor.pk not in pool or opleidingsassessor.pk not in pool:
        raise Refused(_("Kies assessoren uit de assessorenpool van het partnerschap."))
    traject = proeve.dossier.traject
    if {veldassessor.pk, opleidingsassessor.pk} & {
        traject.zij_instromer_id,
        traject.coach_id,
        traject.slb_id,
    }:
        raise Refused(_("Een assessor mag niet de zij-instromer, coach of SLB zijn."))
    previous = {locked.veldassessor_id, locked.opleidingsassessor_id}
    # Drafts of an assessor who is no longer on this Proeve go; nothing was recorded yet.
    locked.beoordelingen.exclude(assessor__in=[veldassessor, opleidingsassessor]).delete()
    locked.datum = datum
    locked.locatie = locatie
    locked.veldassessor = veldassessor
    locked.opleidingsassessor = opleidingsassessor
    locked.gepland_door = by
    locked.status = Proeve.Status.GEPLAND
    locked.version = version + 1
    locked.save(
        update_fields=[
            "datum",
            "locatie",
            "veldassessor",
            "opleidingsassessor",
            "gepland_door",
            "status",
            "version",
        ]
    )
    audit.record(
        action="proeve.plan",
        actor=by,
        obj=locked,
        request=request,
        traject=traject.pk,
        detail={"veld": veldassessor.pk, "opleiding": opleidingsassessor.pk},
    )
    url = reverse("bekwaamheid:proeve", args=[locked.pk])
    naam = traject.zij_instromer.get_full_name()
    for person in (veldassessor, opleidingsassessor, traject.zij_instromer):
        if person.pk in previous and person.pk != traject.zij_instromer_id:
            continue
        _tell(
            person,
            kind="proeve",
            url=url,
            text=N_("Proeve van bekwaamheid van %(naam)s gepland."),
            template="bekwaamheid_proeve_gepland",
            context={"proeve": locked, "naam": naam, "fmt": {"naam": naam}},
        )
    return locked


def _clean_regels(eisen, regels: dict, *, complete: bool) -> dict[int, tuple[int, str]]:
    """Validate {eis_id: (niveau, motivatie)} against the Proeve's indicators."""
    valid_ids = {e.pk for e in eisen}
    levels = set(Niveau.values)
    out = {}
    for eis_id, (niveau, motivatie) in regels.items():
        if eis_id not in valid_ids:
            raise Refused(_("Onbekende indicator."))
        if niveau in (None, ""):
            continue
        if int(niveau) not in levels:
            raise Refused(_("Onbekend niveau."))
        out[eis_id] = (int(niveau), (motivatie or "").strip())
    if complete and (set(out) != valid_ids or any(not m for _n, m in out.values())):
        raise Refused(_("Geef voor elke indicator een niveau en een motivering."))
    return out


@transaction.atomic
def beoordeling_save(
    *,
    proeve: Proeve,
    by: User,
    regels: dict,
    toelichting: str = "",
    record: bool = False,
    version: int | None = None,
    request=None,
) -> Beoordeling:
    """Save an assessor's own judgement (a draft, or recorded: then final). Once both
    assessors recorded theirs, each sees the other's and the joint oordeel can start."""
    proeve = (
        Proeve.objects.select_for_update(of=("self",))
        .select_related("dossier__kader")
        .get(pk=proeve.pk)
    )
    rol = proeve.assessor_rol(by)
    if rol is None:
        raise Refused(_("Je bent geen assessor van deze Proeve."))
    if proeve.status != Proeve.Status.GEPLAND:
        raise Refused(_("Deze Proeve staat niet open voor beoordeling."))
    beoordeling, _created = Beoordeling.objects.select_for_update(of=("self",)).get_or_create(
        proeve=proeve, rol=rol, defaults={"assessor": by}
    )
    if beoordeling.recorded_at is not None:
        raise Refused(_("Je beoordeling is al vastgelegd en kan niet meer worden gewijzigd."))
    if version is not None and not _created and beoordeling.version != version:
        raise _stale()
    eisen = list(kader_eisen(proeve.dossier.kader))
    clean = _clean_regels(eisen, regels, complete=record)
    beoordeling.regels.all().delete()
    Beoordelingsregel.objects.bulk_create(
        Beoordelingsregel(beoordeling=beoordeling, eis_id=eis_id, niveau=n, motivatie=m)
        for eis_id, (n, m) in clean.items()
    )
    beoordeling.toelichting = toelichting
    beoordeling.version += 0 if _created else 1
    fields = ["toelichting", "version", "updated_at"]
    if record:
        beoordeling.recorded_at = timezone.now()
        fields.append("recorded_at")
    beoordeling.save(update_fields=fields)
    if record:
        audit.record(
            action="beoordeling.record",
            actor=by,
            obj=beoordeling,
            request=request,
            traject=proeve.dossier.traject_id,
        )
        if proeve.beoordelingen.filter(recorded_at__isnull=False).count() == 2:
            url = reverse("bekwaamheid:proeve", args=[proeve.pk])
            naam = proeve.dossier.traject.zij_instromer.get_full_name()
            for person in (proeve.veldassessor, proeve.opleidingsassessor):
                _tell(
                    person,
                    kind="proeve",
                    url=url,
                    text=N_("Beide beoordelingen van de Proeve van %(naam)s zijn vastgelegd."),
                    template="bekwaamheid_proeve_beoordeeld",
                    context={"proeve": proeve, "naam": naam, "fmt": {"naam": naam}},
                )
    return beoordeling


def both_recorded(proeve: Proeve) -> bool:
    return proeve.beoordelingen.filter(recorded_at__isnull=False).count() == 2


@transaction.atomic
def oordeel_save(
    *,
    proeve: Proeve,
    by: User,
    uitslag: str,
    motivatie: str,
    regels: dict,
    version: int | None,
    request=None,
) -> Oordeel:
    """Write the joint oordeel (either assessor, after both recorded their own). Changes are
    refused once someone signed."""
    proeve = (
        Proeve.objects.select_for_update(of=("self",))
        .select_related("dossier__kader")
        .get(pk=proeve.pk)
    )
    if proeve.assessor_rol(by) is None:
        raise Refused(_("Je bent geen assessor van deze Proeve."))
    if proeve.status != Proeve.Status.GEPLAND or not both_recorded(proeve):
        raise Refused(
            _("Het gezamenlijke oordeel kan pas als beide beoordelingen zijn vastgelegd.")
        )
    if uitslag not in Uitslag.values or not motivatie.strip():
        raise Refused(_("Kies een uitslag en geef een motivering."))
    eisen = list(kader_eisen(proeve.dossier.kader))
    clean = _clean_regels(eisen, regels, complete=True)
    oordeel = Oordeel.objects.select_for_update(of=("self",)).filter(proeve=proeve).first()
    if oordeel is None:
        if version not in (None, 0):
            raise _stale()
        oordeel = Oordeel.objects.create(
            proeve=proeve, uitslag=uitslag, motivatie=motivatie, opgesteld_door=by
        )
    else:
        if oordeel.is_locked or oordeel.ondertekeningen.exists():
            raise Refused(_("Het oordeel is ondertekend en kan niet meer worden gewijzigd."))
        if version != oordeel.version:
            raise _stale()
        oordeel.uitslag = uitslag
        oordeel.motivatie = motivatie
        oordeel.version += 1
        oordeel.save(update_fields=["uitslag", "motivatie", "version", "updated_at"])
        oordeel.regels.all().delete()
    Oordeelsregel.objects.bulk_create(
        Oordeelsregel(oordeel=oordeel, eis_id=eis_id, niveau=n, motivatie=m)
        for eis_id, (n, m) in clean.items()
    )
    audit.record(
        action="oordeel.save",
        actor=by,
        obj=oordeel,
        request=request,
        traject=proeve.dossier.traject_id,
        detail={"version": oordeel.version},
    )
    return oordeel


def oordeel_signable_from(proeve: Proeve) -> datetime.date | None:
    """The first day the verdict of `proeve` may be signed: the day of the Proeve itself
    (None while it has no date). Before it the joint oordeel can be drafted, not signed."""
    return timezone.localdate(proeve.datum) if proeve.datum else None


def refuse_before_its_day(proeve: Proeve) -> None:
    day = oordeel_signable_from(proeve)
    if day is None:
        raise Refused(_("De Proeve heeft nog geen datum: een oordeel kan pas na de Proeve."))
    if timezone.localdate() < day:
        raise Refused(
            _("Het oordeel kan pas worden ondertekend vanaf de dag van de Proeve (%(d)s).")
            % {"d": f"{day:%d-%m-%Y}"}
        )


@transaction.atomic
def oordeel_sign(*, oordeel: Oordeel, by: User, version: int, request=None) -> Ondertekening:
    """Sign the joint oordeel (after re-authentication, checked by the view). The second
    signature makes it a record: the Proeve is afgerond; an onvoldoende opens a herkansing."""
    oordeel = (
        Oordeel.objects.select_for_update(of=("self",)).select_related("proeve").get(pk=oordeel.pk)
    )
    proeve = (
        Proeve.objects.select_for_update(of=("self",))
        .select_related(
            "dossier__traject__zij_instromer",
            "dossier__traject__coach",
            "dossier__traject__slb",
            "dossier__traject__school__bestuur__partnerschap",
        )
        .get(pk=oordeel.proeve_id)
    )
    rol = proeve.assessor_rol(by)
    if rol is None:
        raise Refused(_("Je bent geen assessor van deze Proeve."))
    if oordeel.is_locked:
        raise Refused(_("Het oordeel is al door beide assessoren ondertekend en ligt vast."))
    if version != oordeel.version:
        raise _stale()
    if oordeel.ondertekeningen.filter(rol=rol).exists():
        raise Refused(_("Je hebt dit oordeel al ondertekend."))
    refuse_before_its_day(proeve)
    try:
        with transaction.atomic():
            signature = Ondertekening.objects.create(
                oordeel=oordeel, assessor=by, rol=rol, oordeel_version=oordeel.version
            )
    except IntegrityError:
        raise Refused(_("Je hebt dit oordeel al ondertekend.")) from None
    audit.record(
        action="oordeel.sign",
        actor=by,
        obj=oordeel,
        request=request,
        traject=proeve.dossier.traject_id,
        detail={"rol": rol, "version": oordeel.version},
    )
    traject = proeve.dossier.traject
    naam = traject.zij_instromer.get_full_name()
    url = reverse("bekwaamheid:proeve", args=[proeve.pk])
    if oordeel.ondertekeningen.count() < 2:
        other = proeve.opleidingsassessor if rol == Beoordeling.Rol.VELD else proeve.veldassessor
        _tell(
            other,
            kind="proeve",
            url=url,
            text=N_("Het oordeel over de Proeve van %(naam)s wacht op jouw handtekening."),
            template="bekwaamheid_oordeel_tekenen",
            context={"proeve": proeve, "naam": naam, "fmt": {"naam": naam}},
        )
        return signature
    now = timezone.now()
    oordeel.locked_at = now
    oordeel.save(update_fields=["locked_at"])
    proeve.status = Proeve.Status.AFGEROND
    proeve.uitslag = oordeel.uitslag
    proeve.afgerond_at = now
    proeve.save(update_fields=["status", "uitslag", "afgerond_at"])
    if oordeel.uitslag == Uitslag.ONVOLDOENDE:
        herkansing = Proeve.objects.create(
            dossier=proeve.dossier,
            poging=proeve.poging + 1,
            herkansing_van=proeve,
            status=Proeve.Status.OPEN,
        )
        # Back to the training, with the retake recorded: the dossier goes in again from
        # there (dossier_submit fills the open attempt).
        # A traject stopped meanwhile stays stopped: the verdict is recorded all the same.
        locked = Traject.objects.select_for_update(of=("self",)).get(pk=traject.pk)
        if locked.fase == Stage.PROEVE:
            lifecycle.move(
                locked,
                Stage.OPLEIDING,
                by=by,
                request=request,
                reden=f"herkansing: Proeve {proeve.poging} onvoldoende, poging {herkansing.poging}",
            )
            traject.fase, traject.status = locked.fase, locked.status
    refresh_proeve([traject.pk])
    audit.record(
        action="proeve.afgerond",
        actor=by,
        obj=proeve,
        request=request,
        traject=traject.pk,
        detail={"uitslag": oordeel.uitslag},
    )
    recipients = [
        traject.zij_instromer,
        traject.coach,
        traject.slb,
        *traject.school.bestuur.partnerschap.coordinatoren.all(),
    ]
    seen = set()
    for person in recipients:
        if person is None or person.pk in seen:
            continue
        seen.add(person.pk)
        _tell(
            person,
            kind="proeve",
            url=url,
            text=N_("De uitslag van de Proeve van bekwaamheid van %(naam)s staat klaar."),
            template="bekwaamheid_proeve_uitslag",
            context={"proeve": proeve, "oordeel": oordeel, "naam": naam, "fmt": {"naam": naam}},
        )
    proeve_pdf_request(proeve=proeve, by=by)
    return signature


@transaction.atomic
def oordeel_sign_withdraw(*, oordeel: Oordeel, by: User, request=None) -> None:
    """Withdraw one's own signature while the other has not signed (to change the text)."""
    oordeel = (
        Oordeel.objects.select_for_update(of=("self",)).select_related("proeve").get(pk=oordeel.pk)
    )
    rol = oordeel.proeve.assessor_rol(by)
    if oordeel.is_locked:
        raise Refused(_("Het oordeel ligt vast; een correctie gaat als addendum."))
    deleted, _detail = oordeel.ondertekeningen.filter(rol=rol, assessor=by).delete()
    if not deleted:
        raise Refused(_("Je hebt dit oordeel nog niet ondertekend."))
    audit.record(
        action="oordeel.unsign",
        actor=by,
        obj=oordeel,
        request=request,
        traject=oordeel.proeve.dossier.traject_id,
    )


@transaction.atomic
def oordeel_addendum_add(
    *, oordeel: Oordeel, by: User, tekst: str, request=None
) -> OordeelAddendum:
    """Add a correction to a signed oordeel; the oordeel itself never changes."""
    oordeel = (
        Oordeel.objects.select_for_update(of=("self",)).select_related("proeve").get(pk=oordeel.pk)
    )
    if not oordeel.is_locked:
        raise Refused(
            _("Een addendum kan pas als het oordeel is ondertekend; pas het oordeel zelf aan.")
        )
    if not tekst.strip():
        raise Refused(_("Schrijf de correctie of aanvulling."))
    addendum = OordeelAddendum.objects.create(oordeel=oordeel, tekst=tekst, door=by)
    audit.record(
        action="oordeel.addendum",
        actor=by,
        obj=oordeel,
        request=request,
        traject=oordeel.proeve.dossier.traject_id,
    )
    proeve_pdf_request(proeve=oordeel.proeve, by=by)
    return addendum


@transaction.atomic
def proeve_traject_afronden(*, proeve: Proeve, by: User, request=None) -> Traject:
    """After a pass, the SLB or the coordinator closes the traject (phase afgerond; the view
    checks who may). Refused before a pass and once closed."""
    if proeve.uitslag != Uitslag.VOLDOENDE:
        raise Refused(_("Alleen na een voldoende kan het traject worden afgerond."))
    traject = Traject.objects.select_for_update(of=("self",)).get(pk=proeve.dossier.traject_id)
    if traject.fase == Stage.AFGEROND:
        raise Refused(_("Het traject is al afgerond."))
    if not lifecycle.can_move(traject, Stage.AFGEROND):
        raise Refused(
            _("Een traject in de fase %(fase)s kan niet worden afgerond.")
            % {"fase": Stage(traject.fase).label}
        )
    lifecycle.move(traject, Stage.AFGEROND, by=by, request=request)
    return traject

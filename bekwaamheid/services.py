"""Writes for the dossier, the assignments and the Proeve.

Every service is keyword-only and atomic; a refusal raises `Refused` with a message for the
person (nothing changed). Mail and tasks go out after commit (portal.mail / portal.tasking).
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from portal import audit
from portal.mail import notify
from portal.models import Partnerschap, User
from portal.tasking import enqueue
from portal.uploads import discard_on_error, safe_name
from trajecten.models import Traject

from . import snapshot as snapshots
from .figures import refresh_proeve
from .models import (
    RESTORE_DAYS,
    Bekwaamheidseis,
    Bekwaamheidskader,
    Beoordeling,
    Beoordelingsregel,
    Bewijsstuk,
    Dossier,
    Feedback,
    Feedbackverzoek,
    Niveau,
    Ondertekening,
    Onderzoeksopdracht,
    Oordeel,
    OordeelAddendum,
    Oordeelsregel,
    Opdracht,
    Proeve,
    Rubriekniveau,
    Succescriterium,
    Uitslag,
)
from .selectors import active_kader, kader_eisen


class Refused(Exception):
    """A write that the rules do not allow; `str(exc)` is the message for the person."""


class StaleEdit(Refused):
    """Someone else saved in between (optimistic locking)."""


def _stale() -> StaleEdit:
    return StaleEdit(
        _(
            "Iemand anders heeft dit intussen gewijzigd. Je tekst staat nog in het formulier: "
            "bekijk de nieuwe versie en sla opnieuw op."
        )
    )


def _tell(user: User, *, kind: str, text: str, url: str, template: str, context: dict) -> None:
    """Notify `user` in their own language; `text` is a msgid with %(name)s placeholders."""
    with translation.override(user.language):
        notify(
            user=user,
            kind=kind,
            text=_(text) % context.get("fmt", {}),
            url=url,
            template=template,
            context=context,
        )


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


# --- Dossier and assignments --------------------------------------------------------------------


@transaction.atomic
def dossier_ensure(*, traject: Traject) -> Dossier:
    """The traject's dossier; a new one starts on the active framework version."""
    dossier = Dossier.objects.filter(traject=traject).select_related("kader").first()
    if dossier is not None:
        return dossier
    kader = active_kader()
    if kader is None:
        raise Refused(_("Er is nog geen actief bekwaamheidskader."))
    return Dossier.objects.create(traject=traject, kader=kader)


@transaction.atomic
def opdracht_create(
    *,
    by: User,
    partnerschap: Partnerschap,
    titel: str,
    omschrijving: str,
    eisen: Iterable[Bekwaamheidseis],
    trajecten: Iterable[Traject],
    deadline: datetime.date | None = None,
    doelgroep: str = "",
    request=None,
) -> Opdracht:
    """Set an assignment for the given side-entrants: each gets their own piece of work on
    it, in their dossier, and a notification."""
    trajecten = list(trajecten)
    eisen = list(eisen)
    if not trajecten:
        raise Refused(_("Er zijn geen actieve zij-instromers in deze doelgroep."))
    if not eisen:
        raise Refused(_("Kies minstens één indicator."))
    opdracht = Opdracht.objects.create(
        titel=titel,
        omschrijving=omschrijving,
        partnerschap=partnerschap,
        deadline=deadline,
        gesteld_door=by,
        doelgroep=doelgroep[:200],
    )
    opdracht.eisen.set(eisen)
    for traject in trajecten:
        work = Onderzoeksopdracht.objects.create(
            opdracht=opdracht, dossier=dossier_ensure(traject=traject)
        )
        url = reverse("bekwaamheid:onderzoeksopdracht", args=[work.pk])
        _tell(
            traject.zij_instromer,
            kind="onderzoeksopdracht",
            url=url,
            text=N_("Nieuwe onderzoeksopdracht: %(titel)s"),
            template="bekwaamheid_opdracht",
            context={"opdracht": opdracht, "by": by, "fmt": {"titel": titel}},
        )
    audit.record(
        action="opdracht.create",
        actor=by,
        obj=opdracht,
        request=request,
        detail={"trajecten": [t.pk for t in trajecten]},
    )
    return opdracht


def _require_open(work: Onderzoeksopdracht) -> None:
    """Refuse changes to finished work (read from the database, locked for this write)."""
    status = (
        Onderzoeksopdracht.objects.select_for_update(of=("self",))
        .filter(pk=work.pk)
        .values_list("status", flat=True)
        .first()
    )
    if status == Onderzoeksopdracht.Status.AFGEROND:
        raise Refused(_("Deze onderzoeksopdracht is afgerond en kan niet meer worden gewijzigd."))


@transaction.atomic
def succescriterium_add(
    *, onderzoeksopdracht: Onderzoeksopdracht, by: User, tekst: str
) -> Succescriterium:
    """Add a success criterion to the side-entrant's work."""
    _require_open(onderzoeksopdracht)
    order = onderzoeksopdracht.criteria.count() + 1
    return Succescriterium.objects.create(
        onderzoeksopdracht=onderzoeksopdracht, tekst=tekst, order=order
    )


@transaction.atomic
def succescriterium_update(
    *, criterium: Succescriterium, by: User, tekst: str, reflectie: str, version: int
) -> Succescriterium:
    """Change a criterion's text and reflection; refused when someone saved in between."""
    _require_open(criterium.onderzoeksopdracht)
    updated = Succescriterium.objects.filter(pk=criterium.pk, version=version).update(
        tekst=tekst, reflectie=reflectie, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise _stale()
    criterium.refresh_from_db()
    return criterium


def _sha256(fileobj) -> str:
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


@transaction.atomic
def bewijsstuk_add(
    *,
    onderzoeksopdracht: Onderzoeksopdracht,
    by: User,
    titel: str,
    criterium: Succescriterium | None = None,
    upload=None,
    mime: str = "",
    link: str = "",
    request=None,
) -> Bewijsstuk:
    """Add a file (already validated by the form: size and real type) or a link."""
    _require_open(onderzoeksopdracht)
    if bool(upload) == bool(link):
        raise Refused(_("Voeg een bestand óf een link toe."))
    if criterium is not None and criterium.onderzoeksopdracht_id != onderzoeksopdracht.pk:
        raise Refused(_("Dit succescriterium hoort niet bij deze opdracht."))
    item = Bewijsstuk(
        onderzoeksopdracht=onderzoeksopdracht,
        criterium=criterium,
        titel=titel,
        toegevoegd_door=by,
        link=link,
    )
    with discard_on_error(item, "bestand"):
        if upload:
            item.bestand_naam = safe_name(upload.name)
            item.mime = mime
            item.size = upload.size
            item.sha256 = _sha256(upload)
            item.bestand.save(item.bestand_naam, upload, save=False)
        item.save()
        audit.record(
            action="bewijsstuk.add",
            actor=by,
            obj=item,
            request=request,
            traject=onderzoeksopdracht.dossier.traject_id,
        )
    return item


@transaction.atomic
def bewijsstuk_remove(*, bewijsstuk: Bewijsstuk, by: User, request=None) -> Bewijsstuk:
    """Remove evidence (restorable for 30 days). Evidence in a submitted dossier stays."""
    item = Bewijsstuk.objects.select_for_update(of=("self",)).get(pk=bewijsstuk.pk)
    if item.removed_at is not None:
        raise Refused(_("Dit bewijsstuk is al verwijderd."))
    if item.proeven.exists():
        raise Refused(
            _(
                "Dit bewijsstuk zit in een ingediend dossier voor de Proeve en kan niet "
                "worden verwijderd."
            )
        )
    _require_open(item.onderzoeksopdracht)
    item.removed_at = timezone.now()
    item.save(update_fields=["removed_at"])
    audit.record(
        action="bewijsstuk.remove",
        actor=by,
        obj=item,
        request=request,
        traject=item.onderzoeksopdracht.dossier.traject_id,
    )
    return item


@transaction.atomic
def bewijsstuk_restore(*, bewijsstuk: Bewijsstuk, by: User, request=None) -> Bewijsstuk:
    """Bring back evidence removed less than 30 days ago."""
    item = Bewijsstuk.objects.select_for_update(of=("self",)).get(pk=bewijsstuk.pk)
    if item.removed_at is None:
        raise Refused(_("Dit bewijsstuk is niet verwijderd."))
    if item.removed_at < timezone.now() - datetime.timedelta(days=RESTORE_DAYS):
        raise Refused(_("Dit bewijsstuk is langer dan 30 dagen geleden verwijderd."))
    _require_open(item.onderzoeksopdracht)
    item.removed_at = None
    item.save(update_fields=["removed_at"])
    audit.record(
        action="bewijsstuk.restore",
        actor=by,
        obj=item,
        request=request,
        traject=item.onderzoeksopdracht.dossier.traject_id,
    )
    return item


def bewijsstuk_purge_removed(*, now: datetime.datetime | None = None) -> int:
    """Delete evidence removed more than 30 days ago, file and row; never evidence that a
    submitted snapshot references. Returns how many were purged."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=RESTORE_DAYS)
    ids = list(
        Bewijsstuk.objects.filter(removed_at__lt=cutoff, proeven__isnull=True).values_list(
            "pk", flat=True
        )
    )
    purged = 0
    for pk in ids:
        with transaction.atomic():
            item = (
                Bewijsstuk.objects.select_for_update(of=("self",))
                .filter(pk=pk, removed_at__lt=cutoff, proeven__isnull=True)
                .select_related("onderzoeksopdracht__dossier")
                .first()
            )
            if item is None:
                continue
            name = item.bestand.name if item.bestand else ""
            storage = item.bestand.storage
            audit.record(
                action="bewijsstuk.purge",
                obj=item,
                traject=item.onderzoeksopdracht.dossier.traject_id,
                detail={"titel": item.titel},
            )
            item.delete()
            if name:
                transaction.on_commit(lambda n=name, s=storage: s.delete(n))
            purged += 1
    return purged


def feedback_candidates(work: Onderzoeksopdracht) -> list[tuple[User, str]]:
    """The people a side-entrant may ask for feedback: coach, duo, SLB, the teacher who set
    the assignment and the partnership's other module teachers."""
    traject = work.dossier.traject
    out: list[tuple[User, str]] = []
    seen: set[int] = {traject.zij_instromer_id}
    for user, label in (
        (traject.coach, _("leerkrachtcoach")),
        (traject.duo, _("duo-collega")),
        (traject.slb, _("studieloopbaanbegeleider")),
        (work.opdracht.gesteld_door, _("moduledocent")),
    ):
        if user is not None and user.pk not in seen and user.is_active:
            out.append((user, label))
            seen.add(user.pk)
    for user in work.opdracht.partnerschap.docenten.filter(is_active=True).order_by(
        "last_name", "first_name"
    ):
        if user.pk not in seen:
            out.append((user, _("moduledocent")))
            seen.add(user.pk)
    return out


@transaction.atomic
def feedback_request(
    *,
    onderzoeksopdracht: Onderzoeksopdracht,
    by: User,
    people: Iterable[User],
    vraag: str = "",
    request=None,
) -> list[Feedbackverzoek]:
    """Ask named people for formative feedback; the work becomes "ingediend"."""
    work = Onderzoeksopdracht.objects.select_for_update(of=("self",)).get(pk=onderzoeksopdracht.pk)
    _require_open(work)
    allowed = {u.pk for u, _label in feedback_candidates(onderzoeksopdracht)}
    people = list(people)
    if not people:
        raise Refused(_("Kies minstens één persoon die je om feedback vraagt."))
    if any(p.pk not in allowed for p in people):
        raise Refused(
            _("Je kunt alleen je coach, duo-collega, SLB of een moduledocent om feedback vragen.")
        )
    made = []
    url = reverse("bekwaamheid:onderzoeksopdracht", args=[work.pk])
    for person in people:
        if Feedbackverzoek.objects.filter(
            onderzoeksopdracht=work, gevraagd_aan=person, beantwoord_at__isnull=True
        ).exists():
            continue
        made.append(
            Feedbackverzoek.objects.create(
                onderzoeksopdracht=work, gevraagd_aan=person, vraag=vraag
            )
        )
        _tell(
            person,
            kind="feedback",
            url=url,
            text=N_("%(naam)s vraagt je om feedback op een onderzoeksopdracht."),
            template="bekwaamheid_feedback_verzoek",
            context={
                "work": onderzoeksopdracht,
                "by": by,
                "vraag": vraag,
                "fmt": {"naam": by.get_full_name()},
            },
        )
    if work.status == Onderzoeksopdracht.Status.CONCEPT:
        work.status = Onderzoeksopdracht.Status.INGEDIEND
        work.ingediend_at = timezone.now()
        work.save(update_fields=["status", "ingediend_at", "updated_at"])
        onderzoeksopdracht.status = work.status
    audit.record(
        action="feedback.request",
        actor=by,
        obj=work,
        request=request,
        traject=work.dossier.traject_id,
        detail={"people": [p.pk for p in people]},
    )
    return made


@transaction.atomic
def feedback_post(
    *,
    onderzoeksopdracht: Onderzoeksopdracht,
    by: User,
    tekst: str,
    antwoord_op: Feedback | None = None,
) -> Feedback:
    """Post a message in the assignment's feedback conversation. Answers the author's open
    request; tells the side-entrant (or, when they reply, the person they answer)."""
    if antwoord_op is not None:
        if antwoord_op.onderzoeksopdracht_id != onderzoeksopdracht.pk:
            raise Refused(_("Dit bericht hoort bij een andere opdracht."))
        antwoord_op = antwoord_op.antwoord_op or antwoord_op  # one level of threading
    message = Feedback.objects.create(
        onderzoeksopdracht=onderzoeksopdracht, auteur=by, tekst=tekst, antwoord_op=antwoord_op
    )
    Feedbackverzoek.objects.filter(
        onderzoeksopdracht=onderzoeksopdracht, gevraagd_aan=by, beantwoord_at__isnull=True
    ).update(beantwoord_at=timezone.now())
    traject = onderzoeksopdracht.dossier.traject
    url = reverse("bekwaamheid:onderzoeksopdracht", args=[onderzoeksopdracht.pk]) + (
        f"#feedback-{message.pk}"
    )
    recipients: list[User] = []
    if by.pk != traject.zij_instromer_id:
        recipients.append(traject.zij_instromer)
    elif antwoord_op is not None and antwoord_op.auteur_id != by.pk:
        recipients.append(antwoord_op.auteur)
    for person in recipients:
        _tell(
            person,
            kind="feedback",
            url=url,
            text=N_("Nieuwe feedback van %(naam)s op %(titel)s"),
            template="bekwaamheid_feedback",
            context={
                "work": onderzoeksopdracht,
                "by": by,
                "message": message,
                "fmt": {"naam": by.get_full_name(), "titel": onderzoeksopdracht.opdracht.titel},
            },
        )
    return message


@transaction.atomic
def onderzoeksopdracht_afronden(
    *, onderzoeksopdracht: Onderzoeksopdracht, by: User, request=None
) -> Onderzoeksopdracht:
    """Mark the work done (after feedback was asked). Done work can go into the dossier."""
    work = Onderzoeksopdracht.objects.select_for_update(of=("self",)).get(pk=onderzoeksopdracht.pk)
    if work.status != Onderzoeksopdracht.Status.INGEDIEND:
        raise Refused(_("Vraag eerst feedback (ingediend) voordat je de opdracht afrondt."))
    if not work.criteria.exists():
        raise Refused(_("Formuleer eerst je succescriteria."))
    work.status = Onderzoeksopdracht.Status.AFGEROND
    work.afgerond_at = timezone.now()
    work.save(update_fields=["status", "afgerond_at", "updated_at"])
    audit.record(
        action="onderzoeksopdracht.afronden",
        actor=by,
        obj=work,
        request=request,
        traject=work.dossier.traject_id,
    )
    return work


@transaction.atomic
def onderzoeksopdracht_dossier_set(
    *, onderzoeksopdracht: Onderzoeksopdracht, by: User, in_dossier: bool
) -> Onderzoeksopdracht:
    """The side-entrant chooses whether finished work goes into the dossier for the Proeve."""
    work = Onderzoeksopdracht.objects.select_for_update(of=("self",)).get(pk=onderzoeksopdracht.pk)
    if in_dossier and work.status != Onderzoeksopdracht.Status.AFGEROND:
        raise Refused(_("Alleen afgerond werk kan in het dossier."))
    work.in_dossier = in_dossier
    work.save(update_fields=["in_dossier", "updated_at"])
    return work


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
        Proeve.objects.create(
            dossier=proeve.dossier,
            poging=proeve.poging + 1,
            herkansing_van=proeve,
            status=Proeve.Status.OPEN,
        )
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
    """After a voldoende, the coordinator marks the traject afgerond."""
    if proeve.uitslag != Uitslag.VOLDOENDE:
        raise Refused(_("Alleen na een voldoende kan het traject worden afgerond."))
    traject = Traject.objects.select_for_update(of=("self",)).get(pk=proeve.dossier.traject_id)
    if traject.status == Traject.Status.AFGEROND:
        raise Refused(_("Het traject is al afgerond."))
    traject.status = Traject.Status.AFGEROND
    traject.save(update_fields=["status", "updated_at"])
    audit.record(
        action="traject.afronden",
        actor=by,
        obj=traject,
        request=request,
        traject=traject.pk,
        detail={"proeve": proeve.pk},
    )
    return traject


# --- The PDF ---------------------------------------------------------------------------------


@transaction.atomic
def proeve_pdf_request(*, proeve: Proeve, by: User | None = None) -> Proeve:
    """Queue rendering the Proeve's PDF unless the stored one is current."""
    from . import pdf  # WeasyPrint loads only where needed
    from .tasks import render_proeve_pdf  # tasks import this module

    locked = Proeve.objects.select_for_update(of=("self",)).get(pk=proeve.pk)
    if not locked.snapshot:
        raise Refused(_("Er is nog geen ingediend dossier om een PDF van te maken."))
    if locked.pdf_status == Proeve.PdfStatus.KLAAR and locked.pdf_source_hash == pdf.source_hash(
        locked
    ):
        return locked
    locked.pdf_status = Proeve.PdfStatus.BEZIG
    locked.pdf_requested_at = timezone.now()
    locked.save(update_fields=["pdf_status", "pdf_requested_at"])
    enqueue(render_proeve_pdf, locked.pk)
    return locked


#: A render still "bezig" this long after its request was lost (broker down, worker killed).
PDF_STUCK_AFTER = datetime.timedelta(minutes=10)


def proeve_pdf_requeue_stuck(*, now: datetime.datetime | None = None) -> int:
    """Queue again every PDF render requested more than PDF_STUCK_AFTER ago that never
    finished; returns how many. The request time moves on, so each is retried once a round."""
    from .tasks import render_proeve_pdf  # tasks import this module

    now = now or timezone.now()
    stuck = list(
        Proeve.objects.filter(
            pdf_status=Proeve.PdfStatus.BEZIG, pdf_requested_at__lt=now - PDF_STUCK_AFTER
        ).values_list("pk", flat=True)
    )
    for pk in stuck:
        with transaction.atomic():
            updated = Proeve.objects.filter(
                pk=pk, pdf_status=Proeve.PdfStatus.BEZIG, pdf_requested_at__lt=now - PDF_STUCK_AFTER
            ).update(pdf_requested_at=now)
            if updated:
                enqueue(render_proeve_pdf, pk)
    return len(stuck)


def proeve_pdf_render(*, proeve_id: int) -> Proeve:
    """Render the PDF (outside the transaction: it takes a while) and store it."""
    from . import pdf

    proeve = Proeve.objects.get(pk=proeve_id)
    try:
        content, source = pdf.render(proeve)
    except Exception:
        Proeve.objects.filter(pk=proeve_id).update(pdf_status=Proeve.PdfStatus.MISLUKT)
        raise
    with transaction.atomic():
        locked = Proeve.objects.select_for_update(of=("self",)).get(pk=proeve_id)
        old = locked.pdf.name if locked.pdf else ""
        storage = locked.pdf.storage
        locked.pdf.save(f"proeve-{locked.pk}.pdf", ContentFile(content), save=False)
        locked.pdf_source_hash = source
        locked.pdf_rendered_at = timezone.now()
        locked.pdf_status = Proeve.PdfStatus.KLAAR
        locked.save(update_fields=["pdf", "pdf_source_hash", "pdf_rendered_at", "pdf_status"])
        if old and old != locked.pdf.name:
            transaction.on_commit(lambda: storage.delete(old))
    return locked

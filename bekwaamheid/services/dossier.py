"""Writes for the dossier and its assignments: criteria, evidence, feedback, finishing."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from portal import audit
from portal.models import Partnerschap, User
from portal.uploads import discard_on_error, safe_name
from trajecten.models import Traject

from ..models import (
    RESTORE_DAYS,
    Bekwaamheidseis,
    Bewijsstuk,
    Dossier,
    Feedback,
    Feedbackverzoek,
    Onderzoeksopdracht,
    Opdracht,
    Succescriterium,
)
from ..selectors import active_kader
from .common import Refused, _stale, _tell

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

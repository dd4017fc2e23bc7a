"""Writes for trajecten: the intake, the scholingsplan and its agreement, the log, and who
holds which role. Every service is atomic, audits what matters and notifies after commit.

Views check the role (trajecten.access) before they call a service; services check the
state of the data (a draft can be edited, an agreed version cannot) and raise
ValidationError with a message for the user.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.audit import record
from portal.mail import notify
from portal.models import School, User
from portal.uploads import discard_on_error, safe_name

from . import hooks
from .figures import refresh_changes
from .models import (
    Activiteit,
    Activiteitvoortgang,
    Geschiktheidsonderzoek,
    Instemming,
    Logboekreactie,
    Logboekregel,
    LogboekregelVersie,
    Ontwikkelpunt,
    Planopmerking,
    Rol,
    Roltoewijzing,
    Scholingsplan,
    Scholingsplanversie,
    Traject,
)


class StaleEdit(ValidationError):
    """Someone else saved in between: the form was built on an older version."""

    def __init__(self):
        super().__init__(
            _(
                "Iemand anders heeft dit intussen gewijzigd. Je tekst staat hieronder nog; "
                "bekijk de nieuwe versie en sla opnieuw op."
            ),
            code="stale",
        )


# --- geschiktheidsonderzoek -----------------------------------------------------------------


def _check_window(traject: Traject, van: datetime.date, tot: datetime.date) -> None:
    if tot < van:
        raise ValidationError(_("De einddatum van de periode ligt vóór de begindatum."))
    if van < traject.start_date or tot > traject.end_date:
        raise ValidationError(
            _("De periode moet binnen het traject vallen (%(start)s tot en met %(end)s).")
            % {"start": f"{traject.start_date:%d-%m-%Y}", "end": f"{traject.end_date:%d-%m-%Y}"}
        )


def _refuse_duplicates(items: Sequence[dict], message: str) -> None:
    """A tampered form can post one id in two rows (deleted in one, changed in the other):
    refuse it rather than update a row that was just deleted."""
    ids = [item["id"] for item in items if item.get("id") is not None]
    if len(ids) != len(set(ids)):
        raise ValidationError(message)


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
    makes an intake traject actief (hooks.traject_started; listeners are idempotent); a
    negative outcome closes the traject (status gestopt) and tells the apps that listen
    (hooks.traject_stopped). `expected_version` is the
    version the form was built on when correcting (optimistic locking).
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

        if positief and traject.status == Traject.Status.INTAKE:
            traject.status = Traject.Status.ACTIEF
            traject.save(update_fields=["status", "updated_at"])
            record(
                action="traject.start", actor=user, obj=traject, traject=traject, request=request
            )
            hooks.traject_started(traject)
        elif not positief and traject.status in (Traject.Status.INTAKE, Traject.Status.ACTIEF):
            traject.status = Traject.Status.GESTOPT
            traject.save(update_fields=["status", "updated_at"])
            record(
                action="traject.stop",
                actor=user,
                obj=traject,
                traject=traject,
                request=request,
                detail={"reden": "geschiktheidsonderzoek negatief"},
            )
            hooks.traject_stopped(traject)
    return onderzoek


# --- scholingsplan --------------------------------------------------------------------------


def _plan_url(traject: Traject) -> str:
    return reverse("trajecten:plan", args=[traject.pk])


def _lock_version(versie: Scholingsplanversie) -> Scholingsplanversie:
    return (
        Scholingsplanversie.objects.select_for_update()
        .select_related("plan__traject")
        .get(pk=versie.pk)
    )


@transaction.atomic
def scholingsplan_start(*, traject: Traject, user: User, request=None) -> Scholingsplanversie:
    """Open a draft: version 1 after a positive intake, or a new version that copies the
    agreed one (activities keep their keys, so progress and the diff follow them).

    Refused while another version is still open, or without a positive intake.
    """
    traject = Traject.objects.select_for_update().get(pk=traject.pk)
    onderzoek = Geschiktheidsonderzoek.objects.filter(traject=traject).first()
    if onderzoek is None or onderzoek.uitkomst != Geschiktheidsonderzoek.Uitkomst.POSITIEF:
        raise ValidationError(_("Een scholingsplan begint na een positief geschiktheidsonderzoek."))
    plan, _created = Scholingsplan.objects.get_or_create(traject=traject)
    versions = plan.versies.all()
    if versions.exclude(status=Scholingsplanversie.Status.VASTGESTELD).exists():
        raise ValidationError(_("Er is al een versie in bewerking of ter instemming."))
    nummer = (versions.aggregate(n=Max("nummer"))["n"] or 0) + 1
    versie = Scholingsplanversie.objects.create(plan=plan, nummer=nummer, created_by=user)
    agreed = (
        versions.filter(status=Scholingsplanversie.Status.VASTGESTELD)
        .exclude(pk=versie.pk)
        .order_by("-nummer")
        .first()
    )
    if agreed is not None:
        Activiteit.objects.bulk_create(
            Activiteit(
                versie=versie,
                key=a.key,
                ontwikkelpunt_id=a.ontwikkelpunt_id,
                omschrijving=a.omschrijving,
                ondersteuning=list(a.ondersteuning),
                periode_van=a.periode_van,
                periode_tot=a.periode_tot,
                order=a.order,
            )
            for a in agreed.activiteiten.all()
        )
    record(
        action="scholingsplan.concept",
        actor=user,
        obj=versie,
        traject=traject,
        request=request,
        detail={"nummer": nummer},
    )
    return versie


@transaction.atomic
def scholingsplan_draft_save(
    *,
    versie: Scholingsplanversie,
    user: User,
    expected_version: int,
    toelichting: str,
    activiteiten: Sequence[dict],
    request=None,
) -> Scholingsplanversie:
    """Save the draft: its explanation and its activities.

    `activiteiten` are dicts with `id` (None for new), `ontwikkelpunt`, `omschrijving`,
    `ondersteuning` (list of "coach", "duo", "slb"), `periode_van`, `periode_tot` and
    `delete`. Only a concept can change; a stale `expected_version` is refused (StaleEdit).
    """
    versie = _lock_version(versie)
    traject = versie.plan.traject
    if versie.status != Scholingsplanversie.Status.CONCEPT:
        raise ValidationError(_("Alleen een concept kan worden gewijzigd."))
    if versie.version != expected_version:
        raise StaleEdit
    existing = {a.pk: a for a in versie.activiteiten.all()}
    _refuse_duplicates(activiteiten, _("Een activiteit staat twee keer in het formulier."))
    punten = set(Ontwikkelpunt.objects.filter(traject=traject).values_list("pk", flat=True))
    allowed_support = set(Activiteit.Ondersteuning.values)
    order = 0
    for item in activiteiten:
        pk = item.get("id")
        if pk is not None and pk not in existing:
            raise ValidationError(_("Deze activiteit hoort niet bij deze versie."))
        if item.get("delete"):
            if pk is not None:
                existing[pk].delete()
            continue
        punt = item["ontwikkelpunt"]
        if punt.pk not in punten:
            raise ValidationError(_("Dit ontwikkelpunt hoort niet bij dit traject."))
        _check_window(traject, item["periode_van"], item["periode_tot"])
        support = [s for s in Activiteit.Ondersteuning.values if s in item["ondersteuning"]]
        if set(item["ondersteuning"]) - allowed_support:
            raise ValidationError(_("Onbekende vorm van ondersteuning."))
        order += 1
        values = {
            "ontwikkelpunt": punt,
            "omschrijving": item["omschrijving"],
            "ondersteuning": support,
            "periode_van": item["periode_van"],
            "periode_tot": item["periode_tot"],
            "order": order,
        }
        if pk is None:
            Activiteit.objects.create(versie=versie, **values)
        else:
            activiteit = existing[pk]
            for name, value in values.items():
                setattr(activiteit, name, value)
            activiteit.save(update_fields=list(values))
    versie.toelichting = toelichting
    versie.version += 1
    versie.save(update_fields=["toelichting", "version"])
    return versie


def _same_content(a: Iterable[Activiteit], b: Iterable[Activiteit]) -> bool:
    def content(items):
        return sorted(
            (
                str(x.key),
                x.ontwikkelpunt_id,
                x.omschrijving,
                tuple(sorted(x.ondersteuning)),
                x.periode_van,
                x.periode_tot,
            )
            for x in items
        )

    return content(a) == content(b)


def _parties_to_ask(traject: Traject) -> list[User]:
    people = [traject.zij_instromer, *School.objects.get(pk=traject.school_id).leiders.all()]
    return [p for p in people if p.is_active]


@transaction.atomic
def scholingsplan_submit(
    *, versie: Scholingsplanversie, user: User, request=None
) -> Scholingsplanversie:
    """Put a concept up for agreement and ask the side-entrant and the school leader(s).

    Needs at least one activity for every ontwikkelpunt and, from version 2 on, an
    explanation and an actual change against the previous agreed version.
    """
    versie = _lock_version(versie)
    traject = versie.plan.traject
    if versie.status != Scholingsplanversie.Status.CONCEPT:
        raise ValidationError(_("Deze versie is al ter instemming voorgelegd."))
    activiteiten = list(versie.activiteiten.all())
    if not activiteiten:
        raise ValidationError(_("Plan minstens één activiteit voordat je het plan voorlegt."))
    covered = {a.ontwikkelpunt_id for a in activiteiten}
    missing = [
        p.titel for p in Ontwikkelpunt.objects.filter(traject=traject) if p.pk not in covered
    ]
    if missing:
        raise ValidationError(
            _("Voor deze ontwikkelpunten is nog niets gepland: %(punten)s.")
            % {"punten": ", ".join(missing)}
        )
    if versie.nummer > 1:
        if not versie.toelichting.strip():
            raise ValidationError(_("Licht toe wat er verandert en waarom."))
        previous = (
            Scholingsplanversie.objects.filter(
                plan=versie.plan,
                nummer__lt=versie.nummer,
                status=Scholingsplanversie.Status.VASTGESTELD,
            )
            .order_by("-nummer")
            .first()
        )
        if previous is not None and _same_content(previous.activiteiten.all(), activiteiten):
            raise ValidationError(
                _("Er is niets gewijzigd ten opzichte van versie %(n)d.") % {"n": previous.nummer}
            )
    versie.status = Scholingsplanversie.Status.TER_INSTEMMING
    versie.submitted_at = timezone.now()
    versie.version += 1
    versie.save(update_fields=["status", "submitted_at", "version"])
    record(
        action="scholingsplan.submit",
        actor=user,
        obj=versie,
        traject=traject,
        request=request,
        detail={"nummer": versie.nummer},
    )
    for person in _parties_to_ask(traject):
        with translation.override(person.language):
            notify(
                user=person,
                kind="scholingsplan",
                text=_("Het scholingsplan van %(naam)s (versie %(n)d) wacht op je instemming.")
                % {"naam": traject.zij_instromer.get_full_name(), "n": versie.nummer},
                url=_plan_url(traject),
                template="trajecten_scholingsplan_instemming",
                context={"traject": traject, "versie": versie, "door": user},
            )
    return versie


@transaction.atomic
def scholingsplan_withdraw(
    *, versie: Scholingsplanversie, user: User, request=None
) -> Scholingsplanversie:
    """Take a version awaiting agreement back to concept to change it. Agreements given so
    far lapse (they were for other content); the audit trail keeps who had agreed."""
    versie = _lock_version(versie)
    if versie.status != Scholingsplanversie.Status.TER_INSTEMMING:
        raise ValidationError(_("Alleen een versie die ter instemming ligt kan terug."))
    given = list(versie.instemmingen.values_list("partij", "user_id"))
    versie.instemmingen.all().delete()
    versie.status = Scholingsplanversie.Status.CONCEPT
    versie.submitted_at = None
    versie.version += 1
    versie.save(update_fields=["status", "submitted_at", "version"])
    record(
        action="scholingsplan.withdraw",
        actor=user,
        obj=versie,
        traject=versie.plan.traject,
        request=request,
        detail={"nummer": versie.nummer, "vervallen_instemmingen": given},
    )
    return versie


@transaction.atomic
def scholingsplan_discard(*, versie: Scholingsplanversie, user: User, request=None) -> None:
    """Throw away a concept that was never put up for agreement (not a record yet)."""
    versie = _lock_version(versie)
    if versie.status != Scholingsplanversie.Status.CONCEPT:
        raise ValidationError(_("Alleen een concept kan worden weggegooid."))
    traject = versie.plan.traject
    record(
        action="scholingsplan.discard",
        actor=user,
        obj=versie,
        traject=traject,
        request=request,
        detail={"nummer": versie.nummer},
    )
    versie.opmerkingen.all().delete()
    versie.delete()


@transaction.atomic
def scholingsplan_agree(
    *, versie: Scholingsplanversie, user: User, partij: str, rol: str, request=None
) -> Instemming:
    """Record that `user` agrees with `versie` for `partij` (zij_instromer, school or
    opleiding), holding role `rol`. The view decides which parties a user may speak for
    (access.instemming_partijen). When all three agreed, the version is vastgesteld: a
    record from then on, and the version in force."""
    versie = _lock_version(versie)
    traject = versie.plan.traject
    if versie.status != Scholingsplanversie.Status.TER_INSTEMMING:
        raise ValidationError(_("Deze versie ligt niet ter instemming."))
    if versie.instemmingen.filter(partij=partij).exists():
        raise ValidationError(_("Voor deze partij is al ingestemd."))
    instemming = Instemming.objects.create(versie=versie, partij=partij, user=user, rol=rol)
    record(
        action="scholingsplan.agree",
        actor=user,
        obj=versie,
        traject=traject,
        request=request,
        detail={"nummer": versie.nummer, "partij": partij, "rol": rol},
    )
    if set(versie.instemmingen.values_list("partij", flat=True)) == set(Instemming.Partij.values):
        versie.status = Scholingsplanversie.Status.VASTGESTELD
        versie.vastgesteld_op = timezone.now()
        versie.version += 1
        versie.save(update_fields=["status", "vastgesteld_op", "version"])
        record(
            action="scholingsplan.vastgesteld",
            actor=user,
            obj=versie,
            traject=traject,
            request=request,
            detail={"nummer": versie.nummer},
        )
        people = {p.pk: p for p in _parties_to_ask(traject)}
        for holder in (traject.coach, traject.slb):
            if holder is not None and holder.is_active:
                people[holder.pk] = holder
        for person in people.values():
            with translation.override(person.language):
                notify(
                    user=person,
                    kind="scholingsplan",
                    text=_("Het scholingsplan van %(naam)s (versie %(n)d) is vastgesteld.")
                    % {"naam": traject.zij_instromer.get_full_name(), "n": versie.nummer},
                    url=_plan_url(traject),
                    template="trajecten_scholingsplan_vastgesteld",
                    context={"traject": traject, "versie": versie},
                )
    return instemming


@transaction.atomic
def planopmerking_add(
    *, versie: Scholingsplanversie, user: User, tekst: str, request=None
) -> Planopmerking:
    """Add a comment to a plan version; the SLB (who drafts) hears of it."""
    traject = versie.plan.traject
    opmerking = Planopmerking.objects.create(versie=versie, auteur=user, tekst=tekst)
    slb = traject.slb
    if slb is not None and slb.pk != user.pk and slb.is_active:
        with translation.override(slb.language):
            notify(
                user=slb,
                kind="scholingsplan",
                text=_("%(wie)s plaatste een opmerking bij het scholingsplan van %(naam)s.")
                % {"wie": user.get_full_name(), "naam": traject.zij_instromer.get_full_name()},
                url=_plan_url(traject),
            )
    return opmerking


@transaction.atomic
def activiteit_voortgang_set(
    *, traject: Traject, key: uuid.UUID, afgerond: bool, user: User, request=None
) -> Activiteitvoortgang:
    """Mark an activity of the agreed plan done or not done. Progress lives beside the
    versions, so the agreed content stays exactly as agreed."""
    plan = Scholingsplan.objects.filter(traject=traject).first()
    in_force = (
        Scholingsplanversie.objects.filter(plan=plan, status=Scholingsplanversie.Status.VASTGESTELD)
        .order_by("-nummer")
        .first()
        if plan
        else None
    )
    if in_force is None or not in_force.activiteiten.filter(key=key).exists():
        raise ValidationError(_("Deze activiteit staat niet in het vastgestelde scholingsplan."))
    voortgang, _created = Activiteitvoortgang.objects.select_for_update().get_or_create(
        plan=plan, key=key
    )
    voortgang.afgerond = afgerond
    voortgang.gewijzigd_door = user
    voortgang.gewijzigd_op = timezone.now()
    voortgang.save(update_fields=["afgerond", "gewijzigd_door", "gewijzigd_op"])
    record(
        action="activiteit.voortgang",
        actor=user,
        obj=voortgang,
        traject=traject,
        request=request,
        detail={"key": str(key), "afgerond": afgerond},
    )
    return voortgang


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


# --- people ---------------------------------------------------------------------------------

CHANGEABLE_ROLES = (Rol.COACH, Rol.SLB, Rol.DUO)


@transaction.atomic
def traject_role_change(
    *, traject: Traject, rol: str, user: User | None, door: User, request=None
) -> Traject:
    """Give role `rol` (coach, SLB or duo) on `traject` to `user` (None leaves the duo
    role vacant). The previous holder's Roltoewijzing is closed, a new one opened; the
    change is audited and the new holder told. History stays on the traject, so a new
    coach finds the whole log and every plan version."""
    if rol not in CHANGEABLE_ROLES:
        raise ValidationError(_("Deze rol kan hier niet worden gewijzigd."))
    if user is None and rol != Rol.DUO:
        raise ValidationError(_("Een leerkrachtcoach en SLB zijn verplicht."))
    traject = Traject.objects.select_for_update().select_related("zij_instromer").get(pk=traject.pk)
    field = {Rol.COACH: "coach", Rol.SLB: "slb", Rol.DUO: "duo"}[Rol(rol)]
    old_id = getattr(traject, f"{field}_id")
    new_id = user.pk if user else None
    if old_id == new_id:
        raise ValidationError(_("Deze persoon heeft deze rol al."))
    if user is not None and user.pk == traject.zij_instromer_id:
        raise ValidationError(_("De zij-instromer kan geen begeleider van zichzelf zijn."))
    if user is not None and not user.is_active:
        raise ValidationError(_("Dit account is niet actief."))

    now = timezone.now()
    current = Roltoewijzing.objects.filter(traject=traject, rol=rol, tot__isnull=True).first()
    if current is not None:
        current.tot = now
        current.save(update_fields=["tot"])
    elif old_id is not None:
        # Held since before role history was kept: record it so the history is complete.
        Roltoewijzing.objects.create(
            traject=traject, rol=rol, user_id=old_id, van=traject.created_at, tot=now
        )
    if user is not None:
        Roltoewijzing.objects.create(traject=traject, rol=rol, user=user, van=now, door=door)
    refresh_changes([traject.pk])
    setattr(traject, field, user)
    traject.save(update_fields=[field, "updated_at"])
    record(
        action="traject.rol_wijzigen",
        actor=door,
        obj=traject,
        traject=traject,
        request=request,
        detail={"rol": rol, "van": old_id, "naar": new_id},
    )
    if user is not None:
        with translation.override(user.language):
            notify(
                user=user,
                kind="rol",
                text=_("Je bent nu %(rol)s van %(naam)s.")
                % {"rol": Rol(rol).label, "naam": traject.zij_instromer.get_full_name()},
                url=reverse("trajecten:detail", args=[traject.pk]),
                template="trajecten_rol",
                context={"traject": traject, "rol": Rol(rol).label},
            )
    return traject

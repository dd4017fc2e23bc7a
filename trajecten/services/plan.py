"""Writes for the scholingsplan: versions, drafts, submitting, agreeing, comments and
progress."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.audit import record
from portal.mail import notify
from portal.models import School, User

from .. import lifecycle
from ..models import (
    Activiteit,
    Activiteitvoortgang,
    Geschiktheidsonderzoek,
    Instemming,
    Ontwikkelpunt,
    Planopmerking,
    Scholingsplan,
    Scholingsplanversie,
    Traject,
)
from .common import StaleEdit, _check_window, _refuse_duplicates

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
        locked = Traject.objects.select_for_update().get(pk=traject.pk)
        lifecycle.catch_up(locked, by=user, request=request)
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

"""The report: writing with optimistic locking, signing and locking, addenda, agreements."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import audit
from portal.mail import notify
from portal.models import User
from trajecten.models import Rol, Traject

from ..figures import refresh_koers, refresh_signalen, refresh_signed_on
from ..models import Addendum, Afspraak, Gesprek, Handtekening, Signaal, Verslag
from .common import SignedTooEarly, StaleVersion, VerslagLocked, participants, signable_from


@transaction.atomic
def verslag_save(
    *,
    gesprek: Gesprek,
    actor: User,
    version: int,
    tekst: str,
    koers: str,
    koers_reden: str,
    afspraken: list[dict],
    signalen: list[dict],
    request=None,
) -> Verslag:
    """Write the report with its agreements and signals (SLB; the coach may co-edit).

    Optimistic locking: `version` is what the writer read (0 for a new report). A save over
    someone else's newer save raises StaleVersion; a locked report raises VerslagLocked.
    `afspraken`: dicts with id (None for new), omschrijving, owner, due_date, delete.
    `signalen`: dicts with id, soort, tekst, tags, delete. Earlier signatures stay, but count
    only for the version they were given on.
    """
    traject = gesprek.traject
    if actor.pk not in (traject.coach_id, traject.slb_id):
        raise PermissionDenied
    now = timezone.now()
    fields = {"tekst": tekst, "koers": koers, "koers_reden": koers_reden}
    verslag = Verslag.objects.filter(gesprek=gesprek).first()
    if verslag is None:
        if version != 0:
            raise StaleVersion(None)
        try:
            with transaction.atomic():
                verslag = Verslag.objects.create(
                    gesprek=gesprek, created_by=actor, updated_by=actor, **fields
                )
        except IntegrityError:
            raise StaleVersion(Verslag.objects.filter(gesprek=gesprek).first()) from None
    else:
        if verslag.is_locked:
            raise VerslagLocked
        updated = Verslag.objects.filter(
            pk=verslag.pk, version=version, locked_at__isnull=True
        ).update(version=F("version") + 1, updated_by=actor, updated_at=now, **fields)
        if not updated:
            verslag.refresh_from_db()
            if verslag.is_locked:
                raise VerslagLocked
            raise StaleVersion(verslag)
        verslag.refresh_from_db()
    _save_afspraken(verslag, afspraken, allowed_owners={u.pk for u in participants(traject)})
    _save_signalen(verslag, signalen, partnerschap_id=traject.school.bestuur.partnerschap_id)
    audit.record(
        action="verslag.save",
        actor=actor,
        obj=verslag,
        traject=traject,
        request=request,
        detail={"version": verslag.version},
    )
    return verslag


def _refuse_duplicate_ids(rows: list[dict]) -> None:
    """The form posts each line once. A tampered one with the same id in two rows (deleted
    in one, changed in the other) would save a line it just deleted (a 500): refuse it."""
    ids = [row["id"] for row in rows if row.get("id")]
    if len(ids) != len(set(ids)):
        raise PermissionDenied


def _save_afspraken(verslag: Verslag, rows: list[dict], *, allowed_owners: set[int]) -> None:
    _refuse_duplicate_ids(rows)
    existing = {a.pk: a for a in verslag.afspraken.all()}
    for order, row in enumerate(rows):
        afspraak = existing.get(row.get("id")) if row.get("id") else None
        if row.get("delete"):
            if afspraak is not None:
                afspraak.delete()  # a draft line; the report is not a record yet
            continue
        if row["owner"].pk not in allowed_owners:
            raise PermissionDenied
        if afspraak is None:
            Afspraak.objects.create(
                verslag=verslag,
                omschrijving=row["omschrijving"],
                owner=row["owner"],
                due_date=row["due_date"],
                order=order,
            )
        else:
            afspraak.omschrijving = row["omschrijving"]
            afspraak.owner = row["owner"]
            afspraak.due_date = row["due_date"]
            afspraak.order = order
            afspraak.save(update_fields=["omschrijving", "owner", "due_date", "order"])


def _save_signalen(verslag: Verslag, rows: list[dict], *, partnerschap_id: int) -> None:
    _refuse_duplicate_ids(rows)
    existing = {s.pk: s for s in verslag.signalen.all()}
    for order, row in enumerate(rows):
        signaal = existing.get(row.get("id")) if row.get("id") else None
        if row.get("delete"):
            if signaal is not None:
                signaal.delete()
            continue
        tags = list(row.get("tags") or [])
        if any(t.partnerschap_id != partnerschap_id for t in tags):
            raise PermissionDenied
        if signaal is None:
            signaal = Signaal.objects.create(
                verslag=verslag, soort=row["soort"], tekst=row["tekst"], order=order
            )
        else:
            signaal.soort = row["soort"]
            signaal.tekst = row["tekst"]
            signaal.order = order
            signaal.save(update_fields=["soort", "tekst", "order"])
        signaal.tags.set(tags)


def required_signers(traject: Traject) -> dict[str, User]:
    """The participants who must sign a report of `traject`, by role."""
    return {
        rol: holder
        for rol in (Rol.ZIJ_INSTROMER, Rol.COACH, Rol.SLB)
        if (holder := traject.holder(rol)) is not None
    }


def valid_signatures(verslag: Verslag) -> dict[str, Handtekening]:
    """The signatures that count: those on the report's current version, by role."""
    return {h.rol: h for h in verslag.handtekeningen.all() if h.version == verslag.version}


@transaction.atomic
def verslag_sign(*, verslag: Verslag, user: User, version: int, request=None) -> Verslag:
    """Sign the report as read at `version`. After the last required signature the report
    is locked: from then on a record, corrected only by addenda."""
    verslag = (
        Verslag.objects.select_for_update(of=("self",))
        .select_related(
            "gesprek__traject__zij_instromer",
            "gesprek__traject__coach",
            "gesprek__traject__slb",
            "gesprek__traject__duo",
        )
        .get(pk=verslag.pk)
    )
    traject = verslag.gesprek.traject
    signers = required_signers(traject)
    rol = next((r for r, u in signers.items() if u.pk == user.pk), None)
    if rol is None:
        raise PermissionDenied
    if verslag.is_locked:
        raise VerslagLocked
    if verslag.version != version:
        raise StaleVersion(verslag)
    if timezone.localdate() < signable_from(verslag.gesprek):
        raise SignedTooEarly(signable_from(verslag.gesprek))
    try:
        with transaction.atomic():
            Handtekening.objects.create(verslag=verslag, rol=rol, user=user, version=version)
    except IntegrityError:
        return verslag  # already signed this version: a double click
    audit.record(
        action="verslag.sign",
        actor=user,
        obj=verslag,
        traject=traject,
        request=request,
        detail={"rol": rol, "version": version},
    )
    signed = set(
        verslag.handtekeningen.filter(version=verslag.version).values_list("rol", flat=True)
    )
    missing = [u for r, u in signers.items() if r not in signed]
    if not missing:
        verslag.locked_at = timezone.now()
        verslag.save(update_fields=["locked_at"])
        refresh_koers([traject.pk])  # a signed answer counts from now on
        refresh_signed_on(gesprek_ids=[verslag.gesprek_id])
        refresh_signalen(verslag_ids=[verslag.pk])  # its signals count from now on
        audit.record(
            action="verslag.lock",
            actor=user,
            obj=verslag,
            traject=traject,
            request=request,
            detail={"version": verslag.version},
        )
    url = reverse("gesprekken:detail", args=[verslag.gesprek_id])
    for other in missing:
        with translation.override(other.language):
            notify(
                user=other,
                kind="verslag_ondertekend",
                url=url,
                text=_(
                    "%(name)s heeft het gespreksverslag ondertekend; jouw handtekening "
                    "ontbreekt nog."
                )
                % {"name": user.get_full_name()},
            )
    return verslag


@transaction.atomic
def addendum_add(*, verslag: Verslag, user: User, tekst: str, request=None) -> Addendum:
    """Add a correction or addition to a locked report, with who and when."""
    traject = verslag.gesprek.traject
    if user.pk not in {u.pk for u in participants(traject)}:
        raise PermissionDenied
    if not verslag.is_locked:
        raise ValueError("Addenda are for locked reports; edit the draft instead.")
    addendum = Addendum.objects.create(verslag=verslag, tekst=tekst, auteur=user)
    audit.record(
        action="verslag.addendum", actor=user, obj=addendum, traject=traject, request=request
    )
    return addendum


@transaction.atomic
def afspraak_set_done(*, afspraak: Afspraak, user: User, done: bool) -> Afspraak:
    """Mark an agreement done (or open again). Progress, not report text: allowed after the
    report is locked."""
    traject = afspraak.verslag.gesprek.traject
    if user.pk not in {u.pk for u in participants(traject)}:
        raise PermissionDenied
    afspraak.done_at = (afspraak.done_at or timezone.now()) if done else None
    afspraak.done_by = user if done else None
    afspraak.save(update_fields=["done_at", "done_by"])
    return afspraak

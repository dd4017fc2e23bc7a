"""Reminders: each goes out once per (subject, recipient, kind).

Two ways in, with the same checks and the same texts: `herinneringen_send_batch` sends what a
sweep found, in bulk; `herinnering_send` sends one (a retried task, or a reminder of a chunk
that failed). The unique constraints on Herinnering keep each to one, whichever way it goes.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.mail import Message, notify, notify_bulk
from portal.models import User

from .. import selectors
from ..models import Afspraak, Gesprek, Herinnering, Voorbereiding
from .common import when_text
from .verslag import required_signers, valid_signatures

logger = logging.getLogger(__name__)

# Reminders per transaction in a batch: a catch-up after a week without the beat holds no
# giant transaction, and a chunk that fails costs only its own reminders.
CHUNK_SIZE = 500

GESPREK_SOORTEN = (
    Herinnering.Soort.VOORBEREIDING_14,
    Herinnering.Soort.VOORBEREIDING_3,
    Herinnering.Soort.VERSLAG,
)


def _claim(**key) -> bool:
    """Record that a reminder goes out; False when it already went (unique constraint)."""
    try:
        with transaction.atomic():
            Herinnering.objects.create(**key)
    except IntegrityError:
        return False
    return True


def _notify(message: Message) -> None:
    notify(
        user=message.user,
        kind=message.kind,
        text=message.text,
        url=message.url,
        template=message.template,
        context=message.context,
    )


def _planned_gesprekken():
    return Gesprek.objects.select_related(
        "traject__zij_instromer", "traject__coach", "traject__slb", "traject__duo", "verslag"
    ).filter(status=Gesprek.Status.GEPLAND)


def _open_afspraken():
    return Afspraak.objects.select_related("verslag__gesprek__traject__zij_instromer").filter(
        done_at__isnull=True
    )


def _role_of(gesprek: Gesprek, user_id: int) -> str | None:
    """The role in which `user_id` signs reports of `gesprek`'s traject (None: not at all)."""
    signers = required_signers(gesprek.traject)
    return next((r for r, u in signers.items() if u.pk == user_id), None)


# --- The texts, shared by both ways in ------------------------------------------------------


def _gesprek_message(
    soort: str, recipient: User, gesprek: Gesprek, rol: str, *, prepared: bool
) -> Message | None:
    """The reminder of `soort` about `gesprek` to `recipient` in role `rol`; None when it is
    no longer due (they prepared, signed the current version, or the report is locked)."""
    S = Herinnering.Soort
    verslag = getattr(gesprek, "verslag", None)
    if soort == S.VERSLAG:
        if verslag is not None and (verslag.is_locked or rol in valid_signatures(verslag)):
            return None
        template, kind = "gesprekken_herinnering_verslag", "herinnering_verslag"
        url = reverse(
            "gesprekken:verslag" if verslag is None else "gesprekken:detail", args=[gesprek.pk]
        )
    else:
        if prepared:
            return None
        template, kind = "gesprekken_herinnering_voorbereiding", "herinnering_voorbereiding"
        url = reverse("gesprekken:voorbereiden", args=[gesprek.pk])
    days = (gesprek.local_date - timezone.localdate()).days
    with translation.override(recipient.language):
        if soort == S.VERSLAG:
            text = (
                _("Het verslag van het gesprek van %(when)s is nog niet ondertekend.")
                if verslag is not None
                else _("Het verslag van het gesprek van %(when)s is nog niet geschreven.")
            ) % {"when": when_text(gesprek)}
        else:
            text = _("Bereid het gesprek van %(when)s voor.") % {"when": when_text(gesprek)}
    return Message(
        user=recipient,
        kind=kind,
        text=text,
        url=url,
        template=template,
        context={
            "gesprek": gesprek,
            "traject": gesprek.traject,
            "days": days,
            "verslag": verslag,
            "rol": rol,
        },
    )


def _afspraak_message(recipient: User, afspraak: Afspraak) -> Message:
    gesprek = afspraak.verslag.gesprek
    with translation.override(recipient.language):
        text = _("De afspraak \u201c%(afspraak)s\u201d is over de datum.") % {
            "afspraak": afspraak.omschrijving[:150]
        }
    return Message(
        user=recipient,
        kind="herinnering_afspraak",
        text=text,
        url=reverse("gesprekken:detail", args=[gesprek.pk]),
        template="gesprekken_herinnering_afspraak",
        context={"afspraak": afspraak, "gesprek": gesprek, "traject": gesprek.traject},
    )


def _digest_message(recipient: User, week: datetime.date, gesprekken: list[Gesprek]) -> Message:
    with translation.override(recipient.language):
        text = _("Je hebt %(count)d gesprekken in de komende twee weken.") % {
            "count": len(gesprekken)
        }
    return Message(
        user=recipient,
        kind="digest_slb",
        text=text,
        url=reverse("gesprekken:mine"),
        template="gesprekken_digest_slb",
        context={"gesprekken": gesprekken, "week": week},
    )


# --- One at a time --------------------------------------------------------------------------


@transaction.atomic
def herinnering_send(
    *,
    soort: str,
    recipient_id: int,
    gesprek_id: int | None = None,
    afspraak_id: int | None = None,
    week: datetime.date | None = None,
) -> bool:
    """Send one reminder, at most once per (subject, recipient, kind). Checks again that it
    is still due (someone may have prepared or signed since the sweep). True when sent."""
    recipient = User.objects.filter(pk=recipient_id, is_active=True).first()
    if recipient is None:
        return False
    S = Herinnering.Soort
    if soort in GESPREK_SOORTEN:
        return _gesprek_reminder(soort, recipient, gesprek_id)
    if soort == S.AFSPRAAK:
        return _afspraak_reminder(recipient, afspraak_id)
    if soort == S.DIGEST_SLB:
        return _digest(recipient, week)
    raise ValueError(soort)


def _gesprek_reminder(soort: str, recipient: User, gesprek_id: int) -> bool:
    gesprek = _planned_gesprekken().filter(pk=gesprek_id).first()
    if gesprek is None:
        return False
    rol = _role_of(gesprek, recipient.pk)
    if rol is None:
        return False
    prepared = (
        soort != Herinnering.Soort.VERSLAG
        and Voorbereiding.objects.filter(gesprek=gesprek, rol=rol, ready_at__isnull=False).exists()
    )
    message = _gesprek_message(soort, recipient, gesprek, rol, prepared=prepared)
    if message is None or not _claim(soort=soort, recipient=recipient, gesprek=gesprek):
        return False
    _notify(message)
    return True


def _afspraak_reminder(recipient: User, afspraak_id: int) -> bool:
    afspraak = _open_afspraken().filter(pk=afspraak_id, owner=recipient).first()
    if afspraak is None:
        return False
    if not _claim(soort=Herinnering.Soort.AFSPRAAK, recipient=recipient, afspraak=afspraak):
        return False
    _notify(_afspraak_message(recipient, afspraak))
    return True


def _digest(recipient: User, week: datetime.date) -> bool:
    gesprekken = selectors.digest_gesprekken(recipient, timezone.localdate())
    if not gesprekken:
        return False
    if not _claim(soort=Herinnering.Soort.DIGEST_SLB, recipient=recipient, week=week):
        return False
    _notify(_digest_message(recipient, week, gesprekken))
    return True


# --- In bulk --------------------------------------------------------------------------------


@dataclass
class BatchResult:
    """What `herinneringen_send_batch` did: how many reminders went out, and those of the
    chunks that failed (rolled back; the caller may hand them to `herinnering_send`)."""

    sent: int = 0
    failed: list[selectors.Due] = field(default_factory=list)


@dataclass(frozen=True)
class _Reminder:
    key: dict  # the Herinnering row that records it
    message: Message


def herinneringen_send_batch(
    *, due: list[selectors.Due], chunk_size: int = CHUNK_SIZE
) -> BatchResult:
    """Send the reminders a sweep found, in bulk. Per kind and per chunk of `chunk_size`, one
    transaction with a fixed number of queries: it checks again which are still due (as
    `herinnering_send` does), records them, writes their notifications and mails (the same
    texts as `herinnering_send`) and queues the mails for after commit. Each still goes out
    once: one that another sweep or task claimed in the meantime is left out.

    Not one transaction for all: a chunk that fails is rolled back, logged and returned in
    `failed`, and the chunks before and after it stand."""
    by_soort: dict[str, list[selectors.Due]] = {}
    for item in dict.fromkeys(due):
        by_soort.setdefault(item.soort, []).append(item)
    result = BatchResult()
    for soort, items in by_soort.items():
        # The same order in every sweep: two sweeps at once then wait for each other on
        # the unique index instead of deadlocking.
        items.sort(key=_subject_order)
        for start in range(0, len(items), chunk_size):
            chunk = items[start : start + chunk_size]
            try:
                result.sent += _send_chunk(soort, chunk)
            except Exception:  # whatever broke, the other chunks go out
                logger.exception("Could not send %d reminders of kind %s", len(chunk), soort)
                result.failed.extend(chunk)
    return result


def _subject_order(item: selectors.Due) -> tuple:
    return (
        item.gesprek_id or 0,
        item.afspraak_id or 0,
        item.week or datetime.date.min,
        item.recipient_id,
    )


@transaction.atomic
def _send_chunk(soort: str, items: list[selectors.Due]) -> int:
    recipients = User.objects.filter(is_active=True).in_bulk({d.recipient_id for d in items})
    if soort in GESPREK_SOORTEN:
        reminders = _gesprek_reminders(soort, items, recipients)
    elif soort == Herinnering.Soort.AFSPRAAK:
        reminders = _afspraak_reminders(items, recipients)
    elif soort == Herinnering.Soort.DIGEST_SLB:
        reminders = _digest_reminders(items, recipients)
    else:
        raise ValueError(soort)
    reminders = _claim_all(reminders)
    notify_bulk(messages=[r.message for r in reminders])
    return len(reminders)


def _gesprek_reminders(
    soort: str, items: list[selectors.Due], recipients: dict[int, User]
) -> list[_Reminder]:
    ids = {d.gesprek_id for d in items}
    gesprekken = _planned_gesprekken()
    if soort == Herinnering.Soort.VERSLAG:
        gesprekken = gesprekken.prefetch_related("verslag__handtekeningen")
        ready = set()
    else:
        ready = set(
            Voorbereiding.objects.filter(gesprek_id__in=ids, ready_at__isnull=False).values_list(
                "gesprek_id", "rol"
            )
        )
    gesprekken = gesprekken.in_bulk(ids)
    claimed = set(
        Herinnering.objects.filter(soort=soort, gesprek_id__in=ids).values_list(
            "gesprek_id", "recipient_id"
        )
    )
    reminders = []
    for d in items:
        recipient, gesprek = recipients.get(d.recipient_id), gesprekken.get(d.gesprek_id)
        if recipient is None or gesprek is None or (gesprek.pk, recipient.pk) in claimed:
            continue
        rol = _role_of(gesprek, recipient.pk)
        if rol is None:
            continue
        message = _gesprek_message(
            soort, recipient, gesprek, rol, prepared=(gesprek.pk, rol) in ready
        )
        if message is not None:
            key = {"soort": soort, "recipient_id": recipient.pk, "gesprek_id": gesprek.pk}
            reminders.append(_Reminder(key=key, message=message))
    return reminders


def _afspraak_reminders(items: list[selectors.Due], recipients: dict[int, User]) -> list[_Reminder]:
    soort = Herinnering.Soort.AFSPRAAK
    ids = {d.afspraak_id for d in items}
    afspraken = _open_afspraken().in_bulk(ids)
    claimed = set(
        Herinnering.objects.filter(soort=soort, afspraak_id__in=ids).values_list(
            "afspraak_id", "recipient_id"
        )
    )
    reminders = []
    for d in items:
        recipient, afspraak = recipients.get(d.recipient_id), afspraken.get(d.afspraak_id)
        if recipient is None or afspraak is None or afspraak.owner_id != recipient.pk:
            continue
        if (afspraak.pk, recipient.pk) not in claimed:
            key = {"soort": soort, "recipient_id": recipient.pk, "afspraak_id": afspraak.pk}
            reminders.append(_Reminder(key=key, message=_afspraak_message(recipient, afspraak)))
    return reminders


def _digest_reminders(items: list[selectors.Due], recipients: dict[int, User]) -> list[_Reminder]:
    soort = Herinnering.Soort.DIGEST_SLB
    by_slb = selectors.digest_gesprekken_by_slb(list(recipients), timezone.localdate())
    claimed = set(
        Herinnering.objects.filter(
            soort=soort, week__in={d.week for d in items}, recipient_id__in=list(recipients)
        ).values_list("week", "recipient_id")
    )
    reminders = []
    for d in items:
        recipient, gesprekken = recipients.get(d.recipient_id), by_slb.get(d.recipient_id)
        if recipient is None or not gesprekken or (d.week, recipient.pk) in claimed:
            continue
        key = {"soort": soort, "recipient_id": recipient.pk, "week": d.week}
        reminders.append(_Reminder(key=key, message=_digest_message(recipient, d.week, gesprekken)))
    return reminders


def _claim_all(reminders: list[_Reminder]) -> list[_Reminder]:
    """Record in one insert that `reminders` go out, and return those that do. When another
    sweep or a retried task claimed one since they were read, the insert fails as a whole;
    then each is claimed on its own, and only those still free go out."""
    try:
        with transaction.atomic():
            Herinnering.objects.bulk_create([Herinnering(**r.key) for r in reminders])
    except IntegrityError:
        return [r for r in reminders if _claim(**r.key)]
    return reminders

"""Thin tasks: take ids, call a service. The sweeps read in bulk and send in bulk
(services.herinneringen_send_batch: a fixed number of queries per kind and chunk); the
reminders of a chunk that fails get a small task each, so one failure does not hold up the
rest and a retry repeats nothing (each reminder is recorded once)."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from portal.tasking import enqueue

from . import selectors, services
from .models import Herinnering

# How far back a sweep looks for what it may have missed (the beat or the broker was down).
CATCH_UP_DAYS = 7


def _send(due: list[selectors.Due]) -> int:
    result = services.herinneringen_send_batch(due=due)
    for item in result.failed:
        enqueue(
            herinnering_send,
            soort=item.soort,
            recipient_id=item.recipient_id,
            gesprek_id=item.gesprek_id,
            afspraak_id=item.afspraak_id,
            week=item.week.isoformat() if item.week else None,
        )
    return result.sent + len(result.failed)


@shared_task
def herinneringen_sweep() -> int:
    """Daily: preparation reminders (14 and 3 days before), report reminders (the day after
    a conversation), overdue agreements. Returns how many reminders went out (or, of a
    chunk that failed, were queued one by one)."""
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    S = Herinnering.Soort
    due = [
        *selectors.due_preparation_reminders(S.VOORBEREIDING_14, today + 4 * day, today + 14 * day),
        *selectors.due_preparation_reminders(S.VOORBEREIDING_3, today, today + 3 * day),
        *selectors.due_verslag_reminders(today - CATCH_UP_DAYS * day, today - day),
        *selectors.due_afspraak_reminders(today - CATCH_UP_DAYS * day, today - day),
    ]
    return _send(due)


@shared_task
def digest_slb_sweep() -> int:
    """Weekly: each SLB's conversations in the coming two weeks."""
    return _send(selectors.due_digests(timezone.localdate()))


@shared_task(
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=5,
    acks_late=True,
)
def herinnering_send(
    self,
    *,
    soort: str,
    recipient_id: int,
    gesprek_id: int | None = None,
    afspraak_id: int | None = None,
    week: str | None = None,
) -> bool:
    return services.herinnering_send(
        soort=soort,
        recipient_id=recipient_id,
        gesprek_id=gesprek_id,
        afspraak_id=afspraak_id,
        week=datetime.date.fromisoformat(week) if week else None,
    )


@shared_task
def cycli_plannen() -> int:
    """Daily safety net: plan the cycle of active trajecten that have none."""
    return services.gesprekken_plan_missing()

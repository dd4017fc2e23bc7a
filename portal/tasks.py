"""Thin tasks: take ids, call a service."""

from __future__ import annotations

import logging

from celery import shared_task

from . import services
from .mail import mails_send
from .tasking import enqueue

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
    acks_late=True,
)
def send_mail(self, mail_id: int) -> None:
    services.mail_send(mail_id=mail_id, final_attempt=self.request.retries >= self.max_retries)


@shared_task(acks_late=True)
def send_mails(mail_ids: list[int]) -> None:
    """Send a batch of queued mails (the reminder sweeps); each one that fails, or all when
    the mail server cannot be reached, is retried on its own with back-off."""
    try:
        failed = mails_send(mail_ids=mail_ids)
    except OSError:
        logger.exception("Could not send a batch of %d mails; retrying each", len(mail_ids))
        failed = mail_ids  # send_mail skips those that did go out
    for mail_id in failed:
        enqueue(send_mail, mail_id)


@shared_task
def requeue_mail() -> int:
    """Queue again mails that never left (broker was down when they were written)."""
    return services.mail_requeue_stale()


@shared_task
def purge_expired() -> int:
    """Weekly: apply the retention periods (portal.retention)."""
    from .retention import purge_expired as run

    report = run()
    return len(report.trajecten_working) + len(report.trajecten_records)

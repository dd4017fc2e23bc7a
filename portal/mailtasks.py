"""The mail tasks (floor): take ids, send mail. Their names stay "portal.tasks.*", as
before they lived there, so that mails already queued under those names are still sent.
portal.tasks re-exports them for Celery's autodiscovery."""

from __future__ import annotations

import logging

from celery import shared_task

from .mail import mail_send, mails_send
from .tasking import enqueue

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="portal.tasks.send_mail",
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
    acks_late=True,
)
def send_mail(self, mail_id: int) -> None:
    mail_send(mail_id=mail_id, final_attempt=self.request.retries >= self.max_retries)


@shared_task(name="portal.tasks.send_mails", acks_late=True)
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

"""Thin tasks: take ids, call a service. The mail tasks live in portal.mailtasks (the
floor); the weekly retention run is an operation on top of every app."""

from __future__ import annotations

from celery import shared_task

from .mail import mail_requeue_stale
from .mailtasks import send_mail, send_mails
from .retention import purge_expired as run_retention

__all__ = ["send_mail", "send_mails", "requeue_mail", "purge_expired"]


@shared_task
def requeue_mail() -> int:
    """Queue again mails that never left (broker was down when they were written)."""
    return mail_requeue_stale()


@shared_task
def purge_expired() -> int:
    """Weekly: apply the retention periods (portal.retention)."""
    report = run_retention()
    return len(report.trajecten_working) + len(report.trajecten_records)

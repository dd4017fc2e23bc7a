"""Thin tasks: take ids, call a service."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def render_proeve_pdf(proeve_id: int) -> None:
    services.proeve_pdf_render(proeve_id=proeve_id)


@shared_task
def purge_removed_bewijsstukken() -> int:
    """Delete evidence removed more than 30 days ago (never evidence in a snapshot)."""
    return services.bewijsstuk_purge_removed()


@shared_task
def requeue_stuck_pdfs() -> int:
    """Safety net: queue again PDF renders whose request was lost."""
    return services.proeve_pdf_requeue_stuck()

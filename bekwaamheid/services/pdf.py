"""Writes for the Proeve's PDF: requesting, re-queueing and rendering it."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import User
from portal.tasking import enqueue

from ..models import (
    Proeve,
)
from .common import Refused

# --- The PDF ---------------------------------------------------------------------------------


@transaction.atomic
def proeve_pdf_request(*, proeve: Proeve, by: User | None = None) -> Proeve:
    """Queue rendering the Proeve's PDF unless the stored one is current."""
    from .. import pdf  # WeasyPrint loads only where needed
    from ..tasks import render_proeve_pdf  # tasks import this module

    locked = Proeve.objects.select_for_update(of=("self",)).get(pk=proeve.pk)
    if not locked.snapshot:
        raise Refused(_("Er is nog geen ingediend dossier om een PDF van te maken."))
    if locked.pdf_status == Proeve.PdfStatus.KLAAR and locked.pdf_source_hash == pdf.source_hash(
        locked
    ):
        return locked
    locked.pdf_status = Proeve.PdfStatus.BEZIG
    locked.pdf_requested_at = timezone.now()
    locked.save(update_fields=["pdf_status", "pdf_requested_at"])
    enqueue(render_proeve_pdf, locked.pk)
    return locked


#: A render still "bezig" this long after its request was lost (broker down, worker killed).
PDF_STUCK_AFTER = datetime.timedelta(minutes=10)


def proeve_pdf_requeue_stuck(*, now: datetime.datetime | None = None) -> int:
    """Queue again every PDF render requested more than PDF_STUCK_AFTER ago that never
    finished; returns how many. The request time moves on, so each is retried once a round."""
    from ..tasks import render_proeve_pdf  # tasks import this module

    now = now or timezone.now()
    stuck = list(
        Proeve.objects.filter(
            pdf_status=Proeve.PdfStatus.BEZIG, pdf_requested_at__lt=now - PDF_STUCK_AFTER
        ).values_list("pk", flat=True)
    )
    for pk in stuck:
        with transaction.atomic():
            updated = Proeve.objects.filter(
                pk=pk, pdf_status=Proeve.PdfStatus.BEZIG, pdf_requested_at__lt=now - PDF_STUCK_AFTER
            ).update(pdf_requested_at=now)
            if updated:
                enqueue(render_proeve_pdf, pk)
    return len(stuck)


def proeve_pdf_render(*, proeve_id: int) -> Proeve:
    """Render the PDF (outside the transaction: it takes a while) and store it."""
    from .. import pdf

    proeve = Proeve.objects.get(pk=proeve_id)
    try:
        content, source = pdf.render(proeve)
    except Exception:
        Proeve.objects.filter(pk=proeve_id).update(pdf_status=Proeve.PdfStatus.MISLUKT)
        raise
    with transaction.atomic():
        locked = Proeve.objects.select_for_update(of=("self",)).get(pk=proeve_id)
        old = locked.pdf.name if locked.pdf else ""
        storage = locked.pdf.storage
        locked.pdf.save(f"proeve-{locked.pk}.pdf", ContentFile(content), save=False)
        locked.pdf_source_hash = source
        locked.pdf_rendered_at = timezone.now()
        locked.pdf_status = Proeve.PdfStatus.KLAAR
        locked.save(update_fields=["pdf", "pdf_source_hash", "pdf_rendered_at", "pdf_status"])
        if old and old != locked.pdf.name:
            transaction.on_commit(lambda: storage.delete(old))
    return locked

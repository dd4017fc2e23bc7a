"""The Proeve report: rendered by the Celery task from the snapshot, readable, deterministic."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from bekwaamheid import pdf, services
from bekwaamheid.models import Proeve
from tests.bekwaamheid.helpers import judged, plan, signed, submit

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    """The text of every page, in reading order (pypdf: no poppler binary needed)."""
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_dates(content: bytes) -> tuple:
    """The document's creation and modification dates from its metadata."""
    info = PdfReader(io.BytesIO(content)).metadata
    return info.creation_date, info.modification_date


def test_task_renders_and_stores_the_pdf_with_the_dossier(
    world, django_capture_on_commit_callbacks
):
    proeve = submit(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.proeve_pdf_request(proeve=proeve, by=world.cast.zij_instromer)
    proeve.refresh_from_db()
    assert proeve.pdf_status == Proeve.PdfStatus.KLAAR
    text = pdf_text(proeve.pdf.read())
    assert "Proeve van bekwaamheid" in text
    assert world.cast.zij_instromer.get_full_name() in text
    assert world.cast.traject.school.name in text
    assert "Instructie en leerdoelen" in text  # the work
    assert "Lesplan" in text  # the evidence list
    assert "Goed lesdoel op het bord." in text  # feedback summary
    assert "Pagina 1 van" in text  # page numbers
    assert "Gezamenlijk oordeel" not in text  # no verdict before both signed


def test_signed_report_has_both_judgements_the_oordeel_and_signatures(
    world, django_capture_on_commit_callbacks
):
    proeve = judged(world, plan(world, submit(world)))
    with django_capture_on_commit_callbacks(execute=True):
        proeve = signed(world, proeve)
    proeve.refresh_from_db()
    text = pdf_text(proeve.pdf.read())
    assert "Gezamenlijk oordeel" in text
    assert "Uitslag: voldoende" in text
    assert world.veld.get_full_name() in text and world.opleiding.get_full_name() in text
    assert "Ondertekend op" in text
    assert "startbekwaam" in text


def test_same_snapshot_renders_the_same_pdf_with_dates_from_the_snapshot(world):
    import datetime

    import time_machine
    from django.utils import timezone

    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)):
        proeve = submit(world)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=40)):
        first, digest1 = pdf.render(proeve)
    second, digest2 = pdf.render(Proeve.objects.get(pk=proeve.pk))
    assert first == second and digest1 == digest2
    created, modified = pdf_dates(first)
    submitted = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
    assert created == submitted and modified == submitted


def test_edits_after_submission_do_not_change_the_pdf(world):
    proeve = submit(world)
    before, _digest = pdf.render(proeve)
    services.feedback_post(onderzoeksopdracht=world.work, by=world.cast.coach, tekst="Later nog")
    after, _digest = pdf.render(Proeve.objects.get(pk=proeve.pk))
    assert before == after


def test_request_for_a_current_pdf_does_not_render_again(world, django_capture_on_commit_callbacks):
    proeve = submit(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.proeve_pdf_request(proeve=proeve, by=world.cast.zij_instromer)
    proeve.refresh_from_db()
    rendered_at = proeve.pdf_rendered_at
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.proeve_pdf_request(proeve=proeve, by=world.cast.zij_instromer)
    proeve.refresh_from_db()
    assert callbacks == [] and proeve.pdf_rendered_at == rendered_at


def test_failed_render_is_marked_and_shown(world, monkeypatch, client):
    proeve = submit(world)

    def broken(_proeve):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(pdf, "render", broken)
    with pytest.raises(RuntimeError):
        services.proeve_pdf_render(proeve_id=proeve.pk)
    proeve.refresh_from_db()
    assert proeve.pdf_status == Proeve.PdfStatus.MISLUKT
    client.force_login(world.cast.zij_instromer)
    page = client.get(reverse("bekwaamheid:proeve", args=[proeve.pk])).content.decode()
    assert "mislukt" in page


def test_pdf_shows_the_agreed_scholingsplan_when_trajecten_has_one(world, monkeypatch):
    import datetime
    from types import SimpleNamespace

    from trajecten import selectors as traject_selectors

    punt = SimpleNamespace(titel="Klassenmanagement", gebied=SimpleNamespace(name="Pedagogisch"))
    activiteit = SimpleNamespace(
        ontwikkelpunt=punt,
        omschrijving="Module Pedagogisch handelen",
        periode_van=datetime.date(2026, 2, 1),
        periode_tot=datetime.date(2026, 6, 30),
        ondersteuning_labels=lambda: ["leerkrachtcoach"],
        afgerond=True,
    )
    versie = SimpleNamespace(nummer=2, vastgesteld_op=None, activiteiten_list=[activiteit])
    monkeypatch.setattr(traject_selectors, "current_plan_version", lambda t: versie, raising=False)
    proeve = submit(world)
    assert proeve.snapshot["scholingsplan"]["bron"] == "scholingsplan"
    text = pdf_text(pdf.render(proeve)[0])
    assert "Module Pedagogisch handelen" in text and "Vastgestelde versie 2" in text


def test_pdf_falls_back_to_the_ontwikkelpunten_without_an_agreed_plan(world, monkeypatch):
    from tests import factories as f
    from trajecten import selectors as traject_selectors

    monkeypatch.setattr(traject_selectors, "current_plan_version", lambda t: None, raising=False)
    f.OntwikkelpuntFactory(traject=world.cast.traject, titel="Orde en structuur")
    proeve = submit(world)
    assert proeve.snapshot["scholingsplan"]["bron"] == "ontwikkelpunten"
    assert "Orde en structuur" in pdf_text(pdf.render(proeve)[0])


def test_a_render_lost_by_the_broker_is_queued_again_by_the_sweep(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    """Broker down at the request: the Proeve stays 'bezig'; the ten-minute sweep queues it
    again once the request is older than PDF_STUCK_AFTER, and then it renders."""
    import datetime

    from django.utils import timezone

    from bekwaamheid import tasks

    proeve = submit(world)
    real_delay = tasks.render_proeve_pdf.delay

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.render_proeve_pdf, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        services.proeve_pdf_request(proeve=proeve, by=world.cast.zij_instromer)
    proeve.refresh_from_db()
    assert proeve.pdf_status == Proeve.PdfStatus.BEZIG and not proeve.pdf
    requested = proeve.pdf_requested_at
    assert requested is not None

    monkeypatch.setattr(tasks.render_proeve_pdf, "delay", real_delay)
    # Too early: a render may still be running.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.proeve_pdf_requeue_stuck(now=requested + datetime.timedelta(minutes=5)) == 0
    proeve.refresh_from_db()
    assert proeve.pdf_status == Proeve.PdfStatus.BEZIG

    later = timezone.now() + services.PDF_STUCK_AFTER + datetime.timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.proeve_pdf_requeue_stuck(now=later) == 1
    proeve.refresh_from_db()
    assert proeve.pdf_status == Proeve.PdfStatus.KLAAR and proeve.pdf
    # Nothing left to retry.
    assert services.proeve_pdf_requeue_stuck(now=later + services.PDF_STUCK_AFTER * 2) == 0

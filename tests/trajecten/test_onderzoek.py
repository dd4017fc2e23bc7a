"""The geschiktheidsonderzoek: recorded by the college, with ontwikkelpunten per area; a
negative outcome stops the traject."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditEvent
from tests import factories as f
from tests.trajecten.conftest import PNG_BYTES, pdf
from trajecten import hooks, services
from trajecten.models import Geschiktheidsonderzoek, Ontwikkelpunt, Traject

pytestmark = pytest.mark.django_db


def punt_items(*titles, code="pedagogisch"):
    return [
        {"id": None, "gebied": f.gebied(code), "titel": t, "omschrijving": "", "delete": False}
        for t in titles
    ]


def save(cast, user=None, uitkomst="positief", punten=None, **kwargs):
    defaults = dict(
        traject=cast.traject,
        user=user or cast.slb,
        datum=timezone.localdate(),
        uitkomst=uitkomst,
        kan_direct_lesgeven="Ja",
        kan_binnen_twee_jaar="Ja",
        scholing_en_ondersteuning="Modules",
        ontwikkelpunten=punten if punten is not None else punt_items("Klassenmanagement"),
    )
    defaults.update(kwargs)
    return services.geschiktheidsonderzoek_save(**defaults)


@pytest.fixture
def listeners():
    calls = {"started": [], "stopped": []}
    hooks.on_traject_started("test", lambda t: calls["started"].append(t.pk))
    hooks.on_traject_stopped("test", lambda t: calls["stopped"].append(t.pk))
    yield calls
    hooks._started.pop("test")
    hooks._stopped.pop("test")


# --- service ----------------------------------------------------------------------------------


def test_positive_intake_records_points_and_activates_an_intake_traject(cast, listeners):
    cast.traject.status, cast.traject.fase = Traject.Status.INTAKE, "intake"
    cast.traject.save(update_fields=["status", "fase"])
    found = save(cast, punten=punt_items("A", "B"))
    cast.traject.refresh_from_db()
    assert found.uitkomst == "positief" and found.vastgelegd_door == cast.slb
    assert list(cast.traject.ontwikkelpunten.values_list("titel", flat=True)) == ["A", "B"]
    assert cast.traject.status == Traject.Status.ACTIEF
    assert listeners["started"] == [cast.traject.pk]
    assert AuditEvent.objects.filter(action="onderzoek.record", traject_id=cast.traject.pk).exists()


def test_negative_intake_stops_the_traject_and_tells_listeners(cast, listeners):
    save(cast, uitkomst="negatief", punten=[])
    cast.traject.refresh_from_db()
    assert cast.traject.status == Traject.Status.GESTOPT
    assert listeners["stopped"] == [cast.traject.pk]
    assert AuditEvent.objects.filter(action="traject.stop", traject_id=cast.traject.pk).exists()


def test_positive_intake_needs_an_ontwikkelpunt(cast):
    with pytest.raises(ValidationError):
        save(cast, punten=[])
    assert not Geschiktheidsonderzoek.objects.exists()


def test_intake_date_in_the_future_is_refused(cast):
    with pytest.raises(ValidationError):
        save(cast, datum=timezone.localdate() + datetime.timedelta(days=1))
    assert not Ontwikkelpunt.objects.exists()


def test_a_correction_on_a_stale_version_is_refused(cast):
    found = save(cast)
    save(cast, expected_version=found.version, kan_direct_lesgeven="Nee, eerst meelopen")
    with pytest.raises(services.StaleEdit):
        save(cast, expected_version=found.version, kan_direct_lesgeven="Iets anders")
    found.refresh_from_db()
    assert found.kan_direct_lesgeven == "Nee, eerst meelopen" and found.version == 2


def test_an_ontwikkelpunt_in_the_plan_cannot_be_deleted_and_nothing_changes(cast, agreed, punten):
    onderzoek = cast.traject.geschiktheidsonderzoek
    items = [
        {"id": p.pk, "gebied": p.gebied, "titel": p.titel, "omschrijving": "", "delete": i == 0}
        for i, p in enumerate(punten)
    ]
    with pytest.raises(ValidationError):
        save(cast, punten=items, expected_version=onderzoek.version, kan_direct_lesgeven="X")
    assert cast.traject.ontwikkelpunten.count() == 3
    onderzoek.refresh_from_db()
    assert onderzoek.kan_direct_lesgeven != "X"


def test_an_ontwikkelpunt_of_another_traject_is_refused(cast):
    other = f.OntwikkelpuntFactory()
    items = [
        {
            "id": other.pk,
            "gebied": other.gebied,
            "titel": "Gekaapt",
            "omschrijving": "",
            "delete": False,
        }
    ]
    with pytest.raises(ValidationError):
        save(cast, punten=items)
    other.refresh_from_db()
    assert other.titel != "Gekaapt"


# --- views ------------------------------------------------------------------------------------


def form_data(**overrides):
    data = {
        "datum": timezone.localdate().isoformat(),
        "uitkomst": "positief",
        "kan_direct_lesgeven": "Ja, met een coach",
        "kan_binnen_twee_jaar": "Ja",
        "scholing_en_ondersteuning": "Modules en coaching",
        "version": "",
        "punt-TOTAL_FORMS": "2",
        "punt-INITIAL_FORMS": "0",
        "punt-MIN_NUM_FORMS": "0",
        "punt-MAX_NUM_FORMS": "1000",
        "punt-0-gebied": str(f.gebied("vakdidactisch").pk),
        "punt-0-titel": "Instructie geven",
        "punt-0-omschrijving": "",
        "punt-1-gebied": "",
        "punt-1-titel": "",
        "punt-1-omschrijving": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("who", ["slb", "coordinator"])
def test_college_records_the_intake_with_a_pdf_report(client, cast, who):
    client.force_login(getattr(cast, who))
    url = reverse("trajecten:onderzoek_edit", args=[cast.traject.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {**form_data(), "rapport": pdf("Rapport Sanne.pdf")})
    assert response.status_code == 302
    found = Geschiktheidsonderzoek.objects.get(traject=cast.traject)
    assert found.rapport_naam == "Rapport Sanne.pdf"
    assert list(cast.traject.ontwikkelpunten.values_list("titel", flat=True)) == [
        "Instructie geven"
    ]
    page = client.get(reverse("trajecten:onderzoek", args=[cast.traject.pk])).content.decode()
    assert "Instructie geven" in page and "Vakdidactisch" in page


def test_a_png_named_pdf_is_refused_at_the_field(client, cast):
    client.force_login(cast.slb)
    fake = SimpleUploadedFile("rapport.pdf", PNG_BYTES, content_type="application/pdf")
    response = client.post(
        reverse("trajecten:onderzoek_edit", args=[cast.traject.pk]),
        {**form_data(), "rapport": fake},
    )
    assert response.status_code == 200
    assert "niet geaccepteerd" in response.content.decode()
    assert not Geschiktheidsonderzoek.objects.exists()


def test_a_too_large_report_is_refused(client, cast, settings):
    client.force_login(cast.slb)
    big = SimpleUploadedFile("rapport.pdf", b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024))
    response = client.post(
        reverse("trajecten:onderzoek_edit", args=[cast.traject.pk]), {**form_data(), "rapport": big}
    )
    assert response.status_code == 200
    assert "te groot" in response.content.decode()
    assert not Geschiktheidsonderzoek.objects.exists()


def test_a_point_without_an_area_is_an_error_at_the_field(client, cast):
    client.force_login(cast.slb)
    response = client.post(
        reverse("trajecten:onderzoek_edit", args=[cast.traject.pk]),
        form_data(**{"punt-0-gebied": ""}),
    )
    assert response.status_code == 200
    assert "Dit veld is verplicht" in response.content.decode()
    assert not Geschiktheidsonderzoek.objects.exists()


def test_a_stale_correction_keeps_the_users_text(client, cast, onderzoek):
    client.force_login(cast.slb)
    url = reverse("trajecten:onderzoek_edit", args=[cast.traject.pk])
    data = form_data(
        **{
            "version": "1",
            "kan_direct_lesgeven": "Mijn nieuwe tekst",
            "punt-TOTAL_FORMS": "0",
            "punt-INITIAL_FORMS": "0",
        }
    )
    Geschiktheidsonderzoek.objects.filter(pk=onderzoek.pk).update(version=2)
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Iemand anders heeft dit intussen gewijzigd" in page
    assert "Mijn nieuwe tekst" in page
    onderzoek.refresh_from_db()
    assert onderzoek.kan_direct_lesgeven != "Mijn nieuwe tekst"


def test_negative_outcome_through_the_page_stops_the_traject(client, cast):
    client.force_login(cast.slb)
    response = client.post(
        reverse("trajecten:onderzoek_edit", args=[cast.traject.pk]),
        form_data(uitkomst="negatief", **{"punt-0-gebied": "", "punt-0-titel": ""}),
    )
    assert response.status_code == 302
    cast.traject.refresh_from_db()
    assert cast.traject.status == Traject.Status.GESTOPT
    # A stopped traject's intake stays readable but no longer changes.
    edit = reverse("trajecten:onderzoek_edit", args=[cast.traject.pk])
    assert client.get(edit).status_code == 403


@pytest.mark.parametrize("who", ["zij_instromer", "coach", "schoolleider"])
def test_other_roles_read_the_intake_but_may_not_record_it(client, cast, onderzoek, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("trajecten:onderzoek", args=[cast.traject.pk])).status_code == 200
    url = reverse("trajecten:onderzoek_edit", args=[cast.traject.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, form_data(version="1")).status_code == 403


def test_duo_does_not_see_the_intake_report(client, cast, onderzoek):
    client.force_login(cast.duo)
    assert client.get(reverse("trajecten:onderzoek", args=[cast.traject.pk])).status_code == 403


@pytest.mark.parametrize("who", ["outsider", "other_coach"])
def test_outsiders_get_404_on_the_intake(client, cast, onderzoek, who):
    client.force_login(getattr(cast, who))
    for name in ("onderzoek", "onderzoek_edit", "onderzoek_rapport"):
        assert client.get(reverse(f"trajecten:{name}", args=[cast.traject.pk])).status_code == 404
    assert (
        client.post(
            reverse("trajecten:onderzoek_edit", args=[cast.traject.pk]), form_data()
        ).status_code
        == 404
    )


def test_anonymous_is_sent_to_login(client, cast):
    response = client.get(reverse("trajecten:onderzoek", args=[cast.traject.pk]))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_report_is_served_to_those_who_may_see_it_only(client, cast):
    save(cast, rapport=pdf())
    url = reverse("trajecten:onderzoek_rapport", args=[cast.traject.pk])
    client.force_login(cast.zij_instromer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(cast.duo)
    assert client.get(url).status_code == 403

"""A side-entrant downloads everything held about them, and nobody else's data."""

import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from conftest import reauthenticated
from portal import privacy
from portal.models import AuditEvent
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_export_holds_own_traject_records_and_files(cast):
    entry = f.LogboekregelFactory(traject=cast.traject, wat_er_gebeurde="Mijn eerste les")
    entry.bijlage.save("les.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    f.LogboekregelFactory(wat_er_gebeurde="Iemand anders")  # another traject
    archive = zipfile.ZipFile(io.BytesIO(privacy.export_zip(cast.zij_instromer)))
    data = json.loads(archive.read("data.json"))["data"]
    texts = [row["wat_er_gebeurde"] for row in data["trajecten.Logboekregel"]]
    assert texts == ["Mijn eerste les"]
    assert data["account"][0]["email"] == cast.zij_instromer.email
    assert [row["pk"] for row in data["trajecten.Traject"]] == [cast.traject.pk]
    names = archive.namelist()
    stored = [n for n in names if n.startswith("files/trajecten.Logboekregel/")]
    assert len(stored) == 1 and archive.read(stored[0]) == b"%PDF-1.4 test"


def test_export_of_a_coach_holds_what_they_wrote_not_the_side_entrants_log(cast):
    f.LogboekregelFactory(traject=cast.traject, wat_er_gebeurde="Van de zij-instromer")
    data, _files = privacy.collect(cast.coach)
    assert "trajecten.Logboekregel" not in data
    assert [row["pk"] for row in data["trajecten.Traject"]] == [cast.traject.pk]


def test_private_notes_of_others_are_left_out(cast):
    from django.apps import apps

    if not apps.is_installed("gesprekken") or "PriveNotitie" not in {
        m.__name__ for m in apps.get_app_config("gesprekken").get_models()
    }:
        pytest.skip("no private notes model")
    assert "gesprekken.PriveNotitie" in privacy.PRIVATE_MODELS


def test_download_needs_reauthentication_and_is_audited(client, cast):
    client.force_login(cast.zij_instromer)
    response = client.get(reverse("portal:mijn_gegevens"))
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response["Location"]
    reauthenticated(client, cast.zij_instromer)
    response = client.get(reverse("portal:mijn_gegevens"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(response.content)).read("data.json")
    assert AuditEvent.objects.filter(
        action="export.personal_data", actor=cast.zij_instromer
    ).exists()


def test_path_to_traject_is_found_through_foreign_keys():
    from trajecten.models import Logboekregel, Traject

    assert privacy.path_to(Logboekregel, Traject) == "traject"
    assert privacy.path_to(Traject, Traject) == ""

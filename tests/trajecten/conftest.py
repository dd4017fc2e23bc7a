"""Fixtures for the trajecten tests: an intake with ontwikkelpunten, plans in each state,
and small real files for uploads."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories as f
from trajecten import services
from trajecten.models import Instemming, Rol

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def pdf(name: str = "rapport.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def png(name: str = "foto.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def docx(name: str = "verslag.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


@pytest.fixture
def onderzoek(cast):
    """A positive intake with three ontwikkelpunten, one in each area."""
    found = f.GeschiktheidsonderzoekFactory(traject=cast.traject)
    for i, code in enumerate(("vakinhoudelijk", "vakdidactisch", "pedagogisch"), start=1):
        f.OntwikkelpuntFactory(
            traject=cast.traject, gebied=f.gebied(code), order=i, titel=f"Punt {code}"
        )
    return found


@pytest.fixture
def punten(cast, onderzoek):
    return list(cast.traject.ontwikkelpunten.order_by("order"))


@pytest.fixture
def concept(cast, punten):
    """Version 1 as a concept with one activity per ontwikkelpunt."""
    versie = services.scholingsplan_start(traject=cast.traject, user=cast.slb)
    for punt in punten:
        f.ActiviteitFactory(versie=versie, ontwikkelpunt=punt, omschrijving=f"Module {punt.titel}")
    return versie


def agree_all(cast, versie) -> None:
    services.scholingsplan_agree(
        versie=versie,
        user=cast.zij_instromer,
        partij=Instemming.Partij.ZIJ_INSTROMER,
        rol=Rol.ZIJ_INSTROMER,
    )
    services.scholingsplan_agree(
        versie=versie,
        user=cast.schoolleider,
        partij=Instemming.Partij.SCHOOL,
        rol=Rol.SCHOOLLEIDER,
    )
    services.scholingsplan_agree(
        versie=versie, user=cast.slb, partij=Instemming.Partij.OPLEIDING, rol=Rol.SLB
    )
    versie.refresh_from_db()


@pytest.fixture
def agreed(cast, concept):
    """Version 1, agreed by all three parties."""
    services.scholingsplan_submit(versie=concept, user=cast.slb)
    agree_all(cast, concept)
    return concept


def reauthenticate(client, user) -> None:
    """Log in and confirm the password again, as allauth's re-authentication asks."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.post(reverse("account_reauthenticate"), {"password": f.PASSWORD})

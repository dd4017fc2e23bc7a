"""Fixtures for the dossier: a module teacher, two assessors in the pool, a piece of work with
criteria and evidence, and helpers to take a Proeve through its steps."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bekwaamheid import services
from bekwaamheid.models import Proeve
from bekwaamheid.selectors import kader_eisen
from tests import factories as f

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


@dataclass
class World:
    cast: object
    partnerschap: object
    docent: object
    veld: object
    opleiding: object
    other_assessor: object
    work: object
    criterium: object
    bewijs: object


@pytest.fixture
def world(cast) -> World:
    ps = cast.traject.school.bestuur.partnerschap
    docent = f.UserFactory()
    ps.docenten.add(docent)
    veld, opleiding, other = f.UserFactory(), f.UserFactory(), f.UserFactory()
    ps.assessoren.add(veld, opleiding, other)
    opdracht = services.opdracht_create(
        by=docent,
        partnerschap=ps,
        titel="Instructie en leerdoelen",
        omschrijving="Onderzoek je instructie.",
        eisen=f.active_kader().eisen.filter(code__in=["VD1", "VD2"]),
        trajecten=[cast.traject],
    )
    work = opdracht.uitwerkingen.get()
    crit = services.succescriterium_add(
        onderzoeksopdracht=work, by=cast.zij_instromer, tekst="Alle leerlingen kennen het lesdoel."
    )
    bewijs = services.bewijsstuk_add(
        onderzoeksopdracht=work,
        by=cast.zij_instromer,
        titel="Lesplan",
        criterium=crit,
        upload=SimpleUploadedFile("lesplan.pdf", f.TINY_PDF),
        mime="application/pdf",
    )
    return World(cast, ps, docent, veld, opleiding, other, work, crit, bewijs)


def finish_work(world: World) -> None:
    services.feedback_request(
        onderzoeksopdracht=world.work, by=world.cast.zij_instromer, people=[world.cast.coach]
    )
    services.feedback_post(
        onderzoeksopdracht=world.work, by=world.cast.coach, tekst="Goed lesdoel op het bord."
    )
    services.onderzoeksopdracht_afronden(onderzoeksopdracht=world.work, by=world.cast.zij_instromer)
    services.onderzoeksopdracht_dossier_set(
        onderzoeksopdracht=world.work, by=world.cast.zij_instromer, in_dossier=True
    )


def submit(world: World) -> Proeve:
    finish_work(world)
    return services.dossier_submit(dossier=world.work.dossier, by=world.cast.zij_instromer)


def plan(world: World, proeve: Proeve, datum: datetime.datetime | None = None) -> Proeve:
    """Plan the Proeve; by default it took place an hour ago, so its verdict may be signed
    (pass a later `datum` for a Proeve still to come)."""
    return services.proeve_plan(
        proeve=proeve,
        by=world.cast.coordinator,
        datum=datum or timezone.now() - datetime.timedelta(hours=1),
        locatie="Pabo, lokaal 2.14",
        veldassessor=world.veld,
        opleidingsassessor=world.opleiding,
        version=proeve.version,
    )


def all_levels(proeve: Proeve, niveau: int = 3, motivatie: str = "Goed onderbouwd.") -> dict:
    return {e.pk: (niveau, motivatie) for e in kader_eisen(proeve.dossier.kader)}


def judged(world: World, proeve: Proeve) -> Proeve:
    for assessor in (world.veld, world.opleiding):
        services.beoordeling_save(
            proeve=proeve, by=assessor, regels=all_levels(proeve), record=True
        )
    return proeve


def agreed(world: World, proeve: Proeve, uitslag: str = "voldoende"):
    return services.oordeel_save(
        proeve=proeve,
        by=world.veld,
        uitslag=uitslag,
        motivatie="Samen vastgesteld.",
        regels=all_levels(proeve),
        version=None,
    )


def signed(world: World, proeve: Proeve, uitslag: str = "voldoende") -> Proeve:
    oordeel = agreed(world, proeve, uitslag)
    services.oordeel_sign(oordeel=oordeel, by=world.veld, version=oordeel.version)
    services.oordeel_sign(oordeel=oordeel, by=world.opleiding, version=oordeel.version)
    proeve.refresh_from_db()
    return proeve

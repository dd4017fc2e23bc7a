"""Faults: a database error in the middle of a multi-step write leaves nothing of the steps
before it. For each write that touches several rows (a report with its agreements and
signals, a plan version with its activities, the CSV import, submitting the dossier with its
snapshot, the oordeel with its rules, ...) a later step is made to fail through the real
view, and every table must be exactly as it was; uploaded files must not stay behind."""

from __future__ import annotations

import datetime
import os
from contextlib import contextmanager
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from bekwaamheid import services as bekwaamheid_services
from bekwaamheid.models import (
    Beoordeling,
    Beoordelingsregel,
    Bewijsstuk,
    Ondertekening,
    Oordeel,
    Oordeelsregel,
    Proeve,
)
from bekwaamheid.selectors import kader_eisen
from bekwaamheid.services import proeve as proeve_services  # where the Proeve writes look names up
from conftest import login, reauthenticated
from gesprekken.models import Afspraak, Signaal, Verslag
from portal import audit
from tests import factories as f
from tests.bekwaamheid.helpers import PNG, agreed, judged, plan, submit
from tests.bekwaamheid.helpers import world as world  # the fixture
from tests.props import changed, db_state
from tests.trajecten.conftest import PDF_BYTES
from trajecten import hooks as trajecten_hooks
from trajecten import importer
from trajecten import services as trajecten_services
from trajecten.models import (
    Activiteit,
    Geschiktheidsonderzoek,
    Instemming,
    Logboekregel,
    Scholingsplanversie,
    Traject,
)
from trajecten.services import logboek as logboek_services
from trajecten.services import plan as plan_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def _media_root(settings, tmp_path):
    """A media root of this test's own (not the security world's: this module needs none)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


def media_files(settings) -> list[str]:
    found = []
    for root, _dirs, files in os.walk(settings.MEDIA_ROOT):
        found += [os.path.join(root, name) for name in files]
    return sorted(found)


@contextmanager
def failing_on(action: str):
    """portal.audit.record fails for `action` (the last step of most writes)."""
    original = audit.record

    def record(**kwargs):
        if kwargs.get("action") == action:
            raise DatabaseError(f"simulated failure at {action}")
        return original(**kwargs)

    with mock.patch.object(audit, "record", side_effect=record):
        yield


def fails_on_call(manager, method: str, number: int = 1):
    """Patch `manager.method` so that its `number`-th call (1-based) raises DatabaseError and
    the others do the real work."""
    original = getattr(manager, method)
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == number:
            raise DatabaseError(f"simulated failure in {method} call {number}")
        return original(*args, **kwargs)

    return mock.patch.object(manager, method, side_effect=flaky)


def post_failing(client, path, data, *watched):
    """POST through the real view, expect the simulated DatabaseError to escape (a 500),
    and return the state before it."""
    before = db_state(*watched)
    with pytest.raises(DatabaseError, match="simulated"):
        client.post(path, data)
    return before


# --- gesprekken: the report with its agreements and signals ------------------------------------


def _verslag_data(cast, *, version, tekst="Goed gesprek."):
    due = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    return {
        "tekst": tekst,
        "koers": "op_koers",
        "koers_reden": "",
        "version": version,
        "afspraken-TOTAL_FORMS": "2",
        "afspraken-INITIAL_FORMS": "0",
        "afspraken-MIN_NUM_FORMS": "0",
        "afspraken-MAX_NUM_FORMS": "30",
        "afspraken-0-omschrijving": "Lesbezoek",
        "afspraken-0-owner": cast.coach.pk,
        "afspraken-0-due_date": due,
        "afspraken-1-omschrijving": "Gesprek met directie",
        "afspraken-1-owner": cast.slb.pk,
        "afspraken-1-due_date": due,
        "signalen-TOTAL_FORMS": "1",
        "signalen-INITIAL_FORMS": "0",
        "signalen-MIN_NUM_FORMS": "0",
        "signalen-MAX_NUM_FORMS": "30",
        "signalen-0-soort": "belemmering",
        "signalen-0-tekst": "Te veel nakijkwerk.",
    }


def test_a_new_report_whose_signal_fails_leaves_no_report_and_no_agreements(client, cast):
    gesprek = f.GesprekFactory(traject=cast.traject, cycle_number=1)
    login(client, cast.slb)
    with fails_on_call(Signaal.objects, "create"):
        before = post_failing(
            client, reverse("gesprekken:verslag", args=[gesprek.pk]), _verslag_data(cast, version=0)
        )
    assert changed(before, db_state()) == []
    assert not Verslag.objects.exists() and not Afspraak.objects.exists()


def test_a_report_edit_whose_second_agreement_fails_keeps_the_report_as_it_was(client, cast):
    gesprek = f.GesprekFactory(traject=cast.traject, cycle_number=1)
    verslag = f.VerslagFactory(gesprek=gesprek, tekst="Oude tekst")
    f.AfspraakFactory(verslag=verslag, omschrijving="Bestaande afspraak")
    login(client, cast.slb)
    with fails_on_call(Afspraak.objects, "create", number=2):
        before = post_failing(
            client,
            reverse("gesprekken:verslag", args=[gesprek.pk]),
            _verslag_data(cast, version=verslag.version, tekst="Nieuwe tekst"),
            Verslag,
            Afspraak,
        )
    assert changed(before, db_state(Verslag, Afspraak)) == []
    verslag.refresh_from_db()
    assert verslag.tekst == "Oude tekst" and verslag.version == 1


def test_a_report_whose_audit_fails_leaves_nothing(client, cast):
    gesprek = f.GesprekFactory(traject=cast.traject, cycle_number=1)
    login(client, cast.slb)
    with failing_on("verslag.save"):
        before = post_failing(
            client, reverse("gesprekken:verslag", args=[gesprek.pk]), _verslag_data(cast, version=0)
        )
    assert changed(before, db_state()) == []


def test_the_last_signature_whose_lock_fails_leaves_the_report_unsigned_by_them(client, cast):
    verslag = f.VerslagFactory(
        gesprek=f.GesprekFactory(traject=cast.traject, cycle_number=1, held=True)
    )
    for user in (cast.zij_instromer, cast.coach):
        login(client, user)
        client.post(reverse("gesprekken:sign", args=[verslag.gesprek_id]), {"version": 1})
    login(client, cast.slb)
    with failing_on("verslag.lock"):
        before = post_failing(
            client, reverse("gesprekken:sign", args=[verslag.gesprek_id]), {"version": 1}, Verslag
        )
    assert changed(before, db_state(Verslag)) == []
    verslag.refresh_from_db()
    assert not verslag.is_locked and verslag.handtekeningen.count() == 2


# --- trajecten: intake, plan versions, agreement, import, logboek -------------------------------


def test_an_intake_whose_cycle_planning_fails_leaves_no_intake_no_points_and_no_file(
    client, cast, settings
):
    Traject.objects.filter(pk=cast.traject.pk).update(status=Traject.Status.INTAKE, fase="intake")
    login(client, cast.slb)
    data = {
        "datum": timezone.localdate().isoformat(),
        "uitkomst": "positief",
        "kan_direct_lesgeven": "Ja",
        "kan_binnen_twee_jaar": "Ja",
        "scholing_en_ondersteuning": "Modules",
        "punt-TOTAL_FORMS": "1",
        "punt-INITIAL_FORMS": "0",
        "punt-MIN_NUM_FORMS": "0",
        "punt-MAX_NUM_FORMS": "1000",
        "punt-0-gebied": f.gebied().pk,
        "punt-0-titel": "Klassenmanagement",
        "rapport": SimpleUploadedFile("rapport.pdf", PDF_BYTES),
    }
    files = media_files(settings)
    with mock.patch.object(
        trajecten_hooks, "traject_started", side_effect=DatabaseError("simulated")
    ):
        before = post_failing(
            client, reverse("trajecten:onderzoek_edit", args=[cast.traject.pk]), data, Traject
        )
    assert changed(before, db_state(Traject)) == []
    assert not Geschiktheidsonderzoek.objects.exists()
    assert media_files(settings) == files, "the uploaded report stayed on disk"


@pytest.fixture
def agreed_plan(cast):
    f.GeschiktheidsonderzoekFactory(traject=cast.traject)
    punten = [f.OntwikkelpuntFactory(traject=cast.traject, order=i) for i in (1, 2)]
    versie = trajecten_services.scholingsplan_start(traject=cast.traject, user=cast.slb)
    for punt in punten:
        f.ActiviteitFactory(versie=versie, ontwikkelpunt=punt)
    trajecten_services.scholingsplan_submit(versie=versie, user=cast.slb)
    for user, partij, rol in (
        (cast.zij_instromer, "zij_instromer", "zij_instromer"),
        (cast.schoolleider, "school", "schoolleider"),
        (cast.slb, "opleiding", "slb"),
    ):
        trajecten_services.scholingsplan_agree(versie=versie, user=user, partij=partij, rol=rol)
    versie.refresh_from_db()
    assert versie.is_record
    return versie


def test_a_new_plan_version_whose_activities_fail_to_copy_is_not_made(client, cast, agreed_plan):
    login(client, cast.slb)
    with mock.patch.object(
        Activiteit.objects, "bulk_create", side_effect=DatabaseError("simulated")
    ):
        before = post_failing(client, reverse("trajecten:plan_start", args=[cast.traject.pk]), {})
    assert changed(before, db_state()) == []
    assert Scholingsplanversie.objects.count() == 1


def test_a_draft_whose_second_activity_fails_keeps_the_first_unsaved(client, cast, agreed_plan):
    versie = trajecten_services.scholingsplan_start(traject=cast.traject, user=cast.slb)
    punt = agreed_plan.activiteiten.first().ontwikkelpunt
    login(client, cast.slb)
    data = {
        "version": versie.version,
        "toelichting": "Twee modules erbij",
        "act-TOTAL_FORMS": "2",
        "act-INITIAL_FORMS": "0",
        "act-MIN_NUM_FORMS": "0",
        "act-MAX_NUM_FORMS": "1000",
    }
    for i in (0, 1):
        data.update(
            {
                f"act-{i}-ontwikkelpunt": punt.pk,
                f"act-{i}-omschrijving": f"Extra module {i}",
                f"act-{i}-periode_van": cast.traject.start_date.isoformat(),
                f"act-{i}-periode_tot": cast.traject.end_date.isoformat(),
            }
        )
    with fails_on_call(Activiteit.objects, "create", number=2):
        before = post_failing(
            client,
            reverse("trajecten:plan_edit", args=[cast.traject.pk]),
            data,
            Scholingsplanversie,
            Activiteit,
        )
    assert changed(before, db_state(Scholingsplanversie, Activiteit)) == []
    assert not Activiteit.objects.filter(omschrijving__startswith="Extra module").exists()


def test_the_last_agreement_whose_notification_fails_leaves_the_version_awaiting(client, cast):
    f.GeschiktheidsonderzoekFactory(traject=cast.traject)
    versie = trajecten_services.scholingsplan_start(traject=cast.traject, user=cast.slb)
    f.ActiviteitFactory(versie=versie, ontwikkelpunt=f.OntwikkelpuntFactory(traject=cast.traject))
    trajecten_services.scholingsplan_submit(versie=versie, user=cast.slb)
    for user, partij, rol in (
        (cast.zij_instromer, "zij_instromer", "zij_instromer"),
        (cast.schoolleider, "school", "schoolleider"),
    ):
        trajecten_services.scholingsplan_agree(versie=versie, user=user, partij=partij, rol=rol)
    versie.refresh_from_db()
    login(client, cast.slb)
    with mock.patch.object(plan_services, "notify", side_effect=DatabaseError("simulated")):
        before = post_failing(
            client,
            reverse("trajecten:plan_agree", args=[cast.traject.pk]),
            {"partij": "opleiding", "version": versie.version},
            Scholingsplanversie,
        )
    assert changed(before, db_state(Scholingsplanversie)) == []
    versie.refresh_from_db()
    assert versie.status == "ter_instemming"
    assert not Instemming.objects.filter(versie=versie, partij="opleiding").exists()


HEADER = "voornaam;achternaam;email;school;route;startdatum;einddatum;coach_email;slb_email"


def test_an_import_whose_second_row_fails_keeps_nothing_of_the_first(client, cast):
    cast.traject.school.brin = "01AB00"
    cast.traject.school.save(update_fields=["brin"])
    content = "\r\n".join(
        [
            HEADER,
            f"Sanne;de Vries;sanne@example.test;01AB00;zib;01-09-2026;;{cast.coach.email};",
            f"Mo;El Amrani;mo@example.test;01AB00;versneld;01-09-2026;;;{cast.slb.email}",
        ]
    ).encode()
    login(client, cast.coordinator)
    with fails_on_call(importer, "user_create", number=2):
        before = post_failing(
            client,
            reverse("trajecten:import"),
            {"bestand": SimpleUploadedFile("import.csv", content)},
        )
    assert changed(before, db_state()) == []
    assert not Traject.objects.filter(zij_instromer__email="sanne@example.test").exists()


def test_a_log_entry_whose_audit_fails_leaves_no_entry_and_no_file(client, cast, settings):
    login(client, cast.zij_instromer)
    files = media_files(settings)
    with mock.patch.object(logboek_services, "record", side_effect=DatabaseError("simulated")):
        before = post_failing(
            client,
            reverse("trajecten:logboek_create", args=[cast.traject.pk]),
            {
                "datum": timezone.localdate().isoformat(),
                "wat_er_gebeurde": "Rekenles",
                "bijlage": SimpleUploadedFile("lesplan.pdf", PDF_BYTES),
            },
        )
    assert changed(before, db_state()) == []
    assert not Logboekregel.objects.exists()
    assert media_files(settings) == files, "the attachment stayed on disk"


# --- bekwaamheid: evidence, the submitted dossier, judgements and the oordeel --------------------


def test_evidence_whose_audit_fails_leaves_no_row_and_no_file(client, world, settings):
    login(client, world.cast.zij_instromer)
    files = media_files(settings)
    with failing_on("bewijsstuk.add"):
        before = post_failing(
            client,
            reverse("bekwaamheid:bewijsstuk_add", args=[world.work.pk]),
            {"titel": "Foto", "bestand": SimpleUploadedFile("foto.png", PNG)},
        )
    assert changed(before, db_state()) == []
    assert Bewijsstuk.objects.count() == 1  # the world's own
    assert media_files(settings) == files, "the evidence file stayed on disk"


def _finish(world):
    from tests.bekwaamheid.helpers import finish_work

    finish_work(world)


def test_a_submit_whose_audit_fails_leaves_no_proeve_and_no_frozen_evidence(client, world):
    _finish(world)
    login(client, world.cast.zij_instromer)
    with failing_on("dossier.submit"):
        before = post_failing(
            client, reverse("bekwaamheid:dossier_submit", args=[world.cast.traject.pk]), {}
        )
    assert changed(before, db_state()) == []
    assert not Proeve.objects.exists()
    assert not world.bewijs.proeven.exists()


def test_a_resubmit_whose_notification_fails_leaves_the_herkansing_open(client, world):
    proeve = submit(world)
    Proeve.objects.filter(pk=proeve.pk).update(status="afgerond", uitslag="onvoldoende")
    Traject.objects.filter(pk=world.cast.traject.pk).update(fase="opleiding")  # the retake
    retake = Proeve.objects.create(
        dossier=proeve.dossier, poging=2, herkansing_van=proeve, status=Proeve.Status.OPEN
    )
    login(client, world.cast.zij_instromer)
    with mock.patch.object(proeve_services, "_tell", side_effect=DatabaseError("simulated")):
        before = post_failing(
            client,
            reverse("bekwaamheid:dossier_submit", args=[world.cast.traject.pk]),
            {},
            Proeve,
        )
    assert changed(before, db_state(Proeve)) == []
    retake.refresh_from_db()
    assert retake.status == Proeve.Status.OPEN and not retake.snapshot


def test_a_judgement_whose_rules_fail_keeps_the_earlier_draft(client, world):
    proeve = plan(world, submit(world))
    eisen = list(kader_eisen(proeve.dossier.kader))
    draft = bekwaamheid_services.beoordeling_save(
        proeve=proeve, by=world.veld, regels={eisen[0].pk: (2, "Eerste indruk")}
    )
    login(client, world.veld)
    data = {"toelichting": "Nieuw", "version": draft.version}
    for eis in eisen:
        data[f"niveau_{eis.pk}"] = "3"
        data[f"motivatie_{eis.pk}"] = "Goed"
    with mock.patch.object(
        Beoordelingsregel.objects, "bulk_create", side_effect=DatabaseError("simulated")
    ):
        before = post_failing(
            client,
            reverse("bekwaamheid:beoordeling", args=[proeve.pk]),
            data,
            Beoordeling,
            Beoordelingsregel,
        )
    assert changed(before, db_state(Beoordeling, Beoordelingsregel)) == []
    assert [(r.niveau, r.motivatie) for r in draft.regels.all()] == [(2, "Eerste indruk")]


def _oordeel_data(proeve, *, version, uitslag="voldoende"):
    data = {"uitslag": uitslag, "motivatie": "Samen vastgesteld.", "version": version}
    for eis in kader_eisen(proeve.dossier.kader):
        data[f"niveau_{eis.pk}"] = "3"
        data[f"motivatie_{eis.pk}"] = "Goed onderbouwd."
    return data


def test_a_new_oordeel_whose_rules_fail_is_not_made(client, world):
    proeve = judged(world, plan(world, submit(world)))
    login(client, world.veld)
    with mock.patch.object(
        Oordeelsregel.objects, "bulk_create", side_effect=DatabaseError("simulated")
    ):
        before = post_failing(
            client,
            reverse("bekwaamheid:oordeel", args=[proeve.pk]),
            _oordeel_data(proeve, version=0),
        )
    assert changed(before, db_state()) == []
    assert not Oordeel.objects.exists()


def test_an_oordeel_edit_whose_rules_fail_keeps_the_oordeel_and_its_rules(client, world):
    proeve = judged(world, plan(world, submit(world)))
    oordeel = agreed(world, proeve)
    rules = list(oordeel.regels.values_list("eis_id", "niveau", "motivatie"))
    login(client, world.opleiding)
    with mock.patch.object(
        Oordeelsregel.objects, "bulk_create", side_effect=DatabaseError("simulated")
    ):
        before = post_failing(
            client,
            reverse("bekwaamheid:oordeel", args=[proeve.pk]),
            _oordeel_data(proeve, version=oordeel.version, uitslag="onvoldoende"),
            Oordeel,
            Oordeelsregel,
        )
    assert changed(before, db_state(Oordeel, Oordeelsregel)) == []
    oordeel.refresh_from_db()
    assert oordeel.uitslag == "voldoende"
    assert list(oordeel.regels.values_list("eis_id", "niveau", "motivatie")) == rules


def test_the_second_signature_whose_pdf_request_fails_leaves_the_proeve_running(client, world):
    proeve = judged(world, plan(world, submit(world)))
    oordeel = agreed(world, proeve, uitslag="onvoldoende")
    bekwaamheid_services.oordeel_sign(oordeel=oordeel, by=world.veld, version=oordeel.version)
    reauthenticated(client, world.opleiding)
    with mock.patch.object(
        proeve_services, "proeve_pdf_request", side_effect=DatabaseError("simulated")
    ):
        before = post_failing(
            client,
            reverse("bekwaamheid:oordeel_sign", args=[proeve.pk]),
            {"version": oordeel.version, "akkoord": "on"},
            Proeve,
            Oordeel,
        )
    assert changed(before, db_state(Proeve, Oordeel)) == []
    assert Ondertekening.objects.count() == 1
    assert Proeve.objects.count() == 1  # no herkansing
    proeve.refresh_from_db()
    assert proeve.status == Proeve.Status.GEPLAND and not proeve.uitslag

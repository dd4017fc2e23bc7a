"""A double click acts once: the same sign or submit form posted twice in a row (the same
version field, as a browser sends it when the first response has not arrived yet, when
JavaScript is off, or after a reload) gives one signature, one agreement, one Proeve and
one notification per person, and the second answer is a page, not an error.

The portal's JavaScript also stops a second submit (static/js/lev.js); these tests are the
server's own guarantee."""

from __future__ import annotations

import datetime

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bekwaamheid import services as bekwaamheid_services
from bekwaamheid.models import Feedbackverzoek, Ondertekening, Proeve
from conftest import login, reauthenticated
from gesprekken.models import Afspraak, Handtekening, Verslag
from portal.models import AuditEvent, Notificatie
from tests import factories as f
from tests.bekwaamheid.helpers import agreed, finish_work, judged, plan, submit
from tests.bekwaamheid.helpers import world as world  # the fixture
from tests.trajecten.conftest import PDF_BYTES
from trajecten import services as trajecten_services
from trajecten.models import Instemming, Logboekregel, Scholingsplanversie

pytestmark = pytest.mark.django_db


@pytest.fixture
def _media_root(settings, tmp_path):
    """A media root of this test's own (not the security world's: this module needs none)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


def twice(client, path: str, data: dict | None = None, files: dict | None = None):
    """POST the same form twice in a row; both answers must be pages (no 500, no 404)."""
    answers = []
    for _ in range(2):
        client.cookies.pop("messages", None)
        payload = dict(data or {})
        for name, (filename, content) in (files or {}).items():
            payload[name] = SimpleUploadedFile(filename, content)
        response = client.post(path, payload)
        assert response.status_code in (200, 302, 409), response.status_code
        answers.append(response)
    return answers


def levels(response) -> set[int]:
    return {m.level for m in get_messages(response.wsgi_request)}


def notes(kind: str, user=None) -> int:
    qs = Notificatie.objects.filter(kind=kind)
    return qs.filter(user=user).count() if user is not None else qs.count()


def audits(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# --- gesprekken: signing the report -------------------------------------------------------------


@pytest.fixture
def verslag(cast):
    held = f.GesprekFactory(traject=cast.traject, cycle_number=1, held=True)
    return f.VerslagFactory(gesprek=held)


def test_a_double_click_on_sign_gives_one_signature_and_one_notification_each(
    client, cast, verslag
):
    login(client, cast.zij_instromer)
    first, second = twice(
        client, reverse("gesprekken:sign", args=[verslag.gesprek_id]), {"version": 1}
    )
    assert Handtekening.objects.filter(verslag=verslag, rol="zij_instromer").count() == 1
    assert audits("verslag.sign") == 1
    # The coach and the SLB hear once that their signature is still missing.
    assert notes("verslag_ondertekend", cast.coach) == 1
    assert notes("verslag_ondertekend", cast.slb) == 1
    assert messages.ERROR not in levels(second)


def test_a_double_click_on_the_last_signature_locks_the_report_once(client, cast, verslag):
    for user in (cast.zij_instromer, cast.coach):
        login(client, user)
        client.post(reverse("gesprekken:sign", args=[verslag.gesprek_id]), {"version": 1})
    login(client, cast.slb)
    _first, second = twice(
        client, reverse("gesprekken:sign", args=[verslag.gesprek_id]), {"version": 1}
    )
    verslag.refresh_from_db()
    assert verslag.is_locked
    assert Handtekening.objects.filter(verslag=verslag).count() == 3
    assert audits("verslag.lock") == 1
    assert "al door iedereen ondertekend" in str(list(get_messages(second.wsgi_request)))


def test_a_double_click_on_saving_the_report_saves_its_agreements_once(client, cast, verslag):
    due = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    data = {
        "tekst": "Goed gesprek.",
        "koers": "op_koers",
        "koers_reden": "",
        "version": verslag.version,
        "afspraken-TOTAL_FORMS": "1",
        "afspraken-INITIAL_FORMS": "0",
        "afspraken-MIN_NUM_FORMS": "0",
        "afspraken-MAX_NUM_FORMS": "30",
        "afspraken-0-omschrijving": "Lesbezoek",
        "afspraken-0-owner": cast.coach.pk,
        "afspraken-0-due_date": due,
        "signalen-TOTAL_FORMS": "0",
        "signalen-INITIAL_FORMS": "0",
        "signalen-MIN_NUM_FORMS": "0",
        "signalen-MAX_NUM_FORMS": "30",
    }
    login(client, cast.slb)
    first, second = twice(client, reverse("gesprekken:verslag", args=[verslag.gesprek_id]), data)
    assert first.status_code == 302
    assert second.status_code == 409  # the second save is on the version the first replaced
    assert Afspraak.objects.filter(verslag=verslag).count() == 1
    assert Verslag.objects.get(pk=verslag.pk).version == 2


# --- trajecten: putting the plan up for agreement and agreeing -----------------------------------


@pytest.fixture
def concept(cast):
    f.GeschiktheidsonderzoekFactory(traject=cast.traject)
    versie = trajecten_services.scholingsplan_start(traject=cast.traject, user=cast.slb)
    f.ActiviteitFactory(versie=versie, ontwikkelpunt=f.OntwikkelpuntFactory(traject=cast.traject))
    return versie


def test_a_double_click_on_submitting_the_plan_asks_each_party_once(client, cast, concept):
    login(client, cast.slb)
    twice(client, reverse("trajecten:plan_submit", args=[cast.traject.pk]))
    concept.refresh_from_db()
    assert concept.status == "ter_instemming"
    assert audits("scholingsplan.submit") == 1
    assert notes("scholingsplan", cast.zij_instromer) == 1
    assert notes("scholingsplan", cast.schoolleider) == 1


def test_a_double_click_on_agreeing_records_one_agreement(client, cast, concept):
    trajecten_services.scholingsplan_submit(versie=concept, user=cast.slb)
    concept.refresh_from_db()
    login(client, cast.schoolleider)
    twice(
        client,
        reverse("trajecten:plan_agree", args=[cast.traject.pk]),
        {"partij": "school", "version": concept.version},
    )
    assert Instemming.objects.filter(versie=concept).count() == 1
    assert audits("scholingsplan.agree") == 1


def test_a_double_click_on_the_last_agreement_agrees_the_plan_once(client, cast, concept):
    trajecten_services.scholingsplan_submit(versie=concept, user=cast.slb)
    for user, partij, rol in (
        (cast.zij_instromer, "zij_instromer", "zij_instromer"),
        (cast.schoolleider, "school", "schoolleider"),
    ):
        trajecten_services.scholingsplan_agree(versie=concept, user=user, partij=partij, rol=rol)
    concept.refresh_from_db()
    login(client, cast.slb)
    _first, second = twice(
        client,
        reverse("trajecten:plan_agree", args=[cast.traject.pk]),
        {"partij": "opleiding", "version": concept.version},
    )
    concept.refresh_from_db()
    assert concept.status == Scholingsplanversie.Status.VASTGESTELD
    assert Instemming.objects.filter(versie=concept).count() == 3
    assert audits("scholingsplan.vastgesteld") == 1
    # Everyone hears once that the plan was agreed (the coach once, not twice).
    assert notes("scholingsplan", cast.coach) == 1
    assert second.status_code == 302


# --- trajecten: the log -------------------------------------------------------------------------


def test_a_double_click_on_saving_a_log_entry_makes_one_entry(client, cast):
    """Decision: the same entry (date, text, what was learned, points, attachment name) by
    the side-entrant within a few seconds is one entry; the second post shows the first."""
    punt = f.OntwikkelpuntFactory(traject=cast.traject)
    login(client, cast.zij_instromer)
    first, second = twice(
        client,
        reverse("trajecten:logboek_create", args=[cast.traject.pk]),
        {
            "datum": timezone.localdate().isoformat(),
            "wat_er_gebeurde": "Rekenles in groep 5",
            "geleerd": "Korter instrueren",
            "ontwikkelpunten": [punt.pk],
        },
        files={"bijlage": ("lesplan.pdf", PDF_BYTES)},
    )
    assert Logboekregel.objects.filter(traject=cast.traject).count() == 1
    assert first["Location"] == second["Location"]
    assert audits("logboek.create") == 1


def test_two_different_log_entries_in_a_row_are_both_kept(client, cast):
    login(client, cast.zij_instromer)
    for text in ("Rekenles", "Taalles"):
        client.post(
            reverse("trajecten:logboek_create", args=[cast.traject.pk]),
            {"datum": timezone.localdate().isoformat(), "wat_er_gebeurde": text},
        )
    assert Logboekregel.objects.filter(traject=cast.traject).count() == 2


# --- bekwaamheid: feedback, the dossier, the oordeel --------------------------------------------


def test_a_double_click_on_asking_for_feedback_asks_each_person_once(client, world):
    login(client, world.cast.zij_instromer)
    twice(
        client,
        reverse("bekwaamheid:feedback_request", args=[world.work.pk]),
        {"people": [world.cast.coach.pk, world.docent.pk], "vraag": "Klopt mijn lesdoel?"},
    )
    assert Feedbackverzoek.objects.filter(onderzoeksopdracht=world.work).count() == 2
    assert notes("feedback", world.cast.coach) == 1
    assert notes("feedback", world.docent) == 1


def test_a_double_click_on_submitting_the_dossier_makes_one_proeve(client, world):
    finish_work(world)
    login(client, world.cast.zij_instromer)
    _first, second = twice(
        client, reverse("bekwaamheid:dossier_submit", args=[world.cast.traject.pk])
    )
    assert Proeve.objects.filter(dossier__traject=world.cast.traject).count() == 1
    assert audits("dossier.submit") == 1
    assert notes("proeve", world.cast.coordinator) == 1
    assert "al ingediend" in str(list(get_messages(second.wsgi_request)))


@pytest.fixture
def oordeel(world):
    proeve = judged(world, plan(world, submit(world)))
    return agreed(world, proeve, uitslag="onvoldoende")


def test_a_double_click_on_signing_the_oordeel_gives_one_signature(client, world, oordeel):
    reauthenticated(client, world.veld)
    twice(
        client,
        reverse("bekwaamheid:oordeel_sign", args=[oordeel.proeve_id]),
        {"version": oordeel.version, "akkoord": "on"},
    )
    assert Ondertekening.objects.filter(oordeel=oordeel).count() == 1
    assert audits("oordeel.sign") == 1
    # The other assessor hears once that the oordeel waits for them.
    assert Notificatie.objects.filter(user=world.opleiding, text__contains="wacht").count() == 1


def test_a_double_click_on_the_second_signature_closes_the_proeve_once(client, world, oordeel):
    bekwaamheid_services.oordeel_sign(oordeel=oordeel, by=world.veld, version=oordeel.version)
    reauthenticated(client, world.opleiding)
    _first, second = twice(
        client,
        reverse("bekwaamheid:oordeel_sign", args=[oordeel.proeve_id]),
        {"version": oordeel.version, "akkoord": "on"},
    )
    assert Ondertekening.objects.filter(oordeel=oordeel).count() == 2
    assert audits("proeve.afgerond") == 1
    # One herkansing after the onvoldoende, and the side-entrant hears of the result once.
    assert Proeve.objects.filter(dossier=oordeel.proeve.dossier).count() == 2
    assert (
        Notificatie.objects.filter(user=world.cast.zij_instromer, text__contains="uitslag").count()
        == 1
    )
    assert "ligt vast" in str(list(get_messages(second.wsgi_request)))

"""Preparing a conversation: the side-entrant's three questions with links, the coach's and
SLB's reflective questions, private notes, and what changed since the last conversation."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from gesprekken import selectors
from gesprekken.models import PriveNotitie, Voorbereiding
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_side_entrant_answers_the_three_questions_and_links_points_and_log(cast, client, gesprek):
    punt = f.OntwikkelpuntFactory(traject=cast.traject)
    regel = f.LogboekregelFactory(traject=cast.traject)
    client.force_login(cast.zij_instromer)
    url = reverse("gesprekken:voorbereiden", args=[gesprek.pk])
    page = client.get(url).content.decode()
    assert "Waar sta ik nu?" in page and "Reflectievragen" not in page
    response = client.post(
        url,
        {
            "waar_sta_ik": "Ik sta er goed voor.",
            "volgende_stap": "Differentiëren.",
            "wat_nodig": "Tijd.",
            "ontwikkelpunten": [punt.pk],
            "logboekregels": [regel.pk],
            "ready": "on",
            "version": 0,
        },
    )
    assert response.status_code == 302
    v = Voorbereiding.objects.get(gesprek=gesprek, rol="zij_instromer")
    assert v.is_ready and v.auteur == cast.zij_instromer
    assert list(v.ontwikkelpunten.all()) == [punt] and list(v.logboekregels.all()) == [regel]
    # The coach reads it on the conversation page.
    client.force_login(cast.coach)
    assert (
        "Ik sta er goed voor."
        in client.get(reverse("gesprekken:detail", args=[gesprek.pk])).content.decode()
    )


def test_links_to_another_trajects_points_are_refused(cast, client, gesprek):
    foreign = f.OntwikkelpuntFactory()
    client.force_login(cast.zij_instromer)
    response = client.post(
        reverse("gesprekken:voorbereiden", args=[gesprek.pk]),
        {
            "waar_sta_ik": "x",
            "ontwikkelpunten": [foreign.pk],
            "version": 0,
        },
    )
    assert response.status_code == 400
    assert not Voorbereiding.objects.exists()


def test_coach_writes_reflective_questions_as_a_draft_then_ready(cast, client, gesprek):
    client.force_login(cast.coach)
    url = reverse("gesprekken:voorbereiden", args=[gesprek.pk])
    assert "Waar sta ik nu?" not in client.get(url).content.decode()
    client.post(url, {"reflectievragen": "Wat zag je?", "version": 0})
    v = Voorbereiding.objects.get(gesprek=gesprek, rol="coach")
    assert not v.is_ready and v.reflectievragen == "Wat zag je?"
    client.post(url, {"reflectievragen": "Wat zag je precies?", "ready": "on", "version": 1})
    v.refresh_from_db()
    assert v.is_ready and v.version == 2


def test_second_tab_save_is_refused_and_keeps_the_text(cast, client, gesprek):
    client.force_login(cast.slb)
    url = reverse("gesprekken:voorbereiden", args=[gesprek.pk])
    client.post(url, {"reflectievragen": "Eerste tab", "version": 0})
    response = client.post(url, {"reflectievragen": "Tweede tab", "version": 0})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Tweede tab" in page and "Eerste tab" in page
    assert Voorbereiding.objects.get(gesprek=gesprek, rol="slb").reflectievragen == "Eerste tab"


def test_private_notes_are_kept_per_author(cast, client, gesprek):
    url = reverse("gesprekken:notitie", args=[gesprek.pk])
    client.force_login(cast.coach)
    client.post(url, {"tekst": "Notitie van de coach", "version": 0})
    client.force_login(cast.slb)
    client.post(url, {"tekst": "Notitie van de SLB", "version": 0})
    page = client.get(reverse("gesprekken:voorbereiden", args=[gesprek.pk])).content.decode()
    assert "Notitie van de SLB" in page and "Notitie van de coach" not in page
    client.force_login(cast.coach)
    page = client.get(reverse("gesprekken:voorbereiden", args=[gesprek.pk])).content.decode()
    assert "Notitie van de coach" in page and "Notitie van de SLB" not in page
    client.force_login(cast.zij_instromer)
    page = client.get(reverse("gesprekken:voorbereiden", args=[gesprek.pk])).content.decode()
    assert "Notitie van" not in page and "Privénotitie" not in page
    assert PriveNotitie.objects.count() == 2


def test_a_stale_private_note_is_refused(cast, client, gesprek):
    client.force_login(cast.coach)
    url = reverse("gesprekken:notitie", args=[gesprek.pk])
    client.post(url, {"tekst": "een", "version": 0})
    response = client.post(url, {"tekst": "twee", "version": 0})
    assert response.status_code == 409
    assert "twee" in response.content.decode()
    assert PriveNotitie.objects.get().tekst == "een"


def test_preparation_shows_what_changed_since_the_previous_conversation(cast, client):
    today = timezone.localdate()
    previous = f.GesprekFactory(
        traject=cast.traject, cycle_number=1, planned_for=today - datetime.timedelta(days=80)
    )
    gesprek = f.GesprekFactory(traject=cast.traject, cycle_number=2)
    old = f.LogboekregelFactory(
        traject=cast.traject,
        datum=today - datetime.timedelta(days=120),
        wat_er_gebeurde="OUDE-REGEL",
    )
    type(old).objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=120)
    )
    # Written after the previous conversation about an earlier day: new to the others too.
    late = f.LogboekregelFactory(
        traject=cast.traject,
        datum=today - datetime.timedelta(days=90),
        wat_er_gebeurde="LATE-REGEL",
    )
    f.LogboekregelFactory(
        traject=cast.traject,
        datum=today - datetime.timedelta(days=20),
        wat_er_gebeurde="NIEUWE-REGEL",
    )
    verslag = f.VerslagFactory(gesprek=previous)
    f.AfspraakFactory(verslag=verslag, omschrijving="OPEN-AFSPRAAK")
    changes = selectors.changes_since_previous(gesprek)
    assert changes.since == previous.local_date
    assert [r.wat_er_gebeurde for r in changes.logboekregels] == [
        "NIEUWE-REGEL",
        late.wat_er_gebeurde,
    ]
    assert [a.omschrijving for a in changes.afspraken_open] == ["OPEN-AFSPRAAK"]
    client.force_login(cast.zij_instromer)
    page = client.get(reverse("gesprekken:voorbereiden", args=[gesprek.pk])).content.decode()
    assert "NIEUWE-REGEL" in page and "OUDE-REGEL" not in page and "OPEN-AFSPRAAK" in page


def test_the_traject_page_panel_shows_who_prepared_the_next_conversation(cast, client, gesprek):
    f.VoorbereidingFactory(gesprek=gesprek, rol="coach")
    client.force_login(cast.slb)
    page = client.get(reverse("trajecten:detail", args=[cast.traject.pk])).content.decode()
    assert "Volgend begeleidingsgesprek" in page
    assert reverse("gesprekken:cyclus", args=[cast.traject.pk]) in page
    assert page.count("nog niet voorbereid") == 2 and "Lokaal 3" in page


def test_side_entrant_links_evidence_from_the_dossier(cast, client, gesprek):
    own = f.BewijsstukFactory(
        onderzoeksopdracht__dossier__traject=cast.traject, titel="Lesplan breuken"
    )
    removed = f.BewijsstukFactory(
        onderzoeksopdracht=own.onderzoeksopdracht, titel="Weg", removed_at=timezone.now()
    )
    foreign = f.BewijsstukFactory(titel="Van iemand anders")
    client.force_login(cast.zij_instromer)
    url = reverse("gesprekken:voorbereiden", args=[gesprek.pk])
    page = client.get(url).content.decode()
    assert "Lesplan breuken" in page and "Van iemand anders" not in page and ">Weg" not in page
    for refused in (foreign, removed):
        response = client.post(
            url, {"waar_sta_ik": "x", "bewijsstukken": [refused.pk], "version": 0}
        )
        assert response.status_code == 400
    client.post(url, {"waar_sta_ik": "x", "bewijsstukken": [own.pk], "version": 0})
    v = Voorbereiding.objects.get(gesprek=gesprek, rol="zij_instromer")
    assert list(v.bewijsstukken.all()) == [own]
    client.force_login(cast.slb)
    page = client.get(reverse("gesprekken:detail", args=[gesprek.pk])).content.decode()
    assert reverse("bekwaamheid:bewijsstuk", args=[own.pk]) in page


def test_coach_cannot_link_evidence(cast, client, gesprek):
    client.force_login(cast.coach)
    page = client.get(reverse("gesprekken:voorbereiden", args=[gesprek.pk])).content.decode()
    assert "Bewijsstukken uit mijn dossier" not in page


def test_preparation_shows_plan_versions_since_the_previous_conversation(cast, client, gesprek):
    versie = f.ScholingsplanversieFactory(
        plan__traject=cast.traject,
        status="vastgesteld",
        vastgesteld_op=timezone.now(),
        toelichting="Module rekenen verschoven naar het voorjaar.",
    )
    changes = selectors.changes_since_previous(gesprek)
    assert [v.pk for v in changes.plan_changes] == [versie.pk]
    client.force_login(cast.coach)
    page = client.get(reverse("gesprekken:voorbereiden", args=[gesprek.pk])).content.decode()
    assert "Module rekenen verschoven naar het voorjaar." in page

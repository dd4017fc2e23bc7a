"""Flow: a side-entrant logs progress in the logboek and prepares the next conversation,
at desktop width and on a phone (390x844, no sideways scrolling on any page)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def upcoming_gesprek(traject_pk: int):
    from gesprekken.models import Gesprek

    return (
        Gesprek.objects.filter(traject_id=traject_pk, starts_at__gte=timezone.now())
        .order_by("starts_at")
        .first()
    )


def log_progress_and_prepare(browse, demo) -> None:
    page = browse.page
    browse.login("zijinstromer1@lev.test")

    # A new logboek entry, linked to a development point.
    browse.goto(demo.url("/trajecten/{t1}/logboek/"))
    with browse.loads():
        page.get_by_role("link", name="Nieuwe logboekregel").first.click()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page.get_by_label("Datum").fill(yesterday.isoformat())
    page.get_by_label("Wat gebeurde er?").fill("Rekenles met de hele groep, met een exit-ticket")
    page.get_by_label("Wat heb ik geleerd?").fill("Een exit-ticket laat snel zien wie het snapt")
    page.get_by_label("Rekenen in groep 5").check()
    with browse.loads():
        page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Je logboekregel is opgeslagen")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Rekenles met de hele groep, met een exit-ticket")
    expect(main).to_contain_text("Een exit-ticket laat snel zien wie het snapt")
    expect(main).to_contain_text("Rekenen in groep 5")

    from trajecten.models import Logboekregel

    regel = Logboekregel.objects.filter(traject_id=demo.traject(1)).order_by("-pk").first()
    assert regel.wat_er_gebeurde == "Rekenles met de hele groep, met een exit-ticket"
    assert regel.datum == yesterday
    assert [p.titel for p in regel.ontwikkelpunten.all()] == ["Rekenen in groep 5"]

    # Prepare the next conversation: the three questions, then save.
    gesprek = upcoming_gesprek(demo.traject(1))
    assert gesprek is not None, "the demo has no upcoming conversation for zijinstromer1"
    browse.goto(f"/gesprekken/{gesprek.pk}/")
    with browse.loads():
        page.get_by_role("main").get_by_role("link", name="Voorbereiden").click()
    page.get_by_label("Waar sta ik nu?").fill("De routines staan; rekenen gaat beter.")
    page.get_by_label("Wat is mijn volgende stap?").fill(
        "Differentiëren in de verlengde instructie."
    )
    page.get_by_label("Wat heb ik daarvoor nodig?").fill(
        "Een lesbezoek van mijn coach bij rekenen."
    )
    # The entry written above can be linked to the conversation.
    page.get_by_label(re.compile("Rekenles met de hele groep")).check()
    page.get_by_label("Mijn voorbereiding is klaar").check()
    with browse.loads():
        page.get_by_role("button", name="Voorbereiding opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Je voorbereiding is opgeslagen")
    expect(page.get_by_label(re.compile("Rekenles met de hele groep"))).to_be_checked()
    expect(page.get_by_label("Waar sta ik nu?")).to_have_value(
        "De routines staan; rekenen gaat beter."
    )
    expect(page.get_by_label("Wat is mijn volgende stap?")).to_have_value(
        "Differentiëren in de verlengde instructie."
    )
    expect(page.get_by_label("Wat heb ik daarvoor nodig?")).to_have_value(
        "Een lesbezoek van mijn coach bij rekenen."
    )

    # Everyone on the conversation page sees that the side-entrant is ready.
    browse.goto(f"/gesprekken/{gesprek.pk}/")
    expect(page.get_by_role("main")).not_to_contain_text("Sanne de Vries · nog niet voorbereid")


def test_side_entrant_logs_progress_and_prepares_the_next_conversation(browse, demo):
    log_progress_and_prepare(browse, demo)


def test_side_entrant_does_the_same_on_a_phone_without_sideways_scrolling(phone, demo):
    log_progress_and_prepare(phone, demo)

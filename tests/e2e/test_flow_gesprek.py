"""Flow: a conversation of zijinstromer1 from preparation to a signed, locked report.

The coach prepares reflective questions, the SLB writes the report (text, koers with reason,
an agreement with owner and due date, a signal with a tag) and the SLB, the coach and the
side-entrant each sign; after the last signature the report is locked."""

from __future__ import annotations

import datetime as dt

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


def log_out(browse) -> None:
    browse.page.context.clear_cookies()


def sign(browse, gesprek_pk: int, *, last: bool = False) -> None:
    page = browse.page
    browse.goto(f"/gesprekken/{gesprek_pk}/")
    page.once("dialog", lambda dialog: dialog.accept())  # "Je ondertekent deze versie ..."
    with browse.loads():
        page.get_by_role("button", name="Versie 1 ondertekenen").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Iedereen heeft getekend" if last else "Je hebt het verslag ondertekend"
    )


def test_coach_prepares_slb_reports_and_all_three_sign(browse, demo):
    from gesprekken.models import Verslag

    page = browse.page
    gesprek = upcoming_gesprek(demo.traject(1))
    assert gesprek is not None, "the demo has no upcoming conversation for zijinstromer1"
    assert not Verslag.objects.filter(gesprek=gesprek).exists()

    # The coach prepares: reflective questions.
    browse.login("coach1@lev.test")
    browse.goto(f"/gesprekken/{gesprek.pk}/voorbereiden/")
    questions = "Welke rekenles ging het best, en waarom?\nWat wil je dat ik kom bekijken?"
    page.get_by_label("Mijn reflectievragen voor het gesprek").fill(questions)
    page.get_by_label("Mijn voorbereiding is klaar").check()
    with browse.loads():
        page.get_by_role("button", name="Voorbereiding opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Je voorbereiding is opgeslagen")
    browse.goto(f"/gesprekken/{gesprek.pk}/")
    expect(page.get_by_role("main")).to_contain_text("Welke rekenles ging het best, en waarom?")
    log_out(browse)

    # The SLB writes the report.
    browse.login("slb1@lev.test")
    browse.goto(f"/gesprekken/{gesprek.pk}/verslag/")
    page.get_by_label("Verslag van het gesprek").fill(
        "Sanne vertelde over de rekenlessen; de routines staan."
    )
    page.get_by_label("Op koers").check()
    page.get_by_label("Waarom?").fill("De ontwikkelpunten lopen volgens plan.")
    due = timezone.localdate() + dt.timedelta(days=30)
    page.locator("#id_afspraken-0-omschrijving").fill("Lesbezoek rekenen plannen")
    page.locator("#id_afspraken-0-owner").select_option(label="Marieke van den Berg")
    page.locator("#id_afspraken-0-due_date").fill(due.isoformat())
    page.locator("#id_signalen-0-soort").select_option(index=1)
    page.locator("#id_signalen-0-tekst").fill("Veel tijd kwijt aan nakijken")
    page.locator("#id_signalen-0-tags_5").check()  # werkdruk
    expect(page.get_by_label("werkdruk").first).to_be_checked()
    with browse.loads():
        page.get_by_role("button", name="Verslag opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Het verslag is opgeslagen")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Sanne vertelde over de rekenlessen; de routines staan.")
    expect(main).to_contain_text("Op koers")
    expect(main).to_contain_text("De ontwikkelpunten lopen volgens plan.")
    expect(main).to_contain_text("Lesbezoek rekenen plannen")

    verslag = Verslag.objects.get(gesprek=gesprek)
    assert verslag.koers == Verslag.Koers.OP_KOERS
    afspraak = verslag.afspraken.get()
    assert (afspraak.owner.email, afspraak.due_date) == ("coach1@lev.test", due)
    signaal = verslag.signalen.get()
    assert [t.name for t in signaal.tags.all()] == ["werkdruk"]

    # Before the conversation's day the report is a draft: no sign button, the day instead.
    browse.goto(f"/gesprekken/{gesprek.pk}/")
    expect(page.get_by_role("main")).to_contain_text(
        "ondertekenen kan vanaf de dag van het gesprek"
    )
    expect(page.get_by_role("button", name="Versie 1 ondertekenen")).to_have_count(0)

    # The day has come: the conversation was held an hour ago.
    from gesprekken.models import Gesprek

    Gesprek.objects.filter(pk=gesprek.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=1), planned_for=timezone.localdate()
    )

    # All three sign; the SLB first.
    sign(browse, gesprek.pk)
    log_out(browse)
    browse.login("coach1@lev.test")
    sign(browse, gesprek.pk)
    log_out(browse)
    browse.login("zijinstromer1@lev.test")
    sign(browse, gesprek.pk, last=True)

    heading = page.get_by_role("heading", name="Verslag")
    expect(heading).to_contain_text("ondertekend en vastgelegd")
    expect(page.get_by_role("button", name="Versie 1 ondertekenen")).to_have_count(0)
    expect(page.get_by_role("main").get_by_text("nog niet getekend")).to_have_count(0)
    verslag.refresh_from_db()
    assert verslag.is_locked

    # A locked report cannot be edited: the SLB is sent back with an explanation.
    log_out(browse)
    browse.login("slb1@lev.test")
    with browse.loads():
        page.goto(f"/gesprekken/{gesprek.pk}/verslag/")
    expect(page.get_by_role("alert")).to_contain_text("kan niet meer worden gewijzigd")

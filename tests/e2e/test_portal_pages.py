"""The portal's own pages in the browser: language switch, notifications, settings, privacy
and the 404 page."""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import expect

from .helpers import path_of

pytestmark = pytest.mark.e2e


def switch_language(browse, label: str) -> None:
    page = browse.page
    page.locator("#language-switch").select_option(label=label)
    with browse.loads():
        page.locator("footer form button[type=submit]").click()


def test_language_switch_to_english_changes_lang_and_texts(browse, demo):
    page = browse.page
    browse.login("coach1@lev.test")
    expect(page.locator("html")).to_have_attribute("lang", "nl")

    switch_language(browse, "English")

    assert path_of(page) == "/", "the switch stays on the same page"
    expect(page.locator("html")).to_have_attribute("lang", "en")
    with translation.override("en"):
        # Lev's own strings follow the English catalogue (locale/en) once it is filled in.
        log_out = translation.gettext("Uitloggen")
    expect(page.get_by_role("button", name=log_out)).to_be_visible()
    # Django's own texts are translated already: a form error in English.
    browse.goto("/instellingen/")
    page.locator("#id_first_name").fill(" ")
    with browse.loads():
        page.locator("main form [type=submit]").click()
    expect(page.locator("#id_first_name_error")).to_have_text("This field is required.")

    switch_language(browse, "Nederlands")
    expect(page.locator("html")).to_have_attribute("lang", "nl")


def test_notifications_show_unread_and_can_be_marked_read(browse, demo):
    from portal.models import Notificatie, User

    sanne = User.objects.get(email="zijinstromer1@lev.test")
    Notificatie.objects.create(
        user=sanne,
        kind="feedback",
        text="Marieke gaf feedback op je logboek",
        url=f"/trajecten/{demo.traject(1)}/",
    )
    unread = Notificatie.objects.filter(user=sanne, read_at__isnull=True).count()
    page = browse.page
    browse.login(sanne.email)
    nav = page.get_by_role("navigation", name="Hoofdnavigatie")
    expect(nav.get_by_role("link", name=f"Meldingen {unread} ongelezen")).to_be_visible()

    with browse.loads():
        nav.get_by_role("link", name="Meldingen").click()
    expect(page.locator("h1")).to_have_text("Meldingen")
    item = page.get_by_role("listitem").filter(has_text="Marieke gaf feedback op je logboek")
    expect(item).to_contain_text("nieuw")
    with browse.loads():
        page.get_by_role("button", name="Alles als gelezen markeren").click()

    counted = f"{unread} melding{'' if unread == 1 else 'en'} gemarkeerd als gelezen."
    expect(page.get_by_role("status")).to_contain_text(counted)
    expect(nav.get_by_role("link", name="Meldingen", exact=True)).to_be_visible()
    expect(item).not_to_contain_text("nieuw")
    with browse.loads():
        page.get_by_role("link", name="Marieke gaf feedback op je logboek").click()
    assert path_of(page) == f"/trajecten/{demo.traject(1)}/"
    assert not Notificatie.objects.filter(user=sanne, read_at__isnull=True).exists()


def test_settings_are_saved_with_a_message(browse, demo):
    from portal.models import User

    page = browse.page
    browse.login("coach1@lev.test")
    with browse.loads():
        page.get_by_role("link", name="Marieke van den Berg").click()
    expect(page.locator("h1")).to_have_text("Instellingen")

    page.get_by_label("Achternaam").fill("van den Berg-Smit")
    page.get_by_label("Feedbackverzoeken en feedback").uncheck()
    with browse.loads():
        page.get_by_role("button", name="Opslaan").click()

    expect(page.get_by_role("status")).to_contain_text("Je instellingen zijn opgeslagen.")
    expect(page.get_by_label("Achternaam")).to_have_value("van den Berg-Smit")
    expect(page.get_by_label("Feedbackverzoeken en feedback")).not_to_be_checked()
    coach = User.objects.get(email="coach1@lev.test")
    assert coach.last_name == "van den Berg-Smit"
    assert "feedback" in coach.muted_mail_kinds


def test_failed_settings_form_ties_each_error_to_its_field(browse, demo):
    page = browse.page
    browse.login("coach1@lev.test")
    browse.goto("/instellingen/")
    # A space passes the browser's `required` check; the server strips it and refuses.
    page.get_by_label("Voornaam").fill(" ")
    with browse.loads():
        page.get_by_role("button", name="Opslaan").click()

    field = page.get_by_label("Voornaam")
    expect(field).to_have_attribute("aria-invalid", "true")
    described_by = field.get_attribute("aria-describedby") or ""
    errors = [page.locator(f"#{id_}").inner_text().strip() for id_ in described_by.split()]
    assert "Dit veld is verplicht." in errors, f"aria-describedby={described_by!r} -> {errors}"
    expect(field).to_have_accessible_description("Dit veld is verplicht.")
    expect(page.get_by_label("Achternaam")).not_to_have_attribute("aria-invalid", "true")


def test_privacy_page_is_open_to_everyone(browse, demo):
    browse.goto("/privacy/")
    expect(browse.page.locator("h1")).to_have_text("Privacy")
    expect(browse.page.locator("main")).to_contain_text("Wie ziet wat")


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "logged-in"])
def test_unknown_page_answers_with_the_dutch_404_page(browse, demo, logged_in):
    page = browse.page
    if logged_in:
        browse.login("slb1@lev.test")
    browse.goto("/bestaat-niet/", status=404)
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("h1")).to_have_text("Pagina niet gevonden")
    with browse.loads():
        page.get_by_role("link", name="Terug naar de startpagina").click()
    expected = "/" if logged_in else "/account/login/?next=/"
    assert path_of(page) == expected

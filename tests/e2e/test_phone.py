"""The side-entrant's pages at phone width (390x844): no sideways scrolling, accessible."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .helpers import assert_focus_visible, path_of

pytestmark = pytest.mark.e2e


def test_side_entrant_works_from_a_phone(phone, demo):
    page = phone.page
    phone.login("zijinstromer1@lev.test")  # the login page and the traject page are checked
    assert path_of(page) == f"/trajecten/{demo.traject(1)}/"
    expect(page.locator("h1")).to_have_text("Sanne de Vries")
    for path in ("/meldingen/", "/instellingen/", "/privacy/", "/bestaat-niet/"):
        phone.goto(path, status=404 if path == "/bestaat-niet/" else 200)


def test_failed_settings_form_fits_a_phone(phone, demo):
    page = phone.page
    phone.login("zijinstromer1@lev.test")
    phone.goto("/instellingen/")
    page.get_by_label("Voornaam").fill(" ")
    with phone.loads():
        page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_label("Voornaam")).to_have_attribute("aria-invalid", "true")


def test_login_page_on_a_phone_has_no_menu_button_for_an_empty_menu(phone, demo):
    page = phone.page
    phone.goto("/account/login/")
    expect(page.get_by_role("button", name="Menu openen")).to_have_count(0)
    expect(page.get_by_role("link", name="Lev")).to_be_visible()


def test_a_table_that_scrolls_sideways_on_a_phone_can_be_scrolled_with_the_keyboard(phone, demo):
    page = phone.page
    phone.login("coach1@lev.test")  # the start page lists her side-entrants in a table
    region = page.locator(".table-responsive").first
    assert region.evaluate("el => el.scrollWidth > el.clientWidth"), "the table fits after all"
    expect(region).to_have_attribute("tabindex", "0")
    expect(region).to_have_attribute("role", "region")
    region.focus()
    assert_focus_visible(page)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("el => el.scrollLeft > 0", arg=region.element_handle())


def test_a_table_that_fits_gets_no_extra_tab_stop(browse, demo):
    browse.login("coach1@lev.test")
    region = browse.page.locator(".table-responsive").first
    assert region.evaluate("el => el.scrollWidth <= el.clientWidth")
    expect(region).not_to_have_attribute("tabindex", "0")

"""Keyboard only: the skip link, visible focus, and logging in without a mouse."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .helpers import assert_focus_visible, focused_element, path_of

pytestmark = pytest.mark.e2e


def tab(page) -> dict:
    page.keyboard.press("Tab")
    info = focused_element(page)
    assert info is not None, "Tab moved focus out of the page"
    return info


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(browse, demo):
    page = browse.page
    browse.login("zijinstromer1@lev.test")

    first = tab(page)
    assert first["tag"] == "a" and first["text"] == "Naar de inhoud", first
    assert_focus_visible(page)
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # The next Tab continues inside the content, not back at the top of the page.
    tab(page)
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


@pytest.mark.parametrize("account", ["coach1", "zijinstromer1"])
def test_focus_is_visible_on_every_link_and_button(browse, demo, account):
    page = browse.page
    browse.login(f"{account}@lev.test")
    seen = []
    for _ in range(40):
        info = tab(page)
        if info["tag"] == "main":
            continue
        assert_focus_visible(page)
        seen.append((info["tag"], info["text"]))
        if info["text"] == "Wissel taal":  # the last control on every page
            break
    tags = {tag for tag, _text in seen}
    assert {"a", "button", "select"} <= tags, seen


def test_login_form_can_be_completed_with_the_keyboard_only(browse, demo):
    page = browse.page
    browse.goto("/account/login/")
    for _ in range(10):
        tab(page)
        if page.evaluate("document.activeElement.id") == "id_login":
            break
    else:
        pytest.fail("the e-mail field is not reachable with Tab")
    assert_focus_visible(page)
    page.keyboard.type("coach1@lev.test")
    tab(page)
    assert page.evaluate("document.activeElement.id") == "id_password"
    assert_focus_visible(page)
    page.keyboard.type("lev-demo-2026")
    with browse.loads():
        page.keyboard.press("Enter")
    assert path_of(page) == "/"
    expect(page.locator("h1")).to_have_text("Welkom, Marieke")


def test_phone_menu_opens_and_closes_with_the_keyboard(phone, demo):
    page = phone.page
    phone.login("coach1@lev.test")
    toggler = page.get_by_role("button", name="Menu openen")
    nav_link = page.get_by_role("navigation", name="Hoofdnavigatie").get_by_role(
        "link", name="Mijn zij-instromers"
    )
    expect(nav_link).to_be_hidden()
    for _ in range(5):  # skip link, brand, then the menu button
        tab(page)
        if page.evaluate("document.activeElement.getAttribute('aria-label')") == "Menu openen":
            break
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(nav_link).to_be_visible()
    # Bootstrap ignores the toggler while the menu slides open.
    expect(page.locator("#nav-main")).to_have_class("navbar-collapse collapse show")
    phone.check()  # the open menu is accessible and fits the screen too
    expect(toggler).to_be_focused()
    page.keyboard.press("Enter")
    expect(toggler).to_have_attribute("aria-expanded", "false")
    expect(nav_link).to_be_hidden()

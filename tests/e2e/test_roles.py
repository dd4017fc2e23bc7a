"""Every demo role logs in through the login form, lands on its own start page with its own
content, and cannot open someone else's traject (the Dutch 404 page)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from .helpers import path_of
from .pages import email

pytestmark = pytest.mark.e2e

SANNE, MOHAMED = "Sanne de Vries", "Mohamed El Amrani"
LOTTE, PIETER = "Lotte Jansen", "Pieter Bakker"


@dataclass(frozen=True)
class Role:
    account: str
    lands_on: str  # path, with {t1}..{t4} for the demo trajecten
    heading: str
    sees: tuple[str, ...] = ()  # in <main>
    does_not_see: tuple[str, ...] = ()
    nav: tuple[str, ...] = ()  # links in the main navigation
    no_nav: tuple[str, ...] = ()
    forbidden: int | None = None  # n of a demo traject this account may not open


ROLES = [
    Role(
        "zijinstromer1",
        "/trajecten/{t1}/",
        SANNE,
        sees=("Basisschool De Regenboog", "Marieke van den Berg", "Femke Mulder", "Esther Vos"),
        does_not_see=(MOHAMED,),
        nav=("Start", "Meldingen"),
        no_nav=("Mijn zij-instromers", "Trajecten"),
        forbidden=2,
    ),
    Role(
        "zijinstromer4",
        "/trajecten/{t4}/",
        PIETER,
        sees=("Sint-Jozefschool", "Afgerond"),
        forbidden=1,
    ),
    Role(
        "coach1",
        "/",
        "Welkom, Marieke",
        sees=(SANNE, LOTTE),
        does_not_see=(MOHAMED, PIETER),
        nav=("Mijn zij-instromers",),
        no_nav=("Trajecten",),
        forbidden=2,
    ),
    Role(
        "coach2",
        "/",
        "Welkom, Johan",
        sees=(MOHAMED, PIETER),
        does_not_see=(SANNE, LOTTE),
        forbidden=1,
    ),
    Role(
        "slb1",
        "/",
        "Welkom, Femke",
        sees=(SANNE, MOHAMED, LOTTE, PIETER),
        nav=("Mijn zij-instromers",),
    ),
    Role(
        "duo1",
        "/",
        "Welkom, Esther",
        sees=(SANNE,),
        does_not_see=(LOTTE, MOHAMED),
        nav=("Mijn zij-instromers",),
        forbidden=3,
    ),
    Role(
        "schoolleider1",
        "/",
        "Welkom, Henk",
        sees=("Zij-instromers op mijn school", SANNE, LOTTE),
        does_not_see=(MOHAMED, PIETER),
        nav=("Trajecten",),
        no_nav=("Mijn zij-instromers",),
        forbidden=2,
    ),
    Role(
        "schoolleider2",
        "/",
        "Welkom, Ingrid",
        sees=(MOHAMED,),
        does_not_see=(SANNE, LOTTE),
        forbidden=1,
    ),
    Role(
        "coordinator",
        "/",
        "Welkom, Wendy",
        sees=("Partnerschap", "Alle trajecten"),
        nav=("Trajecten",),
    ),
    Role("docent1", "/", "Welkom, Bram", does_not_see=(SANNE, MOHAMED), forbidden=1),
    Role("assessor-veld", "/", "Welkom, Kees", does_not_see=(SANNE,), forbidden=1),
    Role("assessor-opleiding", "/", "Welkom, Anouk", does_not_see=(SANNE,), forbidden=1),
    Role("admin", "/", "Welkom, Ruud", forbidden=1),
]


def nav_name(name: str) -> re.Pattern:
    """A navigation link's accessible name; "Meldingen" may carry "3 ongelezen"."""
    return re.compile(rf"^{re.escape(name)}( \d+ ongelezen)?$")


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.account)
def test_role_logs_in_lands_on_own_start_page_and_cannot_open_anothers_traject(browse, demo, role):
    page = browse.page
    browse.login(email(role.account))

    assert path_of(page) == demo.url(role.lands_on)
    expect(page.locator("h1")).to_have_text(role.heading)
    main = page.locator("main")
    for text in role.sees:
        expect(main).to_contain_text(text)
    for text in role.does_not_see:
        expect(main).not_to_contain_text(text)
    nav = page.get_by_role("navigation", name="Hoofdnavigatie")
    for name in role.nav:
        expect(nav.get_by_role("link", name=nav_name(name))).to_be_visible()
    for name in role.no_nav:
        expect(nav.get_by_role("link", name=nav_name(name))).to_have_count(0)

    if role.forbidden is not None:
        browse.goto(f"/trajecten/{demo.traject(role.forbidden)}/", status=404)
        expect(page.locator("h1")).to_have_text("Pagina niet gevonden")
        expect(page.locator("html")).to_have_attribute("lang", "nl")
        expect(main).not_to_contain_text(SANNE if role.forbidden == 1 else MOHAMED)


def test_anonymous_visitor_logs_in_first_and_then_sees_the_page_asked_for(browse, demo):
    page = browse.page
    traject = f"/trajecten/{demo.traject(1)}/"
    browse.goto(traject)
    assert path_of(page) == f"/account/login/?next={traject}"
    expect(page.locator("main")).not_to_contain_text(SANNE)
    page.locator("#id_login").fill("zijinstromer1@lev.test")
    page.locator("#id_password").fill("lev-demo-2026")
    with browse.loads():
        page.locator("main form button[type=submit]").click()
    assert path_of(page) == traject


def test_wrong_password_is_refused_with_a_message(browse, demo):
    page = browse.page
    browse.goto("/account/login/")
    page.locator("#id_login").fill("coach1@lev.test")
    page.locator("#id_password").fill("niet-mijn-wachtwoord")
    with browse.loads():
        page.locator("main form button[type=submit]").click()
    assert path_of(page) == "/account/login/"
    expect(page.locator("main")).to_contain_text("niet correct")


def test_logging_out_returns_to_the_login_page(browse, demo):
    page = browse.page
    browse.login("coach1@lev.test")
    with browse.loads():
        page.get_by_role("button", name="Uitloggen").click()
    assert path_of(page) == "/account/login/"
    browse.goto("/")
    assert path_of(page) == "/account/login/?next=/"

"""Flow: the coordinator drills down in the partnership overview (board -> school -> a
traject) and exports the overview as CSV, after typing the password again."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .helpers import PASSWORD

pytestmark = pytest.mark.e2e

BOARD = "Stichting Primair Onderwijs Rivierenland"
SCHOOL = "Basisschool De Regenboog"
SIDE_ENTRANT = "Sanne de Vries"  # zijinstromer1, at De Regenboog


def test_coordinator_drills_down_and_exports_csv(browse, demo):
    page = browse.page
    main = page.get_by_role("main")
    browse.login("coordinator@lev.test")
    browse.goto("/overzicht/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Overzicht partnerschap")

    # Board.
    with browse.loads():
        main.get_by_role("table").get_by_role("link", name=BOARD).click()
    assert "bestuur=" in page.url
    crumbs = page.get_by_role("navigation", name="Inzoomen")
    expect(crumbs).to_contain_text(BOARD)
    expect(main.get_by_role("table").get_by_role("link", name="Sint-Jozefschool")).to_have_count(0)

    # School.
    with browse.loads():
        main.get_by_role("table").get_by_role("link", name=SCHOOL).click()
    assert "school=" in page.url
    expect(crumbs.locator("[aria-current=page]")).to_have_text(SCHOOL)
    expect(page.get_by_label("School")).to_have_value(
        page.get_by_label("School").locator("option", has_text=SCHOOL).get_attribute("value")
    )

    # The trajecten tab keeps the school chosen; a traject of that school.
    tabs = page.get_by_role("navigation", name="Onderdelen van het overzicht")
    with browse.loads():
        tabs.get_by_role("link", name="Trajecten").click()
    assert "/overzicht/trajecten/" in page.url and "school=" in page.url, page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Overzicht partnerschap")
    with browse.loads():
        main.get_by_role("link", name=SIDE_ENTRANT).first.click()
    assert page.url.rstrip("/").endswith(f"/trajecten/{demo.traject(1)}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(SIDE_ENTRANT)

    # CSV export of the school's overview: re-authentication, then the download.
    page.go_back()
    browse.check()
    with browse.loads():
        page.get_by_role("link", name="CSV exporteren").click()
    assert "/account/reauthenticate/" in page.url, f"no re-authentication, at {page.url}"
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    with page.expect_download() as download_info:
        main.get_by_role("button").first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv"), download.suggested_filename
    data = download.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), data[:20]  # UTF-8 BOM, for Excel
    text = data.decode("utf-8-sig")
    assert SIDE_ENTRANT in text
    assert "Mohamed El Amrani" not in text  # another school (OBS De Vlinder): filtered out

"""Flow: the two assessors judge zijinstromer2's planned Proeve van bekwaamheid.

The demo has the field assessor's judgement already recorded (bekwaamheid/demo.py), so the
college assessor records theirs here; then the joint oordeel, both signatures (each after
re-authentication with the password) and the PDF report (Celery runs eagerly in the tests)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .helpers import PASSWORD

pytestmark = pytest.mark.e2e


def log_out(browse) -> None:
    browse.page.context.clear_cookies()


def sign_oordeel(browse, proeve_pk: int) -> None:
    """Sign from the Proeve page; allauth asks for the password again first."""
    page = browse.page
    browse.goto(f"/bekwaamheid/proeven/{proeve_pk}/")
    with browse.loads():
        page.get_by_role("main").get_by_role("link", name="Ondertekenen").click()
    assert "/account/reauthenticate/" in page.url, f"no re-authentication, at {page.url}"
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    with browse.loads():
        page.get_by_role("main").get_by_role("button").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Oordeel ondertekenen")
    expect(page.get_by_role("main")).to_contain_text("voldoende")
    page.get_by_label("Ik heb het gezamenlijke oordeel gelezen en onderteken het.").check()
    with browse.loads():
        page.get_by_role("main").get_by_role("button", name="Ondertekenen").click()
    expect(page.get_by_role("status").first).to_contain_text("ondertekend")
    assert page.url.split("#")[0].endswith(f"/bekwaamheid/proeven/{proeve_pk}/")


def test_two_assessors_judge_sign_and_download_the_pdf(browse, demo):
    from bekwaamheid.models import Beoordeling, Proeve

    page = browse.page
    proeve = Proeve.objects.get(pk=demo.ids["p2"])
    assert proeve.status == Proeve.Status.GEPLAND
    assert Beoordeling.objects.filter(
        proeve=proeve, rol="veld", recorded_at__isnull=False
    ).exists(), "the demo records the field assessor's judgement"

    # The college assessor records a judgement; the field assessor's was hidden until now.
    browse.login("assessor-opleiding@lev.test")
    browse.goto(f"/bekwaamheid/proeven/{proeve.pk}/")
    expect(page.get_by_role("main")).to_contain_text("verborgen")
    browse.goto(f"/bekwaamheid/proeven/{proeve.pk}/beoordeling/")
    selects = page.locator("main select[name^=niveau_]")
    assert selects.count() == 9
    for i in range(selects.count()):
        selects.nth(i).select_option(label="startbekwaam")
    motivaties = page.locator("main textarea[name^=motivatie_]")
    for i in range(motivaties.count()):
        motivaties.nth(i).fill("Gezien in de rekenles en in het dossier.")
    page.get_by_label("Toelichting").fill("Werkt doelgericht; reflecteert scherp.")
    with browse.loads():
        page.get_by_role("button", name="Vastleggen (definitief)").click()
    expect(page.get_by_role("status").first).to_contain_text("Je beoordeling is vastgelegd")
    expect(page.get_by_role("main")).to_contain_text("Bewijs en lesbezoek laten dit zien voor VI1.")

    # The joint oordeel.
    with browse.loads():
        page.get_by_role("link", name="Gezamenlijk oordeel opstellen").click()
    niveaus = page.locator("main select[name^=niveau_]")
    for i in range(niveaus.count()):
        niveaus.nth(i).select_option(label="startbekwaam")
    regels = page.locator("main textarea[name^=motivatie_]")
    for i in range(regels.count()):
        regels.nth(i).fill("Beide assessoren zagen dit in de les.")
    page.get_by_label("voldoende", exact=True).check()
    page.locator("#id_motivatie").fill("Startbekwaam op alle indicatoren.")
    with browse.loads():
        page.get_by_role("button", name="Oordeel opslaan").click()
    expect(page.get_by_role("main")).to_contain_text("Startbekwaam op alle indicatoren.")

    # Both sign, each after typing the password again.
    sign_oordeel(browse, proeve.pk)
    log_out(browse)
    browse.login("assessor-veld@lev.test")
    sign_oordeel(browse, proeve.pk)
    proeve.refresh_from_db()
    assert proeve.oordeel.uitslag == "voldoende"
    assert proeve.oordeel.is_locked
    assert sorted(proeve.oordeel.ondertekeningen.values_list("rol", flat=True)) == [
        "opleiding",
        "veld",
    ]

    # The PDF: requested (the last signature may already have made one: then the button
    # says "PDF bijwerken"), made at once (eager Celery), downloaded.
    # The last signature queues the PDF itself; it may already be there, still be in the
    # making (the page polls), or wait for the button.
    browse.goto(f"/bekwaamheid/proeven/{proeve.pk}/")
    download_link = page.get_by_role("link", name="PDF downloaden")
    button = page.get_by_role("button", name=re.compile("^PDF (maken|bijwerken)$"))
    expect(download_link.or_(button).first).to_be_visible(timeout=60_000)
    if not download_link.is_visible():
        with browse.loads():
            button.click()
        expect(page.get_by_role("status").first).to_contain_text("De PDF wordt gemaakt")
    expect(download_link).to_be_visible()
    with page.expect_download() as download_info:
        download_link.click()
    data = download_info.value.path().read_bytes()
    assert data.startswith(b"%PDF"), data[:40]

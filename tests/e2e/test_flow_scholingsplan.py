"""Flow: a school leader finds the scholingsplan that waits for the school's agreement on
/mijn-school/ ("Wacht op jou"), opens it and agrees; the plan page shows the agreement.

In the demo (portal/demo_overview.py) version 1 of Julia Bos's plan (OBS De Vlinder) has the
side-entrant's and the SLB's agreement and waits for the school: schoolleider2."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_school_leader_agrees_the_plan_that_waits_for_them(browse, demo):
    from trajecten.models import Scholingsplanversie

    page = browse.page
    main = page.get_by_role("main")
    browse.login("schoolleider2@lev.test")
    browse.goto("/mijn-school/")
    waiting = main.get_by_role("region", name="Wacht op jou")
    expect(waiting).to_contain_text("Scholingsplan versie 1 van Julia Bos (OBS De Vlinder)")
    with browse.loads():
        waiting.get_by_role("link", name=re.compile("Bekijken en instemmen")).first.click()
    assert re.search(r"/trajecten/\d+/scholingsplan/$", page.url), page.url
    traject_pk = int(re.search(r"/trajecten/(\d+)/", page.url).group(1))
    expect(main).to_contain_text("Ter instemming")
    expect(main).to_contain_text("School (schoolleider): nog niet ingestemd")

    page.on("dialog", lambda dialog: dialog.accept())
    with browse.loads():
        main.get_by_role("button", name="Ik stem in namens: school (schoolleider)").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Je instemming met versie 1 is vastgelegd"
    )
    expect(main).to_contain_text(re.compile(r"ingestemd door Ingrid Smit \(schoolleider\) op"))
    expect(main).not_to_contain_text("nog niet ingestemd")
    expect(main).to_contain_text("Vastgesteld")
    expect(main.get_by_role("button", name=re.compile("Ik stem in"))).to_have_count(0)

    versie = Scholingsplanversie.objects.get(plan__traject_id=traject_pk, nummer=1)
    assert versie.status == "vastgesteld"
    assert versie.instemmingen.filter(
        partij="school", user__email="schoolleider2@lev.test"
    ).exists()

    # Nothing waits for the school leader any more.
    browse.goto("/mijn-school/")
    expect(main.get_by_role("region", name="Wacht op jou")).to_contain_text("Er wacht niets op jou")

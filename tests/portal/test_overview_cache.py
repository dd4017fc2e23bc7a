"""The overviews' figures come from the cache until something they count changes
(portal.overview.cache); then the next visit shows the change at once.

Built on the data set of tests/portal/test_overzicht.py (tests.factories.overview_world)."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gesprekken import services as gesprek_services
from portal.overview import cache as overview_cache
from tests import factories as f
from trajecten.models import Traject

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
OVERVIEW = reverse("portal:overzicht")
SCHOOL = reverse("portal:school_overzicht")
SIGNALEN = reverse("portal:overzicht_signalen")


@pytest.fixture(autouse=True)
def _without_page_cache(settings):
    """These tests are about the figures' own cache beneath the whole-page cache
    (portal.pagecache, tested in tests/portal/test_pagecache.py)."""
    settings.LEV_PAGE_CACHE = False


@pytest.fixture
def world(db):
    with time_machine.travel(f.at(TODAY, 12), tick=False):
        yield f.overview_world()


def visit(client, user, url, **params):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return response, len(queries)


def figure(response, element_id: str) -> str:
    """The text of the element with `element_id` in the rendered page (tags stripped): what
    the person sees, cached or not."""
    html = response.content.decode()
    match = re.search(rf'id="{element_id}">(.*?)</p>', html, re.S)
    assert match, element_id
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def small(response, element_id: str) -> str:
    """The explanatory line under a key figure."""
    html = response.content.decode()
    match = re.search(rf'id="{element_id}">.*?</p>\s*<p[^>]*>(.*?)</p>', html, re.S)
    assert match, element_id
    return " ".join(match.group(1).split())


def version_of(partnerschap) -> int:
    return dict(overview_cache.versions([partnerschap.pk]))[partnerschap.pk]


def test_a_second_visit_reads_the_figures_from_the_cache(client, world):
    first, cold = visit(client, world.coordinator, OVERVIEW)
    second, warm = visit(client, world.coordinator, OVERVIEW)
    assert second.context["p"].total == first.context["p"].total
    assert [t.pk for t in second.context["p"].rows] == [t.pk for t in first.context["p"].rows]
    assert [g.pk for g in second.context["p"].overdue] == [g.pk for g in first.context["p"].overdue]
    assert warm <= cold - 5, (cold, warm)


def test_another_coordinator_of_the_partnership_shares_the_entry(client, world):
    _response, cold = visit(client, world.coordinator, OVERVIEW)
    colleague = f.UserFactory()
    world.ps.coordinatoren.add(colleague)
    response, warm = visit(client, colleague, OVERVIEW)
    assert response.context["p"].total.n == 6
    assert warm < cold


def test_a_school_leader_gets_their_own_schools_not_the_coordinators_entry(client, world):
    visit(client, world.coordinator, OVERVIEW)
    response, _queries = visit(client, world.leider_a, SCHOOL)
    assert response.context["p"].total.n == 3
    assert {t.pk for t in response.context["p"].rows} == {world.a1.pk, world.a2.pk, world.a3.pk}


def test_a_new_signed_report_shows_at_once(client, world):
    """Two more 'uit koers' answers for Anna: off track twice, so she needs attention."""
    assert figure(visit(client, world.coordinator, OVERVIEW)[0], "kern-aandacht") == "1"
    assert figure(visit(client, world.coordinator, OVERVIEW)[0], "kern-aandacht") == "1"
    for number, day in ((4, 2), (5, 5)):
        f.slot(
            world.a1,
            number,
            datetime.date(2026, 6, day),
            signed=datetime.date(2026, 6, day + 1),
            koers="uit_koers",
        )
    response = visit(client, world.coordinator, OVERVIEW)[0]
    assert figure(response, "kern-aandacht") == "2"
    assert small(response, "kern-aandacht") == "1 bijna klaar, 2 twee keer uit koers"


def test_a_stopped_traject_a_proeve_result_and_a_role_change_show_at_once(client, world):
    response = visit(client, world.coordinator, OVERVIEW)[0]
    assert small(response, "kern-n") == "4 lopend"
    assert figure(response, "kern-proeve") == "1 voldoende"
    assert figure(response, "kern-wissels") == "1 / 2"

    world.a3.status = Traject.Status.GESTOPT
    world.a3.save(update_fields=["status"])
    assert small(visit(client, world.coordinator, OVERVIEW)[0], "kern-n") == "3 lopend"

    proeve = world.a2.dossier.proeven.get(poging=2)
    proeve.uitslag = "voldoende"
    proeve.save(update_fields=["uitslag"])
    assert figure(visit(client, world.coordinator, OVERVIEW)[0], "kern-proeve") == "2 voldoende"

    f.toewijzing(world.a2, "coach", f.UserFactory(), datetime.date(2026, 6, 10))
    f.toewijzing(world.a2, "coach", world.a2.coach, datetime.date(2026, 6, 12))
    assert figure(visit(client, world.coordinator, OVERVIEW)[0], "kern-wissels") == "2 / 2"


def test_the_school_leaders_waiting_plans_follow_their_agreement(client, world):
    """Plan v2 of Dirk waits for De Beuk; once the school agrees it is gone from the page."""
    page = visit(client, world.leider_b, SCHOOL)[0].content.decode()
    assert "Dirk Zijinstromer" in page.split('id="h-to-agree"')[1].split("</section>")[0]
    versie = world.b_1.scholingsplan.versies.get()
    versie.instemmingen.create(partij="school", user=world.leider_b, rol="schoolleider")
    page = visit(client, world.leider_b, SCHOOL)[0].content.decode()
    assert "Dirk Zijinstromer" not in page.split('id="h-to-agree"')[1].split("</section>")[0]


def test_the_signals_page_counts_a_new_tagged_signal_at_once(client, world):
    before = visit(client, world.coordinator, SIGNALEN)[0]
    assert figure(before, "totaal-ondersteuning") == "1 citaten lezen"
    again = visit(client, world.coordinator, SIGNALEN)[0]  # from the cache
    assert figure(again, "totaal-ondersteuning") == "1 citaten lezen"
    f.signaal(world.a2.gesprekken.get(cycle_number=1), "ondersteuning", "Een mentor.", [world.team])
    after = visit(client, world.coordinator, SIGNALEN)[0]
    assert figure(after, "totaal-ondersteuning") == "2 citaten lezen"


def test_the_page_in_english_is_its_own_entry(client, world):
    dutch = visit(client, world.coordinator, OVERVIEW)[0].content.decode()
    assert "Verslagen op tijd" in dutch
    world.coordinator.language = "en"
    world.coordinator.save(update_fields=["language"])
    client.cookies["django_language"] = "en"
    english = visit(client, world.coordinator, OVERVIEW)[0].content.decode()
    assert "Verslagen op tijd" not in english


def test_an_edited_report_bumps_its_partnership_only(world):
    """verslag_save writes an existing report with QuerySet.update (no post_save): it
    touches the partnership itself. Writes elsewhere leave this partnership's entries."""
    gesprek = world.b_1.gesprekken.get(cycle_number=2)  # a draft report
    other = world.elsewhere.school.bestuur.partnerschap
    mine, theirs = version_of(world.ps), version_of(other)
    gesprek_services.verslag_save(
        gesprek=gesprek,
        actor=world.b_1.slb,
        version=gesprek.verslag.version,
        tekst="Bijgewerkt.",
        koers="aandacht",
        koers_reden="",
        afspraken=[],
        signalen=[],
    )
    assert version_of(world.ps) > mine
    assert version_of(other) == theirs


def test_a_write_in_another_partnership_keeps_this_one_cached(client, world):
    _response, cold = visit(client, world.coordinator, OVERVIEW)
    mine = version_of(world.ps)
    f.slot(world.elsewhere, 2, datetime.date(2026, 3, 1), signed=datetime.date(2026, 3, 2))
    assert version_of(world.ps) == mine
    _response, warm = visit(client, world.coordinator, OVERVIEW)
    assert warm < cold


def test_a_lost_version_counter_never_revives_an_old_entry(client, world):
    """If the cache loses a partnership's counter, it starts again at the current time, not
    at a value an older entry was stored under."""
    from django.core.cache import cache

    before = version_of(world.ps)
    for _ in range(1000):
        overview_cache.bump([world.ps.pk])
    cache.delete(f"ov:v:{world.ps.pk}")
    with time_machine.travel(f.at(TODAY, 12) + datetime.timedelta(seconds=1), tick=False):
        assert version_of(world.ps) > before + 1000


# --- The stored per-traject figures (fig_* columns) ----------------------------------------


def stored_and_computed() -> tuple[dict, dict]:
    from portal.overview import figures as fg

    names = ("last_koers", "prev_koers", "proeve", "coach_changes", "slb_changes")
    stored = {
        t.pk: tuple(getattr(t, n) for n in names)
        for t in fg.with_traject_figures(Traject.objects.all())
    }
    computed = {
        t.pk: tuple(getattr(t, n) for n in names)
        for t in fg.computed_traject_figures(Traject.objects.all())
    }
    return stored, computed


def test_stored_figures_follow_every_kind_of_write(world):
    stored, computed = stored_and_computed()
    assert stored == computed
    assert stored[world.a1.pk] == ("aandacht", "op_koers", "", 1, 0)
    # A newer signed answer, a moved (update) conversation, a Proeve result, a role change,
    # a cancelled conversation.
    f.slot(
        world.b_1, 5, datetime.date(2026, 6, 8), signed=datetime.date(2026, 6, 9), koers="uit_koers"
    )
    first = world.a1.gesprekken.get(cycle_number=1)
    gesprek_services.gesprek_move(
        gesprek=world.a1.gesprekken.get(cycle_number=3),
        actor=world.a1.coach,
        sequence=world.a1.gesprekken.get(cycle_number=3).sequence,
        starts_at=first.starts_at - datetime.timedelta(days=1),
        duration_minutes=45,
        location="Lokaal 2",
        video_url="",
    )
    proeve = world.a2.dossier.proeven.get(poging=2)
    proeve.uitslag = "voldoende"
    proeve.save(update_fields=["uitslag"])
    f.toewijzing(world.a3, "coach", f.UserFactory(), datetime.date(2026, 6, 1))
    f.toewijzing(world.a3, "coach", f.UserFactory(), datetime.date(2026, 6, 10))
    cancelled = world.a2.gesprekken.get(cycle_number=2)
    cancelled.status = "vervallen"
    cancelled.save(update_fields=["status"])
    stored, computed = stored_and_computed()
    assert stored == computed
    assert stored[world.b_1.pk][0] == "uit_koers"
    assert stored[world.a2.pk][:3] == ("uit_koers", "", "voldoende")
    assert stored[world.a3.pk][3] == 1


def test_refresh_figures_command_repairs_columns_written_by_hand(world):
    from django.core.management import call_command

    Traject.objects.update(fig_last_koers="", fig_proeve="", fig_coach_changes=0)
    stored, computed = stored_and_computed()
    assert stored != computed
    call_command("refresh_figures", stdout=open("/dev/null", "w"))  # noqa: SIM115
    stored, computed = stored_and_computed()
    assert stored == computed


def test_the_demo_data_has_its_figures_stored(db):
    """The demo back-dates reports with update(); its overview must still count them."""
    from django.core.management import call_command

    call_command("demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    stored, computed = stored_and_computed()
    assert stored == computed
    assert any(figures[0] for figures in stored.values()), "no signed koers in the demo"

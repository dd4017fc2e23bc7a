"""Every page shows what is true on the very next request: nothing of the domain is cached
(no page cache, no overview fragments, no role or unread caches), so a write is visible to
everyone who may see it at once, also while Redis stalls. The overviews count the stored
per-traject figures, which the services of the owning apps keep (trajecten.figures).

Built on the data set of tests/portal/test_overzicht.py (tests.factories.overview_world)."""

import datetime
import re
import socket
import threading

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gesprekken import services as gesprek_services
from gesprekken.models import Gesprek, Signaal
from tests import factories as f
from trajecten import services as traject_services
from trajecten.models import Logboekregel, Traject

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
OVERVIEW = reverse("portal:overzicht")
SCHOOL = reverse("portal:school_overzicht")
SIGNALEN = reverse("portal:overzicht_signalen")


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
    """The text of the element with `element_id` in the rendered page (tags stripped)."""
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


# --- A Redis that stalls -----------------------------------------------------------------------


@pytest.fixture
def stalled_redis(settings):
    """The cache is a Redis that accepts connections and never answers: every cache call
    waits for its timeout. What pages show must not depend on it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])  # accepted, never read nor answered
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    port = server.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    assert cache.get("anything") is None  # the stall is real: the read timed out
    yield port
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def test_a_log_entry_saved_while_redis_stalls_is_in_both_logboeken_at_once(
    client, cast, stalled_redis
):
    """A side-entrant who saves an entry and does not see it types it again. The entry is on
    their own logboek and their coach's on the very next request."""
    logboek = reverse("trajecten:logboek", args=[cast.traject.pk])
    client.force_login(cast.zij_instromer)
    assert client.get(logboek).status_code == 200  # the page before the write
    response = client.post(
        reverse("trajecten:logboek_create", args=[cast.traject.pk]),
        {
            "datum": datetime.date.today().isoformat(),
            "wat_er_gebeurde": "Rekenles over breuken met de pizza-methode",
            "geleerd": "",
            "version": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Logboekregel.objects.filter(traject=cast.traject).count() == 1
    assert "pizza-methode" in client.get(logboek).content.decode()
    client.force_login(cast.coach)
    assert "pizza-methode" in client.get(logboek).content.decode()


def test_the_overview_counts_a_new_report_while_redis_stalls(client, world, stalled_redis):
    with time_machine.travel(f.at(TODAY, 13), tick=False):
        assert figure(visit(client, world.coordinator, OVERVIEW)[0], "kern-aandacht") == "1"
        for number, day in ((4, 2), (5, 5)):
            f.slot(
                world.a1,
                number,
                datetime.date(2026, 6, day),
                signed=datetime.date(2026, 6, day + 1),
                koers="uit_koers",
            )
        assert figure(visit(client, world.coordinator, OVERVIEW)[0], "kern-aandacht") == "2"


def test_a_traject_moved_to_another_partnership_leaves_the_old_overview_at_once(client, world):
    """A traject moved to a school of another partnership (the admin changes its school):
    the old partnership's coordinator stops counting it on the next request, the new one
    counts it, and the side-entrant's page names the new school."""
    other_coordinator = f.UserFactory()
    other = world.elsewhere.school.bestuur.partnerschap
    other.coordinatoren.add(other_coordinator)
    before_old = figure(visit(client, world.coordinator, OVERVIEW)[0], "kern-n")
    before_new = figure(visit(client, other_coordinator, OVERVIEW)[0], "kern-n")
    assert (before_old, before_new) == ("6", "1")
    world.a1.school = world.elsewhere.school
    world.a1.save(update_fields=["school"])
    assert figure(visit(client, world.coordinator, OVERVIEW)[0], "kern-n") == "5"
    assert figure(visit(client, other_coordinator, OVERVIEW)[0], "kern-n") == "2"
    page = visit(client, world.a1.zij_instromer, reverse("trajecten:detail", args=[world.a1.pk]))
    assert world.elsewhere.school.name in page[0].content.decode()


def test_a_removed_role_leaves_the_navigation_at_once(client, world):
    assert 'href="/overzicht/"' in visit(client, world.coordinator, "/")[0].content.decode()
    world.ps.coordinatoren.remove(world.coordinator)
    assert 'href="/overzicht/"' not in visit(client, world.coordinator, "/")[0].content.decode()
    client.force_login(world.coordinator)
    assert client.get(OVERVIEW).status_code == 404


def test_a_new_signed_report_shows_at_once(client, world):
    """Two more 'uit koers' answers for Anna: off track twice, so she needs attention."""
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

    f.proeve(world.a2, 3, "voldoende")
    assert figure(visit(client, world.coordinator, OVERVIEW)[0], "kern-proeve") == "2 voldoende"

    traject_services.traject_role_change(
        traject=world.a2, rol="coach", user=f.UserFactory(), door=world.coordinator
    )
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
    f.signaal(world.a2.gesprekken.get(cycle_number=1), "ondersteuning", "Een mentor.", [world.team])
    after = visit(client, world.coordinator, SIGNALEN)[0]
    assert figure(after, "totaal-ondersteuning") == "2 citaten lezen"


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
    # Through the services, as people do it: a report signed by all three (locked), a
    # moved conversation, a change of coach. No factory shortcut stores a figure here.
    gesprek = f.slot(world.b_1, 5, datetime.date(2026, 6, 8), draft=True, koers="uit_koers")
    verslag = gesprek.verslag
    draft_signal = f.signaal(gesprek, "succes", "Het team helpt.")
    draft_signal.refresh_from_db()
    assert draft_signal.fig_traject_id is None  # a draft's signals do not count
    for rol in ("zij_instromer", "coach", "slb"):
        verslag = gesprek_services.verslag_sign(
            verslag=verslag, user=world.b_1.holder(rol), version=verslag.version
        )
    assert verslag.is_locked
    gesprek.refresh_from_db()
    assert gesprek.fig_signed_on == timezone.localdate(verslag.locked_at)
    draft_signal.refresh_from_db()
    assert draft_signal.fig_traject_id == world.b_1.pk
    assert draft_signal.fig_held_on == timezone.localdate(gesprek.starts_at)
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
    traject_services.traject_role_change(
        traject=world.a3, rol="coach", user=f.UserFactory(), door=world.coordinator
    )
    stored, computed = stored_and_computed()
    assert stored == computed
    assert stored[world.b_1.pk][:2] == ("uit_koers", "op_koers")
    assert stored[world.a3.pk][3] == 1


def test_refresh_figures_command_repairs_columns_written_by_hand(world):
    from django.core.management import call_command

    Traject.objects.update(fig_last_koers="", fig_proeve="", fig_coach_changes=0)
    signed = dict(
        Gesprek.objects.filter(fig_signed_on__isnull=False).values_list("pk", "fig_signed_on")
    )
    assert signed
    signals = dict(
        Signaal.objects.filter(fig_traject__isnull=False).values_list("pk", "fig_traject_id")
    )
    assert signals
    Gesprek.objects.update(fig_signed_on=None)
    Signaal.objects.update(fig_traject=None, fig_held_on=None)
    stored, computed = stored_and_computed()
    assert stored != computed
    call_command("refresh_figures", stdout=open("/dev/null", "w"))
    stored, computed = stored_and_computed()
    assert stored == computed
    assert signed == dict(
        Gesprek.objects.filter(fig_signed_on__isnull=False).values_list("pk", "fig_signed_on")
    )
    assert signals == dict(
        Signaal.objects.filter(fig_traject__isnull=False).values_list("pk", "fig_traject_id")
    )


def test_the_demo_data_has_its_figures_stored(db):
    """The demo back-dates reports with update(); its overview must still count them."""
    from django.core.management import call_command

    call_command("demo", verbosity=0, stdout=open("/dev/null", "w"))
    stored, computed = stored_and_computed()
    assert stored == computed
    assert any(figures[0] for figures in stored.values()), "no signed koers in the demo"

"""Signals from signed reports, by tag, school, board and quarter, with the quotes behind
each count; on the known data set of tests.factories.overview_world:

  a2 (De Akker, 10 Apr 2026, signed):  belemmering "De werkdruk is te hoog." [werkdruk]
                                       succes "Het team helpt mee." [team, werkdruk]
  b_1 (De Beuk, 1 Jun 2025, signed):   ondersteuning "Hulp bij het plannen..." (no tag)
  b_1 (De Beuk, 1 Sep 2025, draft):    belemmering "Concept: telt niet mee." - not counted
  b_2 (De Beuk, 1 Jul 2025, signed):   succes "De klas is rustiger." [team]
  Elsewhere (other partnership):       belemmering "Elders geklaagd." - never shown
"""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
SIGNALEN = reverse("portal:overzicht_signalen")
CITATEN = reverse("portal:overzicht_citaten")
SCHOOL_SIGNALEN = reverse("portal:school_signalen")
SCHOOL_CITATEN = reverse("portal:school_citaten")


@pytest.fixture
def world(db):
    with time_machine.travel(f.at(TODAY, 12), tick=False):
        yield f.overview_world()


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def counts(c) -> tuple[int, int, int]:
    return (c.counts["belemmering"], c.counts["ondersteuning"], c.counts["succes"])


def quote_texts(response) -> list[str]:
    return [s.tekst for s in response.context["page"]]


def test_totals_count_signals_of_signed_reports_only(client, world):
    p = get(client, world.coordinator, SIGNALEN).context["p"]
    assert counts(p.total) == (1, 1, 2) and p.total.total == 4


def test_signals_per_tag_count_a_signal_under_each_of_its_tags(client, world):
    tags = get(client, world.coordinator, SIGNALEN).context["p"].tags
    assert [(t["name"], counts(t["counts"])) for t in tags] == [
        ("team", (0, 0, 2)),
        ("werkdruk", (1, 0, 1)),
        (None, (0, 1, 0)),
    ]


def test_signals_per_board_and_per_school(client, world):
    p = get(client, world.coordinator, SIGNALEN).context["p"]
    assert p.level == "bestuur"
    assert [(g["obj"].pk, counts(g["counts"])) for g in p.groups] == [
        (world.b1.pk, (1, 0, 1)),
        (world.b2.pk, (0, 1, 1)),
    ]
    p = get(client, world.coordinator, SIGNALEN, bestuur=world.b2.pk).context["p"]
    assert p.level == "school"
    assert [(g["obj"].pk, counts(g["counts"])) for g in p.groups] == [
        (world.school_b.pk, (0, 1, 1))
    ]


def test_signals_per_quarter_of_the_conversation(client, world):
    quarters = get(client, world.coordinator, SIGNALEN).context["p"].quarters
    by_key = {q["quarter"].key: counts(q["counts"]) for q in quarters}
    assert by_key == {
        "2024-K3": (0, 0, 0),
        "2024-K4": (0, 0, 0),
        "2025-K1": (0, 0, 0),
        "2025-K2": (0, 1, 0),
        "2025-K3": (0, 0, 1),
        "2025-K4": (0, 0, 0),
        "2026-K1": (0, 0, 0),
        "2026-K2": (1, 0, 1),
    }


def test_filters_narrow_the_counts(client, world):
    p = get(client, world.coordinator, SIGNALEN, soort="succes").context["p"]
    assert counts(p.total) == (0, 0, 2)
    p = get(client, world.coordinator, SIGNALEN, periode="2025-K3").context["p"]
    assert counts(p.total) == (0, 0, 1)
    p = get(client, world.coordinator, SIGNALEN, tag=world.werkdruk.pk).context["p"]
    assert counts(p.total) == (1, 0, 1)
    p = get(client, world.coordinator, SIGNALEN, tag="geen").context["p"]
    assert counts(p.total) == (0, 1, 0)
    p = get(client, world.coordinator, SIGNALEN, school=world.school_a.pk).context["p"]
    assert counts(p.total) == (1, 0, 1) and p.level == "traject"


def test_each_count_links_to_its_quotes(client, world):
    response = get(client, world.coordinator, SIGNALEN)
    werkdruk = next(t for t in response.context["p"].tags if t["name"] == "werkdruk")
    succes_url = werkdruk["cells"]["soorten"][2]["url"]
    assert succes_url == f"{CITATEN}?tag={world.werkdruk.pk}&soort=succes"
    assert succes_url.replace("&", "&amp;") in response.content.decode()
    quotes = client.get(succes_url)
    assert quote_texts(quotes) == ["Het team helpt mee."]


def test_quotes_show_date_school_and_a_link_to_the_traject(client, world):
    response = get(client, world.coordinator, CITATEN)
    assert quote_texts(response) == [
        "De werkdruk is te hoog.",
        "Het team helpt mee.",
        "De klas is rustiger.",
        "Hulp bij het plannen van de studiedag.",
    ]
    page = response.content.decode()
    assert "10 Apr 2026" in page and "De Akker" in page
    assert reverse("trajecten:detail", args=[world.a2.pk]) in page
    assert "Concept: telt niet mee." not in page and "Elders geklaagd." not in page


def test_quotes_per_school_quarter_and_kind(client, world):
    response = get(
        client,
        world.coordinator,
        CITATEN,
        school=world.school_b.pk,
        periode="2025-K2",
        soort="ondersteuning",
    )
    assert quote_texts(response) == ["Hulp bij het plannen van de studiedag."]
    assert quote_texts(get(client, world.coordinator, CITATEN, tag="geen")) == [
        "Hulp bij het plannen van de studiedag."
    ]


def test_school_leader_sees_only_signals_of_their_school(client, world):
    p = get(client, world.leider_a, SCHOOL_SIGNALEN).context["p"]
    assert counts(p.total) == (1, 0, 1)
    response = get(client, world.leider_a, SCHOOL_CITATEN)
    assert quote_texts(response) == ["De werkdruk is te hoog.", "Het team helpt mee."]
    response = get(client, world.leider_a, SCHOOL_CITATEN, school=world.school_b.pk)
    assert "De klas is rustiger." not in response.content.decode()
    assert "Dirk Zijinstromer" not in response.content.decode()


def test_signal_pages_only_for_their_role(client, world):
    for url in (SIGNALEN, CITATEN):
        assert get(client, world.coordinator, url).status_code == 200
        for user in (world.leider_a, world.a2.slb, world.a2.zij_instromer, f.UserFactory()):
            assert get(client, user, url).status_code == 404
    for url in (SCHOOL_SIGNALEN, SCHOOL_CITATEN):
        assert get(client, world.leider_a, url).status_code == 200
        for user in (world.coordinator, world.a2.coach, f.UserFactory()):
            assert get(client, user, url).status_code == 404


@pytest.mark.parametrize("url", [SIGNALEN, CITATEN, SCHOOL_SIGNALEN, SCHOOL_CITATEN])
def test_anonymous_is_sent_to_login(client, world, url):
    response = client.get(url)
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_the_chart_reads_out_every_quarter(client, world):
    response = get(client, world.coordinator, SIGNALEN)
    svg = str(response.context["chart"])
    assert 'role="img"' in svg and "<title" in svg
    assert "K2 2026: Belemmering 1, Ondersteuningsbehoefte 0, Succes 1" in svg
    assert 'id="table-signalen-kwartaal"' in response.content.decode()


def grow(world, n: int) -> None:
    d = datetime.date
    for i in range(n):
        school = world.school_a if i % 2 else world.school_b
        t = f.TrajectFactory(school=school, start_date=d(2025, 1, 1), end_date=d(2026, 12, 31))
        g = f.slot(t, 1, d(2025, 4, 1), signed=d(2025, 4, 3), koers="op_koers")
        f.signaal(g, "succes", f"Succes {i}", [world.team])
        f.signaal(g, "belemmering", f"Belemmering {i}", [world.werkdruk, world.team])
        tag = f.SignaalTagFactory(partnerschap=world.ps, name=f"extra {i % 3}")
        f.signaal(g, "ondersteuning", f"Nodig {i}", [tag])


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("coordinator", SIGNALEN),
        ("coordinator", CITATEN),
        ("leider_a", SCHOOL_SIGNALEN),
        ("leider_a", SCHOOL_CITATEN),
    ],
)
def test_query_count_does_not_grow_with_the_number_of_signals(client, world, who, url):
    user = getattr(world, who)
    client.force_login(user)

    def count() -> int:
        """Queries of a cold visit (nothing cached), so the counts are computed."""
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    grow(world, 3)
    small = count()
    grow(world, 27)
    assert count() == small

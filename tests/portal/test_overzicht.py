"""The coordinator's and the school leader's overview, on a small known data set.

The data set (tests.factories.overview_world), seen on Monday 15 June 2026:

Stichting Een / De Akker
  a1 Anna  zib       opleiding      slots: 1 Dec on time (op koers), 1 Mar late (aandacht),
                                     1 Jun not due yet; coach changed once; plan v2 awaits school
  a2 Bram  versneld  proeve         ends 31 Aug 2026; 10 Jan + 10 Apr on time, both uit koers;
                                     Proeve: 1st onvoldoende, 2nd planned (lopend): in the
                                     Proeve stage
  a3 Cas   zib       intake         no conversations
Stichting Twee / De Beuk
  b_1 Dirk zib       scholingsplan  1 Jun 2025 on time (op koers); 1 Sep 2025 and 20 May 2026
                                     overdue; a vervallen and an extra one don't count; SLB
                                     changed twice
  b_2 Eva  zib       gestopt        two on time, both uit koers (not running: no attention)
  b_3 Fleur zib      afgerond       Proeve voldoende
Elsewhere (another partnership): Gijs, never shown.
"""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
OVERVIEW = reverse("portal:overzicht")
AANDACHT = reverse("portal:overzicht_aandacht")
TRAJECTEN = reverse("portal:overzicht_trajecten")
SCHOOL = reverse("portal:school_overzicht")
SCHOOL_AANDACHT = reverse("portal:school_aandacht")
SCHOOL_TRAJECTEN = reverse("portal:school_trajecten")


@pytest.fixture
def world(db):
    with time_machine.travel(f.at(TODAY, 12), tick=False):
        yield f.overview_world()


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


# --- The numbers ---------------------------------------------------------------------------


def test_coordinator_sees_the_partnership_in_numbers(client, world):
    total = get(client, world.coordinator, OVERVIEW).context["p"].total
    assert total.n == 6 and total.running == 4
    assert total.stages == {
        "intake": 1,
        "scholingsplan": 1,
        "opleiding": 1,
        "proeve": 1,
        "afgerond": 1,
        "gestopt": 1,
    }
    assert total.routes == {"zib": 5, "versneld": 1}
    assert total.stage_route[("proeve", "versneld")] == 1
    assert (total.on_time, total.late, total.overdue) == (6, 1, 2)
    assert total.on_time_pct == 67
    assert total.koers == {"op_koers": 1, "aandacht": 1, "uit_koers": 1}
    assert total.koers_unknown == 1
    assert (total.ends_soon, total.off_track_twice, total.attention) == (1, 1, 1)
    assert total.proeve == {"voldoende": 1, "onvoldoende": 0, "lopend": 1}
    assert (total.coach_changes, total.slb_changes, total.changed) == (1, 2, 2)


def test_key_figures_and_tables_show_the_same_numbers(client, world):
    page = get(client, world.coordinator, OVERVIEW).content.decode()
    assert re.search(r'id="kern-n">6<', page)
    assert re.search(r'id="kern-optijd">67%<', page)
    assert re.search(r'id="kern-achterstallig">2<', page)
    assert re.search(r'id="kern-aandacht">1<', page)
    assert re.search(r'id="kern-wissels">1 / 2<', page)
    assert "Gijs Zijinstromer" not in page


def test_coordinator_overview_is_per_board_first(client, world):
    p = get(client, world.coordinator, OVERVIEW).context["p"]
    assert p.level == "bestuur"
    een, twee = p.groups
    assert (een.obj.pk, een.obj.name, twee.obj.pk) == (world.b1.pk, world.b1.name, world.b2.pk)
    assert (een.figures.n, een.figures.on_time, een.figures.late, een.figures.overdue) == (
        3,
        3,
        1,
        0,
    )
    assert een.figures.koers == {"op_koers": 0, "aandacht": 1, "uit_koers": 1}
    assert een.figures.koers_unknown == 1
    assert (twee.figures.n, twee.figures.on_time, twee.figures.overdue) == (3, 3, 2)
    assert twee.figures.on_time_pct == 60
    assert twee.figures.koers == {"op_koers": 1, "aandacht": 0, "uit_koers": 0}
    assert (twee.figures.ends_soon, twee.figures.off_track_twice) == (0, 0)
    assert twee.figures.slb_changes == 2 and een.figures.coach_changes == 1


def test_drilling_down_goes_from_board_to_school_to_trajecten(client, world):
    response = get(client, world.coordinator, OVERVIEW)
    assert f'href="?bestuur={world.b2.pk}"' in response.content.decode()

    p = get(client, world.coordinator, OVERVIEW, bestuur=world.b2.pk).context["p"]
    assert p.level == "school" and p.groups == []  # one school: no table repeating the totals
    rows = get(client, world.coordinator, TRAJECTEN, bestuur=world.b2.pk).context["p"].rows
    assert {t.pk for t in rows} == {world.b_1.pk, world.b_2.pk, world.b_3.pk}

    response = get(client, world.coordinator, OVERVIEW, school=world.school_b.pk)
    p = response.context["p"]
    assert p.level == "traject" and p.groups == []
    # The tabs carry the filters: the trajecten tab shows this school's trajecten.
    tab = f"{TRAJECTEN}?school={world.school_b.pk}"
    assert tab in response.content.decode()
    response = get(client, world.coordinator, TRAJECTEN, school=world.school_b.pk)
    page = response.content.decode()
    assert reverse("trajecten:detail", args=[world.b_1.pk]) in page
    assert "Anna Zijinstromer" not in page
    crumbs = [c["label"] for c in response.context["crumbs"]]
    assert crumbs == ["Partnerschap West", "Stichting Twee", "De Beuk"]


def test_rows_show_each_trajects_figures(client, world):
    rows = {t.pk: t for t in get(client, world.coordinator, TRAJECTEN).context["p"].rows}
    a1, a2, b_1 = rows[world.a1.pk], rows[world.a2.pk], rows[world.b_1.pk]
    assert (a1.n_on_time, a1.n_late, a1.n_overdue) == (1, 1, 0)
    assert (a1.last_koers, a1.prev_koers, a1.coach_changes) == ("aandacht", "op_koers", 1)
    assert (a2.stage, a2.proeve, a2.last_koers, a2.prev_koers) == (
        "proeve",
        "lopend",
        "uit_koers",
        "uit_koers",
    )
    assert (b_1.stage, b_1.n_on_time, b_1.n_overdue, b_1.slb_changes) == ("scholingsplan", 1, 2, 2)
    assert rows[world.b_3.pk].proeve == "voldoende"
    assert rows[world.a3.pk].last_koers == ""  # no signed answer yet
    assert world.elsewhere.pk not in rows


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"route": "versneld"}, {"a2"}),
        ({"cohort": "2025-09"}, {"a1"}),
        ({"fase": "intake"}, {"a3"}),
        ({"fase": "opleiding", "bestuur": "b1"}, {"a1"}),
        ({"fase": "proeve"}, {"a2"}),
        ({"school": "school_b", "fase": "gestopt"}, {"b_2"}),
    ],
)
def test_filters_narrow_every_number(client, world, params, expected):
    params = {k: getattr(world, v).pk if v in ("b1", "school_b") else v for k, v in params.items()}
    p = get(client, world.coordinator, TRAJECTEN, **params).context["p"]
    assert {t.pk for t in p.rows} == {getattr(world, name).pk for name in expected}
    assert get(client, world.coordinator, OVERVIEW, **params).context["p"].total.n == len(expected)


def test_route_filter_changes_the_figures(client, world):
    total = get(client, world.coordinator, OVERVIEW, route="versneld").context["p"].total
    assert (total.n, total.on_time, total.late, total.overdue) == (1, 2, 0, 0)
    assert total.proeve["lopend"] == 1 and total.attention == 1


def test_a_filter_value_outside_the_scope_is_ignored(client, world):
    other_school = f.SchoolFactory()
    response = get(client, world.coordinator, OVERVIEW, school=other_school.pk, cohort="1999-01")
    assert response.status_code == 200
    assert response.context["p"].total.n == 6
    assert response.context["p"].form.errors


def test_on_time_share_per_quarter(client, world):
    quarters = get(client, world.coordinator, OVERVIEW).context["p"].quarters
    assert [q["quarter"].key for q in quarters][0] == "2024-K3"
    by_key = {q["quarter"].key: (q["on_time"], q["late"], q["overdue"], q["pct"]) for q in quarters}
    assert by_key["2025-K2"] == (2, 0, 0, 100)
    assert by_key["2025-K3"] == (1, 0, 1, 50)
    assert by_key["2025-K4"] == (1, 0, 0, 100)
    assert by_key["2026-K1"] == (1, 1, 0, 50)
    assert by_key["2026-K2"] == (1, 0, 1, 50)
    assert by_key["2024-K4"] == (0, 0, 0, None)


def test_overdue_reports_are_listed_oldest_first(client, world):
    p = get(client, world.coordinator, AANDACHT).context["p"]
    overdue = p.overdue
    assert p.n_overdue == 2
    assert [(g.traject_id, g.planned_for) for g in overdue] == [
        (world.b_1.pk, datetime.date(2025, 9, 1)),
        (world.b_1.pk, datetime.date(2026, 5, 20)),
    ]


def test_a_report_signed_on_the_fourteenth_day_is_on_time_and_on_the_fifteenth_late(client, world):
    t = f.TrajectFactory(
        school=world.school_a,
        start_date=datetime.date(2025, 11, 1),
        end_date=datetime.date(2027, 10, 31),
    )
    f.slot(t, 1, datetime.date(2026, 2, 1), signed=datetime.date(2026, 2, 15), koers="op_koers")
    f.slot(t, 2, datetime.date(2026, 5, 1), signed=datetime.date(2026, 5, 16), koers="op_koers")
    rows = get(client, world.coordinator, TRAJECTEN, school=world.school_a.pk).context["p"].rows
    row = next(r for r in rows if r.pk == t.pk)
    assert (row.n_on_time, row.n_late) == (1, 1)


def test_missing_reports_of_a_stopped_traject_are_not_overdue(client, world):
    f.slot(world.b_2, 3, datetime.date(2025, 10, 1))  # never reported, then the traject stopped
    total = get(client, world.coordinator, OVERVIEW).context["p"].total
    assert (total.on_time, total.overdue) == (6, 2)


def test_a_board_with_two_schools_drills_down_to_its_schools(client, world):
    school_c = f.SchoolFactory(bestuur=world.b2, name="De Ceder")
    c1 = f.TrajectFactory(
        school=school_c, start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2027, 12, 31)
    )
    f.slot(c1, 1, datetime.date(2026, 4, 1))  # overdue
    response = get(client, world.coordinator, OVERVIEW, bestuur=world.b2.pk)
    p = response.context["p"]
    assert [(g.obj.pk, g.figures.n, g.figures.overdue) for g in p.groups] == [
        (world.school_b.pk, 3, 2),
        (school_c.pk, 1, 1),
    ]
    assert f'href="?bestuur={world.b2.pk}&amp;school={school_c.pk}"' in response.content.decode()
    assert p.total.n == 4 and p.total.overdue == 3


def test_attention_lists_ending_or_twice_off_track_once(client, world):
    p = get(client, world.coordinator, AANDACHT).context["p"]
    attention = p.attention
    assert p.n_attention == 1
    assert [(t.pk, t.is_ending, t.is_off_track_twice) for t in attention] == [
        (world.a2.pk, True, True)
    ]


def test_off_track_once_after_an_answer_in_between_is_not_twice(client, world):
    f.slot(
        world.a1, 4, datetime.date(2026, 6, 2), signed=datetime.date(2026, 6, 3), koers="uit_koers"
    )
    total = get(client, world.coordinator, OVERVIEW).context["p"].total
    assert total.off_track_twice == 1
    f.slot(
        world.a1, 5, datetime.date(2026, 6, 5), signed=datetime.date(2026, 6, 6), koers="uit_koers"
    )
    total = get(client, world.coordinator, OVERVIEW).context["p"].total
    assert total.off_track_twice == 2 and total.koers["uit_koers"] == 2


# --- Charts --------------------------------------------------------------------------------


def test_charts_are_accessible_svg_with_a_data_table(client, world):
    response = get(client, world.coordinator, OVERVIEW)
    page = response.content.decode()
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]
    for chart in ("chart-stage", "chart-on-time", "chart-koers"):
        svg = str(response.context[chart.replace("chart-", "").replace("-", "_") + "_chart"])
        assert 'role="img"' in svg and f'aria-labelledby="{chart}-title {chart}-desc"' in svg
        assert "style=" not in svg
    stage = str(response.context["stage_chart"])
    assert "Opleiding: 1" in stage and "Proeve: 1" in stage and "Intake: 1" in stage
    on_time = str(response.context["on_time_chart"])
    assert "K4 2025: 100% op tijd (1 van 1)" in on_time
    assert 'id="table-fase"' in page and 'id="table-kwartaal"' in page


# --- School leader -------------------------------------------------------------------------


def test_school_leader_sees_only_their_own_school(client, world):
    response = get(client, world.leider_a, SCHOOL)
    p = response.context["p"]
    assert p.total.n == 3 and p.level == "school" and p.groups == []
    rows = get(client, world.leider_a, SCHOOL_TRAJECTEN).context["p"].rows
    assert {t.pk for t in rows} == {world.a1.pk, world.a2.pk, world.a3.pk}
    assert (p.total.on_time, p.total.late, p.total.overdue) == (3, 1, 0)
    page = response.content.decode()
    for name in ("Dirk", "Eva", "Fleur", "Gijs"):
        assert f"{name} Zijinstromer" not in page
    assert "De Beuk" not in page


def test_school_leader_of_a_school_without_trajecten_sees_empty_lists(client, world):
    leider = f.UserFactory()
    f.SchoolFactory(bestuur=world.school_a.bestuur).leiders.add(leider)
    assert get(client, leider, SCHOOL).context["p"].total.n == 0
    response = get(client, leider, SCHOOL_AANDACHT)
    p = response.context["p"]
    assert (p.attention, p.overdue, p.n_attention, p.n_overdue) == ([], [], 0, 0)
    page = response.content.decode()
    assert "Geen trajecten die nu aandacht vragen." in page
    assert "Geen achterstallige verslagen." in page
    response = get(client, leider, SCHOOL_TRAJECTEN)
    assert response.context["p"].rows == []
    page = response.content.decode()
    assert "Geen trajecten bij deze filters." in page
    assert "Anna Zijinstromer" not in page


def test_school_leader_cannot_filter_onto_another_school(client, world):
    for params in ({"school": world.school_b.pk}, {"bestuur": world.b2.pk}):
        response = get(client, world.leider_a, SCHOOL_TRAJECTEN, **params)
        assert {t.pk for t in response.context["p"].rows} == {world.a1.pk, world.a2.pk, world.a3.pk}
        assert "Dirk Zijinstromer" not in response.content.decode()


def test_school_leader_sees_the_plans_awaiting_their_agreement(client, world):
    response = get(client, world.leider_a, SCHOOL)
    assert [v.plan.traject_id for v in response.context["to_agree"]] == [world.a1.pk]
    assert reverse("trajecten:plan", args=[world.a1.pk]) in response.content.decode()
    assert [v.plan.traject_id for v in get(client, world.leider_b, SCHOOL).context["to_agree"]] == [
        world.b_1.pk
    ]


def test_a_leader_of_two_schools_gets_a_row_per_school(client, world):
    world.school_b.leiders.add(world.leider_a)
    p = get(client, world.leider_a, SCHOOL).context["p"]
    assert [(g.obj.pk, g.figures.n) for g in p.groups] == [
        (world.school_a.pk, 3),
        (world.school_b.pk, 3),
    ]


# --- Access --------------------------------------------------------------------------------


def test_only_coordinators_of_the_partnership_see_its_overview(client, world):
    assert get(client, world.coordinator, OVERVIEW).status_code == 200
    for user in (
        world.leider_a,
        world.a1.coach,
        world.a1.slb,
        world.a1.zij_instromer,
        f.UserFactory(),
    ):
        assert get(client, user, OVERVIEW).status_code == 404
    other = f.UserFactory()
    f.PartnerschapFactory().coordinatoren.add(other)
    assert get(client, other, OVERVIEW, partnerschap=world.ps.pk).status_code == 404
    assert get(client, world.coordinator, OVERVIEW, partnerschap="x").status_code == 404


def test_a_coordinator_of_two_partnerships_chooses_one(client, world):
    other = f.PartnerschapFactory(name="Partnerschap Oost")
    other.coordinatoren.add(world.coordinator)
    school = f.SchoolFactory(bestuur=f.SchoolbestuurFactory(partnerschap=other))
    f.TrajectFactory(school=school)
    response = get(client, world.coordinator, OVERVIEW, partnerschap=other.pk)
    assert response.context["p"].total.n == 1
    assert response.context["urls"]["signalen"].endswith(f"?partnerschap={other.pk}")
    assert f'name="partnerschap" value="{other.pk}"' in response.content.decode()
    assert (
        get(client, world.coordinator, OVERVIEW, partnerschap=world.ps.pk).context["p"].total.n == 6
    )


def test_only_school_leaders_see_the_school_overview(client, world):
    assert get(client, world.leider_a, SCHOOL).status_code == 200
    for user in (world.coordinator, world.a1.coach, world.a1.zij_instromer, f.UserFactory()):
        assert get(client, user, SCHOOL).status_code == 404


@pytest.mark.parametrize("url", [OVERVIEW, SCHOOL])
def test_anonymous_is_sent_to_login(client, world, url):
    response = client.get(url)
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_the_start_page_and_menu_link_the_overviews(client, world):
    page = get(client, world.coordinator, reverse("portal:home")).content.decode()
    assert OVERVIEW in page and reverse("portal:overzicht_signalen") in page
    page = get(client, world.leider_a, reverse("portal:home")).content.decode()
    assert SCHOOL in page and OVERVIEW not in page


# --- Performance ---------------------------------------------------------------------------


def grow(world, n: int) -> None:
    """`n` more trajecten at both schools, each with signed conversations, signals, a plan,
    a Proeve and role history: everything a row or a count reads."""
    d = datetime.date
    for i in range(n):
        school = world.school_a if i % 2 else world.school_b
        t = f.TrajectFactory(school=school, start_date=d(2025, 1, 1), end_date=d(2026, 12, 31))
        f.onderzoek_positief(t)
        f.planversie(t, "vastgesteld")
        g = f.slot(t, 1, d(2025, 4, 1), signed=d(2025, 4, 3), koers="uit_koers")
        f.signaal(g, "succes", f"Succes {i}", [world.team])
        f.slot(t, 2, d(2025, 7, 1), signed=d(2025, 7, 30), koers="uit_koers")
        f.slot(t, 3, d(2025, 10, 1))
        f.toewijzing(t, "coach", t.coach, d(2025, 1, 1))
        f.toewijzing(t, "coach", t.duo, d(2025, 6, 1))
        f.proeve(t, 1, "voldoende" if i % 3 else "")


def count_queries(client, user, url, **params) -> int:
    """Queries of a cold visit: nothing in the cache (portal.overview.cache, role summary),
    so the figures are computed."""
    from django.core.cache import cache

    client.force_login(user)
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("who", "url", "params"),
    [
        ("coordinator", OVERVIEW, {}),
        ("coordinator", OVERVIEW, {"bestuur": "b1", "fase": "opleiding"}),
        ("coordinator", AANDACHT, {}),
        ("coordinator", TRAJECTEN, {"bestuur": "b1", "fase": "opleiding"}),
        ("leider_a", SCHOOL, {}),
        ("leider_a", SCHOOL_AANDACHT, {}),
        ("leider_a", SCHOOL_TRAJECTEN, {}),
    ],
)
def test_query_count_does_not_grow_with_the_number_of_trajecten(client, world, who, url, params):
    user = getattr(world, who)
    params = {k: world.b1.pk if v == "b1" else v for k, v in params.items()}
    grow(world, 3)
    small = count_queries(client, user, url, **params)
    grow(world, 27)
    large = count_queries(client, user, url, **params)
    assert small == large
    assert large <= 22


def test_the_traject_rows_come_a_page_at_a_time_with_the_filters_kept(client, world):
    for i in range(56):
        f.TrajectFactory(
            school=world.school_b if i % 2 else world.school_a,
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2027, 12, 31),
        )
    response = get(client, world.coordinator, TRAJECTEN, route="zib")
    html = response.content.decode()
    first = [t.pk for t in response.context["p"].rows]
    assert len(first) == 50 and "Pagina 1 van 2" in html
    assert "?route=zib&amp;page=2" in html
    second = get(client, world.coordinator, TRAJECTEN, route="zib", page=2)
    rest = [t.pk for t in second.context["p"].rows]
    assert "Pagina 2 van 2" in second.content.decode()
    assert "?route=zib&amp;page=1" in second.content.decode()
    assert not set(first) & set(rest)
    assert len(first) + len(rest) == second.context["p"].page.paginator.count


def test_the_school_filter_waits_for_a_board(client, world):
    """With several boards, the school list offers the chosen board's schools only (a
    partnership's thousand schools in one list help nobody); a school chosen from the table
    stays a valid choice."""
    form = get(client, world.coordinator, OVERVIEW).context["p"].form
    assert [value for value, _label in form.fields["school"].choices] == [""]
    assert form.fields["school"].help_text
    form = get(client, world.coordinator, OVERVIEW, bestuur=world.b2.pk).context["p"].form
    assert [value for value, _label in form.fields["school"].choices] == [
        "",
        str(world.school_b.pk),
    ]
    response = get(client, world.coordinator, OVERVIEW, school=world.school_b.pk)
    form = response.context["p"].form
    assert form.is_valid() and form.cleaned_data["school"] == world.school_b.pk
    assert response.context["p"].level == "traject"


@pytest.mark.parametrize(
    "url", [OVERVIEW, AANDACHT, TRAJECTEN, reverse("portal:overzicht_signalen")]
)
def test_a_submitted_filter_form_with_an_empty_partnership_answers_200(client, world, url):
    """The filter form sends every field, the hidden partnership too: empty means the
    coordinator's own (it answered 404, issue 18 case 5); a value that is not an id still
    answers 404."""
    params = {"partnerschap": "", "bestuur": "", "school": "", "fase": "opleiding"}
    response = get(client, world.coordinator, url, **params)
    assert response.status_code == 200
    assert get(client, world.coordinator, url, partnerschap="x").status_code == 404

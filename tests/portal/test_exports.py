"""CSV exports of the overview and the signals: re-authentication, audit, Dutch Excel format,
the same filters and scope as the page (known data set: tests.factories.overview_world)."""

import csv
import datetime
import io
import time

import pytest
import time_machine
from django.urls import reverse

from portal.exports import cell
from portal.models import AuditEvent
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
EXPORT = reverse("portal:overzicht_export")
SIGNALEN_EXPORT = reverse("portal:overzicht_signalen_export")
SCHOOL_EXPORT = reverse("portal:school_export")
SCHOOL_SIGNALEN_EXPORT = reverse("portal:school_signalen_export")


@pytest.fixture
def world(db):
    with time_machine.travel(f.at(TODAY, 12), tick=False):
        yield f.overview_world()


def reauthenticated(client, user):
    """Log in through the real login page, then mark a fresh re-authentication."""
    client.post(reverse("account_login"), {"login": user.email, "password": f.PASSWORD})
    session = client.session
    records = session.get("account_authentication_methods", [])
    records.append({"method": "password", "at": time.time(), "reauthenticated": True})
    session["account_authentication_methods"] = records
    session.save()
    return client


def rows_of(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def as_dicts(response) -> list[dict]:
    header, *rows = rows_of(response)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_export_needs_a_fresh_reauthentication(client, world):
    client.force_login(world.coordinator)
    response = client.get(EXPORT)
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response["Location"]
    assert not AuditEvent.objects.filter(action="export.overview").exists()


def test_overview_export_is_a_dutch_excel_csv_with_a_row_per_traject(client, world):
    reauthenticated(client, world.coordinator)
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="lev-overzicht-2026-06-15.csv"' == response["Content-Disposition"]
    rows = {r["Zij-instromer"]: r for r in as_dicts(response)}
    assert set(rows) == {
        f"{n} Zijinstromer" for n in ("Anna", "Bram", "Cas", "Dirk", "Eva", "Fleur")
    }
    bram = rows["Bram Zijinstromer"]
    assert bram["Startdatum"] == "01-09-2024" and bram["Einddatum"] == "31-08-2026"
    assert bram["Route"] == "Versneld voor de klas" and bram["School"] == "De Akker"
    assert bram["Bestuur"] == "Stichting Een" and bram["Fase"] == "Proeve"
    assert (bram["Laatste koers"], bram["Koers daarvoor"]) == ("Uit koers", "Uit koers")
    assert bram["Eindigt binnen zes maanden"] == "ja" and bram["Twee keer uit koers"] == "ja"
    assert bram["Proeve"] == "nog geen uitslag"
    dirk = rows["Dirk Zijinstromer"]
    assert (
        dirk["Gesprekken op tijd"],
        dirk["Gesprekken te laat"],
        dirk["Gesprekken achterstallig"],
    ) == ("1", "0", "2")
    assert (dirk["Wissels coach"], dirk["Wissels SLB"]) == ("0", "2")
    assert rows["Eva Zijinstromer"]["Twee keer uit koers"] == "nee"  # gestopt


def test_export_follows_the_filters_and_is_audited(client, world):
    reauthenticated(client, world.coordinator)
    response = client.get(EXPORT, {"bestuur": world.b2.pk, "fase": "gestopt"})
    assert [r["Zij-instromer"] for r in as_dicts(response)] == ["Eva Zijinstromer"]
    event = AuditEvent.objects.get(action="export.overview")
    assert event.actor == world.coordinator
    assert event.object_id == str(world.ps.pk)
    assert event.detail == {
        "scope": "coordinator",
        "filters": {"bestuur": world.b2.pk, "fase": "gestopt"},
        "rows": 1,
    }


def test_school_leader_exports_only_their_own_school(client, world):
    reauthenticated(client, world.leider_a)
    response = client.get(SCHOOL_EXPORT, {"school": world.school_b.pk})
    names = {r["Zij-instromer"] for r in as_dicts(response)}
    assert names == {"Anna Zijinstromer", "Bram Zijinstromer", "Cas Zijinstromer"}
    assert AuditEvent.objects.get(action="export.overview").detail["scope"] == "schoolleider"


def test_signals_export(client, world):
    reauthenticated(client, world.coordinator)
    response = client.get(SIGNALEN_EXPORT, {"tag": world.werkdruk.pk})
    rows = as_dicts(response)
    assert [(r["Soort"], r["Citaat"], r["Tags"]) for r in rows] == [
        ("Belemmering", "De werkdruk is te hoog.", "werkdruk"),
        ("Succes", "Het team helpt mee.", "team, werkdruk"),
    ]
    assert rows[0]["Datum gesprek"] == "10-04-2026" and rows[0]["School"] == "De Akker"
    assert rows[0]["Traject"] == str(world.a2.pk)
    event = AuditEvent.objects.get(action="export.signalen")
    assert event.detail["rows"] == 2 and event.detail["filters"] == {"tag": str(world.werkdruk.pk)}


def test_school_leader_signals_export_stays_within_the_school(client, world):
    reauthenticated(client, world.leider_a)
    rows = as_dicts(client.get(SCHOOL_SIGNALEN_EXPORT))
    assert {r["School"] for r in rows} == {"De Akker"} and len(rows) == 2


@pytest.mark.parametrize("url", [EXPORT, SIGNALEN_EXPORT])
def test_others_get_404_before_any_reauthentication(client, world, url):
    for user in (world.leider_a, world.a1.slb, f.UserFactory()):
        client.force_login(user)
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", [SCHOOL_EXPORT, SCHOOL_SIGNALEN_EXPORT])
def test_only_school_leaders_reach_the_school_exports(client, world, url):
    for user in (world.coordinator, world.a1.coach, f.UserFactory()):
        client.force_login(user)
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", [EXPORT, SIGNALEN_EXPORT, SCHOOL_EXPORT, SCHOOL_SIGNALEN_EXPORT])
def test_anonymous_is_sent_to_login(client, world, url):
    response = client.get(url)
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_the_overview_page_links_the_export_with_its_filters(client, world):
    client.force_login(world.coordinator)
    page = client.get(reverse("portal:overzicht"), {"route": "zib"}).content.decode()
    assert f'href="{EXPORT}?route=zib"' in page


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (True, "ja"),
        (datetime.date(2026, 1, 2), "02-01-2026"),
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+31 6", "'+31 6"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Gewone tekst; met puntkomma", "Gewone tekst; met puntkomma"),
        (7, "7"),
    ],
)
def test_cells_are_safe_for_excel(value, expected):
    assert cell(value) == expected


def test_a_name_that_looks_like_a_formula_is_defused_in_the_file(client, world):
    world.a1.zij_instromer.first_name = "=cmd"
    world.a1.zij_instromer.save(update_fields=["first_name"])
    reauthenticated(client, world.coordinator)
    names = [r["Zij-instromer"] for r in as_dicts(client.get(EXPORT))]
    assert "'=cmd Zijinstromer" in names


@pytest.mark.parametrize("url", [EXPORT, SIGNALEN_EXPORT])
def test_export_query_count_does_not_grow_with_the_number_of_trajecten(client, world, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.portal.test_overzicht import grow

    reauthenticated(client, world.coordinator)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        return len(ctx.captured_queries), len(rows_of(response))

    grow(world, 3)
    small, small_rows = count()
    grow(world, 27)
    large, large_rows = count()
    assert large_rows > small_rows
    assert small == large

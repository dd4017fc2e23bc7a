"""Planning around holidays (issue 18, case 4): the quarterly conversations avoid weekends,
Dutch public holidays and the school holidays of the school's region; the rhythm counts
from the start; the school holidays are data, shipped and imported in the government's
open-data format."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from gesprekken.models import Gesprek
from gesprekken.planning import cycle_dates
from gesprekken.services import gesprek_cycle_plan
from portal import schoolvakanties
from portal.kalender import kalender_of, school_year_of
from portal.models import Schoolvakantie

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_shipped_school_holidays_are_loaded_for_every_region():
    years = set(Schoolvakantie.objects.values_list("schooljaar", flat=True))
    assert {"2025-2026", "2026-2027"} <= years
    for year in ("2025-2026", "2026-2027"):
        rows = Schoolvakantie.objects.filter(schooljaar=year)
        for naam in ("Herfstvakantie", "Voorjaarsvakantie", "Zomervakantie"):
            assert set(rows.filter(naam=naam).values_list("regio", flat=True)) == {
                "noord",
                "midden",
                "zuid",
            }
        for naam in ("Kerstvakantie", "Meivakantie"):
            assert rows.get(naam=naam).regio == "heel"


@pytest.mark.parametrize(
    "day, why",
    [
        (D(2027, 1, 1), "Nieuwjaarsdag"),  # a Friday: public holiday
        (D(2026, 12, 28), "Kerstvakantie"),  # everywhere
        (D(2027, 4, 27), "Koningsdag"),
        (D(2027, 8, 2), "Zomervakantie"),  # every region's summer holiday in 2027
    ],
)
def test_closed_days(day, why):
    kalender = kalender_of("midden", D(2026, 8, 1), D(2028, 7, 31))
    assert not kalender.is_open(day)
    assert why in kalender.why_closed(day)


def test_the_region_counts_and_an_unknown_region_avoids_them_all():
    # Voorjaarsvakantie 2027: zuid 6-14 February, noord 20-28 February (shipped data).
    zuid = kalender_of("zuid", D(2027, 1, 1), D(2027, 3, 31))
    noord = kalender_of("noord", D(2027, 1, 1), D(2027, 3, 31))
    unknown = kalender_of("", D(2027, 1, 1), D(2027, 3, 31))
    assert not zuid.is_open(D(2027, 2, 8)) and noord.is_open(D(2027, 2, 8))
    assert zuid.is_open(D(2027, 2, 22)) and not noord.is_open(D(2027, 2, 22))
    assert not unknown.is_open(D(2027, 2, 8)) and not unknown.is_open(D(2027, 2, 22))


def test_the_cycle_steps_around_new_year_and_the_summer_and_keeps_its_rhythm():
    """A traject starting 1 October 2026: the slot of 1 January 2027 (a public holiday in
    the Christmas holiday) moves to the first school day after, 4 January; the slot of
    1 July 2027 is a school day in midden; the slot of 1 October keeps the first of the
    month (the moved slot does not shift the rhythm)."""
    kalender = kalender_of("midden", D(2026, 10, 1), D(2028, 9, 30))
    slots = dict(cycle_dates(D(2026, 10, 1), D(2028, 9, 30), kalender.is_open))
    assert slots[1] == D(2027, 1, 4)
    assert slots[2] == D(2027, 4, 1)
    assert slots[3] == D(2027, 7, 1)
    assert slots[4] == D(2027, 10, 1)
    for day in slots.values():
        assert kalender.is_open(day), day


def test_a_slot_deep_in_the_summer_holiday_moves_before_it_not_six_weeks_later():
    kalender = kalender_of("noord", D(2027, 1, 1), D(2028, 12, 31))
    # Noord: summer holiday 24 July - 5 September 2027. A slot on 2 August 2027.
    slots = dict(cycle_dates(D(2027, 5, 2), D(2029, 5, 1), kalender.is_open))
    assert slots[1] == D(2027, 7, 23)  # the last school day before the holiday (a Friday)


def test_the_planned_cycle_of_a_school_avoids_its_holidays(cast):
    school = cast.traject.school
    school.regio = "zuid"
    school.save(update_fields=["regio"])
    traject = cast.traject
    traject.start_date = D(2026, 11, 6)
    traject.end_date = D(2028, 11, 5)
    traject.save(update_fields=["start_date", "end_date"])
    gesprek_cycle_plan(traject=traject, include_past=True)
    kalender = kalender_of("zuid", traject.start_date, traject.end_date)
    planned = list(
        Gesprek.objects.filter(traject=traject, soort="cyclus").values_list(
            "planned_for", flat=True
        )
    )
    assert planned
    assert all(kalender.is_open(day) for day in planned)
    # 6 February 2027 falls in zuid's voorjaarsvakantie (6-14 February): moved to the 15th.
    assert D(2027, 2, 15) in planned


# --- the open-data import ---------------------------------------------------------------------


def _document(year="2027-2028", start="2027-10-16T00:00:00.000Z", end="2027-10-24T00:00:00.000Z"):
    return {
        "content": [
            {
                "schoolyear": year,
                "vacations": [
                    {
                        "type": "Herfstvakantie ",
                        "compulsorydates": "false",
                        "regions": [
                            {"region": "noord", "startdate": start, "enddate": end},
                            {"region": "heel Nederland", "startdate": start, "enddate": end},
                        ],
                    }
                ],
            }
        ]
    }


def test_the_import_command_reads_the_government_format_and_replaces_only_that_year(tmp_path):
    before_2026 = Schoolvakantie.objects.filter(schooljaar="2026-2027").count()
    path = tmp_path / "vakanties.json"
    path.write_text(json.dumps(_document()), encoding="utf-8")
    call_command("schoolvakanties_import", str(path))
    rows = Schoolvakantie.objects.filter(schooljaar="2027-2028")
    assert {(r.naam, r.regio, r.eerste_dag, r.laatste_dag) for r in rows} == {
        ("Herfstvakantie", "noord", D(2027, 10, 16), D(2027, 10, 24)),
        ("Herfstvakantie", "heel", D(2027, 10, 16), D(2027, 10, 24)),
    }
    call_command("schoolvakanties_import", str(path))  # again: the same rows, not twice
    assert rows.count() == 2
    assert Schoolvakantie.objects.filter(schooljaar="2026-2027").count() == before_2026


def test_a_date_given_as_local_midnight_in_utc_is_the_dutch_day():
    rows = schoolvakanties.parse(
        _document(start="2027-10-15T22:00:00.000Z", end="2027-10-23T22:00:00.000Z")
    )
    assert (rows[0].eerste_dag, rows[0].laatste_dag) == (D(2027, 10, 16), D(2027, 10, 24))


@pytest.mark.parametrize(
    "document, message",
    [
        ({"nope": []}, "geen bestand met schoolvakanties"),
        (_document(year="2027"), "Onbekend schooljaar"),
        (_document(end="2027-10-01T00:00:00.000Z"), "kloppen niet"),
        (_document(start="gisteren"), "ongeldig"),
        (_document(year="2030-2031"), "valt niet in schooljaar"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message_and_stores_nothing(tmp_path, document, message):
    with pytest.raises(ValidationError, match=message):
        schoolvakanties.parse(document)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    before = Schoolvakantie.objects.count()
    with pytest.raises(CommandError):
        call_command("schoolvakanties_import", str(path))
    assert Schoolvakantie.objects.count() == before


def test_school_year_of():
    assert school_year_of(D(2027, 7, 31)) == "2026-2027"
    assert school_year_of(D(2027, 8, 1)) == "2027-2028"


def test_the_register_import_takes_the_region_where_the_file_says_so():
    from portal.registers import read_register

    data = (
        b"VESTIGINGSNUMMER;VESTIGINGSNAAM;PLAATSNAAM;BEVOEGD GEZAG NUMMER;REGIO\n"
        b"12AB00;De Linde;Utrecht;41234;Midden\n"
        b"12AC00;De Eik;Zwolle;41234;oost\n"
    )
    rows, errors, _n = read_register(data)
    assert [r.regio for r in rows] == ["midden"]
    assert len(errors) == 1 and "geen noord, midden of zuid" in errors[0].message


def test_the_register_import_stores_the_region_and_keeps_a_known_one(cast):
    from portal.models import School
    from portal.registers import scholen_import

    ps = cast.traject.school.bestuur.partnerschap
    header = "VESTIGINGSNUMMER;VESTIGINGSNAAM;PLAATSNAAM;BEVOEGD GEZAG NUMMER;REGIO\n"
    scholen_import(
        partnerschap=ps, data=(header + "12AB00;De Linde;Utrecht;41234;midden\n").encode()
    )
    assert School.objects.get(brin="12AB00").regio == "midden"
    scholen_import(partnerschap=ps, data=(header + "12AB00;De Linde;Utrecht;41234;\n").encode())
    assert School.objects.get(brin="12AB00").regio == "midden"  # an empty column keeps it


def test_the_cycle_page_names_the_region_and_warns_of_years_without_holidays(client, cast):
    import time_machine
    from django.urls import reverse

    school = cast.traject.school
    school.regio = "zuid"
    school.save(update_fields=["regio"])
    traject = cast.traject
    traject.start_date, traject.end_date = D(2026, 11, 6), D(2028, 8, 31)
    traject.save(update_fields=["start_date", "end_date"])
    url = reverse("gesprekken:cyclus", args=[traject.pk])
    with time_machine.travel(datetime.datetime(2026, 12, 4, 9, tzinfo=datetime.UTC)):
        gesprek_cycle_plan(traject=traject)
        client.force_login(cast.slb)
        page = client.get(url).content.decode()
        assert "schoolvakanties van regio zuid" in page
        # 6 February 2027 is in zuid's voorjaarsvakantie: the page says why the 15th.
        assert "niet op 6 februari (Voorjaarsvakantie)" in page
        assert "De schoolvakanties van 2027-2028, 2028-2029 staan nog niet in Lev" in page
        client.force_login(cast.zij_instromer)
        assert "staan nog niet in Lev" not in client.get(url).content.decode()


def test_the_public_holidays_are_named_in_the_readers_language():
    from django.utils import translation

    with translation.override("en"):
        kalender = kalender_of("midden", D(2027, 1, 1), D(2027, 12, 31))
        assert kalender.why_closed(D(2027, 1, 1)) == "New Year's Day"
    with translation.override("nl"):
        kalender = kalender_of("midden", D(2027, 1, 1), D(2027, 12, 31))
        assert kalender.why_closed(D(2027, 1, 1)) == "Nieuwjaarsdag"

"""Which days a school is open: not on weekends, Dutch public holidays (the `holidays`
library) or the school holidays of the school's region (`Schoolvakantie`, reference data).
The conversation cycle plans on open days only (gesprekken.planning).

A school without a known region gets the holidays of all three regions: better a
conversation a week later than one in somebody's holiday.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

import holidays as public_holidays
from django.utils.translation import get_language

from .models import Schoolvakantie

REGIONS = ("noord", "midden", "zuid")


@dataclass
class Kalender:
    """The closed days of one region: weekends are closed too."""

    regio: str
    closed: set[datetime.date] = field(default_factory=set)
    names: dict[datetime.date, str] = field(default_factory=dict)

    def is_open(self, day: datetime.date) -> bool:
        return day.weekday() < 5 and day not in self.closed

    def why_closed(self, day: datetime.date) -> str:
        """The holiday's name ("" for an open day or a weekend)."""
        return self.names.get(day, "")


def _days(first: datetime.date, last: datetime.date) -> Iterable[datetime.date]:
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


def build(regio: str, years: Iterable[int], vakanties: Iterable[Schoolvakantie]) -> Kalender:
    """The calendar of `regio` ("" for unknown: every region) over `years`, from the given
    school holiday rows (all regions; filtered here)."""
    kalender = Kalender(regio=regio)
    wanted = {regio, "heel"} if regio in REGIONS else {*REGIONS, "heel"}
    for v in vakanties:
        if v.regio in wanted:
            for day in _days(v.eerste_dag, v.laatste_dag):
                kalender.closed.add(day)
                kalender.names.setdefault(day, v.naam)
    # The holiday's name in the reader's language (Dutch unless English was asked).
    language = "en_US" if (get_language() or "nl").startswith("en") else "nl"
    for day, name in public_holidays.country_holidays(
        "NL", years=sorted(set(years)), language=language
    ).items():
        kalender.closed.add(day)
        kalender.names[day] = name
    return kalender


class Kalenders:
    """Calendars per region for one planning run: the school holiday rows are read once
    (one query), each region's calendar built on first use."""

    def __init__(self, first: datetime.date, last: datetime.date):
        self.years = range(first.year, last.year + 1)
        self._rows = list(
            Schoolvakantie.objects.filter(laatste_dag__gte=first, eerste_dag__lte=last)
        )
        self._built: dict[str, Kalender] = {}

    def of(self, regio: str) -> Kalender:
        regio = regio if regio in REGIONS else ""
        if regio not in self._built:
            self._built[regio] = build(regio, self.years, self._rows)
        return self._built[regio]


def kalender_of(regio: str, first: datetime.date, last: datetime.date) -> Kalender:
    """The calendar of one region between two dates."""
    return Kalenders(first, last).of(regio)


def school_years_known() -> set[str]:
    """The school years ("2025-2026") for which school holidays are stored."""
    return set(Schoolvakantie.objects.values_list("schooljaar", flat=True).distinct())


def school_year_of(day: datetime.date) -> str:
    """The school year a day belongs to (1 August to 31 July, as the government's data)."""
    first = day.year if day.month >= 8 else day.year - 1
    return f"{first}-{first + 1}"

"""School holidays in the government's open-data format (Rijksoverheid, "schoolholidays"):

    {"content": [{"schoolyear": "2026-2027",
                  "vacations": [{"type": "Herfstvakantie ",
                                 "regions": [{"region": "noord",
                                              "startdate": "2026-10-17T00:00:00.000Z",
                                              "enddate": "2026-10-25T00:00:00.000Z"}, ...]}]}]}

`parse` turns such a document into rows, `store` writes them (one school year replaces what
was stored for it, in one transaction). Lev ships the years in portal/data/schoolvakanties.json
(loaded by a migration); `manage.py schoolvakanties_import FILE` reads a later year.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

SHIPPED = Path(__file__).resolve().parent / "data" / "schoolvakanties.json"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
REGIONS = {"noord": "noord", "midden": "midden", "zuid": "zuid", "heel nederland": "heel"}
SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")


@dataclass(frozen=True)
class Row:
    schooljaar: str
    naam: str
    regio: str
    eerste_dag: datetime.date
    laatste_dag: datetime.date
    bron: str


def _day(value: str) -> datetime.date:
    """A date of the open data: an ISO time in UTC that means a Dutch calendar day (it is
    sometimes given as local midnight, 22:00 or 23:00 UTC the day before)."""
    moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(AMSTERDAM).date()


def parse(document: dict, bron: str = "") -> list[Row]:
    """The rows of an open-data document; ValidationError with a clear message when it is
    not in that format or a date does not make sense."""
    try:
        years = document["content"]
    except (TypeError, KeyError):
        raise ValidationError(
            _("Dit is geen bestand met schoolvakanties (geen 'content').")
        ) from None
    rows = []
    for year in years:
        schooljaar = str(year.get("schoolyear", "")).strip()
        match = SCHOOL_YEAR.match(schooljaar)
        if not match or int(match[2]) != int(match[1]) + 1:
            raise ValidationError(
                _("Onbekend schooljaar: %(value)s (verwacht bijvoorbeeld 2027-2028).")
                % {"value": schooljaar or "—"}
            )
        source = str(year.get("lev_source") or bron)[:200]
        for vacation in year.get("vacations", []):
            naam = " ".join(str(vacation.get("type", "")).split())[:60]
            if not naam:
                raise ValidationError(_("Een vakantie zonder naam in %(y)s.") % {"y": schooljaar})
            for region in vacation.get("regions", []):
                regio = REGIONS.get(str(region.get("region", "")).strip().lower())
                if regio is None:
                    raise ValidationError(
                        _("Onbekende regio %(r)s bij %(naam)s %(y)s.")
                        % {"r": region.get("region"), "naam": naam, "y": schooljaar}
                    )
                try:
                    first, last = _day(region["startdate"]), _day(region["enddate"])
                except (KeyError, TypeError, ValueError):
                    raise ValidationError(
                        _("Een datum van %(naam)s %(y)s ontbreekt of is ongeldig.")
                        % {"naam": naam, "y": schooljaar}
                    ) from None
                if last < first or (last - first).days > 90:
                    raise ValidationError(
                        _("De data van %(naam)s %(y)s (%(r)s) kloppen niet.")
                        % {"naam": naam, "y": schooljaar, "r": regio}
                    )
                if not (int(match[1]) <= first.year <= int(match[2])):
                    raise ValidationError(
                        _("%(naam)s valt niet in schooljaar %(y)s.")
                        % {"naam": naam, "y": schooljaar}
                    )
                rows.append(Row(schooljaar, naam, regio, first, last, source))
    return rows


@transaction.atomic
def store(rows: list[Row]) -> dict[str, int]:
    """Replace the stored holidays of each school year in `rows` by these rows. Returns the
    number of rows per school year."""
    from .models import Schoolvakantie

    years: dict[str, int] = {}
    for row in rows:
        years[row.schooljaar] = years.get(row.schooljaar, 0) + 1
    Schoolvakantie.objects.filter(schooljaar__in=list(years)).delete()
    Schoolvakantie.objects.bulk_create(
        Schoolvakantie(
            schooljaar=r.schooljaar,
            naam=r.naam,
            regio=r.regio,
            eerste_dag=r.eerste_dag,
            laatste_dag=r.laatste_dag,
            bron=r.bron,
        )
        for r in rows
    )
    return years


def read(path: Path) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(
            _("Het bestand kan niet worden gelezen: %(e)s") % {"e": exc}
        ) from None

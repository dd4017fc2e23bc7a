"""CSV exports that open correctly in Dutch Excel: UTF-8 with a byte-order mark, `;` as the
delimiter, dates as dd-mm-yyyy. Cells that a spreadsheet would read as a formula are
prefixed with an apostrophe (CSV injection)."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from gesprekken.models import Signaal, Verslag
from trajecten.models import Traject
from trajecten.selectors import Stage

from .overview.figures import ENDS_SOON_DAYS, KOERS, ProeveResult

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """One value as Dutch Excel should see it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d-%m-%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> HttpResponse:
    """A download of `rows` under `header` as `filename`."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response.write(BOM)
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return response


def overview_csv(trajecten: Iterable[Traject], today: datetime.date, filename: str):
    """One row per traject of the filtered overview (see overview.pages.export_rows)."""
    stages = dict(Stage.choices)
    koersen = dict(KOERS.choices)
    proeven = ProeveResult.LABELS
    soon = today + datetime.timedelta(days=ENDS_SOON_DAYS)
    header = [
        _("Traject"),
        _("Zij-instromer"),
        _("Bestuur"),
        _("School"),
        _("Route"),
        _("Startdatum"),
        _("Einddatum"),
        _("Verlengd"),
        _("Status"),
        _("Fase"),
        _("Leerkrachtcoach"),
        _("SLB"),
        _("Gesprekken op tijd"),
        _("Gesprekken te laat"),
        _("Gesprekken achterstallig"),
        _("Laatste koers"),
        _("Koers daarvoor"),
        _("Eindigt binnen zes maanden"),
        _("Twee keer uit koers"),
        _("Proeve"),
        _("Wissels coach"),
        _("Wissels SLB"),
    ]
    running = (Traject.Status.INTAKE, Traject.Status.ACTIEF)

    def rows():
        for t in trajecten:
            is_running = t.status in running
            yield [
                t.pk,
                t.zij_instromer.get_full_name(),
                t.school.bestuur.name,
                t.school.name,
                t.get_route_display(),
                t.start_date,
                t.end_date,
                t.is_extended,
                t.get_status_display(),
                stages.get(t.stage, t.stage),
                t.coach.get_full_name() if t.coach else "",
                t.slb.get_full_name() if t.slb else "",
                t.n_on_time,
                t.n_late,
                t.n_overdue,
                koersen.get(t.last_koers, ""),
                koersen.get(t.prev_koers, ""),
                is_running and t.end_date <= soon,
                is_running and t.last_koers == t.prev_koers == Verslag.Koers.UIT_KOERS,
                proeven.get(t.proeve, ""),
                t.coach_changes,
                t.slb_changes,
            ]

    return csv_response(filename, [str(h) for h in header], rows())


def signalen_csv(signalen: Iterable[Signaal], filename: str):
    """One row per signal: when, where, who, kind, tags and the quote."""
    soorten = dict(Signaal.Soort.choices)
    header = [
        _("Datum gesprek"),
        _("Bestuur"),
        _("School"),
        _("Zij-instromer"),
        _("Traject"),
        _("Soort"),
        _("Tags"),
        _("Citaat"),
    ]

    def rows():
        for s in signalen:
            traject = s.verslag.gesprek.traject
            yield [
                s.verslag.gesprek.starts_at,
                traject.school.bestuur.name,
                traject.school.name,
                traject.zij_instromer.get_full_name(),
                traject.pk,
                soorten.get(s.soort, s.soort),
                ", ".join(t.name for t in s.tags.all()),
                s.tekst,
            ]

    return csv_response(filename, [str(h) for h in header], rows())

"""Import of new side-entrants from a CSV file, all or nothing.

A coordinator uploads a file exported from a spreadsheet. Every row is checked; if any row
has an error nothing is saved and each row's errors are shown. A valid file creates the
accounts (with an invitation), the trajecten and the role history. A row whose side-entrant
already has a traject with the same school and start date counts as imported before and is
skipped, so importing the same file twice creates nothing new.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.audit import record
from portal.models import Partnerschap, School, User
from portal.services import user_create

from . import hooks
from .models import Rol, Roltoewijzing, Traject, default_end_date, two_years_after

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000

# (column, required, explanation) - shown on the import page.
COLUMNS = [
    ("voornaam", True, gettext_lazy("Voornaam van de zij-instromer.")),
    ("achternaam", True, gettext_lazy("Achternaam, met tussenvoegsel (bijv. “de Vries”).")),
    ("email", True, gettext_lazy("E-mailadres; hiermee logt de zij-instromer in.")),
    (
        "school",
        True,
        gettext_lazy(
            "BRIN/vestigingsnummer (bijv. 01AB00) of de exacte naam van de school in je "
            "partnerschap."
        ),
    ),
    ("route", True, gettext_lazy("“zib” (zij-instroom in beroep) of “versneld”.")),
    ("startdatum", True, gettext_lazy("Bijv. 01-09-2026 of 2026-09-01.")),
    (
        "einddatum",
        False,
        gettext_lazy(
            "Optioneel; standaard twee jaar na de start min één dag. Hoogstens twee jaar."
        ),
    ),
    (
        "coach_email",
        False,
        gettext_lazy("E-mailadres van de leerkrachtcoach; moet al een account hebben."),
    ),
    (
        "slb_email",
        False,
        gettext_lazy("E-mailadres van de studieloopbaanbegeleider; moet al een account hebben."),
    ),
]
REQUIRED = [c for c, req, _e in COLUMNS if req]
KNOWN = {c for c, _r, _e in COLUMNS}
ALIASES = {
    "e_mail": "email",
    "e_mailadres": "email",
    "emailadres": "email",
    "coach": "coach_email",
    "slb": "slb_email",
    "brin": "school",
}
DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y")
ROUTES = {
    "zib": Traject.Route.ZIB,
    "zij-instroom in beroep": Traject.Route.ZIB,
    "versneld": Traject.Route.VERSNELD,
    "versneld voor de klas": Traject.Route.VERSNELD,
}


@dataclass
class Row:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    existing_user: User | None = None
    already_imported: bool = False
    traject: Traject | None = None

    @property
    def name(self) -> str:
        return f"{self.values.get('voornaam', '')} {self.values.get('achternaam', '')}".strip()


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)  # errors of the file as a whole
    rows: list[Row] = field(default_factory=list)
    imported: bool = False

    @property
    def valid(self) -> bool:
        return not self.errors and not any(r.errors for r in self.rows)

    @property
    def created(self) -> list[Row]:
        return [r for r in self.rows if r.traject is not None and not r.already_imported]

    @property
    def skipped(self) -> list[Row]:
        return [r for r in self.rows if r.already_imported]

    @property
    def error_rows(self) -> list[Row]:
        return [r for r in self.rows if r.errors]


def decode(content: bytes) -> str:
    """Text of an uploaded CSV: UTF-8 (with or without BOM) or, as Excel saves it on
    Dutch Windows, Windows-1252."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _header_name(raw: str) -> str:
    name = re.sub(r"[\s\-]+", "_", raw.strip().lower())
    return ALIASES.get(name, name)


def _parse_date(value: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _schools(partnerschappen: QuerySet[Partnerschap]) -> tuple[dict, dict]:
    schools = list(School.objects.filter(bestuur__partnerschap__in=partnerschappen))
    by_brin = {s.brin.upper(): s for s in schools if s.brin}
    by_name: dict[str, list[School]] = {}
    for s in schools:
        by_name.setdefault(s.name.strip().lower(), []).append(s)
    return by_brin, by_name


def read_rows(text: str) -> tuple[list[str], list[Row]]:
    """Split the file into rows: the delimiter is ; or , (whichever the header uses).
    Returns the file-level errors and the rows with their raw values."""
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return [_("Het bestand is leeg.")], []
    except csv.Error:
        return [_("Dit is geen leesbaar CSV-bestand.")], []
    names = [_header_name(h) for h in header]
    errors = []
    unknown = [h for h, n in zip(header, names, strict=True) if n and n not in KNOWN]
    missing = [c for c in REQUIRED if c not in names]
    if unknown:
        errors.append(
            _("Onbekende kolommen: %(cols)s.") % {"cols": ", ".join(f"“{h}”" for h in unknown)}
        )
    if missing:
        errors.append(
            _("Deze kolommen ontbreken in de eerste regel: %(cols)s.")
            % {"cols": ", ".join(missing)}
        )
    if len(set(names)) != len(names):
        errors.append(_("Een kolom staat twee keer in de eerste regel."))
    if errors:
        return errors, []
    rows = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            line = reader.line_num
            row = Row(line=line, values={n: "" for n in names})
            if len(values) != len(names):
                row.errors.append(
                    _("Deze regel heeft %(n)d velden; de eerste regel heeft er %(m)d.")
                    % {"n": len(values), "m": len(names)}
                )
            for n, v in zip(names, values, strict=False):
                row.values[n] = v.strip()
            rows.append(row)
    except csv.Error:
        return [_("Dit is geen leesbaar CSV-bestand.")], []
    if not rows:
        return [_("Het bestand bevat geen regels onder de kolomnamen.")], []
    if len(rows) > MAX_ROWS:
        return [_("Hoogstens %(n)d regels per bestand.") % {"n": MAX_ROWS}], []
    return [], rows


def _user_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email).first()


def validate_rows(rows: list[Row], partnerschappen: QuerySet[Partnerschap]) -> None:
    """Check every row and fill `row.data`; errors go to `row.errors` (in Dutch)."""
    by_brin, by_name = _schools(partnerschappen)
    seen: dict[str, int] = {}
    for row in rows:
        v = row.values
        e = row.errors
        data = row.data
        for col in REQUIRED:
            if not v.get(col):
                e.append(_("“%(col)s” is leeg.") % {"col": col})
        email = v.get("email", "").lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                e.append(_("“%(value)s” is geen geldig e-mailadres.") % {"value": v["email"]})
                email = ""
            if email in seen:
                e.append(_("Dit e-mailadres staat ook op regel %(n)d.") % {"n": seen[email]})
            seen.setdefault(email, row.line)
        data["email"] = email
        data["voornaam"] = v.get("voornaam", "")[:150]
        data["achternaam"] = v.get("achternaam", "")[:150]

        school_value = v.get("school", "")
        if school_value:
            school = by_brin.get(school_value.upper())
            if school is None:
                matches = by_name.get(school_value.lower(), [])
                if len(matches) == 1:
                    school = matches[0]
                elif len(matches) > 1:
                    e.append(
                        _(
                            "Er zijn meerdere scholen met de naam “%(value)s”; gebruik het "
                            "BRIN-nummer."
                        )
                        % {"value": school_value}
                    )
                else:
                    e.append(
                        _("School “%(value)s” is niet bekend in je partnerschap.")
                        % {"value": school_value}
                    )
            data["school"] = school

        route_value = v.get("route", "")
        if route_value:
            route = ROUTES.get(route_value.lower())
            if route is None:
                e.append(
                    _("Route “%(value)s” is onbekend; gebruik “zib” of “versneld”.")
                    % {"value": route_value}
                )
            data["route"] = route

        start = end = None
        if v.get("startdatum"):
            start = _parse_date(v["startdatum"])
            if start is None:
                e.append(
                    _("Startdatum “%(value)s” is geen datum (bijv. 01-09-2026).")
                    % {"value": v["startdatum"]}
                )
        if v.get("einddatum"):
            end = _parse_date(v["einddatum"])
            if end is None:
                e.append(
                    _("Einddatum “%(value)s” is geen datum (bijv. 31-08-2028).")
                    % {"value": v["einddatum"]}
                )
        if start is not None:
            if end is None and not v.get("einddatum"):
                end = default_end_date(start)
            if end is not None and end <= start:
                e.append(_("De einddatum ligt niet na de startdatum."))
            elif end is not None and end >= two_years_after(start):
                e.append(
                    _("De einddatum ligt meer dan twee jaar na de start (uiterlijk %(max)s).")
                    % {"max": f"{default_end_date(start):%d-%m-%Y}"}
                )
        data["start_date"], data["end_date"] = start, end

        for col, key in (("coach_email", "coach"), ("slb_email", "slb")):
            value = v.get(col, "")
            data[key] = None
            if not value:
                continue
            try:
                validate_email(value)
            except ValidationError:
                e.append(_("“%(value)s” is geen geldig e-mailadres.") % {"value": value})
                continue
            person = _user_by_email(value)
            if person is None or not person.is_active:
                e.append(
                    _("Er is geen (actief) account met e-mailadres %(value)s.") % {"value": value}
                )
            elif email and person.email.lower() == email:
                e.append(_("De zij-instromer kan niet zijn eigen coach of SLB zijn."))
            else:
                data[key] = person

        if email and not e:
            _check_existing(row)


def _check_existing(row: Row) -> None:
    """A known e-mail address: the same traject again is skipped; anything else is an
    error unless it is the same person without a running traject."""
    data = row.data
    user = _user_by_email(data["email"])
    if user is None:
        return
    same = Traject.objects.filter(
        zij_instromer=user, school=data["school"], start_date=data["start_date"]
    ).first()
    if same is not None:
        row.already_imported = True
        row.traject = same
        return
    if (user.first_name.strip().lower(), user.last_name.strip().lower()) != (
        data["voornaam"].lower(),
        data["achternaam"].lower(),
    ):
        row.errors.append(
            _("E-mailadres %(email)s hoort bij een account met een andere naam.")
            % {"email": data["email"]}
        )
        return
    running = Traject.objects.filter(
        zij_instromer=user, status__in=[Traject.Status.INTAKE, Traject.Status.ACTIEF]
    ).exists()
    if running:
        row.errors.append(_("Deze zij-instromer heeft al een lopend traject."))
        return
    row.existing_user = user


@transaction.atomic
def trajecten_import(
    *, content: bytes, partnerschappen: QuerySet[Partnerschap], door: User, request=None
) -> ImportResult:
    """Validate the CSV `content` and, only if every row is valid, create the accounts
    (with invitation), trajecten (status intake) and role history, then call
    hooks.traject_started for each new traject. Rows imported before are skipped.
    Checks and writes run in one transaction: all rows land or none."""
    result = ImportResult()
    if len(content) > MAX_BYTES:
        result.errors.append(_("Het bestand is te groot (hoogstens 2 MB)."))
        return result
    # Anywhere, not only at the start: a NUL byte further down would reach a name, and
    # PostgreSQL refuses text with NUL (a 500 instead of a message).
    if b"\x00" in content:
        result.errors.append(_("Dit is geen CSV-bestand (tekst), maar een ander soort bestand."))
        return result
    result.errors, result.rows = read_rows(decode(content))
    if result.errors:
        return result
    # Lock the partnerships: two imports of the same file at once must not both create.
    ids = list(partnerschappen.values_list("pk", flat=True))
    list(Partnerschap.objects.select_for_update().filter(pk__in=ids))
    validate_rows(result.rows, Partnerschap.objects.filter(pk__in=ids))
    if not result.valid:
        return result
    for row in result.rows:
        if row.already_imported:
            continue
        data = row.data
        user = row.existing_user or user_create(
            email=data["email"],
            first_name=data["voornaam"],
            last_name=data["achternaam"],
            invited_by=door,
        )
        traject = Traject.objects.create(
            zij_instromer=user,
            school=data["school"],
            route=data["route"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            status=Traject.Status.INTAKE,
            coach=data["coach"],
            slb=data["slb"],
        )
        for rol in (Rol.COACH, Rol.SLB):
            holder = data[rol.value]
            if holder is not None:
                Roltoewijzing.objects.create(traject=traject, rol=rol, user=holder, door=door)
        record(
            action="traject.import",
            actor=door,
            obj=traject,
            traject=traject,
            request=request,
            detail={"regel": row.line},
        )
        hooks.traject_started(traject)
        row.traject = traject
    result.imported = True
    return result

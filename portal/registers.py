"""Schools and boards from the register: import DUO's open-data export of school locations.

DUO publishes the addresses of all primary-school locations (*vestigingen*) and their boards
(*bevoegd gezag*) as CSV. `read_register` parses such a file (or one a coordinator put
together) and `scholen_import` creates or updates `Schoolbestuur` and `School` records from
it, matched by natural keys: the bevoegd-gezagnummer for boards and the six-character
vestigingscode (BRIN + two digits) for schools. Running the same file twice changes nothing.

Accepted columns (case, spaces, hyphens and underscores in the header do not matter; `;` or
`,` as delimiter; UTF-8 with or without BOM, or Latin-1/Windows-1252). See
docs/scholen-import.md.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models.functions import Upper
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit
from .models import Partnerschap, School, Schoolbestuur, User

MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024

# Field -> accepted header names, normalised (upper case, single spaces).
COLUMNS: dict[str, tuple[str, ...]] = {
    "vestiging": ("VESTIGINGSNUMMER", "VESTIGINGSCODE", "VESTIGING", "BRIN VESTIGINGSNUMMER"),
    "brin": ("BRIN NUMMER", "BRINNUMMER", "BRIN", "INSTELLINGSCODE"),
    "naam": ("VESTIGINGSNAAM", "INSTELLINGSNAAM", "SCHOOLNAAM", "NAAM SCHOOL"),
    "plaats": ("PLAATSNAAM", "PLAATS", "VESTIGINGSPLAATS"),
    # Optional: the school-holiday region (noord, midden, zuid), where the file says so.
    "regio": ("REGIO", "VAKANTIEREGIO", "VAKANTIE REGIO", "SCHOOLVAKANTIEREGIO"),
    "bg_nummer": (
        "BEVOEGD GEZAG NUMMER",
        "BEVOEGD GEZAGNUMMER",
        "BEVOEGDGEZAGNUMMER",
        "BG NUMMER",
        "BESTUURSNUMMER",
    ),
    "bestuur": (
        "BEVOEGD GEZAG NAAM",
        "NAAM BEVOEGD GEZAG",
        "BEVOEGD GEZAGNAAM",
        "BESTUURSNAAM",
        "NAAM BESTUUR",
        "SCHOOLBESTUUR",
    ),
}
# Human names of the fields, for messages and the documentation on the page.
FIELD_LABELS = {
    "vestiging": gettext_lazy("vestigingsnummer"),
    "brin": gettext_lazy("BRIN-nummer"),
    "naam": gettext_lazy("vestigingsnaam"),
    "plaats": gettext_lazy("plaatsnaam"),
    "regio": gettext_lazy("vakantieregio"),
    "bg_nummer": gettext_lazy("bevoegd-gezagnummer"),
    "bestuur": gettext_lazy("naam bevoegd gezag"),
}

BRIN_RE = re.compile(r"^[0-9]{2}[A-Z0-9]{2}$")
VESTIGING_RE = re.compile(r"^[0-9]{2}[A-Z0-9]{2}[0-9]{2}$")
BG_RE = re.compile(r"^[0-9]{1,10}$")


class RegisterFileError(ValueError):
    """The file as a whole cannot be read (encoding, header, size); nothing is imported."""


@dataclass(frozen=True)
class RegisterRow:
    line: int
    vestiging: str
    naam: str
    plaats: str
    bg_nummer: str
    bestuur: str
    regio: str = ""


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class ImportResult:
    rows: int = 0
    besturen: Counts = field(default_factory=Counts)
    scholen: Counts = field(default_factory=Counts)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(
            self.besturen.created
            or self.besturen.updated
            or self.scholen.created
            or self.scholen.updated
        )

    def as_dict(self) -> dict:
        return {
            "rows": self.rows,
            "besturen": vars(self.besturen),
            "scholen": vars(self.scholen),
            "errors": len(self.errors),
            "dry_run": self.dry_run,
        }


# --- Reading the file --------------------------------------------------------------------


def normalise_header(name: str) -> str:
    name = (name or "").replace("\ufeff", "").strip().strip('"').upper()
    return re.sub(r"[\s_\-.]+", " ", name).strip()


def decode(data: bytes) -> str:
    """Text of the file: UTF-8 (with or without BOM), else Windows-1252/Latin-1."""
    if b"\x00" in data[:4096]:
        raise RegisterFileError(
            _("Dit lijkt geen CSV-bestand (tekst) te zijn. Sla het bestand op als CSV.")
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") >= header_line.count(",") else ","


def _columns(header: list[str]) -> dict[str, int]:
    """Map each field to the index of the first column with an accepted name."""
    positions: dict[str, int] = {}
    normalised = [normalise_header(h) for h in header]
    for fieldname, names in COLUMNS.items():
        for name in names:
            if name in normalised:
                positions[fieldname] = normalised.index(name)
                break
    missing = []
    if "vestiging" not in positions and "brin" not in positions:
        missing.append(f"{FIELD_LABELS['vestiging']} ({_('of')} {FIELD_LABELS['brin']})")
    for required in ("naam", "bg_nummer"):
        if required not in positions:
            missing.append(str(FIELD_LABELS[required]))
    if missing:
        raise RegisterFileError(
            _(
                "De kopregel mist deze kolommen: %(missing)s. Gevonden kolommen: %(found)s. "
                "Zie de uitleg over de verwachte kolommen."
            )
            % {
                "missing": ", ".join(missing),
                "found": ", ".join(h for h in header if h.strip())[:500] or "-",
            }
        )
    return positions


# Words that stay lower case inside a Dutch place name ("Alphen aan den Rijn").
_PARTICLES = frozenset("aan bij de den der en het in op onder over ten ter van".split())
# DUO's suffixes for place names that exist in more than one province ("BERGEN NH").
_PROVINCES = frozenset({"DR", "FL", "FR", "GLD", "GR", "LB", "NB", "NH", "OV", "UT", "ZH", "ZL"})


def plaatsnaam(value: str) -> str:
    """DUO writes place names in capitals (TIEL, 'S-HERTOGENBOSCH, VIANEN UT); show them as
    people write them. Names with lower-case letters are left as they are."""
    value = " ".join(value.split())
    if not value or value != value.upper():
        return value

    def part(word: str, first: bool) -> str:
        lower = word.lower()
        if lower in ("'s", "'t"):
            return lower
        if not first and lower in _PARTICLES:
            return lower
        if lower.startswith("ij"):
            return "IJ" + lower[2:]
        return lower[:1].upper() + lower[1:]

    words = []
    for index, word in enumerate(value.split(" ")):
        if index and word in _PROVINCES:
            words.append(word)
            continue
        pieces = word.split("-")
        words.append("-".join(part(p, index == 0 and i == 0) for i, p in enumerate(pieces)))
    return " ".join(words)


def _vestigingscode(vestiging: str, brin: str) -> str:
    """The six-character code from a VESTIGINGSNUMMER that is either the full code (12AB00)
    or only the location's digits (0, 1, 00, 01) next to a BRIN NUMMER; a BRIN without a
    vestigingsnummer means the main location (00)."""
    vestiging = re.sub(r"\s+", "", vestiging).upper()
    brin = re.sub(r"\s+", "", brin).upper()
    if vestiging and not vestiging.isdigit():
        return vestiging
    if brin:
        return brin + (vestiging.zfill(2) if vestiging else "00")
    return vestiging


def _parse_row(line: int, values: list[str], pos: dict[str, int]) -> RegisterRow | RowError:
    def get(fieldname: str) -> str:
        index = pos.get(fieldname)
        if index is None or index >= len(values):
            return ""
        return (values[index] or "").strip()

    brin = get("brin").replace(" ", "").upper()
    raw_vestiging = get("vestiging")
    code = _vestigingscode(raw_vestiging, brin)
    naam, plaats = " ".join(get("naam").split()), plaatsnaam(get("plaats"))
    bg_nummer, bestuur = get("bg_nummer").replace(" ", ""), " ".join(get("bestuur").split())
    regio = get("regio").lower()

    if not code:
        return RowError(line, _("Het vestigingsnummer (of BRIN-nummer) ontbreekt."))
    if not VESTIGING_RE.match(code):
        return RowError(
            line,
            _(
                "Het vestigingsnummer '%(code)s' is geen geldige code: verwacht worden vier "
                "tekens BRIN en twee cijfers, bijvoorbeeld 12AB00."
            )
            % {"code": code[:20]},
        )
    if brin and not code.startswith(brin):
        return RowError(
            line,
            _("Het vestigingsnummer %(code)s hoort niet bij BRIN-nummer %(brin)s.")
            % {"code": code, "brin": brin[:10]},
        )
    if brin and not BRIN_RE.match(brin):
        return RowError(
            line, _("Het BRIN-nummer '%(brin)s' is geen geldige code.") % {"brin": brin[:10]}
        )
    if not naam:
        return RowError(line, _("De naam van de vestiging ontbreekt."))
    if len(naam) > 200:
        return RowError(line, _("De naam van de vestiging is langer dan 200 tekens."))
    if len(plaats) > 100:
        return RowError(line, _("De plaatsnaam is langer dan 100 tekens."))
    if not bg_nummer:
        return RowError(line, _("Het bevoegd-gezagnummer ontbreekt."))
    if not BG_RE.match(bg_nummer):
        return RowError(
            line,
            _("Het bevoegd-gezagnummer '%(nummer)s' is geen nummer van hoogstens tien cijfers.")
            % {"nummer": bg_nummer[:20]},
        )
    if len(bestuur) > 200:
        return RowError(line, _("De naam van het bevoegd gezag is langer dan 200 tekens."))
    if regio and regio not in ("noord", "midden", "zuid"):
        return RowError(
            line,
            _("De vakantieregio '%(regio)s' is geen noord, midden of zuid.")
            % {"regio": regio[:20]},
        )
    return RegisterRow(line, code, naam, plaats, bg_nummer, bestuur, regio)


def read_register(data: bytes) -> tuple[list[RegisterRow], list[RowError], int]:
    """Parse a register export into rows and per-row errors, plus the number of data rows.

    Line numbers are those a spreadsheet shows (the header is line 1). Raises
    RegisterFileError when the file as a whole cannot be used.
    """
    if len(data) > MAX_BYTES:
        raise RegisterFileError(
            _("Het bestand is groter dan %(max)d MB.") % {"max": MAX_BYTES // 1024 // 1024}
        )
    text = decode(data)
    if not text.strip():
        raise RegisterFileError(_("Het bestand is leeg."))
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        header = next(reader)
        while not any(h.strip() for h in header):
            header = next(reader)
    except StopIteration:
        raise RegisterFileError(_("Het bestand is leeg.")) from None
    except csv.Error as exc:
        raise RegisterFileError(_("Het bestand is geen leesbare CSV: %(e)s") % {"e": exc}) from exc
    pos = _columns(header)

    rows: list[RegisterRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    count = 0
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            count += 1
            if count > MAX_ROWS:
                raise RegisterFileError(
                    _("Het bestand heeft meer dan %(max)d regels.") % {"max": MAX_ROWS}
                )
            parsed = _parse_row(reader.line_num, values, pos)
            if isinstance(parsed, RowError):
                errors.append(parsed)
            elif parsed.vestiging in seen:
                errors.append(
                    RowError(
                        parsed.line,
                        _("Vestiging %(code)s staat al op regel %(first)d.")
                        % {"code": parsed.vestiging, "first": seen[parsed.vestiging]},
                    )
                )
            else:
                seen[parsed.vestiging] = parsed.line
                rows.append(parsed)
    except csv.Error as exc:
        raise RegisterFileError(
            _("Regel %(line)d is geen leesbare CSV: %(e)s") % {"line": reader.line_num, "e": exc}
        ) from exc
    return rows, errors, count


# --- Lookups -----------------------------------------------------------------------------


def partnerschappen_for_coordinator(user: User):
    """The partnerships `user` coordinates (the ones whose register they may import)."""
    if not user.is_authenticated or not user.is_active:
        return Partnerschap.objects.none()
    return Partnerschap.objects.filter(coordinatoren=user).order_by("name")


def get_partnerschap_for_coordinator(user: User, pk) -> Partnerschap:
    """Partnership `pk` if `user` coordinates it, else Http404 (as if it did not exist)."""
    try:
        return partnerschappen_for_coordinator(user).get(pk=pk)
    except (Partnerschap.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def partnerschap_by_name_or_id(value: str) -> Partnerschap:
    """For the management command: a partnership by id or exact name (case-insensitive)."""
    value = value.strip()
    qs = Partnerschap.objects.all()
    found = qs.filter(pk=int(value)).first() if value.isdigit() else None
    found = found or qs.filter(name__iexact=value).first()
    if found is None:
        raise Partnerschap.DoesNotExist(value)
    return found


def _chunks(values: Iterable[str], size: int = 500) -> Iterable[list[str]]:
    values = sorted(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _existing(rows: list[RegisterRow]) -> tuple[dict[str, Schoolbestuur], dict[str, School]]:
    """Boards and schools already known, by natural key; a few queries per 500 keys."""
    besturen: dict[str, Schoolbestuur] = {}
    for chunk in _chunks({r.bg_nummer for r in rows}):
        for bestuur in Schoolbestuur.objects.filter(bevoegd_gezag_nummer__in=chunk):
            besturen[bestuur.bevoegd_gezag_nummer] = bestuur
    scholen: dict[str, School] = {}
    for chunk in _chunks({r.vestiging for r in rows}):
        qs = (
            School.objects.annotate(brin_upper=Upper("brin"))
            .filter(brin_upper__in=chunk)
            .select_related("bestuur")
        )
        for school in qs:
            scholen[school.brin_upper] = school
    return besturen, scholen


# --- The import --------------------------------------------------------------------------


@transaction.atomic
def scholen_import(
    *,
    partnerschap: Partnerschap,
    data: bytes,
    actor: User | None = None,
    dry_run: bool = False,
    filename: str = "",
    request=None,
) -> ImportResult:
    """Create or update the boards and schools of a register export for `partnerschap`.

    New boards go into `partnerschap`; a board or school that belongs to another partnership
    is reported, never moved. Rows that do not parse are reported with their line number and
    the rest is imported in this one transaction. With `dry_run` everything is checked and
    counted and then rolled back. Raises RegisterFileError for an unusable file.
    """
    rows, errors, count = read_register(data)
    result = ImportResult(rows=count, errors=list(errors), dry_run=dry_run)
    besturen, scholen = _existing(rows)
    board_seen: set[str] = set()

    for row in rows:
        bestuur = besturen.get(row.bg_nummer)
        school = scholen.get(row.vestiging)
        if bestuur is not None and bestuur.partnerschap_id != partnerschap.pk:
            result.errors.append(
                RowError(
                    row.line,
                    _(
                        "Bevoegd gezag %(nummer)s hoort bij een ander partnerschap; de regel "
                        "is overgeslagen. Vraag de beheerder om hulp."
                    )
                    % {"nummer": row.bg_nummer},
                )
            )
            continue
        if school is not None and school.bestuur.partnerschap_id != partnerschap.pk:
            result.errors.append(
                RowError(
                    row.line,
                    _(
                        "Vestiging %(code)s hoort bij een bestuur van een ander partnerschap; "
                        "de regel is overgeslagen. Vraag de beheerder om hulp."
                    )
                    % {"code": row.vestiging},
                )
            )
            continue

        if bestuur is None:
            bestuur = Schoolbestuur.objects.create(
                partnerschap=partnerschap,
                bevoegd_gezag_nummer=row.bg_nummer,
                name=row.bestuur or _("Bevoegd gezag %(nummer)s") % {"nummer": row.bg_nummer},
            )
            besturen[row.bg_nummer] = bestuur
            result.besturen.created += 1
        elif row.bg_nummer not in board_seen:
            if row.bestuur and bestuur.name != row.bestuur:
                bestuur.name = row.bestuur
                bestuur.save(update_fields=["name"])
                result.besturen.updated += 1
            else:
                result.besturen.unchanged += 1
        board_seen.add(row.bg_nummer)

        if school is None:
            school = School.objects.create(
                bestuur=bestuur,
                brin=row.vestiging,
                name=row.naam,
                plaats=row.plaats,
                regio=row.regio,
            )
            scholen[row.vestiging] = school
            result.scholen.created += 1
            continue
        wanted = {
            "brin": row.vestiging,
            "name": row.naam,
            "plaats": row.plaats or school.plaats,
            "regio": row.regio or school.regio,
            "bestuur_id": bestuur.pk,
        }
        changed = [name for name, value in wanted.items() if getattr(school, name) != value]
        if changed:
            for name in changed:
                setattr(school, name, wanted[name])
            school.save(update_fields=[n.removesuffix("_id") for n in changed])
            result.scholen.updated += 1
        else:
            result.scholen.unchanged += 1

    result.errors.sort(key=lambda e: e.line)
    if dry_run:
        transaction.set_rollback(True)
    elif result.changed:
        audit.record(
            action="scholen.import",
            actor=actor,
            obj=partnerschap,
            request=request,
            detail={**result.as_dict(), "file": filename[:200]},
        )
    return result

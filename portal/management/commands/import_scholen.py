"""`python manage.py import_scholen FILE.csv [--partnerschap NAME-or-ID] [--dry-run]`.

Reads DUO's open-data export of school locations and boards (docs/scholen-import.md) and
creates or updates the partnership's boards and schools. Idempotent: a second run of the same
file reports everything unchanged.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal import registers
from portal.models import Partnerschap


class Command(BaseCommand):
    help = (
        "Import schools and boards from a DUO register export (CSV). New boards go into the "
        "chosen partnership. See docs/scholen-import.md for the accepted columns."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file (';' or ',' separated, UTF-8 or Latin-1)")
        parser.add_argument(
            "--partnerschap",
            help="Partnership name or id; may be left out when there is only one.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count only; store nothing."
        )

    def handle(self, *args, **options):
        translation.activate("nl")
        partnerschap = self._partnerschap(options.get("partnerschap"))
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Kan %(path)s niet lezen: %(e)s") % {"path": path, "e": exc}
            ) from exc
        try:
            result = registers.scholen_import(
                partnerschap=partnerschap,
                data=data,
                dry_run=options["dry_run"],
                filename=path.name,
            )
        except registers.RegisterFileError as exc:
            raise CommandError(str(exc)) from exc

        out = self.stdout
        out.write(
            ngettext(
                "%(partnerschap)s: %(rows)d regel gelezen.",
                "%(partnerschap)s: %(rows)d regels gelezen.",
                result.rows,
            )
            % {"partnerschap": partnerschap, "rows": result.rows}
        )
        if result.dry_run:
            out.write(_("Proefdraai: er is niets opgeslagen."))
        for name, counts in ((_("Besturen"), result.besturen), (_("Scholen"), result.scholen)):
            out.write(
                "  "
                + _(
                    "%(name)s: %(created)d nieuw, %(updated)d bijgewerkt, %(unchanged)d ongewijzigd"
                )
                % {"name": name, **vars(counts)}
            )
        if result.errors:
            self.stderr.write(
                ngettext(
                    "%(count)d regel niet geïmporteerd:",
                    "%(count)d regels niet geïmporteerd:",
                    len(result.errors),
                )
                % {"count": len(result.errors)}
            )
            for error in result.errors:
                self.stderr.write("  " + _("regel %(line)d: %(message)s") % vars(error))
        else:
            out.write(self.style.SUCCESS(_("Geen fouten.")))

    def _partnerschap(self, value: str | None) -> Partnerschap:
        if value:
            try:
                return registers.partnerschap_by_name_or_id(value)
            except Partnerschap.DoesNotExist:
                raise CommandError(
                    _("Partnerschap '%(value)s' bestaat niet.") % {"value": value}
                ) from None
        partnerschappen = list(Partnerschap.objects.all()[:2])
        if len(partnerschappen) != 1:
            raise CommandError(
                _("Kies het partnerschap met --partnerschap NAAM-of-ID (er zijn er meer).")
                if partnerschappen
                else _("Er is nog geen partnerschap; maak het eerst aan in het beheer.")
            )
        return partnerschappen[0]

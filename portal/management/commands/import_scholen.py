"""`python manage.py import_scholen FILE.csv [--partnerschap NAME-or-ID] [--dry-run]`.

Reads DUO's open-data export of school locations and boards (docs/scholen-import.md) and
creates or updates the partnership's boards and schools. Idempotent: a second run of the same
file reports everything unchanged.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

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
            raise CommandError(f"Kan {path} niet lezen: {exc}") from exc
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
        label = " (proefdraai: niets opgeslagen)" if result.dry_run else ""
        out.write(f"{partnerschap}: {result.rows} regels gelezen{label}.")
        for name, counts in (("Besturen", result.besturen), ("Scholen", result.scholen)):
            out.write(
                f"  {name}: {counts.created} nieuw, {counts.updated} bijgewerkt, "
                f"{counts.unchanged} ongewijzigd"
            )
        if result.errors:
            self.stderr.write(f"{len(result.errors)} regels niet geïmporteerd:")
            for error in result.errors:
                self.stderr.write(f"  regel {error.line}: {error.message}")
        else:
            out.write(self.style.SUCCESS("Geen fouten."))

    def _partnerschap(self, value: str | None) -> Partnerschap:
        if value:
            try:
                return registers.partnerschap_by_name_or_id(value)
            except Partnerschap.DoesNotExist:
                raise CommandError(f"Partnerschap '{value}' bestaat niet.") from None
        partnerschappen = list(Partnerschap.objects.all()[:2])
        if len(partnerschappen) != 1:
            raise CommandError(
                "Kies het partnerschap met --partnerschap NAAM-of-ID "
                f"(er {'zijn er meer' if partnerschappen else 'is er geen'})."
            )
        return partnerschappen[0]

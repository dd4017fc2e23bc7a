"""`python manage.py schoolvakanties_import FILE.json`: read the school holidays of one or
more school years from the government's open-data file (opendata.rijksoverheid.nl, source
"rijksoverheid", infotype "schoolholidays", output json). A school year in the file replaces
what Lev stored for it; other years stay. Without FILE: the years Lev ships."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from portal import schoolvakanties


class Command(BaseCommand):
    help = "Import school holidays from the Rijksoverheid open-data JSON (per school year)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="the JSON file (default: the shipped years)")
        parser.add_argument(
            "--bron",
            default="Rijksoverheid, open data schoolvakanties",
            help="where the data comes from (stored with each row)",
        )

    def handle(self, *args, file=None, bron="", **options):
        path = Path(file) if file else schoolvakanties.SHIPPED
        try:
            rows = schoolvakanties.parse(schoolvakanties.read(path), bron=bron)
            years = schoolvakanties.store(rows)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        if not years:
            raise CommandError("No school holidays found in the file.")
        for year, n in sorted(years.items()):
            self.stdout.write(f"{year}: {n} holidays stored")

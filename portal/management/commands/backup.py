from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from portal.backup import backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump or SQLite copy) and the media folder."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(Path(settings.BASE_DIR) / "var" / "backups"))

    def handle(self, *args, **options):
        db, media = backup(Path(options["dir"]))
        self.stdout.write(self.style.SUCCESS(f"Database: {db}\nMedia:    {media}"))

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import restore_database, restore_media


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` (replaces the current data)."

    def add_arguments(self, parser):
        parser.add_argument("database", help="the .dump or .sqlite3 file")
        parser.add_argument("media", nargs="?", help="the media .tar.gz file")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, **options):
        db = Path(options["database"])
        if not db.exists():
            raise CommandError(f"{db} does not exist")
        if not options["yes"]:
            try:
                answer = input("This replaces the current database and media. Type 'ja': ")
            except EOFError:
                # No one to answer (a script, a pipe, `make restore` in CI): one line, no
                # traceback, nothing changed.
                raise CommandError(
                    "Not restored: no confirmation was given. Type 'ja' when asked, or pass "
                    "--yes (make restore ... YES=1) in a script."
                ) from None
            if answer.strip().lower() != "ja":
                raise CommandError("Cancelled: nothing was restored.")
        restore_database(db)
        if options["media"]:
            restore_media(Path(options["media"]))
        from portal.overview.figures import refresh_traject_figures

        refresh_traject_figures()  # a backup from before a figure column existed
        self.stdout.write(self.style.SUCCESS("Restored."))

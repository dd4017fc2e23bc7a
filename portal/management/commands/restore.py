from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import UnsafeBackup, check_private, restore_database, restore_media


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
        media = Path(options["media"]) if options["media"] else None
        try:  # before asking: a world-readable backup is refused with the fix, nothing done
            check_private(db)
            if media is not None:
                check_private(media)
        except UnsafeBackup as exc:
            raise CommandError(str(exc)) from None
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
        if media is not None:
            restore_media(media)
        from portal.overview.figures import refresh_traject_figures

        refresh_traject_figures()  # a backup from before a figure column existed
        self.stdout.write(self.style.SUCCESS("Restored."))

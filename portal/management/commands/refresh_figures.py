"""Store the overview figures of every traject again (portal.overview.figures).

The services of each app keep them up to date on every write (trajecten.figures); run this
after loading data by other means (SQL run by hand; `manage.py restore` runs it itself)."""

from django.core.management.base import BaseCommand

from portal.overview.figures import refresh_traject_figures


class Command(BaseCommand):
    help = "Store the overview figures (koers, Proeve result, role changes) of every traject."

    def handle(self, *args, **options):
        count = refresh_traject_figures()
        self.stdout.write(f"{count} trajecten")

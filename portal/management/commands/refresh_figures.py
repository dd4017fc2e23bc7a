"""Store the overview figures of every traject again (portal.overview.figures).

The portal keeps them up to date on every write; run this after loading data by other means
(a restore from before the columns existed, SQL run by hand)."""

from django.core.management.base import BaseCommand

from portal.overview.figures import refresh_traject_figures
from portal.pagecache import forget_everything


class Command(BaseCommand):
    help = "Store the overview figures (koers, Proeve result, role changes) of every traject."

    def handle(self, *args, **options):
        count = refresh_traject_figures()
        forget_everything()  # the pages and overviews cached from the old figures
        self.stdout.write(f"{count} trajecten")

"""`python manage.py demo`: load the demo partnership, accounts and trajecten (idempotent)."""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from portal import demo
from portal.overview.figures import refresh_traject_figures

APP_DEMOS = ["trajecten.demo", "gesprekken.demo", "bekwaamheid.demo", "portal.demo_overview"]


class Command(BaseCommand):
    help = "Load demo data (idempotent). All demo accounts use the password lev-demo-2026."

    def handle(self, *args, **options):
        with transaction.atomic():
            ctx = demo.load()
            for name in APP_DEMOS:
                try:
                    module = import_module(name)
                except ModuleNotFoundError as exc:
                    if exc.name != name:
                        raise
                    continue
                module.load(ctx)
            # The demo back-dates records with QuerySet.update (no model signals): store the
            # overview figures of every traject from what is there now.
            refresh_traject_figures()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Accounts (password lev-demo-2026):"))
        for email, first, last in demo.ACCOUNTS:
            self.stdout.write(f"  {email:32} {first} {last}")

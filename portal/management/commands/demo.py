"""`python manage.py demo`: load the demo partnership, accounts and trajecten (idempotent)."""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from portal import demo
from portal.models import User
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
        names = dict(
            User.objects.filter(email__in=[row[0] for row in demo.LOGINS]).values_list(
                "email", "first_name"
            )
        )
        for email, role, try_it in demo.LOGINS:
            self.stdout.write(f"  {email:30} {names.get(email, ''):9} {role}")
            self.stdout.write(f"  {'':30} {'':9} try: {try_it}")
        self.stdout.write("")
        if settings.LEV_MAILBOX:
            self.stdout.write(
                f"Mail the demo sends: {settings.SITE_URL}/dev/mailbox/ (log in as admin@lev.test)"
            )
        self.stdout.write(f"Lev: {settings.SITE_URL}/")

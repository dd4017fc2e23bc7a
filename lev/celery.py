"""The Celery app. Tasks live in each app's tasks.py; the beat schedule is below."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lev.settings")

app = Celery("lev")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "requeue-mail": {"task": "portal.tasks.requeue_mail", "schedule": crontab(minute="*/15")},
    "purge-expired": {
        "task": "portal.tasks.purge_expired",
        "schedule": crontab(hour=3, minute=30, day_of_week="sunday"),
    },
    # gesprekken: reminders every morning, the SLB digest on Monday, the cycle safety net.
    "gesprekken-herinneringen": {
        "task": "gesprekken.tasks.herinneringen_sweep",
        "schedule": crontab(hour=7, minute=0),
    },
    "gesprekken-digest-slb": {
        "task": "gesprekken.tasks.digest_slb_sweep",
        "schedule": crontab(hour=6, minute=30, day_of_week="mon"),
    },
    "gesprekken-cycli-plannen": {
        "task": "gesprekken.tasks.cycli_plannen",
        "schedule": crontab(hour=2, minute=15),
    },
    "bekwaamheid-pdf-opnieuw": {
        "task": "bekwaamheid.tasks.requeue_stuck_pdfs",
        "schedule": crontab(minute="*/10"),
    },
    "bekwaamheid-purge-bewijsstukken": {
        "task": "bekwaamheid.tasks.purge_removed_bewijsstukken",
        "schedule": crontab(hour=3, minute=30),
    },
}

__all__ = ["app", "crontab"]

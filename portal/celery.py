"""The Celery app. Tasks live in each app's tasks.py; the beat schedule is below."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "requeue-mail": {"task": "portal.tasks.requeue_mail", "schedule": crontab(minute="*/15")},
}

__all__ = ["app", "crontab"]

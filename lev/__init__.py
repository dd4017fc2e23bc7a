"""The project: settings, root URLs, the Celery app, the WSGI entry point. Imports every
app; no app imports it (docs/architecture.md)."""

from .celery import app as celery_app

__all__ = ("celery_app",)

"""Queueing Celery tasks safely: after commit, and without failing the request when the
broker is down (the work is recorded in the database and a periodic sweep picks it up)."""

from __future__ import annotations

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task, *args, **kwargs) -> None:
    """Queue `task` once the current transaction commits; never raise into the caller."""

    def _send() -> None:
        try:
            task.delay(*args, **kwargs)
        except Exception:  # broker down or eager task failure: logged, swept later
            logger.exception("Could not queue %s%r", task.name, args)

    transaction.on_commit(_send)

"""A module-scoped world built from the demo data, rolled back after the module.

Building it once per module keeps the URL matrix fast; every test still runs in its own
savepoint (pytest-django's `db`), so what a test writes is gone before the next one.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    from lev.celery import app

    media = tmp_path_factory.mktemp("media")
    overrides = override_settings(MEDIA_ROOT=str(media), LEV_REQUIRE_MFA=False)
    overrides.enable()
    eager, app.conf.task_always_eager = app.conf.task_always_eager, True
    try:
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                from .world import build

                yield build()
            finally:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
    finally:
        app.conf.task_always_eager = eager
        overrides.disable()


@pytest.fixture
def _media_root(world):
    """Keep the world's media root (replaces the root conftest's per-test one here)."""
    return None

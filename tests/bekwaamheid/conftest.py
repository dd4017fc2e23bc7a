from importlib import import_module

import pytest
from django.apps import apps

from tests.bekwaamheid.helpers import world as world  # the fixture


@pytest.fixture(autouse=True)
def _framework(db):
    """The areas and framework v1 come from data migrations; a transactional test elsewhere
    in the suite flushes them, so seed them again when they are missing."""
    from bekwaamheid.models import Bekwaamheidskader

    if not Bekwaamheidskader.objects.exists():
        import_module("trajecten.migrations.0002_seed_bekwaamheidsgebieden").seed(apps, None)
        import_module("bekwaamheid.migrations.0002_seed_kader").seed(apps, None)

"""WSGI entry point for gunicorn."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()


def _freeze_startup_objects() -> None:
    """Leave what every request shares out of Python's full garbage collections.

    Django, the apps, the URLconf and every view module make some 100,000 objects that live
    as long as the process. A full collection walked all of them and paused a request for
    50-100 ms now and then (the slowest first visits in docs/benchmarks.md). Loaded here,
    collected once and frozen (gc.freeze), they are skipped: a full collection then takes
    about 15 ms.
    """
    from django.urls import get_resolver  # noqa: PLC0415

    get_resolver().url_patterns  # noqa: B018 - imports every view module now
    gc.collect()
    gc.freeze()


_freeze_startup_objects()

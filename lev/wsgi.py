"""WSGI entry point for gunicorn."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lev.settings")
application = get_wsgi_application()


def _compile_templates() -> int:
    """Compile every template once, now: otherwise each worker process compiles a page's
    templates on its first visit of that page (100-150 ms for a traject page). Templates of
    features this installation leaves out (allauth's WebAuthn, which needs `humanize`) do
    not compile and are skipped. About 0.3 s per process."""
    from pathlib import Path

    from django.template import TemplateSyntaxError, engines
    from django.template.utils import get_app_template_dirs

    compiled = 0
    for engine in engines.all():
        if not hasattr(engine, "engine"):  # not a Django templates engine
            continue
        roots = [*engine.engine.dirs, *get_app_template_dirs("templates")]
        for root in map(Path, roots):
            for path in root.rglob("*"):
                if path.suffix not in (".html", ".txt"):
                    continue
                try:
                    engine.get_template(path.relative_to(root).as_posix())
                except TemplateSyntaxError:
                    continue
                compiled += 1
    return compiled


def _populate_url_reversal() -> list[str]:
    """Build the URL resolver's reverse lookup for every language now. Django builds it on
    the first `reverse()` per language and process (about 30 ms each): otherwise the first
    page a worker renders in each language pays for it. Returns the languages done."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    resolver = get_resolver()
    done = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            resolver.reverse_dict  # noqa: B018 - populates this language's lookup
        done.append(code)
    return done


def _freeze_startup_objects() -> None:
    """Leave what every request shares out of Python's full garbage collections.

    Django, the apps, the URLconf (with its reverse lookups), every view module and the
    compiled templates make some 100,000 objects that live as long as the process. A full
    collection walked all of them and paused a request for 50-100 ms now and then (the
    slowest first visits in docs/benchmarks.md). Loaded here, collected once and frozen
    (gc.freeze), they are skipped: a full collection then takes about 15 ms.
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module now
    _populate_url_reversal()
    _compile_templates()
    gc.collect()
    gc.freeze()


_freeze_startup_objects()

"""Error pages that need a decision: a lost database connection is not a bug in Lev.

Both pages are rendered without the request's context (no context processors, no user):
when the database is what failed, nothing on the error page may need it."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

RETRY_AFTER_SECONDS = 30


def database_unavailable(request) -> HttpResponse:
    """503: the database connection broke during the request (a restart, a fail-over, a
    terminated connection). What was being written is rolled back whole; the page says
    so, and to send again. A retry is safe: forms that create something carry a one-time
    token (portal.once) and edits carry the version they were made on."""
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@requires_csrf_token
def server_error(request) -> HttpResponse:
    """handler500: a broken database connection answers 503 (try again), anything else 500."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        return database_unavailable(request)
    return HttpResponseServerError(loader.get_template("500.html").render())

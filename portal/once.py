"""A form posted twice acts once.

Forms that create something (an extra conversation, a criterion, evidence, a feedback message,
a research assignment for a group, a start meeting, an addendum) carry a one-time token
(`{% once_token %}` from portal.templatetags.lev). The browser already blocks a second click
(static/js/lev.js); this is the server's own guarantee for a reload that posts again, a
retry after a network error, or the same page open in two tabs.

The middleware claims the token before the view runs, in the database cache (the
"fallback" alias of settings.CACHES): a claim must outlive a Redis restart, and a post that
creates something is rare enough for one small insert. A second post with a claimed token
does nothing: it goes back to the page it came from with a message. When the view does not
succeed (the form is shown again with its errors, or an error occurs), the claim is
released, so the person can correct and send the form again.
"""

from __future__ import annotations

import logging
import re
import uuid

from django.contrib import messages
from django.db import Error, connection
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .cache import durable_cache
from .errorpages import database_unavailable

logger = logging.getLogger(__name__)

FIELD = "_once"
TTL = 24 * 3600
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def new_token() -> str:
    return uuid.uuid4().hex


def _key(request, token: str) -> str:
    owner = request.user.pk if request.user.is_authenticated else request.session.session_key
    return f"once:{owner}:{token}"


def _back(request):
    referer = request.META.get("HTTP_REFERER", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(referer)
    return redirect("portal:home")


def _claim(cache, key) -> bool | None:
    """True: claimed now; False: claimed before (the form was sent); None: the database
    could not say. Django's database cache answers False for a failed insert as for a key
    that is there, so a False is checked by reading the claim back."""
    try:
        if cache.add(key, "claimed", timeout=TTL):
            return True
        return False if cache.get(key) is not None else None
    except Error:
        return None


def _release(cache, key) -> None:
    """Give the token back after a failure. The failure may have been the database
    connection itself: then once more on a new connection, so that the person can send the
    form again once the database answers."""
    try:
        cache.delete(key)
    except Error:  # DatabaseError, or InterfaceError for a connection already closed
        if connection.in_atomic_block:
            raise
        connection.close()
        cache.delete(key)


class OnceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not _TOKEN.match(token):
            return self.get_response(request)
        key = _key(request, token)
        cache = durable_cache()  # the database: a claim survives a Redis restart
        claimed = _claim(cache, key)
        if claimed is None:
            logger.warning("Could not claim a one-time form token; the form was not handled")
            return database_unavailable(request)  # nothing done: "send it again"
        if not claimed:
            messages.info(
                request,
                _("Dit formulier was al verstuurd. Op deze pagina zie je wat ermee gebeurd is."),
            )
            return _back(request)
        try:
            response = self.get_response(request)
        except Exception:
            _release(cache, key)
            raise
        if not (300 <= response.status_code < 400):
            _release(cache, key)  # not done (errors shown again): the form may be sent again
        return response

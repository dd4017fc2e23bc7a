"""Calendars: the .ics of one conversation, the private feed and its address."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal.mail import absolute_url
from trajecten.access import require_role

from .. import ical, selectors, services
from ..access import (
    DEELNEMERS,
    get_gesprek_for,
)


def _ics_response(payload: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(payload, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_GET
def ics(request, pk: int):
    """One conversation as an .ics file for the participants."""
    gesprek = get_gesprek_for(request.user, pk)
    require_role(gesprek.traject, *DEELNEMERS)
    payload = ical.calendar_bytes(
        [gesprek], name=_("Begeleidingsgesprek"), language=request.LANGUAGE_CODE
    )
    return _ics_response(payload, f"gesprek-{gesprek.local_date:%Y-%m-%d}.ics")


@never_cache
@require_GET
def feed(request, token: str):
    """A user's private calendar feed: no login, the secret token in the address is the key."""
    user = selectors.user_by_calendar_token(token)
    if user is None:
        raise Http404
    payload = ical.calendar_bytes(
        selectors.feed_for(user), name=_("Lev: begeleidingsgesprekken"), language=user.language
    )
    response = _ics_response(payload, "lev-gesprekken.ics")
    response["Content-Disposition"] = 'inline; filename="lev-gesprekken.ics"'
    return response


@login_required
def agenda(request):
    """The page with the user's private feed address and a button to renew it."""
    path = reverse("gesprekken:feed", args=[request.user.calendar_token])
    https_url = absolute_url(path)
    webcal_url = "webcal://" + https_url.split("://", 1)[1]
    return render(
        request, "gesprekken/agenda.html", {"feed_url": https_url, "webcal_url": webcal_url}
    )


@login_required
@require_POST
def agenda_renew(request):
    services.calendar_token_renew(user=request.user, request=request)
    messages.success(
        request,
        _(
            "Je hebt een nieuw agenda-adres. Het oude adres werkt niet meer: koppel je agenda "
            "opnieuw."
        ),
    )
    return redirect("gesprekken:agenda")

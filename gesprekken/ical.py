"""iCalendar (RFC 5545) for conversations: one .ics per conversation and a private feed.

Every conversation is one event with a stable UID; moving it raises SEQUENCE, so calendar
apps update the event they already have instead of adding a second one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vText

from portal.mail import absolute_url

from .models import Gesprek

PRODID = "-//Lev//Begeleidingsgesprekken//NL"


def uid_of(gesprek: Gesprek) -> str:
    """Stable for the life of the conversation: a random UUID, not tied to the site address
    (a moved installation must not duplicate everyone's events)."""
    return f"gesprek-{gesprek.uid}@lev"


def _summary(gesprek: Gesprek) -> str:
    return _("Begeleidingsgesprek %(name)s") % {
        "name": gesprek.traject.zij_instromer.get_full_name()
    }


def event_for(gesprek: Gesprek) -> Event:
    """The VEVENT of `gesprek` (traject and its people selected by the caller)."""
    tz = timezone.get_default_timezone()
    url = absolute_url(reverse("gesprekken:detail", args=[gesprek.pk]))
    people = ", ".join(
        u.get_full_name()
        for u in (gesprek.traject.zij_instromer, gesprek.traject.coach, gesprek.traject.slb)
        if u is not None
    )
    description = "\n".join(
        line
        for line in (
            _("Deelnemers: %(people)s") % {"people": people},
            _("Videolink: %(url)s") % {"url": gesprek.video_url} if gesprek.video_url else "",
            _("Voorbereiden en verslag: %(url)s") % {"url": url},
        )
        if line
    )
    event = Event()
    event.add("uid", uid_of(gesprek))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(gesprek.starts_at, tz))
    event.add("dtend", timezone.localtime(gesprek.ends_at, tz))
    event.add("sequence", gesprek.sequence)
    event.add("last-modified", gesprek.updated_at)
    event.add("created", gesprek.created_at)
    event.add("summary", _summary(gesprek))
    event.add("description", description)
    event.add("url", url)
    location = gesprek.location or gesprek.video_url
    if location:
        event.add("location", vText(location))
    cancelled = gesprek.status == Gesprek.Status.VERVALLEN
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def calendar_bytes(gesprekken: Iterable[Gesprek], *, name: str, language: str) -> bytes:
    """A VCALENDAR with one event per conversation, as bytes ready to serve."""
    with translation.override(language):
        cal = Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", "PUBLISH")
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", settings.TIME_ZONE)
        starts = []
        for gesprek in gesprekken:
            cal.add_component(event_for(gesprek))
            starts.append(timezone.localtime(gesprek.starts_at).date())
        # A VTIMEZONE with only the transitions around these events keeps the feed small.
        today = timezone.localdate()
        year = datetime.timedelta(days=366)
        cal.add_missing_timezones(
            first_date=min([today, *starts]) - year, last_date=max([today, *starts]) + year
        )
        return cal.to_ical()

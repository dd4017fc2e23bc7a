"""iCalendar (RFC 5545) for start meetings, sent as an .ics attachment with the invitation."""

from __future__ import annotations

import base64

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Startbijeenkomst


def startbijeenkomst_ics(bijeenkomst: Startbijeenkomst, attendee_emails: list[str]) -> bytes:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "lev"
    cal = Calendar()
    cal.add("prodid", "-//Lev//Startbijeenkomst//NL")
    cal.add("version", "2.0")
    cal.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"startbijeenkomst-{bijeenkomst.pk}@{host}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(bijeenkomst.starts_at))
    event.add("dtend", timezone.localtime(bijeenkomst.ends_at))
    event.add("sequence", bijeenkomst.sequence)
    event.add("summary", bijeenkomst.title)
    event.add("location", vText(bijeenkomst.location))
    if bijeenkomst.description:
        event.add("description", bijeenkomst.description)
    for email in attendee_emails:
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=0)
    cal.add_component(event)
    return cal.to_ical()


def as_attachment(ics: bytes) -> dict:
    """The JSON-safe attachment record portal.mail.mail_queue stores."""
    return {
        "name": "startbijeenkomst.ics",
        "mimetype": "text/calendar; method=REQUEST",
        "content": base64.b64encode(ics).decode("ascii"),
    }

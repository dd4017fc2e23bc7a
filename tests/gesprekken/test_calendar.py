"""Calendars: a private feed per user (secret token, no login), an .ics per conversation,
valid RFC 5545, and a moved conversation updates the same event."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from gesprekken import services
from portal.models import AuditEvent
from tests import factories as f

pytestmark = pytest.mark.django_db


def parse(response) -> Calendar:
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(cal: Calendar) -> list:
    return [c for c in cal.walk("VEVENT")]


def test_feed_opens_without_login_with_the_users_conversations(cast, client, gesprek):
    other = f.GesprekFactory(cycle_number=1)  # someone else's
    response = client.get(reverse("gesprekken:feed", args=[cast.zij_instromer.calendar_token]))
    assert response.status_code == 200
    cal = parse(response)
    assert str(cal["VERSION"]) == "2.0" and cal["PRODID"]
    (event,) = events(cal)
    assert str(event["UID"]).startswith(f"gesprek-{gesprek.uid}@")
    assert event.decoded("DTSTART") == gesprek.starts_at
    assert event.decoded("DTEND") == gesprek.ends_at
    assert str(event["LOCATION"]) == "Lokaal 3"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert reverse("gesprekken:detail", args=[gesprek.pk]) in str(event["URL"])
    assert str(other.uid) not in response.content.decode()
    # A time zone definition is included for the local times (RFC 5545 3.6.5).
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Amsterdam"]


def test_feed_is_valid_rfc5545_text(cast, client, gesprek):
    raw = client.get(reverse("gesprekken:feed", args=[cast.coach.calendar_token])).content
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75, line  # folded lines (RFC 5545 3.1)
    for required in (b"DTSTAMP:", b"UID:", b"DTSTART;TZID=Europe/Amsterdam:", b"SEQUENCE:0"):
        assert required in raw


def test_moving_keeps_the_uid_and_raises_the_sequence(cast, client, gesprek):
    url = reverse("gesprekken:feed", args=[cast.slb.calendar_token])
    before = events(parse(client.get(url)))[0]
    new_start = gesprek.starts_at + datetime.timedelta(days=1, hours=1)
    services.gesprek_move(
        gesprek=gesprek,
        actor=cast.slb,
        sequence=0,
        starts_at=new_start,
        duration_minutes=90,
        location="",
        video_url="https://meet.example.test/x",
    )
    after = events(parse(client.get(url)))[0]
    assert after["UID"] == before["UID"]
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after.decoded("DTSTART") == new_start
    assert str(after["LOCATION"]) == "https://meet.example.test/x"


def test_cancelled_conversations_stay_in_the_feed_as_cancelled(cast, client, gesprek):
    services.gesprekken_cancel_future(traject=cast.traject)
    event = events(parse(client.get(reverse("gesprekken:feed", args=[cast.slb.calendar_token]))))[0]
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1


def test_unknown_token_is_404(client, cast):
    assert client.get(reverse("gesprekken:feed", args=["nietgeldig"])).status_code == 404


def test_roles_without_conversations_get_an_empty_feed(cast, client, gesprek):
    for who in ("duo", "schoolleider", "coordinator"):
        token = getattr(cast, who).calendar_token
        cal = parse(client.get(reverse("gesprekken:feed", args=[token])))
        assert events(cal) == []


def test_renewing_the_token_stops_the_old_address(cast, client):
    old = cast.coach.calendar_token
    client.force_login(cast.coach)
    assert old in client.get(reverse("gesprekken:agenda")).content.decode()
    response = client.post(reverse("gesprekken:agenda_renew"))
    assert response.status_code == 302
    cast.coach.refresh_from_db()
    assert cast.coach.calendar_token != old
    client.logout()
    assert client.get(reverse("gesprekken:feed", args=[old])).status_code == 404
    assert (
        client.get(reverse("gesprekken:feed", args=[cast.coach.calendar_token])).status_code == 200
    )
    assert AuditEvent.objects.filter(action="agenda.token_renew").exists()


def test_single_conversation_ics_download(cast, client, gesprek):
    client.force_login(cast.zij_instromer)
    response = client.get(reverse("gesprekken:ics", args=[gesprek.pk]))
    assert "attachment" in response["Content-Disposition"]
    (event,) = events(parse(response))
    assert str(event["UID"]).startswith(f"gesprek-{gesprek.uid}@")


def test_feed_has_a_fixed_number_of_queries(cast, client, django_assert_max_num_queries):
    for n in range(10):
        f.GesprekFactory(traject=cast.traject, cycle_number=n + 1)
    with django_assert_max_num_queries(3):
        response = client.get(reverse("gesprekken:feed", args=[cast.slb.calendar_token]))
    assert len(events(parse(response))) == 10

"""Forms that create something carry a one-time token (portal.once): posted twice they act
once, the second post goes back with a message; a form shown again with its errors may be
sent again. Pages render the token in those forms."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from bekwaamheid.models import Feedback, Succescriterium
from gesprekken.models import Addendum, Gesprek
from portal.models import Startbijeenkomst, Uitnodiging
from tests import factories as f
from tests.bekwaamheid.helpers import world as world  # the fixture

pytestmark = pytest.mark.django_db


def token_in(html: str, action: str | None) -> str:
    """The one-time token of the form posting to `action` (None: the form posting to the
    page itself, without an action) on a rendered page."""
    if action is None:
        pattern = r'<form method="post"(?![^>]*action=)[^>]*>(.*?)</form>'
    else:
        pattern = rf'<form[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>'
    form = re.search(pattern, html, re.S)
    assert form, f"no form for {action}"
    found = re.search(r'name="_once" value="([0-9a-f]{32})"', form.group(1))
    assert found, f"no one-time token in the form for {action}"
    return found.group(1)


def post_twice(client, url: str, data: dict, referer: str):
    answers = []
    for _ in range(2):
        client.cookies.pop("messages", None)
        answers.append(client.post(url, data, HTTP_REFERER="http://testserver" + referer))
    return answers


def told_already(response) -> bool:
    return any("al verstuurd" in str(m) for m in get_messages(response.wsgi_request))


def test_an_extra_conversation_posted_twice_is_planned_once(client, cast):
    client.force_login(cast.coach)
    url = reverse("gesprekken:add", args=[cast.traject.pk])
    token = token_in(client.get(url).content.decode(), None)
    day = timezone.localdate() + datetime.timedelta(days=5)
    data = {
        "date": day.isoformat(),
        "time": "14:00",
        "duration_minutes": 30,
        "location": "Lokaal 4",
        "video_url": "",
        "_once": token,
    }
    first, second = post_twice(client, url, data, referer=url)
    assert first.status_code == 302 and second.status_code == 302
    assert cast.traject.gesprekken.filter(soort=Gesprek.Soort.EXTRA).count() == 1
    assert second["Location"] == "http://testserver" + url and told_already(second)
    assert not told_already(first)


def test_a_criterion_and_a_feedback_message_posted_twice_are_added_once(client, world):
    work_url = reverse("bekwaamheid:onderzoeksopdracht", args=[world.work.pk])
    add_url = reverse("bekwaamheid:criterium_add", args=[world.work.pk])
    client.force_login(world.cast.zij_instromer)
    page = client.get(work_url).content.decode()
    before = Succescriterium.objects.count()
    post_twice(
        client,
        add_url,
        {"tekst": "Ik stel open vragen.", "_once": token_in(page, add_url)},
        work_url,
    )
    assert Succescriterium.objects.count() == before + 1

    feedback_url = reverse("bekwaamheid:feedback_post", args=[world.work.pk])
    page = client.get(work_url).content.decode()
    _first, second = post_twice(
        client,
        feedback_url,
        {"tekst": "Graag je blik hierop.", "_once": token_in(page, feedback_url)},
        work_url,
    )
    assert Feedback.objects.filter(tekst="Graag je blik hierop.").count() == 1
    assert told_already(second)


def test_a_form_shown_again_with_errors_may_be_sent_again_with_its_token(client, world):
    work_url = reverse("bekwaamheid:onderzoeksopdracht", args=[world.work.pk])
    add_url = reverse("bekwaamheid:criterium_add", args=[world.work.pk])
    client.force_login(world.cast.zij_instromer)
    token = token_in(client.get(work_url).content.decode(), add_url)
    before = Succescriterium.objects.count()
    refused = client.post(add_url, {"tekst": "", "_once": token})
    assert refused.status_code == 400 and Succescriterium.objects.count() == before
    assert "is-invalid" in refused.content.decode()
    done = client.post(add_url, {"tekst": "Ik geef korte instructie.", "_once": token})
    assert done.status_code == 302 and Succescriterium.objects.count() == before + 1
    assert not told_already(done)


def test_an_addendum_posted_twice_is_added_once(client, cast):
    gesprek = f.GesprekFactory(traject=cast.traject, cycle_number=1)
    verslag = f.VerslagFactory(gesprek=gesprek)
    verslag.locked_at = timezone.now()
    verslag.save(update_fields=["locked_at"])
    client.force_login(cast.zij_instromer)
    detail = reverse("gesprekken:detail", args=[gesprek.pk])
    url = reverse("gesprekken:addendum", args=[gesprek.pk])
    token = token_in(client.get(detail).content.decode(), url)
    post_twice(client, url, {"tekst": "Correctie: groep 5.", "_once": token}, detail)
    assert Addendum.objects.filter(verslag=verslag).count() == 1


def test_a_start_meeting_posted_twice_invites_everyone_once(client, cast):
    client.force_login(cast.coordinator)
    url = reverse("portal:startbijeenkomst_nieuw")
    token = token_in(client.get(url).content.decode(), None)
    data = {
        "title": "Startbijeenkomst cohort september",
        "cohort_start": cast.traject.start_date.isoformat(),
        "starts_at": "2030-08-25T15:00",
        "ends_at": "2030-08-25T17:00",
        "location": "Pabo, zaal 1.12",
        "description": "Kennismaking.",
        "_once": token,
    }
    post_twice(client, url, data, url)
    assert Startbijeenkomst.objects.count() == 1
    assert Uitnodiging.objects.filter(user=cast.coach).count() == 1


def test_a_token_of_another_person_is_theirs_alone(client, cast):
    """Claims are per person: the same token value from someone else still acts."""
    day = timezone.localdate() + datetime.timedelta(days=5)
    data = {
        "date": day.isoformat(),
        "time": "14:00",
        "duration_minutes": 30,
        "location": "Lokaal 4",
        "video_url": "",
        "_once": "a" * 32,
    }
    url = reverse("gesprekken:add", args=[cast.traject.pk])
    for person in (cast.coach, cast.slb):
        client.force_login(person)
        assert client.post(url, data).status_code == 302
    assert cast.traject.gesprekken.filter(soort=Gesprek.Soort.EXTRA).count() == 2

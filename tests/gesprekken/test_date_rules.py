"""A report may be drafted before its conversation, but signed only from the conversation's
day (issue 18, case 3)."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from gesprekken import services
from gesprekken.models import Handtekening
from gesprekken.planning import at_default_time
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def next_week(cast):
    day = timezone.localdate() + datetime.timedelta(days=7)
    gesprek = f.GesprekFactory(
        traject=cast.traject, cycle_number=1, planned_for=day, starts_at=at_default_time(day)
    )
    return f.VerslagFactory(gesprek=gesprek)


def test_a_report_for_next_week_is_refused_a_signature_in_the_service(cast, next_week):
    with pytest.raises(services.SignedTooEarly) as exc:
        services.verslag_sign(verslag=next_week, user=cast.coach, version=1)
    day = next_week.gesprek.planned_for
    assert f"{day:%d-%m-%Y}" in exc.value.messages[0]
    assert not Handtekening.objects.exists()


def test_on_the_conversations_day_it_may_be_signed_even_before_the_hour(cast, next_week):
    start = timezone.localtime(next_week.gesprek.starts_at)
    early_that_day = start.replace(hour=7, minute=0)
    with time_machine.travel(early_that_day, tick=False):
        services.verslag_sign(verslag=next_week, user=cast.coach, version=1)
    assert Handtekening.objects.filter(user=cast.coach).exists()


def test_the_page_shows_a_draft_and_refuses_the_sign_post(client, cast, next_week):
    client.force_login(cast.zij_instromer)
    url = reverse("gesprekken:detail", args=[next_week.gesprek.pk])
    page = client.get(url).content.decode()
    assert "ondertekenen kan vanaf de dag van het gesprek" in page
    assert reverse("gesprekken:sign", args=[next_week.gesprek.pk]) not in page
    response = client.post(
        reverse("gesprekken:sign", args=[next_week.gesprek.pk]), {"version": 1}, follow=True
    )
    assert "kan pas worden ondertekend vanaf de dag van het gesprek" in response.content.decode()
    assert not Handtekening.objects.exists()


def test_drafting_before_the_conversation_stays_possible(client, cast, next_week):
    client.force_login(cast.slb)
    response = client.get(reverse("gesprekken:verslag", args=[next_week.gesprek.pk]))
    assert response.status_code == 200


def test_the_message_is_in_english_on_request(cast, next_week):
    from django.utils import translation

    with translation.override("en"), pytest.raises(services.SignedTooEarly) as exc:
        services.verslag_sign(verslag=next_week, user=cast.coach, version=1)
    assert "can only be signed from the day of the conversation" in exc.value.messages[0]


def test_my_list_of_reports_to_sign_leaves_out_next_weeks(client, cast, next_week):
    from gesprekken import selectors

    held = f.VerslagFactory(
        gesprek=f.GesprekFactory(traject=cast.traject, cycle_number=2, held=True)
    )
    listed = list(selectors.to_sign_for(cast.coach))
    assert held.gesprek in listed
    assert next_week.gesprek not in listed

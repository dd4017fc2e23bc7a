"""The cycle: planned every three months from the start to the end date, moved without
losing its place, extra conversations beside it, re-planned when the traject's dates change."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from gesprekken import services
from gesprekken.models import Gesprek, SignaalTag
from gesprekken.planning import add_months, cycle_dates, working_day
from portal.models import AuditEvent, Notificatie
from tests import factories as f
from trajecten import hooks
from trajecten.models import Traject

D = datetime.date


def test_add_months_keeps_the_day_or_takes_the_last_of_a_short_month():
    assert add_months(D(2026, 1, 15), 3) == D(2026, 4, 15)
    assert add_months(D(2025, 11, 30), 3) == D(2026, 2, 28)
    assert add_months(D(2027, 11, 30), 3) == D(2028, 2, 29)
    assert add_months(D(2026, 10, 1), 3) == D(2027, 1, 1)


def test_weekend_dates_move_to_monday_or_back_to_friday_at_the_end():
    assert working_day(D(2026, 8, 29), D(2027, 1, 1)) == D(2026, 8, 31)  # Saturday -> Monday
    assert working_day(D(2026, 8, 30), D(2027, 1, 1)) == D(2026, 8, 31)  # Sunday -> Monday
    assert working_day(D(2026, 8, 29), D(2026, 8, 30)) == D(2026, 8, 28)  # past the end: Friday
    assert working_day(D(2026, 9, 2), D(2027, 1, 1)) == D(2026, 9, 2)


def test_a_two_year_traject_has_a_conversation_every_three_months_until_its_end():
    slots = cycle_dates(D(2026, 9, 1), D(2028, 8, 31))
    assert [n for n, _d in slots] == [1, 2, 3, 4, 5, 6, 7]
    assert slots[0] == (1, D(2026, 12, 1))
    assert slots[-1] == (7, D(2028, 6, 1))
    assert all(day.weekday() < 5 for _n, day in slots)
    # An end date exactly on the eighth slot includes it.
    assert len(cycle_dates(D(2026, 9, 1), D(2028, 9, 1))) == 8


pytestmark_db = pytest.mark.django_db


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 9, 1, 9, tzinfo=datetime.UTC), tick=False)
def test_starting_a_traject_plans_its_cycle_through_the_hook():
    traject = f.TrajectFactory(start_date=D(2026, 9, 1), end_date=D(2028, 8, 31))
    hooks.traject_started(traject)
    gesprekken = list(Gesprek.objects.filter(traject=traject).order_by("starts_at"))
    assert [g.cycle_number for g in gesprekken] == [1, 2, 3, 4, 5, 6, 7]
    first = gesprekken[0]
    assert timezone.localtime(first.starts_at) == timezone.make_aware(
        datetime.datetime(2026, 12, 1, 15, 30)
    )
    assert first.location == traject.school.name
    # Its partnership got the default signal tags.
    names = set(
        SignaalTag.objects.filter(partnerschap=traject.school.bestuur.partnerschap).values_list(
            "name", flat=True
        )
    )
    assert {"werkdruk", "team", "klassenmanagement"} <= names


@pytest.mark.django_db
def test_planning_twice_changes_nothing(cast):
    services.gesprek_cycle_plan(traject=cast.traject)
    before = list(Gesprek.objects.values_list("pk", "starts_at", "sequence"))
    result = services.gesprek_cycle_plan(traject=cast.traject)
    assert (result.created, result.moved, result.cancelled) == (0, 0, 0)
    assert list(Gesprek.objects.values_list("pk", "starts_at", "sequence")) == before


@pytest.mark.django_db
def test_past_slots_are_not_invented_unless_asked_for_history(cast):
    # The cast's traject started 90 days ago: slot 1 lies (about) today; none earlier.
    traject = f.TrajectFactory(
        start_date=timezone.localdate() - datetime.timedelta(days=400),
        end_date=timezone.localdate() + datetime.timedelta(days=300),
    )
    services.gesprek_cycle_plan(traject=traject)
    assert all(g.local_date >= timezone.localdate() for g in traject.gesprekken.all())
    services.gesprek_cycle_plan(traject=traject, include_past=True)
    assert traject.gesprekken.filter(cycle_number=1).exists()


@pytest.mark.django_db
def test_new_end_date_moves_unmoved_conversations_and_cancels_those_beyond_it():
    with time_machine.travel(datetime.datetime(2026, 9, 1, 9, tzinfo=datetime.UTC), tick=False):
        traject = f.TrajectFactory(start_date=D(2026, 9, 1), end_date=D(2028, 8, 31))
        services.gesprek_cycle_plan(traject=traject)
        moved = traject.gesprekken.get(cycle_number=2)
        services.gesprek_move(
            gesprek=moved,
            actor=traject.slb,
            sequence=moved.sequence,
            starts_at=moved.starts_at + datetime.timedelta(days=3),
            duration_minutes=60,
            location="Aula",
            video_url="",
        )
        # The start moves a month later and the end a year earlier.
        Traject.objects.filter(pk=traject.pk).update(
            start_date=D(2026, 10, 1), end_date=D(2027, 9, 30)
        )
        traject.refresh_from_db()
        hooks.traject_started(traject)
    by_number = {g.cycle_number: g for g in traject.gesprekken.all()}
    assert by_number[1].local_date == D(2027, 1, 4) and by_number[1].sequence == 1  # not 1 Jan
    assert by_number[2].location == "Aula"  # moved by a person: left alone
    assert by_number[3].local_date == D(2027, 7, 1)
    assert by_number[4].status == Gesprek.Status.VERVALLEN
    assert by_number[7].status == Gesprek.Status.VERVALLEN
    assert by_number[4].sequence == 1


@pytest.mark.django_db
def test_safety_net_plans_active_trajecten_without_a_cycle_once(django_assert_max_num_queries):
    for _ in range(30):
        f.TrajectFactory()
    f.TrajectFactory(status=Traject.Status.INTAKE)
    # One read, batched inserts (SQLite's variable limit splits them), one tag seed.
    with django_assert_max_num_queries(12):
        created = services.gesprekken_plan_missing()
    assert created > 0
    assert Traject.objects.filter(status="actief", gesprekken__isnull=True).count() == 0
    assert not Gesprek.objects.filter(traject__status=Traject.Status.INTAKE).exists()
    assert services.gesprekken_plan_missing() == 0


@pytest.mark.django_db
def test_beat_task_runs_the_safety_net(cast):
    from gesprekken.tasks import cycli_plannen

    assert cycli_plannen.delay().get() > 0
    assert cast.traject.gesprekken.exists()


@pytest.mark.django_db
def test_slb_moves_a_conversation_it_keeps_its_place_and_uid(cast, client, gesprek):
    client.force_login(cast.slb)
    new_day = gesprek.local_date + datetime.timedelta(days=2)
    response = client.post(
        reverse("gesprekken:move", args=[gesprek.pk]),
        {
            "date": new_day.isoformat(),
            "time": "10:15",
            "duration_minutes": 45,
            "location": "",
            "video_url": "https://meet.example.test/abc",
            "reason": "Studiedag",
            "sequence": gesprek.sequence,
        },
    )
    assert response.status_code == 302
    old_uid = gesprek.uid
    gesprek.refresh_from_db()
    assert gesprek.cycle_number == 1 and gesprek.uid == old_uid
    assert gesprek.sequence == 1 and gesprek.moved_by == cast.slb
    assert timezone.localtime(gesprek.starts_at).time() == datetime.time(10, 15)
    assert gesprek.video_url == "https://meet.example.test/abc"
    assert AuditEvent.objects.filter(action="gesprek.move", object_id=str(gesprek.pk)).exists()
    told = set(Notificatie.objects.filter(kind="gesprek_verplaatst").values_list("user", flat=True))
    assert told == {cast.zij_instromer.pk, cast.coach.pk}


@pytest.mark.django_db
def test_a_stale_move_is_refused_and_keeps_the_input(cast, client, gesprek):
    services.gesprek_move(
        gesprek=gesprek,
        actor=cast.coach,
        sequence=0,
        starts_at=gesprek.starts_at,
        duration_minutes=60,
        location="Teamkamer",
        video_url="",
    )
    client.force_login(cast.slb)
    response = client.post(
        reverse("gesprekken:move", args=[gesprek.pk]),
        {
            "date": gesprek.local_date.isoformat(),
            "time": "09:00",
            "duration_minutes": 60,
            "location": "Mijn voorstel",
            "video_url": "",
            "sequence": 0,
        },
    )
    assert response.status_code == 409
    assert "Mijn voorstel" in response.content.decode()
    gesprek.refresh_from_db()
    assert gesprek.location == "Teamkamer"


@pytest.mark.django_db
def test_a_move_needs_a_place_or_a_link(cast, client, gesprek):
    client.force_login(cast.slb)
    response = client.post(
        reverse("gesprekken:move", args=[gesprek.pk]),
        {
            "date": gesprek.local_date.isoformat(),
            "time": "09:00",
            "duration_minutes": 60,
            "location": "",
            "video_url": "",
            "sequence": 0,
        },
    )
    assert response.status_code == 200
    assert "Vul een plaats of een videolink in." in response.content.decode()


@pytest.mark.django_db
def test_coach_adds_an_extra_conversation_beside_the_rhythm(cast, client):
    services.gesprek_cycle_plan(traject=cast.traject)
    slots = set(cast.traject.gesprekken.values_list("cycle_number", flat=True))
    client.force_login(cast.coach)
    day = timezone.localdate() + datetime.timedelta(days=5)
    response = client.post(
        reverse("gesprekken:add", args=[cast.traject.pk]),
        {
            "date": day.isoformat(),
            "time": "14:00",
            "duration_minutes": 30,
            "location": "Lokaal 4",
            "video_url": "",
        },
    )
    assert response.status_code == 302
    extra = cast.traject.gesprekken.get(soort=Gesprek.Soort.EXTRA)
    assert extra.cycle_number is None and extra.created_by == cast.coach
    assert (
        set(cast.traject.gesprekken.exclude(pk=extra.pk).values_list("cycle_number", flat=True))
        == slots
    )


@pytest.mark.django_db
def test_stopping_a_traject_cancels_its_future_conversations(cast):
    services.gesprek_cycle_plan(traject=cast.traject)
    services.gesprekken_cancel_future(traject=cast.traject)
    assert not cast.traject.gesprekken.filter(
        status=Gesprek.Status.GEPLAND, starts_at__gt=timezone.now()
    ).exists()


@pytest.mark.django_db
def test_cycle_list_has_a_constant_number_of_queries(cast, client, django_assert_max_num_queries):
    services.gesprek_cycle_plan(traject=cast.traject, include_past=True)
    for g in cast.traject.gesprekken.all()[:3]:
        f.VoorbereidingFactory(gesprek=g)
        f.sign_all(f.VerslagFactory(gesprek=g))
    client.force_login(cast.slb)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("gesprekken:cyclus", args=[cast.traject.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("ondertekend") >= 3


@pytest.mark.django_db
def test_a_conversation_with_a_signed_report_cannot_be_moved(cast, client, gesprek):
    f.sign_all(f.VerslagFactory(gesprek=gesprek))
    client.force_login(cast.slb)
    response = client.post(
        reverse("gesprekken:move", args=[gesprek.pk]),
        {
            "date": gesprek.local_date.isoformat(),
            "time": "09:00",
            "duration_minutes": 60,
            "location": "Elders",
            "video_url": "",
            "sequence": 0,
        },
    )
    assert response.status_code == 302
    gesprek.refresh_from_db()
    assert gesprek.location == "Lokaal 3" and gesprek.sequence == 0

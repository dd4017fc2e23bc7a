"""The traject's lifecycle (trajecten.lifecycle): one stored phase, moved only along the
drawn transitions, each move audited, nothing backwards without a reason."""

import pytest
from django.utils import timezone

from portal.models import AuditEvent
from tests import factories as f
from tests.trajecten.conftest import agree_all
from trajecten import lifecycle, services
from trajecten.models import Stage, Traject

pytestmark = pytest.mark.django_db


def test_every_phase_has_its_transitions_and_the_ends_have_none():
    assert set(lifecycle.TRANSITIONS) == set(Stage.values)
    assert lifecycle.TRANSITIONS[Stage.AFGEROND] == frozenset()
    assert lifecycle.TRANSITIONS[Stage.GESTOPT] == frozenset()
    for van in lifecycle.RUNNING:
        assert Stage.GESTOPT in lifecycle.TRANSITIONS[van]


@pytest.mark.parametrize(
    "van, naar",
    [
        (Stage.INTAKE, Stage.OPLEIDING),
        (Stage.SCHOLINGSPLAN, Stage.PROEVE),
        (Stage.OPLEIDING, Stage.SCHOLINGSPLAN),
        (Stage.OPLEIDING, Stage.AFGEROND),
        (Stage.AFGEROND, Stage.OPLEIDING),
        (Stage.GESTOPT, Stage.INTAKE),
    ],
)
def test_a_move_off_the_drawn_route_is_refused_and_changes_nothing(van, naar):
    traject = f.TrajectFactory(fase=van, status=lifecycle.STATUS_OF[van])
    with pytest.raises(lifecycle.TransitionRefused):
        lifecycle.move(traject, naar, by=None)
    assert Traject.objects.get(pk=traject.pk).fase == van
    assert not AuditEvent.objects.filter(traject_id=traject.pk).exists()


def test_the_step_back_after_a_fail_needs_a_reason():
    traject = f.TrajectFactory(fase=Stage.PROEVE)
    with pytest.raises(lifecycle.TransitionRefused):
        lifecycle.move(traject, Stage.OPLEIDING, by=None)
    lifecycle.move(traject, Stage.OPLEIDING, by=None, reden="herkansing")
    assert Traject.objects.get(pk=traject.pk).fase == Stage.OPLEIDING


def test_a_move_sets_the_status_and_is_audited():
    coordinator = f.UserFactory()
    traject = f.TrajectFactory(fase=Stage.OPLEIDING)
    lifecycle.move(traject, Stage.GESTOPT, by=coordinator, reden="verhuisd")
    row = Traject.objects.get(pk=traject.pk)
    assert (row.fase, row.status) == (Stage.GESTOPT, Traject.Status.GESTOPT)
    event = AuditEvent.objects.get(traject_id=traject.pk)
    assert event.action == "traject.stop" and event.actor == coordinator
    assert event.detail == {"van": "opleiding", "naar": "gestopt", "reden": "verhuisd"}


def test_intake_and_plan_move_the_traject_on_through_the_services(cast, concept):
    """A positive intake starts the plan phase; the agreed plan starts the training. The
    services move it, no page derives it."""
    t = cast.traject
    Traject.objects.filter(pk=t.pk).update(fase=Stage.SCHOLINGSPLAN)
    assert Traject.objects.get(pk=t.pk).stage_label == "Scholingsplan"
    services.scholingsplan_submit(versie=concept, user=cast.slb)
    agree_all(cast, concept)
    assert Traject.objects.get(pk=t.pk).fase == Stage.OPLEIDING
    assert lifecycle.mismatched_ids([t.pk]) == []


def test_a_positive_intake_starts_the_plan_phase():
    traject = f.TrajectFactory(status=Traject.Status.INTAKE)
    assert traject.fase == Stage.INTAKE
    slb = traject.slb
    services.geschiktheidsonderzoek_save(
        traject=traject,
        user=slb,
        datum=timezone.localdate(),
        uitkomst="positief",
        kan_direct_lesgeven="Ja",
        kan_binnen_twee_jaar="Ja",
        scholing_en_ondersteuning="Modules",
        ontwikkelpunten=[
            {"id": None, "gebied": f.gebied(), "titel": "Orde", "omschrijving": "", "delete": False}
        ],
    )
    row = Traject.objects.get(pk=traject.pk)
    assert (row.fase, row.status) == (Stage.SCHOLINGSPLAN, Traject.Status.ACTIEF)
    assert AuditEvent.objects.filter(action="traject.start", traject_id=traject.pk).exists()


def test_lists_and_filters_read_the_stored_phase(client, cast):
    other = f.TrajectFactory(school=cast.traject.school, fase=Stage.SCHOLINGSPLAN)
    client.force_login(cast.coordinator)
    from django.urls import reverse

    page = client.get(reverse("trajecten:list"), {"fase": "scholingsplan"}).content.decode()
    assert other.zij_instromer.last_name in page
    assert cast.zij_instromer.last_name not in page


def test_store_derived_repairs_a_phase_written_by_hand(cast, agreed):
    t = cast.traject
    Traject.objects.filter(pk=t.pk).update(fase=Stage.INTAKE)
    assert lifecycle.mismatched_ids([t.pk]) == [t.pk]
    lifecycle.store_derived([t.pk])
    assert Traject.objects.get(pk=t.pk).fase == Stage.OPLEIDING

"""The Proeve in the traject's lifecycle (trajecten.lifecycle): submitting the dossier moves
the traject to its Proeve; a pass keeps it there until the SLB or the coordinator closes it; a
fail takes it back to its training with the retake recorded."""

import pytest
from django.urls import reverse

from bekwaamheid import services
from portal.models import AuditEvent
from tests.bekwaamheid.helpers import judged, plan, signed, submit
from trajecten import lifecycle
from trajecten.models import Stage, Traject

pytestmark = pytest.mark.django_db


def fase(traject) -> str:
    return Traject.objects.get(pk=traject.pk).fase


def test_submitting_the_dossier_moves_the_traject_into_its_proeve(world):
    traject = world.cast.traject
    assert fase(traject) == Stage.OPLEIDING
    submit(world)
    assert fase(traject) == Stage.PROEVE
    event = AuditEvent.objects.filter(action="traject.fase", traject_id=traject.pk).get()
    assert event.detail == {"van": "opleiding", "naar": "proeve"}


def test_a_dossier_is_not_submitted_before_the_training(world):
    traject = world.cast.traject
    Traject.objects.filter(pk=traject.pk).update(fase=Stage.SCHOLINGSPLAN)
    with pytest.raises(services.Refused, match="opleiding"):
        submit(world)
    assert fase(traject) == Stage.SCHOLINGSPLAN
    assert not world.work.dossier.proeven.exists()


def test_a_pass_keeps_the_proeve_phase_until_the_traject_is_closed(world):
    """The phase never falls back to opleiding after a pass (it used to, in every list)."""
    traject = world.cast.traject
    proeve = signed(world, judged(world, plan(world, submit(world))))
    assert proeve.uitslag == "voldoende"
    assert fase(traject) == Stage.PROEVE
    services.proeve_traject_afronden(proeve=proeve, by=world.cast.slb)
    row = Traject.objects.get(pk=traject.pk)
    assert (row.fase, row.status) == (Stage.AFGEROND, Traject.Status.AFGEROND)
    assert AuditEvent.objects.filter(action="traject.afronden", traject_id=traject.pk).exists()
    with pytest.raises(services.Refused):
        services.proeve_traject_afronden(proeve=proeve, by=world.cast.coordinator)


def test_a_fail_goes_back_to_the_training_with_the_retake_recorded(world):
    traject = world.cast.traject
    proeve = signed(world, judged(world, plan(world, submit(world))), uitslag="onvoldoende")
    assert fase(traject) == Stage.OPLEIDING
    step_back = AuditEvent.objects.filter(action="traject.fase", traject_id=traject.pk).latest("pk")
    assert step_back.detail["van"] == "proeve" and step_back.detail["naar"] == "opleiding"
    assert "herkansing" in step_back.detail["reden"]
    with pytest.raises(services.Refused):
        services.proeve_traject_afronden(proeve=proeve, by=world.cast.coordinator)
    # The retake: the dossier goes in again, into the open second attempt.
    retake = services.dossier_submit(dossier=world.work.dossier, by=world.cast.zij_instromer)
    assert retake.poging == 2 and fase(traject) == Stage.PROEVE


def test_the_stored_phase_agrees_with_the_records_at_every_step(world):
    traject = world.cast.traject
    proeve = submit(world)
    assert lifecycle.mismatched_ids([traject.pk]) == []
    proeve = signed(world, judged(world, plan(world, proeve)))
    assert lifecycle.mismatched_ids([traject.pk]) == []
    services.proeve_traject_afronden(proeve=proeve, by=world.cast.coordinator)
    assert lifecycle.mismatched_ids([traject.pk]) == []


@pytest.mark.parametrize("name, allowed", [("slb", True), ("coordinator", True), ("coach", False)])
def test_closing_after_a_pass_through_the_page(client, world, name, allowed):
    proeve = signed(world, judged(world, plan(world, submit(world))))
    client.force_login(getattr(world.cast, name))
    page = client.get(reverse("bekwaamheid:proeve", args=[proeve.pk]))
    if name != "coach":
        assert page.status_code == 200
        assert ("Traject afronden" in page.content.decode()) is allowed
    response = client.post(reverse("bekwaamheid:traject_afronden", args=[proeve.pk]))
    if allowed:
        assert response.status_code == 302
        assert fase(world.cast.traject) == Stage.AFGEROND
    else:
        assert response.status_code in (403, 404)
        assert fase(world.cast.traject) == Stage.PROEVE


def test_a_fail_signed_after_the_traject_stopped_leaves_it_stopped(world):
    traject = world.cast.traject
    proeve = judged(world, plan(world, submit(world)))
    locked = Traject.objects.get(pk=traject.pk)
    lifecycle.move(locked, Stage.GESTOPT, by=world.cast.coordinator, reden="verhuisd")
    proeve = signed(world, proeve, uitslag="onvoldoende")
    assert proeve.uitslag == "onvoldoende"
    assert fase(traject) == Stage.GESTOPT

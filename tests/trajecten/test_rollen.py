"""Coordinators change coach, SLB or duo; the history is kept, audited, behind
re-authentication."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from portal.models import AuditEvent, Notificatie
from tests import factories as f
from tests.trajecten.conftest import reauthenticate
from trajecten import services
from trajecten.models import Roltoewijzing

pytestmark = pytest.mark.django_db


def url(cast):
    return reverse("trajecten:rollen", args=[cast.traject.pk])


def test_changing_the_coach_closes_the_old_assignment_and_opens_a_new_one(cast):
    old = cast.coach
    Roltoewijzing.objects.create(traject=cast.traject, rol="coach", user=old)
    new = f.UserFactory()
    services.traject_role_change(traject=cast.traject, rol="coach", user=new, door=cast.coordinator)
    cast.traject.refresh_from_db()
    assert cast.traject.coach == new
    history = list(Roltoewijzing.objects.filter(traject=cast.traject, rol="coach").order_by("van"))
    assert [(h.user, h.tot is None) for h in history] == [(old, False), (new, True)]
    assert history[1].door == cast.coordinator
    event = AuditEvent.objects.get(action="traject.rol_wijzigen")
    assert event.detail == {"rol": "coach", "van": old.pk, "naar": new.pk}
    assert event.actor == cast.coordinator
    assert Notificatie.objects.filter(user=new, kind="rol").exists()


def test_a_holder_without_recorded_history_gets_a_closed_assignment(cast):
    old = cast.slb
    services.traject_role_change(
        traject=cast.traject, rol="slb", user=f.UserFactory(), door=cast.coordinator
    )
    closed = Roltoewijzing.objects.get(traject=cast.traject, rol="slb", user=old)
    assert closed.tot is not None


def test_duo_may_become_vacant_but_coach_and_slb_may_not(cast):
    services.traject_role_change(traject=cast.traject, rol="duo", user=None, door=cast.coordinator)
    cast.traject.refresh_from_db()
    assert cast.traject.duo is None
    with pytest.raises(ValidationError):
        services.traject_role_change(
            traject=cast.traject, rol="coach", user=None, door=cast.coordinator
        )


@pytest.mark.parametrize("rol", ["coach", "zij_instromer", "schoolleider"])
def test_bad_role_changes_are_refused(cast, rol):
    user = cast.coach if rol == "coach" else f.UserFactory()
    with pytest.raises(ValidationError):
        services.traject_role_change(
            traject=cast.traject, rol=rol, user=user, door=cast.coordinator
        )


def test_the_side_entrant_cannot_coach_themself(cast):
    with pytest.raises(ValidationError):
        services.traject_role_change(
            traject=cast.traject, rol="coach", user=cast.zij_instromer, door=cast.coordinator
        )


def test_page_asks_to_reauthenticate_first(client, cast):
    client.force_login(cast.coordinator)
    response = client.get(url(cast))
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response["Location"]


def test_coordinator_changes_the_coach_by_email_after_reauthentication(client, cast):
    new = f.UserFactory(email="nieuwe.coach@example.test")
    reauthenticate(client, cast.coordinator)
    assert client.get(url(cast)).status_code == 200
    response = client.post(url(cast), {"rol": "coach", "email": "Nieuwe.Coach@example.test"})
    assert response.status_code == 302
    cast.traject.refresh_from_db()
    assert cast.traject.coach == new
    page = client.get(url(cast)).content.decode()
    assert escape(new.get_full_name()) in page


@pytest.mark.parametrize(
    "email, message",
    [
        ("niemand@example.test", "Er is geen actief account met dit e-mailadres."),
        ("geen-adres", "Voer een geldig e-mailadres in."),
        ("", "Een leerkrachtcoach en SLB zijn verplicht."),
    ],
)
def test_bad_email_is_an_error_at_the_field(client, cast, email, message):
    old = cast.coach
    reauthenticate(client, cast.coordinator)
    response = client.post(url(cast), {"rol": "coach", "email": email})
    assert response.status_code == 200
    assert message in response.content.decode()
    cast.traject.refresh_from_db()
    assert cast.traject.coach == old


@pytest.mark.parametrize("who", ["zij_instromer", "coach", "slb", "duo", "schoolleider"])
def test_other_roles_get_403(client, cast, who):
    reauthenticate(client, getattr(cast, who))
    assert client.get(url(cast)).status_code == 403
    assert client.post(url(cast), {"rol": "coach", "email": cast.duo.email}).status_code == 403


@pytest.mark.parametrize("who", ["outsider", "other_coach"])
def test_outsiders_get_404(client, cast, who):
    reauthenticate(client, getattr(cast, who))
    assert client.get(url(cast)).status_code == 404


def test_anonymous_is_sent_to_login(client, cast):
    response = client.get(url(cast))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_a_change_posted_before_reauthenticating_is_applied_after_the_password(client, cast):
    new = f.UserFactory()
    client.force_login(cast.coordinator)
    response = client.post(url(cast), {"rol": "slb", "email": new.email})
    assert reverse("account_reauthenticate") in response["Location"]
    cast.traject.refresh_from_db()
    assert cast.traject.slb != new
    client.post(response["Location"], {"password": f.PASSWORD})
    cast.traject.refresh_from_db()
    assert cast.traject.slb == new

"""Coordinators read the audit trail per traject; nobody else does."""

import pytest
from django.urls import reverse

from portal import audit
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_coordinator_reads_the_trail_of_a_traject(client, cast):
    audit.record(action="verslag.sign", actor=cast.slb, obj=cast.traject, traject=cast.traject)
    audit.record(action="verslag.sign", actor=cast.slb, obj=cast.other_coach)  # no traject
    client.force_login(cast.coordinator)
    response = client.get(reverse("portal:traject_audit", args=[cast.traject.pk]))
    assert response.status_code == 200
    assert list(response.context["events"]) == list(
        AuditEvent.objects.filter(traject_id=cast.traject.pk)
    )
    assert "verslag.sign" in response.content.decode()
    page = client.get(reverse("trajecten:detail", args=[cast.traject.pk])).content.decode()
    assert reverse("portal:traject_audit", args=[cast.traject.pk]) in page


@pytest.mark.parametrize(
    "who, status",
    [
        ("zij_instromer", 403),
        ("coach", 403),
        ("slb", 403),
        ("schoolleider", 403),
        ("outsider", 404),
        ("other_coach", 404),
    ],
)
def test_others_do_not_read_the_trail(client, cast, who, status):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("portal:traject_audit", args=[cast.traject.pk])).status_code == status


def test_the_trail_has_no_write_path_in_the_admin(admin_client):
    response = admin_client.get(reverse("admin:portal_auditevent_add"))
    assert response.status_code == 403

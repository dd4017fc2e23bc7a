"""The admin shows plan versions and log history read-only."""

import pytest
from django.urls import reverse

from portal.models import User
from tests.trajecten.conftest import agree_all

pytestmark = pytest.mark.django_db


def test_admin_reads_plan_versions_and_log_history_but_cannot_change_them(client, cast, concept):
    from trajecten import services

    services.scholingsplan_submit(versie=concept, user=cast.slb)
    agree_all(cast, concept)
    admin = User.objects.create_superuser(email="beheer@example.test", password="x-Geheim-123")
    client.force_login(admin)
    assert client.get(reverse("admin:trajecten_scholingsplanversie_changelist")).status_code == 200
    page = client.get(reverse("admin:trajecten_scholingsplanversie_change", args=[concept.pk]))
    assert page.status_code == 200
    response = client.post(
        reverse("admin:trajecten_scholingsplanversie_delete", args=[concept.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    concept.refresh_from_db()
    assert client.get(reverse("admin:trajecten_logboekregel_changelist")).status_code == 200

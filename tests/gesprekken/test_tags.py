"""The coordinator keeps the list of signal tags: add, rename, switch off."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gesprekken.models import SignaalTag
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def ps(cast):
    return cast.traject.school.bestuur.partnerschap


def test_coordinator_adds_a_tag(cast, client, ps):
    client.force_login(cast.coordinator)
    response = client.post(
        reverse("gesprekken:tags"), {"name": " ouders ", "is_active": "on", "partnerschap": ps.pk}
    )
    assert response.status_code == 302
    assert SignaalTag.objects.get(partnerschap=ps).name == "ouders"


def test_a_duplicate_name_is_refused(cast, client, ps):
    f.SignaalTagFactory(partnerschap=ps, name="werkdruk")
    client.force_login(cast.coordinator)
    response = client.post(reverse("gesprekken:tags"), {"name": "Werkdruk", "partnerschap": ps.pk})
    assert response.status_code == 400
    assert "Deze tag bestaat al." in response.content.decode()


def test_coordinator_renames_and_switches_off_a_tag_signals_keep_it(cast, client, ps):
    tag = f.SignaalTagFactory(partnerschap=ps, name="werkdruk")
    verslag = f.VerslagFactory(gesprek=f.GesprekFactory(traject=cast.traject, cycle_number=1))
    signaal = verslag.signalen.create(soort="belemmering", tekst="Druk")
    signaal.tags.add(tag)
    client.force_login(cast.coordinator)
    response = client.post(
        reverse("gesprekken:tag_edit", args=[tag.pk]), {"name": "werkdruk en studielast"}
    )
    assert response.status_code == 302
    tag.refresh_from_db()
    assert tag.name == "werkdruk en studielast" and not tag.is_active
    assert list(signaal.tags.all()) == [tag]


def test_another_partnership_cannot_be_chosen(cast, client):
    other = f.PartnerschapFactory()
    client.force_login(cast.coordinator)
    response = client.get(reverse("gesprekken:tags") + f"?partnerschap={other.pk}")
    assert response.status_code == 404


def test_tag_list_has_a_fixed_number_of_queries(cast, client, ps, django_assert_max_num_queries):
    for n in range(15):
        f.SignaalTagFactory(partnerschap=ps, name=f"tag-{n}")
    client.force_login(cast.coordinator)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("gesprekken:tags"))
    assert response.content.decode().count("tag-") >= 15

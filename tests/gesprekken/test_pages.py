"""List pages of the cycle keep a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_my_conversations_lists_coming_ones_and_reports_to_sign(
    cast, client, django_assert_max_num_queries
):
    for n in range(8):
        traject = f.TrajectFactory(slb=cast.slb)
        g = f.GesprekFactory(traject=traject, cycle_number=1)
        f.VoorbereidingFactory(gesprek=g)
        if n % 2:
            f.VerslagFactory(gesprek=f.GesprekFactory(traject=traject, cycle_number=2, held=True))
    client.force_login(cast.slb)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("gesprekken:mine"))
    page = response.content.decode()
    assert page.count("gesprekken/") >= 12
    assert "Verslagen die nog ondertekend moeten worden" in page


def test_conversation_page_has_a_fixed_number_of_queries(
    cast, client, django_assert_max_num_queries
):
    gesprek = f.GesprekFactory(traject=cast.traject, cycle_number=1)
    for rol in ("zij_instromer", "coach", "slb"):
        v = f.VoorbereidingFactory(gesprek=gesprek, rol=rol)
        v.ontwikkelpunten.add(f.OntwikkelpuntFactory(traject=cast.traject))
    verslag = f.VerslagFactory(gesprek=gesprek)
    for i in range(5):
        f.AfspraakFactory(verslag=verslag)
        # A marker no generated name can contain ("Goed" matched "Goedhart").
        verslag.signalen.create(soort="succes", tekst=f"signaal-{i}-x7q").tags.add(
            f.SignaalTagFactory(partnerschap=cast.traject.school.bestuur.partnerschap)
        )
    client.force_login(cast.coach)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("gesprekken:detail", args=[gesprek.pk]))
    page = response.content.decode()
    assert [page.count(f"signaal-{i}-x7q") for i in range(5)] == [1] * 5

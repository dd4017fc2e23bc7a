"""Every view answers each role as the issue says: owner and allowed roles 200, roles that
see the traject but may not act 403, duo/outsider/other coach 404, anonymous to the login."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gesprekken.models import PriveNotitie
from tests import factories as f

pytestmark = pytest.mark.django_db

ALL = (
    "zij_instromer",
    "coach",
    "slb",
    "duo",
    "schoolleider",
    "coordinator",
    "outsider",
    "other_coach",
)


def _status(client, user, method, url, data=None):
    client.force_login(user)
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    client.logout()
    return response.status_code


def expect(cast, client, method, url, allowed, forbidden, data=None, ok=200):
    """`allowed` roles get `ok`, `forbidden` roles 403, every other role 404."""
    for who in ALL:
        code = _status(client, getattr(cast, who), method, url, data)
        want = ok if who in allowed else 403 if who in forbidden else 404
        assert code == want, f"{who} {method} {url}: {code} != {want}"
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    assert response.status_code == 302 and "/account/login/" in response["Location"]


DEELNEMERS = ("zij_instromer", "coach", "slb")
LEZERS = ("schoolleider", "coordinator")


def test_cycle_list_is_for_participants_and_readers(cast, client, gesprek):
    url = reverse("gesprekken:cyclus", args=[cast.traject.pk])
    expect(cast, client, "get", url, allowed=DEELNEMERS + LEZERS, forbidden=())


def test_conversation_page_is_for_participants_and_readers(cast, client, gesprek):
    url = reverse("gesprekken:detail", args=[gesprek.pk])
    expect(cast, client, "get", url, allowed=DEELNEMERS + LEZERS, forbidden=())


def test_preparation_page_is_for_the_three_only(cast, client, gesprek):
    url = reverse("gesprekken:voorbereiden", args=[gesprek.pk])
    expect(cast, client, "get", url, allowed=DEELNEMERS, forbidden=LEZERS)


def test_private_note_can_be_saved_by_coach_and_slb_only(cast, client, gesprek):
    url = reverse("gesprekken:notitie", args=[gesprek.pk])
    expect(
        cast,
        client,
        "post",
        url,
        allowed=("coach", "slb"),
        forbidden=("zij_instromer",) + LEZERS,
        data={"tekst": "x", "version": 0},
        ok=302,
    )


def test_writing_the_report_is_for_slb_and_coach(cast, client, gesprek):
    url = reverse("gesprekken:verslag", args=[gesprek.pk])
    expect(
        cast, client, "get", url, allowed=("coach", "slb"), forbidden=("zij_instromer",) + LEZERS
    )


def test_moving_is_for_slb_and_coach(cast, client, gesprek):
    url = reverse("gesprekken:move", args=[gesprek.pk])
    expect(
        cast, client, "get", url, allowed=("coach", "slb"), forbidden=("zij_instromer",) + LEZERS
    )


def test_adding_an_extra_conversation_is_for_slb_and_coach(cast, client, gesprek):
    url = reverse("gesprekken:add", args=[cast.traject.pk])
    expect(
        cast, client, "get", url, allowed=("coach", "slb"), forbidden=("zij_instromer",) + LEZERS
    )


def test_signing_is_for_the_three(cast, client, verslag):
    url = reverse("gesprekken:sign", args=[verslag.gesprek.pk])
    expect(
        cast,
        client,
        "post",
        url,
        allowed=DEELNEMERS,
        forbidden=LEZERS,
        data={"version": 999},
        ok=302,
    )


def test_addendum_is_for_the_three(cast, client, signed_verslag):
    url = reverse("gesprekken:addendum", args=[signed_verslag.gesprek.pk])
    expect(
        cast, client, "post", url, allowed=DEELNEMERS, forbidden=LEZERS, data={"tekst": ""}, ok=302
    )


def test_marking_an_afspraak_done_is_for_the_three(cast, client, signed_verslag):
    afspraak = signed_verslag.afspraken.get()
    url = reverse("gesprekken:afspraak_done", args=[afspraak.pk])
    expect(
        cast, client, "post", url, allowed=DEELNEMERS, forbidden=LEZERS, data={"done": "0"}, ok=302
    )


def test_ics_download_is_for_the_three(cast, client, gesprek):
    url = reverse("gesprekken:ics", args=[gesprek.pk])
    expect(cast, client, "get", url, allowed=DEELNEMERS, forbidden=LEZERS)


def test_missing_conversation_is_404_like_a_hidden_one(cast, client):
    client.force_login(cast.slb)
    assert client.get(reverse("gesprekken:detail", args=[987654])).status_code == 404


def test_writes_refuse_get(cast, client, gesprek):
    client.force_login(cast.slb)
    for name in ("notitie", "sign", "addendum"):
        assert client.get(reverse(f"gesprekken:{name}", args=[gesprek.pk])).status_code == 405


def test_readers_see_a_signed_report_but_not_a_draft(cast, client, verslag):
    url = reverse("gesprekken:detail", args=[verslag.gesprek.pk])
    for who in LEZERS:
        client.force_login(getattr(cast, who))
        assert verslag.tekst not in client.get(url).content.decode()
    f.sign_all(verslag)
    for who in LEZERS:
        client.force_login(getattr(cast, who))
        assert verslag.tekst in client.get(url).content.decode()


def test_readers_never_see_preparations(cast, client, gesprek):
    f.VoorbereidingFactory(gesprek=gesprek, waar_sta_ik="GEHEIM-VOORBEREIDING")
    url = reverse("gesprekken:detail", args=[gesprek.pk])
    for who in LEZERS:
        client.force_login(getattr(cast, who))
        assert "GEHEIM-VOORBEREIDING" not in client.get(url).content.decode()
    client.force_login(cast.coach)
    assert "GEHEIM-VOORBEREIDING" in client.get(url).content.decode()


@pytest.mark.parametrize("author", ["coach", "slb"])
def test_a_private_note_is_seen_by_its_author_only(cast, client, gesprek, author):
    PriveNotitie.objects.create(
        gesprek=gesprek, auteur=getattr(cast, author), tekst="PRIVE-NOTITIE-TEKST"
    )
    for who in ALL:
        client.force_login(getattr(cast, who))
        for name in ("voorbereiden", "detail", "verslag", "ics"):
            response = client.get(reverse(f"gesprekken:{name}", args=[gesprek.pk]))
            seen = "PRIVE-NOTITIE-TEKST" in response.content.decode()
            assert seen == (who == author and name == "voorbereiden"), (who, name)
    client.force_login(getattr(cast, author))
    response = client.get(reverse("trajecten:detail", args=[cast.traject.pk]))
    assert "PRIVE-NOTITIE-TEKST" not in response.content.decode()


def test_signal_tags_page_is_for_coordinators(cast, client):
    url = reverse("gesprekken:tags")
    for who in ("zij_instromer", "coach", "slb", "duo", "schoolleider", "outsider"):
        assert _status(client, getattr(cast, who), "get", url) == 403, who
    assert _status(client, cast.coordinator, "get", url) == 200


def test_tag_of_another_partnership_is_404(cast, client):
    foreign = f.SignaalTagFactory()
    own = f.SignaalTagFactory(partnerschap=cast.traject.school.bestuur.partnerschap)
    client.force_login(cast.coordinator)
    assert client.get(reverse("gesprekken:tag_edit", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("gesprekken:tag_edit", args=[own.pk])).status_code == 200
    client.force_login(cast.slb)
    assert client.get(reverse("gesprekken:tag_edit", args=[own.pk])).status_code == 404


def test_my_conversations_and_calendar_page_need_login(client, cast):
    for name in ("mine", "agenda"):
        response = client.get(reverse(f"gesprekken:{name}"))
        assert response.status_code == 302
        client.force_login(cast.duo)
        assert client.get(reverse(f"gesprekken:{name}")).status_code == 200
        client.logout()


def test_duo_does_not_see_the_panel_on_the_traject_page(cast, client, gesprek):
    client.force_login(cast.duo)
    response = client.get(reverse("trajecten:detail", args=[cast.traject.pk]))
    assert "Volgend begeleidingsgesprek" not in response.content.decode()
    client.force_login(cast.zij_instromer)
    response = client.get(reverse("trajecten:detail", args=[cast.traject.pk]))
    assert "Volgend begeleidingsgesprek" in response.content.decode()

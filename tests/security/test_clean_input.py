"""What a client sends is cleaned in one place (issue 19, case 4): no NUL byte or other
control character reaches a query, whatever the page; and every page behind the login says
`Cache-Control: private, no-store`."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.e2e import pages as tour

pytestmark = pytest.mark.django_db

NASTY = "a\x00b\x01\x1b[31m\x7f"


def _tour_paths(world):
    values = tour.placeholders()
    for screen in tour.SCREENS:
        if screen.account == tour.ANONYMOUS:
            continue
        path = tour.resolve(screen, values)
        key = {
            "zijinstromer1": "zi1",
            "zijinstromer2": "zi2",
            "coach1": "coach1",
            "slb1": "slb1",
            "duo1": "duo1",
            "schoolleider1": "sl1",
            "coordinator": "coord",
        }.get(screen.account)
        if path and key in world.users:
            yield world.users[key], path


def test_control_characters_in_any_query_parameter_of_every_tour_page_give_no_500(client, world):
    tried = 0
    for user, path in _tour_paths(world):
        client.force_login(user)
        response = client.get(path, {"q": NASTY, NASTY: NASTY, "page": "\x00", "fase": NASTY})
        assert response.status_code < 500, (path, response.status_code)
        tried += 1
    assert tried > 20


def test_a_nul_in_a_form_field_is_taken_out_before_it_is_stored(client, world):
    from trajecten.models import Logboekregel

    t1 = world["t1"]
    client.force_login(world.users["zi1"])
    response = client.post(
        reverse("trajecten:logboek_create", args=[t1.pk]),
        {
            "datum": t1.start_date.isoformat(),
            "wat_er_gebeurde": "Kring\x00gesprek\x1b geleid",
            "geleerd": "Wachten\r\nop stilte\twerkt",
        },
    )
    assert response.status_code == 302
    regel = Logboekregel.objects.filter(traject=t1).latest("pk")
    assert regel.wat_er_gebeurde == "Kringgesprek geleid"
    assert regel.geleerd == "Wachten\r\nop stilte\twerkt"  # tab and line breaks stay


def test_every_page_behind_the_login_is_private_and_not_stored(client, world):
    checked = 0
    for user, path in list(_tour_paths(world))[:15]:
        client.force_login(user)
        response = client.get(path)
        if response.status_code == 200:
            assert "no-store" in response["Cache-Control"], path
            assert "private" in response["Cache-Control"], path
            checked += 1
    assert checked >= 10
    client.logout()
    public = client.get(reverse("portal:privacy"))  # a public page may be cached
    assert "no-store" not in public.get("Cache-Control", "")

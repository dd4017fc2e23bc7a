"""Logging in through the real allauth pages, landing on each role's start page."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from tests import factories as f

pytestmark = pytest.mark.django_db


def post_login(client, email, password=f.PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_login_page_is_dutch_by_default(client):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert b'<html lang="nl">' in response.content
    assert b"Wachtwoord" in response.content


def test_login_page_speaks_english_when_the_browser_asks(client):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en")
    assert b'<html lang="en">' in response.content


def test_side_entrant_logs_in_and_lands_on_own_traject(client, cast):
    response = post_login(client, cast.zij_instromer.email)
    assert response.status_code == 302
    home = client.get(response["Location"])
    assert home.status_code == 302
    assert home["Location"] == reverse("trajecten:detail", args=[cast.traject.pk])


def test_login_by_email_is_case_insensitive(client, cast):
    response = post_login(client, cast.coach.email.upper())
    assert response.status_code == 302


def test_coach_lands_on_list_of_own_side_entrants(client, cast):
    post_login(client, cast.coach.email)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert escape(cast.zij_instromer.get_full_name()) in response.content.decode()


def test_coach_start_page_does_not_show_others(client, cast):
    other = f.TrajectFactory()
    post_login(client, cast.coach.email)
    page = client.get(reverse("portal:home")).content.decode()
    assert escape(other.zij_instromer.get_full_name()) not in page


def test_wrong_password_is_refused_in_dutch(client, cast):
    response = post_login(client, cast.coach.email, "fout")
    assert response.status_code == 200
    assert "niet correct" in response.content.decode()


def test_there_is_no_public_signup(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert 'name="password1"' not in response.content.decode()
    before = f.UserFactory._meta.model.objects.count()
    client.post(
        reverse("account_signup"),
        {"email": "nieuw@example.test", "password1": "Ab12!xyzQ", "password2": "Ab12!xyzQ"},
    )
    assert f.UserFactory._meta.model.objects.count() == before


def test_password_reset_sends_a_mail(client, cast):
    client.post(reverse("account_reset_password"), {"email": cast.coach.email})
    assert len(mail.outbox) == 1
    assert cast.coach.email in mail.outbox[0].to


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_failed_logins_are_rate_limited(client, cast):
    for _ in range(6):
        post_login(client, cast.coach.email, "fout")
    response = post_login(client, cast.coach.email)
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_totp_two_factor_is_available_after_reauthentication(client, cast):
    post_login(client, cast.coach.email)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response["Location"]
    client.post(reverse("account_reauthenticate"), {"password": f.PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    assert b"otpauth" in response.content or b"svg" in response.content

"""Two-factor authentication is required for assessors, coordinators and admins."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def mfa_on(settings):
    settings.LEV_REQUIRE_MFA = True


def test_coordinator_without_totp_is_sent_to_set_it_up(client, cast, mfa_on):
    client.force_login(cast.coordinator)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_admin_without_totp_is_sent_to_set_it_up(client, cast, mfa_on):
    cast.outsider.is_staff = True
    cast.outsider.save(update_fields=["is_staff"])
    client.force_login(cast.outsider)
    assert client.get(reverse("portal:home"))["Location"] == reverse("mfa_activate_totp")


def test_assessor_without_totp_is_sent_to_set_it_up(client, cast, mfa_on):
    cast.traject.school.bestuur.partnerschap.assessoren.add(cast.outsider)
    client.force_login(cast.outsider)
    assert client.get(reverse("portal:home"))["Location"] == reverse("mfa_activate_totp")


def test_coordinator_with_totp_gets_in(client, cast, mfa_on):
    Authenticator.objects.create(
        user=cast.coordinator, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    client.force_login(cast.coordinator)
    assert client.get(reverse("portal:home")).status_code == 200


def test_removing_the_authenticator_takes_effect_at_once(client, cast, mfa_on):
    """Whether someone has an authenticator is cached; removing it drops that at once."""
    app = Authenticator.objects.create(
        user=cast.coordinator, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    client.force_login(cast.coordinator)
    assert client.get(reverse("portal:home")).status_code == 200
    assert client.get(reverse("portal:home")).status_code == 200  # from the cache
    app.delete()
    assert client.get(reverse("portal:home"))["Location"] == reverse("mfa_activate_totp")


def test_coach_needs_no_totp(client, cast, mfa_on):
    client.force_login(cast.coach)
    assert client.get(reverse("portal:home")).status_code == 200


def test_mfa_switch_off_lets_coordinator_in(client, cast, settings):
    settings.LEV_REQUIRE_MFA = False
    client.force_login(cast.coordinator)
    assert client.get(reverse("portal:home")).status_code == 200

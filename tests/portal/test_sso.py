"""Single sign-on through SURFconext, against a small OpenID Connect provider on loopback.

The Django test client drives Lev; the hop to the provider's authorize endpoint (which the
browser would make) is a real HTTP request to the provider thread, and Lev's server-side
calls (discovery, token, userinfo) go to the same thread. No outside network.
"""

from __future__ import annotations

import html
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from portal.models import AuditEvent, User
from tests import factories as f
from tests.portal.oidc_provider import OIDCProvider

pytestmark = pytest.mark.django_db

SSO_LOGIN_URL = "/account/oidc/surfconext/login/"  # allauth's
SSO_START_URL = "/account/sso/surfconext/"  # the button's (portal.sso.start)


@pytest.fixture(scope="module")
def provider():
    provider = OIDCProvider().start()
    yield provider
    provider.stop()


@pytest.fixture
def surfconext(settings, provider):
    """Lev configured with the test provider as SURFconext."""
    settings.SOCIALACCOUNT_PROVIDERS = provider.app_settings()
    provider.requests.clear()
    return provider


def sso_login(client, provider, next_url: str | None = None):
    """Click "Inloggen met SURFconext", follow Lev's hand-over page to the provider, let the
    provider redirect back, and return the response of Lev's callback."""
    start_url = SSO_START_URL + (f"?next={next_url}" if next_url else "")
    response = client.post(start_url)
    assert response.status_code == 200, response.content[:500]
    authorize_url = response.context["redirect_to"]
    assert f'content="0;url={html.escape(authorize_url)}"' in response.content.decode()
    assert authorize_url.startswith(f"{provider.issuer}/authorize?")
    query = parse_qs(urlsplit(authorize_url).query)
    assert query["code_challenge_method"] == ["S256"]  # PKCE on
    assert query["redirect_uri"] == ["http://testserver/account/oidc/surfconext/login/callback/"]
    at_provider = requests.get(authorize_url, allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302
    back = urlsplit(at_provider.headers["Location"])
    assert back.netloc == "testserver"
    return client.get(f"{back.path}?{back.query}")


def logged_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_known_user_logs_in_through_surfconext(client, surfconext):
    slb = f.UserFactory(email="j.jansen@pabo.example.test")
    surfconext.next_login(sub="surf-123", email="J.Jansen@pabo.example.test")
    response = sso_login(client, surfconext)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert logged_in_user(client) == slb
    account = SocialAccount.objects.get(user=slb)
    assert (account.provider, account.uid) == ("surfconext", "surf-123")
    assert ("POST", "/token") in surfconext.requests
    assert ("GET", "/userinfo") in surfconext.requests
    assert AuditEvent.objects.filter(action="sso.connect", actor=slb).exists()
    assert AuditEvent.objects.filter(action="auth.login", actor=slb).exists()


def test_sso_login_keeps_the_next_page(client, surfconext):
    f.UserFactory(email="k.kok@pabo.example.test")
    surfconext.next_login(sub="surf-9", email="k.kok@pabo.example.test")
    response = sso_login(client, surfconext, next_url="/meldingen/")
    assert response["Location"] == "/meldingen/"


def test_second_sso_login_finds_the_account_by_its_connection(client, surfconext):
    slb = f.UserFactory(email="a.bakker@pabo.example.test")
    surfconext.next_login(sub="surf-456", email="a.bakker@pabo.example.test")
    sso_login(client, surfconext)
    client.logout()
    slb.email = "a.bakker-devries@pabo.example.test"  # changed in Lev since
    slb.save(update_fields=["email"])
    sso_login(client, surfconext)
    assert logged_in_user(client) == slb
    assert SocialAccount.objects.filter(user=slb).count() == 1


def test_unknown_email_is_refused_in_dutch_and_no_user_is_created(client, surfconext):
    before = User.objects.count()
    surfconext.next_login(sub="surf-777", email="onbekend@pabo.example.test")
    response = sso_login(client, surfconext)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    page = client.get(response["Location"]).content.decode()
    assert "Er is geen Lev-account met het e-mailadres onbekend@pabo.example.test" in page
    assert 'name="password1"' not in page
    assert User.objects.count() == before
    assert not SocialAccount.objects.exists()
    assert logged_in_user(client) is None
    assert AuditEvent.objects.filter(action="sso.refused").exists()


def test_unverified_email_is_refused(client, surfconext):
    user = f.UserFactory(email="m.visser@pabo.example.test")
    surfconext.next_login(sub="surf-888", email=user.email, email_verified=False)
    response = sso_login(client, surfconext)
    assert response["Location"] == reverse("account_login")
    page = client.get(response["Location"]).content.decode()
    assert "heeft niet bevestigd dat het e-mailadres m.visser@pabo.example.test van jou is" in page
    assert logged_in_user(client) is None
    assert not SocialAccount.objects.exists()


def test_missing_email_verified_claim_counts_as_unverified(client, surfconext):
    user = f.UserFactory(email="r.smit@pabo.example.test")
    surfconext.next_login(sub="surf-889", email=user.email, email_verified=None)
    sso_login(client, surfconext)
    assert logged_in_user(client) is None


def test_configured_domain_counts_as_verified_without_the_claim(client, settings, surfconext):
    settings.SOCIALACCOUNT_PROVIDERS = surfconext.app_settings(verified_email=["pabo.example.test"])
    user = f.UserFactory(email="r.smit@pabo.example.test")
    surfconext.next_login(sub="surf-890", email=user.email, email_verified=None)
    sso_login(client, surfconext)
    assert logged_in_user(client) == user


def test_login_without_email_is_refused(client, surfconext):
    surfconext.next_login(sub="surf-000", email=None, email_verified=None)
    response = sso_login(client, surfconext)
    page = client.get(response["Location"]).content.decode()
    assert "gaf geen e-mailadres door" in page
    assert logged_in_user(client) is None


def test_password_login_still_works_after_an_sso_login(client, surfconext):
    user = f.UserFactory(email="p.degroot@pabo.example.test")
    surfconext.next_login(sub="surf-321", email=user.email)
    sso_login(client, surfconext)
    assert logged_in_user(client) == user
    client.logout()
    user.refresh_from_db()
    assert user.has_usable_password()
    response = client.post(reverse("account_login"), {"login": user.email, "password": f.PASSWORD})
    assert response.status_code == 302
    assert logged_in_user(client) == user


def test_password_login_works_with_surfconext_configured(client, surfconext):
    user = f.UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": f.PASSWORD})
    assert response.status_code == 302
    assert logged_in_user(client) == user


def test_inactive_account_cannot_log_in_through_sso(client, surfconext):
    user = f.UserFactory(email="oud@pabo.example.test", is_active=False)
    surfconext.next_login(sub="surf-555", email=user.email)
    sso_login(client, surfconext)
    assert logged_in_user(client) is None


def test_a_forged_callback_without_state_logs_nobody_in(client, surfconext):
    f.UserFactory(email="x.vos@pabo.example.test")
    surfconext.next_login(sub="surf-666", email="x.vos@pabo.example.test")
    client.get("/account/oidc/surfconext/login/callback/?code=made-up&state=made-up")
    assert logged_in_user(client) is None


def test_login_page_shows_the_sso_button_when_configured(client, surfconext):
    page = client.get(reverse("account_login")).content.decode()
    assert "Inloggen met SURFconext" in page
    assert f'action="{SSO_START_URL}"' in page
    assert 'name="password"' in page  # the password form stays


def test_login_page_has_no_sso_button_without_configuration(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    page = client.get(reverse("account_login")).content.decode()
    assert "SURFconext" not in page
    assert client.post(SSO_START_URL).status_code == 404
    assert client.post(SSO_LOGIN_URL).status_code == 404


def test_the_sso_start_is_a_post_and_hands_over_with_a_navigation_not_a_redirect(
    client, surfconext
):
    """Lev's CSP says form-action 'self' and browsers check it on every redirect after a form
    post: the hand-over to SURFconext must be a page that navigates, not a 302."""
    assert client.get(SSO_START_URL).status_code == 405
    response = client.post(SSO_START_URL)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "form-action 'self'" in response["Content-Security-Policy"]
    assert "Verder naar SURFconext" in response.content.decode()


def test_the_login_page_keeps_the_next_page_for_sso(client, surfconext):
    page = client.get(reverse("account_login") + "?next=/meldingen/").content.decode()
    assert f'action="{SSO_START_URL}?next=/meldingen/"' in page


def test_settings_build_the_provider_only_from_the_environment(monkeypatch):
    import importlib

    import lev.settings as lev_settings

    for name in ("SURFCONEXT_CLIENT_ID", "SURFCONEXT_CLIENT_SECRET", "SURFCONEXT_SERVER_URL"):
        monkeypatch.delenv(name, raising=False)
    try:
        assert importlib.reload(lev_settings).SOCIALACCOUNT_PROVIDERS == {}
        monkeypatch.setenv("SURFCONEXT_CLIENT_ID", "lev.example.nl")
        monkeypatch.setenv("SURFCONEXT_CLIENT_SECRET", "geheim")
        monkeypatch.setenv("SURFCONEXT_SERVER_URL", "https://connect.test.surfconext.nl/")
        app = importlib.reload(lev_settings).SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]
        assert app["provider_id"] == "surfconext"
        assert app["client_id"] == "lev.example.nl"
        assert app["secret"] == "geheim"
        assert app["settings"]["server_url"] == "https://connect.test.surfconext.nl"
    finally:
        monkeypatch.undo()
        importlib.reload(lev_settings)


def test_allauths_own_login_url_confirms_with_a_form_to_the_start_view(client, surfconext):
    page = client.get(SSO_LOGIN_URL + "?process=login&next=/meldingen/").content.decode()
    assert "Inloggen via SURFconext" in page
    assert f'action="{SSO_START_URL}?process=login&amp;next=%2Fmeldingen%2F"' in page

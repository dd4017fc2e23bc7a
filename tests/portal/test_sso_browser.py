"""SSO through SURFconext in a real browser: Debian's Chromium clicks the button on the login
page, follows the redirect to the test OpenID Connect provider on loopback and back, and lands
logged in. Skipped without /usr/bin/chromium unless LEV_REQUIRE_SERVICES=1."""

from __future__ import annotations

import os

import pytest

from conftest import REQUIRE_SERVICES
from tests import factories as f
from tests.portal.oidc_provider import OIDCProvider

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the
# ORM calls the test makes between browser steps.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def live_server(request):
    """pytest-django's live server; its media handler needs a MEDIA_URL, which Lev does not
    have (uploads are served only by views), so give it one nothing links to."""
    from django.test import override_settings
    from pytest_django.live_server_helper import LiveServer

    with override_settings(MEDIA_URL="/__no-public-media__/"):
        server = LiveServer("localhost")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        message = f"Chromium is not installed at {CHROMIUM}"
        if REQUIRE_SERVICES:
            pytest.fail(message + " (LEV_REQUIRE_SERVICES=1: browser tests must not be skipped)")
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "headless": True,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="module")
def provider():
    provider = OIDCProvider().start()
    yield provider
    provider.stop()


@pytest.fixture
def page(new_context, live_server, settings, provider):
    settings.SOCIALACCOUNT_PROVIDERS = provider.app_settings()
    settings.LEV_REQUIRE_MFA = False
    context = new_context(base_url=live_server.url, locale="nl-NL")
    return context.new_page()


def test_college_user_logs_in_through_surfconext_in_the_browser(page, provider, live_server):
    user = f.UserFactory(email="l.devries@pabo.example.test", first_name="Lotte")
    provider.next_login(sub="surf-browser-1", email=user.email, given_name="Lotte")
    page.goto("/account/login/")
    assert page.get_by_label("Wachtwoord").is_visible()  # password login stays
    page.get_by_role("button", name="Inloggen met SURFconext").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("button", name="Uitloggen").count() == 1
    assert ("GET", "/authorize") in provider.requests


def test_unknown_address_sees_the_dutch_refusal_on_the_login_page(page, provider):
    provider.next_login(sub="surf-browser-2", email="niemand@pabo.example.test")
    page.goto("/account/login/")
    page.get_by_role("button", name="Inloggen met SURFconext").click()
    page.wait_for_url("**/account/login/")
    alert = page.get_by_role("alert")
    assert "Er is geen Lev-account met het e-mailadres niemand@pabo.example.test" in (
        alert.inner_text()
    )

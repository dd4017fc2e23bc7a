"""Single sign-on through SURFconext (OpenID Connect, allauth's openid_connect provider).

Configuration (environment only, see the "SSO (SURFconext)" section of lev/settings.py):

- ``SURFCONEXT_CLIENT_ID``, ``SURFCONEXT_CLIENT_SECRET``: the Relying Party registered in the
  SURFconext dashboard, with redirect URI ``<SITE_URL>/account/oidc/surfconext/login/callback/``.
- ``SURFCONEXT_SERVER_URL``: ``https://connect.test.surfconext.nl`` (test) or
  ``https://connect.surfconext.nl`` (production); discovery is read from
  ``/.well-known/openid-configuration`` below it.
- ``SURFCONEXT_VERIFIED_EMAIL_DOMAINS`` (optional): e-mail domains whose addresses count as
  verified when SURFconext does not send ``email_verified`` (allauth's ``verified_email``).

Without a client id and server URL there is no provider and the login page shows no button.

The rules:

1. An SSO login never creates an account (``SOCIALACCOUNT_AUTO_SIGNUP = False`` and the
   adapter is closed for signup). Accounts are made by a coordinator or admin and invited.
2. A first SSO login is matched to the invited account by the *verified* e-mail address from
   the userinfo/id_token claims (allauth's ``SOCIALACCOUNT_EMAIL_AUTHENTICATION``) and the
   SURFconext identity is connected to it (``..._AUTO_CONNECT``); later logins find the
   account through that connection, even after a change of e-mail address.
3. An unknown or unverified address is refused with a Dutch message on the login page.
4. The e-mail-and-password login keeps working beside SSO. allauth wipes the password of an
   account matched by an e-mail address it has no verified record of (against an attacker who
   signed up with someone else's address). Lev has no sign-up, so that attack does not exist
   here; instead SURFconext's confirmation is recorded as a verified address before the login
   is accepted, which keeps the password.
5. The button on the login page posts to `start` (CSRF-protected, as allauth recommends),
   which sends the browser on to SURFconext with an ordinary navigation, not a redirect: Lev's
   Content-Security-Policy has ``form-action 'self'``, and browsers apply form-action to every
   redirect that follows a form post, so a redirect to SURFconext (and from there to the
   institution's login page) would be blocked.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.openid_connect.views import login as oidc_login
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import audit
from .models import User


def verified_email(sociallogin) -> str | None:
    """The first e-mail address the provider vouches for, lower-cased, or None."""
    for address in sociallogin.email_addresses:
        if address.verified and address.email:
            return address.email.strip().lower()
    return None


def claimed_email(sociallogin) -> str:
    """Any e-mail address in the claims (verified or not), for messages."""
    for address in sociallogin.email_addresses:
        if address.email:
            return address.email.strip().lower()
    return (sociallogin.user.email or "") if sociallogin.user else ""


@transaction.atomic
def sso_email_confirm(*, user: User, email: str, provider: str, uid: str, request=None) -> None:
    """Record that the SSO provider confirmed `email` for `user`, before the first SSO login
    connects the identity: a verified EmailAddress (so allauth keeps the password) and an
    audit event."""
    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is None:
        EmailAddress.objects.create(
            user=user,
            email=email,
            verified=True,
            primary=not EmailAddress.objects.filter(user=user, primary=True).exists(),
        )
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    audit.record(
        action="sso.connect",
        actor=user,
        obj=user,
        request=request,
        detail={"provider": provider, "uid": uid, "email": email},
    )


def refuse(request, sociallogin) -> None:
    """Stop an SSO login that does not land on an existing account: back to the login page
    with the reason in Dutch. Never a sign-up form."""
    provider = sociallogin.provider.name if sociallogin.provider else "SSO"
    email = claimed_email(sociallogin)
    if not email:
        text = _(
            "%(provider)s gaf geen e-mailadres door. Log in met je e-mailadres en wachtwoord, "
            "of vraag de coördinator van je partnerschap om hulp."
        ) % {"provider": provider}
    elif verified_email(sociallogin) is None:
        text = _(
            "%(provider)s heeft niet bevestigd dat het e-mailadres %(email)s van jou is. "
            "Log in met je e-mailadres en wachtwoord, of vraag de coördinator van je "
            "partnerschap om hulp."
        ) % {"provider": provider, "email": email}
    else:
        text = _(
            "Er is geen Lev-account met het e-mailadres %(email)s. Lev-accounts worden "
            "aangemaakt door de coördinator van je partnerschap; vraag om een uitnodiging op "
            "dit adres. Inloggen via %(provider)s maakt zelf geen account aan."
        ) % {"provider": provider, "email": email}
    audit.record(
        action="sso.refused",
        request=request,
        detail={"provider": provider, "email": email[:200]},
    )
    messages.error(request, text)
    raise ImmediateHttpResponse(redirect("account_login"))


def check_login(request, sociallogin) -> None:
    """Called from the adapter's pre_social_login, after allauth looked the login up.

    Lets through a login that belongs to an existing account (by connection, or by verified
    e-mail address just now) and refuses every other one.
    """
    if not sociallogin.is_existing:
        refuse(request, sociallogin)
    if sociallogin.account.pk is None:
        # Matched by e-mail address, not yet connected: allauth connects it on acceptance.
        email = verified_email(sociallogin)
        if email:
            sso_email_confirm(
                user=sociallogin.user,
                email=email,
                provider=sociallogin.account.provider,
                uid=sociallogin.account.uid,
                request=request,
            )


@require_POST
def start(request, provider_id: str):
    """Start an SSO login: allauth's login view prepares the state (and PKCE) and answers with
    a redirect to the provider; that redirect is turned into a page that navigates there (see
    rule 5 above). Redirects within Lev (errors) pass through unchanged."""
    response = oidc_login(request, provider_id=provider_id)
    location = response.get("Location", "")
    if response.status_code in (301, 302, 303) and not url_has_allowed_host_and_scheme(
        location, allowed_hosts={request.get_host()}
    ):
        page = render(
            request,
            "socialaccount/sso_redirect.html",
            {"redirect_to": location, "provider_name": _provider_name(request, provider_id)},
        )
        page["Cache-Control"] = "no-store"
        return page
    return response


def _provider_name(request, provider_id: str) -> str:
    return get_adapter(request).get_provider(request, provider_id).name

"""allauth customised only through adapters: no public sign-up, and a login throttle that
slows an attacker without locking out the owner.

The throttle (issue 19): after a few wrong passwords for one account, each next attempt must
wait longer (2 s, 4 s, 8 s, ... at most 15 minutes) instead of a hard block that anyone who
knows an e-mail address could keep up. The owner is never held up on a device they logged in
from before (a signed cookie, `lev_device`), nor through SSO (not a password login), and a
password reset stays possible. Per address there is only a loose limit (allauth's
`login_failed` rate, settings.ACCOUNT_RATE_LIMITS), so a school behind one NAT is not locked
out by one person. The per-account counters live in the database cache (the "fallback"
alias of settings.CACHES), so they survive a Redis outage and a Redis restart alike.
"""

from __future__ import annotations

import hashlib
import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import sso
from .cache import durable_cache
from .models import User

FREE_FAILURES = 3  # wrong passwords before any wait
MAX_WAIT = 15 * 60
DEVICE_COOKIE = "lev_device"
DEVICE_SALT = "lev.device"
DEVICE_MAX_AGE = 180 * 24 * 3600


def _key(login: str) -> str:
    return "loginfail:" + hashlib.sha256(login.strip().lower().encode()).hexdigest()


def wait_after(failures: int) -> int:
    """Seconds to wait after `failures` wrong passwords in a row for one account."""
    if failures <= FREE_FAILURES:
        return 0
    return min(MAX_WAIT, 2 ** (failures - FREE_FAILURES))


def device_value(user) -> str:
    return signing.dumps({"u": user.pk}, salt=DEVICE_SALT)


def known_device_user_id(request) -> int | None:
    """The account this browser logged in to before, from the signed device cookie."""
    raw = request.COOKIES.get(DEVICE_COOKIE, "")
    try:
        return signing.loads(raw, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)["u"] if raw else None
    except (signing.BadSignature, KeyError, TypeError):
        return None


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by a coordinator or admin, never by sign-up."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def _login(self, credentials) -> str:
        return str(credentials.get("email") or credentials.get("username") or "")

    def _owner_device(self, request, login: str) -> bool:
        user_id = known_device_user_id(request)
        return bool(user_id) and User.objects.filter(pk=user_id, email__iexact=login).exists()

    def pre_authenticate(self, request, **credentials) -> None:
        super().pre_authenticate(request, **credentials)  # the loose per-address limit
        login = self._login(credentials)
        if not login or self._owner_device(request, login):
            return
        state = durable_cache().get(_key(login)) or {}
        left = int(state.get("until", 0) - time.time())
        if left > 0:
            raise ValidationError(
                _(
                    "Te veel verkeerde wachtwoorden voor dit account. Probeer het over "
                    "%(seconds)s seconden opnieuw, of vraag een nieuw wachtwoord aan."
                )
                % {"seconds": left}
            )

    def authentication_failed(self, request, **credentials) -> None:
        super().authentication_failed(request, **credentials)
        login = self._login(credentials)
        if not login:
            return
        state = durable_cache().get(_key(login)) or {}
        failures = int(state.get("n", 0)) + 1
        durable_cache().set(
            _key(login),
            {"n": failures, "until": time.time() + wait_after(failures)},
            timeout=24 * 3600,
        )

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None:
            durable_cache().delete(_key(self._login(credentials)))
            request._lev_device = device_value(user)  # set as a cookie on the response
        return user


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """An SSO login never creates an account of its own (see portal.sso)."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def pre_social_login(self, request, sociallogin) -> None:
        """Only a login that lands on an existing account gets through; the rest is refused
        with a Dutch message on the login page instead of a sign-up form."""
        sso.check_login(request, sociallogin)

"""allauth customised only through adapters: no public sign-up."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from . import sso


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by a coordinator or admin, never by sign-up."""

    def is_open_for_signup(self, request) -> bool:
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """An SSO login never creates an account of its own (see portal.sso)."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def pre_social_login(self, request, sociallogin) -> None:
        """Only a login that lands on an existing account gets through; the rest is refused
        with a Dutch message on the login page instead of a sign-up form."""
        sso.check_login(request, sociallogin)

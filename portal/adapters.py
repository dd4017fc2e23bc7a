"""allauth customised only through adapters: no public sign-up."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by a coordinator or admin, never by sign-up."""

    def is_open_for_signup(self, request) -> bool:
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """An SSO login never creates an account of its own."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

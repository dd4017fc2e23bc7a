"""Audit of authentication events."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import audit


@receiver(user_logged_in, dispatch_uid="lev_audit_login")
def _logged_in(sender, request, user, **kwargs) -> None:
    audit.record(action="auth.login", actor=user, obj=user, request=request)


@receiver(user_logged_out, dispatch_uid="lev_audit_logout")
def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit.record(action="auth.logout", actor=user, obj=user, request=request)


@receiver(user_login_failed, dispatch_uid="lev_audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    attempted = str(credentials.get("email") or credentials.get("username") or "")[:200]
    audit.record(action="auth.login_failed", request=request, detail={"login": attempted})

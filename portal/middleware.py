"""Response headers Django's SecurityMiddleware does not set itself, and the cleaning of
what a client sends before any view reads it."""

from __future__ import annotations

import re

from django.conf import settings
from django.http import QueryDict

from . import roles
from .adapters import DEVICE_COOKIE, DEVICE_MAX_AGE
from .unread import unread_expression

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)


class SecurityHeadersMiddleware:
    """Content-Security-Policy (no inline script) and Permissions-Policy on every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = getattr(settings, "LEV_CSP", CSP)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        device = getattr(request, "_lev_device", None)
        if device:  # a password login succeeded: remember this browser (portal.adapters)
            response.set_cookie(
                DEVICE_COOKIE,
                device,
                max_age=DEVICE_MAX_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # A page behind the login is nobody else's: no shared cache, no back-button copy
            # on a school's shared computer after logging out.
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response


# C0 control characters and DEL, except tab, line feed and carriage return (a text area).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _cleaned(data: QueryDict) -> QueryDict:
    """`data` without control characters in keys and values (the same object when clean)."""
    if not any(CONTROL.search(k) or any(CONTROL.search(v) for v in data.getlist(k)) for k in data):
        return data
    clean = QueryDict(mutable=True, encoding=data.encoding)
    for key in data:
        clean.setlist(CONTROL.sub("", key), [CONTROL.sub("", v) for v in data.getlist(key)])
    clean._mutable = False
    return clean


class CleanInputMiddleware:
    """Every query parameter and form field reaches the views without NUL bytes and other
    control characters (PostgreSQL refuses a NUL in a text: a 500), in one place. Files and
    JSON bodies (the API) are left as they are: uploads are judged by their bytes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = _cleaned(request.GET)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            request.POST = _cleaned(request.POST)
        return self.get_response(request)


# Paths a person who must set up two-factor authentication can still reach.
MFA_EXEMPT_PREFIXES = ("/account/", "/i18n/", "/static/", "/privacy/", "/health/", "/api/")
MFA_ROLES = frozenset({"coordinator", "assessor"})


def roles_of(request) -> frozenset[str]:
    """The user's role summary, computed once per request; the same query reads the unread
    count of the navigation (portal.unread)."""
    if not hasattr(request, "_lev_roles"):
        request._lev_roles = roles.summary(request.user, lev_unread=unread_expression())
    return request._lev_roles


def mfa_required_for(request) -> bool:
    user = request.user
    return user.is_staff or user.is_superuser or bool(roles_of(request) & MFA_ROLES)


def has_totp(user) -> bool:
    """Whether `user` set up an authenticator app (one indexed query; asked on the pages of
    those who must have one)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user, [Authenticator.Type.TOTP])


class RequireMFAMiddleware:
    """With LEV_REQUIRE_MFA on, assessors, coordinators and admins must set up TOTP before
    they can use the portal (their decisions are exam records and everyone's data)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.shortcuts import redirect

        if (
            settings.LEV_REQUIRE_MFA
            and request.user.is_authenticated
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and mfa_required_for(request)
        ):
            if not has_totp(request.user):
                from django.contrib import messages
                from django.utils.translation import gettext as _

                messages.warning(
                    request,
                    _(
                        "Voor jouw rol is tweestapsverificatie verplicht. Stel eerst een "
                        "authenticator-app in."
                    ),
                )
                return redirect("mfa_activate_totp")
        return self.get_response(request)


class QueryCountHeaderMiddleware:
    """With LEV_QUERY_COUNT_HEADER on (benchmarks only), report the number of SQL queries of
    each response in an `X-Lev-Queries` header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.db import connection

        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Lev-Queries"] = str(count)
        return response

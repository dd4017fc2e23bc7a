"""The audit trail: one function to write it, append-only."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.db import models

from .models import AuditEvent, User


def client_ip(request) -> str | None:
    """The client's address as the login throttle sees it: REMOTE_ADDR, or with
    LEV_TRUSTED_PROXIES = n the address n places from the right in X-Forwarded-For (what our
    own proxies wrote); never a value the client wrote itself. None when it is no address."""
    if request is None:
        return None
    trusted = settings.LEV_TRUSTED_PROXIES
    candidate = request.META.get("REMOTE_ADDR", "")
    forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [p for p in forwarded if p]
    if trusted > 0 and len(forwarded) >= trusted:
        candidate = forwarded[-trusted]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def record(
    *,
    action: str,
    actor: User | None = None,
    obj: models.Model | None = None,
    traject=None,
    request=None,
    detail: dict | None = None,
) -> AuditEvent:
    """Append an event: `action` is a short dotted name such as "verslag.sign".

    `traject` may be a Traject or its id; `obj` the record acted on. Call inside the same
    transaction as the change it records, so that both land or neither does.
    """
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    traject_id = getattr(traject, "pk", traject)
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=(actor.get_full_name() or actor.email) if actor else "",
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        traject_id=traject_id,
        ip=client_ip(request),
        detail=detail or {},
    )

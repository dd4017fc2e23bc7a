"""Shared by the services: the refusals they raise and small helpers."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.mail import notify
from portal.models import User
from trajecten.models import Traject

from ..models import Gesprek


class StaleVersion(Exception):
    """Someone else saved in between: the caller's version is not the current one."""

    def __init__(self, current=None):
        super().__init__("stale version")
        self.current = current


class VerslagLocked(Exception):
    """The report is signed by everyone: a record, changed only through addenda."""


class SignedTooEarly(ValidationError):
    """A report is signed only from the day of its conversation: before it, it is a draft."""

    def __init__(self, day):
        super().__init__(
            _("Een verslag kan pas worden ondertekend vanaf de dag van het gesprek (%(d)s).")
            % {"d": f"{day:%d-%m-%Y}"},
            code="too_early",
        )
        self.day = day


def signable_from(gesprek) -> datetime.date:
    """The first day the report of `gesprek` may be signed: the conversation's own day."""
    return timezone.localdate(gesprek.starts_at)


def participants(traject: Traject) -> list[User]:
    """The zij-instromer, coach and SLB of `traject` (those present)."""
    return [u for u in (traject.zij_instromer, traject.coach, traject.slb) if u is not None]


def when_text(gesprek: Gesprek) -> str:
    """Date and time of `gesprek` in the active language, for notification texts."""
    from django.utils.formats import date_format

    return date_format(timezone.localtime(gesprek.starts_at), "DATETIME_FORMAT")


def tell_others(*, gesprek: Gesprek, actor: User, kind: str, message, template: str) -> None:
    """Notify the other participants of a change to `gesprek` (message: lazy/callable text)."""
    url = reverse("gesprekken:detail", args=[gesprek.pk])
    for user in participants(gesprek.traject):
        if user.pk == actor.pk:
            continue
        with translation.override(user.language):
            notify(
                user=user,
                kind=kind,
                text=message(),
                url=url,
                template=template,
                context={"gesprek": gesprek, "actor": actor},
            )

"""What every write of this app shares: the refusal with a message for the person, and
telling someone in their own language."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from portal.mail import notify
from portal.models import User


class Refused(Exception):
    """A write that the rules do not allow; `str(exc)` is the message for the person."""


class StaleEdit(Refused):
    """Someone else saved in between (optimistic locking)."""


def _stale() -> StaleEdit:
    return StaleEdit(
        _(
            "Iemand anders heeft dit intussen gewijzigd. Je tekst staat nog in het formulier: "
            "bekijk de nieuwe versie en sla opnieuw op."
        )
    )


def _tell(user: User, *, kind: str, text: str, url: str, template: str, context: dict) -> None:
    """Notify `user` in their own language; `text` is a msgid with %(name)s placeholders."""
    with translation.override(user.language):
        notify(
            user=user,
            kind=kind,
            text=_(text) % context.get("fmt", {}),
            url=url,
            template=template,
            context=context,
        )

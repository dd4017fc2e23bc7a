"""What the writes of this app share: the stale-edit refusal and small helpers."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import (
    Traject,
)


class StaleEdit(ValidationError):
    """Someone else saved in between: the form was built on an older version."""

    def __init__(self):
        super().__init__(
            _(
                "Iemand anders heeft dit intussen gewijzigd. Je tekst staat hieronder nog; "
                "bekijk de nieuwe versie en sla opnieuw op."
            ),
            code="stale",
        )


def _check_window(traject: Traject, van: datetime.date, tot: datetime.date) -> None:
    if tot < van:
        raise ValidationError(_("De einddatum van de periode ligt vóór de begindatum."))
    if van < traject.start_date or tot > traject.end_date:
        raise ValidationError(
            _("De periode moet binnen het traject vallen (%(start)s tot en met %(end)s).")
            % {"start": f"{traject.start_date:%d-%m-%Y}", "end": f"{traject.end_date:%d-%m-%Y}"}
        )


def _refuse_duplicates(items: Sequence[dict], message: str) -> None:
    """A tampered form can post one id in two rows (deleted in one, changed in the other):
    refuse it rather than update a row that was just deleted."""
    ids = [item["id"] for item in items if item.get("id") is not None]
    if len(ids) != len(set(ids)):
        raise ValidationError(message)

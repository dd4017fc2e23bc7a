"""What the bekwaamheid views share."""

from __future__ import annotations

from django.contrib import messages

from .. import services


def _refused(request, exc: services.Refused) -> None:
    messages.error(request, str(exc))

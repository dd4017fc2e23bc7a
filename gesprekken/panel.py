"""The traject page panel: the next conversation and a link to the cycle."""

from __future__ import annotations

from django.http import HttpRequest

from trajecten.access import has_role
from trajecten.models import Traject

from . import selectors
from .access import DEELNEMERS, ZICHTBAAR


def visible(traject: Traject) -> bool:
    return has_role(traject, *ZICHTBAAR)


def context(request: HttpRequest, traject: Traject) -> dict:
    gesprek = selectors.next_gesprek(traject)
    return {
        "traject": traject,
        "gesprek": gesprek,
        "state": selectors.state_of(gesprek) if gesprek else None,
        "is_deelnemer": has_role(traject, *DEELNEMERS),
    }

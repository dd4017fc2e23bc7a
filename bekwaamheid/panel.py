"""The dossier panel on the traject page, and the hook that opens a dossier when a traject
starts."""

from __future__ import annotations

from django.http import HttpRequest

from trajecten.access import has_role
from trajecten.models import Traject

from . import selectors, services
from .access import DOSSIER_ROLES, PROEVE_ROLES


def visible(traject: Traject) -> bool:
    return has_role(traject, *DOSSIER_ROLES, *PROEVE_ROLES)


def context(request: HttpRequest, traject: Traject) -> dict:
    """Progress per area (indicators with evidence) and the Proeve status, with links."""
    dossier = selectors.dossier_for(traject)
    sees_dossier = has_role(traject, *DOSSIER_ROLES)
    overview = selectors.dossier_coverage(dossier) if sees_dossier else None
    proeven = list(selectors.proeven_of_dossier(dossier)) if dossier else []
    return {
        "traject": traject,
        "sees_dossier": sees_dossier,
        "overview": overview,
        "proeven": proeven,
        "proeve": proeven[-1] if proeven else None,
    }


def on_traject_started(traject: Traject) -> None:
    """A started traject gets its dossier on the active framework version."""
    try:
        services.dossier_ensure(traject=traject)
    except services.Refused:
        pass  # no active framework yet: the dossier opens with the first assignment

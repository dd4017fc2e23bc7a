"""Small helpers shared by the trajecten views."""

from __future__ import annotations

from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from ..access import LOGBOEK_ZIEN, ONDERZOEK_ZIEN, PLAN_ZIEN, ROLLEN_WIJZIGEN, has_role


def rebind_version(data: QueryDict, version: int) -> QueryDict:
    """The posted data with the hidden `version` set to the one now saved: after a refused
    (stale) save the user keeps their text, sees the message, and a second save goes
    through deliberately."""
    data = data.copy()
    data["version"] = str(version)
    return data


def traject_tabs(traject, active: str) -> list[dict]:
    """The sub-pages of a traject the viewer may open, for the tab bar on every page."""
    tabs = [
        ("detail", _("Overzicht"), True),
        ("onderzoek", _("Geschiktheidsonderzoek"), has_role(traject, *ONDERZOEK_ZIEN)),
        ("plan", _("Scholingsplan"), has_role(traject, *PLAN_ZIEN)),
        ("logboek", _("Logboek"), has_role(traject, *LOGBOEK_ZIEN)),
        ("rollen", _("Begeleiders wijzigen"), has_role(traject, *ROLLEN_WIJZIGEN)),
        ("wijzigen", _("Looptijd en school"), has_role(traject, *ROLLEN_WIJZIGEN)),
    ]
    return [
        {
            "url": reverse(f"trajecten:{name}", args=[traject.pk]),
            "label": label,
            "active": name == active,
        }
        for name, label, visible in tabs
        if visible
    ]


def render_traject(request, template: str, traject, active: str, context: dict):
    """Render a traject sub-page with its tab bar."""
    return render(
        request, template, {"traject": traject, "tabs": traject_tabs(traject, active), **context}
    )

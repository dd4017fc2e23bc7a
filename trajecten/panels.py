"""Panels on the traject page contributed by the apps that build on trajecten.

The traject page belongs to this app, but the next conversation (gesprekken) and the dossier
(bekwaamheid) live in apps that import trajecten, not the other way round. Those apps
register a panel here from their AppConfig.ready(); the traject view renders every panel
whose `visible` answers True for the viewer's roles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

from .models import Traject


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    # (request, traject) -> context for the template; traject.roles is set.
    context: Callable[[HttpRequest, Traject], dict]
    order: int = 50
    visible: Callable[[Traject], bool] = lambda traject: True


_panels: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    """Register (or replace) a panel; idempotent so that ready() may run twice."""
    _panels[panel.key] = panel


def render_context(request: HttpRequest, traject: Traject) -> list[dict]:
    """The panels to show on `traject`'s page, each as {"template": ..., **context}."""
    out = []
    for panel in sorted(_panels.values(), key=lambda p: p.order):
        if panel.visible(traject):
            out.append({"template": panel.template, **panel.context(request, traject)})
    return out

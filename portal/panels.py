"""Portal's own panel on the traject page: the side-entrant's role description link."""

from __future__ import annotations

from trajecten import panels
from trajecten.access import has_role
from trajecten.models import Rol

from .models import Rolbeschrijving


def role_links(roles) -> list[tuple[str, str]]:
    """(code, label) of the role descriptions for the roles a person holds."""
    known = {r.value: r.label for r in Rolbeschrijving.Rol}
    return [(code, known[code]) for code in known if code in roles]


def register_panels() -> None:
    panels.register(
        panels.Panel(
            key="portal.rol",
            template="portal/_rol_links.html",
            context=lambda request, traject: {"role_links": role_links({Rol.ZIJ_INSTROMER.value})},
            order=90,
            visible=lambda traject: has_role(traject, Rol.ZIJ_INSTROMER),
        )
    )
    panels.register(
        panels.Panel(
            key="portal.audit",
            template="portal/_audit_link.html",
            context=lambda request, traject: {"traject_pk": traject.pk},
            order=95,
            visible=lambda traject: has_role(traject, Rol.COORDINATOR),
        )
    )

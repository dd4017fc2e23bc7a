"""Portal views, one module per topic."""

from .core import (
    health,
    home,
    instellingen,
    mijn_gegevens,
    notificaties,
    notificaties_read,
    privacy,
)
from .mensen import mens, mens_nieuw, mens_uitnodigen, mensen
from .partnerschap import (
    rol,
    rol_bewerken,
    scholing,
    startbijeenkomst,
    startbijeenkomst_aanwezig,
    startbijeenkomst_ics,
    startbijeenkomst_nieuw,
    startbijeenkomsten,
)

__all__ = [
    "health",
    "mijn_gegevens",
    "home",
    "instellingen",
    "notificaties",
    "notificaties_read",
    "privacy",
    "mens",
    "mens_nieuw",
    "mens_uitnodigen",
    "mensen",
    "rol",
    "rol_bewerken",
    "scholing",
    "startbijeenkomst",
    "startbijeenkomst_aanwezig",
    "startbijeenkomst_ics",
    "startbijeenkomst_nieuw",
    "startbijeenkomsten",
]

"""Views of the conversation cycle: fetch through the access layer, bind, call a service,
redirect (or render). Split by page group; urls.py imports them from here."""

from .agenda import agenda, agenda_renew, feed, ics
from .cyclus import add, cyclus, mine, move
from .gesprek import detail, notitie, voorbereiden
from .tags import tag_edit, tags
from .verslag import addendum, afspraak_done, sign, verslag

__all__ = [
    "add",
    "addendum",
    "afspraak_done",
    "agenda",
    "agenda_renew",
    "cyclus",
    "detail",
    "feed",
    "ics",
    "mine",
    "move",
    "notitie",
    "sign",
    "tag_edit",
    "tags",
    "verslag",
    "voorbereiden",
]

"""Writes for the conversation cycle. Keyword-only, typed, atomic; mail and tasks run after
commit (portal.mail.notify, portal.tasking.enqueue). Split by subject; import from here."""

from .common import SignedTooEarly, StaleVersion, VerslagLocked, signable_from
from .cyclus import (
    DEFAULT_TAGS,
    PlanResult,
    calendar_token_renew,
    gesprek_add,
    gesprek_cycle_plan,
    gesprek_move,
    gesprekken_cancel_future,
    gesprekken_follow_school,
    gesprekken_plan_missing,
    on_traject_moved,
    on_traject_started,
    on_traject_stopped,
    signaal_tag_create,
    signaal_tag_update,
    signaal_tags_seed,
)
from .herinneringen import herinnering_send, herinneringen_send_batch
from .verslag import (
    addendum_add,
    afspraak_set_done,
    required_signers,
    valid_signatures,
    verslag_save,
    verslag_sign,
)
from .voorbereiding import prive_notitie_save, voorbereiding_save

__all__ = [
    "gesprekken_follow_school",
    "on_traject_moved",
    "SignedTooEarly",
    "signable_from",
    "DEFAULT_TAGS",
    "PlanResult",
    "StaleVersion",
    "VerslagLocked",
    "addendum_add",
    "afspraak_set_done",
    "calendar_token_renew",
    "gesprek_add",
    "gesprek_cycle_plan",
    "gesprek_move",
    "gesprekken_cancel_future",
    "gesprekken_plan_missing",
    "herinnering_send",
    "herinneringen_send_batch",
    "on_traject_started",
    "on_traject_stopped",
    "prive_notitie_save",
    "required_signers",
    "signaal_tag_create",
    "signaal_tag_update",
    "signaal_tags_seed",
    "valid_signatures",
    "verslag_save",
    "verslag_sign",
    "voorbereiding_save",
]

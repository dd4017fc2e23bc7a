"""Writes for the dossier, the assignments and the Proeve.

Every service is keyword-only and atomic; a refusal raises `Refused` with a message for the
person (nothing changed). Mail and tasks go out after commit (portal.mail / portal.tasking).
Split by subject, as gesprekken/services/; import from here."""

from .common import (
    Refused,
    StaleEdit,
)
from .dossier import (
    bewijsstuk_add,
    bewijsstuk_purge_removed,
    bewijsstuk_remove,
    bewijsstuk_restore,
    dossier_ensure,
    feedback_candidates,
    feedback_post,
    feedback_request,
    onderzoeksopdracht_afronden,
    onderzoeksopdracht_dossier_set,
    opdracht_create,
    succescriterium_add,
    succescriterium_update,
)
from .kader import (
    kader_new_version,
    kader_publish,
)
from .pdf import (
    PDF_STUCK_AFTER,
    proeve_pdf_render,
    proeve_pdf_request,
    proeve_pdf_requeue_stuck,
)
from .proeve import (
    beoordeling_save,
    both_recorded,
    dossier_submit,
    oordeel_addendum_add,
    oordeel_save,
    oordeel_sign,
    oordeel_sign_withdraw,
    oordeel_signable_from,
    proeve_plan,
    proeve_traject_afronden,
)

__all__ = [
    "Refused",
    "StaleEdit",
    "kader_new_version",
    "kader_publish",
    "dossier_ensure",
    "opdracht_create",
    "succescriterium_add",
    "succescriterium_update",
    "bewijsstuk_add",
    "bewijsstuk_remove",
    "bewijsstuk_restore",
    "bewijsstuk_purge_removed",
    "feedback_candidates",
    "feedback_request",
    "feedback_post",
    "onderzoeksopdracht_afronden",
    "onderzoeksopdracht_dossier_set",
    "dossier_submit",
    "proeve_plan",
    "beoordeling_save",
    "both_recorded",
    "oordeel_save",
    "oordeel_sign",
    "oordeel_signable_from",
    "oordeel_sign_withdraw",
    "oordeel_addendum_add",
    "proeve_traject_afronden",
    "proeve_pdf_request",
    "proeve_pdf_requeue_stuck",
    "proeve_pdf_render",
    "PDF_STUCK_AFTER",
]

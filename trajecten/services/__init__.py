"""Writes for trajecten: the intake, the scholingsplan and its agreement, the log, and who
holds which role. Every service is atomic, audits what matters and notifies after commit.

Views check the role (trajecten.access) before they call a service; services check the
state of the data (a draft can be edited, an agreed version cannot) and raise
ValidationError with a message for the user. Split by subject, as gesprekken/services/;
import from here.
"""

from .common import (
    StaleEdit,
)
from .logboek import (
    DOUBLE_SUBMIT_SECONDS,
    logboekreactie_add,
    logboekregel_create,
    logboekregel_update,
)
from .looptijd import (
    MAX_EXTENSION_DAYS,
    traject_school_wijzigen,
    traject_stoppen,
    traject_verlengen,
)
from .onderzoek import (
    geschiktheidsonderzoek_save,
)
from .plan import (
    activiteit_voortgang_set,
    planopmerking_add,
    scholingsplan_agree,
    scholingsplan_discard,
    scholingsplan_draft_save,
    scholingsplan_start,
    scholingsplan_submit,
    scholingsplan_withdraw,
)
from .rollen import (
    CHANGEABLE_ROLES,
    traject_role_change,
)

__all__ = [
    "StaleEdit",
    "geschiktheidsonderzoek_save",
    "scholingsplan_start",
    "scholingsplan_draft_save",
    "scholingsplan_submit",
    "scholingsplan_withdraw",
    "scholingsplan_discard",
    "scholingsplan_agree",
    "planopmerking_add",
    "activiteit_voortgang_set",
    "logboekregel_create",
    "logboekregel_update",
    "logboekreactie_add",
    "DOUBLE_SUBMIT_SECONDS",
    "traject_role_change",
    "CHANGEABLE_ROLES",
    "MAX_EXTENSION_DAYS",
    "traject_verlengen",
    "traject_school_wijzigen",
    "traject_stoppen",
]

"""Traject views, one module per part of the route: the traject page and lists, the
intake, the scholingsplan, the logboek, and the import of new side-entrants."""

from .importeren import import_csv
from .logboek import (
    logboek,
    logboek_bijlage,
    logboek_create,
    logboek_detail,
    logboek_edit,
    logboek_react,
    logboek_version,
    logboek_version_bijlage,
)
from .onderzoek import onderzoek, onderzoek_edit, onderzoek_rapport
from .plan import (
    plan,
    plan_agree,
    plan_comment,
    plan_discard,
    plan_edit,
    plan_progress,
    plan_start,
    plan_submit,
    plan_version,
    plan_withdraw,
)
from .traject import detail, mine, rollen, traject_list, wijzigen

__all__ = [
    "detail",
    "import_csv",
    "logboek",
    "logboek_bijlage",
    "logboek_create",
    "logboek_detail",
    "logboek_edit",
    "logboek_react",
    "logboek_version",
    "logboek_version_bijlage",
    "mine",
    "onderzoek",
    "onderzoek_edit",
    "onderzoek_rapport",
    "plan",
    "plan_agree",
    "plan_comment",
    "plan_discard",
    "plan_edit",
    "plan_progress",
    "plan_start",
    "plan_submit",
    "plan_version",
    "plan_withdraw",
    "rollen",
    "wijzigen",
    "traject_list",
]

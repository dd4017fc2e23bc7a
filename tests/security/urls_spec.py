"""How to reach every URL of the portal with objects of the test world."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    kwargs: Callable = lambda w: {}
    method: str = "get"
    # "login": anonymous is sent to the login page; "public": anyone may open it;
    # "token": authenticated by a secret in the URL or a header, not the session.
    anonymous: str = "login"


def t1(w):
    return {"pk": w["t1"].pk}


TARGETS: dict[str, Target] = {
    # portal
    "portal:home": Target(),
    "portal:notificaties": Target(),
    "portal:notificaties_read": Target(method="post"),
    "portal:instellingen": Target(),
    "portal:mijn_gegevens": Target(),
    "portal:privacy": Target(anonymous="public"),
    "portal:health": Target(anonymous="public"),
    "portal:traject_audit": Target(t1),
    "portal:mensen": Target(),
    # The development mailbox is off here (LEV_MAILBOX, `make demo` only): 404 for everyone.
    "portal:mailbox": Target(),
    "portal:mailbox_mail": Target(lambda w: {"name": "20261203T120000000000-" + "0" * 32 + ".eml"}),
    "portal:mens_nieuw": Target(),
    "portal:mens": Target(lambda w: {"pk": w.users["coach1"].pk}),
    "portal:mens_uitnodigen": Target(lambda w: {"pk": w.users["coach1"].pk}, "post"),
    "portal:mens_inzage": Target(lambda w: {"pk": w.users["zi1"].pk}),
    "portal:inzage": Target(lambda w: {"pk": w.users["zi1"].pk, "verzoek": w["inzage"].pk}),
    "portal:inzage_download": Target(
        lambda w: {"pk": w.users["zi1"].pk, "verzoek": w["inzage"].pk}
    ),
    "portal:mijn_inzage": Target(lambda w: {"verzoek": w["inzage"].pk}),
    "portal:startbijeenkomsten": Target(),
    "portal:startbijeenkomst_nieuw": Target(),
    "portal:startbijeenkomst": Target(lambda w: {"pk": w["startbijeenkomst"].pk}),
    "portal:startbijeenkomst_aanwezig": Target(lambda w: {"pk": w["startbijeenkomst"].pk}, "post"),
    "portal:startbijeenkomst_ics": Target(lambda w: {"pk": w["startbijeenkomst"].pk}),
    "portal:scholing": Target(),
    "portal:rol": Target(lambda w: {"rol": "coach"}),
    "portal:rol_bewerken": Target(lambda w: {"rol": "coach"}),
    "portal:overzicht": Target(),
    "portal:overzicht_aandacht": Target(),
    "portal:overzicht_trajecten": Target(),
    "portal:overzicht_export": Target(),
    "portal:overzicht_signalen": Target(),
    "portal:overzicht_citaten": Target(),
    "portal:overzicht_signalen_export": Target(),
    "portal:school_overzicht": Target(),
    "portal:school_aandacht": Target(),
    "portal:school_trajecten": Target(),
    "portal:school_export": Target(),
    "portal:school_signalen": Target(),
    "portal:school_citaten": Target(),
    "portal:school_signalen_export": Target(),
    # trajecten
    "trajecten:list": Target(),
    "trajecten:mine": Target(),
    "trajecten:import": Target(),
    "trajecten:detail": Target(t1),
    "trajecten:rollen": Target(t1),
    "trajecten:wijzigen": Target(t1),
    "trajecten:onderzoek": Target(t1),
    "trajecten:onderzoek_edit": Target(t1),
    "trajecten:onderzoek_rapport": Target(t1),
    "trajecten:plan": Target(t1),
    "trajecten:plan_start": Target(t1, "post"),
    "trajecten:plan_edit": Target(t1),
    "trajecten:plan_submit": Target(t1, "post"),
    "trajecten:plan_withdraw": Target(t1, "post"),
    "trajecten:plan_discard": Target(t1, "post"),
    "trajecten:plan_agree": Target(t1, "post"),
    "trajecten:plan_comment": Target(t1, "post"),
    "trajecten:plan_progress": Target(t1, "post"),
    "trajecten:plan_version": Target(
        lambda w: {"pk": w["t1"].pk, "nummer": w["planversie"].nummer}
    ),
    "trajecten:logboek": Target(t1),
    "trajecten:logboek_create": Target(t1),
    "trajecten:logboek_detail": Target(lambda w: {"pk": w["t1"].pk, "regel": w["regel"].pk}),
    "trajecten:logboek_edit": Target(lambda w: {"pk": w["t1"].pk, "regel": w["regel"].pk}),
    "trajecten:logboek_react": Target(lambda w: {"pk": w["t1"].pk, "regel": w["regel"].pk}, "post"),
    "trajecten:logboek_bijlage": Target(
        lambda w: {"pk": w["t1"].pk, "regel": w["regel_bijlage"].pk}
    ),
    "trajecten:logboek_version": Target(
        lambda w: {"pk": w["t1"].pk, "regel": w["regel"].pk, "version": 1}
    ),
    "trajecten:logboek_version_bijlage": Target(
        lambda w: {"pk": w["t1"].pk, "regel": w["regel_bijlage"].pk, "version": 1}
    ),
    # gesprekken
    "gesprekken:mine": Target(),
    "gesprekken:cyclus": Target(lambda w: {"traject_pk": w["t1"].pk}),
    "gesprekken:add": Target(lambda w: {"traject_pk": w["t1"].pk}),
    "gesprekken:detail": Target(lambda w: {"pk": w["gesprek"].pk}),
    "gesprekken:move": Target(lambda w: {"pk": w["gesprek"].pk}),
    "gesprekken:voorbereiden": Target(lambda w: {"pk": w["gesprek"].pk}),
    "gesprekken:notitie": Target(lambda w: {"pk": w["gesprek"].pk}, "post"),
    "gesprekken:verslag": Target(lambda w: {"pk": w["gesprek_verslag"].pk}),
    "gesprekken:sign": Target(lambda w: {"pk": w["gesprek_verslag"].pk}, "post"),
    "gesprekken:addendum": Target(lambda w: {"pk": w["gesprek_verslag"].pk}, "post"),
    "gesprekken:ics": Target(lambda w: {"pk": w["gesprek"].pk}),
    "gesprekken:afspraak_done": Target(lambda w: {"pk": w["afspraak"].pk}, "post"),
    "gesprekken:agenda": Target(),
    "gesprekken:agenda_renew": Target(method="post"),
    "gesprekken:feed": Target(lambda w: {"token": "geen-geldige-sleutel"}, anonymous="token"),
    "gesprekken:tags": Target(),
    "gesprekken:tag_edit": Target(lambda w: {"pk": w["tag"].pk}),
    # bekwaamheid
    "bekwaamheid:opdrachten": Target(),
    "bekwaamheid:opdracht_new": Target(),
    "bekwaamheid:opdracht": Target(lambda w: {"pk": w["opdracht"].pk}),
    "bekwaamheid:onderzoeksopdracht": Target(lambda w: {"pk": w["werk"].pk}),
    "bekwaamheid:criterium_add": Target(lambda w: {"pk": w["werk"].pk}, "post"),
    "bekwaamheid:criterium_edit": Target(lambda w: {"pk": w["criterium"].pk}, "post"),
    "bekwaamheid:bewijsstuk_add": Target(lambda w: {"pk": w["werk"].pk}, "post"),
    "bekwaamheid:feedback_request": Target(lambda w: {"pk": w["werk"].pk}, "post"),
    "bekwaamheid:feedback_post": Target(lambda w: {"pk": w["werk"].pk}, "post"),
    "bekwaamheid:afronden": Target(lambda w: {"pk": w["werk"].pk}, "post"),
    "bekwaamheid:in_dossier": Target(lambda w: {"pk": w["werk"].pk}, "post"),
    "bekwaamheid:bewijsstuk": Target(lambda w: {"pk": w["bewijsstuk"].pk}),
    "bekwaamheid:bewijsstuk_remove": Target(lambda w: {"pk": w["bewijsstuk"].pk}, "post"),
    "bekwaamheid:bewijsstuk_restore": Target(lambda w: {"pk": w["bewijsstuk"].pk}, "post"),
    "bekwaamheid:dossier": Target(lambda w: {"traject_pk": w["t1"].pk}),
    "bekwaamheid:dossier_submit": Target(lambda w: {"traject_pk": w["t1"].pk}, "post"),
    "bekwaamheid:proeven": Target(),
    "bekwaamheid:proeve": Target(lambda w: {"pk": w["proeve"].pk}),
    "bekwaamheid:proeve_dossier": Target(lambda w: {"pk": w["proeve"].pk}),
    "bekwaamheid:proeve_bewijsstuk": Target(
        lambda w: {"pk": w["proeve"].pk, "bewijsstuk_pk": w["proeve_bewijsstuk"].pk}
    ),
    "bekwaamheid:proeve_plan": Target(lambda w: {"pk": w["proeve"].pk}, "post"),
    "bekwaamheid:beoordeling": Target(lambda w: {"pk": w["proeve"].pk}),
    "bekwaamheid:oordeel": Target(lambda w: {"pk": w["proeve"].pk}),
    "bekwaamheid:oordeel_sign": Target(lambda w: {"pk": w["proeve"].pk}, "post"),
    "bekwaamheid:oordeel_unsign": Target(lambda w: {"pk": w["proeve"].pk}, "post"),
    "bekwaamheid:oordeel_addendum": Target(lambda w: {"pk": w["proeve"].pk}, "post"),
    "bekwaamheid:traject_afronden": Target(lambda w: {"pk": w["proeve"].pk}, "post"),
    "bekwaamheid:pdf_request": Target(lambda w: {"pk": w["proeve"].pk}, "post"),
    "bekwaamheid:pdf_status": Target(lambda w: {"pk": w["proeve"].pk}),
    "bekwaamheid:pdf": Target(lambda w: {"pk": w["proeve_afgerond"].pk}),
    # ecosystem
    "sso_start": Target(lambda w: {"provider_id": "surfconext"}, "post", anonymous="public"),
    "scholen:import_start": Target(),
    "scholen:import": Target(lambda w: {"pk": w["t1"].school.bestuur.partnerschap_id}),
    "api:openapi": Target(anonymous="public"),
    "api:trajecten": Target(anonymous="token"),
    "api:traject": Target(lambda w: {"pk": w["t1"].pk}, anonymous="token"),
}

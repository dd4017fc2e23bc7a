"""The frozen snapshot of a submitted dossier: plain JSON that the assessors judge and the PDF
renders, so that later edits to the live dossier change nothing of either."""

from __future__ import annotations

import hashlib
import json

from django.utils import timezone

from trajecten import selectors as traject_selectors
from trajecten.models import Rol, Traject

from .models import Bewijsstuk, Dossier, Niveau, Onderzoeksopdracht
from .selectors import eisen_per_gebied, kader_eisen

SCHEMA = 1


def canonical_hash(data) -> str:
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()


def _person(user) -> str:
    return user.get_full_name() or user.email if user else ""


def _role_label(traject: Traject, opdracht, user) -> str:
    if user.pk == traject.zij_instromer_id:
        return str(Rol.ZIJ_INSTROMER.label)
    for rol in (Rol.COACH, Rol.SLB, Rol.DUO):
        holder = traject.holder(rol)
        if holder is not None and holder.pk == user.pk:
            return str(rol.label)
    if user.pk == opdracht.gesteld_door_id:
        return "moduledocent"
    return ""


def scholingsplan_summary(traject: Traject) -> dict:
    """The training plan as the PDF shows it: the agreed scholingsplan version in force
    (trajecten.selectors.current_plan_version) with its activities; while none is agreed,
    the ontwikkelpunten from the intake that the plan is built on."""
    current = getattr(traject_selectors, "current_plan_version", None)
    versie = current(traject) if current else None
    if versie is not None:
        return {
            "bron": "scholingsplan",
            "versie": versie.nummer,
            "vastgesteld_op": versie.vastgesteld_op.isoformat() if versie.vastgesteld_op else None,
            "items": [
                {
                    "gebied": a.ontwikkelpunt.gebied.name,
                    "titel": a.ontwikkelpunt.titel,
                    "omschrijving": a.omschrijving,
                    "periode": f"{a.periode_van:%d-%m-%Y} – {a.periode_tot:%d-%m-%Y}",
                    "ondersteuning": a.ondersteuning_labels(),
                    "afgerond": bool(getattr(a, "afgerond", False)),
                }
                for a in versie.activiteiten_list
            ],
        }
    items = [
        {"gebied": o.gebied.name, "titel": o.titel, "omschrijving": o.omschrijving}
        for o in traject.ontwikkelpunten.select_related("gebied").order_by("order", "pk")
    ]
    return {"bron": "ontwikkelpunten", "items": items}


def build(dossier: Dossier, *, by, at=None) -> tuple[dict, list[Bewijsstuk]]:
    """The snapshot of `dossier` now: its framework version, the work the side-entrant chose
    for the dossier with criteria, reflections, evidence references and feedback. Returns the
    JSON and the evidence it references (to protect)."""
    at = at or timezone.now()
    traject = dossier.traject
    eisen = list(kader_eisen(dossier.kader))
    labels = dict(Niveau.choices)
    kader = {
        "name": dossier.kader.name,
        "versie": dossier.kader.versie,
        "gebieden": [
            {
                "code": gebied.code,
                "name": gebied.name,
                "eisen": [
                    {
                        "id": e.pk,
                        "code": e.code,
                        "titel": e.titel,
                        "niveaus": [
                            {
                                "niveau": n.niveau,
                                "label": str(labels[n.niveau]),
                                "omschrijving": n.omschrijving,
                            }
                            for n in e.niveaus.all()
                        ],
                    }
                    for e in group
                ],
            }
            for gebied, group in eisen_per_gebied(eisen)
        ],
    }
    werk = (
        dossier.onderzoeksopdrachten.filter(
            in_dossier=True, status=Onderzoeksopdracht.Status.AFGEROND
        )
        .select_related("opdracht__gesteld_door")
        .prefetch_related("opdracht__eisen", "criteria", "feedback__auteur", "bewijsstukken")
        .order_by("afgerond_at", "pk")
    )
    frozen: list[Bewijsstuk] = []
    opdrachten = []
    for w in werk:
        bewijs = [b for b in w.bewijsstukken.all() if b.removed_at is None]
        bewijs.sort(key=lambda b: (b.created_at, b.pk))
        frozen.extend(bewijs)
        criteria = sorted(w.criteria.all(), key=lambda c: (c.order, c.pk))
        opdrachten.append(
            {
                "id": w.pk,
                "titel": w.opdracht.titel,
                "opdracht": w.opdracht.omschrijving,
                "gesteld_door": _person(w.opdracht.gesteld_door),
                "eisen": sorted(e.code for e in w.opdracht.eisen.all()),
                "afgerond_at": w.afgerond_at.isoformat() if w.afgerond_at else None,
                "criteria": [
                    {
                        "id": c.pk,
                        "tekst": c.tekst,
                        "reflectie": c.reflectie,
                        "bewijs": [b.pk for b in bewijs if b.criterium_id == c.pk],
                    }
                    for c in criteria
                ],
                "bewijs": [
                    {
                        "id": b.pk,
                        "titel": b.titel,
                        "bestand_naam": b.bestand_naam,
                        "mime": b.mime,
                        "size": b.size,
                        "sha256": b.sha256,
                        "link": b.link,
                        "created_at": b.created_at.isoformat(),
                        "criterium": b.criterium_id,
                    }
                    for b in bewijs
                ],
                "feedback": [
                    {
                        "id": m.pk,
                        "auteur": _person(m.auteur),
                        "rol": _role_label(traject, w.opdracht, m.auteur),
                        "created_at": m.created_at.isoformat(),
                        "tekst": m.tekst,
                        "antwoord_op": m.antwoord_op_id,
                    }
                    for m in sorted(w.feedback.all(), key=lambda m: (m.created_at, m.pk))
                ],
            }
        )
    data = {
        "schema": SCHEMA,
        "ingediend_at": at.isoformat(),
        "ingediend_door": _person(by),
        "traject": {
            "id": traject.pk,
            "naam": _person(traject.zij_instromer),
            "school": traject.school.name,
            "plaats": traject.school.plaats,
            "bestuur": traject.school.bestuur.name,
            "route": str(traject.get_route_display()),
            "start_date": traject.start_date.isoformat(),
            "end_date": traject.end_date.isoformat(),
            "coach": _person(traject.coach),
            "slb": _person(traject.slb),
        },
        "kader": kader,
        "scholingsplan": scholingsplan_summary(traject),
        "opdrachten": opdrachten,
    }
    return data, frozen


def overview(snapshot: dict) -> list[dict]:
    """Per area and indicator, the work and evidence in the snapshot that covers it."""
    out = []
    for gebied in snapshot.get("kader", {}).get("gebieden", []):
        rows = []
        for eis in gebied["eisen"]:
            werk = [o for o in snapshot.get("opdrachten", []) if eis["code"] in o["eisen"]]
            rows.append(
                {
                    **eis,
                    "opdrachten": [o["titel"] for o in werk],
                    "n_bewijs": sum(len(o["bewijs"]) for o in werk),
                    "n_feedback": sum(len(o["feedback"]) for o in werk),
                }
            )
        out.append({"name": gebied["name"], "eisen": rows})
    return out

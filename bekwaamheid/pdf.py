"""The Proeve report as PDF (WeasyPrint): built only from the frozen snapshot and the recorded
judgements, so the same inputs give the same document. Dates in the PDF metadata come from
the snapshot and the oordeel, never from the moment of rendering."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from . import snapshot as snapshots
from .models import Niveau, Proeve


def _dt(value: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value else None


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _final_parts(proeve: Proeve) -> dict:
    """The judgements and the oordeel, only once the oordeel is signed by both (before that
    the PDF is the dossier alone: a judgement is never shown before both recorded theirs)."""
    oordeel = getattr(proeve, "oordeel", None)
    if oordeel is None or not oordeel.is_locked:
        return {}
    labels = dict(Niveau.choices)
    beoordelingen = []
    for b in proeve.beoordelingen.select_related("assessor").prefetch_related("regels__eis"):
        beoordelingen.append(
            {
                "rol": b.get_rol_display(),
                "rol_code": b.rol,
                "assessor": b.assessor.get_full_name(),
                "recorded_at": b.recorded_at,
                "toelichting": b.toelichting,
                "regels": {
                    r.eis.code: {
                        "niveau": r.niveau,
                        "label": str(labels[r.niveau]),
                        "motivatie": r.motivatie,
                    }
                    for r in b.regels.all()
                },
            }
        )
    beoordelingen.sort(key=lambda b: 0 if b["rol_code"] == "veld" else 1)
    return {
        "beoordelingen": beoordelingen,
        "oordeel": {
            "uitslag": oordeel.get_uitslag_display(),
            "uitslag_code": oordeel.uitslag,
            "motivatie": oordeel.motivatie,
            "locked_at": oordeel.locked_at,
            "regels": {
                r.eis.code: {
                    "niveau": r.niveau,
                    "label": str(labels[r.niveau]),
                    "motivatie": r.motivatie,
                }
                for r in oordeel.regels.select_related("eis")
            },
            "ondertekeningen": [
                {
                    "naam": s.assessor.get_full_name(),
                    "rol": s.get_rol_display(),
                    "signed_at": s.signed_at,
                }
                for s in oordeel.ondertekeningen.select_related("assessor")
            ],
            "addenda": [
                {"tekst": a.tekst, "door": a.door.get_full_name(), "created_at": a.created_at}
                for a in oordeel.addenda.select_related("door")
            ],
        },
    }


def source(proeve: Proeve) -> dict:
    """Everything the PDF shows, as plain data."""
    return {
        "snapshot_hash": proeve.snapshot_hash,
        "poging": proeve.poging,
        "datum": proeve.datum,
        "locatie": proeve.locatie,
        "veldassessor": proeve.veldassessor.get_full_name() if proeve.veldassessor else "",
        "opleidingsassessor": (
            proeve.opleidingsassessor.get_full_name() if proeve.opleidingsassessor else ""
        ),
        **_final_parts(proeve),
    }


def source_hash(proeve: Proeve) -> str:
    return snapshots.canonical_hash(source(proeve))


def context(proeve: Proeve) -> dict:
    snap = proeve.snapshot
    data = source(proeve)
    eisen = {e["code"]: e for g in snap["kader"]["gebieden"] for e in g["eisen"]}
    opdrachten = []
    for o in snap.get("opdrachten", []):
        criteria = {c["id"]: c["tekst"] for c in o["criteria"]}
        opdrachten.append(
            {
                **o,
                "afgerond_at": _dt(o["afgerond_at"]),
                "eisen_titels": [
                    f"{c} {eisen[c]['titel']}" if c in eisen else c for c in o["eisen"]
                ],
                "bewijs": [
                    {
                        **b,
                        "created_at": _dt(b["created_at"]),
                        "criterium_tekst": criteria.get(b["criterium"], ""),
                    }
                    for b in o["bewijs"]
                ],
                "feedback": [{**m, "created_at": _dt(m["created_at"])} for m in o["feedback"]],
            }
        )
    modified = _dt(snap["ingediend_at"])
    if data.get("oordeel"):
        modified = data["oordeel"]["locked_at"]
    return {
        "proeve": proeve,
        "snap": snap,
        "traject": {
            **snap["traject"],
            "start_date": _date(snap["traject"]["start_date"]),
            "end_date": _date(snap["traject"]["end_date"]),
        },
        "ingediend_at": _dt(snap["ingediend_at"]),
        "scholingsplan_vastgesteld": _dt(snap.get("scholingsplan", {}).get("vastgesteld_op")),
        "overzicht": snapshots.overview(snap),
        "opdrachten": opdrachten,
        "gebieden": snap["kader"]["gebieden"],
        "created_iso": snap["ingediend_at"],
        "modified_iso": modified.isoformat() if modified else snap["ingediend_at"],
        **data,
    }


def render(proeve: Proeve) -> tuple[bytes, str]:
    """The PDF bytes and the hash of what they show."""
    from weasyprint import CSS, HTML  # heavy import, only in the worker

    with translation.override("nl"):
        html = render_to_string("bekwaamheid/pdf/proeve.html", context(proeve))
    css_path = finders.find("css/pdf.css")
    digest = source_hash(proeve)
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        stylesheets=[CSS(filename=css_path)]
    )
    content = document.write_pdf(pdf_identifier=digest[:32].encode())
    return content, digest

"""Reads for the dossier: querysets with their related objects fetched, and the dossier
overview computed from a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from trajecten.models import Bekwaamheidsgebied, Traject

from .models import (
    Bekwaamheidseis,
    Bekwaamheidskader,
    Beoordeling,
    Bewijsstuk,
    Dossier,
    Feedback,
    Feedbackverzoek,
    Onderzoeksopdracht,
    Opdracht,
    Proeve,
    Rubriekniveau,
)


def active_kader() -> Bekwaamheidskader | None:
    """The framework version new dossiers start with."""
    return Bekwaamheidskader.objects.filter(status=Bekwaamheidskader.Status.ACTIEF).first()


def kader_eisen(kader: Bekwaamheidskader) -> QuerySet[Bekwaamheidseis]:
    """A framework's indicators with their area and rubric levels, in framework order."""
    return (
        kader.eisen.select_related("gebied")
        .prefetch_related(Prefetch("niveaus", queryset=Rubriekniveau.objects.order_by("niveau")))
        .order_by("gebied__order", "order", "code")
    )


def eisen_per_gebied(eisen) -> list[tuple[Bekwaamheidsgebied, list[Bekwaamheidseis]]]:
    """Group indicators (already in framework order) by area."""
    groups: dict[int, tuple[Bekwaamheidsgebied, list]] = {}
    for eis in eisen:
        groups.setdefault(eis.gebied_id, (eis.gebied, []))[1].append(eis)
    return list(groups.values())


def dossier_for(traject: Traject) -> Dossier | None:
    return Dossier.objects.select_related("kader").filter(traject=traject).first()


# --- Assignments -----------------------------------------------------------------------------


def opdracht_list(qs: QuerySet[Opdracht]) -> QuerySet[Opdracht]:
    """Assignments for the teacher's list, with counts of the work on them per status."""
    return (
        qs.select_related("partnerschap")
        .prefetch_related("eisen")
        .annotate(
            n_totaal=Count("uitwerkingen", distinct=True),
            n_ingediend=Count(
                "uitwerkingen",
                filter=Q(uitwerkingen__status=Onderzoeksopdracht.Status.INGEDIEND),
                distinct=True,
            ),
            n_afgerond=Count(
                "uitwerkingen",
                filter=Q(uitwerkingen__status=Onderzoeksopdracht.Status.AFGEROND),
                distinct=True,
            ),
        )
        .order_by("-created_at", "-pk")
    )


def opdracht_uitwerkingen(opdracht: Opdracht) -> QuerySet[Onderzoeksopdracht]:
    """The side-entrants' work on one assignment, with the people and counts."""
    return (
        opdracht.uitwerkingen.select_related(
            "dossier__traject__zij_instromer", "dossier__traject__school"
        )
        .annotate(
            n_bewijs=Count(
                "bewijsstukken", filter=Q(bewijsstukken__removed_at__isnull=True), distinct=True
            ),
            n_feedback=Count("feedback", distinct=True),
        )
        .order_by("dossier__traject__zij_instromer__last_name", "pk")
    )


def onderzoeksopdracht_list(qs: QuerySet[Onderzoeksopdracht]) -> QuerySet[Onderzoeksopdracht]:
    return (
        qs.select_related("opdracht__gesteld_door", "dossier__traject__zij_instromer")
        .prefetch_related("opdracht__eisen")
        .annotate(
            n_bewijs=Count(
                "bewijsstukken", filter=Q(bewijsstukken__removed_at__isnull=True), distinct=True
            ),
            n_feedback=Count("feedback", distinct=True),
        )
        .order_by("-created_at", "-pk")
    )


def feedback_asked_of(user) -> QuerySet[Feedbackverzoek]:
    """Open feedback requests addressed to `user`."""
    return (
        Feedbackverzoek.objects.filter(gevraagd_aan=user, beantwoord_at__isnull=True)
        .select_related(
            "onderzoeksopdracht__opdracht", "onderzoeksopdracht__dossier__traject__zij_instromer"
        )
        .order_by("created_at")
    )


def onderzoeksopdracht_detail(obj: Onderzoeksopdracht) -> dict:
    """Everything the assignment page shows, fetched in a handful of queries."""
    criteria = list(obj.criteria.all())
    bewijs = list(
        obj.bewijsstukken.select_related("toegevoegd_door")
        .annotate(n_proeven=Count("proeven"))
        .order_by("created_at", "pk")
    )
    active = [b for b in bewijs if b.removed_at is None]
    removed = [b for b in bewijs if b.removed_at is not None]
    per_criterium: dict[int | None, list[Bewijsstuk]] = defaultdict(list)
    for b in active:
        per_criterium[b.criterium_id].append(b)
    for c in criteria:
        c.bewijs = per_criterium.get(c.pk, [])
    messages = list(obj.feedback.select_related("auteur").order_by("created_at", "pk"))
    threads = [m for m in messages if m.antwoord_op_id is None]
    replies: dict[int, list[Feedback]] = defaultdict(list)
    for m in messages:
        if m.antwoord_op_id:
            replies[m.antwoord_op_id].append(m)
    for m in threads:
        m.replies = replies.get(m.pk, [])
    return {
        "eisen": list(
            obj.opdracht.eisen.select_related("gebied").order_by("gebied__order", "order")
        ),
        "criteria": criteria,
        "los_bewijs": per_criterium.get(None, []),
        "removed": removed,
        "threads": threads,
        "n_feedback": len(messages),
        "verzoeken": list(obj.verzoeken.select_related("gevraagd_aan")),
    }


# --- The dossier overview --------------------------------------------------------------------


@dataclass
class EisRow:
    eis: Bekwaamheidseis
    werk: list = field(default_factory=list)
    n_bewijs: int = 0
    n_feedback: int = 0
    per_kwartaal: list = field(default_factory=list)
    laatste: datetime.datetime | None = None

    @property
    def is_gap(self) -> bool:
        return self.n_bewijs == 0


def _quarter(traject: Traject, moment: datetime.datetime) -> int:
    days = (timezone.localdate(moment) - traject.start_date).days
    return max(0, days // 91)


def dossier_coverage(dossier: Dossier | None) -> dict:
    """Per area: how many of its indicators have evidence, for the panel on the traject page.
    The same counts as `dossier_overview` (an indicator is covered by evidence, not removed,
    on work set for an indicator of that code), in two queries whatever the dossier's size."""
    kader = dossier.kader if dossier else active_kader()
    if kader is None:
        return {"kader": None, "gebieden": []}
    eisen = list(kader.eisen.select_related("gebied").order_by("gebied__order", "order", "code"))
    covered_codes: set[str] = set()
    if dossier is not None:
        covered_codes = set(
            Bekwaamheidseis.objects.filter(
                opdrachten__uitwerkingen__dossier=dossier,
                opdrachten__uitwerkingen__bewijsstukken__isnull=False,
                opdrachten__uitwerkingen__bewijsstukken__removed_at__isnull=True,
            ).values_list("code", flat=True)
        )
    gebieden = []
    for gebied, gebied_eisen in eisen_per_gebied(eisen):
        covered = sum(1 for e in gebied_eisen if e.code in covered_codes)
        gebieden.append(
            {
                "gebied": gebied,
                "n_covered": covered,
                "n_total": len(gebied_eisen),
                "width": round(covered / len(gebied_eisen) * 4) * 25 if gebied_eisen else 0,
            }
        )
    return {"kader": kader, "gebieden": gebieden}


def dossier_overview(traject: Traject, dossier: Dossier | None) -> dict:
    """Per area and indicator: the work that covers it, how much evidence and feedback, and
    evidence per quarter of the traject (growth over time). Indicators without evidence are
    gaps. Work on an assignment covers the indicators (matched by code) it was set for."""
    kader = dossier.kader if dossier else active_kader()
    if kader is None:
        return {"kader": None, "gebieden": [], "gaps": [], "werk": [], "kwartalen": []}
    # Without the rubric levels (kader_eisen): the overview never shows them.
    eisen = list(kader.eisen.select_related("gebied").order_by("gebied__order", "order", "code"))
    n_quarters = max(1, (traject.end_date - traject.start_date).days // 91 + 1)
    today_q = min(n_quarters - 1, _quarter(traject, timezone.now()))
    rows = {e.code: EisRow(eis=e, per_kwartaal=[0] * n_quarters) for e in eisen}
    werk: list[Onderzoeksopdracht] = []
    if dossier is not None:
        werk = list(
            dossier.onderzoeksopdrachten.select_related("opdracht")
            .prefetch_related(
                "opdracht__eisen",
                Prefetch(
                    "bewijsstukken", queryset=Bewijsstuk.objects.filter(removed_at__isnull=True)
                ),
            )
            .annotate(n_feedback=Count("feedback", distinct=True))
            .order_by("created_at", "pk")
        )
    for w in werk:
        codes = {e.code for e in w.opdracht.eisen.all()}
        bewijs = list(w.bewijsstukken.all())
        for code in codes:
            row = rows.get(code)
            if row is None:
                continue
            row.werk.append(w)
            row.n_bewijs += len(bewijs)
            row.n_feedback += w.n_feedback
            for b in bewijs:
                q = min(n_quarters - 1, _quarter(traject, b.created_at))
                row.per_kwartaal[q] += 1
                if row.laatste is None or b.created_at > row.laatste:
                    row.laatste = b.created_at
    gebieden = []
    for gebied, gebied_eisen in eisen_per_gebied(eisen):
        gebied_rows = [rows[e.code] for e in gebied_eisen]
        covered = sum(1 for r in gebied_rows if not r.is_gap)
        gebieden.append(
            {
                "gebied": gebied,
                "rows": gebied_rows,
                "n_covered": covered,
                "n_total": len(gebied_rows),
                # Bootstrap has width classes in steps of 25%.
                "width": round(covered / len(gebied_rows) * 4) * 25 if gebied_rows else 0,
            }
        )
    return {
        "kader": kader,
        "gebieden": gebieden,
        "gaps": [r for r in rows.values() if r.is_gap],
        "werk": werk,
        "kwartalen": [{"n": i + 1, "past": i <= today_q} for i in range(n_quarters)],
    }


# --- Proeven ---------------------------------------------------------------------------------


def proeve_list(qs: QuerySet[Proeve]) -> QuerySet[Proeve]:
    """Proeven for a list: people and school along, without the dossier snapshot (a large
    JSON document per Proeve that no list shows)."""
    return (
        qs.defer("snapshot")
        .select_related(
            "dossier__traject__zij_instromer",
            "dossier__traject__school",
            "veldassessor",
            "opleidingsassessor",
        )
        .order_by("status", "datum", "-ingediend_at", "pk")
    )


def proeven_of_dossier(dossier: Dossier) -> QuerySet[Proeve]:
    return dossier.proeven.select_related("veldassessor", "opleidingsassessor").order_by("poging")


def running_proeve(dossier: Dossier) -> Proeve | None:
    return dossier.proeven.exclude(status=Proeve.Status.AFGEROND).first()


def beoordelingen(proeve: Proeve) -> dict[str, Beoordeling]:
    """The assessors' own judgements by role ("veld", "opleiding"), with their rows."""
    rows = proeve.beoordelingen.select_related("assessor").prefetch_related("regels__eis")
    return {b.rol: b for b in rows}


def snapshot_eisen(proeve: Proeve) -> list[dict]:
    """The indicators as frozen in the snapshot (flattened, in framework order)."""
    out = []
    for gebied in proeve.snapshot.get("kader", {}).get("gebieden", []):
        for eis in gebied["eisen"]:
            out.append({**eis, "gebied": gebied["name"]})
    return out


def proeve_eisen(proeve: Proeve) -> list[Bekwaamheidseis]:
    """The indicators judged in `proeve`: those of the dossier's framework version."""
    return list(kader_eisen(proeve.dossier.kader))

"""seed_scale, the competence dossier: assignments, the side-entrants' work with criteria,
evidence (links) and feedback, and the Proeven with their frozen snapshots, judgements and
signed oordelen."""

from __future__ import annotations

import datetime

from bekwaamheid import models as bm
from bekwaamheid import snapshot as snapshots
from trajecten import models as tm

from . import texts
from .base import (
    DAY,
    EMAIL_DOMAIN,
    MAX_BEWIJS_PER_WORK,
    PDF_ITEMS,
    Plan,
    Work,
    at,
    split,
)


class DossierSteps:
    """Steps of World (see world.py) for the dossiers and the Proeven."""

    # --- dossiers --------------------------------------------------------------------------------

    def _dossiers(self) -> None:
        rng, today, load = self.rng, self.today, self.load
        kader = bm.Bekwaamheidskader.objects.get(status=bm.Bekwaamheidskader.Status.ACTIEF)
        self.kader = kader
        self.eisen = list(kader.eisen.order_by("order").values_list("pk", flat=True))
        opdracht_ids = iter(self._ids(bm.Opdracht, len(self.ps_ids) * len(texts.OPDRACHTEN)))
        self.ps_opdrachten: list[list[tuple[int, datetime.date]]] = []
        opdracht_rows, opdracht_eisen = [], []
        for i, ps_pk in enumerate(self.ps_ids):
            mine = []
            for titel in texts.OPDRACHTEN:
                pk = next(opdracht_ids)
                created = today - DAY * rng.randint(400, 1150)
                mine.append((pk, created))
                opdracht_rows.append(
                    (
                        pk,
                        titel,
                        f"Onderzoek in je eigen groep: {titel.lower()}.",
                        ps_pk,
                        rng.choice(self.ps_docenten[i]),
                        "zij-instromers",
                        at(created, 10),
                    )
                )
                for eis in rng.sample(self.eisen, rng.randint(2, 3)):
                    opdracht_eisen.append((pk, eis))
            self.ps_opdrachten.append(mine)
        load.insert(
            bm.Opdracht,
            [
                "id",
                "titel",
                "omschrijving",
                "partnerschap_id",
                "gesteld_door_id",
                "doelgroep",
                "created_at",
            ],
            opdracht_rows,
        )
        load.insert(
            bm.Opdracht.eisen.through, ["opdracht_id", "bekwaamheidseis_id"], opdracht_eisen
        )

        started = [p for p in self.plans if p.started]
        dossier_ids = iter(self._ids(bm.Dossier, len(started)))
        self.dossier_of: dict[int, int] = {}
        dossier_rows = []
        for p in started:
            pk = next(dossier_ids)
            self.dossier_of[p.id] = pk
            dossier_rows.append((pk, p.id, kader.pk, at(p.start, 8)))
        load.insert(bm.Dossier, ["id", "traject_id", "kader_id", "created_at"], dossier_rows)

        n_works = {}
        for p in started:
            months = (p.last_day(today) - p.start).days / 30.4
            n_works[p.id] = 8 if p.pdf else min(10, max(0, int(months / 2.4) + rng.randint(-1, 1)))
        work_ids = iter(self._ids(bm.Onderzoeksopdracht, sum(n_works.values())))
        criterium_ids = iter(self._ids(bm.Succescriterium, sum(n_works.values()) * 4))
        S = bm.Onderzoeksopdracht.Status
        work_rows, criterium_rows = [], []
        for p in started:
            last = p.last_day(today)
            span = max(1, (last - p.start).days)
            near_end = p.status == tm.Traject.Status.AFGEROND or (p.end - today).days < 270
            chosen = rng.sample(self.ps_opdrachten[p.ps], n_works[p.id])
            for j, (opdracht, _created) in enumerate(chosen):
                created = at(p.start + DAY * int(span * (j + 0.3) / max(1, n_works[p.id])), 19)
                finished = created + DAY * rng.randint(45, 90)
                if finished.date() < last or p.pdf:
                    status, afgerond_at = S.AFGEROND, min(finished, self.now - DAY)
                else:
                    status, afgerond_at = rng.choice([S.CONCEPT, S.INGEDIEND]), None
                in_dossier = status == S.AFGEROND and (
                    (p.pdf and j < PDF_ITEMS // 10)
                    or (not p.pdf and near_end and rng.random() < 0.75)
                )
                work = Work(
                    id=next(work_ids),
                    opdracht=opdracht,
                    created=created,
                    status=status,
                    afgerond_at=afgerond_at,
                    in_dossier=in_dossier,
                )
                p.works.append(work)
                ingediend = created + DAY * 30 if status != S.CONCEPT else None
                work_rows.append(
                    (
                        work.id,
                        opdracht,
                        self.dossier_of[p.id],
                        status,
                        in_dossier,
                        min(ingediend, self.now) if ingediend else None,
                        afgerond_at,
                        created,
                        afgerond_at or created,
                    )
                )
                for order in range(rng.randint(2, 4)):
                    c = next(criterium_ids)
                    work.criteria.append(c)
                    criterium_rows.append(
                        (
                            c,
                            work.id,
                            rng.choice(texts.CRITERIA),
                            "Het lukte bij de meeste leerlingen." if status == S.AFGEROND else "",
                            order,
                            1,
                            created,
                            created,
                        )
                    )
        load.insert(
            bm.Onderzoeksopdracht,
            [
                "id",
                "opdracht_id",
                "dossier_id",
                "status",
                "in_dossier",
                "ingediend_at",
                "afgerond_at",
                "created_at",
                "updated_at",
            ],
            work_rows,
        )
        load.insert(
            bm.Succescriterium,
            [
                "id",
                "onderzoeksopdracht_id",
                "tekst",
                "reflectie",
                "order",
                "version",
                "created_at",
                "updated_at",
            ],
            criterium_rows,
        )
        self._evidence(started)

    def _evidence(self, started: list[Plan]) -> None:
        rng, load = self.rng, self.load
        S = bm.Onderzoeksopdracht.Status
        works = [(p, w) for p in started for w in p.works]
        remaining = self.counts.bewijsstukken
        for p, w in works:
            if p.pdf and w.in_dossier:
                w.n_bewijs = 10
                remaining -= 10
        open_works = [(p, w) for p, w in works if not (p.pdf and w.in_dossier)]
        weights = [
            {S.AFGEROND: 3.0, S.INGEDIEND: 2.0, S.CONCEPT: 1.0}[w.status] for _p, w in open_works
        ]
        while remaining > 0 and open_works:
            shares = split(remaining, weights)
            kept, kept_weights = [], []
            for (p, w), share, weight in zip(open_works, shares, weights, strict=True):
                add = min(share, MAX_BEWIJS_PER_WORK - w.n_bewijs)
                w.n_bewijs += add
                remaining -= add
                if w.n_bewijs < MAX_BEWIJS_PER_WORK:
                    kept.append((p, w))
                    kept_weights.append(weight)
            open_works, weights = kept, kept_weights
        ids = iter(self._ids(bm.Bewijsstuk, sum(w.n_bewijs for _p, w in works)))
        rows, feedback, verzoeken = [], [], []
        for p, w in works:
            until = w.afgerond_at or self.now
            for n in range(w.n_bewijs):
                pk = next(ids)
                created = w.created + (until - w.created) * rng.random()
                removed = None
                if w.status != S.AFGEROND and not p.pdf and rng.random() < 0.02:
                    removed = self.now - DAY * rng.randint(1, 25)
                rows.append(
                    (
                        pk,
                        w.id,
                        rng.choice(w.criteria) if rng.random() < 0.6 else None,
                        f"{rng.choice(texts.BEWIJS)} {n + 1}",
                        f"https://opnames.{EMAIL_DOMAIN}/bewijs/{pk}",
                        p.zi,
                        created,
                        removed,
                    )
                )
            if w.status == S.CONCEPT:
                continue
            for m in range(rng.randint(1, 3)):
                auteur = p.zi if m % 2 else (p.coach or p.slb or p.zi)
                feedback.append(
                    (w.id, auteur, rng.choice(texts.FEEDBACK), w.created + DAY * (31 + m))
                )
            if w.status == S.INGEDIEND and p.coach:
                verzoeken.append(
                    (
                        w.id,
                        p.coach,
                        "Wil je naar mijn lesvoorbereiding kijken?",
                        w.created + DAY * 30,
                    )
                )
        load.insert(
            bm.Bewijsstuk,
            [
                "id",
                "onderzoeksopdracht_id",
                "criterium_id",
                "titel",
                "link",
                "toegevoegd_door_id",
                "created_at",
                "removed_at",
            ],
            rows,
        )
        load.insert(
            bm.Feedback, ["onderzoeksopdracht_id", "auteur_id", "tekst", "created_at"], feedback
        )
        load.insert(
            bm.Feedbackverzoek,
            ["onderzoeksopdracht_id", "gevraagd_aan_id", "vraag", "created_at"],
            verzoeken,
        )

    # --- Proeven ---------------------------------------------------------------------------------

    def _proeven(self) -> None:
        """Finished trajecten passed their Proeve (a few at the second attempt); running ones
        near their end have theirs submitted, planned or judged. The snapshot of each is the
        one bekwaamheid.snapshot.build makes of the dossier as written above."""
        rng, today, now = self.rng, self.today, self.now
        T = tm.Traject.Status
        attempts: list[tuple[Plan, int, str, datetime.datetime]] = []  # (plan, poging, kind, at)
        for p in self.plans:
            if not any(w.in_dossier for w in p.works):
                continue
            if p.status == T.AFGEROND:
                datum = at(p.end - DAY * rng.randint(30, 100), 10)
                if rng.random() < 0.08 and not p.pdf:
                    attempts.append((p, 1, "onvoldoende", datum - DAY * 60))
                    attempts.append((p, 2, "voldoende", datum))
                else:
                    attempts.append((p, 1, "voldoende", datum))
            elif p.status == T.ACTIEF and (p.end - today).days < 150 and rng.random() < 0.6:
                r = rng.random()
                if r < 0.25:
                    attempts.append((p, 1, "ingediend", now - DAY * rng.randint(1, 20)))
                elif r < 0.85:
                    attempts.append((p, 1, "gepland", now + DAY * rng.randint(-10, 40)))
                else:
                    attempts.append((p, 1, "onvoldoende", now - DAY * rng.randint(20, 60)))
                    attempts.append((p, 2, "open", now - DAY * rng.randint(1, 10)))
        dossiers = {
            d.pk: d
            for d in bm.Dossier.objects.filter(
                pk__in=[self.dossier_of[p.id] for p, *_rest in attempts]
            ).select_related(
                "kader",
                "traject__zij_instromer",
                "traject__school__bestuur",
                "traject__coach",
                "traject__slb",
                "traject__duo",
            )
        }
        built: dict[int, tuple[dict, list]] = {}
        ids = iter(self._ids(bm.Proeve, len(attempts)))
        rows, frozen_rows, beoordelingen, b_regels, oordelen, o_regels, tekens = (
            [] for _ in range(7)
        )
        b_ids = iter(self._ids(bm.Beoordeling, len(attempts) * 2))
        o_ids = iter(self._ids(bm.Oordeel, len(attempts)))
        previous: dict[int, int] = {}
        for p, poging, kind, moment in attempts:
            dossier = dossiers[self.dossier_of[p.id]]
            if dossier.pk not in built:
                built[dossier.pk] = snapshots.build(
                    dossier, by=dossier.traject.zij_instromer, at=moment - DAY * 25
                )
            data, frozen = built[dossier.pk]
            pk = next(ids)
            pool = self.ps_assessors[p.ps]
            veld, opleiding = rng.sample(pool, 2)
            planner = self.ps_coordinators[p.ps][0]
            done = kind in ("voldoende", "onvoldoende")
            status = {"ingediend": "ingediend", "gepland": "gepland", "open": "open"}.get(
                kind, "afgerond"
            )
            snapshot = data if kind != "open" else {}
            submitted = moment - DAY * 25 if kind != "open" else None
            datum = moment if kind not in ("ingediend", "open") else None
            assigned = kind not in ("ingediend", "open")
            locked = moment + DAY * rng.randint(3, 10) if done else None
            if locked is not None:
                locked = min(locked, now - DAY)
            rows.append(
                (
                    pk,
                    self.dossier_of[p.id],
                    poging,
                    previous.get(p.id) if poging > 1 else None,
                    status,
                    snapshot,
                    snapshots.canonical_hash(snapshot) if snapshot else "",
                    submitted,
                    p.zi if submitted else None,
                    datum,
                    "Lokaal 1.12, pabo" if datum else "",
                    veld if assigned else None,
                    opleiding if assigned else None,
                    planner if assigned else None,
                    kind if done else "",
                    locked,
                    "geen",
                    1,
                    submitted or moment,
                )
            )
            previous[p.id] = pk
            if snapshot:
                frozen_rows.extend((pk, b.pk) for b in frozen)
            if not assigned or (kind == "gepland" and moment > now):
                continue
            recorded = [("veld", veld), ("opleiding", opleiding)]
            if not done:
                recorded = recorded[: rng.randint(0, 2)]
            good = kind != "onvoldoende"
            for rol, assessor in recorded:
                b = next(b_ids)
                beoordelingen.append(
                    (b, pk, assessor, rol, rng.choice(texts.MOTIVATIE), moment + DAY, 1)
                )
                for eis in self.eisen:
                    b_regels.append((b, eis, self._niveau(good), rng.choice(texts.MOTIVATIE)))
            if done:
                o = next(o_ids)
                oordelen.append((o, pk, kind, rng.choice(texts.MOTIVATIE), opleiding, 1, locked))
                for eis in self.eisen:
                    o_regels.append((o, eis, self._niveau(good), rng.choice(texts.MOTIVATIE)))
                tekens.append((o, veld, "veld", locked - datetime.timedelta(hours=2), 1))
                tekens.append((o, opleiding, "opleiding", locked, 1))
        load = self.load
        load.insert(
            bm.Proeve,
            [
                "id",
                "dossier_id",
                "poging",
                "herkansing_van_id",
                "status",
                "snapshot",
                "snapshot_hash",
                "ingediend_at",
                "ingediend_door_id",
                "datum",
                "locatie",
                "veldassessor_id",
                "opleidingsassessor_id",
                "gepland_door_id",
                "uitslag",
                "afgerond_at",
                "pdf_status",
                "version",
                "created_at",
            ],
            rows,
        )
        load.insert(bm.Proeve.bewijsstukken.through, ["proeve_id", "bewijsstuk_id"], frozen_rows)
        load.insert(
            bm.Beoordeling,
            ["id", "proeve_id", "assessor_id", "rol", "toelichting", "recorded_at", "version"],
            beoordelingen,
        )
        load.insert(
            bm.Beoordelingsregel, ["beoordeling_id", "eis_id", "niveau", "motivatie"], b_regels
        )
        load.insert(
            bm.Oordeel,
            [
                "id",
                "proeve_id",
                "uitslag",
                "motivatie",
                "opgesteld_door_id",
                "version",
                "locked_at",
            ],
            oordelen,
        )
        load.insert(bm.Oordeelsregel, ["oordeel_id", "eis_id", "niveau", "motivatie"], o_regels)
        load.insert(
            bm.Ondertekening,
            ["oordeel_id", "assessor_id", "rol", "signed_at", "oordeel_version"],
            tekens,
        )

    def _niveau(self, good: bool) -> int:
        return self.rng.choices([2, 3, 4], (5, 70, 25) if good else (45, 50, 5))[0]

"""seed_scale, the route: intake (geschiktheidsonderzoek, ontwikkelpunten), the versioned
scholingsplan with its activities and agreements, and the log."""

from __future__ import annotations

import datetime
import uuid

from trajecten import models as tm

from . import texts
from .base import (
    DAY,
    at,
    split,
)


class RouteSteps:
    """Steps of World (see world.py) for the intake, the plan and the log."""

    # --- intake and scholingsplan ----------------------------------------------------------------

    def _plans(self) -> None:
        rng, today, load = self.rng, self.today, self.load
        gebieden = dict(tm.Bekwaamheidsgebied.objects.values_list("code", "pk"))
        with_onderzoek = [p for p in self.plans if p.onderzoek]
        onderzoek_rows = []
        for p in with_onderzoek:
            by = p.slb or self.ps_coordinators[p.ps][0]
            datum = p.start - DAY * rng.randint(10, 45)
            positive = p.onderzoek == "positief"
            onderzoek_rows.append(
                (
                    p.id,
                    datum,
                    p.onderzoek,
                    "Ja, met begeleiding van een coach." if positive else "Nog niet.",
                    "Ja, met het voorgestelde scholingsplan." if positive else "Nee.",
                    "Modules didactiek en pedagogiek, coach op school, lesbezoeken.",
                    by,
                    at(datum, 14),
                    1,
                )
            )
        load.insert(
            tm.Geschiktheidsonderzoek,
            [
                "traject_id",
                "datum",
                "uitkomst",
                "kan_direct_lesgeven",
                "kan_binnen_twee_jaar",
                "scholing_en_ondersteuning",
                "vastgelegd_door_id",
                "created_at",
                "version",
            ],
            onderzoek_rows,
        )
        positive = [p for p in with_onderzoek if p.onderzoek == "positief"]
        n_punten = {p.id: rng.randint(3, 5) for p in positive}
        punt_ids = iter(self._ids(tm.Ontwikkelpunt, sum(n_punten.values())))
        punt_rows = []
        for p in positive:
            for order in range(n_punten[p.id]):
                code = rng.choice(list(texts.ONTWIKKELPUNTEN))
                pk = next(punt_ids)
                titel = rng.choice(texts.ONTWIKKELPUNTEN[code])
                p.punten.append((pk, code, titel))
                punt_rows.append((pk, p.id, gebieden[code], titel, "", order))
        load.insert(
            tm.Ontwikkelpunt,
            ["id", "traject_id", "gebied_id", "titel", "omschrijving", "order"],
            punt_rows,
        )

        planned = [p for p in positive if p.plan]
        plan_ids = iter(self._ids(tm.Scholingsplan, len(planned)))
        plan_rows, versie_rows, activiteit_rows = [], [], []
        instemming_rows, voortgang_rows = [], []
        versie_ids = iter(self._ids(tm.Scholingsplanversie, len(planned) * 3))
        V = tm.Scholingsplanversie.Status
        for p in planned:
            plan_id = next(plan_ids)
            plan_rows.append((plan_id, p.id, at(p.start - DAY * 5, 10)))
            author = p.slb or self.ps_coordinators[p.ps][0]
            leader = self.school_leaders[p.school][0]
            last = p.last_day(today)
            versions: list[tuple[str, datetime.datetime | None]] = []
            if p.plan == "vastgesteld":
                agreed = at(min(last - DAY, p.start + DAY * rng.randint(20, 55)), 15)
                versions.append((V.VASTGESTELD, agreed))
                if rng.random() < 0.25 and (last - agreed.date()).days > 60:
                    versions.append(
                        (V.VASTGESTELD, at(self._between(agreed.date() + DAY * 30, last), 15))
                    )
                if p.status == tm.Traject.Status.ACTIEF and rng.random() < 0.05:
                    versions.append((V.TER_INSTEMMING, self.now - DAY * rng.randint(1, 20)))
            else:
                versions.append((p.plan, self.now - DAY * rng.randint(1, 20)))
            keys: list[tuple[uuid.UUID, int, str, datetime.date, datetime.date]] = []
            for punt, _code, titel in p.punten:
                span = max(30, (p.end - p.start).days)
                for _ in range(rng.randint(1, 2)):
                    van = p.start + DAY * rng.randint(0, span // 2)
                    tot = min(p.end, van + DAY * rng.randint(60, 240))
                    label = rng.choice(texts.ACTIVITEITEN).format(punt=titel.lower())
                    keys.append((uuid.uuid4(), punt, label, van, tot))
            for nummer, (status, moment) in enumerate(versions, start=1):
                versie = next(versie_ids)
                agreed = status == V.VASTGESTELD
                versie_rows.append(
                    (
                        versie,
                        plan_id,
                        nummer,
                        status,
                        "" if nummer == 1 else "Bijgesteld na het driemaandelijkse gesprek.",
                        author,
                        moment - DAY * 7 if moment else self.now,
                        moment if status != V.CONCEPT else None,
                        moment if agreed else None,
                        1,
                    )
                )
                if nummer > 1 and status == V.VASTGESTELD:
                    van = moment.date()
                    keys.append(
                        (
                            uuid.uuid4(),
                            p.punten[0][0],
                            texts.ACTIVITEITEN[2].format(punt=p.punten[0][2].lower()),
                            van,
                            min(p.end, van + DAY * 120),
                        )
                    )
                for order, (key, punt, label, van, tot) in enumerate(keys):
                    support = rng.sample(["coach", "duo", "slb"], rng.randint(1, 2))
                    activiteit_rows.append((versie, key, punt, label, support, van, tot, order))
                if agreed:
                    for partij, user, rol in (
                        ("zij_instromer", p.zi, "zij_instromer"),
                        ("school", leader, "schoolleider"),
                        ("opleiding", author, "slb" if p.slb else "coordinator"),
                    ):
                        instemming_rows.append((versie, partij, user, rol, moment - DAY))
                elif status == V.TER_INSTEMMING and rng.random() < 0.5:
                    instemming_rows.append(
                        (versie, "zij_instromer", p.zi, "zij_instromer", moment + DAY)
                    )
            if p.plan == "vastgesteld":
                for key, _punt, _label, _van, tot in keys:
                    if tot < today and rng.random() < 0.85:
                        voortgang_rows.append((plan_id, key, True, p.zi, at(tot, 20)))
        load.insert(tm.Scholingsplan, ["id", "traject_id", "created_at"], plan_rows)
        load.insert(
            tm.Scholingsplanversie,
            [
                "id",
                "plan_id",
                "nummer",
                "status",
                "toelichting",
                "created_by_id",
                "created_at",
                "submitted_at",
                "vastgesteld_op",
                "version",
            ],
            versie_rows,
        )
        load.insert(
            tm.Activiteit,
            [
                "versie_id",
                "key",
                "ontwikkelpunt_id",
                "omschrijving",
                "ondersteuning",
                "periode_van",
                "periode_tot",
                "order",
            ],
            activiteit_rows,
        )
        load.insert(tm.Instemming, ["versie_id", "partij", "user_id", "rol", "at"], instemming_rows)
        load.insert(
            tm.Activiteitvoortgang,
            ["plan_id", "key", "afgerond", "gewijzigd_door_id", "gewijzigd_op"],
            voortgang_rows,
        )

    # --- logboek ---------------------------------------------------------------------------------

    def _logboek(self) -> None:
        rng, today = self.rng, self.today
        started = [p for p in self.plans if p.started]
        weights = [
            max(1, (p.last_day(today) - p.start).days)
            * rng.uniform(0.3, 1.7)
            * (1.2, 1.0, 0.6)[p.mood]
            for p in started
        ]
        per_traject = split(self.counts.logboekregels, weights)
        ids = iter(self._ids(tm.Logboekregel, self.counts.logboekregels))
        rows, links, reacties = [], [], []
        for p, n in zip(started, per_traject, strict=True):
            last = max(p.start, p.last_day(today))
            for _ in range(n):
                pk = next(ids)
                datum = self._between(p.start, last)
                written = at(datum, 20, rng.randint(0, 59))
                rows.append(
                    (
                        pk,
                        p.id,
                        datum,
                        rng.choice(texts.LOGBOEK_WAT).format(g=rng.randint(3, 8)),
                        rng.choice(texts.LOGBOEK_GELEERD),
                        1,
                        written,
                        written,
                    )
                )
                if p.punten and rng.random() < 0.5:
                    links.append((pk, rng.choice(p.punten)[0]))
                if rng.random() < 0.2:
                    auteur, rol = (
                        (p.coach, "coach") if p.coach and rng.random() < 0.6 else (p.slb, "slb")
                    )
                    if auteur:
                        reacties.append(
                            (
                                pk,
                                auteur,
                                rol,
                                "Mooi gezien! Bespreken we dit donderdag verder?",
                                written + DAY,
                            )
                        )
        self.load.insert(
            tm.Logboekregel,
            [
                "id",
                "traject_id",
                "datum",
                "wat_er_gebeurde",
                "geleerd",
                "version",
                "created_at",
                "updated_at",
            ],
            rows,
        )
        self.load.insert(
            tm.Logboekregel.ontwikkelpunten.through, ["logboekregel_id", "ontwikkelpunt_id"], links
        )
        self.load.insert(
            tm.Logboekreactie, ["regel_id", "auteur_id", "rol", "tekst", "created_at"], reacties
        )

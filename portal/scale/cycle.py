"""seed_scale, the conversation cycle: the quarterly conversations and extra ones, their
preparations, reports with signatures, agreements and tagged signals, and the reminders the
daily sweep sent up to yesterday."""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone

from gesprekken import models as gm
from gesprekken.planning import at_default_time, cycle_dates
from portal.models import Notificatie
from trajecten import models as tm

from . import texts
from .base import (
    DAY,
    Plan,
    at,
    split,
    weekday,
)


class CycleSteps:
    """Steps of World (see world.py) for the conversations and the reminders."""

    # --- conversations ---------------------------------------------------------------------------

    def _gesprekken(self) -> None:
        rng, today = self.rng, self.today
        started = [p for p in self.plans if p.started]
        slots = {p.id: cycle_dates(p.start, p.end) for p in started}
        n_cycle = sum(len(s) for s in slots.values())
        extra_total = max(0, self.counts.gesprekken - n_cycle)
        extras = split(
            extra_total,
            [(1, 2, 4)[p.mood] * max(1, (p.last_day(today) - p.start).days) for p in started],
        )
        ids = iter(self._ids(gm.Gesprek, n_cycle + extra_total))
        self._gesprek_rows: list[tuple] = []
        self._held: list[tuple] = []  # (gesprek id, plan, starts_at, soort)
        self._upcoming: list[tuple] = []
        G = gm.Gesprek
        for p, n_extra in zip(started, extras, strict=True):
            for number, day in slots[p.id]:
                pk = next(ids)
                starts = at_default_time(day)
                moved_at = moved_by = None
                status = G.Status.GEPLAND
                if p.stopped and day > p.stopped:
                    status = G.Status.VERVALLEN
                elif rng.random() < 0.12:
                    starts = at(weekday(day + DAY * rng.randint(-4, 6)), rng.choice([9, 13, 15]))
                    moved_at, moved_by = starts - DAY * rng.randint(7, 30), p.slb or p.coach
                sequence = 1 if status == G.Status.VERVALLEN or moved_at else 0
                self._gesprek_row(
                    pk, p, G.Soort.CYCLUS, number, day, starts, status, sequence, moved_at, moved_by
                )
            ahead = DAY * 21 if p.status == tm.Traject.Status.ACTIEF else DAY * 0
            last = min(p.last_day(today) + ahead, p.end)
            for _ in range(n_extra):
                pk = next(ids)
                day = weekday(self._between(p.start + DAY * 20, max(p.start + DAY * 20, last)))
                starts = at(day, rng.choice([8, 12, 13, 15, 16]), rng.choice([0, 30]))
                self._gesprek_row(
                    pk, p, G.Soort.EXTRA, None, None, starts, G.Status.GEPLAND, 0, None, None
                )
        self.load.insert(
            gm.Gesprek,
            [
                "id",
                "traject_id",
                "soort",
                "cycle_number",
                "planned_for",
                "starts_at",
                "duration_minutes",
                "location",
                "status",
                "uid",
                "sequence",
                "moved_at",
                "moved_by_id",
                "created_by_id",
                "created_at",
                "updated_at",
            ],
            self._gesprek_rows,
        )
        self._preparations()
        self._verslagen()

    def _gesprek_row(
        self, pk, p: Plan, soort, number, day, starts, status, sequence, moved_at, moved_by
    ) -> None:
        created = at(p.start, 11)
        self._gesprek_rows.append(
            (
                pk,
                p.id,
                soort,
                number,
                day,
                starts,
                60,
                self.school_name[p.school],
                status,
                uuid.uuid4(),
                sequence,
                moved_at,
                moved_by,
                p.slb,
                created,
                moved_at or created,
            )
        )
        if status != gm.Gesprek.Status.GEPLAND:
            return
        if starts < self.now:
            self._held.append((pk, p, starts, soort))
        elif starts < self.now + DAY * 21:
            self._upcoming.append((pk, p, starts, soort))

    def _participants(self, p: Plan) -> list[tuple[str, int]]:
        return [
            (r, u) for r, u in (("zij_instromer", p.zi), ("coach", p.coach), ("slb", p.slb)) if u
        ]

    def _preparations(self) -> None:
        rng, now = self.rng, self.now
        rows, links = [], []
        self._ready: set[tuple[int, str]] = set()
        todo = [(g, p, s, True) for g, p, s, _soort in self._held]
        todo += [(g, p, s, False) for g, p, s, _soort in self._upcoming]
        ids = iter(self._ids(gm.Voorbereiding, len(todo) * 3))
        for gesprek, p, starts, held in todo:
            chance = (0.9, 0.8, 0.6)[p.mood] if held else 0.3
            for rol, user in self._participants(p):
                if rng.random() >= chance:
                    continue
                pk = next(ids)
                ready = starts - DAY * rng.randint(1, 6) if held else now - DAY * rng.randint(0, 3)
                waar, stap, nodig = rng.choice(texts.VOORBEREIDING)
                own = rol == "zij_instromer"
                rows.append(
                    (
                        pk,
                        gesprek,
                        rol,
                        user,
                        waar if own else "",
                        stap if own else "",
                        nodig if own else "",
                        "" if own else rng.choice(texts.REFLECTIEVRAGEN),
                        ready,
                        1,
                        ready - DAY,
                        ready,
                    )
                )
                self._ready.add((gesprek, rol))
                if own and p.punten and rng.random() < 0.4:
                    links.append((pk, rng.choice(p.punten)[0]))
        self.load.insert(
            gm.Voorbereiding,
            [
                "id",
                "gesprek_id",
                "rol",
                "auteur_id",
                "waar_sta_ik",
                "volgende_stap",
                "wat_nodig",
                "reflectievragen",
                "ready_at",
                "version",
                "created_at",
                "updated_at",
            ],
            rows,
        )
        self.load.insert(
            gm.Voorbereiding.ontwikkelpunten.through,
            ["voorbereiding_id", "ontwikkelpunt_id"],
            links,
        )

    def _koers(self, mood: int) -> str:
        weights = ((80, 17, 3), (45, 40, 15), (15, 40, 45))[mood]
        return self.rng.choices(["op_koers", "aandacht", "uit_koers"], weights)[0]

    def _verslagen(self) -> None:
        rng, today, now = self.rng, self.today, self.now
        ids = iter(self._ids(gm.Verslag, len(self._held)))
        verslagen, handtekeningen, afspraken, signalen, signaal_tags, addenda = (
            [] for _ in range(6)
        )
        signaal_ids = iter(self._ids(gm.Signaal, len(self._held) * 3))
        self._verslag_state: dict[int, tuple] = {}  # gesprek -> (verslag id, locked, signed)
        self._afspraken: list[tuple] = []  # (afspraak id, owner, due, done, traject status)
        afspraak_ids = iter(self._ids(gm.Afspraak, len(self._held) * 3))
        for gesprek, p, starts, soort in self._held:
            age = (today - timezone.localdate(starts)).days
            if rng.random() >= (0.97 if age >= 30 else 0.8 if age >= 3 else 0.3):
                self._verslag_state[gesprek] = None
                continue
            pk = next(ids)
            delay = rng.choices(
                [rng.randint(1, 10), rng.randint(11, 20), rng.randint(21, 45)], [70, 20, 10]
            )[0]
            locked_at = starts + DAY * delay + datetime.timedelta(hours=rng.randint(1, 6))
            if locked_at >= now or rng.random() < 0.03:
                locked_at = None
            version = 2 if rng.random() < 0.08 else 1
            koers = self._koers(p.mood) if soort == "cyclus" or rng.random() < 0.5 else ""
            writer = p.slb or p.coach or p.zi
            written = starts + datetime.timedelta(hours=rng.randint(2, 40))
            if locked_at is not None:
                written = min(written, locked_at)
            verslagen.append(
                (
                    pk,
                    gesprek,
                    rng.choice(texts.VERSLAG) + "\n\n" + rng.choice(texts.VERSLAG),
                    koers,
                    texts.KOERS_REDEN.get(koers, "") if koers != "op_koers" else "",
                    version,
                    locked_at,
                    writer,
                    writer,
                    written,
                    locked_at or written,
                )
            )
            signers = self._participants(p)
            signed = []
            if locked_at is not None:
                signed = signers
            else:
                signed = [s for s in signers if rng.random() < 0.4][: max(0, len(signers) - 1)]
            for n, (rol, user) in enumerate(signed):
                moment = locked_at - datetime.timedelta(hours=n) if locked_at else written + DAY
                handtekeningen.append((pk, rol, user, version, moment))
            if version == 2 and signers:
                rol, user = signers[0]
                handtekeningen.append((pk, rol, user, 1, written))
            self._verslag_state[gesprek] = (
                pk,
                locked_at is not None,
                {r for r, _u in signed},
                version,
            )
            for order in range(rng.choice([1, 1, 2, 2, 3])):
                owner = rng.choices([p.zi, p.coach or p.zi, p.slb or p.zi], [70, 15, 15])[0]
                due = timezone.localdate(starts) + DAY * rng.randint(14, 60)
                done = None
                if (due < today and rng.random() < 0.85) or rng.random() < 0.2:
                    done = min(now - DAY, at(due - DAY * rng.randint(0, 10), 17))
                a = next(afspraak_ids)
                afspraken.append(
                    (
                        a,
                        pk,
                        rng.choice(texts.AFSPRAKEN).format(g=rng.randint(3, 8)),
                        owner,
                        due,
                        done,
                        owner if done else None,
                        order,
                    )
                )
                self._afspraken.append((a, owner, due, done, p.status))
            if locked_at is None and rng.random() > 0.2:
                continue
            for order in range(rng.choices([0, 1, 2, 3], [45, 35, 15, 5])[0]):
                soort_signaal = rng.choices(
                    ["belemmering", "ondersteuning", "succes"],
                    ((25, 30, 45), (40, 35, 25), (55, 35, 10))[p.mood],
                )[0]
                s = next(signaal_ids)
                signalen.append(
                    (s, pk, soort_signaal, rng.choice(texts.SIGNALEN[soort_signaal]), order)
                )
                if rng.random() < 0.8:
                    for tag in rng.sample(self.ps_tags[p.ps], rng.choice([1, 1, 2])):
                        signaal_tags.append((s, tag))
            if locked_at is not None and rng.random() < 0.01:
                addenda.append(
                    (
                        pk,
                        "Aanvulling: de afspraak over het lesbezoek is verschoven.",
                        p.slb or p.zi,
                        locked_at + DAY * 3,
                    )
                )
        load = self.load
        load.insert(
            gm.Verslag,
            [
                "id",
                "gesprek_id",
                "tekst",
                "koers",
                "koers_reden",
                "version",
                "locked_at",
                "created_by_id",
                "updated_by_id",
                "created_at",
                "updated_at",
            ],
            verslagen,
        )
        load.insert(
            gm.Handtekening,
            ["verslag_id", "rol", "user_id", "version", "signed_at"],
            handtekeningen,
        )
        load.insert(
            gm.Afspraak,
            [
                "id",
                "verslag_id",
                "omschrijving",
                "owner_id",
                "due_date",
                "done_at",
                "done_by_id",
                "order",
            ],
            afspraken,
        )
        load.insert(gm.Signaal, ["id", "verslag_id", "soort", "tekst", "order"], signalen)
        load.insert(gm.Signaal.tags.through, ["signaal_id", "signaaltag_id"], signaal_tags)
        load.insert(gm.Addendum, ["verslag_id", "tekst", "auteur_id", "created_at"], addenda)

    # --- reminder history ------------------------------------------------------------------------

    def _reminders(self) -> None:
        """What the daily sweep (gesprekken.tasks.herinneringen_sweep) sent in the past four
        months up to yesterday, each reminder dated the morning the sweep would have sent it,
        with its notification. Today's sweep then finds today's work only, as on any day; the
        benchmark takes away the last week to see the catch-up after a week without the beat.
        """
        rng, today, now = self.rng, self.today, self.now
        first, yesterday = today - DAY * 120, today - DAY
        H = gm.Herinnering.Soort
        herinneringen, notificaties = [], []
        for gesprek, p, starts, _soort in [*self._held, *self._upcoming]:
            day = timezone.localdate(starts)
            for soort, lead, nearest in ((H.VOORBEREIDING_14, 14, 4), (H.VOORBEREIDING_3, 3, 0)):
                sweep = max(first, day - DAY * lead)
                if sweep > min(yesterday, day - DAY * nearest):
                    continue
                for rol, user in self._participants(p):
                    if (gesprek, rol) not in self._ready or rng.random() < 0.3:
                        herinneringen.append((soort, user, gesprek, None, at(sweep, 7)))
            sweep = day + DAY
            if starts >= now or not first <= sweep <= yesterday:
                continue
            state = self._verslag_state.get(gesprek)
            if state is None:
                writer = p.slb or p.coach
                recipients = [writer] if writer else []
            elif not state[1]:
                recipients = [u for rol, u in self._participants(p) if rol not in state[2]]
            else:
                recipients = []
            for user in recipients:
                herinneringen.append((H.VERSLAG, user, gesprek, None, at(sweep, 7)))
        for afspraak, owner, due, done, _status in self._afspraken:
            sweep = due + DAY
            if first <= sweep <= yesterday and (done is None or done.date() > sweep):
                herinneringen.append((H.AFSPRAAK, owner, None, afspraak, at(sweep, 7)))
        text = {
            H.VOORBEREIDING_14: "Bereid het gesprek over twee weken voor.",
            H.VOORBEREIDING_3: "Bereid het gesprek over drie dagen voor.",
            H.VERSLAG: "Het verslag van het gesprek is nog niet ondertekend.",
            H.AFSPRAAK: "Een afspraak is over de datum.",
        }
        for soort, user, gesprek, _afspraak, sent in herinneringen:
            url = f"/gesprekken/{gesprek}/" if gesprek else "/gesprekken/"
            read = (
                sent + DAY * rng.randint(0, 5)
                if sent < now - DAY * 30 or rng.random() < 0.6
                else None
            )
            notificaties.append(
                (user, f"herinnering_{soort.split('_')[0]}", text[soort], url, sent, read)
            )
        self.load.insert(
            gm.Herinnering,
            ["soort", "recipient_id", "gesprek_id", "afspraak_id", "sent_at"],
            herinneringen,
        )
        self.load.insert(
            Notificatie, ["user_id", "kind", "text", "url", "created_at", "read_at"], notificaties
        )

"""A national-size installation: every pabo and school board of the country, three years of
side-entrants with their plans, logs, conversations, dossiers and Proeven.

Everything is decided in Python first (ids are reserved up front, so rows can point at each
other) and then written table by table with Loader (COPY on PostgreSQL). Dates are relative
to today: trajecten started over the past three years (and a cohort about to start), so some
are finished, many are running, some near their end date, a few stopped.

World builds the organisations and people itself; the route (intake, plan, log), the
conversation cycle and the dossier with its Proeven are steps in route.py, cycle.py and
dossier.py.
"""

from __future__ import annotations

import datetime
import itertools
import math
import random
import time
from collections import defaultdict
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from gesprekken import models as gm
from gesprekken.planning import add_months
from gesprekken.services import DEFAULT_TAGS
from portal.models import Partnerschap, School, Schoolbestuur, User
from trajecten import models as tm

from . import texts
from .base import (
    DAY,
    EMAIL_DOMAIN,
    PASSWORD,
    Counts,
    Plan,
    at,
    base36,
    split,
    split_capped,
)
from .cycle import CycleSteps
from .dossier import DossierSteps
from .loader import Loader
from .route import RouteSteps

__all__ = ["World"]


class World(RouteSteps, CycleSteps, DossierSteps):
    """Builds the data set. `say` receives one line of progress at a time."""

    def __init__(self, counts: Counts, *, seed: int = 2026, say: Callable[[str], None] = print):
        self.counts = counts
        self.rng = random.Random(seed)  # noqa: S311 - test data, not secrets
        self.say = say
        self.load = Loader()
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.password = make_password(PASSWORD)
        self.plans: list[Plan] = []

    # --- running ---------------------------------------------------------------------------------

    def build(self) -> dict[str, int]:
        """Make everything in one transaction, then refresh the planner statistics."""
        started = time.monotonic()
        with transaction.atomic():
            for name, step in (
                ("organisations", self._organisations),
                ("people and trajecten", self._people_and_trajecten),
                ("intake and scholingsplannen", self._plans),
                ("logboeken", self._logboek),
                ("conversations and reports", self._gesprekken),
                ("dossiers and evidence", self._dossiers),
                ("Proeven and oordelen", self._proeven),
                ("reminders and notifications", self._reminders),
            ):
                t0 = time.monotonic()
                before = sum(self.load.rows.values())
                step()
                made = sum(self.load.rows.values()) - before
                self.say(f"  {name:<28} {made:>10,} rows  {time.monotonic() - t0:6.1f} s")
            # Bulk inserts send no model signals: store the overview figures of every
            # traject (what portal.overview.cache does on each write) in one UPDATE.
            t0 = time.monotonic()
            from portal.overview.figures import refresh_traject_figures

            refresh_traject_figures()
            self.say(f"  {'overview figures':<28} {'':>16}  {time.monotonic() - t0:6.1f} s")
        t0 = time.monotonic()
        self.load.analyze()
        self.say(f"  {'statistics (ANALYZE)':<28} {'':>16}  {time.monotonic() - t0:6.1f} s")
        self.say(
            f"  {'total':<28} {sum(self.load.rows.values()):>10,} rows  "
            f"{time.monotonic() - started:6.1f} s"
        )
        return dict(self.load.rows)

    # --- helpers ---------------------------------------------------------------------------------

    def _ids(self, model, n: int) -> range:
        first = self.load.reserve(model, n)
        return range(first, first + n)

    def _name(self) -> tuple[str, str]:
        return self.rng.choice(texts.FIRST_NAMES), self.rng.choice(texts.LAST_NAMES)

    def _person(self, kind: str, joined: datetime.date, ps: int | None = None) -> int:
        pk = next(self._user_ids)
        first, last = self._name()
        language = "en" if self.rng.random() < 0.03 else "nl"
        self._users.append(
            (
                pk,
                f"{kind}{pk}@{EMAIL_DOMAIN}",
                first,
                last,
                self.password,
                True,
                False,
                False,
                at(joined, 9),
                language,
            )
        )
        if ps is not None:
            self._leden[ps].add(pk)
        return pk

    def _between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        days = (last - first).days
        return first + DAY * self.rng.randint(0, max(0, days))

    # --- organisations ---------------------------------------------------------------------------

    def _organisations(self) -> None:
        c, rng = self.counts, self.rng
        others = split_capped(
            c.trajecten - c.largest,
            [rng.uniform(0.5, 1.5) for _ in range(c.partnerschappen - 1)],
            cap=c.largest - 1,
        )
        self.ps_trajecten = [c.largest, *others]
        boards = split(c.besturen, self.ps_trajecten, minimum=1)
        schools = split(c.scholen, self.ps_trajecten, minimum=boards)
        taken = set(Partnerschap.objects.values_list("name", flat=True))
        self.ps_ids = list(self._ids(Partnerschap, c.partnerschappen))
        rows = []
        for i, pk in enumerate(self.ps_ids):
            region, city = texts.REGIONS[i % len(texts.REGIONS)]
            name = f"Partnerschap Opleiden {region}"
            if i >= len(texts.REGIONS):
                name += f" {i // len(texts.REGIONS) + 1}"
            if name in taken:
                name += f" ({pk})"
            rows.append((pk, name, f"Pabo {city}"))
        self.load.insert(Partnerschap, ["id", "name", "pabo"], rows)

        board_ids = iter(self._ids(Schoolbestuur, c.besturen))
        school_ids = iter(self._ids(School, c.scholen))
        self.ps_boards: list[list[int]] = []
        self.ps_schools: list[list[int]] = []
        self.school_ps: dict[int, int] = {}
        self.school_name: dict[int, str] = {}
        board_rows, school_rows = [], []
        for i, ps_pk in enumerate(self.ps_ids):
            region = texts.REGIONS[i % len(texts.REGIONS)][0]
            mine = [next(board_ids) for _ in range(boards[i])]
            self.ps_boards.append(mine)
            per_board = split(schools[i], [rng.paretovariate(1.5) for _ in mine], minimum=1)
            self.ps_schools.append([])
            for board, n in zip(mine, per_board, strict=True):
                kind = rng.choice(texts.BOARD_KINDS)
                board_rows.append((board, ps_pk, f"{kind} {region} {board}", f"9{board:07d}"))
                for _ in range(n):
                    school = next(school_ids)
                    name = f"{rng.choice(texts.SCHOOL_PREFIXES)} {rng.choice(texts.SCHOOL_NAMES)}"
                    school_rows.append(
                        (
                            school,
                            board,
                            name,
                            "Z" + base36(school).rjust(6, "0") + "0",
                            rng.choice(texts.PLACES),
                            rng.random() < 0.4,
                        )
                    )
                    self.ps_schools[i].append(school)
                    self.school_ps[school] = i
                    self.school_name[school] = name
        self.load.insert(
            Schoolbestuur, ["id", "partnerschap_id", "name", "bevoegd_gezag_nummer"], board_rows
        )
        self.load.insert(
            School, ["id", "bestuur_id", "name", "brin", "plaats", "is_partnerschool"], school_rows
        )
        tag_names = [*DEFAULT_TAGS, *texts.EXTRA_TAGS]
        tag_ids = iter(self._ids(gm.SignaalTag, len(self.ps_ids) * len(tag_names)))
        self.ps_tags: list[list[int]] = []
        tag_rows = []
        for ps_pk in self.ps_ids:
            mine = []
            for name in tag_names:
                pk = next(tag_ids)
                mine.append(pk)
                tag_rows.append((pk, ps_pk, name, True, at(self.today - DAY * 1100, 9)))
            self.ps_tags.append(mine)
        self.load.insert(
            gm.SignaalTag, ["id", "partnerschap_id", "name", "is_active", "created_at"], tag_rows
        )

    # --- people and trajecten --------------------------------------------------------------------

    def _start_date(self) -> datetime.date:
        """First day of a month in the past three years (or the next two months); most start
        in August/September or January/February, a few more each year."""
        if not hasattr(self, "_months"):
            first = self.today.replace(day=1)
            self._months = [add_months(first, m) for m in range(-36, 3)]
            self._month_cum = list(
                itertools.accumulate(
                    (4.0 if d.month in (8, 9, 1, 2) else 1.0) * (1.0 + 0.01 * n)
                    for n, d in enumerate(self._months)
                )
            )
        return self.rng.choices(self._months, cum_weights=self._month_cum)[0]

    def _traject_state(self, start: datetime.date, end: datetime.date) -> dict:
        rng, today = self.rng, self.today
        S = tm.Traject.Status
        state = {"status": S.ACTIEF, "stopped": None, "onderzoek": "positief", "plan": ""}
        if start > today or ((today - start).days < 45 and rng.random() < 0.5):
            state.update(status=S.INTAKE, onderzoek="positief" if rng.random() < 0.4 else "")
        elif end < today:
            r = rng.random()
            state["status"] = S.AFGEROND if r < 0.85 else S.GESTOPT if r < 0.97 else S.ACTIEF
        elif rng.random() < 0.06:
            state["status"] = S.GESTOPT
        if state["status"] == S.GESTOPT:
            last = min(today, end) - DAY
            state["stopped"] = self._between(start + DAY * 20, max(start + DAY * 20, last))
            if (state["stopped"] - start).days < 60 and rng.random() < 0.5:
                state["onderzoek"] = "negatief"
        if state["onderzoek"] == "positief":
            if state["status"] == S.INTAKE:
                state["plan"] = rng.choice(["", "concept"])
            elif (min(today, state["stopped"] or today) - start).days < 60:
                state["plan"] = rng.choice(["concept", "ter_instemming"])
            else:
                state["plan"] = "vastgesteld"
        return state

    def _people_and_trajecten(self) -> None:
        c, rng, today = self.counts, self.rng, self.today
        P = len(self.ps_ids)
        upper = c.trajecten * 4 + c.scholen * 2 + P * 80 + 10
        self._user_ids = iter(self._ids(User, upper))
        self._users: list[tuple] = []
        self._leden: dict[int, set[int]] = defaultdict(set)
        long_ago = today - DAY * 1200
        self.ps_coordinators: list[list[int]] = []
        self.ps_assessors: list[list[int]] = []
        self.ps_docenten: list[list[int]] = []
        self.ps_slbs: list[list[int]] = []
        for i in range(P):
            n = self.ps_trajecten[i]
            self.ps_coordinators.append(
                [self._person("coordinator", long_ago, i) for _ in range(3 if i == 0 else 2)]
            )
            self.ps_assessors.append(
                [self._person("assessor", long_ago, i) for _ in range(max(4, n // 100))]
            )
            self.ps_docenten.append(
                [self._person("docent", long_ago, i) for _ in range(max(3, n // 250))]
            )
            self.ps_slbs.append(
                [self._person("slb", long_ago, i) for _ in range(max(2, math.ceil(n / 35)))]
            )
        self.school_leaders: dict[int, list[int]] = {}
        for i in range(P):
            for school in self.ps_schools[i]:
                self.school_leaders[school] = [
                    self._person("schoolleider", long_ago, i)
                    for _ in range(2 if rng.random() < 0.1 else 1)
                ]

        coaches: dict[int, list[int]] = defaultdict(list)
        duos: dict[int, list[int]] = defaultdict(list)
        traject_ids = iter(self._ids(tm.Traject, c.trajecten))
        S = tm.Traject.Status
        for i in range(P):
            schools = self.ps_schools[i]
            cum = list(itertools.accumulate(rng.paretovariate(1.2) for _ in schools))
            for _ in range(self.ps_trajecten[i]):
                school = rng.choices(schools, cum_weights=cum)[0]
                start = self._start_date()
                end = tm.default_end_date(start)
                state = self._traject_state(start, end)
                joined = start - DAY * 60
                intake = state["status"] == S.INTAKE

                def pick(pool, kind, reuse, joined=joined, i=i):
                    if pool and rng.random() < reuse:
                        return rng.choice(pool)
                    pk = self._person(kind, joined, i)
                    pool.append(pk)
                    return pk

                coach = (
                    pick(coaches[school], "coach", 0.45)
                    if not intake or rng.random() < 0.6
                    else None
                )
                slb = rng.choice(self.ps_slbs[i]) if not intake or rng.random() < 0.7 else None
                duo = pick(duos[school], "duo", 0.3) if rng.random() < 0.55 else None
                self.plans.append(
                    Plan(
                        id=next(traject_ids),
                        ps=i,
                        school=school,
                        zi=self._person("zijinstromer", joined, i),
                        coach=coach,
                        slb=slb,
                        duo=duo,
                        route="versneld" if rng.random() < 0.25 else "zib",
                        start=start,
                        end=end,
                        mood=rng.choices([0, 1, 2], [70, 22, 8])[0],
                        **state,
                    )
                )
        self._choose_pdf_traject()
        self._role_history()
        self._write_people()

    def _choose_pdf_traject(self) -> None:
        """One finished traject of the largest partnership gets a dossier of PDF_ITEMS pieces
        of evidence (the benchmark renders its Proeve PDF)."""
        finished = [
            p
            for p in self.plans
            if p.ps == 0
            and p.status == tm.Traject.Status.AFGEROND
            and p.started
            and p.coach
            and p.slb
        ]
        if finished:
            self.rng.choice(finished).pdf = True

    def _role_history(self) -> None:
        """Who held the coach, SLB and duo role since the start; some coaches and SLBs
        changed (the earlier coach is a person of their own)."""
        rng = self.rng
        self._rol_rows = []
        for p in self.plans:
            van = at(p.start, 9)
            for rol, holder, change in (
                ("coach", p.coach, 0.15),
                ("slb", p.slb, 0.1),
                ("duo", p.duo, 0.0),
            ):
                if holder is None:
                    continue
                last = p.last_day(self.today)
                if p.started and rng.random() < change and (last - p.start).days > 90:
                    when = at(self._between(p.start + DAY * 60, last), 9)
                    earlier = (
                        self._person("coach", p.start - DAY * 60, p.ps)
                        if rol == "coach"
                        else rng.choice([u for u in self.ps_slbs[p.ps] if u != holder] or [holder])
                    )
                    self._rol_rows.append((p.id, rol, earlier, van, when, None))
                    self._rol_rows.append(
                        (p.id, rol, holder, when, None, self.ps_coordinators[p.ps][0])
                    )
                else:
                    self._rol_rows.append((p.id, rol, holder, van, None, None))

    def _write_people(self) -> None:
        load = self.load
        load.insert(
            User,
            [
                "id",
                "email",
                "first_name",
                "last_name",
                "password",
                "is_active",
                "is_staff",
                "is_superuser",
                "date_joined",
                "language",
            ],
            self._users,
        )
        for rel, pools in (
            (Partnerschap.coordinatoren, self.ps_coordinators),
            (Partnerschap.assessoren, self.ps_assessors),
            (Partnerschap.docenten, self.ps_docenten),
        ):
            load.insert(
                rel.through,
                ["partnerschap_id", "user_id"],
                [(self.ps_ids[i], u) for i, pool in enumerate(pools) for u in pool],
            )
        load.insert(
            Partnerschap.leden.through,
            ["partnerschap_id", "user_id"],
            [(self.ps_ids[i], u) for i, members in self._leden.items() for u in sorted(members)],
        )
        load.insert(
            School.leiders.through,
            ["school_id", "user_id"],
            [(s, u) for s, leaders in self.school_leaders.items() for u in leaders],
        )
        self._authenticators()
        load.insert(
            tm.Traject,
            [
                "id",
                "zij_instromer_id",
                "school_id",
                "route",
                "start_date",
                "end_date",
                "status",
                "coach_id",
                "slb_id",
                "duo_id",
                "created_at",
            ],
            [
                (
                    p.id,
                    p.zi,
                    p.school,
                    p.route,
                    p.start,
                    p.end,
                    p.status,
                    p.coach,
                    p.slb,
                    p.duo,
                    at(p.start - DAY * 45, 10),
                )
                for p in self.plans
            ],
        )
        load.insert(
            tm.Roltoewijzing,
            ["traject_id", "rol", "user_id", "van", "tot", "door_id"],
            self._rol_rows,
        )

    def _authenticators(self) -> None:
        """Coordinators and assessors have set up TOTP, as LEV_REQUIRE_MFA demands."""
        from allauth.mfa.adapter import get_adapter
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import generate_totp_secret

        adapter = get_adapter()
        people = sorted({u for pool in (*self.ps_coordinators, *self.ps_assessors) for u in pool})
        self.load.insert(
            Authenticator,
            ["user_id", "type", "data", "created_at"],
            [
                (
                    u,
                    Authenticator.Type.TOTP,
                    {"secret": adapter.encrypt(generate_totp_secret())},
                    self.now - DAY * 400,
                )
                for u in people
            ],
        )

"""A national-size installation: every pabo and school board of the country, three years of
side-entrants with their plans, logs, conversations, dossiers and Proeven.

Everything is decided in Python first (ids are reserved up front, so rows can point at each
other) and then written table by table with Loader (COPY on PostgreSQL). Dates are relative
to today: trajecten started over the past three years (and a cohort about to start), so some
are finished, many are running, some near their end date, a few stopped.

The Proeve snapshots are built by bekwaamheid.snapshot.build from the rows just written, so
that the assessors' pages and the PDF see exactly what the app itself would have frozen.
"""

from __future__ import annotations

import datetime
import itertools
import math
import random
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from bekwaamheid import models as bm
from bekwaamheid import snapshot as snapshots
from gesprekken import models as gm
from gesprekken.planning import add_months, at_default_time, cycle_dates
from gesprekken.services import DEFAULT_TAGS
from portal.models import Notificatie, Partnerschap, School, Schoolbestuur, User
from trajecten import models as tm

from . import texts
from .loader import Loader

PASSWORD = "lev-schaal-2026"
EMAIL_DOMAIN = "schaal.lev.test"
DAY = datetime.timedelta(days=1)

# Per traject, at scale 1: 8 conversations, 20 log entries, 10 pieces of evidence.
GESPREKKEN_PER_TRAJECT = 8
LOGBOEK_PER_TRAJECT = 20
BEWIJS_PER_TRAJECT = 10
LARGEST_SHARE = 0.2
PDF_ITEMS = 60  # the dossier whose PDF the benchmark renders
MAX_BEWIJS_PER_WORK = 5  # so that no other dossier comes near PDF_ITEMS (10 works at most)


@dataclass(frozen=True)
class Counts:
    """How many of the main things to make. At scale 1: the whole country."""

    partnerschappen: int
    besturen: int
    scholen: int
    trajecten: int
    largest: int
    gesprekken: int
    logboekregels: int
    bewijsstukken: int

    @classmethod
    def at(cls, scale: float) -> Counts:
        """The counts at `scale` (1 = national). Small scales keep at least six partnerships,
        so that the largest (a fifth of the trajecten) stays the largest."""
        partnerschappen = max(6, round(24 * scale))
        besturen = max(partnerschappen, round(1000 * scale))
        scholen = max(besturen * 2, round(7000 * scale))
        trajecten = max(50, round(10_000 * scale))
        return cls(
            partnerschappen=partnerschappen,
            besturen=besturen,
            scholen=scholen,
            trajecten=trajecten,
            largest=round(trajecten * LARGEST_SHARE),
            gesprekken=trajecten * GESPREKKEN_PER_TRAJECT,
            logboekregels=trajecten * LOGBOEK_PER_TRAJECT,
            bewijsstukken=trajecten * BEWIJS_PER_TRAJECT,
        )


def database_has_data() -> bool:
    """True when the database holds more than what migrations seed."""
    return User.objects.exists() or Partnerschap.objects.exists() or tm.Traject.objects.exists()


def split(total: int, weights: list[float], minimum: int | list[int] = 0) -> list[int]:
    """`total` divided over `weights` (largest remainder), each at least `minimum`."""
    mins = minimum if isinstance(minimum, list) else [minimum] * len(weights)
    rest = total - sum(mins)
    if rest < 0:
        raise ValueError("minimum exceeds total")
    weight_sum = sum(weights) or 1
    exact = [rest * w / weight_sum for w in weights]
    out = [m + math.floor(e) for m, e in zip(mins, exact, strict=True)]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - math.floor(exact[i]), reverse=True)
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def split_capped(total: int, weights: list[float], cap: int) -> list[int]:
    """Like split, but no share above `cap` (the excess goes to the others)."""
    out = [0] * len(weights)
    free = list(range(len(weights)))
    while total > 0 and free:
        shares = split(total, [weights[i] for i in free])
        total = 0
        still = []
        for i, share in zip(free, shares, strict=True):
            out[i] += share
            if out[i] >= cap:
                total += out[i] - cap
                out[i] = cap
            else:
                still.append(i)
        free = still
    return out


def at(day: datetime.date, hour: int = 16, minute: int = 0) -> datetime.datetime:
    """`day` at `hour`:`minute`, Dutch time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def weekday(day: datetime.date) -> datetime.date:
    """The Monday after a weekend day; other days unchanged."""
    return day + DAY * ((7 - day.weekday()) % 7) if day.weekday() >= 5 else day


@dataclass
class Plan:
    """One traject as decided before writing."""

    id: int
    ps: int  # index of the partnership
    school: int
    zi: int
    coach: int | None
    slb: int | None
    duo: int | None
    route: str
    start: datetime.date
    end: datetime.date
    status: str
    stopped: datetime.date | None = None
    onderzoek: str = ""  # "", "positief", "negatief"
    plan: str = ""  # "", "concept", "ter_instemming", "vastgesteld"
    mood: int = 0  # 0 on course, 1 wobbly, 2 struggling
    punten: list = field(default_factory=list)  # (ontwikkelpunt id, gebied code)
    works: list = field(default_factory=list)  # Work
    pdf: bool = False

    @property
    def started(self) -> bool:
        """The route began: the cycle, log and dossier exist."""
        return self.status != tm.Traject.Status.INTAKE and self.onderzoek == "positief"

    def last_day(self, today: datetime.date) -> datetime.date:
        """The last day something can have happened on this traject."""
        last = min(today, self.end)
        return min(last, self.stopped) if self.stopped else last


@dataclass
class Work:
    """One Onderzoeksopdracht as decided before writing."""

    id: int
    opdracht: int
    created: datetime.datetime
    status: str
    afgerond_at: datetime.datetime | None
    in_dossier: bool
    criteria: list = field(default_factory=list)
    n_bewijs: int = 0


class World:
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
                ("organisaties", self._organisations),
                ("mensen en trajecten", self._people_and_trajecten),
                ("intake en scholingsplannen", self._plans),
                ("logboeken", self._logboek),
                ("gesprekken en verslagen", self._gesprekken),
                ("dossiers en bewijsstukken", self._dossiers),
                ("Proeven en oordelen", self._proeven),
                ("herinneringen en meldingen", self._reminders),
            ):
                t0 = time.monotonic()
                before = sum(self.load.rows.values())
                step()
                made = sum(self.load.rows.values()) - before
                self.say(f"  {name:<28} {made:>10,} rijen  {time.monotonic() - t0:6.1f} s")
        t0 = time.monotonic()
        self.load.analyze()
        self.say(f"  {'statistieken (ANALYZE)':<28} {'':>16}  {time.monotonic() - t0:6.1f} s")
        self.say(
            f"  {'totaal':<28} {sum(self.load.rows.values()):>10,} rijen  "
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
                            "Z" + _base36(school).rjust(6, "0") + "0",
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
        from allauth.mfa.adapter import get_adapter  # noqa: PLC0415
        from allauth.mfa.models import Authenticator  # noqa: PLC0415
        from allauth.mfa.totp.internal.auth import generate_totp_secret  # noqa: PLC0415

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

    # --- reminder history ------------------------------------------------------------------------

    def _reminders(self) -> None:
        """Reminders the daily sweep sent in the past months, with their notifications. None
        in the sweep's own windows (from a week back to two weeks ahead): the first sweep
        after seeding does a full day's work over all trajecten, as on the day a national
        installation goes live with its history imported."""
        rng, today, now = self.rng, self.today, self.now
        first, last = today - DAY * 120, today - DAY * 9
        H = gm.Herinnering.Soort
        herinneringen, notificaties = [], []
        for gesprek, p, starts, _soort in self._held:
            day = timezone.localdate(starts)
            if not first <= day <= last or p.status == tm.Traject.Status.INTAKE:
                continue
            for rol, user in self._participants(p):
                if (gesprek, rol) not in self._ready or rng.random() < 0.3:
                    herinneringen.append(
                        (H.VOORBEREIDING_14, user, gesprek, None, at(day - DAY * 14, 6))
                    )
                if (gesprek, rol) not in self._ready:
                    herinneringen.append(
                        (H.VOORBEREIDING_3, user, gesprek, None, at(day - DAY * 3, 6))
                    )
            state = self._verslag_state.get(gesprek)
            if state is None:
                writer = p.slb or p.coach
                if writer:
                    herinneringen.append((H.VERSLAG, writer, gesprek, None, at(day + DAY, 6)))
            elif not state[1]:
                for rol, user in self._participants(p):
                    if rol not in state[2]:
                        herinneringen.append((H.VERSLAG, user, gesprek, None, at(day + DAY, 6)))
        for afspraak, owner, due, done, _status in self._afspraken:
            if first <= due <= last and (done is None or done.date() > due):
                herinneringen.append((H.AFSPRAAK, owner, None, afspraak, at(due + DAY, 6)))
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


def _base36(n: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out

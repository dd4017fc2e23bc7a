"""Shared pieces of the national-size world (seed_scale): the counts, the plan of one traject
and of one piece of work, and small helpers for dates and shares."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

from django.utils import timezone

from portal.models import Partnerschap, User
from trajecten import models as tm

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


def base36(n: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out

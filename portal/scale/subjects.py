"""Who and what the benchmark (bench/run.py) and the seed test look at: people in every role
in the largest partnership, with the traject, conversation or Proeve their pages show, and
the list of main pages per role. Read-only; works on any database seed_scale filled."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse

from bekwaamheid.models import Proeve
from gesprekken.models import Gesprek
from portal.models import Partnerschap, School, User
from trajecten.models import Traject

from .base import PDF_ITEMS


@dataclass(frozen=True)
class Subject:
    """A person and the objects one of their pages is about."""

    user: User
    traject: Traject | None = None
    gesprek: Gesprek | None = None
    proeve: Proeve | None = None


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    role: str
    url: Callable[[Subject], str]


PAGES = [
    Page(
        "zi_traject",
        "Side-entrant: traject page",
        "zij_instromer",
        lambda s: reverse("trajecten:detail", args=[s.traject.pk]),
    ),
    Page(
        "zi_logboek",
        "Side-entrant: logboek",
        "zij_instromer",
        lambda s: reverse("trajecten:logboek", args=[s.traject.pk]),
    ),
    Page(
        "zi_gesprek",
        "Side-entrant: conversation (signed report)",
        "zij_instromer",
        lambda s: reverse("gesprekken:detail", args=[s.gesprek.pk]),
    ),
    Page(
        "zi_dossier",
        "Side-entrant: dossier",
        "zij_instromer",
        lambda s: reverse("bekwaamheid:dossier", args=[s.traject.pk]),
    ),
    Page("coach_home", "Coach: start page", "coach", lambda s: reverse("portal:home")),
    Page(
        "coach_trajecten",
        "Coach: my side-entrants",
        "coach",
        lambda s: reverse("trajecten:mine"),
    ),
    Page(
        "coach_gesprekken", "Coach: my conversations", "coach", lambda s: reverse("gesprekken:mine")
    ),
    Page("slb_home", "SLB: start page", "slb", lambda s: reverse("portal:home")),
    Page("slb_trajecten", "SLB: my side-entrants", "slb", lambda s: reverse("trajecten:mine")),
    Page("slb_gesprekken", "SLB: my conversations", "slb", lambda s: reverse("gesprekken:mine")),
    Page(
        "sl_overzicht",
        "School leader: overview",
        "schoolleider",
        lambda s: reverse("portal:school_overzicht"),
    ),
    Page(
        "co_overzicht",
        "Coordinator: overview of the largest partnership",
        "coordinator",
        lambda s: reverse("portal:overzicht"),
    ),
    Page(
        "co_signalen",
        "Coordinator: signals",
        "coordinator",
        lambda s: reverse("portal:overzicht_signalen"),
    ),
    Page(
        "co_trajecten",
        "Coordinator: trajecten list",
        "coordinator",
        lambda s: reverse("trajecten:list"),
    ),
    Page(
        "as_proeven", "Assessor: Proeven list", "assessor", lambda s: reverse("bekwaamheid:proeven")
    ),
    Page(
        "as_proeve",
        "Assessor: Proeve (finished, signed oordeel)",
        "assessor",
        lambda s: reverse("bekwaamheid:proeve", args=[s.proeve.pk]),
    ),
]
FLOOR = Page(
    "floor",
    "Floor: /health/ (same middleware, same sessions)",
    "floor",
    lambda s: reverse("portal:health"),
)


def largest_partnerschap() -> Partnerschap:
    return (
        Partnerschap.objects.annotate(n=Count("besturen__scholen__trajecten"))
        .order_by("-n", "pk")
        .first()
    )


def _spread(items: list, n: int) -> list:
    """`n` items spread evenly over `items` (all of them when there are fewer)."""
    if len(items) <= n:
        return items
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def sample(n: int = 10, partnerschap: Partnerschap | None = None) -> dict[str, list[Subject]]:
    """Up to `n` subjects per role in `partnerschap` (default: the largest), chosen evenly
    over the range from the busiest to the quietest, so that the benchmark sees both."""
    ps = partnerschap or largest_partnerschap()
    trajecten = Traject.objects.filter(school__bestuur__partnerschap=ps)
    running = trajecten.filter(status=Traject.Status.ACTIEF)
    signed = Gesprek.objects.filter(traject=OuterRef("pk"), verslag__locked_at__isnull=False)
    zi = list(
        running.filter(Exists(signed), dossier__isnull=False)
        .annotate(n_log=Count("logboekregels", distinct=True))
        .select_related("zij_instromer")
        .order_by("-n_log", "pk")
    )
    out: dict[str, list[Subject]] = {"zij_instromer": []}
    for traject in _spread(zi, n):
        gesprek = (
            Gesprek.objects.filter(traject=traject, verslag__locked_at__isnull=False)
            .order_by("-starts_at", "-pk")
            .first()
        )
        out["zij_instromer"].append(
            Subject(traject.zij_instromer, traject=traject, gesprek=gesprek)
        )
    for rol in ("coach", "slb"):
        ids = list(
            running.exclude(**{f"{rol}__isnull": True})
            .values_list(rol, flat=True)
            .annotate(n=Count("pk"))
            .order_by("-n", rol)
        )
        users = User.objects.in_bulk(_spread(ids, n))
        out[rol] = [Subject(users[pk]) for pk in _spread(ids, n)]
    schools = list(
        School.objects.filter(bestuur__partnerschap=ps, leiders__isnull=False)
        .annotate(n=Count("trajecten", distinct=True))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)
    )
    leaders = {
        s.pk: s.leiders.order_by("pk").first()
        for s in School.objects.filter(pk__in=_spread(schools, n))
    }
    out["schoolleider"] = [Subject(leaders[pk]) for pk in _spread(schools, n)]
    out["coordinator"] = [Subject(u) for u in ps.coordinatoren.order_by("pk")[:n]]
    judged = (
        Proeve.objects.filter(dossier__traject__in=trajecten, oordeel__locked_at__isnull=False)
        .select_related("veldassessor", "opleidingsassessor")
        .order_by("-afgerond_at", "pk")
    )
    out["assessor"] = []
    seen: set[int] = set()
    for proeve in judged:
        for assessor in (proeve.veldassessor, proeve.opleidingsassessor):
            if assessor.pk not in seen and len(out["assessor"]) < n:
                seen.add(assessor.pk)
                out["assessor"].append(Subject(assessor, proeve=proeve))
    return out


def pdf_proeve() -> Proeve | None:
    """The Proeve whose frozen dossier holds PDF_ITEMS pieces of evidence (seed_scale makes
    one, in the largest partnership, with a signed oordeel)."""
    return (
        Proeve.objects.annotate(n=Count("bewijsstukken"))
        .filter(n=PDF_ITEMS, oordeel__locked_at__isnull=False)
        .order_by("pk")
        .first()
    )

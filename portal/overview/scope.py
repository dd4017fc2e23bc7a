"""Who sees which overview: the trajecten and schools behind a coordinator's or a school
leader's overview. Everything else in the overview narrows these querysets, never widens them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import QuerySet
from django.http import Http404

from trajecten.access import trajecten_for, trajecten_of_partnerschap
from trajecten.models import Rol, Traject

from ..models import Partnerschap, School, Schoolbestuur, User
from ..selectors import get_coordinated_partnerschap

COORDINATOR = "coordinator"
SCHOOLLEIDER = "schoolleider"


@dataclass(frozen=True, slots=True)
class BestuurRef:
    """A board as the overviews show it: its id and name (no model instance per row)."""

    pk: int
    name: str


@dataclass(frozen=True, slots=True)
class SchoolRef:
    """A school as the overviews show it and filter on it, with its board."""

    pk: int
    name: str
    bestuur_id: int
    bestuur: BestuurRef = field(compare=False)


@dataclass
class Scope:
    """What one overview may show: the trajecten (through the access layer) and the schools
    they may be filtered on. `partnerschap` is set for a coordinator's overview."""

    kind: str
    user: User
    trajecten: QuerySet[Traject]
    schools: QuerySet[School]
    partnerschap: Partnerschap | None = None

    @cached_property
    def school_refs(self) -> list[SchoolRef]:
        """The schools of the scope with their boards, by name, in one query of plain
        values (a partnership has a thousand schools; model instances of each and of its
        board cost more than the figures)."""
        boards: dict[int, BestuurRef] = {}
        refs = []
        rows = self.schools.order_by("name", "pk").values_list(
            "pk", "name", "bestuur_id", "bestuur__name"
        )
        for pk, name, bestuur_id, bestuur_name in rows:
            board = boards.setdefault(bestuur_id, BestuurRef(bestuur_id, bestuur_name))
            refs.append(SchoolRef(pk, name, bestuur_id, board))
        return refs

    @property
    def besturen(self) -> QuerySet[Schoolbestuur]:
        return Schoolbestuur.objects.filter(
            pk__in=self.schools.order_by().values("bestuur_id")
        ).order_by("name")

    @property
    def partnerschap_ids(self) -> QuerySet:
        return self.schools.order_by().values("bestuur__partnerschap_id")


def coordinator_scope(user: User, partnerschap_pk: str | None = None) -> Scope:
    """The partnership `user` coordinates (the given one, or their first) with all its
    trajecten; Http404 for anyone who coordinates no (such) partnership."""
    # An empty choice in a submitted filter form means the first; anything not an id of
    # theirs is a 404 (get_coordinated_partnerschap).
    ps = get_coordinated_partnerschap(user, partnerschap_pk)
    return Scope(
        kind=COORDINATOR,
        user=user,
        trajecten=trajecten_of_partnerschap(user, ps),
        schools=School.objects.filter(bestuur__partnerschap=ps).select_related("bestuur"),
        partnerschap=ps,
    )


def schoolleider_scope(user: User) -> Scope:
    """The schools `user` leads and their trajecten; Http404 for anyone who leads none.
    A school leader never sees another school's side-entrants: the trajecten come from the
    access layer in the school-leader role only."""
    schools = School.objects.filter(leiders=user).select_related("bestuur")
    if not user.is_authenticated or not schools.exists():
        raise Http404
    return Scope(
        kind=SCHOOLLEIDER,
        user=user,
        trajecten=trajecten_for(user, [Rol.SCHOOLLEIDER]),
        schools=schools,
    )

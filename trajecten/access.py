"""The access layer: which trajecten a user sees, and in which role.

Every view in every app reaches trajecten (and what hangs beneath them) through these
helpers. An object outside a user's reach answers 404, exactly as a missing one; a write the
role may not do answers 403 (`require_role`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from portal import counters
from portal.models import Partnerschap, School, User

from .models import Instemming, Rol, Traject

# Roles that work with the side-entrant personally (coaching material, the conversation).
BEGELEIDERS = frozenset({Rol.COACH, Rol.SLB})
# Everyone around the side-entrant personally (not the school leader or coordinator).
BETROKKENEN = frozenset({Rol.ZIJ_INSTROMER, Rol.COACH, Rol.SLB, Rol.DUO})
# Roles that act for the college.
OPLEIDING = frozenset({Rol.SLB, Rol.COORDINATOR})
ALLE_ROLLEN = frozenset(Rol)

# Who may see and do what on a traject's intake, plan and log. Views check these with
# require_role (403 for a role that sees the traject but may not do this); services assume
# the view checked.
#
# Geschiktheidsonderzoek: recorded by the college (SLB or coordinator). The report is about
# the person, so the duo-colleague does not see it; everyone else around the traject does.
ONDERZOEK_ZIEN = frozenset(
    {Rol.ZIJ_INSTROMER, Rol.COACH, Rol.SLB, Rol.SCHOOLLEIDER, Rol.COORDINATOR}
)
ONDERZOEK_VASTLEGGEN = OPLEIDING
# Scholingsplan: everyone around the traject reads it; the SLB drafts it (with the
# side-entrant, who comments); three parties agree: the side-entrant, a school leader of the
# school and the college (SLB or coordinator).
PLAN_ZIEN = ALLE_ROLLEN
PLAN_OPSTELLEN = frozenset({Rol.SLB})
PLAN_OPMERKEN = frozenset(
    {Rol.ZIJ_INSTROMER, Rol.COACH, Rol.SLB, Rol.SCHOOLLEIDER, Rol.COORDINATOR}
)
PLAN_VOORTGANG = frozenset({Rol.ZIJ_INSTROMER, Rol.COACH, Rol.SLB})
# Logboek: formative material about growth. The people around the side-entrant and the
# coordinator (read-only) see it; the employer (school leader) does not. Only the
# side-entrant writes; the coach and SLB react.
LOGBOEK_ZIEN = frozenset({Rol.ZIJ_INSTROMER, Rol.COACH, Rol.SLB, Rol.DUO, Rol.COORDINATOR})
LOGBOEK_SCHRIJVEN = frozenset({Rol.ZIJ_INSTROMER})
LOGBOEK_REAGEREN = BEGELEIDERS
# Changing who is coach, SLB or duo: the coordinator.
ROLLEN_WIJZIGEN = frozenset({Rol.COORDINATOR})


def _role_filters(user: User) -> dict[Rol, Q]:
    return {
        Rol.ZIJ_INSTROMER: Q(zij_instromer=user),
        Rol.COACH: Q(coach=user),
        Rol.SLB: Q(slb=user),
        Rol.DUO: Q(duo=user),
        Rol.SCHOOLLEIDER: Q(school__in=School.objects.filter(leiders=user).values("pk")),
        Rol.COORDINATOR: Q(
            school__bestuur__partnerschap__in=Partnerschap.objects.filter(
                coordinatoren=user
            ).values("pk")
        ),
    }


def trajecten_for(user: User, roles: Iterable[Rol] | None = None) -> QuerySet[Traject]:
    """The trajecten `user` may see, optionally only those where they hold one of `roles`."""
    if not user.is_authenticated or not user.is_active:
        return Traject.objects.none()
    filters = _role_filters(user)
    wanted = [filters[r] for r in (roles or filters.keys())]
    q = Q()
    for f in wanted:
        q |= f
    return Traject.objects.filter(q)


def roles_for(user: User, traject: Traject) -> frozenset[Rol]:
    """The roles `user` holds towards `traject` (empty when none)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    roles = set()
    if traject.zij_instromer_id == user.pk:
        roles.add(Rol.ZIJ_INSTROMER)
    if traject.coach_id == user.pk:
        roles.add(Rol.COACH)
    if traject.slb_id == user.pk:
        roles.add(Rol.SLB)
    if traject.duo_id == user.pk:
        roles.add(Rol.DUO)
    # Both relations of the traject's school in one query: every page about a traject asks.
    school = (
        School.objects.filter(pk=traject.school_id)
        .values(
            leads=Exists(School.leiders.through.objects.filter(school=OuterRef("pk"), user=user)),
            coordinates=Exists(
                Partnerschap.coordinatoren.through.objects.filter(
                    partnerschap=OuterRef("bestuur__partnerschap"), user=user
                )
            ),
        )
        .first()
    ) or {}
    if school.get("leads"):
        roles.add(Rol.SCHOOLLEIDER)
    if school.get("coordinates"):
        roles.add(Rol.COORDINATOR)
    return frozenset(roles)


def get_traject_for(user: User, pk: int, queryset: QuerySet[Traject] | None = None) -> Traject:
    """The traject `pk` if `user` may see it, else Http404. Sets `traject.roles`."""
    qs = queryset if queryset is not None else Traject.objects.all()
    qs = qs.select_related("zij_instromer", "school__bestuur", "coach", "slb", "duo")
    try:
        traject = qs.get(pk=pk)
    except (Traject.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    roles = roles_for(user, traject)
    if not roles:
        raise Http404
    traject.roles = roles
    return traject


def require_role(traject: Traject, *allowed: Rol) -> None:
    """Raise PermissionDenied (403) unless the user's roles on `traject` include one of
    `allowed`. Call after get_traject_for, which set `traject.roles`."""
    if not set(traject.roles) & set(allowed):
        raise PermissionDenied


def has_role(traject: Traject, *allowed: Rol) -> bool:
    return bool(set(getattr(traject, "roles", ())) & set(allowed))


def require_open(traject: Traject) -> None:
    """Raise PermissionDenied (403) when `traject` is closed (gestopt or afgerond): its
    intake, plan and log stay readable but no longer change."""
    if traject.status in (Traject.Status.GESTOPT, Traject.Status.AFGEROND):
        raise PermissionDenied


def instemming_partijen(traject: Traject) -> dict[str, Rol]:
    """The parties the viewer may agree to a plan version for, each with the role they
    agree in: the side-entrant for themself, a school leader of the traject's school for
    the school, the SLB or a coordinator for the college. Call after get_traject_for."""
    roles = set(getattr(traject, "roles", ()))
    parties: dict[str, Rol] = {}
    if Rol.ZIJ_INSTROMER in roles:
        parties[Instemming.Partij.ZIJ_INSTROMER] = Rol.ZIJ_INSTROMER
    if Rol.SCHOOLLEIDER in roles:
        parties[Instemming.Partij.SCHOOL] = Rol.SCHOOLLEIDER
    for rol in (Rol.SLB, Rol.COORDINATOR):
        if rol in roles:
            parties.setdefault(Instemming.Partij.OPLEIDING, rol)
    return parties


def coordinator_partnerschappen(user: User) -> QuerySet[Partnerschap]:
    """The partnerships `user` coordinates (import of side-entrants works within these)."""
    if not user.is_authenticated or not user.is_active:
        return Partnerschap.objects.none()
    return Partnerschap.objects.filter(coordinatoren=user)


def user_role_summary(user: User) -> frozenset[str]:
    """Every kind of role `user` holds anywhere, for navigation and the start page.

    Besides the traject roles this includes "docent" and "assessor" (partnership pools).
    One query.
    """
    if not user.is_authenticated:
        return frozenset()
    me = OuterRef("pk")
    flags = {
        Rol.ZIJ_INSTROMER.value: Exists(Traject.objects.filter(zij_instromer=me)),
        Rol.COACH.value: Exists(Traject.objects.filter(coach=me)),
        Rol.SLB.value: Exists(Traject.objects.filter(slb=me)),
        Rol.DUO.value: Exists(Traject.objects.filter(duo=me)),
        Rol.SCHOOLLEIDER.value: Exists(School.objects.filter(leiders=me)),
        Rol.COORDINATOR.value: Exists(Partnerschap.objects.filter(coordinatoren=me)),
        "docent": Exists(Partnerschap.objects.filter(docenten=me)),
        "assessor": Exists(Partnerschap.objects.filter(assessoren=me)),
    }
    row = User.objects.filter(pk=user.pk).values(**flags).first() or {}
    return frozenset(name for name, held in row.items() if held)


# The role summary is asked on every page (navigation, start page, whether MFA is required)
# and costs a query of eight subqueries. It is cached per user, stamped with a version that
# every change of who holds which role bumps: a traject saved or deleted (its side-entrant,
# coach, SLB or duo), a school's leaders, a partnership's coordinators, teachers or assessors.
# Such changes are rare next to page views, so one version for everyone is enough.
ROLES_VERSION = "roles:v"
ROLES_TTL = 3600


def cached_role_summary(user: User) -> frozenset[str]:
    """`user_role_summary`, from the cache while no role changed anywhere (one round trip)."""
    if not user.is_authenticated:
        return frozenset()
    key = f"roles:{user.pk}"
    found = cache.get_many([ROLES_VERSION, key])
    version = found.get(ROLES_VERSION)
    if version is None:
        version = counters.versions([ROLES_VERSION])[ROLES_VERSION]
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        return entry[1]
    roles = user_role_summary(user)
    from portal.checks import cache_is_shared  # noqa: PLC0415 - portal sits on top

    # A cache local to one process does not see another process bump the version: keep
    # entries short there (lev.W001 warns about running so in production).
    cache.set(key, (version, roles), timeout=ROLES_TTL if cache_is_shared() else 30)
    return roles


def roles_changed(**kwargs) -> None:
    """Receiver: someone's roles may have changed. Bumps now (this request sees it) and
    again after commit (drops what another request cached from the old data meanwhile)."""
    if kwargs.get("raw"):
        return
    action = kwargs.get("action")
    if action is not None and not action.startswith("post_"):
        return
    counters.now_and_after_commit(lambda: counters.bump([ROLES_VERSION]))


def connect_role_receivers() -> None:
    """Connect `roles_changed` (trajecten.apps.TrajectenConfig.ready)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save  # noqa: PLC0415

    post_save.connect(roles_changed, sender=Traject, dispatch_uid="roles-traject-save")
    post_delete.connect(roles_changed, sender=Traject, dispatch_uid="roles-traject-delete")
    for through in (
        School.leiders.through,
        Partnerschap.coordinatoren.through,
        Partnerschap.docenten.through,
        Partnerschap.assessoren.through,
    ):
        m2m_changed.connect(roles_changed, sender=through, dispatch_uid=f"roles-{through.__name__}")


# --- What a cached page is about (portal.pagecache) ------------------------------------------
_PEOPLE = (
    (Rol.ZIJ_INSTROMER, "zij_instromer_id"),
    (Rol.COACH, "coach_id"),
    (Rol.SLB, "slb_id"),
    (Rol.DUO, "duo_id"),
)


def page_traject(
    user: User, queryset: QuerySet, to_traject: str = "", roles: Iterable[Rol] = ALLE_ROLLEN
) -> int | None:
    """The traject of the one row of `queryset` (a traject, or a row beneath one along
    `to_traject`, e.g. "traject__") when `user` holds one of `roles` on it; else None. For
    portal.pagecache, which asks on every request: the personal roles are read off the row
    itself (one query); only a school leader or coordinator costs a second.
    """
    if not user.is_authenticated or not user.is_active:
        return None
    roles = frozenset(roles)
    row = (
        queryset.order_by()
        .values_list(
            f"{to_traject}pk" if to_traject else "pk",
            *(f"{to_traject}{field}" for _rol, field in _PEOPLE),
        )
        .first()
    )
    if row is None:
        return None
    people = dict(zip((rol for rol, _f in _PEOPLE), row[1:], strict=True))
    if any(people[rol] == user.pk for rol in roles & people.keys()):
        return row[0]
    wider = [rol for rol in (Rol.SCHOOLLEIDER, Rol.COORDINATOR) if rol in roles]
    if wider and trajecten_for(user, wider).filter(pk=row[0]).exists():
        return row[0]
    return None


def traject_page(user: User, pk) -> int | None:
    """Traject `pk` when `user` sees it, else None."""
    return page_traject(user, Traject.objects.filter(pk=pk))

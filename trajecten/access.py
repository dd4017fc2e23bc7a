"""The access layer: which trajecten a user sees, and in which role.

Every view in every app reaches trajecten (and what hangs beneath them) through these
helpers. An object outside a user's reach answers 404, exactly as a missing one; a write the
role may not do answers 403 (`require_role`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

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


def _coordinated(user: User) -> QuerySet[Partnerschap]:
    """The partnerships `user` coordinates: the one rule behind the coordinator's role on a
    traject and the coordinator's overviews."""
    return Partnerschap.objects.filter(coordinatoren=user)


def _role_filters(user: User) -> dict[Rol, Q]:
    return {
        Rol.ZIJ_INSTROMER: Q(zij_instromer=user),
        Rol.COACH: Q(coach=user),
        Rol.SLB: Q(slb=user),
        Rol.DUO: Q(duo=user),
        Rol.SCHOOLLEIDER: Q(school__in=School.objects.filter(leiders=user).values("pk")),
        Rol.COORDINATOR: Q(school__bestuur__partnerschap__in=_coordinated(user).values("pk")),
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


def trajecten_of_partnerschap(user: User, partnerschap: Partnerschap) -> QuerySet[Traject]:
    """Every traject of `partnerschap` when `user` (an active account) coordinates it, else
    none: the coordinator's overviews. The same trajecten as trajecten_for(user,
    [Rol.COORDINATOR]) narrowed to the partnership, as one plain join that the overviews'
    aggregates can build on (the role filter's subquery cost each of them a second pass
    over every traject)."""
    if not (
        user.is_authenticated
        and user.is_active
        and _coordinated(user).filter(pk=partnerschap.pk).exists()
    ):
        return Traject.objects.none()
    return Traject.objects.filter(school__bestuur__partnerschap=partnerschap.pk)


def school_role_expressions(user: User, path: str = "") -> dict:
    """Whether `user` leads the traject's school and coordinates its partnership, as
    expressions over a row whose traject is at `path` ("" for a traject, "traject__" for a
    conversation): the access functions read them with the object itself, one query less
    on every page about a traject. Read them back with `school_roles_of`."""
    return {
        "viewer_leads": Exists(
            School.leiders.through.objects.filter(school=OuterRef(f"{path}school_id"), user=user.pk)
        ),
        "viewer_coordinates": Exists(
            Partnerschap.coordinatoren.through.objects.filter(
                partnerschap=OuterRef(f"{path}school__bestuur__partnerschap_id"), user=user.pk
            )
        ),
    }


def school_roles_of(row) -> dict:
    """The school roles read by `school_role_expressions`, for roles_for."""
    return {"leads": row.viewer_leads, "coordinates": row.viewer_coordinates}


def roles_for(user: User, traject: Traject, school_roles: dict | None = None) -> frozenset[Rol]:
    """The roles `user` holds towards `traject` (empty when none). `school_roles`: whether
    the user leads the school and coordinates the partnership, when already read (else one
    query)."""
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
    if school_roles is None:
        # Both relations of the traject's school in one query.
        found = (
            Traject.objects.filter(pk=traject.pk).values(**school_role_expressions(user)).first()
        ) or {}
        school_roles = {
            "leads": found.get("viewer_leads"),
            "coordinates": found.get("viewer_coordinates"),
        }
    if school_roles.get("leads"):
        roles.add(Rol.SCHOOLLEIDER)
    if school_roles.get("coordinates"):
        roles.add(Rol.COORDINATOR)
    return frozenset(roles)


def get_traject_for(user: User, pk: int, queryset: QuerySet[Traject] | None = None) -> Traject:
    """The traject `pk` if `user` may see it, else Http404. Sets `traject.roles`. One query:
    the viewer's school roles come with the traject."""
    if not user.is_authenticated or not user.is_active:
        raise Http404
    qs = queryset if queryset is not None else Traject.objects.all()
    qs = qs.select_related("zij_instromer", "school__bestuur", "coach", "slb", "duo").annotate(
        **school_role_expressions(user)
    )
    try:
        traject = qs.get(pk=pk)
    except (Traject.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    roles = roles_for(user, traject, school_roles_of(traject))
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


def schools_coordinated(user: User) -> QuerySet[School]:
    """The schools of the partnerships `user` coordinates: where they may move a traject."""
    return School.objects.filter(bestuur__partnerschap__in=coordinator_partnerschappen(user))


def user_role_summary(user: User, **extra) -> frozenset[str]:
    """Every kind of role `user` holds anywhere, for navigation and the start page.

    Besides the traject roles this includes "docent" and "assessor" (partnership pools).
    One query. `extra`: more expressions over the user row to read in that same query (the
    navigation's unread count); their values are set on `user` as attributes.
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
    row = User.objects.filter(pk=user.pk).values(**flags, **extra).first() or {}
    for name in extra:
        setattr(user, name, row.get(name))
    return frozenset(name for name in flags if row.get(name))

"""Who sees which part of the dossier, derived from trajecten.access.

- The dossier and the work on assignments: the side-entrant, their coach and SLB (traject
  roles); the module teacher who set an assignment sees the work on it; anyone the
  side-entrant asked for feedback sees that one assignment.
- A Proeve: the assessors assigned to it (and only those Proeven), the side-entrant, coach,
  SLB and the partnership coordinator. Assessors see the frozen snapshot, never the live
  dossier, coaching notes or conversations.

Outside a user's reach answers 404, exactly as a missing object. A traject role that may see
the traject but not this part of it answers 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from portal.models import Partnerschap, User
from trajecten.access import (
    get_traject_for,
    roles_for,
    school_role_expressions,
    school_roles_of,
    trajecten_for,
)
from trajecten.models import Rol, Traject

from .models import Bewijsstuk, Feedbackverzoek, Onderzoeksopdracht, Opdracht, Proeve

# Traject roles that see the dossier and the work in it.
DOSSIER_ROLES = frozenset({Rol.ZIJ_INSTROMER, Rol.COACH, Rol.SLB})
# Traject roles that see a Proeve page (status, schedule; the verdict once signed).
PROEVE_ROLES = frozenset({Rol.ZIJ_INSTROMER, Rol.COACH, Rol.SLB, Rol.COORDINATOR})
# Extra, non-traject roles in this app.
DOCENT = "docent"  # set the assignment
GEVRAAGD = "gevraagd"  # asked for feedback on it
ASSESSOR = "assessor"


def _ok(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def get_dossier_traject_for(user: User, traject_pk: int) -> Traject:
    """The traject whose dossier `user` may see (404 outside reach, 403 for other roles)."""
    traject = get_traject_for(user, traject_pk)
    if not set(traject.roles) & DOSSIER_ROLES:
        raise PermissionDenied
    return traject


# --- Assignments -----------------------------------------------------------------------------


def docent_partnerschappen(user: User) -> QuerySet[Partnerschap]:
    """The partnerships in which `user` is a module teacher."""
    if not _ok(user):
        return Partnerschap.objects.none()
    return Partnerschap.objects.filter(docenten=user)


def opdracht_targets_for(user: User) -> QuerySet[Traject]:
    """Active trajecten `user` may set an assignment for: every side-entrant in a partnership
    where they teach a module, and the side-entrants they supervise as SLB."""
    if not _ok(user):
        return Traject.objects.none()
    return Traject.objects.filter(
        Q(school__bestuur__partnerschap__docenten=user) | Q(slb=user),
        status=Traject.Status.ACTIEF,
    ).distinct()


def can_set_opdrachten(user: User) -> bool:
    return _ok(user) and (
        Partnerschap.objects.filter(docenten=user).exists()
        or Traject.objects.filter(slb=user).exists()
    )


def opdrachten_for(user: User) -> QuerySet[Opdracht]:
    """The assignments `user` set."""
    if not _ok(user):
        return Opdracht.objects.none()
    return Opdracht.objects.filter(gesteld_door=user)


def get_opdracht_for(user: User, pk: int) -> Opdracht:
    """An assignment `user` set, else 404."""
    try:
        return opdrachten_for(user).select_related("partnerschap", "gesteld_door").get(pk=pk)
    except (Opdracht.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def onderzoeksopdrachten_for(user: User) -> QuerySet[Onderzoeksopdracht]:
    """Work on assignments `user` may see (see module docstring)."""
    if not _ok(user):
        return Onderzoeksopdracht.objects.none()
    own = trajecten_for(user, DOSSIER_ROLES).values("pk")
    return Onderzoeksopdracht.objects.filter(
        Q(dossier__traject__in=own)
        | Q(opdracht__gesteld_door=user)
        | Q(verzoeken__gevraagd_aan=user)
    ).distinct()


def onderzoeksopdracht_roles(user: User, obj: Onderzoeksopdracht) -> frozenset[str]:
    """The roles `user` holds towards one piece of work (traject roles, docent, gevraagd)."""
    if not _ok(user):
        return frozenset()
    # get_onderzoeksopdracht_for reads the school roles and the feedback request with the
    # work itself; other callers pay a query for each.
    read = hasattr(obj, "viewer_asked")
    school_roles = school_roles_of(obj) if read else None
    roles: set[str] = set(roles_for(user, obj.dossier.traject, school_roles) & DOSSIER_ROLES)
    if obj.opdracht.gesteld_door_id == user.pk:
        roles.add(DOCENT)
    if obj.viewer_asked if read else obj.verzoeken.filter(gevraagd_aan=user).exists():
        roles.add(GEVRAAGD)
    return frozenset(roles)


def get_onderzoeksopdracht_for(user: User, pk: int) -> Onderzoeksopdracht:
    """The work `pk` if `user` may see it, else 404. Sets `.roles`."""
    qs = Onderzoeksopdracht.objects.select_related(
        "opdracht__gesteld_door",
        "dossier__traject__zij_instromer",
        "dossier__traject__coach",
        "dossier__traject__slb",
        "dossier__traject__duo",
        "dossier__traject__school",
    )
    if _ok(user):
        asked = Feedbackverzoek.objects.filter(onderzoeksopdracht=OuterRef("pk"), gevraagd_aan=user)
        qs = qs.annotate(
            **school_role_expressions(user, "dossier__traject__"), viewer_asked=Exists(asked)
        )
    try:
        obj = qs.get(pk=pk)
    except (Onderzoeksopdracht.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    roles = onderzoeksopdracht_roles(user, obj)
    if not roles:
        raise Http404
    obj.roles = roles
    return obj


def get_bewijsstuk_for(user: User, pk: int) -> Bewijsstuk:
    """A piece of evidence whose work `user` may see, else 404. Sets `.roles`."""
    try:
        item = Bewijsstuk.objects.select_related("onderzoeksopdracht").get(pk=pk)
    except (Bewijsstuk.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    work = get_onderzoeksopdracht_for(user, item.onderzoeksopdracht_id)
    item.onderzoeksopdracht = work
    item.roles = work.roles
    return item


def is_owner(obj) -> bool:
    return Rol.ZIJ_INSTROMER in getattr(obj, "roles", ())


def require_owner(obj) -> None:
    """Only the side-entrant changes their own work (403 for everyone else who sees it)."""
    if not is_owner(obj):
        raise PermissionDenied


# --- Proeven ---------------------------------------------------------------------------------


def proeven_for_assessor(user: User) -> QuerySet[Proeve]:
    """The Proeven `user` is assigned to as an assessor (and only those)."""
    if not _ok(user):
        return Proeve.objects.none()
    return Proeve.objects.filter(Q(veldassessor=user) | Q(opleidingsassessor=user))


def proeven_for_coordinator(user: User) -> QuerySet[Proeve]:
    """Every Proeve in the partnerships `user` coordinates."""
    if not _ok(user):
        return Proeve.objects.none()
    return Proeve.objects.filter(
        dossier__traject__in=trajecten_for(user, [Rol.COORDINATOR]).values("pk")
    )


def get_proeve_for(user: User, pk: int) -> Proeve:
    """The Proeve `pk` if `user` may see it, else 404 (403 for a traject role without
    access to Proeven). Sets `.roles` (traject roles and/or "assessor") and `.assessor_as`
    ("veld", "opleiding" or None)."""
    if not _ok(user):
        raise Http404
    try:
        proeve = (
            Proeve.objects.select_related(
                "dossier__kader",
                "dossier__traject__zij_instromer",
                "dossier__traject__school__bestuur__partnerschap",
                "dossier__traject__coach",
                "dossier__traject__slb",
                "veldassessor",
                "opleidingsassessor",
            )
            .annotate(**school_role_expressions(user, "dossier__traject__"))
            .get(pk=pk)
        )
    except (Proeve.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    traject_roles = roles_for(user, proeve.dossier.traject, school_roles_of(proeve))
    roles: set[str] = set(traject_roles & PROEVE_ROLES)
    proeve.assessor_as = proeve.assessor_rol(user)
    if proeve.assessor_as:
        roles.add(ASSESSOR)
    if not roles:
        if traject_roles:
            raise PermissionDenied
        raise Http404
    proeve.roles = frozenset(roles)
    return proeve


def require_assessor(proeve: Proeve) -> None:
    if ASSESSOR not in proeve.roles:
        raise PermissionDenied


def require_coordinator(proeve: Proeve) -> None:
    if Rol.COORDINATOR not in proeve.roles:
        raise PermissionDenied


#: Who closes a traject after a passed Proeve (trajecten.lifecycle).
CLOSER_ROLES = frozenset({Rol.SLB, Rol.COORDINATOR})


def can_close(proeve: Proeve) -> bool:
    return bool(CLOSER_ROLES & proeve.roles)


def require_closer(proeve: Proeve) -> None:
    if not can_close(proeve):
        raise PermissionDenied

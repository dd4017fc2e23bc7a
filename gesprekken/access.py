"""Who sees which conversation, derived from trajecten.access (the one choke point).

A Gesprek is visible when its Traject is and the role allows it: the three participants see
everything but each other's private notes; the school leader and the coordinator see the
cycle and signed reports only; the duo sees nothing. Invisible answers 404, exactly like a
missing conversation; visible-but-not-allowed answers 403 (trajecten.access.require_role).
"""

from __future__ import annotations

from django.http import Http404

from portal.models import User
from trajecten.access import (
    get_traject_for,
    has_role,
    roles_for,
    school_role_expressions,
    school_roles_of,
)
from trajecten.models import Rol, Traject

from .models import Afspraak, Gesprek, SignaalTag

# Hold, prepare and sign the conversation.
DEELNEMERS = frozenset({Rol.ZIJ_INSTROMER, Rol.COACH, Rol.SLB})
# Plan and move conversations, write the report.
BEGELEIDERS = frozenset({Rol.COACH, Rol.SLB})
# Read the cycle and signed reports, never preparations or private notes.
LEZERS = frozenset({Rol.SCHOOLLEIDER, Rol.COORDINATOR})
ZICHTBAAR = DEELNEMERS | LEZERS


def get_traject_for_gesprekken(user: User, pk: int) -> Traject:
    """The traject `pk` if `user` may see its conversations, else Http404."""
    traject = get_traject_for(user, pk)
    if not has_role(traject, *ZICHTBAAR):
        raise Http404
    return traject


def get_gesprek_for(user: User, pk: int) -> Gesprek:
    """The conversation `pk` if `user` may see it, else Http404. Sets `gesprek.traject.roles`."""
    if not user.is_authenticated:
        raise Http404
    try:
        gesprek = (
            Gesprek.objects.select_related(
                "traject__zij_instromer",
                "traject__coach",
                "traject__slb",
                "traject__duo",
                "traject__school__bestuur",
                "moved_by",
            )
            .annotate(**school_role_expressions(user, "traject__"))
            .get(pk=pk)
        )
    except (Gesprek.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    roles = roles_for(user, gesprek.traject, school_roles_of(gesprek))
    if not roles & ZICHTBAAR:
        raise Http404
    gesprek.traject.roles = roles
    return gesprek


def get_afspraak_for(user: User, pk: int) -> Afspraak:
    """The agreement `pk` if `user` may see its conversation, else Http404."""
    try:
        afspraak = Afspraak.objects.select_related("verslag__gesprek").get(pk=pk)
    except (Afspraak.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    afspraak.gesprek = get_gesprek_for(user, afspraak.verslag.gesprek_id)
    return afspraak


def participant_role(gesprek: Gesprek, user: User) -> Rol | None:
    """The role in which `user` takes part in `gesprek` (zij-instromer, coach or SLB)."""
    traject = gesprek.traject
    for rol, holder_id in (
        (Rol.ZIJ_INSTROMER, traject.zij_instromer_id),
        (Rol.SLB, traject.slb_id),
        (Rol.COACH, traject.coach_id),
    ):
        if holder_id == user.pk:
            return rol
    return None


def get_tag_for(user: User, pk: int) -> SignaalTag:
    """A signal tag of a partnership `user` coordinates, else Http404."""
    try:
        return SignaalTag.objects.select_related("partnerschap").get(
            pk=pk, partnerschap__coordinatoren=user
        )
    except (SignaalTag.DoesNotExist, ValueError, TypeError):
        raise Http404 from None

"""Reads for people and organisations."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from trajecten.models import Traject

from .models import Partnerschap, School, User


def partnerschappen_coordinated_by(user: User) -> QuerySet[Partnerschap]:
    """The partnerships `user` coordinates."""
    if not user.is_authenticated:
        return Partnerschap.objects.none()
    return Partnerschap.objects.filter(coordinatoren=user).order_by("name")


def get_coordinated_partnerschap(user: User, pk: int | str | None = None) -> Partnerschap:
    """The partnership `user` coordinates (the given one, or their first); 404 otherwise."""
    qs = partnerschappen_coordinated_by(user)
    ps = qs.filter(pk=pk).first() if pk else qs.first()
    if ps is None:
        raise Http404
    return ps


def people_of(partnerschap: Partnerschap) -> QuerySet[User]:
    """Everyone with a relation to `partnerschap`: members, pools, school leaders, and the
    people on its trajecten."""
    ps_schools = School.objects.filter(bestuur__partnerschap=partnerschap)
    in_traject = Traject.objects.filter(school__in=ps_schools).filter(
        Q(zij_instromer=OuterRef("pk"))
        | Q(coach=OuterRef("pk"))
        | Q(slb=OuterRef("pk"))
        | Q(duo=OuterRef("pk"))
    )
    return User.objects.filter(
        Q(lid_van=partnerschap)
        | Q(coordinator_van=partnerschap)
        | Q(docent_van=partnerschap)
        | Q(assessor_van=partnerschap)
        | Q(schoolleider_van__in=ps_schools)
        | Exists(in_traject)
    ).distinct()


def get_person_for(user: User, pk: int, partnerschap: Partnerschap) -> User:
    """A person of the coordinator's partnership, or 404."""
    person = people_of(partnerschap).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person

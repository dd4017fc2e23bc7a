"""The access layer answers, per role, which trajecten a person sees."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tests import factories as f
from trajecten.access import (
    get_traject_for,
    require_role,
    roles_for,
    trajecten_for,
    trajecten_of_partnerschap,
    user_role_summary,
)
from trajecten.models import Rol

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "who, role",
    [
        ("zij_instromer", Rol.ZIJ_INSTROMER),
        ("coach", Rol.COACH),
        ("slb", Rol.SLB),
        ("duo", Rol.DUO),
        ("schoolleider", Rol.SCHOOLLEIDER),
        ("coordinator", Rol.COORDINATOR),
    ],
)
def test_each_role_sees_the_traject_in_that_role(cast, who, role):
    user = getattr(cast, who)
    assert cast.traject in trajecten_for(user)
    assert roles_for(user, cast.traject) == {role}
    assert get_traject_for(user, cast.traject.pk).roles == {role}


def test_outsider_sees_nothing_and_gets_404(cast):
    assert not trajecten_for(cast.outsider).exists()
    assert roles_for(cast.outsider, cast.traject) == frozenset()
    with pytest.raises(Http404):
        get_traject_for(cast.outsider, cast.traject.pk)


def test_coach_of_other_school_gets_404(cast):
    assert cast.traject not in trajecten_for(cast.other_coach)
    with pytest.raises(Http404):
        get_traject_for(cast.other_coach, cast.traject.pk)


def test_side_entrant_sees_only_own_traject(cast):
    other = f.TrajectFactory(school=cast.traject.school)
    assert list(trajecten_for(cast.zij_instromer)) == [cast.traject]
    with pytest.raises(Http404):
        get_traject_for(cast.zij_instromer, other.pk)


def test_school_leader_sees_every_traject_of_own_school_only(cast):
    same_school = f.TrajectFactory(school=cast.traject.school)
    other_school = f.TrajectFactory()
    seen = set(trajecten_for(cast.schoolleider))
    assert seen == {cast.traject, same_school}
    assert other_school not in seen


def test_coordinator_sees_whole_partnership_but_not_another(cast):
    other_partnership = f.TrajectFactory()
    seen = set(trajecten_for(cast.coordinator))
    assert cast.traject in seen
    assert len(seen) == 2  # the cast's traject and the other coach's traject
    assert other_partnership not in seen


def test_missing_traject_is_404_like_a_forbidden_one(cast):
    with pytest.raises(Http404):
        get_traject_for(cast.coach, 999999)


def test_one_person_can_hold_several_roles(cast):
    cast.traject.school.leiders.add(cast.coach)
    assert roles_for(cast.coach, cast.traject) == {Rol.COACH, Rol.SCHOOLLEIDER}
    assert user_role_summary(cast.coach) >= {"coach", "schoolleider"}


def test_inactive_user_sees_nothing(cast):
    cast.coach.is_active = False
    cast.coach.save(update_fields=["is_active"])
    assert not trajecten_for(cast.coach).exists()


def test_require_role_raises_403_for_a_role_not_allowed(cast):
    traject = get_traject_for(cast.duo, cast.traject.pk)
    with pytest.raises(PermissionDenied):
        require_role(traject, Rol.SLB, Rol.COORDINATOR)
    require_role(get_traject_for(cast.slb, cast.traject.pk), Rol.SLB)


def test_trajecten_for_can_filter_by_role(cast):
    assert not trajecten_for(cast.coach, [Rol.SLB]).exists()
    assert trajecten_for(cast.coach, [Rol.COACH]).get() == cast.traject


def test_role_summary_is_one_query(cast, django_assert_num_queries):
    with django_assert_num_queries(1):
        summary = user_role_summary(cast.coordinator)
    assert summary == {"coordinator"}


def test_the_partnerships_trajecten_go_only_to_its_active_coordinators():
    """The coordinator's overviews read trajecten_of_partnerschap: the same trajecten as the
    coordinator role, narrowed to one partnership, and none for anyone else."""
    mine = f.TrajectFactory()
    other = f.TrajectFactory()
    ps = mine.school.bestuur.partnerschap
    coordinator, outsider = f.UserFactory(), f.UserFactory()
    ps.coordinatoren.add(coordinator)
    other.school.bestuur.partnerschap.coordinatoren.add(outsider)
    assert list(trajecten_of_partnerschap(coordinator, ps)) == [mine]
    assert set(trajecten_of_partnerschap(coordinator, ps)) == set(
        trajecten_for(coordinator, [Rol.COORDINATOR])
    )
    assert not trajecten_of_partnerschap(outsider, ps).exists()
    coordinator.is_active = False
    coordinator.save(update_fields=["is_active"])
    assert not trajecten_of_partnerschap(coordinator, ps).exists()

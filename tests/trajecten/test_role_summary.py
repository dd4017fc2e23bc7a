"""The role summary behind navigation, start page and the MFA rule is read afresh on every
request (one query) and follows every change of who holds a role at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from trajecten.access import user_role_summary

pytestmark = pytest.mark.django_db


def test_the_summary_is_one_query():
    traject = f.TrajectFactory()
    with CaptureQueriesContext(connection) as queries:
        assert user_role_summary(traject.coach) == {"coach"}
    assert len(queries) == 1


def test_a_new_coach_and_the_old_one_see_the_change_at_once():
    traject = f.TrajectFactory()
    old, new = traject.coach, f.UserFactory()
    assert user_role_summary(old) == {"coach"}
    assert user_role_summary(new) == frozenset()
    traject.coach = new
    traject.save(update_fields=["coach"])
    assert user_role_summary(new) == {"coach"}
    assert user_role_summary(old) == frozenset()


def test_pool_and_school_memberships_change_the_summary_at_once():
    user = f.UserFactory()
    partnerschap = f.PartnerschapFactory()
    school = f.SchoolFactory()
    assert user_role_summary(user) == frozenset()
    partnerschap.coordinatoren.add(user)
    assert user_role_summary(user) == {"coordinator"}
    partnerschap.assessoren.add(user)
    school.leiders.add(user)
    assert user_role_summary(user) == {"coordinator", "assessor", "schoolleider"}
    partnerschap.coordinatoren.remove(user)
    partnerschap.assessoren.clear()
    assert user_role_summary(user) == {"schoolleider"}


def test_the_start_page_and_navigation_follow_a_removed_role(client):
    user = f.UserFactory()
    partnerschap = f.PartnerschapFactory()
    partnerschap.coordinatoren.add(user)
    client.force_login(user)
    assert 'href="/overzicht/"' in client.get("/").content.decode()
    partnerschap.coordinatoren.remove(user)
    page = client.get("/").content.decode()
    assert 'href="/overzicht/"' not in page

"""The role summary behind navigation, start page and the MFA rule is cached per user and
follows every change of who holds a role at once (trajecten.access.cached_role_summary)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from trajecten.access import cached_role_summary, user_role_summary

pytestmark = pytest.mark.django_db


def test_the_second_ask_needs_no_query():
    traject = f.TrajectFactory()
    assert cached_role_summary(traject.coach) == {"coach"}
    with CaptureQueriesContext(connection) as queries:
        assert cached_role_summary(traject.coach) == {"coach"}
    assert len(queries) == 0


def test_a_new_coach_and_the_old_one_see_the_change_at_once():
    traject = f.TrajectFactory()
    old, new = traject.coach, f.UserFactory()
    assert cached_role_summary(old) == {"coach"}
    assert cached_role_summary(new) == frozenset()
    traject.coach = new
    traject.save(update_fields=["coach"])
    assert cached_role_summary(new) == {"coach"}
    assert cached_role_summary(old) == frozenset()


def test_pool_and_school_memberships_change_the_summary_at_once():
    user = f.UserFactory()
    partnerschap = f.PartnerschapFactory()
    school = f.SchoolFactory()
    assert cached_role_summary(user) == frozenset()
    partnerschap.coordinatoren.add(user)
    assert cached_role_summary(user) == {"coordinator"}
    partnerschap.assessoren.add(user)
    school.leiders.add(user)
    assert cached_role_summary(user) == {"coordinator", "assessor", "schoolleider"}
    partnerschap.coordinatoren.remove(user)
    partnerschap.assessoren.clear()
    assert cached_role_summary(user) == {"schoolleider"}
    assert cached_role_summary(user) == user_role_summary(user)


def test_the_start_page_and_navigation_follow_a_removed_role(client):
    user = f.UserFactory()
    partnerschap = f.PartnerschapFactory()
    partnerschap.coordinatoren.add(user)
    client.force_login(user)
    assert 'href="/overzicht/"' in client.get("/").content.decode()
    partnerschap.coordinatoren.remove(user)
    page = client.get("/").content.decode()
    assert 'href="/overzicht/"' not in page

"""Coordinators add people, invite them and set their partnership roles."""

import pytest
from django.core import mail
from django.urls import reverse

from conftest import reauthenticated
from portal.models import AuditEvent, User
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_coordinator_sees_the_people_of_the_partnership(client, cast):
    client.force_login(cast.coordinator)
    page = client.get(reverse("portal:mensen")).content.decode()
    assert cast.coach.email in page and cast.schoolleider.email in page
    assert cast.outsider.email not in page


def test_people_list_has_constant_queries(client, cast, django_assert_max_num_queries):
    for _ in range(5):
        f.TrajectFactory(school=cast.traject.school)
    client.force_login(cast.coordinator)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("portal:mensen")).status_code == 200


@pytest.mark.parametrize("who", ["coach", "slb", "schoolleider", "zij_instromer", "outsider"])
def test_only_coordinators_reach_the_people_pages(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("portal:mensen")).status_code == 404
    assert client.get(reverse("portal:mens", args=[cast.coach.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, cast):
    response = client.get(reverse("portal:mensen"))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_adding_a_person_creates_an_account_and_invites(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:mens_nieuw"),
            {
                "email": "Nieuwe.Coach@School.test",
                "first_name": "Nina",
                "last_name": "Kok",
                "language": "nl",
            },
        )
    person = User.objects.get(email="nieuwe.coach@school.test")
    assert response.status_code == 302
    assert not person.has_usable_password()
    assert person in cast.traject.school.bestuur.partnerschap.leden.all()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nieuwe.coach@school.test"]
    assert AuditEvent.objects.filter(action="person.add", object_id=str(person.pk)).exists()


def test_adding_an_existing_account_links_it_without_a_second_account(client, cast):
    client.force_login(cast.coordinator)
    client.post(
        reverse("portal:mens_nieuw"),
        {"email": cast.outsider.email, "first_name": "X", "last_name": "Y", "language": "nl"},
    )
    assert User.objects.filter(email=cast.outsider.email).count() == 1
    assert cast.outsider in cast.traject.school.bestuur.partnerschap.leden.all()


def test_bad_email_changes_nothing(client, cast):
    client.force_login(cast.coordinator)
    before = User.objects.count()
    response = client.post(
        reverse("portal:mens_nieuw"),
        {"email": "geen-adres", "first_name": "X", "last_name": "Y", "language": "nl"},
    )
    assert response.status_code == 200
    assert "geldig e-mailadres" in response.content.decode()
    assert User.objects.count() == before


def test_changing_roles_needs_reauthentication(client, cast):
    client.force_login(cast.coordinator)
    response = client.post(
        reverse("portal:mens", args=[cast.coach.pk]),
        {"docent": "on"},
    )
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response["Location"]
    assert not cast.traject.school.bestuur.partnerschap.docenten.filter(pk=cast.coach.pk).exists()


def test_coordinator_makes_someone_school_leader_and_assessor(client, cast):
    ps = cast.traject.school.bestuur.partnerschap
    reauthenticated(client, cast.coordinator)
    response = client.post(
        reverse("portal:mens", args=[cast.coach.pk]),
        {"schools": [cast.traject.school.pk], "assessor": "on"},
    )
    assert response.status_code == 302
    assert cast.traject.school.leiders.filter(pk=cast.coach.pk).exists()
    assert ps.assessoren.filter(pk=cast.coach.pk).exists()
    event = AuditEvent.objects.get(action="person.roles")
    assert event.actor == cast.coordinator
    assert event.detail["before"]["assessor"] is False
    assert event.detail["after"]["assessor"] is True


def test_school_of_another_partnership_cannot_be_chosen(client, cast):
    other_school = f.SchoolFactory()
    reauthenticated(client, cast.coordinator)
    response = client.post(
        reverse("portal:mens", args=[cast.coach.pk]), {"schools": [other_school.pk]}
    )
    assert response.status_code == 200
    assert not other_school.leiders.filter(pk=cast.coach.pk).exists()


def test_coordinator_cannot_remove_own_coordinator_role(client, cast):
    reauthenticated(client, cast.coordinator)
    client.post(reverse("portal:mens", args=[cast.coordinator.pk]), {})
    ps = cast.traject.school.bestuur.partnerschap
    assert ps.coordinatoren.filter(pk=cast.coordinator.pk).exists()


def test_reinvite_sends_a_new_mail(client, cast, django_capture_on_commit_callbacks):
    client.force_login(cast.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:mens_uitnodigen", args=[cast.coach.pk]))
    assert mail.outbox[-1].to == [cast.coach.email]


def test_reinvite_of_an_outsider_is_404(client, cast):
    client.force_login(cast.coordinator)
    response = client.post(reverse("portal:mens_uitnodigen", args=[cast.outsider.pk]))
    assert response.status_code == 404


def test_admin_action_sends_invitations(client, cast, django_capture_on_commit_callbacks):
    admin = User.objects.create_superuser(email="beheer@example.test", password="x-Ab12!zz")
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:portal_user_changelist"),
            {"action": "send_invitation", "_selected_action": [cast.coach.pk, cast.slb.pk]},
        )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.coach.email, cast.slb.email])

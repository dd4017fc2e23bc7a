"""Start meetings, the coach training register and role descriptions."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from icalendar import Calendar

from portal.models import Rolbeschrijving, Scholing, Startbijeenkomst, Uitnodiging
from tests import factories as f

pytestmark = pytest.mark.django_db


def plan(client, cast, **extra):
    data = {
        "title": "Startbijeenkomst cohort september",
        "cohort_start": cast.traject.start_date.isoformat(),
        "starts_at": "2030-08-25T15:00",
        "ends_at": "2030-08-25T17:00",
        "location": "Pabo, zaal 1.12",
        "description": "Kennismaking en uitleg van de gesprekscyclus.",
        **extra,
    }
    return client.post(reverse("portal:startbijeenkomst_nieuw"), data)


def test_coordinator_plans_a_start_meeting_and_invites_leaders_and_coaches(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = plan(client, cast)
    item = Startbijeenkomst.objects.get()
    assert response.status_code == 302
    invited = {(i.user, i.rol) for i in item.uitnodigingen.all()}
    # the cast's other traject starts in the same month: its coach belongs to the cohort too
    assert invited == {
        (cast.schoolleider, "schoolleider"),
        (cast.coach, "coach"),
        (cast.other_coach, "coach"),
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [cast.schoolleider.email, cast.coach.email, cast.other_coach.email]
    )
    name, content, mimetype = mail.outbox[0].attachments[0]
    assert name == "startbijeenkomst.ics" and mimetype.startswith("text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Startbijeenkomst cohort september"


def test_other_cohort_is_not_invited(client, cast):
    later = f.TrajectFactory(
        school=cast.traject.school,
        start_date=cast.traject.start_date + datetime.timedelta(days=62),
    )
    client.force_login(cast.coordinator)
    plan(client, cast)
    invited = set(Uitnodiging.objects.values_list("user_id", flat=True))
    assert later.coach_id not in invited


def test_end_before_start_is_refused_and_nothing_is_planned(client, cast):
    client.force_login(cast.coordinator)
    response = plan(client, cast, ends_at="2030-08-25T14:00")
    assert response.status_code == 200
    assert "na de begintijd" in response.content.decode()
    assert not Startbijeenkomst.objects.exists()


def test_coordinator_records_attendance(client, cast):
    client.force_login(cast.coordinator)
    plan(client, cast)
    item = Startbijeenkomst.objects.get()
    client.post(
        reverse("portal:startbijeenkomst_aanwezig", args=[item.pk]),
        {"aanwezig": [str(cast.coach.pk)]},
    )
    assert Uitnodiging.objects.get(user=cast.coach).aanwezig is True
    assert Uitnodiging.objects.get(user=cast.schoolleider).aanwezig is False


def test_invitee_sees_the_meeting_and_downloads_ics_but_cannot_record_attendance(client, cast):
    client.force_login(cast.coordinator)
    plan(client, cast)
    item = Startbijeenkomst.objects.get()
    client.force_login(cast.coach)
    page = client.get(reverse("portal:startbijeenkomst", args=[item.pk]))
    assert page.status_code == 200 and "Pabo, zaal 1.12" in page.content.decode()
    assert "aanwezig-" not in page.content.decode()
    ics = client.get(reverse("portal:startbijeenkomst_ics", args=[item.pk]))
    assert Calendar.from_ical(ics.content).walk("VEVENT")
    response = client.post(reverse("portal:startbijeenkomst_aanwezig", args=[item.pk]), {})
    assert response.status_code == 403


def test_outsider_gets_404_on_a_start_meeting(client, cast):
    item = Startbijeenkomst.objects.create(
        partnerschap=cast.traject.school.bestuur.partnerschap,
        title="X",
        cohort_start=cast.traject.start_date,
        starts_at=timezone.now(),
        ends_at=timezone.now() + datetime.timedelta(hours=1),
        location="Y",
    )
    client.force_login(cast.outsider)
    assert client.get(reverse("portal:startbijeenkomst", args=[item.pk])).status_code == 404
    assert client.get(reverse("portal:startbijeenkomsten")).status_code == 404


def test_training_register_flags_trajecten_with_an_untrained_coach(client, cast):
    ps = cast.traject.school.bestuur.partnerschap
    client.force_login(cast.coordinator)
    page = client.get(reverse("portal:scholing")).content.decode()
    assert "coach zonder training" in page
    assert escape(cast.zij_instromer.get_full_name()) in page
    response = client.post(
        reverse("portal:scholing"),
        {"user": cast.coach.pk, "soort": "coachtraining", "datum": "2025-06-01"},
    )
    assert response.status_code == 302
    assert Scholing.objects.filter(partnerschap=ps, user=cast.coach).count() == 1
    register = client.get(reverse("portal:scholing")).context
    assert cast.traject not in register["flagged"]


def test_training_in_the_future_is_refused(client, cast):
    client.force_login(cast.coordinator)
    response = client.post(
        reverse("portal:scholing"),
        {"user": cast.coach.pk, "soort": "coachtraining", "datum": "2099-01-01"},
    )
    assert response.status_code == 200
    assert not Scholing.objects.exists()


def test_register_query_count_does_not_grow(client, cast, django_assert_max_num_queries):
    for _ in range(8):
        f.TrajectFactory(school=cast.traject.school)
    client.force_login(cast.coordinator)
    with django_assert_max_num_queries(12):
        client.get(reverse("portal:scholing"))


@pytest.mark.parametrize("who", ["coach", "schoolleider", "zij_instromer", "outsider"])
def test_only_coordinators_see_the_register(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("portal:scholing")).status_code == 404


def test_role_page_shows_default_text_then_the_coordinators_text(client, cast):
    client.force_login(cast.coach)
    page = client.get(reverse("portal:rol", args=["coach"])).content.decode()
    assert "ervaren leerkracht" in page
    client.force_login(cast.coordinator)
    response = client.post(
        reverse("portal:rol_bewerken", args=["coach"]),
        {
            "body_nl": "Onze coaches krijgen twee uur per week.",
            "body_en": "Two hours a week.",
            "version": 0,
        },
    )
    assert response.status_code == 302
    client.force_login(cast.coach)
    page = client.get(reverse("portal:rol", args=["coach"])).content.decode()
    assert "twee uur per week" in page
    page = client.get(reverse("portal:rol", args=["coach"]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Two hours a week." in page.content.decode()


def test_stale_role_description_edit_is_refused_and_text_kept(client, cast):
    ps = cast.traject.school.bestuur.partnerschap
    Rolbeschrijving.objects.create(partnerschap=ps, rol="slb", body_nl="Versie twee", version=2)
    client.force_login(cast.coordinator)
    response = client.post(
        reverse("portal:rol_bewerken", args=["slb"]),
        {"body_nl": "Mijn eigen tekst", "body_en": "", "version": 1},
    )
    assert response.status_code == 200
    assert "Iemand anders" in response.content.decode()
    assert "Mijn eigen tekst" in response.content.decode()
    assert Rolbeschrijving.objects.get(rol="slb").body_nl == "Versie twee"


def test_only_coordinators_edit_role_descriptions(client, cast):
    client.force_login(cast.slb)
    assert client.get(reverse("portal:rol_bewerken", args=["slb"])).status_code == 404


def test_unknown_role_is_404(client, cast):
    client.force_login(cast.coach)
    assert client.get(reverse("portal:rol", args=["piraat"])).status_code == 404


def test_start_page_links_to_the_role_description(client, cast):
    client.force_login(cast.coach)
    page = client.get(reverse("portal:home")).content.decode()
    assert reverse("portal:rol", args=["coach"]) in page


def test_traject_page_links_the_side_entrant_to_their_role_description(client, cast):
    client.force_login(cast.zij_instromer)
    page = client.get(reverse("trajecten:detail", args=[cast.traject.pk])).content.decode()
    assert reverse("portal:rol", args=["zij_instromer"]) in page

"""The two-year clock and the coordinator's changes to a traject as a whole (issue 18):
an extension only as a recorded Verlenging, another school, stopping early with a reason.
In the service, in the view (behind re-authentication, coordinators only) and on the
traject page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from gesprekken.models import Gesprek
from gesprekken.services import gesprek_cycle_plan
from portal.models import AuditEvent, Notificatie
from tests import factories as f
from tests.trajecten.conftest import reauthenticate
from trajecten import services
from trajecten.models import Stage, Traject, Verlenging, two_years_after

pytestmark = pytest.mark.django_db


def url(traject):
    return reverse("trajecten:wijzigen", args=[traject.pk])


@pytest.fixture
def full_length(cast):
    """The cast's traject running the full two years (as the importer sets it)."""
    traject = cast.traject
    traject.end_date = two_years_after(traject.start_date) - datetime.timedelta(days=1)
    traject.save(update_fields=["end_date"])
    return traject


# --- the extension --------------------------------------------------------------------------


def test_an_extension_is_recorded_and_moves_the_end_date_and_the_cycle(cast, full_length):
    gesprek_cycle_plan(traject=full_length)
    before = Gesprek.objects.filter(traject=full_length, status="gepland").count()
    old_end = full_length.end_date
    new_end = old_end + datetime.timedelta(days=180)
    verlenging = services.traject_verlengen(
        traject=full_length,
        tot=new_end,
        reden="Zwangerschapsverlof van vier maanden.",
        akkoord="schoolleider De Vries en de opleiding",
        door=cast.coordinator,
    )
    full_length.refresh_from_db()
    assert full_length.end_date == new_end
    assert full_length.is_extended
    assert (verlenging.van, verlenging.tot, verlenging.vastgelegd_door) == (
        old_end,
        new_end,
        cast.coordinator,
    )
    event = AuditEvent.objects.get(action="traject.verlengen")
    assert event.detail["van"] == old_end.isoformat() and event.detail["tot"] == new_end.isoformat()
    assert event.detail["akkoord"] == "schoolleider De Vries en de opleiding"
    # The quarterly cycle reaches the new end date.
    after = Gesprek.objects.filter(traject=full_length, status="gepland")
    assert after.count() > before
    assert max(after.values_list("planned_for", flat=True)) > old_end
    # The side-entrant, coach and SLB are told.
    for person in (cast.zij_instromer, cast.coach, cast.slb):
        assert Notificatie.objects.filter(user=person, kind="traject").exists()
    assert not Notificatie.objects.filter(user=cast.coordinator, kind="traject").exists()


@pytest.mark.parametrize(
    "days, reden, akkoord, message",
    [
        (30, "", "de opleiding", "Geef de reden van de verlenging."),
        (30, "Ziekte", "  ", "Geef aan wie met de verlenging instemden."),
        (0, "Ziekte", "de opleiding", "moet na de huidige einddatum"),
        (-10, "Ziekte", "de opleiding", "moet na de huidige einddatum"),
        (367, "Ziekte", "de opleiding", "hoogstens een jaar per keer"),
    ],
)
def test_a_bad_extension_is_refused_and_changes_nothing(
    cast, full_length, days, reden, akkoord, message
):
    old_end = full_length.end_date
    with pytest.raises(ValidationError) as exc:
        services.traject_verlengen(
            traject=full_length,
            tot=old_end + datetime.timedelta(days=days),
            reden=reden,
            akkoord=akkoord,
            door=cast.coordinator,
        )
    assert message in str(exc.value)
    full_length.refresh_from_db()
    assert full_length.end_date == old_end
    assert not Verlenging.objects.exists()
    assert not AuditEvent.objects.filter(action="traject.verlengen").exists()


@pytest.mark.parametrize("status", [Traject.Status.AFGEROND, Traject.Status.GESTOPT])
def test_an_ended_traject_is_not_extended_moved_or_stopped(cast, status):
    traject = f.TrajectFactory(school=cast.traject.school, status=status)
    with pytest.raises(ValidationError):
        services.traject_verlengen(
            traject=traject,
            tot=traject.end_date + datetime.timedelta(days=30),
            reden="Ziekte",
            akkoord="de opleiding",
            door=cast.coordinator,
        )
    with pytest.raises(ValidationError):
        services.traject_stoppen(traject=traject, reden="Verhuisd", door=cast.coordinator)
    assert not Verlenging.objects.exists()


def test_the_coordinator_extends_in_the_portal_and_everyone_sees_it(client, cast, full_length):
    reauthenticate(client, cast.coordinator)
    assert client.get(url(full_length)).status_code == 200
    new_end = full_length.end_date + datetime.timedelta(days=90)
    response = client.post(
        url(full_length),
        {
            "actie": "verlengen",
            "verlengen-tot": new_end.isoformat(),
            "verlengen-reden": "Herkansing van de Proeve in het najaar.",
            "verlengen-akkoord": "schoolleider en opleiding",
        },
    )
    assert response.status_code == 302
    full_length.refresh_from_db()
    assert full_length.end_date == new_end
    for who in ("zij_instromer", "coach", "schoolleider"):
        client.force_login(getattr(cast, who))
        page = client.get(reverse("trajecten:detail", args=[full_length.pk])).content.decode()
        assert "verlengd" in page
        assert "Herkansing van de Proeve in het najaar." in page
        assert "schoolleider en opleiding" in page


def test_a_bad_date_in_the_form_is_a_message_at_the_field(client, cast, full_length):
    reauthenticate(client, cast.coordinator)
    response = client.post(
        url(full_length),
        {
            "actie": "verlengen",
            "verlengen-tot": full_length.end_date.isoformat(),
            "verlengen-reden": "Ziekte",
            "verlengen-akkoord": "de opleiding",
        },
    )
    assert response.status_code == 200
    assert "moet na de huidige einddatum" in response.content.decode()
    assert not Verlenging.objects.exists()


@pytest.mark.parametrize("who", ["zij_instromer", "coach", "slb", "schoolleider"])
def test_only_the_coordinator_may_open_the_page(client, cast, who):
    reauthenticate(client, getattr(cast, who))
    assert client.get(url(cast.traject)).status_code == 403
    page = client.get(reverse("trajecten:detail", args=[cast.traject.pk])).content.decode()
    assert url(cast.traject) not in page


def test_an_outsider_gets_404(client, cast):
    reauthenticate(client, cast.outsider)
    assert client.get(url(cast.traject)).status_code == 404
    response = client.post(url(cast.traject), {"actie": "stoppen", "stoppen-reden": "x"})
    assert response.status_code == 404
    cast.traject.refresh_from_db()
    assert cast.traject.status == Traject.Status.ACTIEF


def test_the_page_asks_to_reauthenticate_first(client, cast):
    client.force_login(cast.coordinator)
    response = client.get(url(cast.traject))
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response["Location"]


# --- another school --------------------------------------------------------------------------


def test_moving_to_another_school_moves_who_sees_the_traject(client, cast):
    new_school = f.SchoolFactory(bestuur=cast.traject.school.bestuur)
    new_leader = f.UserFactory()
    new_school.leiders.add(new_leader)
    reauthenticate(client, cast.coordinator)
    response = client.post(url(cast.traject), {"actie": "school", "school-school": new_school.pk})
    assert response.status_code == 302
    cast.traject.refresh_from_db()
    assert cast.traject.school == new_school
    event = AuditEvent.objects.get(action="traject.school_wijzigen")
    assert event.detail["naar"] == new_school.pk
    detail = reverse("trajecten:detail", args=[cast.traject.pk])
    client.force_login(cast.schoolleider)
    assert client.get(detail).status_code == 404
    client.force_login(new_leader)
    assert client.get(detail).status_code == 200


def test_a_school_of_another_partnership_is_refused(client, cast):
    elsewhere = f.SchoolFactory()
    old = cast.traject.school
    with pytest.raises(ValidationError):
        services.traject_school_wijzigen(
            traject=cast.traject,
            school=elsewhere,
            door=cast.coordinator,
            allowed_schools=services_schools(cast.coordinator),
        )
    reauthenticate(client, cast.coordinator)
    response = client.post(url(cast.traject), {"actie": "school", "school-school": elsewhere.pk})
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    cast.traject.refresh_from_db()
    assert cast.traject.school == old


def test_a_coordinator_of_both_partnerships_moves_a_traject_across(client, cast):
    elsewhere = f.SchoolFactory()
    elsewhere.bestuur.partnerschap.coordinatoren.add(cast.coordinator)
    services.traject_school_wijzigen(
        traject=cast.traject,
        school=elsewhere,
        door=cast.coordinator,
        allowed_schools=services_schools(cast.coordinator),
    )
    cast.traject.refresh_from_db()
    assert cast.traject.school == elsewhere
    event = AuditEvent.objects.get(action="traject.school_wijzigen")
    assert event.detail["partnerschap_naar"] == elsewhere.bestuur.partnerschap_id


def services_schools(user):
    from trajecten.access import schools_coordinated

    return schools_coordinated(user)


# --- stopping ---------------------------------------------------------------------------------


def test_stopping_records_the_reason_and_lapses_future_conversations(client, cast):
    gesprek_cycle_plan(traject=cast.traject)
    future = Gesprek.objects.filter(traject=cast.traject, starts_at__gt=timezone.now())
    assert future.filter(status="gepland").exists()
    reauthenticate(client, cast.coordinator)
    response = client.post(
        url(cast.traject),
        {"actie": "stoppen", "stoppen-reden": "Gaat terug naar het vorige beroep."},
    )
    assert response.status_code == 200  # the confirmation is missing
    cast.traject.refresh_from_db()
    assert cast.traject.status == Traject.Status.ACTIEF
    response = client.post(
        url(cast.traject),
        {
            "actie": "stoppen",
            "stoppen-reden": "Gaat terug naar het vorige beroep.",
            "stoppen-bevestig": "on",
        },
    )
    assert response.status_code == 302
    cast.traject.refresh_from_db()
    assert (cast.traject.status, cast.traject.fase) == (Traject.Status.GESTOPT, Stage.GESTOPT)
    assert not future.filter(status="gepland").exists()
    event = AuditEvent.objects.get(action="traject.stop")
    assert event.detail["reden"] == "Gaat terug naar het vorige beroep."
    client.force_login(cast.zij_instromer)
    page = client.get(reverse("trajecten:detail", args=[cast.traject.pk])).content.decode()
    assert "Dit traject is gestopt op" in page
    assert escape("Gaat terug naar het vorige beroep.") in page


def test_a_post_on_a_stopped_traject_changes_nothing(client, cast):
    services.traject_stoppen(traject=cast.traject, reden="Verhuisd", door=cast.coordinator)
    end = Traject.objects.get(pk=cast.traject.pk).end_date
    reauthenticate(client, cast.coordinator)
    response = client.post(
        url(cast.traject),
        {
            "actie": "verlengen",
            "verlengen-tot": (end + datetime.timedelta(days=30)).isoformat(),
            "verlengen-reden": "Ziekte",
            "verlengen-akkoord": "de opleiding",
        },
    )
    assert response.status_code == 302
    assert Traject.objects.get(pk=cast.traject.pk).end_date == end
    assert not Verlenging.objects.exists()


def test_future_conversations_at_the_old_school_move_with_the_traject(cast):
    """The planner's location follows the new school (a changed calendar event); a location
    someone typed, and conversations already held, stay as they were."""
    old_name = cast.traject.school.name
    gesprek_cycle_plan(traject=cast.traject)
    typed = (
        Gesprek.objects.filter(traject=cast.traject, starts_at__gt=timezone.now())
        .order_by("starts_at")
        .last()
    )
    typed.location = "Bibliotheek"
    typed.save(update_fields=["location"])
    held = f.GesprekFactory(traject=cast.traject, held=True, location=old_name)
    new_school = f.SchoolFactory(bestuur=cast.traject.school.bestuur, name="De Nieuwe School")
    future = Gesprek.objects.filter(
        traject=cast.traject, starts_at__gt=timezone.now(), location=old_name
    )
    sequences = dict(future.values_list("pk", "sequence"))
    assert sequences
    services.traject_school_wijzigen(
        traject=cast.traject,
        school=new_school,
        door=cast.coordinator,
        allowed_schools=services_schools(cast.coordinator),
    )
    for pk, sequence in sequences.items():
        gesprek = Gesprek.objects.get(pk=pk)
        assert gesprek.location == "De Nieuwe School"
        assert gesprek.sequence == sequence + 1
    typed.refresh_from_db()
    held.refresh_from_db()
    assert typed.location == "Bibliotheek"
    assert held.location == old_name

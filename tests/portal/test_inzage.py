"""A formal request for access under the AVG (issue 18): the coordinator registers it,
checks the coaches' and SLBs' private notes about the person, and releases the full export,
which holds those notes as checked; the self-service download says what it leaves out."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from gesprekken.services import prive_notitie_save
from portal import inzage
from portal.models import AuditEvent, Inzageverzoek, Notificatie
from tests import factories as f
from tests.trajecten.conftest import reauthenticate

pytestmark = pytest.mark.django_db

NOTE = "Sanne twijfelt aan haar keuze. Collega Jan van der Berg klaagde over de rekenles."
CHECKED = "Sanne twijfelt aan haar keuze."


@pytest.fixture
def notes(cast):
    gesprek = f.GesprekFactory(traject=cast.traject, held=True)
    coach_note = prive_notitie_save(gesprek=gesprek, user=cast.coach, tekst=NOTE, version=0)
    slb_note = prive_notitie_save(
        gesprek=gesprek, user=cast.slb, tekst="Heeft meer structuur nodig.", version=0
    )
    # A note on someone else's traject is never part of this person's request.
    other = f.TrajectFactory(school=cast.traject.school)
    prive_notitie_save(
        gesprek=f.GesprekFactory(traject=other), user=other.coach, tekst="Ander", version=0
    )
    return coach_note, slb_note


def _zip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_self_service_download_leaves_the_private_notes_out_and_says_so(client, cast, notes):
    reauthenticate(client, cast.zij_instromer)
    response = client.get(reverse("portal:mijn_gegevens"))
    files = _zip(b"".join(response.streaming_content) if response.streaming else response.content)
    assert NOTE.encode() not in files["data.json"]
    assert b"formeel inzageverzoek bij de co" in files["LEESMIJ.txt"]
    page = client.get(reverse("portal:instellingen")).content.decode()
    assert "formeel inzageverzoek" in page


def test_a_formal_request_releases_the_checked_notes_to_the_person(client, cast, notes):
    coach_note, slb_note = notes
    person = cast.zij_instromer
    reauthenticate(client, cast.coordinator)
    response = client.post(
        reverse("portal:mens_inzage", args=[person.pk]),
        {"ontvangen_op": timezone.localdate().isoformat(), "toelichting": "Per brief; ID gezien."},
    )
    verzoek = Inzageverzoek.objects.get(persoon=person)
    assert response.status_code == 302
    url = reverse("portal:inzage", args=[person.pk, verzoek.pk])
    page = client.get(url).content.decode()
    assert "Jan van der Berg" in page  # the coordinator reads the note to check it
    assert AuditEvent.objects.filter(action="inzage.notities_gelezen").exists()
    # Releasing before every note is checked is refused.
    client.post(url, {"verstrekken": "1"})
    verzoek.refresh_from_db()
    assert verzoek.status == Inzageverzoek.Status.ONTVANGEN
    client.post(url, {"notitie": coach_note.pk, "tekst": CHECKED})
    client.post(url, {"notitie": slb_note.pk, "tekst": slb_note.tekst})
    client.post(url, {"verstrekken": "1"})
    verzoek.refresh_from_db()
    assert verzoek.status == Inzageverzoek.Status.VERSTREKT
    assert Notificatie.objects.filter(user=person, kind="inzage").exists()
    coach_note.refresh_from_db()
    assert coach_note.tekst == NOTE  # the note itself is unchanged

    # The person downloads the full export from their settings page.
    reauthenticate(client, person)
    assert (
        reverse("portal:mijn_inzage", args=[verzoek.pk])
        in client.get(reverse("portal:instellingen")).content.decode()
    )
    response = client.get(reverse("portal:mijn_inzage", args=[verzoek.pk]))
    assert response.status_code == 200
    files = _zip(response.content)
    released = json.loads(files["prive-notities.json"])
    texts = sorted(n["tekst"] for n in released["notities"])
    assert texts == sorted([CHECKED, "Heeft meer structuur nodig."])
    assert "Jan van der Berg" not in files["prive-notities.json"].decode()
    assert "Ander" not in texts
    assert AuditEvent.objects.filter(action="inzage.download", actor=person).exists()


def test_only_the_coordinator_of_the_partnership_handles_it_and_only_the_person_downloads(
    client, cast, notes
):
    verzoek = inzage.inzageverzoek_register(
        person=cast.zij_instromer,
        partnerschap=cast.traject.school.bestuur.partnerschap,
        ontvangen_op=timezone.localdate(),
        toelichting="",
        door=cast.coordinator,
    )
    url = reverse("portal:inzage", args=[cast.zij_instromer.pk, verzoek.pk])
    for who in ("coach", "slb", "schoolleider", "outsider", "zij_instromer"):
        reauthenticate(client, getattr(cast, who))
        assert client.get(url).status_code == 404, who
    other_coordinator = f.UserFactory()
    f.PartnerschapFactory().coordinatoren.add(other_coordinator)
    reauthenticate(client, other_coordinator)
    assert client.get(url).status_code == 404
    # Not yet released: not even the person downloads it.
    reauthenticate(client, cast.zij_instromer)
    assert client.get(reverse("portal:mijn_inzage", args=[verzoek.pk])).status_code == 404
    reauthenticate(client, cast.coach)
    assert client.get(reverse("portal:mijn_inzage", args=[verzoek.pk])).status_code == 404


def test_a_note_of_another_traject_or_a_future_date_is_refused(cast, notes):
    ps = cast.traject.school.bestuur.partnerschap
    with pytest.raises(ValidationError):
        inzage.inzageverzoek_register(
            person=cast.zij_instromer,
            partnerschap=ps,
            ontvangen_op=timezone.localdate() + datetime.timedelta(days=1),
            toelichting="",
            door=cast.coordinator,
        )
    verzoek = inzage.inzageverzoek_register(
        person=cast.zij_instromer,
        partnerschap=ps,
        ontvangen_op=timezone.localdate(),
        toelichting="",
        door=cast.coordinator,
    )
    from gesprekken.models import PriveNotitie

    foreign = PriveNotitie.objects.get(tekst="Ander")
    with pytest.raises(ValidationError):
        inzage.inzage_note_release(
            verzoek=verzoek, notitie_id=foreign.pk, tekst="x", door=cast.coordinator
        )
    assert inzage.term_of(verzoek) == timezone.localdate() + datetime.timedelta(days=30)

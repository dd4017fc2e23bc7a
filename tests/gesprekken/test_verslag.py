"""The report: written by the SLB (coach co-edits) with afspraken and tagged signalen,
signed by the three, then locked; corrections are addenda; concurrent edits are refused."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from gesprekken import services
from gesprekken.models import Addendum, Afspraak, Handtekening, Signaal, Verslag
from portal.models import AuditEvent
from tests import factories as f

pytestmark = pytest.mark.django_db


def _post_data(
    cast,
    *,
    version=0,
    tekst="Goed gesprek.",
    koers="op_koers",
    reden="",
    afspraken=(),
    signalen=(),
    existing_afspraken=(),
    existing_signalen=(),
):
    data = {"tekst": tekst, "koers": koers, "koers_reden": reden, "version": version}
    rows = [*existing_afspraken, *afspraken]
    data.update(
        {
            "afspraken-TOTAL_FORMS": len(rows) + 1,
            "afspraken-INITIAL_FORMS": len(existing_afspraken),
            "afspraken-MIN_NUM_FORMS": 0,
            "afspraken-MAX_NUM_FORMS": 30,
        }
    )
    for i, row in enumerate(rows):
        for k, v in row.items():
            data[f"afspraken-{i}-{k}"] = v
    rows = [*existing_signalen, *signalen]
    data.update(
        {
            "signalen-TOTAL_FORMS": len(rows) + 1,
            "signalen-INITIAL_FORMS": len(existing_signalen),
            "signalen-MIN_NUM_FORMS": 0,
            "signalen-MAX_NUM_FORMS": 30,
        }
    )
    for i, row in enumerate(rows):
        for k, v in row.items():
            data[f"signalen-{i}-{k}"] = v
    return data


def _tags(cast, *names):
    ps = cast.traject.school.bestuur.partnerschap
    return [f.SignaalTagFactory(partnerschap=ps, name=n) for n in names]


def test_slb_writes_a_report_with_afspraken_and_tagged_signalen(cast, client, gesprek):
    werkdruk, team = _tags(cast, "werkdruk", "team")
    due = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    client.force_login(cast.slb)
    response = client.post(
        reverse("gesprekken:verslag", args=[gesprek.pk]),
        _post_data(
            cast,
            koers="aandacht",
            reden="Studiedag staat onder druk.",
            afspraken=[
                {"omschrijving": "Gesprek met directie", "owner": cast.slb.pk, "due_date": due},
                {"omschrijving": "Lesbezoek", "owner": cast.coach.pk, "due_date": due},
            ],
            signalen=[
                {"soort": "belemmering", "tekst": "Te veel nakijkwerk.", "tags": [werkdruk.pk]},
                {"soort": "succes", "tekst": "Het team helpt.", "tags": [team.pk]},
                {
                    "soort": "ondersteuning",
                    "tekst": "Hulp bij plannen.",
                    "tags": [werkdruk.pk, team.pk],
                },
            ],
        ),
    )
    assert response.status_code == 302
    verslag = Verslag.objects.get(gesprek=gesprek)
    assert verslag.koers == "aandacht" and verslag.version == 1 and not verslag.is_locked
    assert [(a.omschrijving, a.owner) for a in verslag.afspraken.all()] == [
        ("Gesprek met directie", cast.slb),
        ("Lesbezoek", cast.coach),
    ]
    assert {s.soort for s in verslag.signalen.all()} == {"belemmering", "succes", "ondersteuning"}
    assert set(Signaal.objects.get(soort="ondersteuning").tags.all()) == {werkdruk, team}


def test_off_track_needs_a_reason(cast, client, gesprek):
    client.force_login(cast.slb)
    response = client.post(
        reverse("gesprekken:verslag", args=[gesprek.pk]), _post_data(cast, koers="uit_koers")
    )
    assert response.status_code == 400
    assert "Geef een reden." in response.content.decode()


def test_afspraak_owner_must_be_one_of_the_three(cast, client, gesprek):
    client.force_login(cast.slb)
    response = client.post(
        reverse("gesprekken:verslag", args=[gesprek.pk]),
        _post_data(
            cast, afspraken=[{"omschrijving": "x", "owner": cast.duo.pk, "due_date": "2030-01-01"}]
        ),
    )
    assert response.status_code == 400
    assert not Verslag.objects.exists()


def test_inactive_and_foreign_tags_are_not_offered(cast, client, gesprek):
    (old,) = _tags(cast, "TAG-UITGEZET")
    old.is_active = False
    old.save()
    foreign = f.SignaalTagFactory(name="TAG-ELDERS")
    client.force_login(cast.slb)
    page = client.get(reverse("gesprekken:verslag", args=[gesprek.pk])).content.decode()
    assert "TAG-UITGEZET" not in page and "TAG-ELDERS" not in page
    response = client.post(
        reverse("gesprekken:verslag", args=[gesprek.pk]),
        _post_data(cast, signalen=[{"soort": "succes", "tekst": "x", "tags": [foreign.pk]}]),
    )
    assert response.status_code == 400


def test_second_of_two_concurrent_edits_is_refused_and_keeps_its_text(cast, client, verslag):
    # Coach and SLB both opened version 1; the coach saves first.
    client.force_login(cast.coach)
    assert (
        client.post(
            reverse("gesprekken:verslag", args=[verslag.gesprek.pk]),
            _post_data(cast, version=1, tekst="Tekst van de coach"),
        ).status_code
        == 302
    )
    client.force_login(cast.slb)
    response = client.post(
        reverse("gesprekken:verslag", args=[verslag.gesprek.pk]),
        _post_data(cast, version=1, tekst="Tekst van de SLB"),
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Tekst van de SLB" in page  # kept in the form
    assert "Tekst van de coach" in page  # the saved version is shown beside it
    assert "niets overschreven" in page
    verslag.refresh_from_db()
    assert verslag.tekst == "Tekst van de coach" and verslag.version == 2
    # Having seen the conflict, a second save (now carrying version 2) is deliberate.
    response = client.post(
        reverse("gesprekken:verslag", args=[verslag.gesprek.pk]),
        _post_data(cast, version=2, tekst="Samengevoegd"),
    )
    assert response.status_code == 302
    verslag.refresh_from_db()
    assert verslag.tekst == "Samengevoegd" and verslag.version == 3


def test_two_new_reports_at_once_the_second_is_refused(cast, gesprek):
    args = dict(
        gesprek=gesprek,
        version=0,
        tekst="a",
        koers="op_koers",
        koers_reden="",
        afspraken=[],
        signalen=[],
    )
    services.verslag_save(actor=cast.slb, **args)
    with pytest.raises(services.StaleVersion):
        services.verslag_save(actor=cast.coach, **args)


def test_the_three_sign_and_the_last_signature_locks_the_report(cast, client, verslag):
    url = reverse("gesprekken:sign", args=[verslag.gesprek.pk])
    for who in ("zij_instromer", "coach"):
        client.force_login(getattr(cast, who))
        client.post(url, {"version": 1})
        verslag.refresh_from_db()
        assert not verslag.is_locked
    client.force_login(cast.slb)
    client.post(url, {"version": 1})
    verslag.refresh_from_db()
    assert verslag.is_locked
    assert Handtekening.objects.filter(verslag=verslag).count() == 3
    assert AuditEvent.objects.filter(action="verslag.sign").count() == 3
    assert AuditEvent.objects.filter(action="verslag.lock").count() == 1


def test_signing_twice_counts_once(cast, verslag):
    services.verslag_sign(verslag=verslag, user=cast.coach, version=1)
    services.verslag_sign(verslag=verslag, user=cast.coach, version=1)
    assert Handtekening.objects.count() == 1


def test_an_edit_after_a_signature_asks_for_a_new_one(cast, client, verslag):
    services.verslag_sign(verslag=verslag, user=cast.zij_instromer, version=1)
    client.force_login(cast.slb)
    client.post(
        reverse("gesprekken:verslag", args=[verslag.gesprek.pk]),
        _post_data(cast, version=1, tekst="Aangevuld"),
    )
    verslag.refresh_from_db()
    assert services.valid_signatures(verslag) == {}
    client.force_login(cast.zij_instromer)
    page = client.get(reverse("gesprekken:detail", args=[verslag.gesprek.pk])).content.decode()
    assert "tekende een eerdere versie" in page and "Versie 2 ondertekenen" in page


def test_signing_a_version_that_changed_meanwhile_is_refused(cast, verslag):
    services.verslag_save(
        gesprek=verslag.gesprek,
        actor=cast.slb,
        version=1,
        tekst="nieuw",
        koers="op_koers",
        koers_reden="",
        afspraken=[],
        signalen=[],
    )
    with pytest.raises(services.StaleVersion):
        services.verslag_sign(verslag=verslag, user=cast.zij_instromer, version=1)


def test_a_locked_report_refuses_edits(cast, client, signed_verslag):
    gesprek = signed_verslag.gesprek
    client.force_login(cast.slb)
    response = client.get(reverse("gesprekken:verslag", args=[gesprek.pk]))
    assert response.status_code == 302
    response = client.post(
        reverse("gesprekken:verslag", args=[gesprek.pk]),
        _post_data(cast, version=signed_verslag.version, tekst="Gewijzigd"),
        follow=True,
    )
    assert "kan niet meer worden gewijzigd" in response.content.decode()
    signed_verslag.refresh_from_db()
    assert signed_verslag.tekst != "Gewijzigd"
    with pytest.raises(services.VerslagLocked):
        services.verslag_save(
            gesprek=gesprek,
            actor=cast.slb,
            version=signed_verslag.version,
            tekst="x",
            koers="op_koers",
            koers_reden="",
            afspraken=[],
            signalen=[],
        )


def test_corrections_to_a_locked_report_are_addenda_with_who_and_when(cast, client, signed_verslag):
    client.force_login(cast.zij_instromer)
    url = reverse("gesprekken:addendum", args=[signed_verslag.gesprek.pk])
    client.post(url, {"tekst": "Correctie: het was groep 5."})
    addendum = Addendum.objects.get()
    assert addendum.auteur == cast.zij_instromer and addendum.created_at
    assert AuditEvent.objects.filter(action="verslag.addendum").exists()
    page = client.get(reverse("gesprekken:detail", args=[signed_verslag.gesprek.pk]))
    assert "Correctie: het was groep 5." in page.content.decode()


def test_no_addendum_on_a_draft(cast, client, verslag):
    client.force_login(cast.slb)
    response = client.post(
        reverse("gesprekken:addendum", args=[verslag.gesprek.pk]), {"tekst": "x"}
    )
    assert response.status_code == 403


def test_an_afspraak_can_be_marked_done_after_the_lock(cast, client, signed_verslag):
    afspraak = signed_verslag.afspraken.get()
    client.force_login(cast.zij_instromer)
    client.post(reverse("gesprekken:afspraak_done", args=[afspraak.pk]), {"done": "1"})
    afspraak.refresh_from_db()
    assert afspraak.is_done and afspraak.done_by == cast.zij_instromer


def test_saving_without_changes_does_not_break_signatures(cast, client, verslag):
    services.verslag_sign(verslag=verslag, user=cast.coach, version=1)
    client.force_login(cast.slb)
    client.post(
        reverse("gesprekken:verslag", args=[verslag.gesprek.pk]),
        _post_data(cast, version=1, tekst=verslag.tekst),
    )
    verslag.refresh_from_db()
    assert verslag.version == 1 and "coach" in services.valid_signatures(verslag)


def test_existing_afspraken_can_be_edited_and_removed_before_the_lock(cast, client, verslag):
    a1 = f.AfspraakFactory(verslag=verslag, omschrijving="Eerste")
    a2 = f.AfspraakFactory(verslag=verslag, omschrijving="Tweede")
    client.force_login(cast.slb)
    due = a1.due_date.isoformat()
    client.post(
        reverse("gesprekken:verslag", args=[verslag.gesprek.pk]),
        _post_data(
            cast,
            version=1,
            existing_afspraken=[
                {
                    "id": a1.pk,
                    "omschrijving": "Eerste, aangepast",
                    "owner": cast.coach.pk,
                    "due_date": due,
                },
                {
                    "id": a2.pk,
                    "omschrijving": "Tweede",
                    "owner": a2.owner.pk,
                    "due_date": due,
                    "DELETE": "on",
                },
            ],
        ),
    )
    assert list(Afspraak.objects.values_list("omschrijving", "owner")) == [
        ("Eerste, aangepast", cast.coach.pk)
    ]


def test_a_half_filled_afspraak_row_asks_for_the_rest(cast, client, gesprek):
    client.force_login(cast.slb)
    response = client.post(
        reverse("gesprekken:verslag", args=[gesprek.pk]),
        _post_data(cast, afspraken=[{"omschrijving": "Lesbezoek", "owner": "", "due_date": ""}]),
    )
    assert response.status_code == 400
    assert response.content.decode().count("Vul dit veld in.") == 2
    assert "Lesbezoek" in response.content.decode()
    assert not Verslag.objects.exists()

"""Views of the Proeve: planning, blind judgement, the joint oordeel, signing with
re-authentication, addenda, the PDF; for each role, outsiders and anonymous."""

from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils.html import escape

from bekwaamheid import services
from bekwaamheid.models import Beoordeling, Ondertekening, Oordeel, Proeve
from tests import factories as f
from tests.bekwaamheid.helpers import agreed, all_levels, judged, plan, submit

pytestmark = pytest.mark.django_db


def as_user(client, user):
    client.force_login(user)
    return client


def reauth(client):
    response = client.post(reverse("account_reauthenticate"), {"password": f.PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def planned(world):
    return plan(world, submit(world))


def who(world, name):
    extra = {
        "veld": world.veld,
        "opleiding": world.opleiding,
        "other_assessor": world.other_assessor,
        "docent": world.docent,
        "outsider": world.cast.outsider,
    }
    return extra.get(name) or getattr(world.cast, name)


def rubric_post(proeve, niveau=3, **extra):
    data = {}
    for eis in f.active_kader().eisen.all():
        data[f"niveau_{eis.pk}"] = niveau
        data[f"motivatie_{eis.pk}"] = f"Motivering {eis.code}"
    return {**data, **extra}


# --- lists -----------------------------------------------------------------------------------


def test_assessor_list_shows_only_their_proeven(
    client, world, planned, django_assert_max_num_queries
):
    mine = planned
    other_world_traject = f.TrajectFactory()
    other = f.ProeveFactory(dossier=f.DossierFactory(traject=other_world_traject))
    as_user(client, world.veld)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("bekwaamheid:proeven")).content.decode()
    assert reverse("bekwaamheid:proeve", args=[mine.pk]) in page
    assert reverse("bekwaamheid:proeve", args=[other.pk]) not in page
    assert escape(world.cast.zij_instromer.get_full_name()) in page


def test_assessor_in_the_pool_without_assignments_sees_an_empty_list(client, world, planned):
    page = as_user(client, world.other_assessor).get(reverse("bekwaamheid:proeven"))
    assert page.status_code == 200
    assert escape(world.cast.zij_instromer.get_full_name()) not in page.content.decode()


def test_coordinator_list_shows_proeven_to_plan(client, world):
    proeve = submit(world)
    page = (
        as_user(client, world.cast.coordinator).get(reverse("bekwaamheid:proeven")).content.decode()
    )
    assert "Te plannen" in page and reverse("bekwaamheid:proeve", args=[proeve.pk]) in page


def test_coordinator_sees_all_proeven_of_the_partnership_a_page_at_a_time(client, world):
    """55 finished Proeven in the partnership, one submitted: the submitted one waits to be
    planned on every page; all Proeven are spread over two pages of 50 without a repeat."""
    waiting = submit(world)
    finished = [
        f.proeve(f.TrajectFactory(school=world.cast.traject.school), 1, "voldoende")
        for _ in range(55)
    ]
    client = as_user(client, world.cast.coordinator)
    first = client.get(reverse("bekwaamheid:proeven"))
    second = client.get(reverse("bekwaamheid:proeven"), {"page": 2})
    seen = [p.pk for p in first.context["coordinated"]] + [
        p.pk for p in second.context["coordinated"]
    ]
    assert len(first.context["coordinated"]) == 50
    assert sorted(seen) == sorted([waiting.pk, *(p.pk for p in finished)])
    for response in (first, second):
        html = response.content.decode()
        assert [p.pk for p in response.context["te_plannen"]] == [waiting.pk]
        assert "56 Proeven" in html
    assert "Pagina 1 van 2" in first.content.decode()
    assert "?page=2#h-alle" in first.content.decode()


@pytest.mark.parametrize("name", ["zij_instromer", "coach", "outsider"])
def test_proeven_list_is_403_for_people_without_proeven(client, world, name):
    assert as_user(client, who(world, name)).get(reverse("bekwaamheid:proeven")).status_code == 403


# --- the Proeve page ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["zij_instromer", "coach", "slb", "coordinator", "veld", "opleiding"]
)
def test_proeve_page_for_those_involved(client, world, planned, name):
    response = as_user(client, who(world, name)).get(
        reverse("bekwaamheid:proeve", args=[planned.pk])
    )
    assert response.status_code == 200
    assert "Proeve van bekwaamheid" in response.content.decode()


@pytest.mark.parametrize("name", ["duo", "schoolleider"])
def test_proeve_page_is_403_for_other_traject_roles(client, world, planned, name):
    response = as_user(client, who(world, name)).get(
        reverse("bekwaamheid:proeve", args=[planned.pk])
    )
    assert response.status_code == 403


@pytest.mark.parametrize("name", ["other_assessor", "outsider", "other_coach", "docent"])
def test_proeve_page_is_404_for_outsiders_and_other_assessors(client, world, planned, name):
    response = as_user(client, who(world, name)).get(
        reverse("bekwaamheid:proeve", args=[planned.pk])
    )
    assert response.status_code == 404


def test_anonymous_is_sent_to_login_for_every_proeve_page(client, planned):
    for name in (
        "proeve",
        "proeve_dossier",
        "proeve_plan",
        "beoordeling",
        "oordeel",
        "oordeel_sign",
        "pdf_status",
        "pdf",
    ):
        response = client.get(reverse(f"bekwaamheid:{name}", args=[planned.pk]))
        assert response.status_code == 302 and "/account/login/" in response["Location"], name


# --- snapshot -------------------------------------------------------------------------------


def test_assessor_sees_the_frozen_snapshot_not_later_edits(client, world, planned):
    services.feedback_post(
        onderzoeksopdracht=world.work, by=world.cast.coach, tekst="Na indienen geschreven"
    )
    page = (
        as_user(client, world.veld)
        .get(reverse("bekwaamheid:proeve_dossier", args=[planned.pk]))
        .content.decode()
    )
    assert "Goed lesdoel op het bord." in page
    assert "Na indienen geschreven" not in page


def test_snapshot_evidence_downloads_for_assessors_only_when_in_the_snapshot(
    client, world, planned
):
    url = reverse("bekwaamheid:proeve_bewijsstuk", args=[planned.pk, world.bewijs.pk])
    assert as_user(client, world.veld).get(url).status_code == 200
    later = f.BewijsstukFactory(onderzoeksopdracht=world.work)
    assert (
        client.get(
            reverse("bekwaamheid:proeve_bewijsstuk", args=[planned.pk, later.pk])
        ).status_code
        == 404
    )
    assert as_user(client, world.other_assessor).get(url).status_code == 404
    assert as_user(client, world.cast.outsider).get(url).status_code == 404
    # The live evidence route stays closed to assessors.
    assert (
        as_user(client, world.veld)
        .get(reverse("bekwaamheid:bewijsstuk", args=[world.bewijs.pk]))
        .status_code
        == 404
    )


def test_assessor_cannot_open_the_live_dossier_or_work(client, world, planned):
    as_user(client, world.veld)
    assert (
        client.get(reverse("bekwaamheid:dossier", args=[world.cast.traject.pk])).status_code == 404
    )
    assert (
        client.get(reverse("bekwaamheid:onderzoeksopdracht", args=[world.work.pk])).status_code
        == 404
    )


# --- planning ------------------------------------------------------------------------------------


def test_coordinator_plans_the_proeve(client, world):
    proeve = submit(world)
    as_user(client, world.cast.coordinator)
    url = reverse("bekwaamheid:proeve_plan", args=[proeve.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "datum": "2030-03-02T10:00",
            "locatie": "Lokaal 1",
            "veldassessor": world.veld.pk,
            "opleidingsassessor": world.opleiding.pk,
            "version": 1,
        },
    )
    assert response.status_code == 302
    proeve.refresh_from_db()
    assert proeve.status == "gepland" and proeve.veldassessor == world.veld


def test_planning_with_the_same_assessor_twice_is_refused(client, world):
    proeve = submit(world)
    response = as_user(client, world.cast.coordinator).post(
        reverse("bekwaamheid:proeve_plan", args=[proeve.pk]),
        {
            "datum": "2030-03-02T10:00",
            "veldassessor": world.veld.pk,
            "opleidingsassessor": world.veld.pk,
            "version": 1,
        },
    )
    assert response.status_code == 400
    assert "verschillende personen" in response.content.decode()
    proeve.refresh_from_db()
    assert proeve.status == "ingediend"


def test_planning_with_someone_outside_the_pool_is_refused(client, world):
    proeve = submit(world)
    response = as_user(client, world.cast.coordinator).post(
        reverse("bekwaamheid:proeve_plan", args=[proeve.pk]),
        {
            "datum": "2030-03-02T10:00",
            "veldassessor": world.veld.pk,
            "opleidingsassessor": world.cast.outsider.pk,
            "version": 1,
        },
    )
    assert response.status_code == 400
    proeve.refresh_from_db()
    assert proeve.opleidingsassessor is None


@pytest.mark.parametrize("name, status", [("zij_instromer", 403), ("veld", 403), ("outsider", 404)])
def test_planning_by_others_is_refused(client, world, planned, name, status):
    url = reverse("bekwaamheid:proeve_plan", args=[planned.pk])
    assert as_user(client, who(world, name)).get(url).status_code == status


# --- blind judgement -----------------------------------------------------------------------------


def test_assessor_saves_a_draft_and_then_records(client, world, planned):
    as_user(client, world.veld)
    url = reverse("bekwaamheid:beoordeling", args=[planned.pk])
    assert client.get(url).status_code == 200
    client.post(url, rubric_post(planned, opslaan="1"))
    beoordeling = Beoordeling.objects.get(rol="veld")
    assert beoordeling.recorded_at is None and beoordeling.regels.count() == 9
    response = client.post(url, rubric_post(planned, vastleggen="1", version=beoordeling.version))
    assert response.status_code == 302
    beoordeling.refresh_from_db()
    assert beoordeling.recorded_at is not None


def test_recording_an_incomplete_judgement_shows_errors_and_records_nothing(client, world, planned):
    as_user(client, world.veld)
    data = rubric_post(planned, vastleggen="1")
    first = f.active_kader().eisen.first()
    data[f"motivatie_{first.pk}"] = ""
    response = client.post(reverse("bekwaamheid:beoordeling", args=[planned.pk]), data)
    assert response.status_code == 400
    assert "Geef een motivering." in response.content.decode()
    assert not Beoordeling.objects.filter(recorded_at__isnull=False).exists()


def test_an_assessor_judging_a_proeve_not_theirs_gets_404(client, world, planned):
    response = as_user(client, world.other_assessor).post(
        reverse("bekwaamheid:beoordeling", args=[planned.pk]), rubric_post(planned, vastleggen="1")
    )
    assert response.status_code == 404
    assert not Beoordeling.objects.exists()


@pytest.mark.parametrize("name", ["zij_instromer", "coordinator", "coach"])
def test_traject_roles_may_not_judge(client, world, planned, name):
    response = as_user(client, who(world, name)).post(
        reverse("bekwaamheid:beoordeling", args=[planned.pk]), rubric_post(planned, vastleggen="1")
    )
    assert response.status_code == 403


def test_the_other_judgement_stays_hidden_until_both_recorded(client, world, planned):
    services.beoordeling_save(
        proeve=planned,
        by=world.opleiding,
        regels=all_levels(planned, 2, "GEHEIME-MOTIVERING"),
        record=True,
    )
    as_user(client, world.veld)
    page = client.get(reverse("bekwaamheid:proeve", args=[planned.pk])).content.decode()
    form = client.get(reverse("bekwaamheid:beoordeling", args=[planned.pk])).content.decode()
    assert "GEHEIME-MOTIVERING" not in page and "GEHEIME-MOTIVERING" not in form
    assert "verborgen" in page
    # Nor to the side-entrant, coach or coordinator, nor in a PDF made now.
    for user in (world.cast.zij_instromer, world.cast.coordinator):
        assert (
            "GEHEIME-MOTIVERING"
            not in as_user(client, user)
            .get(reverse("bekwaamheid:proeve", args=[planned.pk]))
            .content.decode()
        )
    services.beoordeling_save(
        proeve=planned, by=world.veld, regels=all_levels(planned), record=True
    )
    page = (
        as_user(client, world.veld)
        .get(reverse("bekwaamheid:proeve", args=[planned.pk]))
        .content.decode()
    )
    assert "GEHEIME-MOTIVERING" in page
    assert (
        "GEHEIME-MOTIVERING"
        not in as_user(client, world.cast.zij_instromer)
        .get(reverse("bekwaamheid:proeve", args=[planned.pk]))
        .content.decode()
    )


# --- the joint oordeel and signing ----------------------------------------------------------------


def test_oordeel_form_waits_for_both_judgements(client, world, planned):
    response = as_user(client, world.veld).get(reverse("bekwaamheid:oordeel", args=[planned.pk]))
    assert response.status_code == 302
    assert not Oordeel.objects.exists()


def test_assessors_write_the_joint_oordeel(client, world, planned):
    judged(world, planned)
    as_user(client, world.opleiding)
    url = reverse("bekwaamheid:oordeel", args=[planned.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, rubric_post(planned, uitslag="voldoende", motivatie="Samen eens.", version=0)
    )
    assert response.status_code == 302
    assert Oordeel.objects.get().uitslag == "voldoende"


@pytest.mark.parametrize(
    "name, status",
    [("zij_instromer", 403), ("coordinator", 403), ("other_assessor", 404), ("outsider", 404)],
)
def test_others_may_not_write_the_oordeel(client, world, planned, name, status):
    judged(world, planned)
    response = as_user(client, who(world, name)).post(
        reverse("bekwaamheid:oordeel", args=[planned.pk]),
        rubric_post(planned, uitslag="voldoende", motivatie="x", version=0),
    )
    assert response.status_code == status
    assert not Oordeel.objects.exists()


def test_signing_requires_reauthentication(client, world, planned):
    judged(world, planned)
    oordeel = agreed(world, planned)
    as_user(client, world.veld)
    url = reverse("bekwaamheid:oordeel_sign", args=[planned.pk])
    response = client.post(url, {"version": oordeel.version, "akkoord": "on"})
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response["Location"]
    assert not Ondertekening.objects.exists()
    reauth(client)
    assert client.get(url).status_code == 200
    response = client.post(url, {"version": oordeel.version, "akkoord": "on"})
    assert response.status_code == 302
    assert Ondertekening.objects.get().assessor == world.veld


def test_both_sign_and_a_further_signature_is_refused(client, world, planned):
    judged(world, planned)
    oordeel = agreed(world, planned)
    url = reverse("bekwaamheid:oordeel_sign", args=[planned.pk])
    for assessor in (world.veld, world.opleiding):
        as_user(client, assessor)
        reauth(client)
        client.post(url, {"version": oordeel.version, "akkoord": "on"})
    oordeel.refresh_from_db()
    assert oordeel.is_locked
    response = client.post(url, {"version": oordeel.version, "akkoord": "on"}, follow=True)
    assert "ligt vast" in response.content.decode()
    assert Ondertekening.objects.count() == 2
    planned.refresh_from_db()
    assert planned.status == "afgerond" and planned.uitslag == "voldoende"
    # Once signed, the oordeel is visible to the side-entrant.
    page = (
        as_user(client, world.cast.zij_instromer)
        .get(reverse("bekwaamheid:proeve", args=[planned.pk]))
        .content.decode()
    )
    assert "Gezamenlijk oordeel" in page


def test_sign_without_consent_is_refused(client, world, planned):
    judged(world, planned)
    oordeel = agreed(world, planned)
    as_user(client, world.veld)
    reauth(client)
    response = client.post(
        reverse("bekwaamheid:oordeel_sign", args=[planned.pk]), {"version": oordeel.version}
    )
    assert response.status_code == 400
    assert not Ondertekening.objects.exists()


@pytest.mark.parametrize(
    "name, status", [("zij_instromer", 403), ("coordinator", 403), ("other_assessor", 404)]
)
def test_others_may_not_sign(client, world, planned, name, status):
    judged(world, planned)
    oordeel = agreed(world, planned)
    as_user(client, who(world, name))
    reauth(client)
    response = client.post(
        reverse("bekwaamheid:oordeel_sign", args=[planned.pk]),
        {"version": oordeel.version, "akkoord": "on"},
    )
    assert response.status_code == status
    assert not Ondertekening.objects.exists()


def test_withdrawing_a_signature_through_the_page(client, world, planned):
    judged(world, planned)
    oordeel = agreed(world, planned)
    services.oordeel_sign(oordeel=oordeel, by=world.veld, version=oordeel.version)
    assert (
        as_user(client, world.cast.zij_instromer)
        .post(reverse("bekwaamheid:oordeel_unsign", args=[planned.pk]))
        .status_code
        == 403
    )
    as_user(client, world.veld).post(reverse("bekwaamheid:oordeel_unsign", args=[planned.pk]))
    assert not Ondertekening.objects.exists()


def signed_by_both(world, proeve, uitslag="voldoende"):
    judged(world, proeve)
    oordeel = agreed(world, proeve, uitslag)
    services.oordeel_sign(oordeel=oordeel, by=world.veld, version=oordeel.version)
    services.oordeel_sign(oordeel=oordeel, by=world.opleiding, version=oordeel.version)
    proeve.refresh_from_db()
    return oordeel


def test_addendum_by_assessor_or_coordinator_after_signing(client, world, planned):
    oordeel = signed_by_both(world, planned)
    url = reverse("bekwaamheid:oordeel_addendum", args=[planned.pk])
    assert as_user(client, world.cast.zij_instromer).post(url, {"tekst": "x"}).status_code == 403
    assert as_user(client, world.other_assessor).post(url, {"tekst": "x"}).status_code == 404
    as_user(client, world.cast.coordinator).post(url, {"tekst": "Datum gecorrigeerd."})
    assert oordeel.addenda.get().tekst == "Datum gecorrigeerd."


def test_oordeel_edit_after_signing_is_refused(client, world, planned):
    oordeel = signed_by_both(world, planned)
    response = as_user(client, world.veld).post(
        reverse("bekwaamheid:oordeel", args=[planned.pk]),
        rubric_post(planned, uitslag="onvoldoende", motivatie="anders", version=oordeel.version),
    )
    assert response.status_code == 302
    oordeel.refresh_from_db()
    assert oordeel.uitslag == "voldoende"


def test_onvoldoende_shows_the_herkansing(client, world, planned):
    signed_by_both(world, planned, "onvoldoende")
    herkansing = Proeve.objects.get(herkansing_van=planned)
    page = (
        as_user(client, world.cast.zij_instromer)
        .get(reverse("bekwaamheid:proeve", args=[planned.pk]))
        .content.decode()
    )
    assert reverse("bekwaamheid:proeve", args=[herkansing.pk]) in page
    dossier = client.get(
        reverse("bekwaamheid:dossier", args=[world.cast.traject.pk])
    ).content.decode()
    assert "Dossier indienen voor de Proeve" in dossier


def test_coordinator_finishes_the_traject_after_a_voldoende(client, world, planned):
    signed_by_both(world, planned)
    url = reverse("bekwaamheid:traject_afronden", args=[planned.pk])
    assert as_user(client, world.veld).post(url).status_code == 403
    assert as_user(client, world.cast.zij_instromer).post(url).status_code == 403
    as_user(client, world.cast.coordinator).post(url)
    world.cast.traject.refresh_from_db()
    assert world.cast.traject.status == "afgerond"


# --- the PDF -------------------------------------------------------------------------------------


def test_pdf_is_requested_polled_and_downloaded(client, world, planned):
    as_user(client, world.cast.zij_instromer)
    assert client.get(reverse("bekwaamheid:pdf", args=[planned.pk])).status_code == 404
    status = client.get(reverse("bekwaamheid:pdf_status", args=[planned.pk])).json()
    assert status == {"ready": False, "status": "geen"}
    client.post(reverse("bekwaamheid:pdf_request", args=[planned.pk]))
    planned.refresh_from_db()
    # Tests run inside a transaction: the task runs when the test commits; run it here.
    assert planned.pdf_status == "bezig"
    page = client.get(reverse("bekwaamheid:proeve", args=[planned.pk])).content.decode()
    poll_url = reverse("bekwaamheid:pdf_status", args=[planned.pk])
    assert f'data-poll-url="{poll_url}"' in page
    services.proeve_pdf_render(proeve_id=planned.pk)
    assert client.get(reverse("bekwaamheid:pdf_status", args=[planned.pk])).json()["ready"]
    response = client.get(reverse("bekwaamheid:pdf", args=[planned.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    # A name with an accent (Joël) is sent RFC 5987-encoded (filename*=utf-8''...).
    assert "Proeve van bekwaamheid" in unquote(response["Content-Disposition"])


@pytest.mark.parametrize("name, status", [("outsider", 404), ("other_assessor", 404), ("duo", 403)])
def test_pdf_is_refused_to_others(client, world, planned, name, status):
    services.proeve_pdf_render(proeve_id=planned.pk)
    for route in ("pdf", "pdf_status"):
        response = as_user(client, who(world, name)).get(
            reverse(f"bekwaamheid:{route}", args=[planned.pk])
        )
        assert response.status_code == status
    assert (
        as_user(client, who(world, name))
        .post(reverse("bekwaamheid:pdf_request", args=[planned.pk]))
        .status_code
        == status
    )


@pytest.mark.parametrize("name", ["veld", "coordinator", "coach"])
def test_pdf_downloads_for_others_involved(client, world, planned, name):
    services.proeve_pdf_render(proeve_id=planned.pk)
    response = as_user(client, who(world, name)).get(reverse("bekwaamheid:pdf", args=[planned.pk]))
    assert response.status_code == 200


# --- the panel on the traject page ----------------------------------------------------------


def test_traject_page_shows_the_dossier_panel_with_links(client, world, planned):
    page = (
        as_user(client, world.cast.coach)
        .get(reverse("trajecten:detail", args=[world.cast.traject.pk]))
        .content.decode()
    )
    assert "Bekwaamheidsdossier" in page
    assert reverse("bekwaamheid:dossier", args=[world.cast.traject.pk]) in page
    assert reverse("bekwaamheid:proeve", args=[planned.pk]) in page


def test_school_leader_sees_the_panel_without_dossier_links(client, world, planned):
    page = (
        as_user(client, world.cast.schoolleider)
        .get(reverse("trajecten:detail", args=[world.cast.traject.pk]))
        .content.decode()
    )
    assert reverse("bekwaamheid:dossier", args=[world.cast.traject.pk]) not in page


# --- the verdict only from the Proeve's day (issue 18, case 3) ---------------------------


@pytest.fixture
def next_week(world):
    import datetime

    from django.utils import timezone

    return plan(world, submit(world), datum=timezone.now() + datetime.timedelta(days=7))


def test_a_verdict_is_drafted_before_the_proeve_but_signed_only_from_its_day(
    client, world, next_week
):
    import datetime

    import time_machine
    from django.utils import timezone

    judged(world, next_week)
    oordeel = agreed(world, next_week)  # drafting is allowed
    with pytest.raises(services.Refused) as exc:
        services.oordeel_sign(oordeel=oordeel, by=world.veld, version=oordeel.version)
    day = timezone.localdate(next_week.datum)
    assert f"{day:%d-%m-%Y}" in str(exc.value)
    # Through the page: no sign button but the day; the POST is refused.
    as_user(client, world.veld)
    reauth(client)
    page = client.get(reverse("bekwaamheid:proeve", args=[next_week.pk])).content.decode()
    assert "Ondertekenen kan vanaf de dag van de Proeve" in page
    assert reverse("bekwaamheid:oordeel_sign", args=[next_week.pk]) not in page
    response = client.post(
        reverse("bekwaamheid:oordeel_sign", args=[next_week.pk]),
        {"version": oordeel.version, "akkoord": "on"},
        follow=True,
    )
    assert "kan pas worden ondertekend vanaf de dag van de Proeve" in response.content.decode()
    assert not Ondertekening.objects.exists()
    # On the day itself, early in the morning: allowed.
    morning = timezone.localtime(next_week.datum).replace(hour=7, minute=0)
    with time_machine.travel(morning + datetime.timedelta(seconds=0), tick=False):
        services.oordeel_sign(oordeel=oordeel, by=world.veld, version=oordeel.version)
    assert Ondertekening.objects.get().assessor == world.veld


def test_a_proeve_without_a_date_gets_no_verdict_signed(world):
    from bekwaamheid.services import proeve as proeve_services

    proeve = submit(world)
    assert proeve.datum is None
    assert services.oordeel_signable_from(proeve) is None
    with pytest.raises(services.Refused, match="nog geen datum"):
        proeve_services.refuse_before_its_day(proeve)

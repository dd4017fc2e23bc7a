"""Views of assignments, work and the dossier: owner, other roles, outsider, anonymous."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bekwaamheid import services
from bekwaamheid.models import Bewijsstuk, Feedback, Onderzoeksopdracht, Opdracht, Proeve
from tests import factories as f
from tests.bekwaamheid.helpers import PNG, finish_work

pytestmark = pytest.mark.django_db


def as_user(client, user):
    client.force_login(user)
    return client


def who(world, name):
    return {"docent": world.docent, "outsider": world.cast.outsider}.get(name) or getattr(
        world.cast, name
    )


# --- the docent's start page and assignments ---------------------------------------------


def test_docent_sees_own_assignments_and_feedback_asked(
    client, world, django_assert_max_num_queries
):
    services.feedback_request(
        onderzoeksopdracht=world.work, by=world.cast.zij_instromer, people=[world.docent]
    )
    as_user(client, world.docent)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("bekwaamheid:opdrachten")).content.decode()
    assert "Instructie en leerdoelen" in page
    assert "Feedback gevraagd van jou" in page


def test_assignment_list_does_not_show_another_teachers_assignments(client, world):
    other = f.UserFactory()
    world.partnerschap.docenten.add(other)
    as_user(client, other)
    page = client.get(reverse("bekwaamheid:opdrachten")).content.decode()
    assert "Instructie en leerdoelen" not in page


@pytest.mark.parametrize("name", ["zij_instromer", "coach", "outsider"])
def test_people_who_set_no_assignments_see_an_empty_list_without_the_new_button(
    client, world, name
):
    response = as_user(client, who(world, name)).get(reverse("bekwaamheid:opdrachten"))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("bekwaamheid:opdracht_new") not in page
    assert "Instructie en leerdoelen" not in page


def test_anonymous_is_sent_to_login(client, world):
    for url in (
        reverse("bekwaamheid:opdrachten"),
        reverse("bekwaamheid:opdracht_new"),
        reverse("bekwaamheid:opdracht", args=[world.work.opdracht_id]),
        reverse("bekwaamheid:dossier", args=[world.cast.traject.pk]),
        reverse("bekwaamheid:onderzoeksopdracht", args=[world.work.pk]),
        reverse("bekwaamheid:bewijsstuk", args=[world.bewijs.pk]),
        reverse("bekwaamheid:proeven"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/account/login/" in response["Location"], url


def test_docent_sets_an_assignment_for_a_cohort(client, world):
    import datetime

    from trajecten.models import Traject

    kader = f.active_kader()
    eis = kader.eisen.get(code="PE1")
    other = Traject.objects.exclude(pk=world.cast.traject.pk).get()
    Traject.objects.filter(pk=other.pk).update(
        start_date=other.start_date - datetime.timedelta(days=62)
    )
    ym = world.cast.traject.start_date.strftime("%Y-%m")
    as_user(client, world.docent)
    assert client.get(reverse("bekwaamheid:opdracht_new")).status_code == 200
    response = client.post(
        reverse("bekwaamheid:opdracht_new"),
        {
            "titel": "Klassenmanagement",
            "omschrijving": "Onderzoek je routines.",
            "eisen": [eis.pk],
            "doelgroep": f"cohort:{world.partnerschap.pk}:{ym}",
        },
    )
    opdracht = Opdracht.objects.get(titel="Klassenmanagement")
    assert response.status_code == 302
    assert response["Location"] == reverse("bekwaamheid:opdracht", args=[opdracht.pk])
    assert list(opdracht.uitwerkingen.values_list("dossier__traject", flat=True)) == [
        world.cast.traject.pk
    ]


def test_docent_sets_an_assignment_for_the_whole_partnership(client, world):
    second = f.TrajectFactory(school=f.SchoolFactory(bestuur=world.cast.traject.school.bestuur))
    f.TrajectFactory()  # another partnership: never included
    as_user(client, world.docent)
    client.post(
        reverse("bekwaamheid:opdracht_new"),
        {
            "titel": "Ouders",
            "omschrijving": "...",
            "eisen": [f.active_kader().eisen.first().pk],
            "doelgroep": f"ps:{world.partnerschap.pk}",
        },
    )
    got = set(
        Opdracht.objects.get(titel="Ouders").uitwerkingen.values_list("dossier__traject", flat=True)
    )
    assert got == {world.cast.traject.pk, second.pk, world.cast.other_coach.coach_van.get().pk}


def test_assignment_without_indicator_is_refused_with_the_text_kept(client, world):
    as_user(client, world.docent)
    response = client.post(
        reverse("bekwaamheid:opdracht_new"),
        {
            "titel": "Zonder indicator",
            "omschrijving": "...",
            "doelgroep": f"t:{world.cast.traject.pk}",
        },
    )
    assert response.status_code == 200
    assert "Zonder indicator" in response.content.decode()
    assert not Opdracht.objects.filter(titel="Zonder indicator").exists()


def test_docent_cannot_target_someone_outside_their_partnership(client, world):
    stranger = f.TrajectFactory()
    as_user(client, world.docent)
    response = client.post(
        reverse("bekwaamheid:opdracht_new"),
        {
            "titel": "X",
            "omschrijving": "...",
            "eisen": [f.active_kader().eisen.first().pk],
            "doelgroep": f"t:{stranger.pk}",
        },
    )
    assert response.status_code == 200
    assert not Opdracht.objects.filter(titel="X").exists()


def test_slb_may_set_an_assignment_for_their_own_side_entrants(client, world):
    as_user(client, world.cast.slb)
    response = client.post(
        reverse("bekwaamheid:opdracht_new"),
        {
            "titel": "SLB-opdracht",
            "omschrijving": "...",
            "eisen": [f.active_kader().eisen.first().pk],
            "doelgroep": "slb",
        },
    )
    assert response.status_code == 302
    assert Opdracht.objects.get(titel="SLB-opdracht").gesteld_door == world.cast.slb


@pytest.mark.parametrize("name", ["coach", "zij_instromer", "outsider"])
def test_others_may_not_set_assignments(client, world, name):
    assert (
        as_user(client, who(world, name)).get(reverse("bekwaamheid:opdracht_new")).status_code
        == 403
    )


def test_assignment_page_is_for_the_teacher_who_set_it(client, world):
    url = reverse("bekwaamheid:opdracht", args=[world.work.opdracht_id])
    assert as_user(client, world.docent).get(url).status_code == 200
    for user in (world.cast.zij_instromer, world.cast.coach, world.cast.outsider):
        assert as_user(client, user).get(url).status_code == 404


# --- the dossier page ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["zij_instromer", "coach", "slb"])
def test_dossier_page_for_side_entrant_coach_and_slb(
    client, world, name, django_assert_max_num_queries
):
    as_user(client, who(world, name))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("bekwaamheid:dossier", args=[world.cast.traject.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Instructie en leerdoelen" in page
    assert "nog geen bewijs" in page  # gaps stand out
    assert "VD1" in page


def test_dossier_query_count_does_not_grow_with_the_work(
    client, world, django_assert_max_num_queries
):
    for _ in range(5):
        extra = f.OpdrachtFactory(partnerschap=world.partnerschap, gesteld_door=world.docent)
        work = Onderzoeksopdracht.objects.create(opdracht=extra, dossier=world.work.dossier)
        f.BewijsstukFactory(onderzoeksopdracht=work)
        f.FeedbackFactory(onderzoeksopdracht=work)
    as_user(client, world.cast.zij_instromer)
    with django_assert_max_num_queries(20):
        client.get(reverse("bekwaamheid:dossier", args=[world.cast.traject.pk]))


@pytest.mark.parametrize("name", ["duo", "schoolleider", "coordinator"])
def test_dossier_page_is_403_for_other_traject_roles(client, world, name):
    response = as_user(client, who(world, name)).get(
        reverse("bekwaamheid:dossier", args=[world.cast.traject.pk])
    )
    assert response.status_code == 403


@pytest.mark.parametrize("name", ["outsider", "other_coach", "docent"])
def test_dossier_page_is_404_for_outsiders(client, world, name):
    response = as_user(client, who(world, name)).get(
        reverse("bekwaamheid:dossier", args=[world.cast.traject.pk])
    )
    assert response.status_code == 404


def test_side_entrant_submits_the_dossier(client, world):
    finish_work(world)
    as_user(client, world.cast.zij_instromer)
    response = client.post(reverse("bekwaamheid:dossier_submit", args=[world.cast.traject.pk]))
    proeve = Proeve.objects.get()
    assert response["Location"] == reverse("bekwaamheid:proeve", args=[proeve.pk])
    assert proeve.snapshot["opdrachten"]


def test_second_submission_is_refused_with_a_message(client, world):
    finish_work(world)
    as_user(client, world.cast.zij_instromer)
    url = reverse("bekwaamheid:dossier_submit", args=[world.cast.traject.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert "al ingediend" in response.content.decode()
    assert Proeve.objects.count() == 1


def test_submit_by_coach_is_403_and_by_outsider_404_and_get_is_405(client, world):
    finish_work(world)
    url = reverse("bekwaamheid:dossier_submit", args=[world.cast.traject.pk])
    assert as_user(client, world.cast.coach).post(url).status_code == 403
    assert as_user(client, world.cast.outsider).post(url).status_code == 404
    assert as_user(client, world.cast.zij_instromer).get(url).status_code == 405
    assert not Proeve.objects.exists()


# --- one piece of work -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["zij_instromer", "coach", "slb", "docent"])
def test_work_page_for_those_around_it(client, world, name):
    response = as_user(client, who(world, name)).get(
        reverse("bekwaamheid:onderzoeksopdracht", args=[world.work.pk])
    )
    assert response.status_code == 200
    assert "Alle leerlingen kennen het lesdoel." in response.content.decode()


@pytest.mark.parametrize("name", ["duo", "schoolleider", "coordinator", "outsider", "other_coach"])
def test_work_page_is_404_for_others(client, world, name):
    response = as_user(client, who(world, name)).get(
        reverse("bekwaamheid:onderzoeksopdracht", args=[world.work.pk])
    )
    assert response.status_code == 404


def test_duo_sees_the_work_once_asked_for_feedback_and_can_answer(client, world):
    url = reverse("bekwaamheid:onderzoeksopdracht", args=[world.work.pk])
    as_user(client, world.cast.zij_instromer).post(
        reverse("bekwaamheid:feedback_request", args=[world.work.pk]),
        {"people": [world.cast.duo.pk], "vraag": "Kijk je mee?"},
    )
    as_user(client, world.cast.duo)
    assert client.get(url).status_code == 200
    client.post(
        reverse("bekwaamheid:feedback_post", args=[world.work.pk]),
        {"tekst": "Duidelijke criteria."},
    )
    assert Feedback.objects.filter(auteur=world.cast.duo).exists()


def test_only_the_side_entrant_edits_criteria(client, world):
    url = reverse("bekwaamheid:criterium_add", args=[world.work.pk])
    assert as_user(client, world.cast.coach).post(url, {"tekst": "x"}).status_code == 403
    assert as_user(client, world.docent).post(url, {"tekst": "x"}).status_code == 403
    assert as_user(client, world.cast.outsider).post(url, {"tekst": "x"}).status_code == 404
    response = as_user(client, world.cast.zij_instromer).post(url, {"tekst": "Nieuw criterium"})
    assert response.status_code == 302
    assert world.work.criteria.filter(tekst="Nieuw criterium").exists()
    assert world.work.criteria.count() == 2


def test_criterium_edit_and_stale_edit_keeps_the_text(client, world):
    url = reverse("bekwaamheid:criterium_edit", args=[world.criterium.pk])
    as_user(client, world.cast.zij_instromer)
    assert client.get(url).status_code == 200
    ok = client.post(url, {"tekst": "T1", "reflectie": "R1", "version": 1})
    assert ok.status_code == 302
    stale = client.post(url, {"tekst": "T2", "reflectie": "Mijn lange reflectie", "version": 1})
    assert stale.status_code == 409
    assert "Mijn lange reflectie" in stale.content.decode()
    world.criterium.refresh_from_db()
    assert world.criterium.reflectie == "R1"
    assert as_user(client, world.cast.coach).get(url).status_code == 403
    assert as_user(client, world.cast.outsider).get(url).status_code == 404


def upload(client, world, name, data, **extra):
    return client.post(
        reverse("bekwaamheid:bewijsstuk_add", args=[world.work.pk]),
        {"titel": "Foto", "bestand": SimpleUploadedFile(name, data), **extra},
    )


def test_side_entrant_uploads_an_image(client, world):
    as_user(client, world.cast.zij_instromer)
    response = upload(client, world, "bord.png", PNG, criterium=world.criterium.pk)
    assert response.status_code == 302
    item = Bewijsstuk.objects.get(titel="Foto")
    assert item.mime == "image/png" and item.criterium == world.criterium


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 300, "niet geaccepteerd"),
        ("lesplan.pdf", PNG, "past niet bij de inhoud"),
        ("leeg.pdf", b"", "leeg"),
    ],
)
def test_wrong_files_are_refused_and_nothing_is_stored(client, world, name, data, message):
    as_user(client, world.cast.zij_instromer)
    response = upload(client, world, name, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Bewijsstuk.objects.filter(titel="Foto").exists()


def test_too_large_file_is_refused_but_a_video_may_be_larger(client, world, settings):
    settings.LEV_MAX_UPLOAD_MB = 1
    settings.LEV_MAX_VIDEO_UPLOAD_MB = 3
    as_user(client, world.cast.zij_instromer)
    big_pdf = f.TINY_PDF + b"0" * (1024 * 1024 + 10)
    response = upload(client, world, "groot.pdf", big_pdf)
    assert response.status_code == 400 and "te groot" in response.content.decode()
    mp4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * (2 * 1024 * 1024)
    assert upload(client, world, "les.mp4", mp4).status_code == 302
    too_big = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * (3 * 1024 * 1024 + 1)
    response = upload(client, world, "lang.mp4", too_big)
    assert response.status_code == 400
    assert Bewijsstuk.objects.filter(titel="Foto").count() == 1


def test_upload_by_others_is_refused(client, world):
    assert upload(as_user(client, world.cast.coach), world, "bord.png", PNG).status_code == 403
    assert upload(as_user(client, world.cast.outsider), world, "bord.png", PNG).status_code == 404
    assert not Bewijsstuk.objects.filter(titel="Foto").exists()


def test_link_evidence_through_the_form(client, world):
    as_user(client, world.cast.zij_instromer)
    response = client.post(
        reverse("bekwaamheid:bewijsstuk_add", args=[world.work.pk]),
        {"titel": "Video", "link": "https://video.example/les"},
    )
    assert response.status_code == 302
    assert Bewijsstuk.objects.get(titel="Video").link == "https://video.example/les"


@pytest.mark.parametrize("name", ["zij_instromer", "coach", "slb", "docent"])
def test_evidence_downloads_for_those_who_see_the_work(client, world, name):
    response = as_user(client, who(world, name)).get(
        reverse("bekwaamheid:bewijsstuk", args=[world.bewijs.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == f.TINY_PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "lesplan.pdf" in response["Content-Disposition"]


@pytest.mark.parametrize("name", ["duo", "schoolleider", "outsider", "other_coach"])
def test_evidence_is_404_for_others(client, world, name):
    response = as_user(client, who(world, name)).get(
        reverse("bekwaamheid:bewijsstuk", args=[world.bewijs.pk])
    )
    assert response.status_code == 404


def test_remove_and_restore_through_the_page(client, world):
    as_user(client, world.cast.zij_instromer)
    client.post(reverse("bekwaamheid:bewijsstuk_remove", args=[world.bewijs.pk]))
    world.bewijs.refresh_from_db()
    assert world.bewijs.removed_at is not None
    page = client.get(
        reverse("bekwaamheid:onderzoeksopdracht", args=[world.work.pk])
    ).content.decode()
    assert "Verwijderd (30 dagen terug te zetten)" in page
    # A removed file is no longer served to others, still to its owner.
    assert client.get(reverse("bekwaamheid:bewijsstuk", args=[world.bewijs.pk])).status_code == 200
    assert (
        as_user(client, world.cast.coach)
        .get(reverse("bekwaamheid:bewijsstuk", args=[world.bewijs.pk]))
        .status_code
        == 404
    )
    as_user(client, world.cast.zij_instromer).post(
        reverse("bekwaamheid:bewijsstuk_restore", args=[world.bewijs.pk])
    )
    world.bewijs.refresh_from_db()
    assert world.bewijs.removed_at is None


def test_remove_by_others_is_refused(client, world):
    url = reverse("bekwaamheid:bewijsstuk_remove", args=[world.bewijs.pk])
    assert as_user(client, world.cast.coach).post(url).status_code == 403
    assert as_user(client, world.cast.outsider).post(url).status_code == 404
    assert (
        as_user(client, world.cast.coach)
        .post(reverse("bekwaamheid:bewijsstuk_restore", args=[world.bewijs.pk]))
        .status_code
        == 403
    )
    world.bewijs.refresh_from_db()
    assert world.bewijs.removed_at is None


def test_feedback_request_and_post_through_the_page(client, world):
    as_user(client, world.cast.zij_instromer)
    response = client.post(
        reverse("bekwaamheid:feedback_request", args=[world.work.pk]),
        {"people": [world.cast.coach.pk, world.docent.pk]},
    )
    assert response.status_code == 302
    world.work.refresh_from_db()
    assert world.work.status == "ingediend"
    as_user(client, world.docent)
    client.post(reverse("bekwaamheid:feedback_post", args=[world.work.pk]), {"tekst": "Top"})
    first = Feedback.objects.get()
    as_user(client, world.cast.zij_instromer)
    client.post(
        reverse("bekwaamheid:feedback_post", args=[world.work.pk]),
        {"tekst": "Dank je", "antwoord_op": first.pk},
    )
    assert Feedback.objects.get(tekst="Dank je").antwoord_op == first
    page = client.get(
        reverse("bekwaamheid:onderzoeksopdracht", args=[world.work.pk])
    ).content.decode()
    assert page.index("Top") < page.index("Dank je")


def test_feedback_request_by_others_is_refused(client, world):
    url = reverse("bekwaamheid:feedback_request", args=[world.work.pk])
    assert (
        as_user(client, world.cast.coach).post(url, {"people": [world.cast.slb.pk]}).status_code
        == 403
    )
    assert (
        as_user(client, world.cast.outsider).post(url, {"people": [world.cast.slb.pk]}).status_code
        == 404
    )


def test_feedback_post_by_outsider_is_404(client, world):
    url = reverse("bekwaamheid:feedback_post", args=[world.work.pk])
    assert as_user(client, world.cast.outsider).post(url, {"tekst": "x"}).status_code == 404
    assert as_user(client, world.cast.duo).post(url, {"tekst": "x"}).status_code == 404
    assert not Feedback.objects.exists()


def test_afronden_and_choose_for_the_dossier_through_the_page(client, world):
    services.feedback_request(
        onderzoeksopdracht=world.work, by=world.cast.zij_instromer, people=[world.cast.coach]
    )
    assert (
        as_user(client, world.cast.coach)
        .post(reverse("bekwaamheid:afronden", args=[world.work.pk]))
        .status_code
        == 403
    )
    assert (
        as_user(client, world.cast.outsider)
        .post(reverse("bekwaamheid:afronden", args=[world.work.pk]))
        .status_code
        == 404
    )
    as_user(client, world.cast.zij_instromer)
    client.post(reverse("bekwaamheid:afronden", args=[world.work.pk]))
    client.post(
        reverse("bekwaamheid:in_dossier", args=[world.work.pk]),
        {"in_dossier": "1", "next": "dossier"},
    )
    world.work.refresh_from_db()
    assert world.work.status == "afgerond" and world.work.in_dossier
    assert (
        as_user(client, world.cast.coach)
        .post(reverse("bekwaamheid:in_dossier", args=[world.work.pk]), {"in_dossier": "0"})
        .status_code
        == 403
    )


# --- the panel on the traject page --------------------------------------------------------


def test_the_panels_coverage_counts_as_the_dossier_overview(client, world):
    """The traject page's panel counts covered indicators in two queries; it must give the
    dossier page's figures: evidence on work covers the work's indicators, removed evidence
    and work without evidence cover nothing."""
    from bekwaamheid import selectors

    dossier = world.work.dossier
    kader = dossier.kader
    covered = f.OnderzoeksopdrachtFactory(
        dossier=dossier, opdracht=f.OpdrachtFactory(eisen=kader.eisen.filter(code="PE1"))
    )
    f.BewijsstukFactory(onderzoeksopdracht=covered)
    gone = f.OnderzoeksopdrachtFactory(
        dossier=dossier, opdracht=f.OpdrachtFactory(eisen=kader.eisen.filter(code="VI1"))
    )
    removed = f.BewijsstukFactory(onderzoeksopdracht=gone)
    services.bewijsstuk_remove(bewijsstuk=removed, by=world.cast.zij_instromer)
    f.OnderzoeksopdrachtFactory(
        dossier=dossier, opdracht=f.OpdrachtFactory(eisen=kader.eisen.filter(code="VI2"))
    )

    def figures(result):
        return [(g["gebied"].pk, g["n_covered"], g["n_total"]) for g in result["gebieden"]]

    panel = figures(selectors.dossier_coverage(dossier))
    assert panel == figures(selectors.dossier_overview(dossier.traject, dossier))
    assert sum(n for _, n, _ in panel) >= 1  # PE1 at least
    covered_codes = {
        r.eis.code
        for g in selectors.dossier_overview(dossier.traject, dossier)["gebieden"]
        for r in g["rows"]
        if not r.is_gap
    }
    assert "PE1" in covered_codes and "VI1" not in covered_codes and "VI2" not in covered_codes

"""The logboek: the side-entrant writes, edits keep history with optimistic locking, coach
and SLB react, attachments are checked and served after an access check."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portal.models import Mail, Notificatie
from tests import factories as f
from tests.trajecten.conftest import PDF_BYTES, docx, pdf, png
from trajecten import selectors, services
from trajecten.models import Logboekregel, Traject

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def create(cast, **kwargs):
    defaults = dict(
        traject=cast.traject,
        user=cast.zij_instromer,
        datum=TODAY(),
        wat_er_gebeurde="Rekenles gegeven",
        geleerd="Korter instrueren",
    )
    defaults.update(kwargs)
    return services.logboekregel_create(**defaults)


def url(name, cast, *args):
    return reverse(f"trajecten:{name}", args=[cast.traject.pk, *args])


# --- services ---------------------------------------------------------------------------------


def test_side_entrant_logs_an_entry_with_points_and_an_attachment(cast, punten):
    regel = create(cast, ontwikkelpunten=punten[:2], bijlage=pdf("Lesplan.pdf"))
    assert list(regel.ontwikkelpunten.all()) == punten[:2]
    assert regel.bijlage_naam == "Lesplan.pdf" and regel.bijlage.name.startswith("trajecten/")
    assert "Lesplan" not in regel.bijlage.name  # stored under a random name


def test_an_entry_in_the_future_or_before_the_start_is_refused(cast):
    for datum in (
        TODAY() + datetime.timedelta(days=1),
        cast.traject.start_date - datetime.timedelta(days=1),
    ):
        with pytest.raises(ValidationError):
            create(cast, datum=datum)
    assert not Logboekregel.objects.exists()


def test_an_ontwikkelpunt_of_another_traject_is_refused(cast):
    with pytest.raises(ValidationError):
        create(cast, ontwikkelpunten=[f.OntwikkelpuntFactory()])
    assert not Logboekregel.objects.exists()


def test_editing_keeps_the_earlier_version(cast, punten):
    regel = create(cast, ontwikkelpunten=[punten[0]], bijlage=pdf("oud.pdf"))
    old_file = regel.bijlage.name
    services.logboekregel_update(
        regel=regel,
        user=cast.zij_instromer,
        expected_version=1,
        datum=regel.datum,
        wat_er_gebeurde="Rekenles over breuken",
        geleerd="",
        ontwikkelpunten=[punten[1]],
        bijlage=png("nieuw.png"),
    )
    regel.refresh_from_db()
    assert regel.version == 2 and regel.wat_er_gebeurde == "Rekenles over breuken"
    assert regel.bijlage_naam == "nieuw.png"
    old = regel.versies.get()
    assert old.version == 1 and old.wat_er_gebeurde == "Rekenles gegeven"
    assert list(old.ontwikkelpunten.all()) == [punten[0]]
    assert old.bijlage.name == old_file and old.bijlage_naam == "oud.pdf"


def test_a_stale_edit_is_refused_and_changes_nothing(cast):
    regel = create(cast)
    services.logboekregel_update(
        regel=regel,
        user=cast.zij_instromer,
        expected_version=1,
        datum=regel.datum,
        wat_er_gebeurde="Tab A",
    )
    with pytest.raises(services.StaleEdit):
        services.logboekregel_update(
            regel=regel,
            user=cast.zij_instromer,
            expected_version=1,
            datum=regel.datum,
            wat_er_gebeurde="Tab B",
        )
    regel.refresh_from_db()
    assert regel.wat_er_gebeurde == "Tab A" and regel.versies.count() == 1


def test_a_reaction_notifies_the_side_entrant_by_mail(cast):
    regel = create(cast)
    services.logboekreactie_add(regel=regel, user=cast.coach, rol="coach", tekst="Mooi gedaan")
    note = Notificatie.objects.get(user=cast.zij_instromer)
    assert note.kind == "logboek" and note.url == url("logboek_detail", cast, regel.pk)
    sent = Mail.objects.get(to=cast.zij_instromer.email)
    assert sent.kind == "logboek" and "Mooi gedaan" in sent.body_text


def test_a_muted_reaction_mail_still_notifies_in_the_portal(cast):
    cast.zij_instromer.muted_mail_kinds = ["logboek"]
    cast.zij_instromer.save(update_fields=["muted_mail_kinds"])
    regel = create(cast)
    services.logboekreactie_add(regel=regel, user=cast.slb, rol="slb", tekst="Goed")
    assert Notificatie.objects.filter(user=cast.zij_instromer).exists()
    assert not Mail.objects.filter(to=cast.zij_instromer.email).exists()


def test_timeline_filters_by_ontwikkelpunt_and_period(cast, punten):
    a = create(cast, datum=TODAY() - datetime.timedelta(days=40), ontwikkelpunten=[punten[0]])
    b = create(cast, datum=TODAY() - datetime.timedelta(days=10), ontwikkelpunten=[punten[1]])
    c = create(cast, datum=TODAY(), ontwikkelpunten=[punten[0], punten[1]])
    assert list(selectors.logboek_timeline(cast.traject)) == [c, b, a]
    assert list(selectors.logboek_timeline(cast.traject, ontwikkelpunt=punten[0])) == [c, a]
    window = {
        "van": TODAY() - datetime.timedelta(days=20),
        "tot": TODAY() - datetime.timedelta(days=1),
    }
    assert list(selectors.logboek_timeline(cast.traject, **window)) == [b]


# --- views ------------------------------------------------------------------------------------


def test_side_entrant_writes_an_entry_in_the_browser(client, cast, punten):
    client.force_login(cast.zij_instromer)
    assert client.get(url("logboek_create", cast)).status_code == 200
    response = client.post(
        url("logboek_create", cast),
        {
            "datum": TODAY().isoformat(),
            "wat_er_gebeurde": "Kringgesprek geleid",
            "geleerd": "Wachten op stilte werkt",
            "ontwikkelpunten": [punten[2].pk],
            "bijlage": docx("Reflectie.docx"),
        },
    )
    regel = Logboekregel.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("logboek_detail", cast, regel.pk)
    assert regel.bijlage_naam == "Reflectie.docx"
    page = client.get(url("logboek", cast)).content.decode()
    assert "Kringgesprek geleid" in page


@pytest.mark.parametrize(
    "bad, message",
    [
        (
            lambda: SimpleUploadedFile("foto.pdf", b"MZ\x90\x00" + b"\x00" * 100),
            "niet geaccepteerd",
        ),
        (lambda: SimpleUploadedFile("foto.jpg", PDF_BYTES), "past niet bij de inhoud"),
        (
            lambda: SimpleUploadedFile("groot.pdf", PDF_BYTES + b"0" * (21 * 1024 * 1024)),
            "te groot",
        ),
    ],
)
def test_a_bad_attachment_is_refused_at_the_field(client, cast, bad, message):
    client.force_login(cast.zij_instromer)
    response = client.post(
        url("logboek_create", cast),
        {
            "datum": TODAY().isoformat(),
            "wat_er_gebeurde": "Iets",
            "bijlage": bad(),
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Logboekregel.objects.exists()


def test_a_date_in_the_future_is_an_error_at_the_field(client, cast):
    client.force_login(cast.zij_instromer)
    response = client.post(
        url("logboek_create", cast),
        {
            "datum": (TODAY() + datetime.timedelta(days=3)).isoformat(),
            "wat_er_gebeurde": "x",
        },
    )
    assert "De datum ligt in de toekomst." in response.content.decode()
    assert not Logboekregel.objects.exists()


def test_an_ontwikkelpunt_of_another_traject_is_an_error_at_the_field(client, cast, punten):
    client.force_login(cast.zij_instromer)
    response = client.post(
        url("logboek_create", cast),
        {
            "datum": TODAY().isoformat(),
            "wat_er_gebeurde": "x",
            "ontwikkelpunten": [f.OntwikkelpuntFactory().pk],
        },
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()


def test_editing_in_the_browser_keeps_history_viewable(client, cast):
    regel = create(cast)
    client.force_login(cast.zij_instromer)
    assert client.get(url("logboek_edit", cast, regel.pk)).status_code == 200
    response = client.post(
        url("logboek_edit", cast, regel.pk),
        {
            "datum": regel.datum.isoformat(),
            "wat_er_gebeurde": "Verbeterde tekst",
            "version": "1",
        },
    )
    assert response.status_code == 302
    page = client.get(url("logboek_detail", cast, regel.pk)).content.decode()
    assert "Verbeterde tekst" in page and "Eerdere versies" in page
    old = client.get(url("logboek_version", cast, regel.pk, 1)).content.decode()
    assert "Rekenles gegeven" in old and "Dit is een eerdere versie" in old
    assert client.get(url("logboek_version", cast, regel.pk, 9)).status_code == 404


def test_a_stale_edit_in_the_browser_keeps_the_typed_text_and_shows_the_saved_one(client, cast):
    regel = create(cast)
    services.logboekregel_update(
        regel=regel,
        user=cast.zij_instromer,
        expected_version=1,
        datum=regel.datum,
        wat_er_gebeurde="Uit het andere tabblad",
    )
    client.force_login(cast.zij_instromer)
    response = client.post(
        url("logboek_edit", cast, regel.pk),
        {
            "datum": regel.datum.isoformat(),
            "wat_er_gebeurde": "Mijn getypte tekst",
            "version": "1",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Mijn getypte tekst" in page and "Uit het andere tabblad" in page
    assert 'name="version" value="2"' in page
    regel.refresh_from_db()
    assert regel.wat_er_gebeurde == "Uit het andere tabblad"


@pytest.mark.parametrize("who", ["coach", "slb"])
def test_coach_and_slb_react(client, cast, who):
    regel = create(cast)
    client.force_login(getattr(cast, who))
    response = client.post(url("logboek_react", cast, regel.pk), {"tekst": "Goed gezien!"})
    assert response.status_code == 302
    assert regel.reacties.get().rol == who
    assert "Goed gezien!" in client.get(url("logboek_detail", cast, regel.pk)).content.decode()


@pytest.mark.parametrize("who", ["zij_instromer", "duo", "coordinator"])
def test_other_roles_may_not_react(client, cast, who):
    regel = create(cast)
    client.force_login(getattr(cast, who))
    assert client.post(url("logboek_react", cast, regel.pk), {"tekst": "x"}).status_code == 403


@pytest.mark.parametrize("who", ["coach", "slb", "duo", "coordinator"])
def test_others_read_the_log_but_may_not_write_or_edit(client, cast, who):
    regel = create(cast)
    client.force_login(getattr(cast, who))
    assert client.get(url("logboek", cast)).status_code == 200
    assert client.get(url("logboek_detail", cast, regel.pk)).status_code == 200
    assert client.get(url("logboek_create", cast)).status_code == 403
    assert (
        client.post(
            url("logboek_edit", cast, regel.pk),
            {"datum": TODAY().isoformat(), "wat_er_gebeurde": "x", "version": "1"},
        ).status_code
        == 403
    )
    regel.refresh_from_db()
    assert regel.wat_er_gebeurde == "Rekenles gegeven"


def test_school_leader_does_not_see_the_log(client, cast):
    regel = create(cast, bijlage=pdf())
    client.force_login(cast.schoolleider)
    assert client.get(url("logboek", cast)).status_code == 403
    assert client.get(url("logboek_detail", cast, regel.pk)).status_code == 403
    assert client.get(url("logboek_bijlage", cast, regel.pk)).status_code == 403
    page = client.get(reverse("trajecten:detail", args=[cast.traject.pk])).content.decode()
    assert "Rekenles gegeven" not in page


@pytest.mark.parametrize("who", ["outsider", "other_coach"])
def test_outsiders_get_404_on_every_log_url(client, cast, who):
    regel = create(cast, bijlage=pdf())
    client.force_login(getattr(cast, who))
    for name, args in (
        ("logboek", ()),
        ("logboek_create", ()),
        ("logboek_detail", (regel.pk,)),
        ("logboek_edit", (regel.pk,)),
        ("logboek_bijlage", (regel.pk,)),
        ("logboek_version", (regel.pk, 1)),
    ):
        assert client.get(url(name, cast, *args)).status_code == 404, name
    assert client.post(url("logboek_react", cast, regel.pk), {"tekst": "x"}).status_code == 404


def test_an_entry_of_another_traject_is_404_under_my_traject(client, cast):
    other = f.LogboekregelFactory()
    client.force_login(cast.zij_instromer)
    assert client.get(url("logboek_detail", cast, other.pk)).status_code == 404
    assert (
        client.post(
            url("logboek_edit", cast, other.pk),
            {"datum": TODAY().isoformat(), "wat_er_gebeurde": "x", "version": "1"},
        ).status_code
        == 404
    )


def test_anonymous_is_sent_to_login_from_the_log(client, cast):
    response = client.get(url("logboek", cast))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_attachment_is_served_with_its_name_after_the_access_check(client, cast):
    regel = create(cast, bijlage=pdf("Lesplan week 3.pdf"))
    client.force_login(cast.coach)
    response = client.get(url("logboek_bijlage", cast, regel.pk))
    assert response.status_code == 200
    assert "Lesplan week 3.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_an_earlier_attachment_stays_downloadable(client, cast):
    regel = create(cast, bijlage=pdf("oud.pdf"))
    services.logboekregel_update(
        regel=regel,
        user=cast.zij_instromer,
        expected_version=1,
        datum=regel.datum,
        wat_er_gebeurde="x",
        remove_bijlage=True,
    )
    client.force_login(cast.slb)
    assert client.get(url("logboek_bijlage", cast, regel.pk)).status_code == 404
    assert client.get(url("logboek_version_bijlage", cast, regel.pk, 1)).status_code == 200


def test_timeline_filters_in_the_browser(client, cast, punten):
    create(
        cast,
        datum=TODAY() - datetime.timedelta(days=40),
        wat_er_gebeurde="Oude les",
        ontwikkelpunten=[punten[0]],
    )
    create(cast, datum=TODAY(), wat_er_gebeurde="Nieuwe les", ontwikkelpunten=[punten[1]])
    client.force_login(cast.slb)
    page = client.get(url("logboek", cast), {"ontwikkelpunt": punten[0].pk}).content.decode()
    assert "Oude les" in page and "Nieuwe les" not in page
    page = client.get(
        url("logboek", cast), {"van": (TODAY() - datetime.timedelta(days=5)).isoformat()}
    ).content.decode()
    assert "Nieuwe les" in page and "Oude les" not in page
    page = client.get(
        url("logboek", cast), {"van": TODAY().isoformat(), "tot": "2000-01-01"}
    ).content.decode()
    assert "Deze datum ligt vóór de begindatum." in page


def test_timeline_query_count_does_not_grow_with_entries(
    client, cast, punten, django_assert_max_num_queries
):
    client.force_login(cast.coach)
    for i in range(3):
        regel = create(cast, datum=TODAY() - datetime.timedelta(days=i), ontwikkelpunten=punten)
        services.logboekreactie_add(regel=regel, user=cast.coach, rol="coach", tekst="ok")
    with django_assert_max_num_queries(20) as few:
        client.get(url("logboek", cast))
    for i in range(15):
        regel = create(cast, datum=TODAY() - datetime.timedelta(days=i), ontwikkelpunten=punten)
        services.logboekreactie_add(regel=regel, user=cast.coach, rol="coach", tekst="ok")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("logboek", cast))


def test_new_coach_sees_the_whole_history(client, cast, agreed):
    regel = create(cast)
    services.logboekreactie_add(
        regel=regel, user=cast.coach, rol="coach", tekst="Van de oude coach"
    )
    new_coach = f.UserFactory()
    services.traject_role_change(
        traject=cast.traject, rol="coach", user=new_coach, door=cast.coordinator
    )
    client.force_login(new_coach)
    page = client.get(url("logboek_detail", cast, regel.pk)).content.decode()
    assert "Van de oude coach" in page
    assert client.get(url("plan_version", cast, 1)).status_code == 200
    client.force_login(cast.coach)
    assert client.get(url("logboek", cast)).status_code == 404


def test_closed_traject_log_is_read_only(client, cast):
    regel = create(cast)
    Traject.objects.filter(pk=cast.traject.pk).update(status=Traject.Status.GESTOPT)
    client.force_login(cast.zij_instromer)
    assert client.get(url("logboek", cast)).status_code == 200
    assert client.get(url("logboek_create", cast)).status_code == 403
    assert client.get(url("logboek_edit", cast, regel.pk)).status_code == 403

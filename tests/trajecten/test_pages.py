"""The traject page, the lists with their filters, and the selectors other apps use."""

import datetime
import re

import pytest
import time_machine
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from portal.models import AuditEvent
from tests import factories as f
from tests.trajecten.conftest import agree_all
from trajecten import hooks, lifecycle, panels, selectors, services
from trajecten.models import Geschiktheidsonderzoek, Stage, Traject

pytestmark = pytest.mark.django_db


def detail(cast):
    return reverse("trajecten:detail", args=[cast.traject.pk])


# --- traject page -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["zij_instromer", "coach", "slb", "duo", "schoolleider", "coordinator"]
)
def test_everyone_involved_sees_who_is_who_and_the_dates(client, cast, who):
    client.force_login(getattr(cast, who))
    page = client.get(detail(cast)).content.decode()
    for person in (cast.zij_instromer, cast.coach, cast.slb, cast.duo, cast.schoolleider):
        assert escape(person.get_full_name()) in page
    assert "Leerkrachtcoach" in page and "Studieloopbaanbegeleider" in page
    assert cast.traject.end_date.strftime("%Y") in page
    assert "Resterende tijd" in page


def test_outsider_and_anonymous_do_not_see_the_traject(client, cast):
    client.force_login(cast.outsider)
    assert client.get(detail(cast)).status_code == 404
    client.logout()
    assert client.get(detail(cast)).status_code == 302


def test_the_page_warns_from_six_months_before_the_end(client, cast):
    end = cast.traject.end_date
    with time_machine.travel(end - datetime.timedelta(days=200)):
        client.force_login(cast.zij_instromer)
        assert "Let op" not in client.get(detail(cast)).content.decode()
    with time_machine.travel(end - datetime.timedelta(days=180)):
        client.force_login(cast.zij_instromer)
        page = client.get(detail(cast)).content.decode()
        assert "Let op: nog 180 dagen tot de einddatum." in page


def test_progress_bars_have_text_too(client, cast, agreed):
    services.activiteit_voortgang_set(
        traject=cast.traject,
        key=agreed.activiteiten.first().key,
        afgerond=True,
        user=cast.zij_instromer,
    )
    client.force_login(cast.schoolleider)
    page = client.get(detail(cast)).content.decode()
    assert page.count("<progress") == 3
    assert "1 van 1 activiteiten afgerond" in page
    assert "0 van 1 activiteiten afgerond" in page
    assert 'aria-labelledby="progress-text-' in page


def test_latest_log_entries_show_for_the_people_around_the_side_entrant(client, cast):
    for i in range(7):
        f.LogboekregelFactory(
            traject=cast.traject,
            wat_er_gebeurde=f"Les nummer {i}",
            datum=timezone.localdate() - datetime.timedelta(days=i),
        )
    client.force_login(cast.coach)
    page = client.get(detail(cast)).content.decode()
    assert "Les nummer 0" in page and "Les nummer 4" in page and "Les nummer 5" not in page


def test_side_entrant_is_asked_to_agree_on_the_traject_page(client, cast, concept):
    services.scholingsplan_submit(versie=concept, user=cast.slb)
    client.force_login(cast.zij_instromer)
    assert "wacht op je instemming" in client.get(detail(cast)).content.decode()
    client.force_login(cast.coach)
    assert "wacht op je instemming" not in client.get(detail(cast)).content.decode()


def test_panels_from_other_apps_are_rendered(client, cast, tmp_path, settings):
    template_dir = tmp_path / "templates"
    (template_dir / "test").mkdir(parents=True)
    (template_dir / "test" / "_panel.html").write_text("<p>Paneel: {{ panel.word }}</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], template_dir]}
    ]
    panels.register(
        panels.Panel(
            key="test",
            template="test/_panel.html",
            context=lambda request, traject: {"word": "volgende gesprek"},
        )
    )
    try:
        client.force_login(cast.slb)
        assert "Paneel: volgende gesprek" in client.get(detail(cast)).content.decode()
    finally:
        panels._panels.pop("test")


def test_progress_note_follows_the_agreement_of_the_plan(client, cast, concept):
    """Whether a plan was agreed comes with the traject's own query (with_agreed_plan)."""
    note = "Nog geen vastgesteld scholingsplan"
    client.force_login(cast.slb)
    assert note in client.get(detail(cast)).content.decode()
    services.scholingsplan_submit(versie=concept, user=cast.slb)
    agree_all(cast, concept)
    assert note not in client.get(detail(cast)).content.decode()


def _grow(cast, n: int) -> None:
    """n more of everything the traject page shows: log entries with a reaction,
    conversations, and work with evidence in the dossier."""
    dossier = f.DossierFactory(traject=cast.traject)
    for i in range(n):
        regel = f.LogboekregelFactory(traject=cast.traject)
        services.logboekreactie_add(regel=regel, user=cast.coach, rol="coach", tekst=f"Goed {i}")
        f.GesprekFactory(traject=cast.traject)
        f.BewijsstukFactory(onderzoeksopdracht=f.OnderzoeksopdrachtFactory(dossier=dossier))


def _page_queries(client, cast) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(detail(cast)).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["zij_instromer", "slb", "coordinator"])
def test_traject_page_query_count_is_bounded_and_does_not_grow(client, cast, agreed, who):
    """With a second plan version awaiting agreement, a dossier with evidence, log entries
    with reactions and conversations: at most 20 queries, and no more with five times the
    rows (a query per row would show)."""
    second = services.scholingsplan_start(traject=cast.traject, user=cast.slb)
    second.toelichting = "Een extra module."
    second.save(update_fields=["toelichting"])
    punt = cast.traject.ontwikkelpunten.first()
    f.ActiviteitFactory(versie=second, ontwikkelpunt=punt, omschrijving="Extra module")
    services.scholingsplan_submit(versie=second, user=cast.slb)
    client.force_login(getattr(cast, who))
    _grow(cast, 2)
    small = _page_queries(client, cast)
    _grow(cast, 10)
    large = _page_queries(client, cast)
    assert large == small
    assert large <= 20


# --- lists ------------------------------------------------------------------------------------


def test_coordinator_list_filters_by_name_stage_school_and_end(client, cast):
    late = f.TrajectFactory(
        school=cast.traject.school,
        start_date=timezone.localdate() - datetime.timedelta(days=600),
        end_date=timezone.localdate() + datetime.timedelta(days=100),
    )
    f.GeschiktheidsonderzoekFactory(traject=late)
    client.force_login(cast.coordinator)
    list_url = reverse("trajecten:list")
    page = client.get(list_url).content.decode()
    assert escape(cast.zij_instromer.get_full_name()) in page
    assert escape(late.zij_instromer.get_full_name()) in page
    page = client.get(list_url, {"q": late.zij_instromer.last_name}).content.decode()
    assert escape(cast.zij_instromer.get_full_name()) not in page
    page = client.get(list_url, {"fase": "scholingsplan"}).content.decode()
    assert escape(late.zij_instromer.get_full_name()) in page
    assert escape(cast.zij_instromer.get_full_name()) not in page
    page = client.get(list_url, {"eindigt_binnenkort": "on"}).content.decode()
    assert escape(late.zij_instromer.get_full_name()) in page
    assert escape(cast.zij_instromer.get_full_name()) not in page
    page = client.get(list_url, {"school": cast.traject.school.pk}).content.decode()
    assert escape(late.zij_instromer.get_full_name()) in page
    assert "Zij-instromers importeren" in page


def test_school_leader_list_shows_own_school_only(client, cast):
    elsewhere = f.TrajectFactory()
    client.force_login(cast.schoolleider)
    page = client.get(reverse("trajecten:list")).content.decode()
    assert escape(cast.zij_instromer.get_full_name()) in page
    assert escape(elsewhere.zij_instromer.get_full_name()) not in page
    assert "Zij-instromers importeren" not in page


def _school_options(html: str) -> set[str]:
    select = re.search(r'<select name="school"[^>]*>(.*?)</select>', html, re.S)
    assert select, "the list has a school filter"
    return set(re.findall(r'<option value="(\d+)"', select.group(1)))


def test_school_filter_offers_the_schools_of_the_trajecten_the_person_sees(client, cast):
    partnerschap = cast.traject.school.bestuur.partnerschap
    sister = f.TrajectFactory(school=f.SchoolFactory(bestuur__partnerschap=partnerschap))
    f.SchoolFactory(bestuur=cast.traject.school.bestuur)  # no trajecten: not offered
    elsewhere = f.TrajectFactory()  # another partnership
    other_school = Traject.objects.get(coach=cast.other_coach).school_id  # the cast's second
    client.force_login(cast.coordinator)
    html = client.get(reverse("trajecten:list")).content.decode()
    assert _school_options(html) == {
        str(cast.traject.school_id),
        str(other_school),
        str(sister.school_id),
    }
    assert escape(elsewhere.school.name) not in html
    client.force_login(cast.schoolleider)
    html = client.get(reverse("trajecten:list")).content.decode()
    assert _school_options(html) == {str(cast.traject.school_id)}


def test_list_query_count_is_constant(client, cast, django_assert_max_num_queries):
    client.force_login(cast.coordinator)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("trajecten:list"))
    for _ in range(15):
        traject = f.TrajectFactory(school=cast.traject.school)
        f.GeschiktheidsonderzoekFactory(traject=traject)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("trajecten:list")).content.decode()
    assert page.count("/trajecten/") >= 16


def test_list_pages_by_fifty_and_keeps_the_filters_in_the_page_links(client, cast):
    school = cast.traject.school
    for _ in range(54):
        f.TrajectFactory(school=school, status="actief")
    client.force_login(cast.coordinator)
    url = reverse("trajecten:list")
    first = client.get(url, {"school": school.pk, "status": "actief"})
    html = first.content.decode()
    assert len(first.context["trajecten"]) == 50
    total = first.context["page"].paginator.count
    assert total >= 55
    assert f'id="trajecten-aantal" aria-live="polite">{total} trajecten<' in html
    assert "Pagina 1 van 2" in html
    assert f"?school={school.pk}&amp;status=actief&amp;page=2" in html
    second = client.get(url, {"school": school.pk, "status": "actief", "page": 2})
    shown = {t.pk for t in first.context["trajecten"]} | {t.pk for t in second.context["trajecten"]}
    assert len(shown) == total  # every traject on exactly one page
    assert "Pagina 2 van 2" in second.content.decode()


def test_list_filter_with_an_unknown_school_says_so_and_filters_nothing(client, cast):
    client.force_login(cast.coordinator)
    response = client.get(reverse("trajecten:list"), {"school": "999999"})
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and 'id="id_school-fout"' in html
    assert escape(cast.zij_instromer.get_full_name()) in html


def test_mine_lists_the_coached_side_entrants_with_their_stage(client, cast, agreed):
    client.force_login(cast.coach)
    page = client.get(reverse("trajecten:mine")).content.decode()
    assert escape(cast.zij_instromer.get_full_name()) in page and "Opleiding" in page
    page = client.get(reverse("trajecten:mine"), {"status": "gestopt"}).content.decode()
    assert escape(cast.zij_instromer.get_full_name()) not in page


# --- selectors --------------------------------------------------------------------------------


def test_the_phase_from_the_records_follows_the_route(cast, concept):
    """lifecycle.derived_fase (the repair and the bulk generators): the phase the records
    give, step by step."""
    t = cast.traject

    def derived():
        return Traject.objects.annotate(d=lifecycle.derived_fase()).get(pk=t.pk).d

    Geschiktheidsonderzoek.objects.filter(traject=t).delete()
    assert derived() == Stage.INTAKE
    f.GeschiktheidsonderzoekFactory(traject=t)
    assert derived() == Stage.SCHOLINGSPLAN
    services.scholingsplan_submit(versie=concept, user=cast.slb)
    agree_all(cast, concept)
    assert derived() == Stage.OPLEIDING
    for status, stage in (
        (Traject.Status.AFGEROND, Stage.AFGEROND),
        (Traject.Status.GESTOPT, Stage.GESTOPT),
    ):
        Traject.objects.filter(pk=t.pk).update(status=status)
        assert derived() == stage


def test_other_apps_can_mark_the_proeve_phase_of_the_records(cast, agreed):
    hooks.on_stage_proeve(
        "test",
        lambda: Exists(AuditEvent.objects.filter(traject_id=OuterRef("pk"), action="proeve.test")),
    )
    try:
        lifecycle.store_derived([cast.traject.pk])
        assert selectors.traject_stage(Traject.objects.get(pk=cast.traject.pk)) == Stage.OPLEIDING
        AuditEvent.objects.create(action="proeve.test", traject_id=cast.traject.pk)
        lifecycle.store_derived([cast.traject.pk])
        assert selectors.traject_stage(Traject.objects.get(pk=cast.traject.pk)) == Stage.PROEVE
        qs = selectors.with_stage(Traject.objects.all()).filter(stage=Stage.PROEVE)
        assert list(qs) == [cast.traject]
    finally:
        hooks._proeve_conditions.pop("test")


def test_selectors_for_other_apps_run_a_fixed_number_of_queries(
    cast, agreed, django_assert_num_queries
):
    for _ in range(8):
        f.LogboekregelFactory(traject=cast.traject)
    with django_assert_num_queries(4):
        current = selectors.current_plan_version(cast.traject)
        assert len(current.activiteiten_list) == 3
        assert all(a.ontwikkelpunt.gebied.name for a in current.activiteiten_list)
        assert len(current.instemmingen.all()) == 3
    with django_assert_num_queries(2):
        assert len(selectors.progress_per_ontwikkelpunt(cast.traject)) == 3
    with django_assert_num_queries(3):
        latest = selectors.latest_logboekregels(cast.traject, limit=5)
        assert len(latest) == 5
        for regel in latest:
            list(regel.ontwikkelpunten.all())
            list(regel.reacties.all())


# --- every traject URL ------------------------------------------------------------------------


def traject_urls(cast, regel_pk):
    pk = cast.traject.pk
    names = [
        "detail",
        "rollen",
        "onderzoek",
        "onderzoek_edit",
        "onderzoek_rapport",
        "plan",
        "plan_start",
        "plan_edit",
        "plan_submit",
        "plan_withdraw",
        "plan_discard",
        "plan_agree",
        "plan_comment",
        "plan_progress",
        "logboek",
        "logboek_create",
    ]
    urls = [reverse(f"trajecten:{name}", args=[pk]) for name in names]
    urls.append(reverse("trajecten:plan_version", args=[pk, 1]))
    for name in ("logboek_detail", "logboek_edit", "logboek_react", "logboek_bijlage"):
        urls.append(reverse(f"trajecten:{name}", args=[pk, regel_pk]))
    for name in ("logboek_version", "logboek_version_bijlage"):
        urls.append(reverse(f"trajecten:{name}", args=[pk, regel_pk, 1]))
    return urls


def test_anonymous_is_sent_to_login_from_every_traject_url(client, cast, agreed):
    regel = f.LogboekregelFactory(traject=cast.traject)
    for url in [
        *traject_urls(cast, regel.pk),
        reverse("trajecten:list"),
        reverse("trajecten:mine"),
        reverse("trajecten:import"),
    ]:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert "/account/login/" in response["Location"], url


def test_side_entrant_of_another_traject_gets_404_on_every_url(client, cast, agreed):
    regel = f.LogboekregelFactory(traject=cast.traject)
    stranger = f.TrajectFactory(school=cast.traject.school).zij_instromer
    client.force_login(stranger)
    for url in traject_urls(cast, regel.pk):
        # POST-only URLs answer a GET with 405 before looking anything up.
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url, {"tekst": "x", "partij": "zij_instromer"}).status_code == 404, url


def test_outsider_sees_empty_lists(client, cast):
    client.force_login(cast.outsider)
    for name in ("list", "mine"):
        page = client.get(reverse(f"trajecten:{name}")).content.decode()
        assert escape(cast.zij_instromer.get_full_name()) not in page

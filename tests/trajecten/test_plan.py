"""The scholingsplan: a draft by the SLB, agreed by three parties, a record afterwards;
a change makes a new version with a readable diff; progress never touches a version."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from portal.models import AuditEvent, Mail, Notificatie
from tests import factories as f
from tests.trajecten.conftest import agree_all
from trajecten import selectors, services
from trajecten.diff import plan_diff
from trajecten.models import (
    Activiteit,
    Activiteitvoortgang,
    Instemming,
    Rol,
    Scholingsplanversie,
    Traject,
)

pytestmark = pytest.mark.django_db
V = Scholingsplanversie.Status


def items_of(versie, changes=None):
    """The activities of `versie` as the draft form would send them."""
    out = []
    for a in versie.activiteiten.order_by("pk"):
        item = {
            "id": a.pk,
            "delete": False,
            "ontwikkelpunt": a.ontwikkelpunt,
            "omschrijving": a.omschrijving,
            "ondersteuning": list(a.ondersteuning),
            "periode_van": a.periode_van,
            "periode_tot": a.periode_tot,
        }
        item.update((changes or {}).get(a.pk, {}))
        out.append(item)
    return out


# --- services ---------------------------------------------------------------------------------


def test_a_plan_starts_only_after_a_positive_intake(cast):
    with pytest.raises(ValidationError):
        services.scholingsplan_start(traject=cast.traject, user=cast.slb)
    f.GeschiktheidsonderzoekFactory(traject=cast.traject, uitkomst="negatief")
    with pytest.raises(ValidationError):
        services.scholingsplan_start(traject=cast.traject, user=cast.slb)


def test_only_one_version_is_open_at_a_time(cast, concept):
    with pytest.raises(ValidationError):
        services.scholingsplan_start(traject=cast.traject, user=cast.slb)
    with pytest.raises(IntegrityError), transaction.atomic():
        Scholingsplanversie.objects.create(plan=concept.plan, nummer=2, created_by=cast.slb)


def test_draft_save_adds_changes_and_deletes_activities(cast, concept, punten):
    first, second, third = concept.activiteiten.order_by("pk")
    items = items_of(
        concept, {first.pk: {"omschrijving": "Nieuwe module"}, second.pk: {"delete": True}}
    )
    items.append(
        {
            "id": None,
            "delete": False,
            "ontwikkelpunt": punten[0],
            "omschrijving": "Extra",
            "ondersteuning": ["duo", "coach"],
            "periode_van": cast.traject.start_date,
            "periode_tot": cast.traject.start_date + datetime.timedelta(days=60),
        }
    )
    services.scholingsplan_draft_save(
        versie=concept,
        user=cast.slb,
        expected_version=concept.version,
        toelichting="",
        activiteiten=items,
    )
    names = set(concept.activiteiten.values_list("omschrijving", flat=True))
    assert names == {"Nieuwe module", third.omschrijving, "Extra"}
    assert concept.activiteiten.get(omschrijving="Extra").ondersteuning == ["coach", "duo"]


def test_draft_save_on_a_stale_version_is_refused(cast, concept):
    old = concept.version
    services.scholingsplan_draft_save(
        versie=concept,
        user=cast.slb,
        expected_version=old,
        toelichting="",
        activiteiten=items_of(concept),
    )
    with pytest.raises(services.StaleEdit):
        services.scholingsplan_draft_save(
            versie=concept, user=cast.slb, expected_version=old, toelichting="", activiteiten=[]
        )
    assert concept.activiteiten.count() == 3


def test_draft_refuses_a_period_outside_the_traject_or_reversed(cast, concept):
    a = concept.activiteiten.first()
    for van, tot in (
        (cast.traject.start_date - datetime.timedelta(days=1), cast.traject.end_date),
        (cast.traject.start_date, cast.traject.end_date + datetime.timedelta(days=1)),
        (cast.traject.start_date + datetime.timedelta(days=10), cast.traject.start_date),
    ):
        with pytest.raises(ValidationError):
            services.scholingsplan_draft_save(
                versie=concept,
                user=cast.slb,
                expected_version=concept.version,
                toelichting="",
                activiteiten=items_of(concept, {a.pk: {"periode_van": van, "periode_tot": tot}}),
            )
    a.refresh_from_db()
    assert a.periode_van == cast.traject.start_date


def test_draft_refuses_an_ontwikkelpunt_of_another_traject(cast, concept):
    a = concept.activiteiten.first()
    foreign = f.OntwikkelpuntFactory()
    with pytest.raises(ValidationError):
        services.scholingsplan_draft_save(
            versie=concept,
            user=cast.slb,
            expected_version=concept.version,
            toelichting="",
            activiteiten=items_of(concept, {a.pk: {"ontwikkelpunt": foreign}}),
        )


def test_submit_needs_every_ontwikkelpunt_planned(cast, concept):
    concept.activiteiten.first().delete()
    with pytest.raises(ValidationError, match="nog niets gepland"):
        services.scholingsplan_submit(versie=concept, user=cast.slb)


def test_submit_asks_side_entrant_and_school_leader_by_mail(cast, concept):
    services.scholingsplan_submit(versie=concept, user=cast.slb)
    concept.refresh_from_db()
    assert concept.status == V.TER_INSTEMMING
    told = set(Notificatie.objects.filter(kind="scholingsplan").values_list("user", flat=True))
    assert told == {cast.zij_instromer.pk, cast.schoolleider.pk}
    mailed = set(Mail.objects.filter(kind="scholingsplan").values_list("to", flat=True))
    assert mailed == {cast.zij_instromer.email, cast.schoolleider.email}
    assert "wacht op je instemming" in Mail.objects.get(to=cast.schoolleider.email).subject


def test_plan_is_agreed_when_all_three_parties_agreed(cast, concept):
    services.scholingsplan_submit(versie=concept, user=cast.slb)
    services.scholingsplan_agree(
        versie=concept,
        user=cast.zij_instromer,
        partij=Instemming.Partij.ZIJ_INSTROMER,
        rol=Rol.ZIJ_INSTROMER,
    )
    services.scholingsplan_agree(
        versie=concept,
        user=cast.schoolleider,
        partij=Instemming.Partij.SCHOOL,
        rol=Rol.SCHOOLLEIDER,
    )
    concept.refresh_from_db()
    assert concept.status == V.TER_INSTEMMING
    assert selectors.current_plan_version(cast.traject) is None
    services.scholingsplan_agree(
        versie=concept,
        user=cast.coordinator,
        partij=Instemming.Partij.OPLEIDING,
        rol=Rol.COORDINATOR,
    )
    concept.refresh_from_db()
    assert concept.status == V.VASTGESTELD and concept.vastgesteld_op is not None
    current = selectors.current_plan_version(cast.traject)
    assert current == concept and len(current.activiteiten_list) == 3
    assert {(i.partij, i.user_id) for i in current.instemmingen.all()} == {
        ("zij_instromer", cast.zij_instromer.pk),
        ("school", cast.schoolleider.pk),
        ("opleiding", cast.coordinator.pk),
    }
    assert AuditEvent.objects.filter(action="scholingsplan.vastgesteld").count() == 1
    assert Notificatie.objects.filter(user=cast.coach, kind="scholingsplan").exists()


def test_a_party_agrees_only_once(cast, concept):
    services.scholingsplan_submit(versie=concept, user=cast.slb)
    services.scholingsplan_agree(
        versie=concept, user=cast.slb, partij=Instemming.Partij.OPLEIDING, rol=Rol.SLB
    )
    with pytest.raises(ValidationError):
        services.scholingsplan_agree(
            versie=concept,
            user=cast.coordinator,
            partij=Instemming.Partij.OPLEIDING,
            rol=Rol.COORDINATOR,
        )


def test_agreeing_with_a_concept_is_refused(cast, concept):
    with pytest.raises(ValidationError):
        services.scholingsplan_agree(
            versie=concept,
            user=cast.zij_instromer,
            partij=Instemming.Partij.ZIJ_INSTROMER,
            rol=Rol.ZIJ_INSTROMER,
        )


def test_withdrawing_lets_agreements_lapse_and_audits_them(cast, concept):
    services.scholingsplan_submit(versie=concept, user=cast.slb)
    services.scholingsplan_agree(
        versie=concept,
        user=cast.zij_instromer,
        partij=Instemming.Partij.ZIJ_INSTROMER,
        rol=Rol.ZIJ_INSTROMER,
    )
    services.scholingsplan_withdraw(versie=concept, user=cast.slb)
    concept.refresh_from_db()
    assert concept.status == V.CONCEPT and not concept.instemmingen.exists()
    event = AuditEvent.objects.get(action="scholingsplan.withdraw")
    assert event.detail["vervallen_instemmingen"] == [["zij_instromer", cast.zij_instromer.pk]]


def test_an_agreed_version_is_a_record_and_cannot_be_edited_withdrawn_or_discarded(cast, agreed):
    for action in (
        lambda: services.scholingsplan_draft_save(
            versie=agreed,
            user=cast.slb,
            expected_version=agreed.version,
            toelichting="",
            activiteiten=[],
        ),
        lambda: services.scholingsplan_withdraw(versie=agreed, user=cast.slb),
        lambda: services.scholingsplan_discard(versie=agreed, user=cast.slb),
        lambda: services.scholingsplan_submit(versie=agreed, user=cast.slb),
    ):
        with pytest.raises(ValidationError):
            action()
    assert agreed.activiteiten.count() == 3


def test_a_change_makes_a_new_version_and_the_old_one_stays(cast, agreed, punten):
    v2 = services.scholingsplan_start(traject=cast.traject, user=cast.slb)
    assert v2.nummer == 2 and v2.status == V.CONCEPT
    old = {a.key: a for a in agreed.activiteiten.all()}
    assert {a.key for a in v2.activiteiten.all()} == set(old)
    # Version 2 needs an explanation and an actual change.
    with pytest.raises(ValidationError, match="Licht toe"):
        services.scholingsplan_submit(versie=v2, user=cast.slb)
    services.scholingsplan_draft_save(
        versie=v2,
        user=cast.slb,
        expected_version=v2.version,
        toelichting="Na het gesprek",
        activiteiten=items_of(v2),
    )
    with pytest.raises(ValidationError, match="niets gewijzigd"):
        services.scholingsplan_submit(versie=v2, user=cast.slb)
    first = v2.activiteiten.order_by("pk").first()
    new_end = cast.traject.start_date + datetime.timedelta(days=200)
    v2.refresh_from_db()
    services.scholingsplan_draft_save(
        versie=v2,
        user=cast.slb,
        expected_version=v2.version,
        toelichting="Na het gesprek",
        activiteiten=items_of(
            v2, {first.pk: {"omschrijving": "Module rekenen, blok 3", "periode_tot": new_end}}
        ),
    )
    services.scholingsplan_submit(versie=v2, user=cast.slb)
    # Until version 2 is agreed, version 1 is still in force.
    assert selectors.current_plan_version(cast.traject) == agreed
    agree_all(cast, v2)
    assert selectors.current_plan_version(cast.traject) == v2
    # Version 1 is unchanged and keeps who agreed when.
    unchanged = selectors.plan_version(cast.traject, 1)
    assert unchanged.status == V.VASTGESTELD
    assert {a.key: a.omschrijving for a in unchanged.activiteiten_list} == {
        k: a.omschrijving for k, a in old.items()
    }
    assert unchanged.instemmingen.count() == 3
    versions = selectors.plan_versions(cast.traject)
    assert [v.nummer for v in versions] == [2, 1]


def test_diff_names_changed_added_and_removed_activities(cast, agreed, punten):
    v2 = services.scholingsplan_start(traject=cast.traject, user=cast.slb)
    a1, a2, a3 = v2.activiteiten.order_by("pk")
    items = items_of(
        v2,
        {
            a1.pk: {"omschrijving": "Module rekenen blok 3"},
            a2.pk: {"delete": True},
            a3.pk: {"ondersteuning": ["coach", "slb"]},
        },
    )
    items.append(
        {
            "id": None,
            "delete": False,
            "ontwikkelpunt": punten[1],
            "omschrijving": "Lesbezoek",
            "ondersteuning": [],
            "periode_van": cast.traject.start_date,
            "periode_tot": cast.traject.end_date,
        }
    )
    services.scholingsplan_draft_save(
        versie=v2, user=cast.slb, expected_version=v2.version, toelichting="x", activiteiten=items
    )
    previous = selectors.previous_in(
        selectors.plan_versions(cast.traject), selectors.plan_version(cast.traject, 2)
    )
    changes = plan_diff(
        previous.activiteiten_list, selectors.plan_version(cast.traject, 2).activiteiten_list
    )
    kinds = sorted((c.kind, c.activiteit.omschrijving) for c in changes)
    assert ("added", "Lesbezoek") in kinds
    assert ("removed", a2.omschrijving) in kinds
    changed = {c.activiteit.omschrijving: c for c in changes if c.kind == "changed"}
    assert [fc.label for fc in changed["Module rekenen blok 3"].fields] == ["Module of activiteit"]
    assert ("insert", "rekenen blok 3") in changed["Module rekenen blok 3"].fields[0].segments
    support = changed[a3.omschrijving].fields[0]
    assert support.label == "Ondersteuning" and "leerkrachtcoach" in support.new


def test_progress_is_kept_beside_the_version_and_follows_it_to_the_next(cast, agreed):
    a = agreed.activiteiten.first()
    content_before = list(agreed.activiteiten.values_list("key", "omschrijving", "periode_van"))
    services.activiteit_voortgang_set(
        traject=cast.traject, key=a.key, afgerond=True, user=cast.zij_instromer
    )
    assert (
        list(agreed.activiteiten.values_list("key", "omschrijving", "periode_van"))
        == content_before
    )
    progress = selectors.progress_per_ontwikkelpunt(cast.traject)
    assert [(p.planned, p.done) for p in progress] == [(1, 1), (1, 0), (1, 0)]
    # The next version carries the same key, so the activity stays done.
    v2 = services.scholingsplan_start(traject=cast.traject, user=cast.slb)
    same = v2.activiteiten.get(key=a.key)
    v2_view = selectors.plan_version(cast.traject, 2)
    assert next(x for x in v2_view.activiteiten_list if x.pk == same.pk).afgerond
    services.activiteit_voortgang_set(
        traject=cast.traject, key=a.key, afgerond=False, user=cast.coach
    )
    assert not Activiteitvoortgang.objects.get(key=a.key).afgerond


def test_progress_on_an_activity_not_in_the_agreed_plan_is_refused(cast, concept):
    a = concept.activiteiten.first()
    with pytest.raises(ValidationError):
        services.activiteit_voortgang_set(
            traject=cast.traject, key=a.key, afgerond=True, user=cast.zij_instromer
        )


def test_discarding_a_concept_removes_it(cast, agreed):
    v2 = services.scholingsplan_start(traject=cast.traject, user=cast.slb)
    services.planopmerking_add(versie=v2, user=cast.zij_instromer, tekst="Kan dit eerder?")
    services.scholingsplan_discard(versie=v2, user=cast.slb)
    assert [v.nummer for v in selectors.plan_versions(cast.traject)] == [1]
    assert Activiteit.objects.filter(versie__nummer=2).count() == 0


def test_a_comment_tells_the_slb(cast, concept):
    services.planopmerking_add(versie=concept, user=cast.zij_instromer, tekst="Eerder graag")
    assert Notificatie.objects.filter(user=cast.slb, kind="scholingsplan").exists()


# --- views ------------------------------------------------------------------------------------


def url(name, cast, *args):
    return reverse(f"trajecten:{name}", args=[cast.traject.pk, *args])


@pytest.mark.parametrize(
    "who", ["zij_instromer", "coach", "slb", "duo", "schoolleider", "coordinator"]
)
def test_everyone_around_the_traject_reads_the_plan_and_its_versions(client, cast, agreed, who):
    client.force_login(getattr(cast, who))
    page = client.get(url("plan", cast)).content.decode()
    assert "Geldende versie: versie 1" in page
    assert agreed.activiteiten.first().omschrijving in page
    assert client.get(url("plan_version", cast, 1)).status_code == 200


@pytest.mark.parametrize("who", ["outsider", "other_coach"])
def test_outsiders_get_404_on_every_plan_url(client, cast, agreed, who):
    client.force_login(getattr(cast, who))
    assert client.get(url("plan", cast)).status_code == 404
    assert client.get(url("plan_version", cast, 1)).status_code == 404
    assert client.get(url("plan_edit", cast)).status_code == 404
    for name in (
        "plan_start",
        "plan_submit",
        "plan_agree",
        "plan_comment",
        "plan_progress",
        "plan_withdraw",
        "plan_discard",
    ):
        assert client.post(url(name, cast), {"partij": "school"}).status_code == 404, name


def test_anonymous_is_sent_to_login_from_the_plan(client, cast, agreed):
    response = client.get(url("plan", cast))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_missing_version_is_404(client, cast, agreed):
    client.force_login(cast.slb)
    assert client.get(url("plan_version", cast, 7)).status_code == 404


def test_slb_drafts_through_the_pages(client, cast, onderzoek, punten):
    client.force_login(cast.slb)
    response = client.post(url("plan_start", cast))
    assert response.status_code == 302 and response["Location"] == url("plan_edit", cast)
    page = client.get(url("plan_edit", cast))
    assert page.status_code == 200
    versie = selectors.open_plan_version(cast.traject)
    data = {
        "version": str(versie.version),
        "toelichting": "",
        "act-TOTAL_FORMS": "3",
        "act-INITIAL_FORMS": "0",
        "act-MIN_NUM_FORMS": "0",
        "act-MAX_NUM_FORMS": "1000",
    }
    for i, punt in enumerate(punten):
        data.update(
            {
                f"act-{i}-ontwikkelpunt": str(punt.pk),
                f"act-{i}-omschrijving": f"Module {i}",
                f"act-{i}-ondersteuning": ["coach"],
                f"act-{i}-periode_van": cast.traject.start_date.isoformat(),
                f"act-{i}-periode_tot": cast.traject.end_date.isoformat(),
            }
        )
    response = client.post(url("plan_edit", cast), {**data, "submit_plan": "1"})
    assert response.status_code == 302
    versie.refresh_from_db()
    assert versie.status == V.TER_INSTEMMING
    assert versie.activiteiten.count() == 3


def test_draft_form_shows_period_errors_at_the_field_and_saves_nothing(client, cast, concept):
    client.force_login(cast.slb)
    a = concept.activiteiten.order_by("pk").first()
    data = {
        "version": str(concept.version),
        "toelichting": "",
        "act-TOTAL_FORMS": "1",
        "act-INITIAL_FORMS": "1",
        "act-MIN_NUM_FORMS": "0",
        "act-MAX_NUM_FORMS": "1000",
        "act-0-id": str(a.pk),
        "act-0-ontwikkelpunt": str(a.ontwikkelpunt_id),
        "act-0-omschrijving": "Gewijzigd",
        "act-0-periode_van": (cast.traject.start_date + datetime.timedelta(days=30)).isoformat(),
        "act-0-periode_tot": cast.traject.start_date.isoformat(),
    }
    response = client.post(url("plan_edit", cast), data)
    assert response.status_code == 200
    assert "De periode eindigt vóór ze begint." in response.content.decode()
    data.update(
        {
            "act-0-periode_van": cast.traject.start_date.isoformat(),
            "act-0-periode_tot": (cast.traject.end_date + datetime.timedelta(days=1)).isoformat(),
        }
    )
    response = client.post(url("plan_edit", cast), data)
    assert "Ligt na de einddatum van het traject" in response.content.decode()
    foreign = f.OntwikkelpuntFactory()
    data.update(
        {
            "act-0-periode_tot": cast.traject.end_date.isoformat(),
            "act-0-ontwikkelpunt": str(foreign.pk),
        }
    )
    response = client.post(url("plan_edit", cast), data)
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    a.refresh_from_db()
    assert a.omschrijving != "Gewijzigd"


def test_stale_draft_save_keeps_the_typed_text(client, cast, concept):
    client.force_login(cast.slb)
    a = concept.activiteiten.order_by("pk").first()
    data = {
        "version": str(concept.version - 1),
        "toelichting": "",
        "act-TOTAL_FORMS": "1",
        "act-INITIAL_FORMS": "1",
        "act-MIN_NUM_FORMS": "0",
        "act-MAX_NUM_FORMS": "1000",
        "act-0-id": str(a.pk),
        "act-0-ontwikkelpunt": str(a.ontwikkelpunt_id),
        "act-0-omschrijving": "Mijn tekst",
        "act-0-periode_van": cast.traject.start_date.isoformat(),
        "act-0-periode_tot": cast.traject.end_date.isoformat(),
    }
    response = client.post(url("plan_edit", cast), data)
    page = response.content.decode()
    assert "Iemand anders heeft dit intussen gewijzigd" in page and "Mijn tekst" in page


@pytest.mark.parametrize("who", ["zij_instromer", "coach", "duo", "schoolleider", "coordinator"])
def test_only_the_slb_drafts(client, cast, concept, who):
    client.force_login(getattr(cast, who))
    assert client.get(url("plan_edit", cast)).status_code == 403
    for name in ("plan_submit", "plan_withdraw", "plan_discard", "plan_start"):
        assert client.post(url(name, cast)).status_code == 403, name
    concept.refresh_from_db()
    assert concept.status == V.CONCEPT


@pytest.mark.parametrize(
    "who, partij",
    [
        ("zij_instromer", "zij_instromer"),
        ("schoolleider", "school"),
        ("slb", "opleiding"),
        ("coordinator", "opleiding"),
    ],
)
def test_each_party_agrees_in_the_portal(client, cast, concept, who, partij):
    services.scholingsplan_submit(versie=concept, user=cast.slb)
    concept.refresh_from_db()
    client.force_login(getattr(cast, who))
    page = client.get(url("plan", cast)).content.decode()
    assert "Ik stem in namens" in page
    response = client.post(url("plan_agree", cast), {"partij": partij, "version": concept.version})
    assert response.status_code == 302
    assert concept.instemmingen.get().partij == partij


@pytest.mark.parametrize(
    "who, partij",
    [
        ("coach", "opleiding"),
        ("duo", "school"),
        ("zij_instromer", "school"),
        ("schoolleider", "zij_instromer"),
    ],
)
def test_a_role_may_not_agree_for_another_party(client, cast, concept, who, partij):
    services.scholingsplan_submit(versie=concept, user=cast.slb)
    concept.refresh_from_db()
    client.force_login(getattr(cast, who))
    response = client.post(url("plan_agree", cast), {"partij": partij, "version": concept.version})
    assert response.status_code == 403
    assert not concept.instemmingen.exists()


def test_agreeing_with_a_changed_plan_is_refused(client, cast, concept):
    services.scholingsplan_submit(versie=concept, user=cast.slb)
    client.force_login(cast.zij_instromer)
    response = client.post(url("plan_agree", cast), {"partij": "zij_instromer", "version": "1"})
    assert response.status_code == 302
    assert not concept.instemmingen.exists()


def test_side_entrant_comments_on_the_draft(client, cast, concept):
    client.force_login(cast.zij_instromer)
    response = client.post(url("plan_comment", cast), {"tekst": "Kan de module eerder?"})
    assert response.status_code == 302
    assert "Kan de module eerder?" in client.get(url("plan", cast)).content.decode()


def test_duo_may_not_comment(client, cast, concept):
    client.force_login(cast.duo)
    assert client.post(url("plan_comment", cast), {"tekst": "x"}).status_code == 403


def test_side_entrant_ticks_an_activity_done_and_the_page_shows_progress(client, cast, agreed):
    client.force_login(cast.zij_instromer)
    a = agreed.activiteiten.first()
    response = client.post(url("plan_progress", cast), {"key": str(a.key), "afgerond": "1"})
    assert response.status_code == 302
    page = client.get(reverse("trajecten:detail", args=[cast.traject.pk])).content.decode()
    assert "1 van 1 activiteiten afgerond" in page
    assert 'max="1" value="1"' in page


@pytest.mark.parametrize("who", ["duo", "schoolleider", "coordinator"])
def test_roles_that_only_read_may_not_tick_progress(client, cast, agreed, who):
    client.force_login(getattr(cast, who))
    a = agreed.activiteiten.first()
    assert (
        client.post(url("plan_progress", cast), {"key": str(a.key), "afgerond": "1"}).status_code
        == 403
    )
    assert not Activiteitvoortgang.objects.exists()


def test_version_page_shows_the_changes(client, cast, agreed):
    v2 = services.scholingsplan_start(traject=cast.traject, user=cast.slb)
    a = v2.activiteiten.order_by("pk").first()
    services.scholingsplan_draft_save(
        versie=v2,
        user=cast.slb,
        expected_version=v2.version,
        toelichting="Later in het jaar",
        activiteiten=items_of(v2, {a.pk: {"omschrijving": "Module rekenen blok 3"}}),
    )
    client.force_login(cast.schoolleider)
    page = client.get(url("plan_version", cast, 2)).content.decode()
    assert "Wat is er veranderd ten opzichte van versie 1" in page
    assert "Later in het jaar" in page
    assert "<ins>" in page and "<del>" in page


def test_closed_traject_plan_is_read_only(client, cast, agreed):
    Traject.objects.filter(pk=cast.traject.pk).update(status=Traject.Status.AFGEROND)
    client.force_login(cast.slb)
    assert client.get(url("plan", cast)).status_code == 200
    assert client.post(url("plan_start", cast)).status_code == 403


def test_plan_page_says_so_when_the_school_has_no_leader_to_agree(client, cast, concept):
    services.scholingsplan_submit(versie=concept, user=cast.slb)
    cast.traject.school.leiders.clear()
    client.force_login(cast.zij_instromer)
    page = client.get(url("plan", cast)).content.decode()
    assert "Deze school heeft nog geen schoolleider in Lev" in page

"""Property-based tests of the trajecten forms and services: whatever a person posts (text
with NUL and RTL marks, huge strings, dates far away, negative and huge numbers, ids of
another traject's objects, broken files), the answer is a form error or a success, never a
500, and a refused form changes no row at all."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import example, given
from hypothesis import strategies as st

from conftest import login, reauthenticated
from tests import factories as f
from tests.props import (
    PROPS,
    changed,
    check,
    dates,
    db_state,
    ids,
    numbers,
    post,
    resolve,
    texts,
    upload_files,
)
from tests.trajecten.conftest import PDF_BYTES, PNG_BYTES
from trajecten import services
from trajecten.models import (
    Activiteit,
    Activiteitvoortgang,
    Geschiktheidsonderzoek,
    Logboekregel,
    Ontwikkelpunt,
    Roltoewijzing,
    Scholingsplanversie,
    Traject,
)

pytestmark = pytest.mark.django_db

FILES = upload_files(PDF_BYTES, PNG_BYTES)


# --- data ---------------------------------------------------------------------------------------


@pytest.fixture
def elsewhere(cast):
    """Objects of the other traject in the same partnership, and of another partnership: what
    a tampered form may point at."""
    other = Traject.objects.get(coach=cast.other_coach)
    far = f.TrajectFactory()
    punt = f.OntwikkelpuntFactory(traject=other)
    return SimpleNamespace(
        traject=other,
        punt=punt,
        activity=f.ActiviteitFactory(versie__plan__traject=other, ontwikkelpunt=punt),
        regel=f.LogboekregelFactory(traject=other),
        far_punt=f.OntwikkelpuntFactory(traject=far),
        far_regel=f.LogboekregelFactory(traject=far),
    )


def url(name, cast, *args):
    return reverse(f"trajecten:{name}", args=[cast.traject.pk, *args])


def reopen(traject: Traject) -> None:
    Traject.objects.filter(pk=traject.pk).update(status=Traject.Status.ACTIEF)


# --- logboek ------------------------------------------------------------------------------------


@PROPS
@given(
    datum=dates(),
    wat=texts(),
    geleerd=texts(),
    points=st.one_of(st.just([]), st.lists(ids(), max_size=3)),
    bijlage=FILES,
)
@example(datum="today", wat="Rekenles", geleerd="", points=["own", "own2"], bijlage=None)
@example(datum="today", wat="Rekenles", geleerd="", points=["other"], bijlage=None)
@example(datum="today", wat="Les", geleerd="", points=[], bijlage=("../../x.pdf", PDF_BYTES[:20]))
def test_a_logboek_entry_is_refused_or_saved_whole(
    client, cast, punten, elsewhere, datum, wat, geleerd, points, bijlage
):
    table = {
        "own": punten[0],
        "own2": punten[1],
        "other": elsewhere.punt,
        "far": elsewhere.far_punt,
        "today": timezone.localdate().isoformat(),
    }
    login(client, cast.zij_instromer)
    before = db_state()
    count = Logboekregel.objects.count()
    data = {
        "datum": table.get(datum, datum),
        "wat_er_gebeurde": wat,
        "geleerd": geleerd,
        "ontwikkelpunten": [resolve(p, table) for p in points],
    }
    response = post(client, url("logboek_create", cast), data, {"bijlage": bijlage})
    if check(response, before):
        # One new entry, or (the same entry again within seconds) the earlier one.
        assert Logboekregel.objects.count() in (count, count + 1)
        regel = Logboekregel.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
        assert regel.traject_id == cast.traject.pk
        assert {p.traject_id for p in regel.ontwikkelpunten.all()} <= {cast.traject.pk}
        assert regel.datum <= timezone.localdate()


@PROPS
@given(
    version=numbers(),
    datum=dates(),
    wat=texts(),
    points=st.one_of(st.just([]), st.lists(ids(), max_size=3)),
    bijlage=FILES,
    remove=st.booleans(),
)
def test_a_logboek_edit_is_refused_or_keeps_the_earlier_version(
    client, cast, punten, elsewhere, version, datum, wat, points, bijlage, remove
):
    regel = Logboekregel.objects.filter(traject=cast.traject).first() or f.LogboekregelFactory(
        traject=cast.traject, datum=cast.traject.start_date
    )
    table = {
        "own": punten[0],
        "own2": punten[1],
        "other": elsewhere.punt,
        "far": elsewhere.far_punt,
        "today": timezone.localdate().isoformat(),
        "CURRENT": regel.version,
    }
    login(client, cast.zij_instromer)
    before = db_state(Logboekregel)
    data = {
        "version": table.get(version, version),
        "datum": table.get(datum, datum),
        "wat_er_gebeurde": wat,
        "geleerd": "",
        "ontwikkelpunten": [resolve(p, table) for p in points],
        "bijlage_verwijderen": "on" if remove else "",
    }
    response = post(client, url("logboek_edit", cast, regel.pk), data, {"bijlage": bijlage})
    if check(response, before, Logboekregel):
        fresh = Logboekregel.objects.get(pk=regel.pk)
        assert fresh.version == regel.version + 1
        assert fresh.versies.filter(version=regel.version).exists()


@PROPS
@given(tekst=texts(), regel=st.sampled_from(["own", "other", "far", "0", "9223372036854775808"]))
def test_a_reaction_is_refused_or_placed(client, cast, elsewhere, tekst, regel):
    own = Logboekregel.objects.filter(traject=cast.traject).first() or f.LogboekregelFactory(
        traject=cast.traject
    )
    table = {"own": own, "other": elsewhere.regel, "far": elsewhere.far_regel}
    login(client, cast.coach)
    before = db_state()
    response = post(
        client, url("logboek_react", cast, int(resolve(regel, table))), {"tekst": tekst}
    )
    if check(response, before):
        assert regel == "own"


# --- geschiktheidsonderzoek with ontwikkelpunten -----------------------------------------------

ROW = st.fixed_dictionaries(
    {
        "id": ids(),
        "gebied": st.one_of(
            st.sampled_from(["1", "2", "3"]), st.sampled_from(["999", "-1", "x", ""])
        ),
        "titel": texts(),
        "omschrijving": texts(),
        "DELETE": st.sampled_from(["", "on"]),
    }
)


@PROPS
@given(
    datum=dates(),
    uitkomst=st.sampled_from(["positief", "positief", "negatief", "", "onzin"]),
    answers=st.tuples(texts(), texts(), texts()),
    version=numbers(),
    rows=st.lists(ROW, max_size=4),
    initial=st.integers(-1, 5),
    rapport=FILES,
)
@example(
    datum="today",
    uitkomst="positief",
    answers=("Ja", "Ja", "Modules"),
    version="",
    rows=[
        {"id": "", "gebied": "1", "titel": "Klassenmanagement", "omschrijving": "", "DELETE": ""}
    ],
    initial=0,
    rapport=("rapport.pdf", PDF_BYTES),
)
@example(  # one ontwikkelpunt posted twice: deleted in one row, changed in the other
    datum="today",
    uitkomst="positief",
    answers=("Ja", "Ja", "Modules"),
    version="CURRENT",
    rows=[
        {"id": "own", "gebied": "1", "titel": "Weg", "omschrijving": "", "DELETE": "on"},
        {"id": "own", "gebied": "1", "titel": "Blijft", "omschrijving": "", "DELETE": ""},
    ],
    initial=2,
    rapport=None,
)
def test_an_intake_is_refused_or_saved_with_its_ontwikkelpunten(
    client, cast, elsewhere, datum, uitkomst, answers, version, rows, initial, rapport
):
    reopen(cast.traject)
    onderzoek = getattr(Traject.objects.get(pk=cast.traject.pk), "geschiktheidsonderzoek", None)
    own = list(Ontwikkelpunt.objects.filter(traject=cast.traject).order_by("order", "pk"))
    table = {
        "own": own[0] if own else "",
        "own2": own[1] if len(own) > 1 else "",
        "other": elsewhere.punt,
        "far": elsewhere.far_punt,
        "today": timezone.localdate().isoformat(),
        "CURRENT": onderzoek.version if onderzoek else "",
    }
    gebieden = {
        str(i): g.pk
        for i, g in enumerate(
            apps.get_model("trajecten", "Bekwaamheidsgebied").objects.order_by("order"), start=1
        )
    }
    login(client, cast.slb)
    before = db_state(Geschiktheidsonderzoek, Ontwikkelpunt, Traject)
    data = {
        "datum": table.get(datum, datum),
        "uitkomst": uitkomst,
        "kan_direct_lesgeven": answers[0],
        "kan_binnen_twee_jaar": answers[1],
        "scholing_en_ondersteuning": answers[2],
        "version": table.get(version, version),
        "punt-TOTAL_FORMS": str(len(rows)),
        "punt-INITIAL_FORMS": str(initial),
        "punt-MIN_NUM_FORMS": "0",
        "punt-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data[f"punt-{i}-id"] = resolve(row["id"], table)
        data[f"punt-{i}-gebied"] = str(gebieden.get(row["gebied"], row["gebied"]))
        data[f"punt-{i}-titel"] = row["titel"]
        data[f"punt-{i}-omschrijving"] = row["omschrijving"]
        data[f"punt-{i}-DELETE"] = row["DELETE"]
    response = post(client, url("onderzoek_edit", cast), data, {"rapport": rapport})
    # A negative outcome is recorded with a warning: the traject stops.
    if check(
        response,
        before,
        Geschiktheidsonderzoek,
        Ontwikkelpunt,
        Traject,
        levels=(messages.SUCCESS, messages.WARNING),
    ):
        traject = Traject.objects.get(pk=cast.traject.pk)
        found = traject.geschiktheidsonderzoek
        assert found.uitkomst == uitkomst
        if uitkomst == "positief":
            assert traject.ontwikkelpunten.exists()
        else:
            assert traject.status == Traject.Status.GESTOPT
    # Punten of other trajecten are never touched.
    assert Ontwikkelpunt.objects.get(pk=elsewhere.punt.pk).titel == elsewhere.punt.titel


# --- scholingsplan ------------------------------------------------------------------------------

ACTIVITY = st.fixed_dictionaries(
    {
        "id": st.one_of(
            st.sampled_from(["", "own"]),
            st.sampled_from(["other", "-1", "abc", "9223372036854775808"]),
        ),
        "ontwikkelpunt": ids(),
        "omschrijving": texts(),
        "ondersteuning": st.lists(st.sampled_from(["coach", "duo", "slb", "x", ""]), max_size=3),
        "periode_van": dates("start"),
        "periode_tot": dates("end"),
        "DELETE": st.sampled_from(["", "on"]),
    }
)


@PROPS
@given(
    version=numbers(),
    toelichting=texts(),
    rows=st.lists(ACTIVITY, max_size=4),
    initial=st.integers(-1, 4),
    submit=st.booleans(),
)
@example(
    version="CURRENT",
    toelichting="",
    submit=True,
    initial=0,
    rows=[
        {
            "id": "",
            "ontwikkelpunt": p,
            "omschrijving": "Module",
            "ondersteuning": ["coach"],
            "periode_van": "start",
            "periode_tot": "end",
            "DELETE": "",
        }
        for p in ("own", "own2", "own3")
    ],
)
@example(  # one activity posted twice: deleted in one row, changed in the other
    version="CURRENT",
    toelichting="",
    submit=False,
    initial=2,
    rows=[
        {
            "id": "own",
            "ontwikkelpunt": "own",
            "omschrijving": "Module",
            "ondersteuning": [],
            "periode_van": "start",
            "periode_tot": "end",
            "DELETE": delete,
        }
        for delete in ("on", "")
    ],
)
def test_a_plan_draft_is_refused_or_saved_whole(
    client, cast, concept, punten, elsewhere, version, toelichting, rows, initial, submit
):
    reopen(cast.traject)
    # Keep exploring the draft even after an example put it up for agreement.
    Scholingsplanversie.objects.filter(pk=concept.pk).update(status="concept", submitted_at=None)
    concept.refresh_from_db()
    other_activity = elsewhere.activity
    activities = list(concept.activiteiten.all())
    table = {
        "own": activities[0] if activities else "",
        "other": other_activity,
        "CURRENT": concept.version,
        "start": cast.traject.start_date.isoformat(),
        "end": cast.traject.end_date.isoformat(),
    }
    punt_table = {
        "own": punten[0],
        "own2": punten[1],
        "own3": punten[2],
        "other": elsewhere.punt,
        "far": elsewhere.far_punt,
    }
    login(client, cast.slb)
    before = db_state(Scholingsplanversie, Activiteit)
    data = {
        "version": table.get(version, version),
        "toelichting": toelichting,
        "act-TOTAL_FORMS": str(len(rows)),
        "act-INITIAL_FORMS": str(initial),
        "act-MIN_NUM_FORMS": "0",
        "act-MAX_NUM_FORMS": "1000",
    }
    if submit:
        data["submit_plan"] = "1"
    for i, row in enumerate(rows):
        data[f"act-{i}-id"] = resolve(row["id"], table)
        data[f"act-{i}-ontwikkelpunt"] = resolve(row["ontwikkelpunt"], punt_table)
        data[f"act-{i}-omschrijving"] = row["omschrijving"]
        data[f"act-{i}-ondersteuning"] = row["ondersteuning"]
        data[f"act-{i}-periode_van"] = table.get(row["periode_van"], row["periode_van"])
        data[f"act-{i}-periode_tot"] = table.get(row["periode_tot"], row["periode_tot"])
        data[f"act-{i}-DELETE"] = row["DELETE"]
    response = post(client, url("plan_edit", cast), data)
    if check(response, before, Scholingsplanversie, Activiteit):
        concept.refresh_from_db()
        for a in concept.activiteiten.all():
            assert a.ontwikkelpunt.traject_id == cast.traject.pk
            assert cast.traject.start_date <= a.periode_van <= a.periode_tot
            assert a.periode_tot <= cast.traject.end_date
            assert set(a.ondersteuning) <= {"coach", "duo", "slb"}
    # The other traject's plan is never touched.
    assert other_activity.versie.activiteiten.get() == other_activity


@PROPS
@given(
    partij=st.sampled_from(["zij_instromer", "school", "opleiding", "", "coach", "\x00"]),
    version=numbers(),
    who=st.sampled_from(["zij_instromer", "schoolleider", "slb", "coach", "duo", "coordinator"]),
)
def test_an_agreement_is_refused_or_recorded_once(client, cast, concept, partij, version, who):
    reopen(cast.traject)
    if concept.status == "concept":
        services.scholingsplan_submit(versie=concept, user=cast.slb)
        concept.refresh_from_db()
    login(client, getattr(cast, who))
    before = db_state(Scholingsplanversie)
    current = Scholingsplanversie.objects.get(pk=concept.pk)
    response = post(
        client,
        url("plan_agree", cast),
        {"partij": partij, "version": current.version if version == "CURRENT" else version},
    )
    if check(response, before, Scholingsplanversie):
        assert current.instemmingen.filter(partij=partij).count() == 1


@PROPS
@given(
    tekst=texts(),
    key=st.one_of(st.uuids().map(str), texts(10), st.just("OWN")),
    afgerond=st.sampled_from(["1", "0", "", "on", "\x00"]),
)
def test_a_comment_or_progress_tick_is_refused_or_saved(client, cast, agreed, tekst, key, afgerond):
    reopen(cast.traject)
    own_key = str(agreed.activiteiten.first().key)
    login(client, cast.zij_instromer)
    before = db_state(Activiteitvoortgang)
    check(
        post(
            client,
            url("plan_progress", cast),
            {
                "key": own_key if key == "OWN" else key,
                "afgerond": afgerond,
            },
        ),
        before,
        Activiteitvoortgang,
    )
    # A comment needs an open version: start a new draft first.
    if not Scholingsplanversie.objects.filter(plan=agreed.plan, status="concept").exists():
        services.scholingsplan_start(traject=cast.traject, user=cast.slb)
    before = db_state(Activiteitvoortgang)
    check(post(client, url("plan_comment", cast), {"tekst": tekst}), before, Activiteitvoortgang)


# --- people and import --------------------------------------------------------------------------


@PROPS
@given(
    rol=st.sampled_from(["coach", "slb", "duo", "zij_instromer", "coordinator", "", "\x00"]),
    email=st.one_of(
        st.sampled_from(
            [
                "OTHER_COACH",
                "SELF",
                "ZI",
                "COACH",
                "nobody@example.test",
                "",
                "a@b",
                "x" * 300 + "@example.test",
            ]
        ),
        texts(20),
    ),
)
def test_a_role_change_is_refused_or_recorded_with_history(client, cast, rol, email):
    reopen(cast.traject)
    table = {
        "OTHER_COACH": cast.other_coach.email,
        "SELF": cast.coordinator.email,
        "ZI": cast.zij_instromer.email,
        "COACH": Traject.objects.get(pk=cast.traject.pk).coach.email,
    }
    if not client.session.get("account_authentication_methods"):
        reauthenticated(client, cast.coordinator)
    before = db_state(Traject, Roltoewijzing)
    response = post(client, url("rollen", cast), {"rol": rol, "email": table.get(email, email)})
    if check(response, before, Traject, Roltoewijzing):
        traject = Traject.objects.get(pk=cast.traject.pk)
        assert traject.roltoewijzingen.filter(rol=rol, tot__isnull=True).count() <= 1
        holder = getattr(traject, f"{rol}_id")
        assert holder != traject.zij_instromer_id


HEADER = "voornaam;achternaam;email;school;route;startdatum;einddatum;coach_email;slb_email"
CSV_VALUE = st.one_of(
    texts(20),
    st.sampled_from(
        [
            "01AB00",
            "De Regenboog",
            "zib",
            "versneld",
            "01-09-2026",
            "2026-09-01",
            "31-08-2028",
            "01-09-2029",
            "coach@example.test",
            "slb@example.test",
            "sanne@example.test",
            "ZI",
            "",
        ]
    ),
)


def _row(n: int, start: str, route: str) -> list[str]:
    return [
        f"Naam{n}",
        "de Vries",
        f"p{n}@example.test",
        "01AB00",
        route,
        start,
        "",
        "coach@example.test",
        "",
    ]


def _mutate(row: list[str], index: int, value: str) -> list[str]:
    return [value if i == index else v for i, v in enumerate(row)]


VALID_ROW = st.builds(
    _row,
    st.integers(0, 10**9),
    st.sampled_from(["01-09-2026", "2026-09-01", "1-9-2026", "01/09/2026"]),
    st.sampled_from(["zib", "versneld", "ZIB", "Versneld voor de klas"]),
)
CSV_ROW = st.one_of(
    VALID_ROW,
    st.builds(_mutate, VALID_ROW, st.integers(0, 9), CSV_VALUE),
    st.lists(CSV_VALUE, min_size=0, max_size=10),
)


def csv_content(header: str, rows: list[list[str]], table: dict, delimiter: str) -> bytes:
    lines = [header.replace(";", delimiter)]
    lines += [delimiter.join(table.get(v, v) for v in row) for row in rows]
    return "\r\n".join(lines).encode("utf-8", "surrogatepass")


@PROPS
@given(
    header=st.one_of(st.just(HEADER), st.one_of(st.just(HEADER.replace("email;", "")), texts(60))),
    rows=st.one_of(st.lists(VALID_ROW, min_size=1, max_size=3), st.lists(CSV_ROW, max_size=4)),
    delimiter=st.sampled_from([";", ",", "\t"]),
    raw=st.one_of(st.none(), st.none(), st.binary(max_size=400)),
    name=st.sampled_from(["import.csv", "import.txt", "import.xlsx", "../x.csv", "a\x00.csv"]),
)
@example(
    header=HEADER,
    rows=[
        [
            "Sanne",
            "de Vries",
            "sanne@example.test",
            "01AB00",
            "zib",
            "01-09-2026",
            "",
            "coach@example.test",
            "slb@example.test",
        ]
    ],
    delimiter=";",
    raw=None,
    name="import.csv",
)
def test_a_csv_import_is_all_or_nothing(client, cast, header, rows, delimiter, raw, name):
    school = cast.traject.school
    if school.brin != "01AB00":
        school.brin, school.name = "01AB00", "De Regenboog"
        school.save(update_fields=["brin", "name"])
        f.UserFactory(email="coach@example.test")
        f.UserFactory(email="slb@example.test")
    table = {"ZI": cast.zij_instromer.email}
    content = raw if raw is not None else csv_content(header, rows, table, delimiter)
    login(client, cast.coordinator)
    before = db_state()
    trajecten = Traject.objects.count()
    response = post(client, reverse("trajecten:import"), {}, {"bestand": (name, content)})
    if check(response, before):
        assert Traject.objects.count() > trajecten


def test_a_csv_with_a_nul_byte_after_the_first_4_kb_is_refused(client, cast):
    """A name with NUL far down the file must not reach the database: PostgreSQL refuses
    NUL in text (this was a 500 when the importer looked only at the first 4 KB)."""
    cast.traject.school.brin = "01AB00"
    cast.traject.school.save(update_fields=["brin"])
    filler = [f"Naam{i};Achternaam;p{i}@example.test;01AB00;zib;01-09-2026;;;" for i in range(80)]
    content = "\r\n".join(
        [HEADER, *filler, "Sa\x00nne;de Vries;sanne@example.test;01AB00;zib;01-09-2026;;;"]
    ).encode()
    assert b"\x00" not in content[:4096]
    login(client, cast.coordinator)
    before = db_state()
    response = post(client, reverse("trajecten:import"), {}, {"bestand": ("import.csv", content)})
    assert not check(response, before)
    assert "geen CSV-bestand" in response.content.decode()


# --- services, called directly ------------------------------------------------------------------

# What a form lets through: any text but NUL (forms refuse it), any date, any object.
SERVICE_TEXT = st.text(
    alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=40
)


@PROPS
@given(
    datum=st.dates(),
    wat=SERVICE_TEXT,
    points=st.lists(st.sampled_from(["own", "own2", "other", "far"]), max_size=3),
)
def test_logboekregel_create_refuses_or_saves_for_any_date_and_points(
    cast, punten, elsewhere, datum, wat, points
):
    table = {
        "own": punten[0],
        "own2": punten[1],
        "other": elsewhere.punt,
        "far": elsewhere.far_punt,
    }
    before = db_state()
    try:
        services.logboekregel_create(
            traject=cast.traject,
            user=cast.zij_instromer,
            datum=datum,
            wat_er_gebeurde=wat,
            ontwikkelpunten=[table[p] for p in points],
        )
    except ValidationError:
        assert changed(before, db_state()) == []
    else:
        assert cast.traject.start_date <= datum <= timezone.localdate()
        assert all(table[p].traject_id == cast.traject.pk for p in points)


@PROPS
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                "id": st.sampled_from([None, "own", "other", -1, 10**12]),
                "delete": st.booleans(),
                "ontwikkelpunt": st.sampled_from(["own", "own2", "own3", "other", "far"]),
                "omschrijving": SERVICE_TEXT,
                "ondersteuning": st.lists(
                    st.sampled_from(["coach", "duo", "slb", "x"]), max_size=3
                ),
                "periode_van": st.dates(),
                "periode_tot": st.dates(),
            }
        ),
        max_size=4,
    ),
    version=st.sampled_from(["CURRENT", 0, -1, 10**6]),
)
@example(  # one activity twice: deleted, then changed
    rows=[
        {
            "id": "own",
            "delete": delete,
            "ontwikkelpunt": "own",
            "omschrijving": "Module",
            "ondersteuning": [],
            "periode_van": datetime.date.today(),
            "periode_tot": datetime.date.today(),
        }
        for delete in (True, False)
    ],
    version="CURRENT",
)
def test_scholingsplan_draft_save_refuses_or_saves_whole(
    cast, concept, punten, elsewhere, rows, version
):
    Scholingsplanversie.objects.filter(pk=concept.pk).update(status="concept")
    concept.refresh_from_db()
    own_activity = concept.activiteiten.first()
    ids_ = {"own": own_activity.pk if own_activity else None, "other": elsewhere.activity.pk}
    punt_table = {
        "own": punten[0],
        "own2": punten[1],
        "own3": punten[2],
        "other": elsewhere.punt,
        "far": elsewhere.far_punt,
    }
    items = [
        {
            **row,
            "id": ids_.get(row["id"], row["id"]),
            "ontwikkelpunt": punt_table[row["ontwikkelpunt"]],
        }
        for row in rows
    ]
    before = db_state(Scholingsplanversie, Activiteit)
    try:
        services.scholingsplan_draft_save(
            versie=concept,
            user=cast.slb,
            expected_version=concept.version if version == "CURRENT" else version,
            toelichting="",
            activiteiten=items,
        )
    except ValidationError:
        assert changed(before, db_state(Scholingsplanversie, Activiteit)) == []
    else:
        for a in concept.activiteiten.all():
            assert a.ontwikkelpunt.traject_id == cast.traject.pk
            assert cast.traject.start_date <= a.periode_van <= a.periode_tot
            assert a.periode_tot <= cast.traject.end_date
    assert elsewhere.activity.versie.activiteiten.get() == elsewhere.activity

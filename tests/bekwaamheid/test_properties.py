"""Property-based tests of the dossier and the Proeve: whatever a person posts (text with NUL
and RTL marks, huge strings, dates far away, negative and huge numbers, ids of another
traject's work, evidence files of random bytes, truncated PDFs, damaged, encrypted and
bomb-like zips, names with path parts, unicode and NUL), the answer is a form error or a
success, never a 500, and a refused form changes no row."""

from __future__ import annotations

import datetime
import io
import tracemalloc
import zipfile
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from hypothesis import example, given
from hypothesis import strategies as st

from bekwaamheid import services
from bekwaamheid.models import (
    Beoordeling,
    Bewijsstuk,
    Feedback,
    Feedbackverzoek,
    Ondertekening,
    Onderzoeksopdracht,
    Oordeel,
    Proeve,
    Succescriterium,
)
from bekwaamheid.selectors import kader_eisen
from conftest import login, reauthenticated
from portal.uploads import sniff
from tests import factories as f
from tests.bekwaamheid.helpers import PNG, judged, plan, submit
from tests.props import (
    PROPS,
    changed,
    check,
    dates,
    db_state,
    numbers,
    post,
    resolve,
    texts,
    upload_files,
    zip_bytes,
)

pytestmark = pytest.mark.django_db

PDF_BYTES = f.TINY_PDF
PNG_BYTES = PNG
FILES = upload_files(PDF_BYTES, PNG_BYTES)


# --- data ---------------------------------------------------------------------------------------


@pytest.fixture
def elsewhere(world):
    """Work of the other traject in the same partnership: what a tampered form may point at."""
    cast = world.cast
    other = apps.get_model("trajecten", "Traject").objects.get(coach=cast.other_coach)
    work = f.OnderzoeksopdrachtFactory(
        dossier=f.DossierFactory(traject=other), opdracht__gesteld_door=world.docent
    )
    return SimpleNamespace(
        traject=other,
        work=work,
        criterium=f.SuccescriteriumFactory(onderzoeksopdracht=work),
        bewijs=f.BewijsstukFactory(onderzoeksopdracht=work),
        feedback=f.FeedbackFactory(onderzoeksopdracht=work, auteur=other.coach),
        far_traject=f.TrajectFactory(),
    )


def url(name, *args):
    return reverse(f"bekwaamheid:{name}", args=args)


def reopen(work) -> None:
    """Keep exploring open work after an example finished it."""
    Onderzoeksopdracht.objects.filter(pk=work.pk).update(status="concept", in_dossier=False)


# --- assignments --------------------------------------------------------------------------------


@PROPS
@given(
    titel=texts(),
    omschrijving=texts(),
    eisen=st.lists(
        st.one_of(
            st.sampled_from(["eis", "eis2"]),
            st.sampled_from(["0", "-1", "9223372036854775808", "x"]),
        ),
        max_size=3,
    ),
    deadline=dates("valid"),
    doelgroep=st.one_of(
        st.sampled_from(["PS", "TRAJECT", "COHORT"]),
        st.sampled_from(
            [
                "OTHER_PS",
                "FAR_TRAJECT",
                "slb",
                "t:",
                "ps:",
                "cohort::",
                "t:-1",
                "ps:9223372036854775808",
                "cohort:1:2026-13",
                "",
            ]
        ),
        texts(20),
    ),
)
@example(
    titel="Klassenmanagement",
    omschrijving="Onderzoek je aanpak.",
    eisen=["eis"],
    deadline="valid",
    doelgroep="TRAJECT",
)
def test_an_assignment_is_refused_or_given_only_to_side_entrants_in_reach(
    client, world, elsewhere, titel, omschrijving, eisen, deadline, doelgroep
):
    cast = world.cast
    kader = f.active_kader()
    eis, eis2 = kader.eisen.order_by("pk")[:2]
    table = {
        "eis": eis,
        "eis2": eis2,
        "PS": f"ps:{world.partnerschap.pk}",
        "OTHER_PS": f"ps:{elsewhere.far_traject.school.bestuur.partnerschap_id}",
        "TRAJECT": f"t:{cast.traject.pk}",
        "FAR_TRAJECT": f"t:{elsewhere.far_traject.pk}",
        "COHORT": f"cohort:{world.partnerschap.pk}:{cast.traject.start_date:%Y-%m}",
        "valid": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
    }
    login(client, world.docent)
    before = db_state()
    works = set(Onderzoeksopdracht.objects.values_list("pk", flat=True))
    data = {
        "titel": titel,
        "omschrijving": omschrijving,
        "eisen": [resolve(e, table) for e in eisen],
        "deadline": table.get(deadline, deadline),
        "doelgroep": table.get(doelgroep, doelgroep),
    }
    response = post(client, url("opdracht_new"), data)
    if check(response, before):
        new = Onderzoeksopdracht.objects.exclude(pk__in=works).select_related("dossier__traject")
        assert new.exists()
        assert {w.dossier.traject.school.bestuur.partnerschap_id for w in new} == {
            world.partnerschap.pk
        }


@PROPS
@given(
    tekst=texts(),
    target=st.sampled_from(["own", "own", "other", "0"]),
    who=st.sampled_from(["zij_instromer", "zij_instromer", "coach", "docent"]),
)
def test_a_success_criterion_is_refused_or_added_to_own_work(
    client, world, elsewhere, tekst, target, who
):
    reopen(world.work)
    work = {"own": world.work, "other": elsewhere.work}.get(target)
    login(client, world.docent if who == "docent" else getattr(world.cast, who))
    before = db_state()
    response = post(client, url("criterium_add", work.pk if work else 0), {"tekst": tekst})
    if check(response, before):
        assert target == "own" and who == "zij_instromer"


@PROPS
@given(
    tekst=texts(),
    reflectie=texts(),
    version=numbers(),
    target=st.sampled_from(["own", "own", "other", "0"]),
)
def test_a_criterion_edit_is_refused_or_saved_with_a_new_version(
    client, world, elsewhere, tekst, reflectie, version, target
):
    reopen(world.work)
    criterium = {"own": world.criterium, "other": elsewhere.criterium}.get(target)
    current = Succescriterium.objects.filter(pk=getattr(criterium, "pk", 0)).first()
    login(client, world.cast.zij_instromer)
    before = db_state(Succescriterium)
    data = {
        "tekst": tekst,
        "reflectie": reflectie,
        "version": current.version if (version == "CURRENT" and current) else version,
    }
    response = post(client, url("criterium_edit", criterium.pk if criterium else 0), data)
    if check(response, before, Succescriterium):
        assert target == "own"
        assert Succescriterium.objects.get(pk=criterium.pk).version == current.version + 1


# --- evidence -----------------------------------------------------------------------------------

URLS = st.one_of(
    st.sampled_from(["", "https://video.example.test/les"]),
    st.sampled_from(
        [
            "javascript:alert(1)",
            "http://" + "a" * 600 + ".nl",
            "ftp://x",
            "//evil",
            "https://\x00",
            "https://\u202eexample.test",
            "data:text/html,<b>x</b>",
        ]
    ),
    texts(20),
)


@PROPS
@given(
    titel=texts(),
    criterium=st.sampled_from(["", "own", "other", "0", "9223372036854775808", "x"]),
    bestand=st.one_of(st.just(("Lesplan.pdf", PDF_BYTES)), FILES),
    link=st.one_of(st.just(""), URLS),
    target=st.sampled_from(["own", "own", "other"]),
)
@example(
    titel="Lesplan", criterium="own", bestand=("Lesplan.pdf", PDF_BYTES), link="", target="own"
)
@example(
    titel="Foto", criterium="", bestand=("../../etc/\u202egnp.png", PNG), link="", target="own"
)
@example(titel="Naam", criterium="", bestand=("a\x00b.pdf", PDF_BYTES), link="", target="own")
@example(  # an encrypted zip was a 500 (RuntimeError)
    titel="Zip",
    criterium="",
    bestand=("x.odt", zip_bytes([("mimetype", b"x" * 1000)], zipfile.ZIP_DEFLATED, [], True)),
    link="",
    target="own",
)
@example(  # a damaged deflate stream was a 500 (zlib.error)
    titel="Zip",
    criterium="",
    bestand=(
        "x.odt",
        zip_bytes([("mimetype", b"x" * 1000)], zipfile.ZIP_DEFLATED, [(38, 255), (39, 255)], False),
    ),
    link="",
    target="own",
)
def test_evidence_is_refused_or_stored_safely(
    client, world, elsewhere, titel, criterium, bestand, link, target
):
    reopen(world.work)
    work = {"own": world.work, "other": elsewhere.work}[target]
    table = {"own": world.criterium, "other": elsewhere.criterium}
    login(client, world.cast.zij_instromer)
    before = db_state()
    count = Bewijsstuk.objects.count()
    data = {"titel": titel, "criterium": resolve(criterium, table), "link": link}
    response = post(client, url("bewijsstuk_add", work.pk), data, {"bestand": bestand})
    if check(response, before):
        assert Bewijsstuk.objects.count() == count + 1
        item = Bewijsstuk.objects.latest("pk")
        assert item.onderzoeksopdracht_id == world.work.pk
        assert item.criterium_id in (None, world.criterium.pk)
        if item.bestand:
            name = item.bestand_naam
            assert "/" not in name and "\\" not in name and "\x00" not in name
            with item.bestand.open("rb") as stored:
                assert sniff(stored) == item.mime
            assert not item.bestand.name.startswith(("/", "..")) and ".." not in item.bestand.name


def test_a_zip_bomb_is_refused_without_unpacking_it(client, world):
    """A 64 KB upload whose 'mimetype' part unpacks to 64 MB: refused, and the check reads
    only a few bytes of it (it was read whole: 148 MB at the peak)."""
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"\x00" * (64 * 1024 * 1024))
    assert len(bomb.getvalue()) < 100 * 1024
    login(client, world.cast.zij_instromer)
    before = db_state()
    tracemalloc.start()
    try:
        response = post(
            client,
            url("bewijsstuk_add", world.work.pk),
            {"titel": "Bom", "link": ""},
            {"bestand": ("bom.odt", bomb.getvalue())},
        )
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not check(response, before)
    assert peak < 16 * 1024 * 1024


# --- feedback -----------------------------------------------------------------------------------

PEOPLE = st.lists(
    st.one_of(
        st.sampled_from(["coach", "duo", "slb", "docent"]),
        st.sampled_from(
            [
                "zij_instromer",
                "outsider",
                "other_coach",
                "schoolleider",
                "0",
                "9223372036854775808",
                "x",
            ]
        ),
    ),
    max_size=3,
)


def person(world, name):
    if name == "docent":
        return world.docent
    return getattr(world.cast, name, name)


@PROPS
@given(people=PEOPLE, vraag=texts(), target=st.sampled_from(["own", "own", "other"]))
@example(people=["coach", "docent"], vraag="Klopt mijn lesdoel?", target="own")
def test_a_feedback_request_is_refused_or_asks_only_people_around_the_work(
    client, world, elsewhere, people, vraag, target
):
    reopen(world.work)
    work = {"own": world.work, "other": elsewhere.work}[target]
    login(client, world.cast.zij_instromer)
    before = db_state(Onderzoeksopdracht)
    data = {"people": [resolve(p, {p: person(world, p)}) for p in people], "vraag": vraag}
    response = post(client, url("feedback_request", work.pk), data)
    if check(response, before, Onderzoeksopdracht):
        allowed = {u.pk for u, _label in services.feedback_candidates(world.work)}
        asked = set(
            Feedbackverzoek.objects.filter(onderzoeksopdracht=world.work).values_list(
                "gevraagd_aan", flat=True
            )
        )
        assert asked <= allowed
    open_requests = Feedbackverzoek.objects.filter(beantwoord_at__isnull=True).values_list(
        "onderzoeksopdracht", "gevraagd_aan"
    )
    assert len(list(open_requests)) == len(set(open_requests))


@PROPS
@given(
    who=st.sampled_from(["coach", "zij_instromer", "docent", "duo", "outsider"]),
    tekst=texts(),
    antwoord_op=st.sampled_from(["", "", "own", "other", "0", "-1", "9223372036854775808", "x"]),
    target=st.sampled_from(["own", "own", "other"]),
)
def test_feedback_is_refused_or_posted_in_the_right_thread(
    client, world, elsewhere, who, tekst, antwoord_op, target
):
    work = {"own": world.work, "other": elsewhere.work}[target]
    own = Feedback.objects.filter(onderzoeksopdracht=world.work).first() or f.FeedbackFactory(
        onderzoeksopdracht=world.work
    )
    login(client, person(world, who))
    before = db_state()
    data = {
        "tekst": tekst,
        "antwoord_op": resolve(antwoord_op, {"own": own, "other": elsewhere.feedback}),
    }
    response = post(client, url("feedback_post", work.pk), data)
    if check(response, before):
        message = Feedback.objects.latest("pk")
        assert message.onderzoeksopdracht_id == work.pk
        if message.antwoord_op_id:
            assert message.antwoord_op.onderzoeksopdracht_id == work.pk


# --- the Proeve ---------------------------------------------------------------------------------

DATETIMES = st.one_of(
    st.just("valid"),
    st.one_of(
        st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
        st.sampled_from(
            [
                "0001-01-01T00:00",
                "9999-12-31T23:59",
                "2026-03-29T02:30",
                "2026-10-25T02:30",
                "2026-13-01T10:00",
                "",
                "morgen",
                "2026-06-01 10:00",
                "\x00",
            ]
        ),
    ),
)


@pytest.fixture
def submitted(world):
    return submit(world)


@PROPS
@given(
    datum=DATETIMES,
    locatie=texts(),
    veld=st.one_of(
        st.sampled_from(["veld", "opleiding"]),
        st.sampled_from(["other_assessor", "coach", "outsider", "0", "x"]),
    ),
    opleiding=st.one_of(
        st.sampled_from(["opleiding", "veld"]),
        st.sampled_from(["other_assessor", "slb", "outsider", "0", "x"]),
    ),
    version=numbers(),
)
@example(datum="valid", locatie="Pabo", veld="veld", opleiding="opleiding", version="CURRENT")
@example(
    datum="0001-01-01T00:00", locatie="Pabo", veld="veld", opleiding="opleiding", version="CURRENT"
)
@example(
    datum="9999-12-31T23:59", locatie="Pabo", veld="veld", opleiding="opleiding", version="CURRENT"
)
def test_planning_a_proeve_is_refused_or_saved_with_two_pool_assessors(
    client, world, submitted, datum, locatie, veld, opleiding, version
):
    Beoordeling.objects.filter(proeve=submitted).delete()
    proeve = Proeve.objects.get(pk=submitted.pk)
    people = {
        "veld": world.veld,
        "opleiding": world.opleiding,
        "other_assessor": world.other_assessor,
        "coach": world.cast.coach,
        "slb": world.cast.slb,
        "outsider": world.cast.outsider,
    }
    login(client, world.cast.coordinator)
    before = db_state(Proeve)
    data = {
        "datum": (timezone.localtime() + datetime.timedelta(days=14)).strftime("%Y-%m-%dT%H:%M")
        if datum == "valid"
        else datum,
        "locatie": locatie,
        "veldassessor": resolve(veld, people),
        "opleidingsassessor": resolve(opleiding, people),
        "version": proeve.version if version == "CURRENT" else version,
    }
    response = post(client, url("proeve_plan", proeve.pk), data)
    if check(response, before, Proeve):
        planned = Proeve.objects.get(pk=proeve.pk)
        pool = set(world.partnerschap.assessoren.values_list("pk", flat=True))
        assert {planned.veldassessor_id, planned.opleidingsassessor_id} <= pool
        assert planned.veldassessor_id != planned.opleidingsassessor_id


NIVEAUS = st.one_of(
    st.sampled_from(["1", "2", "3", "4"]),
    st.sampled_from(["", "0", "5", "-1", "9223372036854775808", "x", "\x00"]),
)


@pytest.fixture
def planned(world, submitted):
    return plan(world, submitted)


@PROPS
@given(
    niveaus=st.lists(NIVEAUS, min_size=1, max_size=30),
    motivaties=st.lists(texts(), min_size=1, max_size=30),
    toelichting=texts(),
    version=numbers(),
    record=st.booleans(),
    who=st.sampled_from(["veld", "opleiding", "other_assessor", "coach"]),
    extra=st.sampled_from(["", "niveau_9223372036854775808", "niveau_0", "motivatie_x"]),
)
def test_a_judgement_is_refused_or_saved_for_the_proeve_indicators(
    client, world, planned, niveaus, motivaties, toelichting, version, record, who, extra
):
    # Keep exploring drafts: a recorded judgement is final.
    Beoordeling.objects.filter(proeve=planned).update(recorded_at=None)
    user = {
        "veld": world.veld,
        "opleiding": world.opleiding,
        "other_assessor": world.other_assessor,
    }.get(who) or getattr(world.cast, who)
    mine = Beoordeling.objects.filter(proeve=planned, assessor=user).first()
    eisen = list(kader_eisen(planned.dossier.kader))
    login(client, user)
    before = db_state(Beoordeling)
    data = {
        "toelichting": toelichting,
        "version": (mine.version if mine else "") if version == "CURRENT" else version,
    }
    for i, eis in enumerate(eisen):
        data[f"niveau_{eis.pk}"] = niveaus[i % len(niveaus)]
        data[f"motivatie_{eis.pk}"] = motivaties[i % len(motivaties)]
    if extra:
        data[extra] = "4"
    if record:
        data["vastleggen"] = "1"
    response = post(client, url("beoordeling", planned.pk), data)
    if check(response, before, Beoordeling):
        saved = Beoordeling.objects.get(proeve=planned, assessor=user)
        assert {r.eis_id for r in saved.regels.all()} <= {e.pk for e in eisen}
        assert all(1 <= r.niveau <= 4 for r in saved.regels.all())


@pytest.fixture
def judged_proeve(world, planned):
    return judged(world, planned)


@PROPS
@given(
    uitslag=st.one_of(
        st.sampled_from(["voldoende", "onvoldoende"]), st.sampled_from(["", "geslaagd", "\x00"])
    ),
    motivatie=texts(),
    niveaus=st.lists(NIVEAUS, min_size=1, max_size=30),
    motivaties=st.lists(texts(), min_size=1, max_size=30),
    version=numbers(),
    who=st.sampled_from(["veld", "opleiding", "other_assessor"]),
)
def test_the_joint_oordeel_is_refused_or_saved_whole(
    client, world, judged_proeve, uitslag, motivatie, niveaus, motivaties, version, who
):
    Ondertekening.objects.filter(oordeel__proeve=judged_proeve).delete()
    user = {
        "veld": world.veld,
        "opleiding": world.opleiding,
        "other_assessor": world.other_assessor,
    }[who]
    existing = Oordeel.objects.filter(proeve=judged_proeve).first()
    eisen = list(kader_eisen(judged_proeve.dossier.kader))
    login(client, user)
    before = db_state(Oordeel)
    data = {
        "uitslag": uitslag,
        "motivatie": motivatie,
        "version": (existing.version if existing else 0) if version == "CURRENT" else version,
    }
    for i, eis in enumerate(eisen):
        data[f"niveau_{eis.pk}"] = niveaus[i % len(niveaus)]
        data[f"motivatie_{eis.pk}"] = motivaties[i % len(motivaties)]
    response = post(client, url("oordeel", judged_proeve.pk), data)
    if check(response, before, Oordeel):
        oordeel = Oordeel.objects.get(proeve=judged_proeve)
        assert oordeel.regels.count() == len(eisen)
        assert oordeel.uitslag in ("voldoende", "onvoldoende")


@PROPS
@given(
    version=numbers(),
    akkoord=st.sampled_from(["on", "on", "", "\x00", "0"]),
    tekst=texts(),
)
def test_signing_the_oordeel_and_adding_an_addendum_are_refused_or_recorded(
    client, world, judged_proeve, version, akkoord, tekst
):
    oordeel = Oordeel.objects.filter(proeve=judged_proeve).first() or services.oordeel_save(
        proeve=judged_proeve,
        by=world.veld,
        uitslag="voldoende",
        motivatie="Samen.",
        regels={e.pk: (3, "Goed.") for e in kader_eisen(judged_proeve.dossier.kader)},
        version=None,
    )
    if not client.session.get("account_authentication_methods"):
        reauthenticated(client, world.veld)
    before = db_state(Oordeel)
    response = post(
        client,
        url("oordeel_sign", judged_proeve.pk),
        {"version": oordeel.version if version == "CURRENT" else version, "akkoord": akkoord},
    )
    if check(response, before, Oordeel):
        assert Ondertekening.objects.filter(oordeel=oordeel, assessor=world.veld).count() == 1
    assert Ondertekening.objects.filter(oordeel=oordeel).count() <= 1
    before = db_state(Oordeel)
    check(
        post(client, url("oordeel_addendum", judged_proeve.pk), {"tekst": tekst}), before, Oordeel
    )


# --- services, called directly ------------------------------------------------------------------

SERVICE_TEXT = st.text(
    alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=30
)
REGELS = st.dictionaries(
    keys=st.one_of(st.sampled_from(["eis0", "eis1", "eis2"]), st.integers(-(2**63), 2**63 - 1)),
    values=st.tuples(st.one_of(st.none(), st.integers(-(10**6), 10**6)), SERVICE_TEXT),
    max_size=4,
)


def _regels(proeve, regels: dict, complete: bool) -> dict:
    """The generated rules, on top of a level and motivation for every indicator when
    `complete` (so that the success path is explored too)."""
    eisen = list(kader_eisen(proeve.dossier.kader))
    names = {f"eis{i}": eis.pk for i, eis in enumerate(eisen[:3])}
    base = {eis.pk: (3, "Goed onderbouwd.") for eis in eisen} if complete else {}
    return {**base, **{names.get(k, k): v for k, v in regels.items()}}


@PROPS
@given(
    regels=REGELS,
    complete=st.booleans(),
    record=st.booleans(),
    version=st.sampled_from([None, 0, 1, -1, 10**9]),
)
def test_beoordeling_save_refuses_or_saves_only_known_indicators_and_levels(
    world, planned, regels, complete, record, version
):
    Beoordeling.objects.filter(proeve=planned).update(recorded_at=None)
    before = db_state(Beoordeling)
    try:
        saved = services.beoordeling_save(
            proeve=planned,
            by=world.veld,
            regels=_regels(planned, regels, complete),
            record=record,
            version=version,
        )
    except services.Refused:
        assert changed(before, db_state(Beoordeling)) == []
    else:
        eisen = {e.pk for e in kader_eisen(planned.dossier.kader)}
        assert {r.eis_id for r in saved.regels.all()} <= eisen
        assert all(1 <= r.niveau <= 4 for r in saved.regels.all())


@PROPS
@given(
    regels=REGELS,
    complete=st.booleans(),
    uitslag=st.sampled_from(["voldoende", "onvoldoende", "", "geslaagd"]),
    motivatie=SERVICE_TEXT,
    version=st.sampled_from([None, 0, 1, -1]),
)
def test_oordeel_save_refuses_or_saves_a_complete_oordeel(
    world, judged_proeve, regels, complete, uitslag, motivatie, version
):
    Ondertekening.objects.filter(oordeel__proeve=judged_proeve).delete()
    before = db_state(Oordeel)
    try:
        oordeel = services.oordeel_save(
            proeve=judged_proeve,
            by=world.veld,
            uitslag=uitslag,
            motivatie=motivatie,
            regels=_regels(judged_proeve, regels, complete),
            version=version,
        )
    except services.Refused:
        assert changed(before, db_state(Oordeel)) == []
    else:
        assert oordeel.regels.count() == len(list(kader_eisen(judged_proeve.dossier.kader)))
        assert oordeel.uitslag in ("voldoende", "onvoldoende") and motivatie.strip()

"""Property-based tests of the conversation cycle's forms and services: whatever a person
posts (text with NUL and RTL marks, huge strings, dates and times far away, negative and huge
numbers, ids of another traject's conversations, agreements, signals, tags and evidence),
the answer is a form error or a success, never a 500, and a refused form changes no row."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from conftest import login
from gesprekken import services
from gesprekken.models import (
    Afspraak,
    Gesprek,
    Handtekening,
    PriveNotitie,
    Signaal,
    SignaalTag,
    Verslag,
    Voorbereiding,
)
from tests import factories as f
from tests.props import PROPS, changed, check, dates, db_state, numbers, post, resolve, texts
from trajecten.models import Traject

pytestmark = pytest.mark.django_db


# --- data ---------------------------------------------------------------------------------------


@pytest.fixture
def world(cast, gesprek):
    """The cast's conversation with a draft report, what a preparation can link, and the
    same kinds of objects on the other traject and in another partnership: what a tampered
    form may point at."""
    traject = cast.traject
    ps = traject.school.bestuur.partnerschap
    other = Traject.objects.get(coach=cast.other_coach)
    other_gesprek = f.GesprekFactory(traject=other, cycle_number=1)
    other_verslag = f.VerslagFactory(gesprek=other_gesprek)
    far_tag = f.SignaalTagFactory(name="elders")
    other_signaal = Signaal.objects.create(verslag=other_verslag, soort="succes", tekst="Elders")
    return SimpleNamespace(
        gesprek=gesprek,
        tag=f.SignaalTagFactory(partnerschap=ps, name="werkdruk"),
        tag2=f.SignaalTagFactory(partnerschap=ps, name="team"),
        punt=f.OntwikkelpuntFactory(traject=traject),
        regel=f.LogboekregelFactory(traject=traject),
        bewijs=f.BewijsstukFactory(onderzoeksopdracht__dossier__traject=traject),
        other_gesprek=other_gesprek,
        other_verslag=other_verslag,
        other_afspraak=f.AfspraakFactory(verslag=other_verslag),
        other_signaal=other_signaal,
        other_punt=f.OntwikkelpuntFactory(traject=other),
        other_regel=f.LogboekregelFactory(traject=other),
        other_bewijs=f.BewijsstukFactory(onderzoeksopdracht__dossier__traject=other),
        far_tag=far_tag,
    )


def url(name, *args):
    return reverse(f"gesprekken:{name}", args=args)


def unlock(gesprek) -> None:
    """Keep exploring the report after an example had it signed by everyone."""
    Verslag.objects.filter(gesprek=gesprek).update(locked_at=None)
    Handtekening.objects.filter(verslag__gesprek=gesprek).delete()


def day_in(traject, days: int) -> str:
    return (traject.start_date + datetime.timedelta(days=days)).isoformat()


TIMES = st.one_of(
    st.sampled_from(["15:30", "09:00"]),
    st.one_of(
        st.times().map(lambda t: t.strftime("%H:%M:%S")),
        st.sampled_from(["24:00", "02:30", "-1:00", "25:61", "1530", "", "\x00", "noon"]),
    ),
)
DURATIONS = st.one_of(st.sampled_from(["60", "45"]), numbers())
URLS = st.one_of(
    st.sampled_from(["", "https://meet.example.test/abc"]),
    st.sampled_from(
        [
            "javascript:alert(1)",
            "http://" + "a" * 600 + ".nl",
            "ftp://x",
            "//evil",
            "https://\x00",
            "https://\u202eexample.test",
            "meet.example.test/x",
        ]
    ),
    texts(20),
)


# --- planning -----------------------------------------------------------------------------------


@PROPS
@given(
    date=dates("valid"),
    time=TIMES,
    duration=DURATIONS,
    location=texts(),
    video_url=URLS,
    who=st.sampled_from(["slb", "coach", "zij_instromer", "duo", "coordinator"]),
)
@example(date="valid", time="15:30", duration="60", location="Lokaal 3", video_url="", who="slb")
def test_an_extra_conversation_is_refused_or_planned(
    client, cast, world, date, time, duration, location, video_url, who
):
    login(client, getattr(cast, who))
    before = db_state()
    count = Gesprek.objects.filter(traject=cast.traject, soort="extra").count()
    data = {
        "date": day_in(cast.traject, 120) if date == "valid" else date,
        "time": time,
        "duration_minutes": duration,
        "location": location,
        "video_url": video_url,
    }
    response = post(client, url("add", cast.traject.pk), data)
    if check(response, before):
        assert who in ("slb", "coach")
        assert Gesprek.objects.filter(traject=cast.traject, soort="extra").count() == count + 1


@PROPS
@given(
    date=dates("valid"),
    time=TIMES,
    duration=DURATIONS,
    location=texts(),
    video_url=URLS,
    reason=texts(),
    sequence=numbers(),
    target=st.sampled_from(["own", "own", "other", "0", "9223372036854775808"]),
)
@example(
    date="valid",
    time="10:00",
    duration="60",
    location="Lokaal 3",
    video_url="",
    reason="",
    sequence="CURRENT",
    target="own",
)
def test_a_move_is_refused_or_keeps_the_conversation_in_its_slot(
    client, cast, world, date, time, duration, location, video_url, reason, sequence, target
):
    gesprek = Gesprek.objects.get(pk=world.gesprek.pk)
    table = {"own": gesprek, "other": world.other_gesprek, "CURRENT": gesprek.sequence}
    login(client, cast.slb)
    before = db_state(Gesprek)
    data = {
        "date": day_in(cast.traject, 200) if date == "valid" else date,
        "time": time,
        "duration_minutes": duration,
        "location": location,
        "video_url": video_url,
        "reason": reason,
        "sequence": table.get(sequence, sequence),
    }
    response = post(client, url("move", resolve(target, table)), data)
    if check(response, before, Gesprek):
        moved = Gesprek.objects.get(pk=gesprek.pk)
        assert moved.cycle_number == gesprek.cycle_number and moved.uid == gesprek.uid
        assert moved.sequence == gesprek.sequence + 1 and moved.moved_by == cast.slb


# --- preparation --------------------------------------------------------------------------------

LINKS = st.lists(
    st.sampled_from(["own", "own", "other", "0", "-1", "9223372036854775808", "x"]), max_size=3
)


@PROPS
@given(
    who=st.sampled_from(["zij_instromer", "coach", "slb", "duo", "schoolleider"]),
    answers=st.tuples(texts(), texts(), texts(), texts()),
    punten=LINKS,
    regels=LINKS,
    bewijzen=LINKS,
    ready=st.sampled_from(["", "on", "1", "\x00"]),
    version=numbers(),
)
@example(
    who="zij_instromer",
    answers=("Goed", "Verder", "Tijd", ""),
    punten=["own"],
    regels=["own"],
    bewijzen=["own"],
    ready="on",
    version="CURRENT",
)
def test_a_preparation_is_refused_or_saved_with_its_own_links(
    client, cast, world, who, answers, punten, regels, bewijzen, ready, version
):
    user = getattr(cast, who)
    mine = Voorbereiding.objects.filter(gesprek=world.gesprek, auteur=user).first()
    punt = {"own": world.punt, "other": world.other_punt}
    regel = {"own": world.regel, "other": world.other_regel}
    bewijs = {"own": world.bewijs, "other": world.other_bewijs}
    login(client, user)
    before = db_state(Voorbereiding)
    data = {
        "waar_sta_ik": answers[0],
        "volgende_stap": answers[1],
        "wat_nodig": answers[2],
        "reflectievragen": answers[3],
        "ontwikkelpunten": [resolve(p, punt) for p in punten],
        "logboekregels": [resolve(r, regel) for r in regels],
        "bewijsstukken": [resolve(b, bewijs) for b in bewijzen],
        "ready": ready,
        "version": (mine.version if mine else 0) if version == "CURRENT" else version,
    }
    response = post(client, url("voorbereiden", world.gesprek.pk), data)
    if check(response, before, Voorbereiding):
        saved = Voorbereiding.objects.get(gesprek=world.gesprek, auteur=user)
        links = [*saved.ontwikkelpunten.all(), *saved.logboekregels.all()]
        assert all(item.traject_id == cast.traject.pk for item in links)
        assert all(
            b.onderzoeksopdracht.dossier.traject_id == cast.traject.pk
            for b in saved.bewijsstukken.all()
        )


@PROPS
@given(
    who=st.sampled_from(["coach", "slb", "zij_instromer", "duo"]),
    tekst=texts(),
    version=numbers(),
)
def test_a_private_note_is_refused_or_saved_for_its_author_only(
    client, cast, world, who, tekst, version
):
    user = getattr(cast, who)
    note = PriveNotitie.objects.filter(gesprek=world.gesprek, auteur=user).first()
    login(client, user)
    before = db_state(PriveNotitie)
    response = post(
        client,
        url("notitie", world.gesprek.pk),
        {
            "tekst": tekst,
            "version": (note.version if note else 0) if version == "CURRENT" else version,
        },
    )
    if check(response, before, PriveNotitie):
        assert who in ("coach", "slb")
        assert PriveNotitie.objects.filter(gesprek=world.gesprek).count() <= 2


# --- the report ---------------------------------------------------------------------------------

AFSPRAAK = st.fixed_dictionaries(
    {
        "id": st.one_of(
            st.sampled_from(["", "", "own"]),
            st.sampled_from(["other", "0", "-1", "9223372036854775808", "x"]),
        ),
        "omschrijving": texts(),
        "owner": st.one_of(
            st.sampled_from(["zij_instromer", "coach", "slb"]),
            st.sampled_from(["duo", "outsider", "0", "-1", "9223372036854775808", "x", ""]),
        ),
        "due_date": dates("valid"),
        "DELETE": st.sampled_from(["", "", "on"]),
    }
)
SIGNAAL = st.fixed_dictionaries(
    {
        "id": st.one_of(
            st.sampled_from(["", "", "own"]),
            st.sampled_from(["other", "0", "-1", "9223372036854775808", "x"]),
        ),
        "soort": st.one_of(
            st.sampled_from(["belemmering", "ondersteuning", "succes"]),
            st.sampled_from(["", "onzin", "\x00"]),
        ),
        "tekst": texts(),
        "tags": st.lists(
            st.sampled_from(["tag", "tag2", "far", "0", "9223372036854775808", "x"]), max_size=3
        ),
        "DELETE": st.sampled_from(["", "", "on"]),
    }
)


def _verslag_data(cast, world, *, tekst, koers, reden, version, afspraken, signalen, initial):
    verslag = Verslag.objects.filter(gesprek=world.gesprek).first()
    own_afspraak = verslag.afspraken.first() if verslag else None
    own_signaal = verslag.signalen.first() if verslag else None
    people = {
        "zij_instromer": cast.zij_instromer,
        "coach": cast.coach,
        "slb": cast.slb,
        "duo": cast.duo,
        "outsider": cast.outsider,
    }
    data = {
        "tekst": tekst,
        "koers": koers,
        "koers_reden": reden,
        "version": (verslag.version if verslag else 0) if version == "CURRENT" else version,
        "afspraken-TOTAL_FORMS": str(len(afspraken)),
        "afspraken-INITIAL_FORMS": str(initial),
        "afspraken-MIN_NUM_FORMS": "0",
        "afspraken-MAX_NUM_FORMS": "30",
        "signalen-TOTAL_FORMS": str(len(signalen)),
        "signalen-INITIAL_FORMS": str(initial),
        "signalen-MIN_NUM_FORMS": "0",
        "signalen-MAX_NUM_FORMS": "30",
    }
    afspraak_ids = {"own": own_afspraak or "", "other": world.other_afspraak}
    for i, row in enumerate(afspraken):
        data[f"afspraken-{i}-id"] = resolve(row["id"], afspraak_ids)
        data[f"afspraken-{i}-omschrijving"] = row["omschrijving"]
        data[f"afspraken-{i}-owner"] = resolve(row["owner"], people)
        data[f"afspraken-{i}-due_date"] = (
            day_in(cast.traject, 150) if row["due_date"] == "valid" else row["due_date"]
        )
        data[f"afspraken-{i}-DELETE"] = row["DELETE"]
    signaal_ids = {"own": own_signaal or "", "other": world.other_signaal}
    tags = {"tag": world.tag, "tag2": world.tag2, "far": world.far_tag}
    for i, row in enumerate(signalen):
        data[f"signalen-{i}-id"] = resolve(row["id"], signaal_ids)
        data[f"signalen-{i}-soort"] = row["soort"]
        data[f"signalen-{i}-tekst"] = row["tekst"]
        data[f"signalen-{i}-tags"] = [resolve(t, tags) for t in row["tags"]]
        data[f"signalen-{i}-DELETE"] = row["DELETE"]
    return data


@PROPS
@given(
    who=st.sampled_from(["slb", "slb", "coach", "zij_instromer"]),
    tekst=texts(),
    koers=st.one_of(
        st.sampled_from(["op_koers", "aandacht", "uit_koers"]), st.sampled_from(["", "x"])
    ),
    reden=texts(),
    version=numbers(),
    afspraken=st.lists(AFSPRAAK, max_size=3),
    signalen=st.lists(SIGNAAL, max_size=3),
    initial=st.integers(-1, 3),
)
@example(
    who="slb",
    tekst="Goed gesprek.",
    koers="aandacht",
    reden="Werkdruk",
    version="CURRENT",
    afspraken=[
        {"id": "", "omschrijving": "Lesbezoek", "owner": "coach", "due_date": "valid", "DELETE": ""}
    ],
    signalen=[
        {"id": "", "soort": "belemmering", "tekst": "Nakijkwerk", "tags": ["tag"], "DELETE": ""}
    ],
    initial=0,
)
@example(  # an existing agreement posted twice: deleted in one row, changed in the other
    who="slb",
    tekst="Goed gesprek.",
    koers="op_koers",
    reden="",
    version="CURRENT",
    afspraken=[
        {
            "id": "own",
            "omschrijving": "Lesbezoek",
            "owner": "coach",
            "due_date": "valid",
            "DELETE": delete,
        }
        for delete in ("on", "")
    ],
    signalen=[
        {"id": "own", "soort": "succes", "tekst": "Team", "tags": [], "DELETE": delete}
        for delete in ("on", "")
    ],
    initial=0,
)
def test_a_report_is_refused_or_saved_with_its_afspraken_and_signalen(
    client, cast, world, who, tekst, koers, reden, version, afspraken, signalen, initial
):
    unlock(world.gesprek)
    verslag = Verslag.objects.filter(gesprek=world.gesprek).first()
    if verslag is None or not verslag.afspraken.exists():
        verslag = verslag or f.VerslagFactory(gesprek=world.gesprek)
        f.AfspraakFactory(verslag=verslag)
        Signaal.objects.create(verslag=verslag, soort="succes", tekst="Het team helpt.")
    data = _verslag_data(
        cast,
        world,
        tekst=tekst,
        koers=koers,
        reden=reden,
        version=version,
        afspraken=afspraken,
        signalen=signalen,
        initial=initial,
    )
    login(client, getattr(cast, who))
    before = db_state(Verslag, Afspraak, Signaal)
    response = post(client, url("verslag", world.gesprek.pk), data)
    if check(response, before, Verslag, Afspraak, Signaal):
        saved = Verslag.objects.get(gesprek=world.gesprek)
        participants = {cast.zij_instromer.pk, cast.coach.pk, cast.slb.pk}
        assert {a.owner_id for a in saved.afspraken.all()} <= participants
        ps = cast.traject.school.bestuur.partnerschap_id
        assert all(t.partnerschap_id == ps for s in saved.signalen.all() for t in s.tags.all())
    # Nothing of the other traject's report changed.
    assert Afspraak.objects.get(pk=world.other_afspraak.pk).omschrijving == (
        world.other_afspraak.omschrijving
    )
    assert Signaal.objects.get(pk=world.other_signaal.pk).tekst == "Elders"


@PROPS
@given(
    who=st.sampled_from(["zij_instromer", "coach", "slb", "duo", "schoolleider"]),
    version=numbers(),
    target=st.sampled_from(["own", "own", "other"]),
)
def test_signing_is_refused_or_counts_once_per_role_and_version(
    client, cast, world, who, version, target
):
    verslag = Verslag.objects.filter(gesprek=world.gesprek).first() or f.VerslagFactory(
        gesprek=world.gesprek
    )
    gesprek = {"own": world.gesprek, "other": world.other_gesprek}[target]
    login(client, getattr(cast, who))
    before = db_state(Verslag)
    response = post(
        client,
        url("sign", gesprek.pk),
        {"version": verslag.version if version == "CURRENT" else version},
    )
    if check(response, before, Verslag):
        assert who in ("zij_instromer", "coach", "slb") and target == "own"
    for rol in ("zij_instromer", "coach", "slb"):
        assert Handtekening.objects.filter(verslag=verslag, rol=rol).count() <= 1


@PROPS
@given(
    who=st.sampled_from(["zij_instromer", "coach", "slb", "duo", "coordinator"]),
    tekst=texts(),
)
def test_an_addendum_is_refused_or_added_under_the_signed_report(client, cast, world, who, tekst):
    verslag = Verslag.objects.filter(gesprek=world.gesprek).first() or f.VerslagFactory(
        gesprek=world.gesprek
    )
    if not verslag.is_locked:
        f.sign_all(verslag)
    login(client, getattr(cast, who))
    before = db_state(Verslag)
    response = post(client, url("addendum", world.gesprek.pk), {"tekst": tekst})
    if check(response, before, Verslag):
        assert verslag.addenda.filter(auteur=getattr(cast, who)).exists()


@PROPS
@given(
    who=st.sampled_from(["zij_instromer", "coach", "duo", "outsider"]),
    done=st.sampled_from(["1", "0", "", "\x00", "on"]),
    target=st.sampled_from(["own", "own", "other"]),
)
def test_ticking_an_agreement_is_refused_or_recorded(client, cast, world, who, done, target):
    verslag = Verslag.objects.filter(gesprek=world.gesprek).first() or f.VerslagFactory(
        gesprek=world.gesprek
    )
    own = verslag.afspraken.first() or f.AfspraakFactory(verslag=verslag)
    afspraak = {"own": own, "other": world.other_afspraak}[target]
    login(client, getattr(cast, who))
    before = db_state(Afspraak)
    response = post(client, url("afspraak_done", afspraak.pk), {"done": done})
    if check(response, before, Afspraak):
        assert Afspraak.objects.get(pk=afspraak.pk).is_done == (done == "1")


@PROPS
@given(
    name=texts(), active=st.sampled_from(["", "on"]), target=st.sampled_from(["new", "own", "far"])
)
def test_a_signal_tag_is_refused_or_saved_once_per_name(client, cast, world, name, active, target):
    login(client, cast.coordinator)
    before = db_state(SignaalTag)
    if target == "new":
        response = post(client, url("tags"), {"name": name})
    else:
        tag = {"own": world.tag, "far": world.far_tag}[target]
        response = post(client, url("tag_edit", tag.pk), {"name": name, "is_active": active})
    if check(response, before, SignaalTag):
        assert target != "far"
    names = [
        n.lower()
        for n in SignaalTag.objects.filter(partnerschap=world.tag.partnerschap).values_list(
            "name", flat=True
        )
    ]
    assert len(names) == len(set(names))


# --- services, called directly ------------------------------------------------------------------

SERVICE_TEXT = st.text(
    alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=40
)


@PROPS
@given(
    afspraken=st.lists(
        st.fixed_dictionaries(
            {
                "id": st.sampled_from([None, "own", "other", -1, 10**12]),
                "delete": st.booleans(),
                "omschrijving": SERVICE_TEXT.map(lambda t: t[:300]),
                "owner": st.sampled_from(["zij_instromer", "coach", "slb", "duo", "outsider"]),
                "due_date": st.dates(),
            }
        ),
        max_size=3,
    ),
    signalen=st.lists(
        st.fixed_dictionaries(
            {
                "id": st.sampled_from([None, "own", "other", -1]),
                "delete": st.booleans(),
                "soort": st.sampled_from(["belemmering", "ondersteuning", "succes"]),
                "tekst": SERVICE_TEXT.map(lambda t: t[:300]),
                "tags": st.lists(st.sampled_from(["tag", "far"]), max_size=2),
            }
        ),
        max_size=3,
    ),
    version=st.sampled_from(["CURRENT", 0, -1, 10**6]),
    actor=st.sampled_from(["slb", "coach", "zij_instromer", "outsider"]),
)
@example(  # one agreement twice: deleted, then changed
    afspraken=[
        {
            "id": "own",
            "delete": delete,
            "omschrijving": "Lesbezoek",
            "owner": "coach",
            "due_date": datetime.date(2030, 1, 1),
        }
        for delete in (True, False)
    ],
    signalen=[],
    version="CURRENT",
    actor="slb",
)
def test_verslag_save_refuses_or_saves_the_report_whole(
    cast, world, afspraken, signalen, version, actor
):
    unlock(world.gesprek)
    verslag = Verslag.objects.filter(gesprek=world.gesprek).first() or f.VerslagFactory(
        gesprek=world.gesprek
    )
    own_afspraak = verslag.afspraken.first() or f.AfspraakFactory(verslag=verslag)
    own_signaal = verslag.signalen.first() or Signaal.objects.create(
        verslag=verslag, soort="succes", tekst="Het team helpt."
    )
    people = {r: getattr(cast, r) for r in ("zij_instromer", "coach", "slb", "duo", "outsider")}
    tags = {"tag": world.tag, "far": world.far_tag}
    rows_a = [
        {
            **row,
            "id": {"own": own_afspraak.pk, "other": world.other_afspraak.pk}.get(
                row["id"], row["id"]
            ),
            "owner": people[row["owner"]],
        }
        for row in afspraken
    ]
    rows_s = [
        {
            **row,
            "id": {"own": own_signaal.pk, "other": world.other_signaal.pk}.get(
                row["id"], row["id"]
            ),
            "tags": [tags[t] for t in row["tags"]],
        }
        for row in signalen
    ]
    before = db_state(Verslag, Afspraak, Signaal)
    try:
        services.verslag_save(
            gesprek=world.gesprek,
            actor=getattr(cast, actor),
            version=verslag.version if version == "CURRENT" else version,
            tekst="Verslag",
            koers="op_koers",
            koers_reden="",
            afspraken=rows_a,
            signalen=rows_s,
        )
    except (PermissionDenied, services.StaleVersion, services.VerslagLocked):
        assert changed(before, db_state(Verslag, Afspraak, Signaal)) == []
    else:
        participants = {cast.zij_instromer.pk, cast.coach.pk, cast.slb.pk}
        assert {a.owner_id for a in verslag.afspraken.all()} <= participants
    assert Afspraak.objects.get(pk=world.other_afspraak.pk).verslag_id == world.other_verslag.pk

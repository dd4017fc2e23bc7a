"""Property-based tests of the portal's own forms (people, start meetings, the coach
training register, role descriptions, personal settings, attendance), posted through the
real views: whatever a coordinator or user posts (text with NUL and RTL marks, huge
strings, dates far away, huge numbers, ids of another partnership's people and schools),
the answer is a form error or a success, never a 500, and a refused form changes no row.
The form-level properties are in tests/portal/test_properties.py."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.contrib import messages
from django.urls import reverse
from django.utils import timezone
from hypothesis import example, given
from hypothesis import strategies as st

from conftest import login, reauthenticated
from portal.forms import MAIL_KINDS
from portal.models import (
    Rolbeschrijving,
    Scholing,
    Startbijeenkomst,
    Uitnodiging,
    User,
)
from tests import factories as f
from tests.props import PROPS, check, dates, db_state, numbers, post, resolve, texts

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"portal:{name}", args=args)


EMAILS = st.one_of(
    st.builds(lambda n: f"nieuw{n}@example.test", st.integers(0, 10**9)),
    st.one_of(
        st.sampled_from(
            [
                "EXISTING",
                "EXISTING_UPPER",
                "",
                "geen-adres",
                "a@b",
                "x@\u202eexample.test",
                "\x00@example.test",
                "a" * 64 + "@" + ".".join(["b" * 63] * 3) + ".nl",
                "jan@exämple.test",
                "<script>@example.test",
            ]
        ),
        st.emails().map(str),
        texts(20),
    ),
)


# --- people -------------------------------------------------------------------------------------


@PROPS
@given(
    email=EMAILS,
    first=texts(),
    last=texts(),
    language=st.one_of(st.sampled_from(["nl", "en"]), st.sampled_from(["", "de", "\x00", "nl "])),
)
@example(email="nieuw1@example.test", first="Sanne", last="de Vries", language="nl")
@example(  # 254 characters is the most a mailbox column holds
    email="a" * 64 + "@" + ".".join(["b" * 63] * 3) + ".nl",
    first="Lang",
    last="Adres",
    language="nl",
)
@example(email="EXISTING_UPPER", first="Al", last="Bekend", language="en")
def test_adding_a_person_is_refused_or_makes_one_account(
    client, cast, email, first, last, language
):
    table = {"EXISTING": cast.coach.email, "EXISTING_UPPER": cast.coach.email.upper()}
    login(client, cast.coordinator)
    before = db_state(User)
    users = User.objects.count()
    response = post(
        client,
        url("mens_nieuw"),
        {
            "email": table.get(email, email),
            "first_name": first,
            "last_name": last,
            "language": language,
        },
    )
    # An existing account is linked to the partnership, said with an info message.
    if check(response, before, User, levels=(messages.SUCCESS, messages.INFO)):
        assert User.objects.count() in (users, users + 1)
        person = User.objects.get(email__iexact=table.get(email, email).strip())
        assert person.lid_van.filter(pk=cast.traject.school.bestuur.partnerschap_id).exists()
        assert len(person.email) <= 254
    emails = [e.lower() for e in User.objects.values_list("email", flat=True)]
    assert len(emails) == len(set(emails))


@pytest.fixture
def far():
    """A school and a person of another partnership."""
    school = f.SchoolFactory()
    person = f.UserFactory()
    school.bestuur.partnerschap.leden.add(person)
    return SimpleNamespace(school=school, person=person)


@PROPS
@given(
    schools=st.lists(
        st.one_of(
            st.sampled_from(["own", "own2"]),
            st.sampled_from(["far", "0", "9223372036854775808", "x"]),
        ),
        max_size=3,
    ),
    flags=st.tuples(*[st.sampled_from(["", "on", "\x00", "1"])] * 3),
    target=st.sampled_from(["coach", "coach", "self", "outsider", "far_person"]),
)
def test_setting_roles_is_refused_or_stays_within_the_partnership(
    client, cast, far, schools, flags, target
):
    ps = cast.traject.school.bestuur.partnerschap
    own2 = ps.besturen.first().scholen.exclude(pk=cast.traject.school_id).first()
    people = {
        "coach": cast.coach,
        "self": cast.coordinator,
        "outsider": cast.outsider,
        "far_person": far.person,
    }
    table = {"own": cast.traject.school, "own2": own2, "far": far.school}
    if not client.session.get("account_authentication_methods"):
        reauthenticated(client, cast.coordinator)
    before = db_state()
    data = {
        "schools": [resolve(s, table) for s in schools],
        "docent": flags[0],
        "assessor": flags[1],
        "coordinator": flags[2],
    }
    response = post(client, url("mens", people[target].pk), data)
    if check(response, before):
        person = people[target]
        assert not far.school.leiders.filter(pk=person.pk).exists()
        assert ps.coordinatoren.filter(pk=cast.coordinator.pk).exists()


# --- start meetings -----------------------------------------------------------------------------

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
                "\x00",
            ]
        ),
    ),
)


@PROPS
@given(
    title=texts(),
    cohort=dates("valid"),
    starts=DATETIMES,
    ends=DATETIMES,
    location=texts(),
    description=texts(),
)
@example(
    title="Start", cohort="valid", starts="valid", ends="valid", location="Pabo", description=""
)
@example(
    title="Start",
    cohort="valid",
    starts="0001-01-01T00:00",
    ends="0001-01-01T01:00",
    location="Pabo",
    description="",
)
@example(
    title="Start",
    cohort="9999-12-31",
    starts="9999-12-31T22:00",
    ends="9999-12-31T23:59",
    location="Pabo",
    description="",
)
def test_a_start_meeting_is_refused_or_planned_with_its_invitations(
    client, cast, title, cohort, starts, ends, location, description
):
    soon = timezone.localtime() + datetime.timedelta(days=30)
    table = {"valid": cast.traject.start_date.isoformat()}
    login(client, cast.coordinator)
    before = db_state()
    meetings = set(Startbijeenkomst.objects.values_list("pk", flat=True))
    data = {
        "title": title,
        "cohort_start": table.get(cohort, cohort),
        "starts_at": soon.strftime("%Y-%m-%dT%H:%M") if starts == "valid" else starts,
        "ends_at": (soon + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
        if ends == "valid"
        else ends,
        "location": location,
        "description": description,
    }
    response = post(client, url("startbijeenkomst_nieuw"), data)
    if check(response, before):
        meeting = Startbijeenkomst.objects.exclude(pk__in=meetings).get()
        assert meeting.ends_at > meeting.starts_at
        invited = set(meeting.uitnodigingen.values_list("user_id", flat=True))
        assert invited <= {cast.coach.pk, cast.schoolleider.pk, *invited}


@PROPS
@given(
    present=st.lists(
        st.one_of(
            st.sampled_from(["COACH", "LEIDER"]),
            st.sampled_from(["0", "-1", "\u00b2", "\u0661", "9" * 5000, "1.5", "", "\x00"]),
            texts(8),
        ),
        max_size=4,
    ),
)
@example(present=["\u00b2"])  # a superscript two is a digit to str.isdigit, not to int()
@example(present=["9" * 5000])  # longer than int() converts
def test_attendance_is_refused_or_recorded_for_the_invitees(client, cast, present):
    meeting = Startbijeenkomst.objects.first()
    if meeting is None:
        start = timezone.now() + datetime.timedelta(days=7)
        meeting = Startbijeenkomst.objects.create(
            partnerschap=cast.traject.school.bestuur.partnerschap,
            title="Start",
            cohort_start=cast.traject.start_date,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            location="Pabo",
        )
        Uitnodiging.objects.create(bijeenkomst=meeting, user=cast.coach, rol="coach")
        Uitnodiging.objects.create(bijeenkomst=meeting, user=cast.schoolleider, rol="schoolleider")
    table = {"COACH": cast.coach.pk, "LEIDER": cast.schoolleider.pk}
    login(client, cast.coordinator)
    before = db_state(Uitnodiging)
    response = post(
        client,
        url("startbijeenkomst_aanwezig", meeting.pk),
        {"aanwezig": [table.get(p, p) for p in present]},
    )
    if check(response, before, Uitnodiging):
        here = set(meeting.uitnodigingen.filter(aanwezig=True).values_list("user_id", flat=True))
        assert here == {table[p] for p in present if p in table}


# --- the coach training register and role descriptions ------------------------------------------


@PROPS
@given(
    user=st.one_of(
        st.sampled_from(["COACH", "SLB"]),
        st.sampled_from(["OUTSIDER", "0", "9223372036854775808", "x", ""]),
    ),
    soort=st.one_of(
        st.sampled_from(["coachtraining", "terugkom", "ttt"]),
        st.sampled_from(["", "onzin", "\x00"]),
    ),
    datum=dates("valid"),
)
@example(user="COACH", soort="coachtraining", datum="valid")
def test_a_training_is_refused_or_recorded_once(client, cast, user, soort, datum):
    table = {
        "COACH": cast.coach.pk,
        "SLB": cast.slb.pk,
        "OUTSIDER": cast.outsider.pk,
        "valid": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
    }
    login(client, cast.coordinator)
    before = db_state()
    response = post(
        client,
        url("scholing"),
        {"user": table.get(user, user), "soort": soort, "datum": table.get(datum, datum)},
    )
    if check(response, before):
        assert Scholing.objects.filter(user_id=table[user], soort=soort).exists()
        assert Scholing.objects.filter(datum__gt=timezone.localdate()).count() == 0


@PROPS
@given(
    rol=st.one_of(st.sampled_from(["coach", "slb"]), st.sampled_from(["x", "coordinator"])),
    body_nl=texts(),
    body_en=texts(),
    version=numbers(),
)
def test_a_role_description_is_refused_or_saved_as_the_next_version(
    client, cast, rol, body_nl, body_en, version
):
    ps = cast.traject.school.bestuur.partnerschap
    current = Rolbeschrijving.objects.filter(partnerschap=ps, rol=rol).first()
    login(client, cast.coordinator)
    before = db_state(Rolbeschrijving)
    response = post(
        client,
        url("rol_bewerken", rol),
        {
            "body_nl": body_nl,
            "body_en": body_en,
            "version": (current.version if current else 0) if version == "CURRENT" else version,
        },
    )
    if check(response, before, Rolbeschrijving):
        saved = Rolbeschrijving.objects.get(partnerschap=ps, rol=rol)
        assert saved.version == (current.version + 1 if current else 1)


# --- personal settings --------------------------------------------------------------------------


@PROPS
@given(
    first=texts(),
    last=texts(),
    language=st.one_of(st.sampled_from(["nl", "en"]), st.sampled_from(["", "de", "\x00"])),
    kinds=st.lists(
        st.sampled_from([k for k, _l in MAIL_KINDS] + ["onzin", "", "\x00"]), max_size=4
    ),
)
def test_personal_settings_are_refused_or_saved(client, cast, first, last, language, kinds):
    login(client, cast.zij_instromer)
    before = db_state(User)
    response = post(
        client,
        url("instellingen"),
        {"first_name": first, "last_name": last, "language": language, "mail_kinds": kinds},
    )
    if check(response, before, User):
        user = User.objects.get(pk=cast.zij_instromer.pk)
        assert user.language in ("nl", "en")
        assert set(user.muted_mail_kinds) <= {k for k, _l in MAIL_KINDS}


# --- services, called directly ------------------------------------------------------------------


@PROPS
@given(
    spelling=st.sampled_from(["same", "upper", "spaces", "mixed"]),
    first=st.text(
        alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
        max_size=20,
    ),
)
def test_person_add_links_an_existing_account_however_the_address_is_spelled(cast, spelling, first):
    from portal import services

    email = cast.coach.email
    spelled = {
        "same": email,
        "upper": email.upper(),
        "spaces": f"  {email}  ",
        "mixed": email.swapcase(),
    }[spelling]
    users = User.objects.count()
    person, created = services.person_add(
        partnerschap=cast.traject.school.bestuur.partnerschap,
        email=spelled,
        first_name=first,
        last_name="X",
        language="nl",
        added_by=cast.coordinator,
    )
    assert not created and person == cast.coach
    assert User.objects.count() == users
    assert User.objects.get(pk=cast.coach.pk).first_name == cast.coach.first_name


@PROPS
@given(present=st.sets(st.integers(-(2**63), 2**63 - 1), max_size=5), with_invitees=st.booleans())
def test_attendance_set_records_exactly_the_invitees_present(cast, present, with_invitees):
    from portal import services

    start = timezone.now() + datetime.timedelta(days=7)
    meeting = Startbijeenkomst.objects.create(
        partnerschap=cast.traject.school.bestuur.partnerschap,
        title="Start",
        cohort_start=cast.traject.start_date,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        location="Pabo",
    )
    Uitnodiging.objects.create(bijeenkomst=meeting, user=cast.coach, rol="coach")
    if with_invitees:
        present = present | {cast.coach.pk}
    count = services.startbijeenkomst_attendance_set(
        bijeenkomst=meeting, present_ids=present, recorded_by=cast.coordinator
    )
    assert count == (1 if cast.coach.pk in present else 0)
    assert meeting.uitnodigingen.get().aanwezig == (cast.coach.pk in present)

"""Whole pages cached per person (portal.pagecache): hits, what is never shared, what makes a
page stale, and that the access layer still decides on every request."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from conftest import login
from gesprekken import services as gesprek_services
from gesprekken.models import Verslag
from portal import pagecache
from portal.models import Notificatie
from tests import factories as f
from trajecten import access as traject_access
from trajecten import services as traject_services
from trajecten.models import Traject

pytestmark = pytest.mark.django_db

HIT = "X-Lev-Page-Cache"


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response


def text(response) -> str:
    return response.content.decode()


def without_tokens(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'name="_once" value="[0-9a-f]{32}"', "", html)


def test_a_second_visit_is_served_from_the_cache_with_the_same_page(client, cast):
    login(client, cast.coach)
    url = reverse("trajecten:detail", args=[cast.traject.pk])
    first = get(client, url)
    with CaptureQueriesContext(connection) as queries:
        second = get(client, url)
    assert HIT not in first
    assert second[HIT] == "hit"
    assert without_tokens(text(second)) == without_tokens(text(first))
    # The session, the user and the access layer's question; nothing of the page itself.
    assert len(queries) <= 4, [q["sql"] for q in queries]


def test_off_when_the_setting_is_off(client, cast, settings):
    settings.LEV_PAGE_CACHE = False
    login(client, cast.coach)
    url = reverse("trajecten:detail", args=[cast.traject.pk])
    get(client, url)
    assert HIT not in get(client, url)


def test_tokens_on_a_cached_page_are_fresh_and_valid(client, cast):
    """The CSRF token of a served page works for a post; one-time tokens are new each time.
    A signed report carries the addendum form, which has a one-time token."""
    client = client.__class__(enforce_csrf_checks=True)
    login(client, cast.zij_instromer)
    gesprek = f.GesprekFactory(traject=cast.traject)
    f.sign_all(f.VerslagFactory(gesprek=gesprek))
    url = reverse("gesprekken:detail", args=[gesprek.pk])
    get(client, url)
    served = get(client, url)
    assert served[HIT] == "hit"
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text(served)).group(1)
    assert "\x00" not in text(served)
    response = client.post(
        reverse("set_language"), {"language": "en", "next": url}, HTTP_X_CSRFTOKEN=csrf
    )
    assert response.status_code == 302  # the CSRF check passed
    once_a = re.findall(r'name="_once" value="([0-9a-f]{32})"', text(get(client, url)))
    once_b = re.findall(r'name="_once" value="([0-9a-f]{32})"', text(get(client, url)))
    assert once_a and once_b  # the form is there, on a served page too
    assert set(once_a).isdisjoint(once_b)


def test_each_person_gets_their_own_page(client, cast):
    """The coordinator's traject page links the audit trail; the coach's, served after the
    coordinator's was cached, does not, and each shows its own person in the navigation."""
    url = reverse("trajecten:detail", args=[cast.traject.pk])
    audit = reverse("portal:traject_audit", args=[cast.traject.pk])
    login(client, cast.coordinator)
    get(client, url)
    coordinators = text(get(client, url))
    login(client, cast.coach)
    get(client, url)
    coachs = get(client, url)
    assert coachs[HIT] == "hit"
    assert audit in coordinators
    assert audit not in text(coachs)
    assert escape(cast.coach.get_full_name()) in text(coachs)
    assert escape(cast.coordinator.get_full_name()) not in text(coachs)


def test_the_access_layer_still_decides_on_a_hit(client, cast):
    """Even a change the counters never heard of (a write past the models) ends access at
    once: the scope is asked of the access layer on every request."""
    login(client, cast.coach)
    url = reverse("trajecten:detail", args=[cast.traject.pk])
    get(client, url)
    assert get(client, url)[HIT] == "hit"
    Traject.objects.filter(pk=cast.traject.pk).update(coach=cast.other_coach)  # no signals
    assert client.get(url).status_code == 404


def test_someone_outside_gets_404_not_a_cached_page(client, cast):
    url = reverse("trajecten:detail", args=[cast.traject.pk])
    login(client, cast.coach)
    get(client, url)
    login(client, cast.outsider)
    assert client.get(url).status_code == 404


def test_a_write_makes_the_page_stale(client, cast):
    traject_services.logboekregel_create(
        traject=cast.traject,
        user=cast.zij_instromer,
        datum=cast.traject.start_date,
        wat_er_gebeurde="Eerste les rekenen",
    )
    login(client, cast.coach)
    url = reverse("trajecten:logboek", args=[cast.traject.pk])
    get(client, url)
    assert get(client, url)[HIT] == "hit"
    traject_services.logboekregel_create(
        traject=cast.traject,
        user=cast.zij_instromer,
        datum=cast.traject.start_date,
        wat_er_gebeurde="Tweede les: kringgesprek",
    )
    page = get(client, url)
    assert HIT not in page
    assert "kringgesprek" in text(page)


def test_a_write_without_model_signals_makes_the_page_stale(client, cast):
    """The report is saved with QuerySet.update (optimistic locking): its service touches."""
    gesprek = f.GesprekFactory(traject=cast.traject)
    verslag = f.VerslagFactory(gesprek=gesprek, tekst="Oude tekst van het verslag")
    login(client, cast.coach)
    url = reverse("gesprekken:detail", args=[gesprek.pk])
    get(client, url)
    assert get(client, url)[HIT] == "hit"
    gesprek_services.verslag_save(
        gesprek=gesprek,
        actor=cast.slb,
        version=verslag.version,
        tekst="Nieuwe stand van zaken",
        koers=Verslag.Koers.OP_KOERS,
        koers_reden="",
        afspraken=[],
        signalen=[],
    )
    page = text(get(client, url))
    assert "Nieuwe stand van zaken" in page
    assert "Oude tekst van het verslag" not in page


def test_a_rename_shows_on_other_peoples_pages(client, cast):
    login(client, cast.coach)
    url = reverse("trajecten:detail", args=[cast.traject.pk])
    get(client, url)
    person = cast.zij_instromer
    person.first_name = "Anouk-Renée"
    person.save()
    assert "Anouk-Renée" in text(get(client, url))


def test_a_login_does_not_make_every_page_stale(client, cast):
    login(client, cast.coach)
    url = reverse("trajecten:detail", args=[cast.traject.pk])
    get(client, url)
    login(client.__class__(), cast.slb)  # updates last_login only
    assert get(client, url)[HIT] == "hit"


def test_a_change_that_no_page_shows_leaves_pages_cached(client, cast):
    """Someone's mail language is not on anyone's page: saving it bumps nothing."""
    login(client, cast.coach)
    url = reverse("trajecten:detail", args=[cast.traject.pk])
    get(client, url)
    person = cast.zij_instromer
    person.language = "en"
    person.save()
    assert get(client, url)[HIT] == "hit"


def test_the_unread_count_is_never_stale(client, cast):
    login(client, cast.coach)
    url = reverse("trajecten:detail", args=[cast.traject.pk])
    get(client, url)
    Notificatie.objects.create(user=cast.coach, kind="test", text="Nieuw verslag", url="/")
    page = get(client, url)
    assert HIT not in page
    assert re.search(r"badge[^>]*>1<", text(page))


def test_a_page_with_a_message_waiting_is_not_served_from_the_cache(client, cast):
    login(client, cast.coach)
    url = reverse("trajecten:detail", args=[cast.traject.pk])
    get(client, url)
    client.post(reverse("portal:notificaties_read"))  # leaves "0 meldingen gemarkeerd" waiting
    page = get(client, url)
    assert HIT not in page
    assert "gemarkeerd als gelezen" in text(page)
    assert get(client, url)[HIT] == "hit"  # the message was shown once


def test_list_pages_follow_the_people_they_list(client, cast):
    """A coach's list is about their trajecten: a new side-entrant appears at once."""
    login(client, cast.coach)
    url = reverse("trajecten:mine")
    get(client, url)
    assert get(client, url)[HIT] == "hit"
    nieuw = f.TrajectFactory(coach=cast.coach, school=cast.traject.school)
    assert escape(nieuw.zij_instromer.last_name) in text(get(client, url))


def test_coordinator_pages_follow_every_write_in_the_partnership(client, cast):
    login(client, cast.coordinator)
    url = reverse("trajecten:list")
    get(client, url)
    assert get(client, url)[HIT] == "hit"
    f.GesprekFactory(traject=cast.traject)  # any write beneath one of its trajecten
    assert HIT not in get(client, url)


def test_every_model_is_classified():
    """A model of the portal's apps either hangs beneath a traject (found along its foreign
    keys) or is named in one of pagecache's lists; a new model cannot be forgotten."""
    named = (
        pagecache.GLOBAL_MODELS
        | set(pagecache.USER_MODELS)
        | pagecache.IGNORED_MODELS
        | pagecache.SPECIAL_MODELS
    )
    for app in pagecache.APPS:
        for model in apps.get_app_config(app).get_models():
            label = model._meta.label
            path = pagecache.traject_path(model)
            assert label in named or path is not None, label
            if path is not None:  # beneath a traject: its own traject's pages, or never shown
                assert label not in named - pagecache.IGNORED_MODELS, label


def test_the_roles_version_is_the_access_layers():
    assert pagecache.ROLES_VERSION == traject_access.ROLES_VERSION


@pytest.mark.parametrize(
    "factory",
    [
        lambda c: f.LogboekregelFactory(traject=c.traject),
        lambda c: f.GesprekFactory(traject=c.traject),
        lambda c: f.OnderzoeksopdrachtFactory(dossier=f.DossierFactory(traject=c.traject)),
        lambda c: f.ProeveFactory(dossier=f.DossierFactory(traject=c.traject)),
        lambda c: f.onderzoek_positief(c.traject),
    ],
    ids=["logboek", "gesprek", "onderzoeksopdracht", "proeve", "geschiktheidsonderzoek"],
)
def test_writes_beneath_a_traject_bump_it_and_its_partnership(cast, factory):
    scope = pagecache.Scope(
        trajecten=(cast.traject.pk,),
        partnerschappen=(cast.traject.school.bestuur.partnerschap_id,),
    )
    before = pagecache.counters.versions(scope.keys())
    obj = factory(cast)
    after = pagecache.counters.versions(scope.keys())
    assert all(after[k] != before[k] for k in scope.keys())
    before = after
    obj.delete() if not isinstance(obj, Traject) else None
    after = pagecache.counters.versions(scope.keys())
    assert all(after[k] != before[k] for k in scope.keys())


def test_the_page_cache_without_a_shared_cache_is_warned_about(settings):
    from portal.checks import page_cache_needs_shared_cache

    settings.DEBUG = False
    settings.LEV_PAGE_CACHE = True  # the tests' locmem cache is local to the process
    assert [w.id for w in page_cache_needs_shared_cache(None)] == ["lev.W002"]
    settings.LEV_PAGE_CACHE = False
    assert page_cache_needs_shared_cache(None) == []


def test_the_setting_follows_redis_by_default():
    """On with REDIS_URL (production, docker-compose.yml), off without (make demo)."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.LEV_PAGE_CACHE)"
    )
    for redis_url, expected in (("redis://127.0.0.1:6379/9", "True"), ("", "False")):
        env = {**os.environ, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "portal.settings"}
        env.pop("LEV_PAGE_CACHE", None)
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        assert out.stdout.strip().splitlines()[-1] == expected


def test_refresh_figures_after_sql_by_hand_makes_every_page_stale(client, cast):
    """Data changed behind the models' back is not seen by the counters; the repair command
    (as `restore`) makes everything stale."""
    from django.core.management import call_command

    login(client, cast.coach)
    url = reverse("trajecten:detail", args=[cast.traject.pk])
    get(client, url)
    User = cast.zij_instromer.__class__
    User.objects.filter(pk=cast.zij_instromer.pk).update(first_name="Handmatig")  # no signals
    assert "Handmatig" not in text(get(client, url))  # the cached page, as documented
    call_command("refresh_figures", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert "Handmatig" in text(get(client, url))

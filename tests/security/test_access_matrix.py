"""The access matrix: every URL of the portal, tried by every kind of person.

For each URL pattern of Lev's own apps the table below says what each person gets:
  o  the view did its work (200, a redirect to a next page, or 400 with form errors)
  f  403: may see the traject, may not do this
  n  404: not theirs (exactly like a page that does not exist)
  L  anonymous: redirect to the login page
  R  redirect to re-authentication (a sensitive action)
  u  401 (API without a key)
  x  405 (wrong method)
Columns: anonymous, an outsider without any role, and the demo people around side-entrant 1
(zi1 and their coach, SLB, duo, school leader, the coordinator) and around side-entrant 2
(zi2, coach2, schoolleider2), the module teacher and the two assessors (of zi2's Proeve).
A URL pattern without a row fails the suite: a new view must say who may reach it.
"""

from __future__ import annotations

import os

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .urls_spec import TARGETS

# The query budget of every page (issue 16), the session and user lookups included.
MAX_PAGE_QUERIES = 20

ACTORS = [
    "anon",
    "outsider",
    "zi1",
    "coach1",
    "slb1",
    "duo1",
    "sl1",
    "coord",
    "zi2",
    "coach2",
    "sl2",
    "docent",
    "av",
    "ao",
]

# columns: anon outsider zi1 coach1 slb1 duo1 sl1 coord zi2 coach2 sl2 docent av ao
EXPECTED = """
api:openapi                               o o o o o o o o o o o o o o
api:traject                               u u u u u u u u u u u u u u
api:trajecten                             u u u u u u u u u u u u u u
bekwaamheid:afronden                      L n o f f n n n n n n f n n
bekwaamheid:beoordeling                   L n n n f n n f f f f n o o
bekwaamheid:bewijsstuk                    L n o o o n n n n n n o n n
bekwaamheid:bewijsstuk_add                L n o f f n n n n n n f n n
bekwaamheid:bewijsstuk_remove             L n o f f n n n n n n f n n
bekwaamheid:bewijsstuk_restore            L n o f f n n n n n n f n n
bekwaamheid:criterium_add                 L n o f f n n n n n n f n n
bekwaamheid:criterium_edit                L n o f f n n n n n n f n n
bekwaamheid:dossier                       L n o o o f f f n n n n n n
bekwaamheid:dossier_submit                L n o f f f f f n n n n n n
bekwaamheid:feedback_post                 L n o o o n n n n n n o n n
bekwaamheid:feedback_request              L n o f f n n n n n n f n n
bekwaamheid:in_dossier                    L n o f f n n n n n n f n n
bekwaamheid:onderzoeksopdracht            L n o o o n n n n n n o n n
bekwaamheid:oordeel                       L n n n f n n f f f f n o o
bekwaamheid:oordeel_addendum              L n n n f n n n f f f n n n
bekwaamheid:oordeel_sign                  L n n n f n n f f f f n R R
bekwaamheid:oordeel_unsign                L n n n f n n f f f f n n n
bekwaamheid:opdracht                      L n n n n n n n n n n o n n
bekwaamheid:opdracht_new                  L f f f o f f f f f f o f f
bekwaamheid:opdrachten                    L o o o o o o o o o o o o o
bekwaamheid:pdf                           L n n n o n n o n o n n o o
bekwaamheid:pdf_request                   L n n n o n n o o o f n o o
bekwaamheid:pdf_status                    L n n n o n n o o o f n o o
bekwaamheid:proeve                        L n n n o n n o o o f n o o
bekwaamheid:proeve_bewijsstuk             L n n n o n n o o o f n o o
bekwaamheid:proeve_dossier                L n n n o n n o o o f n o o
bekwaamheid:proeve_plan                   L n n n f n n o f f f n f f
bekwaamheid:proeven                       L f f f f f f o f f f f o o
bekwaamheid:traject_afronden              L n n n o n n o f f f n f f
gesprekken:add                            L n f o o n f f n n n n n n
gesprekken:addendum                       L n o o o n f f n n n n n n
gesprekken:afspraak_done                  L n o o o n f f n n n n n n
gesprekken:agenda                         L o o o o o o o o o o o o o
gesprekken:agenda_renew                   L o o o o o o o o o o o o o
gesprekken:cyclus                         L n o o o n o o n n n n n n
gesprekken:detail                         L n o o o n o o n n n n n n
gesprekken:feed                           n n n n n n n n n n n n n n
gesprekken:ics                            L n o o o n f f n n n n n n
gesprekken:mine                           L o o o o o o o o o o o o o
gesprekken:move                           L n f o o n f f n n n n n n
gesprekken:notitie                        L n f o o n f f n n n n n n
gesprekken:sign                           L n o o o n f f n n n n n n
gesprekken:tag_edit                       L n n n n n n o n n n n n n
gesprekken:tags                           L f f f f f f o f f f f f f
gesprekken:verslag                        L n f o o n f f n n n n n n
gesprekken:voorbereiden                   L n o o o n f f n n n n n n
portal:traject_audit                      L n f f f f f o n n n n n n
portal:health                             o o o o o o o o o o o o o o
portal:home                               L o o o o o o o o o o o o o
portal:instellingen                       L o o o o o o o o o o o o o
portal:inzage                             L n n n n n n o n n n n n n
portal:inzage_download                    L n n n n n n R n n n n n n
portal:mailbox                            L n n n n n n n n n n n n n
portal:mailbox_mail                       L n n n n n n n n n n n n n
portal:mens                               L n n n n n n o n n n n n n
portal:mens_inzage                        L n n n n n n o n n n n n n
portal:mens_nieuw                         L n n n n n n o n n n n n n
portal:mens_uitnodigen                    L n n n n n n o n n n n n n
portal:mensen                             L n n n n n n o n n n n n n
portal:mijn_gegevens                      L R R R R R R R R R R R R R
portal:mijn_inzage                        L n n n n n n n n n n n n n
portal:notificaties                       L o o o o o o o o o o o o o
portal:notificaties_read                  L o o o o o o o o o o o o o
portal:overzicht                          L n n n n n n o n n n n n n
portal:overzicht_aandacht                 L n n n n n n o n n n n n n
portal:overzicht_trajecten                L n n n n n n o n n n n n n
portal:overzicht_citaten                  L n n n n n n o n n n n n n
portal:overzicht_export                   L n n n n n n R n n n n n n
portal:overzicht_signalen                 L n n n n n n o n n n n n n
portal:overzicht_signalen_export          L n n n n n n R n n n n n n
portal:privacy                            o o o o o o o o o o o o o o
portal:rol                                L o o o o o o o o o o o o o
portal:rol_bewerken                       L n n n n n n o n n n n n n
portal:scholing                           L n n n n n n o n n n n n n
portal:school_citaten                     L n n n n n o n n n o n n n
portal:school_export                      L n n n n n R n n n R n n n
portal:school_overzicht                   L n n n n n o n n n o n n n
portal:school_aandacht                    L n n n n n o n n n o n n n
portal:school_trajecten                   L n n n n n o n n n o n n n
portal:school_signalen                    L n n n n n o n n n o n n n
portal:school_signalen_export             L n n n n n R n n n R n n n
portal:startbijeenkomst                   L n n o n n n o n n n n n n
portal:startbijeenkomst_aanwezig          L n n f n n n o n n n n n n
portal:startbijeenkomst_ics               L n n o n n n o n n n n n n
portal:startbijeenkomst_nieuw             L n n n n n n o n n n n n n
portal:startbijeenkomsten                 L n n n n n n o n n n n n n
scholen:import                            L n n n n n n o n n n n n n
scholen:import_start                      L n n n n n n o n n n n n n
sso_start                                 n n n n n n n n n n n n n n
trajecten:detail                          L n o o o o o o n n n n n n
trajecten:import                          L f f f f f f o f f f f f f
trajecten:list                            L o o o o o o o o o o o o o
trajecten:logboek                         L n o o o o f o n n n n n n
trajecten:logboek_bijlage                 L n o o o o f o n n n n n n
trajecten:logboek_create                  L n o f f f f f n n n n n n
trajecten:logboek_detail                  L n o o o o f o n n n n n n
trajecten:logboek_edit                    L n o f f f f f n n n n n n
trajecten:logboek_react                   L n f o o f f f n n n n n n
trajecten:logboek_version                 L n o o o o f o n n n n n n
trajecten:logboek_version_bijlage         L n n n n n f n n n n n n n
trajecten:mine                            L o o o o o o o o o o o o o
trajecten:onderzoek                       L n o o o f o o n n n n n n
trajecten:onderzoek_edit                  L n f f o f f o n n n n n n
trajecten:onderzoek_rapport               L n o o o f o o n n n n n n
trajecten:plan                            L n o o o o o o n n n n n n
trajecten:plan_agree                      L n f f f f f f n n n n n n
trajecten:plan_comment                    L n n n n f n n n n n n n n
trajecten:plan_discard                    L n f f n f f f n n n n n n
trajecten:plan_edit                       L n f f n f f f n n n n n n
trajecten:plan_progress                   L n n n n f f f n n n n n n
trajecten:plan_start                      L n f f o f f f n n n n n n
trajecten:plan_submit                     L n f f n f f f n n n n n n
trajecten:plan_version                    L n o o o o o o n n n n n n
trajecten:plan_withdraw                   L n f f n f f f n n n n n n
trajecten:rollen                          L n f f f f f R n n n n n n
trajecten:wijzigen                        L n f f f f f R n n n n n n
"""

SKIP_MODULES = ("allauth.", "django.")


def project_url_names() -> set[str]:
    names = set()

    def walk(patterns, namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.app_name == "admin" or p.namespace == "admin":
                    continue
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern):
                module = getattr(p.callback, "__module__", "")
                if module.startswith(SKIP_MODULES) or not p.name:
                    continue
                names.add(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver().url_patterns)
    return names


def expected_table() -> dict[str, dict[str, str]]:
    table = {}
    for line in EXPECTED.strip().splitlines():
        name, *codes = line.split()
        assert len(codes) == len(ACTORS), name
        table[name] = dict(zip(ACTORS, codes, strict=True))
    return table


def classify(response) -> str:
    status = response.status_code
    if status in (301, 302):
        location = response["Location"]
        if "/account/login/" in location:
            return "L"
        if "/account/reauthenticate/" in location:
            return "R"
        return "o"
    return {200: "o", 400: "o", 401: "u", 403: "f", 404: "n", 405: "x"}.get(status, str(status))


def test_every_url_has_a_row_in_the_matrix():
    names = project_url_names()
    assert names - set(TARGETS) == set(), "URL without a target in urls_spec.py"
    assert names - set(expected_table()) == set(), "URL without a row in EXPECTED"
    assert set(expected_table()) - names == set(), "row for a URL that no longer exists"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(TARGETS))
def test_access(world, name):
    target = TARGETS[name]
    url = reverse(name, kwargs=target.kwargs(world))
    expected = expected_table().get(name)
    got = {}
    queries = {}
    for actor in ACTORS:
        client = Client()
        if actor != "anon":
            client.force_login(world.users[actor])
        sid = transaction.savepoint()
        try:
            with CaptureQueriesContext(connection) as captured:
                response = getattr(client, target.method)(url)
            got[actor] = classify(response)
            if target.method == "get" and response.status_code == 200:
                queries[actor] = len(captured)
        finally:
            transaction.savepoint_rollback(sid)
    if os.environ.get("LEV_MATRIX_PRINT"):
        print(f"\nMATRIX {name:40} " + " ".join(got[a] for a in ACTORS))
    assert expected is not None, f"no row for {name}"
    assert got == expected
    # Every page a person may open stays within the query budget (issue 16); that the count
    # does not grow with the data is tested in tests/portal/test_query_budget.py.
    over = {actor: n for actor, n in queries.items() if n > MAX_PAGE_QUERIES}
    assert over == {}, f"{name}: more than {MAX_PAGE_QUERIES} queries"


# Pages about something other than side-entrant 1's traject (or not tied to an object).
NOT_ABOUT_T1 = {
    "portal:rol",
    "portal:mens",
    "portal:mens_uitnodigen",
    "portal:startbijeenkomst",
    "portal:startbijeenkomst_aanwezig",
    "portal:startbijeenkomst_ics",
    "gesprekken:feed",
    "gesprekken:tag_edit",
    "sso_start",
    "api:traject",
    "bekwaamheid:opdracht",
}


@pytest.mark.django_db
def test_nobody_without_a_role_on_traject_1_reaches_its_pages(world):
    """Whatever else the table says: the outsider, and the people around another side-entrant,
    get 404 (or the login page) on every page about side-entrant 1, even given every URL
    the coordinator can reach."""
    for name, row in expected_table().items():
        target = TARGETS[name]
        if not target.kwargs(world) or name in NOT_ABOUT_T1:
            continue
        owner_zi2 = name.startswith(
            (
                "bekwaamheid:proeve",
                "bekwaamheid:pdf",
                "bekwaamheid:oordeel",
                "bekwaamheid:beoordeling",
                "bekwaamheid:traject_afronden",
            )
        )
        checked = ("outsider",) if owner_zi2 else ("outsider", "zi2", "coach2", "sl2")
        for actor in checked:
            assert row[actor] in ("n", "L"), (name, actor, row[actor])

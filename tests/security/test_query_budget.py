"""The query budget of every page, at two data sizes (issue 16).

Every page a person may open (each GET of the access matrix that answers 200) is opened by one
person of each role on the demo world, then again after the world grew: more log entries,
conversations with signed reports, evidence and feedback on side-entrant 1's traject, and more
trajecten around the same coach, SLB, school and partnership. The count may not exceed the
budget, and it may not change with the size of the data: a page whose count grows with its rows
runs a query per row.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories as f

from .test_access_matrix import MAX_PAGE_QUERIES, expected_table
from .urls_spec import TARGETS

# One person of each role; the matrix itself tries everyone once.
ROLES = ["zi1", "coach1", "slb1", "duo1", "sl1", "coord", "docent", "av"]

# Not pages: files and exports, whose work is the file.
NOT_PAGES = {"download", "pdf", "export", "ics", "feed", "bijlage", "mailbox_mail", "openapi"}


def pages(world) -> list[tuple[str, str, str]]:
    """(url name, person, url) of every page the matrix says that person may open."""
    table = expected_table()
    found = []
    for name, target in sorted(TARGETS.items()):
        if target.method != "get" or any(word in name for word in NOT_PAGES):
            continue
        url = reverse(name, kwargs=target.kwargs(world))
        found += [(name, actor, url) for actor in ROLES if table[name][actor] == "o"]
    return found


def counts(world, found) -> dict[tuple[str, str], int]:
    measured = {}
    for name, actor, url in found:
        client = Client()
        client.force_login(world.users[actor])
        sid = transaction.savepoint()
        try:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
        finally:
            transaction.savepoint_rollback(sid)
        if response.status_code == 200:
            measured[(name, actor)] = len(captured)
    return measured


def grow(world) -> None:
    """Several times the data around the people of the world."""
    t1 = world["t1"]
    zi1, coach, slb = world.users["zi1"], world.users["coach1"], world.users["slb1"]
    today = timezone.localdate()
    for n in range(12):
        f.LogboekregelFactory(traject=t1, datum=today - datetime.timedelta(days=n))
    tag = world["tag"]
    for n in range(3):
        gesprek = f.slot(
            t1,
            80 + n,
            today - datetime.timedelta(days=30 * (n + 1)),
            signed=today - datetime.timedelta(days=30 * (n + 1) - 1),
            koers="op_koers",
        )
        f.AfspraakFactory(verslag=gesprek.verslag, owner=zi1)
        f.signaal(gesprek, "zorg", f"Zorg {n}", tags=[tag])
    werk = world["werk"]
    for _n in range(6):
        f.BewijsstukFactory(onderzoeksopdracht=werk, toegevoegd_door=zi1)
        f.FeedbackFactory(onderzoeksopdracht=werk, auteur=coach)
    school = t1.school
    for n in range(8):
        traject = f.TrajectFactory(school=school, coach=coach, slb=slb)
        f.onderzoek_positief(traject)
        f.LogboekregelFactory(traject=traject)
        f.slot(traject, 1, today + datetime.timedelta(days=5 + n))
        f.slot(
            traject,
            2,
            today - datetime.timedelta(days=20),
            signed=today - datetime.timedelta(days=19),
            koers="uit_koers",
        )
    for user in world.users.values():
        for n in range(5):
            user.notificaties.create(kind="test", text=f"Bericht {n}", url="/")


@pytest.mark.django_db
def test_every_page_keeps_its_query_count_as_the_data_grows(world):
    found = pages(world)
    assert len(found) > 50  # the walk reaches the portal's pages
    small = counts(world, found)
    grow(world)
    large = counts(world, found)
    assert set(large) == set(small)
    over = {key: n for key, n in large.items() if n > MAX_PAGE_QUERIES}
    assert over == {}, f"pages over {MAX_PAGE_QUERIES} queries"
    grew = {key: (small[key], n) for key, n in large.items() if n != small[key]}
    assert grew == {}, "pages whose query count changes with the data (small, large)"

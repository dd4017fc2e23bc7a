"""The trajecten demo data: what the issue promises, and a second run changes nothing."""

import pytest

from portal import demo as core_demo
from trajecten import demo, selectors
from trajecten.diff import plan_diff
from trajecten.models import (
    Activiteit,
    Geschiktheidsonderzoek,
    Instemming,
    Logboekreactie,
    Logboekregel,
    Ontwikkelpunt,
    Scholingsplanversie,
)

pytestmark = pytest.mark.django_db


def counts():
    return [
        m.objects.count()
        for m in (
            Geschiktheidsonderzoek,
            Ontwikkelpunt,
            Scholingsplanversie,
            Activiteit,
            Instemming,
            Logboekregel,
            Logboekreactie,
        )
    ]


def test_demo_has_what_the_issue_promises_and_is_idempotent():
    ctx = core_demo.load()
    demo.load(ctx)
    first = counts()
    demo.load(core_demo.load())
    assert counts() == first

    for n in (1, 2, 3, 4):
        traject = ctx.trajecten[n]
        assert traject.geschiktheidsonderzoek.uitkomst == "positief"
        punten = list(traject.ontwikkelpunten.all())
        assert 2 <= len(punten) <= 4
    areas = {p.gebied.code for p in Ontwikkelpunt.objects.all()}
    assert areas == {"vakinhoudelijk", "vakdidactisch", "pedagogisch"}

    sanne = ctx.trajecten[1]
    versions = selectors.plan_versions(sanne)
    assert [(v.nummer, v.status) for v in versions] == [(2, "vastgesteld"), (1, "vastgesteld")]
    for v in versions:
        assert {i.partij for i in v.instemmingen.all()} == set(Instemming.Partij.values)
    assert plan_diff(versions[1].activiteiten_list, versions[0].activiteiten_list)
    entries = Logboekregel.objects.filter(traject=sanne)
    assert entries.count() == 6
    assert Logboekreactie.objects.filter(regel__traject=sanne, auteur=ctx.user("coach1")).exists()

    assert selectors.open_plan_version(ctx.trajecten[3]).status == "concept"
    assert selectors.current_plan_version(ctx.trajecten[3]) is None
    for n in (2, 4):
        assert selectors.current_plan_version(ctx.trajecten[n]) is not None

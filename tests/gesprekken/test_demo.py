"""The demo data gives every page and every reminder something to show, and a second run
changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from gesprekken import demo as gesprekken_demo
from gesprekken import selectors
from gesprekken.models import (
    Addendum,
    Afspraak,
    Gesprek,
    Handtekening,
    Signaal,
    Verslag,
    Voorbereiding,
)
from portal import demo as portal_demo

pytestmark = pytest.mark.django_db

MODELS = (Gesprek, Verslag, Afspraak, Signaal, Handtekening, Voorbereiding, Addendum)


def snapshot():
    return {m.__name__: sorted(m.objects.values_list("pk", flat=True)) for m in MODELS} | {
        "starts": sorted(Gesprek.objects.values_list("pk", "starts_at", "sequence"))
    }


def test_demo_is_idempotent_and_has_what_the_issue_asks():
    ctx = portal_demo.load()
    gesprekken_demo.load(ctx)
    first = snapshot()
    gesprekken_demo.load(portal_demo.load())
    assert snapshot() == first

    today = timezone.localdate()
    t1 = ctx.trajecten[1]
    soon = Gesprek.objects.get(
        traject=t1,
        starts_at__gt=timezone.now(),
        starts_at__lt=timezone.now() + datetime.timedelta(days=14),
    )
    assert not Voorbereiding.objects.filter(gesprek=soon, rol="zij_instromer").exists()
    for n in (1, 2, 4):
        locked = Verslag.objects.filter(gesprek__traject=ctx.trajecten[n], locked_at__isnull=False)
        assert locked.exists(), n
        assert Afspraak.objects.filter(verslag__in=locked).exists()
        soorten = set(Signaal.objects.filter(verslag__in=locked).values_list("soort", flat=True))
        assert soorten == {"belemmering", "ondersteuning", "succes"}
        assert (
            Signaal.objects.filter(verslag__in=locked, tags__isnull=False)
            .values("tags")
            .distinct()
            .count()
            >= 3
        )
    t4 = ctx.trajecten[4]
    assert not Gesprek.objects.filter(traject=t4, verslag__isnull=True).exists()
    assert Addendum.objects.filter(verslag__gesprek__traject=t4).exists()
    # The sweep finds work: the unprepared conversation and an overdue afspraak.
    due = selectors.due_preparation_reminders(
        "voorbereiding_14", today + datetime.timedelta(days=4), today + datetime.timedelta(days=14)
    )
    assert any(d.recipient_id == t1.zij_instromer_id for d in due)
    assert selectors.due_afspraak_reminders(
        today - datetime.timedelta(days=7), today - datetime.timedelta(days=1)
    )

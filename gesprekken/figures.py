"""The stored figures this app owns (trajecten.figures explains the scheme): per traject
`fig_last_koers` and `fig_prev_koers`, the "are we on the right road?" answer of the last and
the second-to-last signed report that has one; per conversation `fig_signed_on`, the local
date its report was locked (the overviews' on time / late / overdue); per signal
`fig_traject` and `fig_held_on`, set once its report is signed (the signal overviews)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import (
    CharField,
    DateTimeField,
    Expression,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate

from trajecten.figures import store

from .models import Gesprek, Signaal, Verslag


def _signed_koers():
    return (
        Verslag.objects.filter(
            gesprek__traject=OuterRef("pk"),
            locked_at__isnull=False,
            gesprek__status=Gesprek.Status.GEPLAND,
        )
        .exclude(koers="")
        .order_by("-gesprek__starts_at", "-pk")
        .values("koers")
    )


def signed_koers(index: int) -> Subquery:
    """The answer in the traject's last (0) or second-to-last (1) signed report with one."""
    return Subquery(_signed_koers()[index : index + 1], output_field=CharField())


def expressions() -> dict[str, Expression]:
    return {
        "fig_last_koers": Coalesce(signed_koers(0), Value("")),
        "fig_prev_koers": Coalesce(signed_koers(1), Value("")),
    }


def refresh_koers(traject_ids: Iterable[int]) -> None:
    """After a report was signed, or a conversation with a report changed."""
    store(expressions, traject_ids)


def signed_on() -> Expression:
    """The local date (settings.TIME_ZONE) the outer conversation's report was locked."""
    locked = Verslag.objects.filter(gesprek=OuterRef("pk")).values("locked_at")[:1]
    return TruncDate(Subquery(locked, output_field=DateTimeField()))


def refresh_signed_on(*, gesprek_ids: Iterable[int] | None = None, traject_ids=None) -> int:
    """Store `fig_signed_on` of these conversations (or of these trajecten's; all when both
    are None): after a report was locked, and from refresh_figures."""
    qs = Gesprek.objects.all()
    if gesprek_ids is not None:
        qs = qs.filter(pk__in=list(gesprek_ids))
    if traject_ids is not None:
        qs = qs.filter(traject_id__in=list(traject_ids))
    return qs.update(fig_signed_on=signed_on())


def refresh_signalen(*, verslag_ids=None, traject_ids=None) -> int:
    """Store `fig_traject` and `fig_held_on` of the signals of these reports (or of these
    trajecten's reports; all when both are None): the traject and the local date of the
    conversation when the report is signed, else empty. After a report was locked or its
    conversation moved, and from refresh_figures."""
    qs = Signaal.objects.all()
    if verslag_ids is not None:
        qs = qs.filter(verslag_id__in=list(verslag_ids))
    if traject_ids is not None:
        qs = qs.filter(verslag__gesprek__traject_id__in=list(traject_ids))
    signed = Verslag.objects.filter(pk=OuterRef("verslag_id"), locked_at__isnull=False)
    traject = signed.values("gesprek__traject_id")[:1]
    held = signed.values("gesprek__starts_at")[:1]
    return qs.update(
        fig_traject_id=Subquery(traject, output_field=IntegerField()),
        fig_held_on=TruncDate(Subquery(held, output_field=DateTimeField())),
    )

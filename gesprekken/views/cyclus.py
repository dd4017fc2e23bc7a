"""The cycle of a traject, my conversations, planning an extra one and moving one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.kalender import kalender_of
from trajecten.access import has_role, require_role

from .. import selectors, services
from ..access import (
    BEGELEIDERS,
    DEELNEMERS,
    get_gesprek_for,
    get_traject_for_gesprekken,
)
from ..forms import (
    GesprekMoveForm,
    GesprekPlanForm,
)
from ..models import Gesprek
from ..planning import CYCLE_MONTHS, add_months
from .common import rebind


@login_required
def cyclus(request, traject_pk: int):
    """All conversations of a traject with their state."""
    traject = get_traject_for_gesprekken(request.user, traject_pk)
    gesprekken = list(selectors.cycle_for(traject))
    rows = [(g, selectors.state_of(g)) for g in gesprekken]
    _mark_shifted(traject, gesprekken)
    return render(
        request,
        "gesprekken/cyclus.html",
        {
            "traject": traject,
            "rows": rows,
            "regio": traject.school.get_regio_display() if traject.school.regio else "",
            "missing_years": selectors.school_years_without_holidays(traject),
            "is_deelnemer": has_role(traject, *DEELNEMERS),
            "can_plan": has_role(traject, *BEGELEIDERS),
            "now": timezone.now(),
        },
    )


def _mark_shifted(traject, gesprekken) -> None:
    """Set `shifted_from` and `shifted_because` on cycle conversations that the planner put
    on another day than the rhythm's (a weekend, a public holiday, a school holiday), so
    that the page can say why."""
    kalender = kalender_of(traject.school.regio, traject.start_date, traject.end_date)
    for g in gesprekken:
        g.shifted_from, g.shifted_because = None, ""
        if g.soort != Gesprek.Soort.CYCLUS or not g.cycle_number or g.is_moved:
            continue
        rhythm = add_months(traject.start_date, CYCLE_MONTHS * g.cycle_number)
        if g.planned_for != rhythm:
            g.shifted_from = rhythm
            g.shifted_because = kalender.why_closed(rhythm)


@login_required
def mine(request):
    """The user's coming conversations and the reports waiting for their signature."""
    upcoming = list(selectors.upcoming_for(request.user))
    to_sign = list(selectors.to_sign_for(request.user))
    return render(
        request,
        "gesprekken/mine.html",
        {
            "upcoming": [(g, selectors.state_of(g)) for g in upcoming],
            "to_sign": [(g, selectors.state_of(g)) for g in to_sign],
        },
    )


@login_required
def add(request, traject_pk: int):
    """Plan an extra conversation (SLB or coach)."""
    traject = get_traject_for_gesprekken(request.user, traject_pk)
    require_role(traject, *BEGELEIDERS)
    form = GesprekPlanForm(request.POST or None, traject=traject, submit_label=_("Gesprek plannen"))
    if request.method == "POST" and form.is_valid():
        gesprek = services.gesprek_add(
            traject=traject,
            actor=request.user,
            starts_at=form.starts_at,
            duration_minutes=form.cleaned_data["duration_minutes"],
            location=form.cleaned_data["location"],
            video_url=form.cleaned_data["video_url"],
            request=request,
        )
        messages.success(request, _("Het extra gesprek is gepland."))
        return redirect("gesprekken:detail", pk=gesprek.pk)
    return render(request, "gesprekken/plan.html", {"traject": traject, "form": form})


@login_required
def move(request, pk: int):
    """Move a conversation (SLB or coach): it keeps its place in the cycle."""
    gesprek = get_gesprek_for(request.user, pk)
    traject = gesprek.traject
    require_role(traject, *BEGELEIDERS)
    form = GesprekMoveForm(
        request.POST or None,
        initial=GesprekMoveForm.initial_for(gesprek),
        traject=traject,
        submit_label=_("Verplaatsen"),
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.gesprek_move(
                gesprek=gesprek,
                actor=request.user,
                sequence=form.cleaned_data["sequence"],
                starts_at=form.starts_at,
                duration_minutes=form.cleaned_data["duration_minutes"],
                location=form.cleaned_data["location"],
                video_url=form.cleaned_data["video_url"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except services.VerslagLocked:
            messages.error(
                request,
                _("Dit gesprek heeft een ondertekend verslag en kan niet meer verplaatst worden."),
            )
            return redirect("gesprekken:detail", pk=gesprek.pk)
        except services.StaleVersion as stale:
            messages.error(
                request,
                _(
                    "Iemand anders heeft dit gesprek intussen verplaatst. Bekijk de nieuwe datum "
                    "hieronder; jouw invoer staat nog in het formulier. Sla opnieuw op om toch "
                    "jouw voorstel te gebruiken."
                ),
            )
            form = rebind(
                form,
                GesprekMoveForm,
                "sequence",
                stale.current.sequence,
                traject=traject,
                submit_label=_("Verplaatsen"),
            )
            gesprek = stale.current
            gesprek.traject = traject
            status = 409
        else:
            messages.success(request, _("Het gesprek is verplaatst. De anderen krijgen bericht."))
            return redirect("gesprekken:detail", pk=gesprek.pk)
    return render(
        request,
        "gesprekken/move.html",
        {"gesprek": gesprek, "traject": traject, "form": form},
        status=status,
    )

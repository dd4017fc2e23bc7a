"""Assignments of the module teacher and SLB: the list, a new one, one assignment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import access, selectors, services
from ..forms import (
    OpdrachtForm,
)
from ._common import _refused

# --- Assignments (module teacher, SLB) -----------------------------------------------------------


@login_required
def opdrachten(request):
    """The assignments the user set, and feedback asked of them: a docent's start page."""
    can_set = access.can_set_opdrachten(request.user)
    items = selectors.opdracht_list(access.opdrachten_for(request.user))
    asked = selectors.feedback_asked_of(request.user)
    return render(
        request,
        "bekwaamheid/opdrachten.html",
        {"opdrachten": items, "asked": asked, "can_set": can_set},
    )


@login_required
def opdracht_new(request):
    if not access.can_set_opdrachten(request.user):
        raise PermissionDenied
    kader = selectors.active_kader()
    if kader is None:
        messages.error(request, _("Er is nog geen actief bekwaamheidskader."))
        return redirect("bekwaamheid:opdrachten")
    form = OpdrachtForm(
        request.POST or None,
        user=request.user,
        eisen=selectors.kader_eisen(kader),
        targets=access.opdracht_targets_for(request.user),
        partnerschappen=access.docent_partnerschappen(request.user),
        is_slb=request.user.slb_van.exists(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            opdracht = services.opdracht_create(
                by=request.user,
                partnerschap=form.partnerschap,
                titel=form.cleaned_data["titel"],
                omschrijving=form.cleaned_data["omschrijving"],
                eisen=form.cleaned_data["eisen"],
                trajecten=form.trajecten,
                deadline=form.cleaned_data["deadline"],
                doelgroep=form.doelgroep_label,
                request=request,
            )
        except services.Refused as exc:
            _refused(request, exc)
        else:
            messages.success(
                request,
                _("De opdracht is gegeven aan %(n)d zij-instromer(s).")
                % {"n": len(form.trajecten)},
            )
            return redirect("bekwaamheid:opdracht", pk=opdracht.pk)
    return render(
        request,
        "bekwaamheid/opdracht_form.html",
        {"form": form, "eisen_groups": selectors.eisen_per_gebied(selectors.kader_eisen(kader))},
    )


@login_required
def opdracht_detail(request, pk: int):
    opdracht = access.get_opdracht_for(request.user, pk)
    return render(
        request,
        "bekwaamheid/opdracht_detail.html",
        {
            "opdracht": opdracht,
            "eisen": opdracht.eisen.select_related("gebied").order_by("gebied__order", "order"),
            "uitwerkingen": selectors.opdracht_uitwerkingen(opdracht),
        },
    )

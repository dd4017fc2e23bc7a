"""Traject views: the traject page and the lists for the people around side-entrants."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import panels, selectors
from .access import get_traject_for, trajecten_for
from .models import Rol


@login_required
def detail(request, pk: int):
    traject = get_traject_for(request.user, pk)
    return render(
        request,
        "trajecten/detail.html",
        {"traject": traject, "panels": panels.render_context(request, traject)},
    )


@login_required
def mine(request):
    """The side-entrants the user coaches, supervises or buddies."""
    trajecten = selectors.traject_list(trajecten_for(request.user, [Rol.COACH, Rol.SLB, Rol.DUO]))
    return render(request, "trajecten/mine.html", {"trajecten": trajecten})


@login_required
def traject_list(request):
    """Trajecten of the user's school(s) or partnership(s)."""
    qs = trajecten_for(request.user, [Rol.SCHOOLLEIDER, Rol.COORDINATOR])
    return render(
        request, "trajecten/list.html", {"trajecten": selectors.traject_list(qs)[:500]}
    )

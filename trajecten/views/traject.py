"""The traject page, the lists of trajecten, and changing who holds a role."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import panels, selectors, services
from ..access import (
    LOGBOEK_ZIEN,
    ONDERZOEK_VASTLEGGEN,
    ONDERZOEK_ZIEN,
    PLAN_ZIEN,
    ROLLEN_WIJZIGEN,
    coordinator_partnerschappen,
    get_traject_for,
    has_role,
    instemming_partijen,
    require_role,
    trajecten_for,
)
from ..forms import RolWijzigenForm, TrajectFilterForm
from ..models import Rol, Scholingsplanversie, Stage, Traject
from ._util import render_traject

PAGE_SIZE = 50


@login_required
def detail(request, pk: int):
    """The page everyone around a traject opens: who is who, the dates, progress per
    ontwikkelpunt, the latest log entries, and the panels other apps add."""
    # The stage, whether a plan was agreed and the intake come with the traject.
    traject = get_traject_for(
        request.user,
        pk,
        queryset=selectors.with_agreed_plan(
            selectors.with_stage(Traject.objects), among=[pk]
        ).select_related("geschiktheidsonderzoek__vastgelegd_door"),
    )
    open_version = selectors.open_plan_version(traject) if has_role(traject, *PLAN_ZIEN) else None
    to_agree = []
    awaiting = Scholingsplanversie.Status.TER_INSTEMMING
    if open_version is not None and open_version.status == awaiting:
        given = {i.partij for i in open_version.instemmingen.all()}
        to_agree = [p for p in instemming_partijen(traject) if p not in given]
    context = {
        "traject": traject,
        "stage": Stage(traject.stage),
        "schoolleiders": list(traject.school.leiders.all()),
        "onderzoek": selectors.onderzoek_for(traject),
        "progress": selectors.progress_per_ontwikkelpunt(traject),
        "has_agreed_plan": selectors.has_agreed_plan(traject),
        "open_version": open_version,
        "to_agree": to_agree,
        "latest": (
            selectors.latest_logboekregels(traject) if has_role(traject, *LOGBOEK_ZIEN) else None
        ),
        "may": {
            "onderzoek": has_role(traject, *ONDERZOEK_ZIEN),
            "onderzoek_edit": has_role(traject, *ONDERZOEK_VASTLEGGEN),
            "logboek": has_role(traject, *LOGBOEK_ZIEN),
            "log_write": has_role(traject, Rol.ZIJ_INSTROMER),
            "rollen": has_role(traject, *ROLLEN_WIJZIGEN),
        },
        "panels": panels.render_context(request, traject),
    }
    return render_traject(request, "trajecten/detail.html", traject, "detail", context)


def _filtered(request, qs, with_school: bool):
    form = TrajectFilterForm(
        request.GET or None, schools=selectors.schools_of(qs) if with_school else None
    )
    rows = selectors.traject_list(qs)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        rows = selectors.filter_trajecten(
            rows,
            q=data.get("q") or "",
            status=data.get("status") or "",
            stage=data.get("fase") or "",
            school=data.get("school"),
            ends_soon=bool(data.get("eindigt_binnenkort")),
        )
    return form, rows


@login_required
def mine(request):
    """The side-entrants the user coaches, supervises or buddies."""
    qs = trajecten_for(request.user, [Rol.COACH, Rol.SLB, Rol.DUO])
    form, rows = _filtered(request, qs, with_school=False)
    return render(request, "trajecten/mine.html", {"trajecten": rows, "filter_form": form})


@login_required
def traject_list(request):
    """Trajecten of the user's school(s) or partnership(s), with filters."""
    qs = trajecten_for(request.user, [Rol.SCHOOLLEIDER, Rol.COORDINATOR])
    form, rows = _filtered(request, qs, with_school=True)
    # Page over the ids first: joining every person to all 2,000 trajecten of a partnership
    # before sorting and cutting the page cost more than the page itself.
    page = Paginator(rows.values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    ids = list(page.object_list)
    page.object_list = list(selectors.traject_list(qs.filter(pk__in=ids)))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "trajecten/list.html",
        {
            "trajecten": page.object_list,
            "page": page,
            "page_query": "?" + (query.urlencode() + "&" if query else ""),
            "filter_form": form,
            "may_import": coordinator_partnerschappen(request.user).exists(),
        },
    )


@login_required
def rollen(request, pk: int):
    """Coordinators change the coach, SLB or duo; the history of who held a role stays.
    Outsiders get 404 and other roles 403 first; a coordinator then confirms their password
    (re-authentication) before the page shows or saves."""
    traject = get_traject_for(request.user, pk)
    require_role(traject, *ROLLEN_WIJZIGEN)
    return _rollen(request, traject)


@reauthentication_required
def _rollen(request, traject):
    form = RolWijzigenForm(request.POST or None, traject=traject)
    if request.method == "POST" and form.is_valid():
        try:
            services.traject_role_change(
                traject=traject,
                rol=form.cleaned_data["rol"],
                user=form.user if form.cleaned_data["email"] else None,
                door=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("De rol %(rol)s is gewijzigd.") % {"rol": Rol(form.cleaned_data["rol"]).label},
            )
            return redirect("trajecten:rollen", pk=traject.pk)
    return render_traject(
        request,
        "trajecten/rollen.html",
        traject,
        "rollen",
        {"form": form, "history": selectors.roltoewijzingen(traject)},
    )

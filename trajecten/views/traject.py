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
    schools_coordinated,
    trajecten_for,
)
from ..forms import (
    RolWijzigenForm,
    SchoolWijzigenForm,
    StoppenForm,
    TrajectFilterForm,
    VerlengenForm,
)
from ..lifecycle import RUNNING
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
    open_version = (
        selectors.open_plan_version_brief(traject) if has_role(traject, *PLAN_ZIEN) else None
    )
    to_agree = []
    awaiting = Scholingsplanversie.Status.TER_INSTEMMING
    if open_version is not None and open_version.status == awaiting:
        to_agree = [p for p in instemming_partijen(traject) if p not in open_version.given]
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
        # A query only for the few trajecten it concerns.
        "verlengingen": selectors.verlengingen(traject) if traject.is_extended else [],
        "stop": selectors.stop_event(traject),
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


@login_required
def wijzigen(request, pk: int):
    """Coordinators change the traject as a whole: extend it past its end date (recorded,
    with who agreed), move it to another school, or stop it early with a reason. Outsiders
    get 404, other roles 403; the coordinator confirms their password first."""
    traject = get_traject_for(request.user, pk)
    require_role(traject, *ROLLEN_WIJZIGEN)
    return _wijzigen(request, traject)


@reauthentication_required
def _wijzigen(request, traject):
    schools = schools_coordinated(request.user).select_related("bestuur")
    posted = request.method == "POST"
    action = request.POST.get("actie") if posted else None
    forms = {
        "verlengen": VerlengenForm(
            request.POST if action == "verlengen" else None, traject=traject
        ),
        "school": SchoolWijzigenForm(
            request.POST if action == "school" else None, traject=traject, schools=schools
        ),
        "stoppen": StoppenForm(request.POST if action == "stoppen" else None),
    }
    running = traject.fase in RUNNING
    if posted and (action not in forms or not running):
        messages.error(request, _("Deze wijziging kan niet (meer) worden gedaan."))
        return redirect("trajecten:wijzigen", pk=traject.pk)
    form = forms.get(action)
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "verlengen":
                services.traject_verlengen(
                    traject=traject,
                    tot=data["tot"],
                    reden=data["reden"],
                    akkoord=data["akkoord"],
                    door=request.user,
                    request=request,
                )
                done = _("De verlenging is vastgelegd.")
            elif action == "school":
                services.traject_school_wijzigen(
                    traject=traject,
                    school=data["school"],
                    door=request.user,
                    allowed_schools=schools,
                    request=request,
                )
                done = _("Het traject hoort nu bij %(school)s.") % {"school": data["school"].name}
            else:
                services.traject_stoppen(
                    traject=traject, reden=data["reden"], door=request.user, request=request
                )
                done = _("Het traject is gestopt.")
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return redirect("trajecten:wijzigen", pk=traject.pk)
    return render_traject(
        request,
        "trajecten/wijzigen.html",
        traject,
        "wijzigen",
        {
            "forms": forms,
            "running": running,
            "verlengingen": selectors.verlengingen(traject),
            "stop": selectors.stop_event(traject),
        },
    )

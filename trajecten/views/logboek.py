"""The logboek: a timeline with filters, writing and editing entries (with history),
reactions by coach and SLB, and attachments served after an access check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.uploads import file_response

from .. import selectors, services
from ..access import (
    LOGBOEK_REAGEREN,
    LOGBOEK_SCHRIJVEN,
    LOGBOEK_ZIEN,
    get_traject_for,
    has_role,
    require_open,
    require_role,
)
from ..forms import LogboekregelForm, ReactieForm, TimelineFilterForm
from ..models import Rol, Traject
from ._util import rebind_version, render_traject

PAGE_SIZE = 20


def _traject(request, pk: int, *allowed: Rol) -> Traject:
    traject = get_traject_for(request.user, pk)
    require_role(traject, *(allowed or LOGBOEK_ZIEN))
    return traject


@login_required
def logboek(request, pk: int):
    """The timeline of a traject's log, filterable by ontwikkelpunt and period."""
    traject = _traject(request, pk)
    form = TimelineFilterForm(request.GET or None, traject=traject)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    page = Paginator(selectors.logboek_timeline(traject, **filters), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    query = request.GET.copy()
    query.pop("pagina", None)
    return render_traject(
        request,
        "trajecten/logboek.html",
        traject,
        "logboek",
        {
            "page": page,
            "filter_form": form,
            "filtered": bool(filters),
            "query": query.urlencode(),
            "may_write": has_role(traject, *LOGBOEK_SCHRIJVEN)
            and traject.status not in (Traject.Status.GESTOPT, Traject.Status.AFGEROND),
        },
    )


@login_required
def logboek_create(request, pk: int):
    traject = _traject(request, pk, *LOGBOEK_SCHRIJVEN)
    require_open(traject)
    form = LogboekregelForm(request.POST or None, request.FILES or None, traject=traject)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            regel = services.logboekregel_create(
                traject=traject,
                user=request.user,
                datum=data["datum"],
                wat_er_gebeurde=data["wat_er_gebeurde"],
                geleerd=data["geleerd"],
                ontwikkelpunten=list(data["ontwikkelpunten"]),
                bijlage=data.get("bijlage"),
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Je logboekregel is opgeslagen."))
            return redirect("trajecten:logboek_detail", pk=traject.pk, regel=regel.pk)
    return render_traject(
        request, "trajecten/logboek_form.html", traject, "logboek", {"form": form, "regel": None}
    )


@login_required
def logboek_detail(request, pk: int, regel: int):
    traject = _traject(request, pk)
    entry = selectors.logboekregel_for(traject, regel)
    return render_traject(
        request,
        "trajecten/logboek_detail.html",
        traject,
        "logboek",
        {
            "regel": entry,
            "reactie_form": ReactieForm(),
            "may_edit": has_role(traject, *LOGBOEK_SCHRIJVEN)
            and traject.status not in (Traject.Status.GESTOPT, Traject.Status.AFGEROND),
            "may_react": has_role(traject, *LOGBOEK_REAGEREN)
            and traject.status not in (Traject.Status.GESTOPT, Traject.Status.AFGEROND),
        },
    )


@login_required
def logboek_edit(request, pk: int, regel: int):
    """The side-entrant edits an entry; the earlier text stays viewable. If someone saved
    in between (another tab), the save is refused and the typed text stays in the form."""
    traject = _traject(request, pk, *LOGBOEK_SCHRIJVEN)
    require_open(traject)
    entry = selectors.logboekregel_for(traject, regel)
    initial = {
        "datum": entry.datum,
        "wat_er_gebeurde": entry.wat_er_gebeurde,
        "geleerd": entry.geleerd,
        "ontwikkelpunten": list(entry.ontwikkelpunten.all()),
    }
    form = LogboekregelForm(
        request.POST or None,
        request.FILES or None,
        traject=traject,
        regel=entry,
        initial=initial,
    )
    stale = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.logboekregel_update(
                regel=entry,
                user=request.user,
                expected_version=data.get("version") or 0,
                datum=data["datum"],
                wat_er_gebeurde=data["wat_er_gebeurde"],
                geleerd=data["geleerd"],
                ontwikkelpunten=list(data["ontwikkelpunten"]),
                bijlage=data.get("bijlage"),
                remove_bijlage=bool(data.get("bijlage_verwijderen")),
                request=request,
            )
        except services.StaleEdit as exc:
            entry = selectors.logboekregel_for(traject, regel)
            form = LogboekregelForm(
                rebind_version(request.POST, entry.version), traject=traject, regel=entry
            )
            form.is_valid()
            form.add_error(None, exc)
            stale = entry
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Je wijziging is opgeslagen; de vorige versie blijft te bekijken.")
            )
            return redirect("trajecten:logboek_detail", pk=traject.pk, regel=entry.pk)
    return render_traject(
        request,
        "trajecten/logboek_form.html",
        traject,
        "logboek",
        {"form": form, "regel": entry, "stale": stale},
    )


def _version(entry, version: int):
    for old in entry.versies.all():
        if old.version == version:
            return old
    raise Http404


@login_required
def logboek_version(request, pk: int, regel: int, version: int):
    traject = _traject(request, pk)
    entry = selectors.logboekregel_for(traject, regel)
    if version == entry.version:
        return redirect("trajecten:logboek_detail", pk=traject.pk, regel=entry.pk)
    return render_traject(
        request,
        "trajecten/logboek_version.html",
        traject,
        "logboek",
        {"regel": entry, "old": _version(entry, version)},
    )


@login_required
@require_POST
def logboek_react(request, pk: int, regel: int):
    """Coach and SLB react; the side-entrant gets a notification (mail kind logboek)."""
    traject = _traject(request, pk, *LOGBOEK_REAGEREN)
    require_open(traject)
    entry = selectors.logboekregel_for(traject, regel)
    form = ReactieForm(request.POST)
    if form.is_valid():
        rol = Rol.COACH if has_role(traject, Rol.COACH) else Rol.SLB
        services.logboekreactie_add(
            regel=entry,
            user=request.user,
            rol=rol,
            tekst=form.cleaned_data["tekst"],
            request=request,
        )
        messages.success(request, _("Je reactie is geplaatst."))
        return redirect("trajecten:logboek_detail", pk=traject.pk, regel=entry.pk)
    return render_traject(
        request,
        "trajecten/logboek_detail.html",
        traject,
        "logboek",
        {"regel": entry, "reactie_form": form, "may_react": True, "may_edit": False},
    )


@login_required
def logboek_bijlage(request, pk: int, regel: int):
    traject = _traject(request, pk)
    entry = selectors.logboekregel_for(traject, regel)
    if not entry.bijlage:
        raise Http404
    return file_response(entry.bijlage, entry.bijlage_naam)


@login_required
def logboek_version_bijlage(request, pk: int, regel: int, version: int):
    traject = _traject(request, pk)
    old = _version(selectors.logboekregel_for(traject, regel), version)
    if not old.bijlage:
        raise Http404
    return file_response(old.bijlage, old.bijlage_naam)

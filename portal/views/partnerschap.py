"""Partnership pages: start meetings, the coach training register, role descriptions."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .. import ical, selectors, services
from ..forms import RolbeschrijvingForm, ScholingForm, StartbijeenkomstForm
from ..models import Rolbeschrijving, User


@login_required
def startbijeenkomsten(request):
    ps = selectors.get_coordinated_partnerschap(request.user, request.GET.get("partnerschap"))
    return render(
        request,
        "portal/startbijeenkomsten.html",
        {"partnerschap": ps, "items": selectors.startbijeenkomsten_for(ps)},
    )


@login_required
def startbijeenkomst_nieuw(request):
    ps = selectors.get_coordinated_partnerschap(request.user, request.GET.get("partnerschap"))
    form = StartbijeenkomstForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = services.startbijeenkomst_plan(
            partnerschap=ps, planned_by=request.user, request=request, **form.cleaned_data
        )
        messages.success(
            request,
            ngettext(
                "De startbijeenkomst is gepland en %(count)d persoon is uitgenodigd.",
                "De startbijeenkomst is gepland en %(count)d mensen zijn uitgenodigd.",
                item.uitnodigingen.count(),
            )
            % {"count": item.uitnodigingen.count()},
        )
        return redirect("portal:startbijeenkomst", pk=item.pk)
    return render(request, "portal/startbijeenkomst_nieuw.html", {"form": form, "partnerschap": ps})


@login_required
def startbijeenkomst(request, pk: int):
    item = selectors.get_startbijeenkomst_for(request.user, pk)
    invitations = item.uitnodigingen.select_related("user") if item.can_manage else None
    return render(
        request, "portal/startbijeenkomst.html", {"item": item, "invitations": invitations}
    )


@login_required
@require_POST
def startbijeenkomst_aanwezig(request, pk: int):
    item = selectors.get_startbijeenkomst_for(request.user, pk)
    if not item.can_manage:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    # ASCII digits only: str.isdigit() also says yes to "²" and to 5,000-digit strings,
    # which int() refuses (a 500).
    present = {int(v) for v in request.POST.getlist("aanwezig") if re.fullmatch(r"[0-9]{1,18}", v)}
    count = services.startbijeenkomst_attendance_set(
        bijeenkomst=item, present_ids=present, recorded_by=request.user, request=request
    )
    messages.success(request, _("Aanwezigheid opgeslagen: %(count)d aanwezig.") % {"count": count})
    return redirect("portal:startbijeenkomst", pk=item.pk)


@login_required
def startbijeenkomst_ics(request, pk: int):
    item = selectors.get_startbijeenkomst_for(request.user, pk)
    response = HttpResponse(
        ical.startbijeenkomst_ics(item, [request.user.email]),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="startbijeenkomst.ics"'
    return response


@login_required
def scholing(request):
    """The coach training register of the partnership."""
    ps = selectors.get_coordinated_partnerschap(request.user, request.GET.get("partnerschap"))
    register = selectors.training_register(ps)
    people = User.objects.filter(pk__in=[r["person"].pk for r in register["rows"]])
    form = ScholingForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        services.scholing_record(partnerschap=ps, recorded_by=request.user, **form.cleaned_data)
        messages.success(request, _("De scholing is vastgelegd."))
        return redirect("portal:scholing")
    return render(request, "portal/scholing.html", {"partnerschap": ps, "form": form, **register})


ROLE_SLUGS = {r.value: r for r in Rolbeschrijving.Rol}


def _role_or_404(rol: str) -> Rolbeschrijving.Rol:
    if rol not in ROLE_SLUGS:
        raise Http404
    return ROLE_SLUGS[rol]


@login_required
def rol(request, rol: str):
    """What a role does in the programme; the coordinator's text, or the default text."""
    role = _role_or_404(rol)
    ps = selectors.partnerschap_of(request.user)
    description = Rolbeschrijving.objects.filter(partnerschap=ps, rol=role).first() if ps else None
    body = None
    if description:
        english = translation.get_language() == "en" and description.body_en
        body = description.body_en if english else description.body_nl
    can_edit = bool(ps and ps.coordinatoren.filter(pk=request.user.pk).exists())
    return render(
        request,
        "portal/rol.html",
        {
            "role": role,
            "body": body,
            "description": description,
            "can_edit": can_edit,
            "roles": Rolbeschrijving.Rol,
        },
    )


@login_required
def rol_bewerken(request, rol: str):
    role = _role_or_404(rol)
    ps = selectors.get_coordinated_partnerschap(request.user, request.GET.get("partnerschap"))
    current = Rolbeschrijving.objects.filter(partnerschap=ps, rol=role).first()
    initial = (
        {"body_nl": current.body_nl, "body_en": current.body_en, "version": current.version}
        if current
        else {"version": 0}
    )
    form = RolbeschrijvingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.rolbeschrijving_save(
                partnerschap=ps, rol=role, updated_by=request.user, **form.cleaned_data
            )
        except services.StaleEdit:
            form.add_error(
                None,
                _(
                    "Iemand anders heeft deze beschrijving intussen opgeslagen. Je tekst staat "
                    "nog in het formulier; open de pagina opnieuw om de nieuwe versie te zien."
                ),
            )
        else:
            messages.success(request, _("De beschrijving is opgeslagen."))
            return redirect("portal:rol", rol=role.value)
    return render(request, "portal/rol_bewerken.html", {"form": form, "role": role})

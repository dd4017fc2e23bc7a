"""Portal views: the role start pages, notifications, personal settings, static pages."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from trajecten import selectors as traject_selectors
from trajecten.access import trajecten_for
from trajecten.models import Rol

from .. import selectors, services
from ..forms import SettingsForm
from ..middleware import roles_of
from ..panels import role_links


@login_required
def home(request):
    """Each role lands on its own start page; a person with several roles sees them all."""
    roles = roles_of(request)
    if roles == {Rol.ZIJ_INSTROMER.value}:
        traject = trajecten_for(request.user, [Rol.ZIJ_INSTROMER]).order_by("-start_date").first()
        return redirect("trajecten:detail", pk=traject.pk)
    begeleid = traject_selectors.traject_list(
        trajecten_for(request.user, [Rol.COACH, Rol.SLB, Rol.DUO])
    )
    own = trajecten_for(request.user, [Rol.ZIJ_INSTROMER]).order_by("-start_date")
    context = {
        "roles": roles,
        "role_links": role_links(roles),
        "own_trajecten": own,
        "begeleid": begeleid,
        "school_trajecten": traject_selectors.traject_list(
            trajecten_for(request.user, [Rol.SCHOOLLEIDER])
        )[:50]
        if Rol.SCHOOLLEIDER.value in roles
        else [],
        "partnerschap_counts": traject_selectors.status_counts(
            trajecten_for(request.user, [Rol.COORDINATOR])
        )
        if Rol.COORDINATOR.value in roles
        else None,
    }
    return render(request, "portal/home.html", context)


@login_required
def notificaties(request):
    items = request.user.notificaties.all()[:100]
    return render(request, "portal/notificaties.html", {"items": items})


@login_required
@require_POST
def notificaties_read(request):
    count = services.notificaties_mark_read(user=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d melding gemarkeerd als gelezen.",
            "%(count)d meldingen gemarkeerd als gelezen.",
            count,
        )
        % {"count": count},
    )
    return redirect("portal:notificaties")


@login_required
def instellingen(request):
    form = SettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            services.mail_preferences_set(user=user, muted_kinds=form.muted_kinds)
        messages.success(request, _("Je instellingen zijn opgeslagen."))
        return redirect("portal:instellingen")
    return render(
        request,
        "portal/instellingen.html",
        {"form": form, "inzageverzoeken": selectors.inzageverzoeken_of(request.user)},
    )


def privacy(request):
    return render(request, "portal/privacy.html")


def health(request):
    """Liveness check for the load balancer (and the benchmark's floor): the database answers."""
    from django.db import connection
    from django.http import JsonResponse

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
@reauthentication_required
def mijn_gegevens(request):
    """Download everything held about the user (AVG/GDPR right of access). Audited."""
    from .. import audit, privacy

    content = privacy.export_zip(request.user)
    audit.record(
        action="export.personal_data", actor=request.user, obj=request.user, request=request
    )
    stamp = timezone.localdate().isoformat()
    return privacy.zip_response(content, f"lev-mijn-gegevens-{stamp}.zip")


@login_required
def traject_audit(request, pk: int):
    """The audit trail of one traject, for the coordinators of its partnership (read-only)."""
    from trajecten.access import get_traject_for, require_role

    from ..models import AuditEvent

    traject = get_traject_for(request.user, pk)
    require_role(traject, Rol.COORDINATOR)
    events = AuditEvent.objects.filter(traject_id=traject.pk).select_related("actor")[:500]
    return render(request, "portal/traject_audit.html", {"traject": traject, "events": events})

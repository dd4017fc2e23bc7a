"""The geschiktheidsonderzoek (intake) and its ontwikkelpunten."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from portal.uploads import file_response

from .. import selectors, services
from ..access import (
    ONDERZOEK_VASTLEGGEN,
    ONDERZOEK_ZIEN,
    get_traject_for,
    has_role,
    require_open,
    require_role,
)
from ..forms import OnderzoekForm, ontwikkelpunt_formset, ontwikkelpunt_items
from ..models import Geschiktheidsonderzoek, Traject
from ._util import rebind_version, render_traject


@login_required
def onderzoek(request, pk: int):
    traject = get_traject_for(request.user, pk)
    require_role(traject, *ONDERZOEK_ZIEN)
    return render_traject(
        request,
        "trajecten/onderzoek.html",
        traject,
        "onderzoek",
        {
            "onderzoek": selectors.onderzoek_for(traject),
            "ontwikkelpunten": selectors.ontwikkelpunten_for(traject),
            "may_edit": has_role(traject, *ONDERZOEK_VASTLEGGEN)
            and traject.status not in (Traject.Status.GESTOPT, Traject.Status.AFGEROND),
        },
    )


@login_required
def onderzoek_edit(request, pk: int):
    """SLB or coordinator records the intake; later corrections keep optimistic locking."""
    traject = get_traject_for(request.user, pk)
    require_role(traject, *ONDERZOEK_VASTLEGGEN)
    require_open(traject)
    instance = selectors.onderzoek_for(traject)
    data = request.POST if request.method == "POST" else None
    form = OnderzoekForm(
        data,
        request.FILES or None,
        instance=instance or Geschiktheidsonderzoek(traject=traject),
        traject=traject,
    )
    extra = 1 if instance else 3
    formset = ontwikkelpunt_formset(traject, data, extra=extra)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        cleaned = form.cleaned_data
        try:
            services.geschiktheidsonderzoek_save(
                traject=traject,
                user=request.user,
                datum=cleaned["datum"],
                uitkomst=cleaned["uitkomst"],
                kan_direct_lesgeven=cleaned["kan_direct_lesgeven"],
                kan_binnen_twee_jaar=cleaned["kan_binnen_twee_jaar"],
                scholing_en_ondersteuning=cleaned["scholing_en_ondersteuning"],
                ontwikkelpunten=ontwikkelpunt_items(formset),
                rapport=cleaned.get("rapport"),
                expected_version=cleaned.get("version"),
                request=request,
            )
        except services.StaleEdit as exc:
            instance = selectors.onderzoek_for(traject)
            form = OnderzoekForm(
                rebind_version(request.POST, instance.version),
                instance=instance,
                traject=traject,
            )
            form.is_valid()
            form.add_error(None, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if cleaned["uitkomst"] == Geschiktheidsonderzoek.Uitkomst.NEGATIEF:
                messages.warning(
                    request,
                    _(
                        "Het geschiktheidsonderzoek is vastgelegd. De uitkomst is negatief: "
                        "het traject is gestopt."
                    ),
                )
            else:
                messages.success(request, _("Het geschiktheidsonderzoek is vastgelegd."))
            return redirect("trajecten:onderzoek", pk=traject.pk)
    return render_traject(
        request,
        "trajecten/onderzoek_form.html",
        traject,
        "onderzoek",
        {"form": form, "formset": formset, "onderzoek": instance},
    )


@login_required
def onderzoek_rapport(request, pk: int):
    traject = get_traject_for(request.user, pk)
    require_role(traject, *ONDERZOEK_ZIEN)
    found = selectors.onderzoek_for(traject)
    if found is None or not found.rapport:
        raise Http404
    return file_response(found.rapport, found.rapport_naam or "geschiktheidsonderzoek.pdf")

"""The report: writing it (optimistic locking), signing, addenda, agreements done."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trajecten.access import require_role

from .. import selectors, services
from ..access import (
    BEGELEIDERS,
    DEELNEMERS,
    get_afspraak_for,
    get_gesprek_for,
)
from ..forms import (
    AddendumForm,
    AfspraakFormSet,
    SignaalFormSet,
    SignForm,
    VerslagForm,
    formset_rows,
)
from .common import CONFLICT_MESSAGE, rebind


@login_required
def verslag(request, pk: int):
    """Write the report with agreements and signals (SLB; the coach may co-edit)."""
    gesprek = get_gesprek_for(request.user, pk)
    traject = gesprek.traject
    require_role(traject, *BEGELEIDERS)
    current = selectors.verslag_of(gesprek)
    if current is not None and current.is_locked:
        messages.error(
            request,
            _(
                "Dit verslag is door iedereen ondertekend en kan niet meer worden gewijzigd. "
                "Voeg een aanvulling toe."
            ),
        )
        return redirect("gesprekken:detail", pk=gesprek.pk)
    owners = services.required_signers(traject).values()
    tags = selectors.tags_for_verslag(traject, current)
    initial, afspraken_initial, signalen_initial = _verslag_initial(current)
    data = request.POST or None
    form = VerslagForm(data, initial=initial)
    afspraken = AfspraakFormSet(
        data, initial=afspraken_initial, prefix="afspraken", form_kwargs={"owners": list(owners)}
    )
    signalen = SignaalFormSet(
        data, initial=signalen_initial, prefix="signalen", form_kwargs={"tags": tags}
    )
    status = 200
    conflict = None
    if request.method == "POST":
        valid = form.is_valid() & afspraken.is_valid() & signalen.is_valid()
        if valid and not (form.has_changed() or afspraken.has_changed() or signalen.has_changed()):
            messages.info(request, _("Er was niets gewijzigd."))
            return redirect("gesprekken:detail", pk=gesprek.pk)
        if valid:
            try:
                services.verslag_save(
                    gesprek=gesprek,
                    actor=request.user,
                    version=form.cleaned_data["version"],
                    tekst=form.cleaned_data["tekst"],
                    koers=form.cleaned_data["koers"],
                    koers_reden=form.cleaned_data["koers_reden"],
                    afspraken=formset_rows(afspraken),
                    signalen=formset_rows(signalen),
                    request=request,
                )
            except services.VerslagLocked:
                messages.error(
                    request,
                    _(
                        "Het verslag is intussen door iedereen ondertekend "
                        "en vergrendeld; jouw wijziging is niet opgeslagen."
                    ),
                )
                return redirect("gesprekken:detail", pk=gesprek.pk)
            except services.StaleVersion as stale:
                conflict = selectors.verslag_of(gesprek)
                messages.error(request, CONFLICT_MESSAGE)
                form = rebind(
                    form, VerslagForm, "version", stale.current.version if stale.current else 0
                )
                status = 409
            else:
                messages.success(
                    request,
                    _("Het verslag is opgeslagen. Iedereen kan het nu lezen en ondertekenen."),
                )
                return redirect("gesprekken:detail", pk=gesprek.pk)
        else:
            status = 400
    return render(
        request,
        "gesprekken/verslag.html",
        {
            "gesprek": gesprek,
            "traject": traject,
            "form": form,
            "afspraken": afspraken,
            "signalen": signalen,
            "conflict": conflict,
            "current": current,
        },
        status=status,
    )


def _verslag_initial(current) -> tuple[dict, list, list]:
    if current is None:
        return {"version": 0}, [], []
    return (
        {
            "tekst": current.tekst,
            "koers": current.koers,
            "koers_reden": current.koers_reden,
            "version": current.version,
        },
        [
            {
                "id": a.pk,
                "omschrijving": a.omschrijving,
                "owner": a.owner_id,
                "due_date": a.due_date,
            }
            for a in current.afspraken.all()
        ],
        [
            {"id": s.pk, "soort": s.soort, "tekst": s.tekst, "tags": list(s.tags.all())}
            for s in current.signalen.all()
        ],
    )


@login_required
@require_POST
def sign(request, pk: int):
    """Sign the report as read (its version); the last signature locks it."""
    gesprek = get_gesprek_for(request.user, pk)
    require_role(gesprek.traject, *DEELNEMERS)
    current = selectors.verslag_of(gesprek)
    if current is None:
        raise Http404
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ondertekenen is niet gelukt; probeer het opnieuw."))
        return redirect("gesprekken:detail", pk=gesprek.pk)
    try:
        result = services.verslag_sign(
            verslag=current,
            user=request.user,
            version=form.cleaned_data["version"],
            request=request,
        )
    except services.VerslagLocked:
        messages.info(request, _("Het verslag is al door iedereen ondertekend."))
    except services.SignedTooEarly as exc:
        messages.error(request, exc.messages[0])
    except services.StaleVersion:
        messages.error(
            request,
            _(
                "Het verslag is gewijzigd nadat je het opende. Lees de nieuwe versie en "
                "onderteken dan opnieuw."
            ),
        )
    else:
        if result.is_locked:
            messages.success(
                request, _("Ondertekend. Iedereen heeft getekend: het verslag is nu vastgelegd.")
            )
        else:
            messages.success(request, _("Je hebt het verslag ondertekend."))
    return redirect("gesprekken:detail", pk=gesprek.pk)


@login_required
@require_POST
def addendum(request, pk: int):
    """Add a correction or addition to a signed report."""
    gesprek = get_gesprek_for(request.user, pk)
    require_role(gesprek.traject, *DEELNEMERS)
    current = selectors.verslag_of(gesprek)
    if current is None or not current.is_locked:
        raise PermissionDenied
    form = AddendumForm(request.POST)
    if form.is_valid():
        services.addendum_add(
            verslag=current, user=request.user, tekst=form.cleaned_data["tekst"], request=request
        )
        messages.success(request, _("Je aanvulling is toegevoegd."))
    else:
        messages.error(request, _("Schrijf eerst een aanvulling."))
    return redirect(reverse("gesprekken:detail", args=[gesprek.pk]) + "#addenda")


@login_required
@require_POST
def afspraak_done(request, pk: int):
    """Mark an agreement done or open again (any of the three)."""
    afspraak = get_afspraak_for(request.user, pk)
    require_role(afspraak.gesprek.traject, *DEELNEMERS)
    done = request.POST.get("done") == "1"
    services.afspraak_set_done(afspraak=afspraak, user=request.user, done=done)
    messages.success(
        request, _("De afspraak is afgerond.") if done else _("De afspraak staat weer open.")
    )
    return redirect(reverse("gesprekken:detail", args=[afspraak.gesprek.pk]) + "#afspraken")

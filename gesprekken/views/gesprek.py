"""One conversation: its page, the preparation and the private note."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trajecten.access import has_role, require_role
from trajecten.models import Rol

from .. import selectors, services
from ..access import (
    BEGELEIDERS,
    DEELNEMERS,
    get_gesprek_for,
    participant_role,
)
from ..forms import (
    AddendumForm,
    PriveNotitieForm,
    SignForm,
    VoorbereidingForm,
)
from .common import CONFLICT_MESSAGE, rebind


@login_required
def detail(request, pk: int):
    """The conversation: when and where, preparations (participants only) and the report.

    School leader and coordinator see the report only once it is signed by everyone."""
    gesprek = get_gesprek_for(request.user, pk)
    traject = gesprek.traject
    is_deelnemer = has_role(traject, *DEELNEMERS)
    verslag = selectors.verslag_of(gesprek)
    if verslag is not None and not verslag.is_locked and not is_deelnemer:
        verslag = None
    context = {
        "gesprek": gesprek,
        "traject": traject,
        "verslag": verslag,
        "is_deelnemer": is_deelnemer,
        "can_plan": has_role(traject, *BEGELEIDERS),
        "voorbereidingen": selectors.voorbereidingen_of(gesprek) if is_deelnemer else {},
    }
    if verslag is not None:
        context.update(_signing_context(request.user, gesprek, verslag, is_deelnemer))
    return render(request, "gesprekken/detail.html", context)


def _signing_context(user, gesprek, verslag, is_deelnemer: bool) -> dict:
    signers = services.required_signers(gesprek.traject)
    valid = services.valid_signatures(verslag)
    my_rol = participant_role(gesprek, user) if is_deelnemer else None
    return {
        "signatures": [
            {
                "rol": rol,
                "label": Rol(rol).label,
                "user": u,
                "signature": valid.get(rol),
                "earlier": [
                    h
                    for h in verslag.handtekeningen.all()
                    if h.rol == rol and h.version != verslag.version
                ],
            }
            for rol, u in signers.items()
        ],
        "can_sign": bool(my_rol)
        and my_rol not in valid
        and not verslag.is_locked
        and timezone.localdate() >= services.signable_from(gesprek),
        "signable_from": services.signable_from(gesprek),
        "awaits_its_day": bool(my_rol)
        and not verslag.is_locked
        and timezone.localdate() < services.signable_from(gesprek),
        "sign_form": SignForm(initial={"version": verslag.version}),
        "addendum_form": AddendumForm() if is_deelnemer and verslag.is_locked else None,
    }


@login_required
def voorbereiden(request, pk: int):
    """Prepare the conversation: what changed since the last one, the others' preparations,
    your own preparation and (coach, SLB) your private note."""
    gesprek = get_gesprek_for(request.user, pk)
    require_role(gesprek.traject, *DEELNEMERS)
    rol = participant_role(gesprek, request.user)
    voorbereidingen = selectors.voorbereidingen_of(gesprek)
    mine = voorbereidingen.get(rol)
    changes = selectors.changes_since_previous(gesprek)
    form_kwargs = {
        "traject": gesprek.traject,
        "side_entrant": rol == Rol.ZIJ_INSTROMER,
        "since": changes.since,
    }
    form = VoorbereidingForm(
        request.POST or None, initial=_voorbereiding_initial(mine), **form_kwargs
    )
    status = 200
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.voorbereiding_save(
                gesprek=gesprek,
                user=request.user,
                rol=rol,
                version=data["version"],
                ready=data["ready"],
                waar_sta_ik=data.get("waar_sta_ik", ""),
                volgende_stap=data.get("volgende_stap", ""),
                wat_nodig=data.get("wat_nodig", ""),
                reflectievragen=data.get("reflectievragen", ""),
                ontwikkelpunten=data["ontwikkelpunten"],
                logboekregels=data.get("logboekregels", []),
                bewijsstukken=data.get("bewijsstukken"),
            )
        except services.StaleVersion as stale:
            conflict = stale.current
            messages.error(request, CONFLICT_MESSAGE)
            form = rebind(
                form,
                VoorbereidingForm,
                "version",
                conflict.version if conflict else 0,
                **form_kwargs,
            )
            status = 409
        else:
            messages.success(
                request,
                _("Je voorbereiding is opgeslagen en klaar voor het gesprek.")
                if data["ready"]
                else _("Je voorbereiding is opgeslagen als concept."),
            )
            return redirect("gesprekken:voorbereiden", pk=gesprek.pk)
    elif request.method == "POST":
        status = 400
    return _render_voorbereiden(
        request,
        gesprek,
        rol=rol,
        form=form,
        voorbereidingen=voorbereidingen,
        changes=changes,
        conflict=conflict,
        status=status,
    )


def _voorbereiding_initial(mine) -> dict:
    if mine is None:
        return {"version": 0}
    return {
        "waar_sta_ik": mine.waar_sta_ik,
        "volgende_stap": mine.volgende_stap,
        "wat_nodig": mine.wat_nodig,
        "reflectievragen": mine.reflectievragen,
        "ontwikkelpunten": list(mine.ontwikkelpunten.all()),
        "logboekregels": list(mine.logboekregels.all()),
        **(
            {"bewijsstukken": list(mine.bewijsstukken.all())}
            if hasattr(mine, "bewijsstukken")
            else {}
        ),
        "ready": mine.is_ready,
        "version": mine.version,
    }


def _render_voorbereiden(
    request,
    gesprek,
    *,
    rol,
    form=None,
    note_form=None,
    voorbereidingen=None,
    changes=None,
    conflict=None,
    note_conflict=None,
    status=200,
):
    voorbereidingen = (
        voorbereidingen if voorbereidingen is not None else selectors.voorbereidingen_of(gesprek)
    )
    changes = changes or selectors.changes_since_previous(gesprek)
    if form is None:
        form = VoorbereidingForm(
            initial=_voorbereiding_initial(voorbereidingen.get(rol)),
            traject=gesprek.traject,
            side_entrant=rol == Rol.ZIJ_INSTROMER,
            since=changes.since,
        )
    if note_form is None and rol in BEGELEIDERS:
        note = selectors.prive_notitie_of(gesprek, request.user)
        note_form = PriveNotitieForm(
            initial={"tekst": note.tekst, "version": note.version} if note else {"version": 0}
        )
    others = [v for r, v in voorbereidingen.items() if r != rol]
    return render(
        request,
        "gesprekken/voorbereiden.html",
        {
            "gesprek": gesprek,
            "traject": gesprek.traject,
            "rol": rol,
            "form": form,
            "note_form": note_form,
            "others": others,
            "changes": changes,
            "conflict": conflict,
            "note_conflict": note_conflict,
            "mine": voorbereidingen.get(rol),
        },
        status=status,
    )


@login_required
@require_POST
def notitie(request, pk: int):
    """Save the coach's or SLB's private note (only its author ever sees it)."""
    gesprek = get_gesprek_for(request.user, pk)
    require_role(gesprek.traject, *BEGELEIDERS)
    rol = participant_role(gesprek, request.user)
    note_form = PriveNotitieForm(request.POST)
    if note_form.is_valid():
        try:
            services.prive_notitie_save(
                gesprek=gesprek,
                user=request.user,
                tekst=note_form.cleaned_data["tekst"],
                version=note_form.cleaned_data["version"],
            )
        except services.StaleVersion as stale:
            messages.error(request, CONFLICT_MESSAGE)
            note_form = rebind(
                note_form,
                PriveNotitieForm,
                "version",
                stale.current.version if stale.current else 0,
            )
            return _render_voorbereiden(
                request,
                gesprek,
                rol=rol,
                note_form=note_form,
                note_conflict=stale.current,
                status=409,
            )
        messages.success(request, _("Je privénotitie is opgeslagen."))
        return redirect(reverse("gesprekken:voorbereiden", args=[gesprek.pk]) + "#notitie")
    return _render_voorbereiden(request, gesprek, rol=rol, note_form=note_form, status=400)

"""The scholingsplan: the version in force, the draft, agreement, versions and progress."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..access import (
    PLAN_OPMERKEN,
    PLAN_OPSTELLEN,
    PLAN_VOORTGANG,
    PLAN_ZIEN,
    get_traject_for,
    has_role,
    instemming_partijen,
    require_open,
    require_role,
)
from ..diff import plan_diff
from ..forms import OpmerkingForm, PlanversieForm, activiteit_formset, activiteit_items
from ..models import Geschiktheidsonderzoek, Instemming, Scholingsplanversie, Traject
from ._util import rebind_version, render_traject


def _error_message(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _version_context(
    versions: list[Scholingsplanversie], versie: Scholingsplanversie | None
) -> dict:
    """What a rendered version needs: activities grouped per ontwikkelpunt, agreements per
    party, and the changes against the previous agreed version (from `versions`, every
    version of the plan: selectors.plan_versions)."""
    if versie is None:
        return {}
    groups: dict[int, dict] = {}
    for a in versie.activiteiten_list:
        group = groups.setdefault(a.ontwikkelpunt_id, {"punt": a.ontwikkelpunt, "items": []})
        group["items"].append(a)
    given = {i.partij: i for i in versie.instemmingen.all()}
    previous = selectors.previous_in(versions, versie)
    return {
        "versie": versie,
        "groups": list(groups.values()),
        "agreements": [
            (value, label, given.get(value)) for value, label in Instemming.Partij.choices
        ],
        "previous": previous,
        "changes": plan_diff(previous.activiteiten_list, versie.activiteiten_list)
        if previous
        else None,
    }


@login_required
def plan(request, pk: int):
    """The plan page: the version in force (with progress), the version being drafted or
    awaiting agreement, and the list of all versions."""
    traject = get_traject_for(request.user, pk)
    require_role(traject, *PLAN_ZIEN)
    versions = selectors.plan_versions(traject)
    current = selectors.agreed_in(versions)
    open_version = selectors.open_in(versions)
    onderzoek = selectors.onderzoek_for(traject)
    parties = instemming_partijen(traject)
    open_given = {i.partij for i in open_version.instemmingen.all()} if open_version else set()
    is_open = traject.status not in (Traject.Status.GESTOPT, Traject.Status.AFGEROND)
    awaiting = (
        is_open
        and open_version is not None
        and open_version.status == Scholingsplanversie.Status.TER_INSTEMMING
    )
    context = {
        "traject": traject,
        "current": _version_context(versions, current),
        "open": _version_context(versions, open_version),
        "versions": versions,
        "progress": selectors.progress_per_ontwikkelpunt(traject),
        "can_start": is_open
        and has_role(traject, *PLAN_OPSTELLEN)
        and open_version is None
        and onderzoek is not None
        and onderzoek.uitkomst == Geschiktheidsonderzoek.Uitkomst.POSITIEF,
        "onderzoek": onderzoek,
        "may_draft": is_open and has_role(traject, *PLAN_OPSTELLEN),
        "may_progress": is_open and has_role(traject, *PLAN_VOORTGANG),
        "may_comment": is_open and has_role(traject, *PLAN_OPMERKEN),
        "agree_as": [
            (partij, Instemming.Partij(partij).label)
            for partij in parties
            if partij not in open_given
        ]
        if awaiting
        else [],
        "comment_form": OpmerkingForm(),
        # A school without a school leader in Lev cannot agree: say so instead of waiting.
        "no_school_leader": open_version is not None and not traject.school.leiders.exists(),
    }
    return render_traject(request, "trajecten/plan.html", traject, "plan", context)


@login_required
def plan_version(request, pk: int, nummer: int):
    """One version, readable forever: content, who agreed when, and what changed."""
    traject = get_traject_for(request.user, pk)
    require_role(traject, *PLAN_ZIEN)
    versions = selectors.plan_versions(traject)
    versie = next((v for v in versions if v.nummer == nummer), None)
    if versie is None:
        raise Http404
    return render_traject(
        request,
        "trajecten/plan_version.html",
        traject,
        "plan",
        {**_version_context(versions, versie), "versions": versions},
    )


@login_required
@require_POST
def plan_start(request, pk: int):
    traject = get_traject_for(request.user, pk)
    require_role(traject, *PLAN_OPSTELLEN)
    require_open(traject)
    try:
        versie = services.scholingsplan_start(traject=traject, user=request.user, request=request)
    except ValidationError as exc:
        _error_message(request, exc)
        return redirect("trajecten:plan", pk=traject.pk)
    messages.success(
        request,
        _("Versie %(n)d van het scholingsplan is aangemaakt als concept.") % {"n": versie.nummer},
    )
    return redirect("trajecten:plan_edit", pk=traject.pk)


def _open_concept(traject: Traject) -> Scholingsplanversie:
    versie = selectors.open_plan_version(traject)
    if versie is None:
        raise Http404
    return versie


@login_required
def plan_edit(request, pk: int):
    """The SLB edits the draft: per activity the ontwikkelpunt, module or activity, the
    support and the target period. Optimistic locking on the draft."""
    traject = get_traject_for(request.user, pk)
    require_role(traject, *PLAN_OPSTELLEN)
    require_open(traject)
    versie = _open_concept(traject)
    if versie.status != Scholingsplanversie.Status.CONCEPT:
        messages.error(
            request, _("Deze versie ligt ter instemming. Neem haar eerst terug om te wijzigen.")
        )
        return redirect("trajecten:plan", pk=traject.pk)
    punten = list(selectors.ontwikkelpunten_for(traject))
    # A blank row, pre-filled with the ontwikkelpunt and the whole traject as period, for
    # every ontwikkelpunt without an activity yet; untouched rows are skipped on save.
    planned = {a.ontwikkelpunt_id for a in versie.activiteiten_list}
    initial = [
        {"ontwikkelpunt": p.pk, "periode_van": traject.start_date, "periode_tot": traject.end_date}
        for p in punten
        if p.pk not in planned
    ]
    if request.method == "POST":
        form = PlanversieForm(request.POST)
        formset = activiteit_formset(versie, traject, request.POST, initial=initial)
        if form.is_valid() and formset.is_valid():
            try:
                services.scholingsplan_draft_save(
                    versie=versie,
                    user=request.user,
                    expected_version=form.cleaned_data.get("version") or 0,
                    toelichting=form.cleaned_data["toelichting"],
                    activiteiten=activiteit_items(formset),
                    request=request,
                )
            except services.StaleEdit as exc:
                fresh = _open_concept(traject)
                form = PlanversieForm(rebind_version(request.POST, fresh.version))
                form.is_valid()
                form.add_error(None, exc)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Het concept is opgeslagen."))
                if "submit_plan" in request.POST:
                    return plan_submit(request, pk)
                return redirect("trajecten:plan", pk=traject.pk)
    else:
        form = PlanversieForm(
            initial={"toelichting": versie.toelichting, "version": versie.version}
        )
        formset = activiteit_formset(versie, traject, extra=len(initial) + 1, initial=initial)
    return render_traject(
        request,
        "trajecten/plan_form.html",
        traject,
        "plan",
        {"versie": versie, "form": form, "formset": formset, "ontwikkelpunten": punten},
    )


@login_required
@require_POST
def plan_submit(request, pk: int):
    traject = get_traject_for(request.user, pk)
    require_role(traject, *PLAN_OPSTELLEN)
    require_open(traject)
    versie = _open_concept(traject)
    try:
        services.scholingsplan_submit(versie=versie, user=request.user, request=request)
    except ValidationError as exc:
        _error_message(request, exc)
        return redirect("trajecten:plan", pk=traject.pk)
    messages.success(
        request,
        _(
            "Versie %(n)d ligt nu ter instemming bij de zij-instromer, de schoolleider en de "
            "opleiding."
        )
        % {"n": versie.nummer},
    )
    return redirect("trajecten:plan", pk=traject.pk)


@login_required
@require_POST
def plan_withdraw(request, pk: int):
    traject = get_traject_for(request.user, pk)
    require_role(traject, *PLAN_OPSTELLEN)
    require_open(traject)
    versie = _open_concept(traject)
    try:
        services.scholingsplan_withdraw(versie=versie, user=request.user, request=request)
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(
            request, _("De versie is teruggenomen als concept; gegeven instemmingen vervallen.")
        )
    return redirect("trajecten:plan", pk=traject.pk)


@login_required
@require_POST
def plan_discard(request, pk: int):
    traject = get_traject_for(request.user, pk)
    require_role(traject, *PLAN_OPSTELLEN)
    require_open(traject)
    versie = _open_concept(traject)
    try:
        services.scholingsplan_discard(versie=versie, user=request.user, request=request)
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("Het concept is weggegooid."))
    return redirect("trajecten:plan", pk=traject.pk)


@login_required
@require_POST
def plan_agree(request, pk: int):
    """Agree for one party: the side-entrant, the school (school leader) or the college
    (SLB or coordinator). Other roles may read the plan but get 403 here."""
    traject = get_traject_for(request.user, pk)
    require_role(traject, *PLAN_ZIEN)
    require_open(traject)
    parties = instemming_partijen(traject)
    partij = request.POST.get("partij", "")
    if partij not in parties:
        raise PermissionDenied
    versie = selectors.open_plan_version(traject)
    if versie is None:
        # A second click on the last agreement: the first made the version vastgesteld.
        messages.info(request, _("Er ligt geen versie (meer) ter instemming."))
        return redirect("trajecten:plan", pk=traject.pk)
    if str(versie.version) != request.POST.get("version", ""):
        messages.error(
            request,
            _(
                "Het plan is gewijzigd sinds je het opende. Lees de nieuwe inhoud en stem "
                "opnieuw in."
            ),
        )
        return redirect("trajecten:plan", pk=traject.pk)
    try:
        services.scholingsplan_agree(
            versie=versie, user=request.user, partij=partij, rol=parties[partij], request=request
        )
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(
            request, _("Je instemming met versie %(n)d is vastgelegd.") % {"n": versie.nummer}
        )
    return redirect("trajecten:plan", pk=traject.pk)


@login_required
@require_POST
def plan_comment(request, pk: int):
    traject = get_traject_for(request.user, pk)
    require_role(traject, *PLAN_OPMERKEN)
    require_open(traject)
    versie = _open_concept(traject)
    form = OpmerkingForm(request.POST)
    if form.is_valid():
        services.planopmerking_add(
            versie=versie, user=request.user, tekst=form.cleaned_data["tekst"], request=request
        )
        messages.success(request, _("Je opmerking is geplaatst."))
    else:
        messages.error(request, _("Schrijf eerst een opmerking."))
    return redirect("trajecten:plan", pk=traject.pk)


@login_required
@require_POST
def plan_progress(request, pk: int):
    """Tick an activity of the agreed plan done (or not done again)."""
    traject = get_traject_for(request.user, pk)
    require_role(traject, *PLAN_VOORTGANG)
    require_open(traject)
    try:
        key = uuid.UUID(request.POST.get("key", ""))
    except ValueError:
        raise Http404 from None
    afgerond = request.POST.get("afgerond") == "1"
    try:
        services.activiteit_voortgang_set(
            traject=traject, key=key, afgerond=afgerond, user=request.user, request=request
        )
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(
            request,
            _("Activiteit gemarkeerd als afgerond.")
            if afgerond
            else _("Activiteit gemarkeerd als nog niet afgerond."),
        )
    return redirect(reverse("trajecten:plan", args=[traject.pk]) + "#voortgang")

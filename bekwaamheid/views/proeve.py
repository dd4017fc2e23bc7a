"""The Proeve van bekwaamheid: the list, planning, the judgements, the joint oordeel with
its signatures and addenda, closing the traject, and the PDF."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.uploads import file_response
from trajecten.models import Rol

from .. import access, selectors, services
from .. import snapshot as snapshots
from ..forms import (
    AddendumForm,
    BeoordelingForm,
    OordeelForm,
    ProevePlanForm,
    SignForm,
)
from ..models import Beoordeling, Oordeel, Proeve
from ._common import _refused

# --- Proeven ---------------------------------------------------------------------------------


PROEVEN_PER_PAGE = 50


@login_required
def proeven(request):
    """An assessor's Proeven (only those assigned to them); a coordinator's partnership ones."""
    assigned = list(selectors.proeve_list(access.proeven_for_assessor(request.user)))
    is_assessor = request.user.assessor_van.exists()
    is_coordinator = request.user.coordinator_van.exists()
    if not (assigned or is_assessor or is_coordinator):
        raise PermissionDenied
    coordinated = selectors.proeve_list(access.proeven_for_coordinator(request.user))
    te_plannen, page = [], None
    if is_coordinator:
        # A partnership holds hundreds of Proeven over the years: those waiting to be
        # planned in full, the rest a page at a time.
        te_plannen = list(coordinated.filter(status=Proeve.Status.INGEDIEND))
        page = Paginator(coordinated, PROEVEN_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "bekwaamheid/proeven.html",
        {
            "assigned": assigned,
            "te_plannen": te_plannen,
            "coordinated": page.object_list if page else [],
            "page": page,
            "is_assessor": is_assessor,
            "is_coordinator": is_coordinator,
        },
    )


def _proeve_context(request, proeve: Proeve) -> dict:
    beoordelingen = selectors.beoordelingen(proeve)
    recorded = [b for b in beoordelingen.values() if b.recorded_at]
    both = len(recorded) == 2
    mine = beoordelingen.get(proeve.assessor_as) if proeve.assessor_as else None
    oordeel = (
        Oordeel.objects.filter(proeve=proeve)
        .prefetch_related("regels__eis", "ondertekeningen__assessor", "addenda__door")
        .first()
    )
    is_assessor = access.ASSESSOR in proeve.roles
    locked = oordeel is not None and oordeel.is_locked
    signed_roles = {s.rol for s in oordeel.ondertekeningen.all()} if oordeel else set()
    return {
        "proeve": proeve,
        "traject": proeve.dossier.traject,
        "is_assessor": is_assessor,
        "is_coordinator": Rol.COORDINATOR in proeve.roles,
        "mine": mine,
        "both_recorded": both,
        "any_recorded": bool(recorded),
        # Another's judgement shows only when both recorded theirs, or once signed.
        "show_beoordelingen": (is_assessor and both) or locked,
        "beoordelingen": [
            beoordelingen.get(r) for r in (Beoordeling.Rol.VELD, Beoordeling.Rol.OPLEIDING)
        ],
        "eisen": selectors.proeve_eisen(proeve),
        "oordeel": oordeel if (is_assessor or locked) else None,
        "locked": locked,
        "i_signed": proeve.assessor_as in signed_roles,
        # Drafted before the Proeve, signed only from its day.
        "signable_from": services.oordeel_signable_from(proeve),
        "today": timezone.localdate(),
        "herkansing": Proeve.objects.filter(herkansing_van=proeve).first(),
        "addendum_form": AddendumForm(),
        "traject_afgerond": proeve.dossier.traject.fase == "afgerond",
        "can_close": access.can_close(proeve),
    }


@login_required
def proeve_detail(request, pk: int):
    proeve = access.get_proeve_for(request.user, pk)
    return render(request, "bekwaamheid/proeve.html", _proeve_context(request, proeve))


@login_required
def proeve_dossier(request, pk: int):
    """The frozen snapshot: what the assessors judge."""
    proeve = access.get_proeve_for(request.user, pk)
    if not proeve.snapshot:
        raise Http404
    return render(
        request,
        "bekwaamheid/proeve_dossier.html",
        {
            "proeve": proeve,
            "snap": proeve.snapshot,
            "overzicht": snapshots.overview(proeve.snapshot),
        },
    )


@login_required
def proeve_bewijsstuk(request, pk: int, bewijsstuk_pk: int):
    """A file from the frozen snapshot (even when removed from the live dossier since)."""
    proeve = access.get_proeve_for(request.user, pk)
    item = proeve.bewijsstukken.filter(pk=bewijsstuk_pk).first()
    if item is None or not item.is_file:
        raise Http404
    return file_response(item.bestand, item.bestand_naam)


@login_required
def proeve_plan(request, pk: int):
    proeve = access.get_proeve_for(request.user, pk)
    access.require_coordinator(proeve)
    if proeve.beoordelingen.filter(recorded_at__isnull=False).exists():
        messages.error(request, _("Er is al een beoordeling vastgelegd; de planning ligt vast."))
        return redirect("bekwaamheid:proeve", pk=proeve.pk)
    traject = proeve.dossier.traject
    pool = traject.school.bestuur.partnerschap.assessoren.exclude(
        pk__in=[traject.zij_instromer_id, traject.coach_id or 0, traject.slb_id or 0]
    ).order_by("last_name", "first_name")
    initial = {
        "version": proeve.version,
        "datum": proeve.datum,
        "locatie": proeve.locatie,
        "veldassessor": proeve.veldassessor_id,
        "opleidingsassessor": proeve.opleidingsassessor_id,
    }
    form = ProevePlanForm(request.POST or None, initial=initial, pool=pool)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.proeve_plan(
                proeve=proeve, by=request.user, request=request, **form.cleaned_data
            )
        except services.Refused as exc:
            _refused(request, exc)
            status = 409
        else:
            messages.success(
                request,
                _(
                    "De Proeve is gepland; de assessoren en de "
                    "zij-instromer hebben bericht gekregen."
                ),
            )
            return redirect("bekwaamheid:proeve", pk=proeve.pk)
    elif request.method == "POST":
        status = 400
    return render(
        request, "bekwaamheid/proeve_plan.html", {"form": form, "proeve": proeve}, status=status
    )


@login_required
def beoordeling(request, pk: int):
    """An assessor's own judgement. The other's stays hidden until both recorded."""
    proeve = access.get_proeve_for(request.user, pk)
    access.require_assessor(proeve)
    mine = selectors.beoordelingen(proeve).get(proeve.assessor_as)
    eisen = selectors.proeve_eisen(proeve)
    if mine is not None and mine.recorded_at:
        messages.info(request, _("Je beoordeling is vastgelegd."))
        return redirect("bekwaamheid:proeve", pk=proeve.pk)
    initial = {
        "version": mine.version if mine else None,
        "toelichting": mine.toelichting if mine else "",
    }
    if mine:
        for r in mine.regels.all():
            initial[f"niveau_{r.eis_id}"] = r.niveau
            initial[f"motivatie_{r.eis_id}"] = r.motivatie
    form = BeoordelingForm(request.POST or None, initial=initial, eisen=eisen)
    status = 200
    if request.method == "POST":
        if proeve.status != Proeve.Status.GEPLAND:
            messages.error(request, _("Deze Proeve staat niet open voor beoordeling."))
            return redirect("bekwaamheid:proeve", pk=proeve.pk)
        if form.is_valid():
            try:
                services.beoordeling_save(
                    proeve=proeve,
                    by=request.user,
                    regels=form.regels(),
                    toelichting=form.cleaned_data["toelichting"],
                    record=form.record,
                    version=form.cleaned_data.get("version"),
                    request=request,
                )
            except services.Refused as exc:
                _refused(request, exc)
                status = 409
            else:
                if form.record:
                    messages.success(request, _("Je beoordeling is vastgelegd."))
                    return redirect("bekwaamheid:proeve", pk=proeve.pk)
                messages.success(request, _("Concept opgeslagen."))
                return redirect("bekwaamheid:beoordeling", pk=proeve.pk)
        else:
            status = 400
    return render(
        request,
        "bekwaamheid/beoordeling_form.html",
        {"form": form, "proeve": proeve, "groups": _rubric_groups(form)},
        status=status,
    )


def _rubric_groups(form):
    groups: dict = {}
    for eis, niveau, motivatie in form.rows():
        groups.setdefault(eis.gebied_id, (eis.gebied, []))[1].append((eis, niveau, motivatie))
    return list(groups.values())


@login_required
def oordeel(request, pk: int):
    """The joint oordeel, written together after both recorded their own."""
    proeve = access.get_proeve_for(request.user, pk)
    access.require_assessor(proeve)
    existing = Oordeel.objects.filter(proeve=proeve).prefetch_related("regels").first()
    if existing and (existing.is_locked or existing.ondertekeningen.exists()):
        messages.info(request, _("Het oordeel is ondertekend en kan niet meer worden gewijzigd."))
        return redirect("bekwaamheid:proeve", pk=proeve.pk)
    if not services.both_recorded(proeve):
        messages.error(
            request, _("Het gezamenlijke oordeel kan pas als beide beoordelingen zijn vastgelegd.")
        )
        return redirect("bekwaamheid:proeve", pk=proeve.pk)
    beoordelingen = selectors.beoordelingen(proeve)
    initial = {"version": existing.version if existing else 0}
    if existing:
        initial.update(uitslag=existing.uitslag, motivatie=existing.motivatie)
        for r in existing.regels.all():
            initial[f"niveau_{r.eis_id}"] = r.niveau
            initial[f"motivatie_{r.eis_id}"] = r.motivatie
    form = OordeelForm(request.POST or None, initial=initial, eisen=selectors.proeve_eisen(proeve))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.oordeel_save(
                    proeve=proeve,
                    by=request.user,
                    uitslag=form.cleaned_data["uitslag"],
                    motivatie=form.cleaned_data["motivatie"],
                    regels=form.regels(),
                    version=form.cleaned_data.get("version"),
                    request=request,
                )
            except services.Refused as exc:
                _refused(request, exc)
                status = 409
            else:
                messages.success(
                    request,
                    _(
                        "Het gezamenlijke oordeel is opgeslagen. Beide "
                        "assessoren ondertekenen het nu."
                    ),
                )
                return redirect("bekwaamheid:proeve", pk=proeve.pk)
        else:
            status = 400
    levels = {}
    for rol, b in beoordelingen.items():
        for r in b.regels.all():
            levels.setdefault(r.eis_id, {})[rol] = r
    return render(
        request,
        "bekwaamheid/oordeel_form.html",
        {
            "form": form,
            "proeve": proeve,
            "groups": _rubric_groups(form),
            "levels": levels,
        },
        status=status,
    )


@login_required
def oordeel_sign(request, pk: int):
    """Sign the joint oordeel. Access is checked first (404/403, like every page), then
    allauth asks for re-authentication."""
    proeve = access.get_proeve_for(request.user, pk)
    access.require_assessor(proeve)
    return _oordeel_sign(request, proeve)


@reauthentication_required
def _oordeel_sign(request, proeve):
    oordeel = Oordeel.objects.filter(proeve=proeve).first()
    if oordeel is None:
        raise Http404
    form = SignForm(request.POST or None, initial={"version": oordeel.version})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.oordeel_sign(
                    oordeel=oordeel,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    request=request,
                )
            except services.Refused as exc:
                _refused(request, exc)
                return redirect("bekwaamheid:proeve", pk=proeve.pk)
            messages.success(request, _("Je hebt het oordeel ondertekend."))
            return redirect("bekwaamheid:proeve", pk=proeve.pk)
        status = 400
    return render(
        request,
        "bekwaamheid/oordeel_sign.html",
        {
            "form": form,
            "proeve": proeve,
            "oordeel": oordeel,
            "regels": oordeel.regels.select_related("eis").order_by(
                "eis__gebied__order", "eis__order"
            ),
        },
        status=status,
    )


@login_required
@require_POST
def oordeel_unsign(request, pk: int):
    proeve = access.get_proeve_for(request.user, pk)
    access.require_assessor(proeve)
    oordeel = Oordeel.objects.filter(proeve=proeve).first()
    if oordeel is None:
        raise Http404
    try:
        services.oordeel_sign_withdraw(oordeel=oordeel, by=request.user, request=request)
    except services.Refused as exc:
        _refused(request, exc)
    else:
        messages.success(
            request, _("Je handtekening is ingetrokken; het oordeel kan weer worden aangepast.")
        )
    return redirect("bekwaamheid:proeve", pk=proeve.pk)


@login_required
@require_POST
def oordeel_addendum(request, pk: int):
    proeve = access.get_proeve_for(request.user, pk)
    if not (access.ASSESSOR in proeve.roles or Rol.COORDINATOR in proeve.roles):
        raise PermissionDenied
    oordeel = Oordeel.objects.filter(proeve=proeve).first()
    if oordeel is None:
        raise Http404
    form = AddendumForm(request.POST)
    if form.is_valid():
        try:
            services.oordeel_addendum_add(
                oordeel=oordeel, by=request.user, tekst=form.cleaned_data["tekst"], request=request
            )
        except services.Refused as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Het addendum is toegevoegd."))
    else:
        messages.error(request, _("Schrijf de correctie of aanvulling."))
    return redirect("bekwaamheid:proeve", pk=proeve.pk)


@login_required
@require_POST
def proeve_traject_afronden(request, pk: int):
    proeve = access.get_proeve_for(request.user, pk)
    access.require_closer(proeve)
    try:
        services.proeve_traject_afronden(proeve=proeve, by=request.user, request=request)
    except services.Refused as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Het traject is afgerond."))
    return redirect("bekwaamheid:proeve", pk=proeve.pk)


# --- The PDF ---------------------------------------------------------------------------------


@login_required
@require_POST
def proeve_pdf_request(request, pk: int):
    proeve = access.get_proeve_for(request.user, pk)
    try:
        services.proeve_pdf_request(proeve=proeve, by=request.user)
    except services.Refused as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("De PDF wordt gemaakt."))
    return redirect(reverse("bekwaamheid:proeve", args=[proeve.pk]) + "#pdf")


@login_required
def proeve_pdf_status(request, pk: int):
    """JSON for lev.js polling: {"ready": bool, "status": ...}."""
    proeve = access.get_proeve_for(request.user, pk)
    return JsonResponse(
        {
            "ready": proeve.pdf_status in (Proeve.PdfStatus.KLAAR, Proeve.PdfStatus.MISLUKT),
            "status": proeve.pdf_status,
        }
    )


@login_required
def proeve_pdf(request, pk: int):
    proeve = access.get_proeve_for(request.user, pk)
    if proeve.pdf_status != Proeve.PdfStatus.KLAAR or not proeve.pdf:
        raise Http404
    name = f"Proeve van bekwaamheid - {proeve.dossier.traject.zij_instromer.get_full_name()}"
    return file_response(proeve.pdf, f"{name} - poging {proeve.poging}.pdf")

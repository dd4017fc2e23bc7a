"""Views of the dossier, the assignments and the Proeve. Each fetches through
bekwaamheid.access, binds a form, calls a service and redirects."""

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
from trajecten.access import has_role
from trajecten.models import Rol

from . import access, selectors, services
from .forms import (
    AddendumForm,
    BeoordelingForm,
    BewijsstukForm,
    CriteriumEditForm,
    CriteriumForm,
    FeedbackForm,
    FeedbackRequestForm,
    OordeelForm,
    OpdrachtForm,
    ProevePlanForm,
    SignForm,
)
from .models import Beoordeling, Feedback, Oordeel, Proeve, Succescriterium


def _refused(request, exc: services.Refused) -> None:
    messages.error(request, str(exc))


# --- Assignments (module teacher, SLB) -----------------------------------------------------------


@login_required
def opdrachten(request):
    """The assignments the user set, and feedback asked of them: a docent's start page."""
    can_set = access.can_set_opdrachten(request.user)
    items = selectors.opdracht_list(access.opdrachten_for(request.user))
    asked = selectors.feedback_asked_of(request.user)
    return render(
        request,
        "bekwaamheid/opdrachten.html",
        {"opdrachten": items, "asked": asked, "can_set": can_set},
    )


@login_required
def opdracht_new(request):
    if not access.can_set_opdrachten(request.user):
        raise PermissionDenied
    kader = selectors.active_kader()
    if kader is None:
        messages.error(request, _("Er is nog geen actief bekwaamheidskader."))
        return redirect("bekwaamheid:opdrachten")
    form = OpdrachtForm(
        request.POST or None,
        user=request.user,
        eisen=selectors.kader_eisen(kader),
        targets=access.opdracht_targets_for(request.user),
        partnerschappen=access.docent_partnerschappen(request.user),
        is_slb=request.user.slb_van.exists(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            opdracht = services.opdracht_create(
                by=request.user,
                partnerschap=form.partnerschap,
                titel=form.cleaned_data["titel"],
                omschrijving=form.cleaned_data["omschrijving"],
                eisen=form.cleaned_data["eisen"],
                trajecten=form.trajecten,
                deadline=form.cleaned_data["deadline"],
                doelgroep=form.doelgroep_label,
                request=request,
            )
        except services.Refused as exc:
            _refused(request, exc)
        else:
            messages.success(
                request,
                _("De opdracht is gegeven aan %(n)d zij-instromer(s).")
                % {"n": len(form.trajecten)},
            )
            return redirect("bekwaamheid:opdracht", pk=opdracht.pk)
    return render(
        request,
        "bekwaamheid/opdracht_form.html",
        {"form": form, "eisen_groups": selectors.eisen_per_gebied(selectors.kader_eisen(kader))},
    )


@login_required
def opdracht_detail(request, pk: int):
    opdracht = access.get_opdracht_for(request.user, pk)
    return render(
        request,
        "bekwaamheid/opdracht_detail.html",
        {
            "opdracht": opdracht,
            "eisen": opdracht.eisen.select_related("gebied").order_by("gebied__order", "order"),
            "uitwerkingen": selectors.opdracht_uitwerkingen(opdracht),
        },
    )


# --- The dossier ------------------------------------------------------------------------------


@login_required
def dossier(request, traject_pk: int):
    traject = access.get_dossier_traject_for(request.user, traject_pk)
    dossier = selectors.dossier_for(traject)
    proeven = list(selectors.proeven_of_dossier(dossier)) if dossier else []
    running = next((p for p in proeven if p.status != Proeve.Status.AFGEROND), None)
    overview = selectors.dossier_overview(traject, dossier)
    chosen = [w for w in overview["werk"] if w.in_dossier]
    can_submit = (
        has_role(traject, Rol.ZIJ_INSTROMER)
        and chosen
        and (running is None or running.status == Proeve.Status.OPEN)
        and not any(p.uitslag == "voldoende" for p in proeven)
    )
    return render(
        request,
        "bekwaamheid/dossier.html",
        {
            "traject": traject,
            "dossier": dossier,
            "overview": overview,
            "chosen": chosen,
            "proeven": proeven,
            "running": running,
            "can_submit": can_submit,
            "is_owner": has_role(traject, Rol.ZIJ_INSTROMER),
        },
    )


@login_required
@require_POST
def dossier_submit(request, traject_pk: int):
    traject = access.get_dossier_traject_for(request.user, traject_pk)
    if not has_role(traject, Rol.ZIJ_INSTROMER):
        raise PermissionDenied
    dossier = selectors.dossier_for(traject)
    if dossier is None:
        raise Http404
    try:
        proeve = services.dossier_submit(dossier=dossier, by=request.user, request=request)
    except services.Refused as exc:
        _refused(request, exc)
        return redirect("bekwaamheid:dossier", traject_pk=traject.pk)
    messages.success(
        request,
        _(
            "Je dossier is ingediend voor de Proeve van bekwaamheid. De "
            "coördinator plant de Proeve."
        ),
    )
    return redirect("bekwaamheid:proeve", pk=proeve.pk)


# --- One piece of work -------------------------------------------------------------------------


def _work_page(request, work, **forms):
    detail = selectors.onderzoeksopdracht_detail(work)
    is_owner = access.is_owner(work)
    ctx = {
        "work": work,
        "traject": work.dossier.traject,
        "is_owner": is_owner,
        "can_edit": is_owner and work.is_open,
        "criterium_form": forms.get("criterium_form") or CriteriumForm(),
        "bewijs_form": forms.get("bewijs_form") or BewijsstukForm(criteria=work.criteria.all()),
        "request_form": forms.get("request_form")
        or FeedbackRequestForm(candidates=services.feedback_candidates(work)),
        "feedback_form": forms.get("feedback_form") or FeedbackForm(),
        **detail,
    }
    status = 400 if forms else 200
    return render(request, "bekwaamheid/onderzoeksopdracht.html", ctx, status=status)


@login_required
def onderzoeksopdracht(request, pk: int):
    work = access.get_onderzoeksopdracht_for(request.user, pk)
    return _work_page(request, work)


@login_required
@require_POST
def criterium_add(request, pk: int):
    work = access.get_onderzoeksopdracht_for(request.user, pk)
    access.require_owner(work)
    form = CriteriumForm(request.POST)
    if not form.is_valid():
        return _work_page(request, work, criterium_form=form)
    try:
        services.succescriterium_add(
            onderzoeksopdracht=work, by=request.user, tekst=form.cleaned_data["tekst"]
        )
    except services.Refused as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Succescriterium toegevoegd."))
    return redirect("bekwaamheid:onderzoeksopdracht", pk=work.pk)


@login_required
def criterium_edit(request, pk: int):
    try:
        criterium = Succescriterium.objects.get(pk=pk)
    except (Succescriterium.DoesNotExist, ValueError):
        raise Http404 from None
    work = access.get_onderzoeksopdracht_for(request.user, criterium.onderzoeksopdracht_id)
    access.require_owner(work)
    initial = {
        "tekst": criterium.tekst,
        "reflectie": criterium.reflectie,
        "version": criterium.version,
    }
    form = CriteriumEditForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.succescriterium_update(
                criterium=criterium,
                by=request.user,
                tekst=form.cleaned_data["tekst"],
                reflectie=form.cleaned_data["reflectie"],
                version=form.cleaned_data["version"],
            )
        except services.Refused as exc:
            _refused(request, exc)
            status = 409
        else:
            messages.success(request, _("Succescriterium en reflectie opgeslagen."))
            return redirect(
                reverse("bekwaamheid:onderzoeksopdracht", args=[work.pk])
                + f"#criterium-{criterium.pk}"
            )
    return render(
        request,
        "bekwaamheid/criterium_form.html",
        {"form": form, "work": work, "criterium": criterium},
        status=status,
    )


@login_required
@require_POST
def bewijsstuk_add(request, pk: int):
    work = access.get_onderzoeksopdracht_for(request.user, pk)
    access.require_owner(work)
    form = BewijsstukForm(request.POST, request.FILES, criteria=work.criteria.all())
    if not form.is_valid():
        messages.error(
            request, _("Het bewijsstuk is niet toegevoegd; zie de melding bij het formulier.")
        )
        return _work_page(request, work, bewijs_form=form)
    try:
        services.bewijsstuk_add(
            onderzoeksopdracht=work,
            by=request.user,
            titel=form.cleaned_data["titel"],
            criterium=form.cleaned_data["criterium"],
            upload=form.cleaned_data["bestand"],
            mime=form.mime,
            link=form.cleaned_data["link"],
            request=request,
        )
    except services.Refused as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Bewijsstuk toegevoegd."))
    return redirect(reverse("bekwaamheid:onderzoeksopdracht", args=[work.pk]) + "#bewijs")


@login_required
def bewijsstuk_download(request, pk: int):
    item = access.get_bewijsstuk_for(request.user, pk)
    if not item.is_file:
        raise Http404
    if item.removed_at is not None and not access.is_owner(item):
        raise Http404
    return file_response(item.bestand, item.bestand_naam)


@login_required
@require_POST
def bewijsstuk_remove(request, pk: int):
    item = access.get_bewijsstuk_for(request.user, pk)
    access.require_owner(item)
    try:
        services.bewijsstuk_remove(bewijsstuk=item, by=request.user, request=request)
    except services.Refused as exc:
        _refused(request, exc)
    else:
        messages.success(
            request, _("Bewijsstuk verwijderd. Je kunt het 30 dagen lang terugzetten.")
        )
    return redirect(
        reverse("bekwaamheid:onderzoeksopdracht", args=[item.onderzoeksopdracht_id]) + "#bewijs"
    )


@login_required
@require_POST
def bewijsstuk_restore(request, pk: int):
    item = access.get_bewijsstuk_for(request.user, pk)
    access.require_owner(item)
    try:
        services.bewijsstuk_restore(bewijsstuk=item, by=request.user, request=request)
    except services.Refused as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Bewijsstuk teruggezet."))
    return redirect(
        reverse("bekwaamheid:onderzoeksopdracht", args=[item.onderzoeksopdracht_id]) + "#bewijs"
    )


@login_required
@require_POST
def feedback_request(request, pk: int):
    work = access.get_onderzoeksopdracht_for(request.user, pk)
    access.require_owner(work)
    form = FeedbackRequestForm(request.POST, candidates=services.feedback_candidates(work))
    if not form.is_valid():
        return _work_page(request, work, request_form=form)
    try:
        services.feedback_request(
            onderzoeksopdracht=work,
            by=request.user,
            people=form.cleaned_data["people"],
            vraag=form.cleaned_data["vraag"],
            request=request,
        )
    except services.Refused as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Je feedbackvraag is verstuurd."))
    return redirect("bekwaamheid:onderzoeksopdracht", pk=work.pk)


@login_required
@require_POST
def feedback_post(request, pk: int):
    work = access.get_onderzoeksopdracht_for(request.user, pk)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return _work_page(request, work, feedback_form=form)
    parent = None
    if form.cleaned_data.get("antwoord_op"):
        parent = Feedback.objects.filter(
            pk=form.cleaned_data["antwoord_op"], onderzoeksopdracht=work
        ).first()
        if parent is None:
            raise Http404
    try:
        message = services.feedback_post(
            onderzoeksopdracht=work,
            by=request.user,
            tekst=form.cleaned_data["tekst"],
            antwoord_op=parent,
        )
    except services.Refused as exc:
        _refused(request, exc)
        return redirect("bekwaamheid:onderzoeksopdracht", pk=work.pk)
    messages.success(request, _("Je bericht is geplaatst."))
    return redirect(
        reverse("bekwaamheid:onderzoeksopdracht", args=[work.pk]) + f"#feedback-{message.pk}"
    )


@login_required
@require_POST
def onderzoeksopdracht_afronden(request, pk: int):
    work = access.get_onderzoeksopdracht_for(request.user, pk)
    access.require_owner(work)
    try:
        services.onderzoeksopdracht_afronden(
            onderzoeksopdracht=work, by=request.user, request=request
        )
    except services.Refused as exc:
        _refused(request, exc)
    else:
        messages.success(
            request, _("De onderzoeksopdracht is afgerond. Je kunt haar nu in je dossier opnemen.")
        )
    return redirect("bekwaamheid:onderzoeksopdracht", pk=work.pk)


@login_required
@require_POST
def onderzoeksopdracht_dossier(request, pk: int):
    work = access.get_onderzoeksopdracht_for(request.user, pk)
    access.require_owner(work)
    wanted = request.POST.get("in_dossier") == "1"
    try:
        services.onderzoeksopdracht_dossier_set(
            onderzoeksopdracht=work, by=request.user, in_dossier=wanted
        )
    except services.Refused as exc:
        _refused(request, exc)
    else:
        messages.success(
            request, _("Opgenomen in je dossier.") if wanted else _("Uit je dossier gehaald.")
        )
    return redirect(
        request.POST.get("next") == "dossier"
        and reverse("bekwaamheid:dossier", args=[work.dossier.traject_id])
        or reverse("bekwaamheid:onderzoeksopdracht", args=[work.pk])
    )


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
    from . import snapshot as snapshots

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

"""The dossier of a traject and one piece of work in it: criteria, evidence, feedback."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.uploads import file_response
from trajecten.access import has_role
from trajecten.models import Rol

from .. import access, selectors, services
from ..forms import (
    BewijsstukForm,
    CriteriumEditForm,
    CriteriumForm,
    FeedbackForm,
    FeedbackRequestForm,
)
from ..models import Feedback, Proeve, Succescriterium
from ._common import _refused

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

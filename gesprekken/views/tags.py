"""The coordinator's list of signal tags."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import selectors, services
from ..access import (
    get_tag_for,
)
from ..forms import (
    SignaalTagForm,
)
from ..models import SignaalTag


@login_required
def tags(request):
    """The coordinator's list of signal tags: add, rename, switch off."""
    partnerschappen = list(selectors.partnerschappen_coordinated_by(request.user))
    if not partnerschappen:
        raise PermissionDenied
    wanted = request.GET.get("partnerschap") or request.POST.get("partnerschap")
    partnerschap = next((p for p in partnerschappen if str(p.pk) == wanted), None)
    if wanted and partnerschap is None:
        raise Http404
    partnerschap = partnerschap or partnerschappen[0]
    form = SignaalTagForm(request.POST or None, partnerschap_id=partnerschap.pk)
    if request.method == "POST" and form.is_valid():
        services.signaal_tag_create(
            partnerschap=partnerschap, name=form.cleaned_data["name"], actor=request.user
        )
        messages.success(request, _("De tag is toegevoegd."))
        return redirect(reverse("gesprekken:tags") + f"?partnerschap={partnerschap.pk}")
    return render(
        request,
        "gesprekken/tags.html",
        {
            "partnerschap": partnerschap,
            "partnerschappen": partnerschappen,
            "form": form,
            "tags": list(selectors.tags_of(partnerschap.pk)),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def tag_edit(request, pk: int):
    tag: SignaalTag = get_tag_for(request.user, pk)
    form = SignaalTagForm(
        request.POST or None,
        partnerschap_id=tag.partnerschap_id,
        tag=tag,
        initial={"name": tag.name, "is_active": tag.is_active},
    )
    if request.method == "POST" and form.is_valid():
        services.signaal_tag_update(
            tag=tag,
            name=form.cleaned_data["name"],
            is_active=form.cleaned_data["is_active"],
            actor=request.user,
        )
        messages.success(request, _("De tag is opgeslagen."))
        return redirect(reverse("gesprekken:tags") + f"?partnerschap={tag.partnerschap_id}")
    return render(
        request,
        "gesprekken/tag_edit.html",
        {"tag": tag, "form": form},
        status=400 if request.method == "POST" else 200,
    )

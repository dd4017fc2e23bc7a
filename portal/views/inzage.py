"""Formal requests for access under the AVG: the coordinator registers one for a person of
the partnership, checks the private notes about them, and releases the full export; the
person downloads it on their settings page (portal.inzage)."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import audit, inzage, privacy, selectors
from ..models import Inzageverzoek


class VerzoekForm(forms.Form):
    ontvangen_op = forms.DateField(
        label=gettext_lazy("Ontvangen op"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    toelichting = forms.CharField(
        label=gettext_lazy("Toelichting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Hoe het verzoek binnenkwam en hoe de identiteit is vastgesteld."),
    )


class NotitieForm(forms.Form):
    notitie = forms.IntegerField(widget=forms.HiddenInput)
    tekst = forms.CharField(
        label=gettext_lazy("Tekst zoals verstrekt"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


def _person(request, pk: int):
    ps = selectors.get_coordinated_partnerschap(request.user, request.GET.get("partnerschap"))
    return ps, selectors.get_person_for(request.user, pk, ps)


@login_required
def mens_inzage(request, pk: int):
    """The formal requests of one person; register a new one."""
    ps, person = _person(request, pk)
    return _mens_inzage(request, ps, person)


@reauthentication_required(allow_get=True)
def _mens_inzage(request, ps, person):
    form = VerzoekForm(request.POST or None, initial={"ontvangen_op": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            verzoek = inzage.inzageverzoek_register(
                person=person,
                partnerschap=ps,
                ontvangen_op=form.cleaned_data["ontvangen_op"],
                toelichting=form.cleaned_data["toelichting"],
                door=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error("ontvangen_op", exc)
        else:
            messages.success(request, _("Het inzageverzoek is vastgelegd."))
            return redirect("portal:inzage", pk=person.pk, verzoek=verzoek.pk)
    verzoeken = inzage.requests_of(person, ps)
    return render(
        request,
        "portal/inzage_lijst.html",
        {"partnerschap": ps, "person": person, "form": form, "verzoeken": verzoeken},
    )


@login_required
def inzage_view(request, pk: int, verzoek: int):
    """Check the private notes about the person one by one, then release the export."""
    ps, person = _person(request, pk)
    return _inzage(request, ps, person, selectors.get_inzageverzoek_for(ps, person, verzoek))


@reauthentication_required(allow_get=True)
def _inzage(request, ps, person, verzoek):
    if request.method == "POST":
        try:
            if "verstrekken" in request.POST:
                inzage.inzage_verstrekken(verzoek=verzoek, door=request.user, request=request)
                messages.success(
                    request,
                    _("Het verzoek is afgehandeld. %(name)s kan de gegevens nu downloaden.")
                    % {"name": person.get_full_name()},
                )
            else:
                form = NotitieForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Deze notitie kon niet worden opgeslagen."))
                inzage.inzage_note_release(
                    verzoek=verzoek,
                    notitie_id=form.cleaned_data["notitie"],
                    tekst=form.cleaned_data["tekst"],
                    door=request.user,
                    request=request,
                )
                messages.success(request, _("De notitie is gecontroleerd."))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        return redirect("portal:inzage", pk=person.pk, verzoek=verzoek.pk)
    released = {n.notitie_id: n for n in verzoek.notities.all()}
    notes = list(inzage.notes_about(person, ps))
    if notes:
        audit.record(
            action="inzage.notities_gelezen",
            actor=request.user,
            obj=verzoek,
            request=request,
            detail={"notities": [n.pk for n in notes]},
        )
    rows = [
        {
            "note": n,
            "released": released.get(n.pk),
            "form": NotitieForm(
                initial={
                    "notitie": n.pk,
                    "tekst": released[n.pk].tekst if n.pk in released else n.tekst,
                },
                prefix=f"n{n.pk}",
            ),
        }
        for n in notes
    ]
    return render(
        request,
        "portal/inzage.html",
        {
            "partnerschap": ps,
            "person": person,
            "verzoek": verzoek,
            "rows": rows,
            "term": inzage.term_of(verzoek),
            "n_unchecked": sum(1 for r in rows if r["released"] is None),
        },
    )


@login_required
def inzage_download(request, pk: int, verzoek: int):
    """The coordinator downloads the released export, to hand it over. Audited."""
    ps, person = _person(request, pk)
    return _download_reauthenticated(request, selectors.get_inzageverzoek_for(ps, person, verzoek))


@reauthentication_required
def _download_reauthenticated(request, verzoek):
    return _download(request, verzoek)


@login_required
def mijn_inzage(request, verzoek: int):
    """The person downloads the export of their own released request (404 for anyone else,
    before the password is asked). Audited."""
    found = selectors.get_released_inzageverzoek_of(request.user, verzoek)
    return _download_reauthenticated(request, found)


def _download(request, verzoek: Inzageverzoek) -> HttpResponse:
    try:
        content = inzage.export_zip(verzoek)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("portal:instellingen")
    audit.record(
        action="inzage.download",
        actor=request.user,
        obj=verzoek,
        request=request,
        detail={"persoon": verzoek.persoon_id},
    )
    return privacy.zip_response(content, f"lev-inzageverzoek-{verzoek.ontvangen_op:%Y-%m-%d}.zip")

"""The coordinator's page for importing schools and boards from the register (DUO export).

Form and views live here, beside portal/registers.py (the parser and the import service).
Only coordinators of a partnership reach its page; everyone else gets 404.
"""

from __future__ import annotations

import os

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import registers
from .models import School, Schoolbestuur

ALLOWED_EXTENSIONS = {".csv", ".txt"}


class ScholenImportForm(forms.Form):
    bestand = forms.FileField(
        label=gettext_lazy("CSV-bestand uit het register"),
        help_text=gettext_lazy(
            "Het CSV-bestand van DUO (adressen van vestigingen) of een eigen bestand met "
            "dezelfde kolommen; puntkomma of komma als scheidingsteken."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,.txt"}),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Alleen controleren (proefdraai): niets opslaan"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Bestand inlezen")))

    def clean_bestand(self):
        upload = self.cleaned_data["bestand"]
        ext = os.path.splitext(upload.name or "")[1].lower()
        if ext not in ALLOWED_EXTENSIONS:
            raise ValidationError(
                _("Kies een CSV-bestand (.csv). Sla een spreadsheet op als CSV."), code="type"
            )
        if upload.size > registers.MAX_BYTES:
            raise ValidationError(
                _("Het bestand is groter dan %(max)d MB.")
                % {"max": registers.MAX_BYTES // 1024 // 1024},
                code="too_large",
            )
        data = upload.read()
        try:
            registers.read_register(data)
        except registers.RegisterFileError as exc:
            raise ValidationError(str(exc), code="unreadable") from exc
        self.cleaned_data["data"] = data
        return upload


def _columns_help() -> list[dict]:
    """The accepted columns, for the explanation on the page (from the parser itself)."""
    required = {
        "vestiging": _("ja, of BRIN-nummer"),
        "brin": _("ja, of vestigingsnummer"),
        "naam": _("ja"),
        "bg_nummer": _("ja"),
        "plaats": _("nee"),
        "regio": _("nee (noord, midden of zuid; zonder regio mijdt de planning alle drie)"),
        "bestuur": _("nee, wel aanbevolen"),
    }
    return [
        {
            "label": registers.FIELD_LABELS[key],
            "names": names,
            "required": required[key],
        }
        for key, names in registers.COLUMNS.items()
    ]


@login_required
def import_scholen_start(request):
    """The coordinator's entry: straight to the one partnership, or a choice of several."""
    partnerschappen = list(registers.partnerschappen_for_coordinator(request.user))
    if not partnerschappen:
        raise Http404
    if len(partnerschappen) == 1:
        return redirect("scholen:import", pk=partnerschappen[0].pk)
    return render(request, "portal/import_scholen.html", {"partnerschappen": partnerschappen})


@login_required
def import_scholen(request, pk: int):
    """Upload a register export; show what was (or in a dry run would be) created, updated
    and left unchanged, and every line that could not be imported.

    The result is rendered in the response to the POST instead of after a redirect: it is
    too large for a message, and submitting the same file again changes nothing.
    """
    partnerschap = registers.get_partnerschap_for_coordinator(request.user, pk)
    form = ScholenImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = registers.scholen_import(
            partnerschap=partnerschap,
            data=form.cleaned_data["data"],
            actor=request.user,
            dry_run=form.cleaned_data["dry_run"],
            filename=form.cleaned_data["bestand"].name,
            request=request,
        )
        if result.dry_run:
            messages.info(request, _("Proefdraai klaar: er is niets opgeslagen."))
        else:
            messages.success(request, _("Het bestand is ingelezen."))
        # After a clean dry run the next step is the real import, and after an import a check.
        form = ScholenImportForm(initial={"dry_run": bool(not result.dry_run or result.errors)})
    context = {
        "partnerschap": partnerschap,
        "form": form,
        "result": result,
        "columns": _columns_help(),
        "bestuur_count": Schoolbestuur.objects.filter(partnerschap=partnerschap).count(),
        "school_count": School.objects.filter(bestuur__partnerschap=partnerschap).count(),
    }
    return render(request, "portal/import_scholen.html", context)

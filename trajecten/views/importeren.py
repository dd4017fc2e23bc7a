"""Import of new side-entrants from a CSV file by a coordinator (all or nothing)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import importer
from ..access import coordinator_partnerschappen
from ..forms import ImportForm


@login_required
def import_csv(request):
    """Upload, check every row, and import only when all rows are valid. Coordinators
    only; they import into the schools of the partnership(s) they coordinate."""
    partnerschappen = coordinator_partnerschappen(request.user)
    if not partnerschappen.exists():
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = importer.trajecten_import(
            content=form.cleaned_data["bestand"].read(),
            partnerschappen=partnerschappen,
            door=request.user,
            request=request,
        )
        if result.imported:
            created, skipped = len(result.created), len(result.skipped)
            if created:
                text = ngettext(
                    "%(n)d zij-instromer geïmporteerd; nieuwe accounts kregen een uitnodiging "
                    "per e-mail.",
                    "%(n)d zij-instromers geïmporteerd; nieuwe accounts kregen een uitnodiging "
                    "per e-mail.",
                    created,
                ) % {"n": created}
                if skipped:
                    text += " " + ngettext(
                        "%(n)d regel stond er al en is overgeslagen.",
                        "%(n)d regels stonden er al en zijn overgeslagen.",
                        skipped,
                    ) % {"n": skipped}
                messages.success(request, text)
            else:
                messages.info(
                    request, _("Niets nieuws: alle regels van dit bestand stonden er al.")
                )
        else:
            messages.error(
                request,
                _("Er is niets geïmporteerd: los de fouten hieronder op en probeer het opnieuw."),
            )
    return render(
        request,
        "trajecten/import.html",
        {
            "form": form,
            "result": result,
            "columns": importer.COLUMNS,
            "partnerschappen": partnerschappen,
        },
    )

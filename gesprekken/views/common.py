"""Shared by the views: the conflict message and re-binding after a refused save."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

CONFLICT_MESSAGE = gettext_lazy(
    "Dit is intussen ergens anders opgeslagen. Er is niets overschreven: jouw tekst staat nog "
    "in het formulier en de opgeslagen versie staat erboven. Neem over wat je wilt houden en "
    "sla opnieuw op."
)


def rebind(form, form_class, version_field: str, current_version: int, **kwargs):
    """The same user input bound again with the current version: the user has now seen the
    conflict, so a second save is a deliberate one."""
    data = form.data.copy()
    data[form.add_prefix(version_field)] = current_version
    bound = form_class(data, **kwargs)
    bound.is_valid()
    return bound

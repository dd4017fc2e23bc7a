"""Template helpers of the portal."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def options(field) -> SafeString:
    """The <option> elements of a bound choice field, the current value selected.

    Written in Python: a partnership's school filter has over a thousand options, which as a
    template loop (or through crispy, one template per option) costs tens of milliseconds.
    Values and labels are escaped here."""
    value = field.value()
    current = "" if value is None else str(value)
    parts = []
    for choice, label in field.field.choices:
        choice = str(choice)
        selected = " selected" if choice == current else ""
        parts.append(f'<option value="{escape(choice)}"{selected}>{escape(label)}</option>')
    return mark_safe("".join(parts))  # every value above is escaped


@register.simple_tag
def once_token() -> SafeString:
    """A hidden one-time token: the form acts once however often it is posted
    (portal.once)."""
    from portal.once import FIELD, new_token

    return mark_safe(f'<input type="hidden" name="{FIELD}" value="{new_token()}">')

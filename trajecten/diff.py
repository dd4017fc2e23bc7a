"""What changed between two versions of a scholingsplan, in words a reader follows.

Activities are matched by their stable `key` (a new version copies them with the same key),
so an activity whose period moved shows as "changed", not as one removed and one added.
Pure functions over already-fetched objects: no queries.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import Activiteit


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    # Word-level segments of the new text: (op, text) with op in "equal", "insert", "delete".
    segments: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ActivityChange:
    kind: str  # "added", "removed" or "changed"
    activiteit: Activiteit  # the new one (or the old one when removed)
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(
            {"added": _("Nieuw"), "removed": _("Vervallen"), "changed": _("Gewijzigd")}[self.kind]
        )


def _period(a: Activiteit) -> str:
    return f"{date_format(a.periode_van, 'j M Y')} – {date_format(a.periode_tot, 'j M Y')}"


def _support(a: Activiteit) -> str:
    return ", ".join(a.ondersteuning_labels()) or str(_("geen"))


def word_segments(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level diff of `old` into `new` as (op, text) pieces for <del>/<ins> markup."""
    a, b = old.split(), new.split()
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("equal", " ".join(a[i1:i2])))
            continue
        if op in ("replace", "delete"):
            out.append(("delete", " ".join(a[i1:i2])))
        if op in ("replace", "insert"):
            out.append(("insert", " ".join(b[j1:j2])))
    return out


def _changes(old: Activiteit, new: Activiteit) -> list[FieldChange]:
    out = []
    if old.ontwikkelpunt_id != new.ontwikkelpunt_id:
        out.append(
            FieldChange(_("Ontwikkelpunt"), old.ontwikkelpunt.titel, new.ontwikkelpunt.titel)
        )
    if old.omschrijving != new.omschrijving:
        out.append(
            FieldChange(
                _("Module of activiteit"),
                old.omschrijving,
                new.omschrijving,
                word_segments(old.omschrijving, new.omschrijving),
            )
        )
    if (old.periode_van, old.periode_tot) != (new.periode_van, new.periode_tot):
        out.append(FieldChange(_("Periode"), _period(old), _period(new)))
    if sorted(old.ondersteuning) != sorted(new.ondersteuning):
        out.append(FieldChange(_("Ondersteuning"), _support(old), _support(new)))
    return out


def plan_diff(old: list[Activiteit], new: list[Activiteit]) -> list[ActivityChange]:
    """The changes from activities `old` to `new`: changed and added in the order of `new`,
    then the removed ones. Unchanged activities are left out."""
    before = {a.key: a for a in old}
    after_keys = {a.key for a in new}
    result = []
    for a in new:
        if a.key not in before:
            result.append(ActivityChange("added", a))
            continue
        fields = _changes(before[a.key], a)
        if fields:
            result.append(ActivityChange("changed", a, fields))
    result += [ActivityChange("removed", a) for a in old if a.key not in after_keys]
    return result

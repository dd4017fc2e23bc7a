"""The filter bars of the overviews (GET forms). Choices come from lists the view already
fetched, so validating a filter costs no query; a value outside the viewer's scope is simply
not a valid choice."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from gesprekken.models import Signaal
from trajecten.models import Traject
from trajecten.selectors import Stage

from ..models import School


def _id_choices(objects, empty_label) -> list[tuple[str, str]]:
    return [("", empty_label), *((str(o.pk), o.name) for o in objects)]


def besturen_of(schools: list[School]) -> list:
    """The boards of `schools` (already fetched with their board), by name, without a query."""
    seen = {s.bestuur_id: s.bestuur for s in schools}
    return sorted(seen.values(), key=lambda b: b.name)


@dataclass(frozen=True)
class Quarter:
    year: int
    quarter: int

    @classmethod
    def of(cls, day: datetime.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, value: str) -> Quarter | None:
        try:
            year, q = value.split("-K")
            quarter = cls(int(year), int(q))
        except (ValueError, AttributeError):
            return None
        return quarter if 1 <= quarter.quarter <= 4 and 2000 <= quarter.year <= 2100 else None

    @property
    def key(self) -> str:
        return f"{self.year}-K{self.quarter}"

    @property
    def label(self) -> str:
        return _("K%(q)s %(year)s") % {"q": self.quarter, "year": self.year}

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.quarter == 4 else Quarter(self.year, self.quarter + 1)
        )

    def minus(self, n: int) -> Quarter:
        index = self.year * 4 + self.quarter - 1 - n
        return Quarter(index // 4, index % 4 + 1)


class _FilterForm(forms.Form):
    """A GET filter form: invalid values are dropped (and shown as errors), never applied."""

    partnerschap = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data, *, schools: list[School]):
        super().__init__(data or None)
        self.schools = {s.pk: s for s in schools}
        besturen = besturen_of(schools)
        self.besturen = {b.pk: b for b in besturen}
        self.fields["bestuur"].choices = _id_choices(besturen, _("Alle besturen"))
        # With a board chosen, offer only its schools (a school of another board would be
        # an empty selection anyway). With several boards and none chosen, the schools wait
        # for a board: a partnership's thousand schools in one list help nobody, and cost
        # more to render than the rest of the page. A school already chosen (a link from the
        # table) stays a valid choice.
        chosen = str((data or {}).get("bestuur", ""))
        picked = str((data or {}).get("school", ""))
        if chosen.isdigit() and int(chosen) in self.besturen:
            offered = [s for s in schools if s.bestuur_id == int(chosen)]
        elif len(besturen) < 2:
            offered = schools
        else:
            offered = (
                [self.schools[int(picked)]]
                if picked.isdigit() and int(picked) in self.schools
                else []
            )
            self.fields["school"].help_text = _("Kies eerst een bestuur om een school te kiezen.")
        self.fields["school"].choices = _id_choices(offered, _("Alle scholen"))
        if len(besturen) < 2:
            del self.fields["bestuur"]
        if len(schools) < 2:
            del self.fields["school"]

    def value(self, name: str):
        """The cleaned value of `name`, or None when absent, empty or invalid."""
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name) or None


class OverviewFilterForm(_FilterForm):
    bestuur = forms.TypedChoiceField(
        label=_("Bestuur"), required=False, coerce=int, empty_value=None
    )
    school = forms.TypedChoiceField(label=_("School"), required=False, coerce=int, empty_value=None)
    route = forms.ChoiceField(
        label=_("Route"), required=False, choices=[("", _("Alle routes")), *Traject.Route.choices]
    )
    cohort = forms.ChoiceField(label=_("Cohort (start)"), required=False)
    fase = forms.ChoiceField(
        label=_("Fase"), required=False, choices=[("", _("Alle fasen")), *Stage.choices]
    )

    def __init__(self, data, *, schools: list[School], cohorts: list[datetime.date]):
        super().__init__(data, schools=schools)
        self.fields["cohort"].choices = [
            ("", _("Alle cohorten")),
            *((f"{d:%Y-%m}", date_format(d, "F Y")) for d in sorted(cohorts, reverse=True)),
        ]

    def cohort_month(self) -> datetime.date | None:
        value = self.value("cohort")
        return datetime.date.fromisoformat(f"{value}-01") if value else None


class SignalenFilterForm(_FilterForm):
    bestuur = forms.TypedChoiceField(
        label=_("Bestuur"), required=False, coerce=int, empty_value=None
    )
    school = forms.TypedChoiceField(label=_("School"), required=False, coerce=int, empty_value=None)
    soort = forms.ChoiceField(
        label=_("Soort"), required=False, choices=[("", _("Alle soorten")), *Signaal.Soort.choices]
    )
    periode = forms.ChoiceField(label=_("Kwartaal"), required=False)
    tag = forms.ChoiceField(label=_("Tag"), required=False)

    NO_TAG = "geen"

    def __init__(self, data, *, schools: list[School], quarters: list[Quarter], tags: list):
        super().__init__(data, schools=schools)
        self.fields["periode"].choices = [
            ("", _("Alle kwartalen")),
            *((q.key, q.label) for q in sorted(quarters, key=lambda q: q.key, reverse=True)),
        ]
        self.tags = {str(t.pk): t for t in tags}
        self.fields["tag"].choices = [
            ("", _("Alle tags")),
            *((str(t.pk), t.name) for t in tags),
            (self.NO_TAG, _("(zonder tag)")),
        ]

    def quarter(self) -> Quarter | None:
        value = self.value("periode")
        return Quarter.parse(value) if value else None

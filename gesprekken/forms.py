"""Forms for the conversation cycle: validation and crispy layout only."""

from __future__ import annotations

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trajecten.models import Traject

from . import selectors
from .models import Signaal, SignaalTag, Verslag
from .planning import DEFAULT_DURATION, DEFAULT_TIME


class VersionField(forms.IntegerField):
    """The hidden version a writer read: a stale save is refused (optimistic locking)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=0, **kwargs)


# --- Planning ------------------------------------------------------------------------------


class GesprekPlanForm(forms.Form):
    """Date, time and place of a conversation: for an extra one and for a move."""

    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        label=_("Tijd"), initial=DEFAULT_TIME, widget=forms.TimeInput(attrs={"type": "time"})
    )
    duration_minutes = forms.IntegerField(
        label=_("Duur (minuten)"), min_value=15, max_value=480, initial=DEFAULT_DURATION
    )
    location = forms.CharField(
        label=_("Plaats"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld de school en het lokaal."),
    )
    video_url = forms.URLField(
        label=_("Videolink"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Voor een gesprek op afstand."),
    )

    def __init__(self, *args, traject: Traject, submit_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.traject = traject
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Div(
                Div(Field("date"), css_class="col-sm-6 col-lg-4"),
                Div(Field("time"), css_class="col-sm-6 col-lg-4"),
                Div(Field("duration_minutes"), css_class="col-sm-6 col-lg-4"),
                css_class="row",
            ),
            Field("location"),
            Field("video_url"),
            *[Field(name) for name in self.extra_fields()],
            Submit("submit", submit_label),
        )

    def extra_fields(self) -> list[str]:
        return []

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date < self.traject.start_date:
            raise forms.ValidationError(_("Het gesprek kan niet voor de start van het traject."))
        if date > self.traject.end_date + datetime.timedelta(days=31):
            raise forms.ValidationError(
                _("Het gesprek kan niet meer dan een maand na de einddatum van het traject.")
            )
        return date

    def clean(self):
        data = super().clean()
        if not data.get("location") and not data.get("video_url"):
            raise forms.ValidationError(_("Vul een plaats of een videolink in."))
        return data

    @property
    def starts_at(self) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        )


class GesprekMoveForm(GesprekPlanForm):
    reason = forms.CharField(
        label=_("Reden (optioneel)"),
        max_length=300,
        required=False,
        help_text=_("Komt in de melding aan de anderen."),
    )
    sequence = VersionField()

    def extra_fields(self) -> list[str]:
        return ["reason", "sequence"]

    @classmethod
    def initial_for(cls, gesprek) -> dict:
        local = timezone.localtime(gesprek.starts_at)
        return {
            "date": local.date(),
            "time": local.time().replace(second=0, microsecond=0),
            "duration_minutes": gesprek.duration_minutes,
            "location": gesprek.location,
            "video_url": gesprek.video_url,
            "sequence": gesprek.sequence,
        }


# --- Preparation ---------------------------------------------------------------------------


class VoorbereidingForm(forms.Form):
    """A participant's preparation. The side-entrant gets the three questions and the links
    to ontwikkelpunten, log entries and evidence; coach and SLB their reflective questions."""

    waar_sta_ik = forms.CharField(
        label=_("Waar sta ik nu?"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    volgende_stap = forms.CharField(
        label=_("Wat is mijn volgende stap?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    wat_nodig = forms.CharField(
        label=_("Wat heb ik daarvoor nodig?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reflectievragen = forms.CharField(
        label=_("Mijn reflectievragen voor het gesprek"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Zichtbaar voor de zij-instromer, de coach en de SLB."),
    )
    ontwikkelpunten = forms.ModelMultipleChoiceField(
        label=_("Ontwikkelpunten"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    logboekregels = forms.ModelMultipleChoiceField(
        label=_("Logboekregels"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ready = forms.BooleanField(
        label=_("Mijn voorbereiding is klaar"),
        required=False,
        help_text=_("Dan krijg je geen herinneringen meer voor dit gesprek."),
    )
    version = VersionField()

    def __init__(self, *args, traject: Traject, side_entrant: bool, since: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ontwikkelpunten"].queryset = selectors.ontwikkelpunten_of(traject)
        self.fields["logboekregels"].queryset = selectors.logboekregels_of(traject, since=since)
        self.fields["logboekregels"].label_from_instance = lambda r: (
            f"{r.datum:%d-%m-%Y}: {r.wat_er_gebeurde[:80]}"
        )
        names = ["waar_sta_ik", "volgende_stap", "wat_nodig", "ontwikkelpunten", "logboekregels"]
        if side_entrant:
            del self.fields["reflectievragen"]
        else:
            for name in ("waar_sta_ik", "volgende_stap", "wat_nodig", "logboekregels"):
                del self.fields[name]
            names = ["reflectievragen", "ontwikkelpunten"]
        if side_entrant:
            names.append(_add_evidence_field(self, traject))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *[Field(n) for n in names],
            Field("ready"),
            Field("version"),
            Submit("submit", _("Voorbereiding opslaan")),
        )


def _add_evidence_field(form: forms.Form, traject: Traject) -> str:
    """Evidence from the side-entrant's competence dossier (bekwaamheid)."""
    form.fields["bewijsstukken"] = forms.ModelMultipleChoiceField(
        label=_("Bewijsstukken uit mijn dossier"),
        queryset=selectors.bewijsstukken_of(traject),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    form.fields["bewijsstukken"].label_from_instance = lambda b: (
        f"{b.titel} ({b.onderzoeksopdracht.opdracht.titel})"
    )
    return "bewijsstukken"


class PriveNotitieForm(forms.Form):
    tekst = forms.CharField(
        label=_("Mijn privénotitie"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Alleen jij ziet deze notitie. Hij komt nooit in een verslag of dossier."),
    )
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("tekst"),
            Field("version"),
            Submit("submit", _("Notitie opslaan"), css_class="btn-secondary"),
        )


# --- The report ----------------------------------------------------------------------------


class VerslagForm(forms.Form):
    tekst = forms.CharField(
        label=_("Verslag van het gesprek"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Wat is er besproken? Formatief: het gaat om groei, niet om een cijfer."),
    )
    koers = forms.ChoiceField(
        label=_("Zitten wij nog op de goede weg?"),
        choices=Verslag.Koers.choices,
        widget=forms.RadioSelect,
    )
    koers_reden = forms.CharField(
        label=_("Waarom?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verplicht bij 'aandacht nodig' en 'uit koers'."),
    )
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        data = super().clean()
        if (
            data.get("koers") in (Verslag.Koers.AANDACHT, Verslag.Koers.UIT_KOERS)
            and not (data.get("koers_reden") or "").strip()
        ):
            self.add_error("koers_reden", _("Geef een reden."))
        return data


class _RowForm(forms.Form):
    """A formset row whose fields are required only once anything in it is filled in, so
    that empty extra rows carry no required markers."""

    row_fields: tuple[str, ...] = ()

    def clean(self):
        data = super().clean()
        if data.get("DELETE"):
            return data
        if data.get("id") or any(data.get(name) for name in self.row_fields):
            for name in self.row_fields:
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Vul dit veld in."))
        return data


class AfspraakForm(_RowForm):
    row_fields = ("omschrijving", "owner", "due_date")

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    omschrijving = forms.CharField(label=_("Afspraak"), max_length=300, required=False)
    owner = forms.TypedChoiceField(
        label=_("Wie"), coerce=int, choices=(), required=False, empty_value=None
    )
    due_date = forms.DateField(
        label=_("Uiterlijk"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.owners = {u.pk: u for u in owners}
        self.fields["owner"].choices = [("", "---------")] + [
            (u.pk, u.get_full_name()) for u in owners
        ]

    def clean_owner(self):
        pk = self.cleaned_data["owner"]
        return self.owners[pk] if pk is not None else None


class SignaalForm(_RowForm):
    row_fields = ("soort", "tekst")

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    soort = forms.ChoiceField(
        label=_("Soort"), choices=[("", "---------"), *Signaal.Soort.choices], required=False
    )
    tekst = forms.CharField(
        label=_("Citaat of korte omschrijving"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    tags = forms.ModelMultipleChoiceField(
        label=_("Tags"),
        queryset=SignaalTag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, tags=None, **kwargs):
        super().__init__(*args, **kwargs)
        if tags is not None:
            self.fields["tags"].queryset = tags


AfspraakFormSet = forms.formset_factory(AfspraakForm, extra=2, can_delete=True, max_num=30)
SignaalFormSet = forms.formset_factory(SignaalForm, extra=2, can_delete=True, max_num=30)


def formset_rows(formset) -> list[dict]:
    """The filled-in rows of a formset as plain dicts for a service (delete flag included)."""
    rows = []
    for form in formset.forms:
        if not form.has_changed() and not form.cleaned_data.get("id"):
            continue
        data = dict(form.cleaned_data)
        data["delete"] = bool(data.pop("DELETE", False))
        rows.append(data)
    return rows


class SignForm(forms.Form):
    version = VersionField()


class AddendumForm(forms.Form):
    tekst = forms.CharField(
        label=_("Aanvulling of correctie"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Het ondertekende verslag blijft zoals het is; de aanvulling komt eronder "
            "met jouw naam en de datum."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field("tekst"), Submit("submit", _("Aanvulling toevoegen")))


# --- Signal tags ---------------------------------------------------------------------------


class SignaalTagForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=60)
    is_active = forms.BooleanField(label=_("In gebruik"), required=False, initial=True)

    def __init__(self, *args, partnerschap_id: int, tag: SignaalTag | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnerschap_id = partnerschap_id
        self.tag = tag
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("name"),
            Field("is_active"),
            Submit("submit", _("Opslaan") if tag else _("Tag toevoegen")),
        )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = SignaalTag.objects.filter(partnerschap_id=self.partnerschap_id, name__iexact=name)
        if self.tag is not None:
            clash = clash.exclude(pk=self.tag.pk)
        if clash.exists():
            raise forms.ValidationError(_("Deze tag bestaat al."))
        return name

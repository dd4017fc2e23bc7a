"""Forms of the dossier and the Proeve: validation and layout only."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from portal.uploads import EVIDENCE, VIDEO, validate_upload
from trajecten.models import Traject

from .models import Niveau, Succescriterium, Uitslag


def _helper(label, *, form_tag: bool = True) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = form_tag
    if label:
        helper.add_input(Submit("submit", label))
    return helper


class EisChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} – {obj.titel}"


class OpdrachtForm(forms.Form):
    """Set an assignment for a group (a partnership, a cohort, my SLB students) or one person."""

    titel = forms.CharField(label=_("Titel"), max_length=200)
    omschrijving = forms.CharField(
        label=_("Opdracht"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Wat onderzoekt de zij-instromer in de eigen klas, en wat levert hij of zij in?"
        ),
    )
    eisen = EisChoiceField(
        label=_("Indicatoren"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aan welke indicatoren van het bekwaamheidskader werkt deze opdracht?"),
    )
    deadline = forms.DateField(
        label=_("Inleveren uiterlijk"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    doelgroep = forms.ChoiceField(label=_("Voor wie"))

    def __init__(self, *args, user, eisen, targets, partnerschappen, is_slb: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["eisen"].queryset = eisen
        self.targets = list(
            targets.select_related("zij_instromer", "school__bestuur__partnerschap").order_by(
                "zij_instromer__last_name", "zij_instromer__first_name"
            )
        )
        self.partnerschappen = {p.pk: p for p in partnerschappen}
        groups: list = [("", _("Kies een doelgroep"))]
        group_choices = []
        for ps in self.partnerschappen.values():
            group_choices.append(
                (f"ps:{ps.pk}", _("Alle actieve zij-instromers van %(ps)s") % {"ps": ps.name})
            )
        cohorts = sorted(
            {
                (t.school.bestuur.partnerschap_id, t.start_date.strftime("%Y-%m"), t.start_date)
                for t in self.targets
                if t.school.bestuur.partnerschap_id in self.partnerschappen
            },
            key=lambda c: (c[0], c[1]),
        )
        seen = set()
        for ps_id, ym, start in cohorts:
            if (ps_id, ym) in seen:
                continue
            seen.add((ps_id, ym))
            group_choices.append(
                (
                    f"cohort:{ps_id}:{ym}",
                    _("Cohort gestart in %(maand)s (%(ps)s)")
                    % {
                        "maand": formats.date_format(start, "F Y"),
                        "ps": self.partnerschappen[ps_id].name,
                    },
                )
            )
        if is_slb:
            group_choices.append(("slb", _("Mijn zij-instromers als SLB")))
        if group_choices:
            groups.append((_("Groep"), group_choices))
        people = [
            (f"t:{t.pk}", f"{t.zij_instromer.get_full_name()} ({t.school.name})")
            for t in self.targets
        ]
        if people:
            groups.append((_("Eén zij-instromer"), people))
        self.fields["doelgroep"].choices = groups
        self.is_slb = is_slb
        self.helper = _helper(_("Opdracht geven"))

    def clean_doelgroep(self):
        value = self.cleaned_data["doelgroep"]
        kind, _sep, rest = value.partition(":")
        chosen: list[Traject]
        if kind == "ps" and rest.isdigit() and int(rest) in self.partnerschappen:
            chosen = [t for t in self.targets if t.school.bestuur.partnerschap_id == int(rest)]
            label = str(self.partnerschappen[int(rest)])
        elif kind == "cohort":
            ps_id, _sep, ym = rest.partition(":")
            chosen = [
                t
                for t in self.targets
                if str(t.school.bestuur.partnerschap_id) == ps_id
                and t.start_date.strftime("%Y-%m") == ym
            ]
            label = _("cohort %(ym)s") % {"ym": ym}
        elif kind == "slb" and self.is_slb:
            chosen = [t for t in self.targets if t.slb_id == self.user.pk]
            label = _("mijn zij-instromers als SLB")
        elif kind == "t":
            chosen = [t for t in self.targets if str(t.pk) == rest]
            label = chosen[0].zij_instromer.get_full_name() if chosen else ""
        else:
            chosen = []
            label = ""
        if not chosen:
            raise ValidationError(_("Er zijn geen actieve zij-instromers in deze doelgroep."))
        self.trajecten = chosen
        self.partnerschap = chosen[0].school.bestuur.partnerschap
        self.doelgroep_label = str(label)
        return value


class CriteriumForm(forms.Form):
    tekst = forms.CharField(
        label=_("Nieuw succescriterium"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Waaraan zie je dat het gelukt is? Bijvoorbeeld: 'Alle leerlingen kunnen "
            "na de instructie zelfstandig beginnen.'"
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Toevoegen"))


class CriteriumEditForm(forms.Form):
    tekst = forms.CharField(label=_("Succescriterium"), widget=forms.Textarea(attrs={"rows": 2}))
    reflectie = forms.CharField(
        label=_("Reflectie"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Wat deed je, wat zag je bij de leerlingen, wat leer je ervan en wat is je "
            "volgende stap?"
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Opslaan"))


class BewijsstukForm(forms.Form):
    titel = forms.CharField(label=_("Titel"), max_length=200)
    criterium = forms.ModelChoiceField(
        label=_("Bij succescriterium"),
        queryset=Succescriterium.objects.none(),
        required=False,
        empty_label=_("(bij de hele opdracht)"),
    )
    bestand = forms.FileField(
        label=_("Bestand"),
        required=False,
        help_text=_(
            "PDF, afbeelding, Office-document, audio of video. Maximaal %(max)d MB, "
            "video maximaal %(video)d MB."
        ),
    )
    link = forms.URLField(
        label=_("of een link"), required=False, max_length=500, assume_scheme="https"
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterium"].queryset = criteria
        self.fields["criterium"].label_from_instance = lambda c: c.tekst[:80]
        self.fields["bestand"].help_text = self.fields["bestand"].help_text % {
            "max": settings.LEV_MAX_UPLOAD_MB,
            "video": settings.LEV_MAX_VIDEO_UPLOAD_MB,
        }
        self.helper = _helper(_("Bewijsstuk toevoegen"))
        self.mime = ""

    def clean_bestand(self):
        upload = self.cleaned_data.get("bestand")
        if not upload:
            return upload
        mime = validate_upload(upload, EVIDENCE, max_mb=settings.LEV_MAX_VIDEO_UPLOAD_MB)
        if mime not in VIDEO.mimes and upload.size > settings.LEV_MAX_UPLOAD_MB * 1024 * 1024:
            raise ValidationError(
                _("Het bestand is te groot (%(size).1f MB); het maximum is %(max)d MB."),
                code="too_large",
                params={"size": upload.size / 1024 / 1024, "max": settings.LEV_MAX_UPLOAD_MB},
            )
        self.mime = mime
        return upload

    def clean(self):
        data = super().clean()
        if bool(data.get("bestand")) == bool(data.get("link")) and not self.errors:
            raise ValidationError(_("Voeg een bestand óf een link toe."))
        return data


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args, labels=None, **kwargs):
        self.labels = labels or {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        role = self.labels.get(obj.pk)
        return f"{obj.get_full_name()} ({role})" if role else obj.get_full_name()


class FeedbackRequestForm(forms.Form):
    people = PersonChoiceField(
        label=_("Wie vraag je om feedback?"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    vraag = forms.CharField(
        label=_("Je vraag"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Waar wil je feedback op?"),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        from portal.models import User

        self.fields["people"].queryset = User.objects.filter(pk__in=[u.pk for u, _r in candidates])
        self.fields["people"].labels = {u.pk: str(r) for u, r in candidates}
        self.helper = _helper(_("Feedback vragen"))


class FeedbackForm(forms.Form):
    tekst = forms.CharField(label=_("Bericht"), widget=forms.Textarea(attrs={"rows": 3}))
    antwoord_op = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit_label or _("Plaatsen"))


class AssessorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class ProevePlanForm(forms.Form):
    datum = forms.DateTimeField(
        label=_("Datum en tijd"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    locatie = forms.CharField(label=_("Locatie"), max_length=200, required=False)
    veldassessor = AssessorChoiceField(label=_("Veldassessor"), queryset=None)
    opleidingsassessor = AssessorChoiceField(label=_("Opleidingsassessor"), queryset=None)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, pool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["veldassessor"].queryset = pool
        self.fields["opleidingsassessor"].queryset = pool
        self.helper = _helper(_("Plannen"))

    def clean_datum(self):
        # A year such as 0001 passes the field but cannot be stored or shown in UTC
        # (OverflowError, a 500); no Proeve lies ten years away.
        datum = self.cleaned_data["datum"]
        if abs((datum.date() - timezone.localdate()).days) > 10 * 366:
            raise ValidationError(_("Kies een datum binnen tien jaar van vandaag."))
        return datum

    def clean(self):
        data = super().clean()
        veld, opleiding = data.get("veldassessor"), data.get("opleidingsassessor")
        if veld and opleiding and veld.pk == opleiding.pk:
            self.add_error(
                "opleidingsassessor",
                _("De veldassessor en de opleidingsassessor moeten verschillende personen zijn."),
            )
        return data


class _RubricForm(forms.Form):
    """A level and a motivation per indicator (fields niveau_<id>, motivatie_<id>)."""

    def __init__(self, *args, eisen, **kwargs):
        super().__init__(*args, **kwargs)
        self.eisen = list(eisen)
        for eis in self.eisen:
            self.fields[f"niveau_{eis.pk}"] = forms.TypedChoiceField(
                label=_("Niveau"),
                choices=[("", "—"), *Niveau.choices],
                coerce=int,
                required=False,
                empty_value=None,
            )
            self.fields[f"motivatie_{eis.pk}"] = forms.CharField(
                label=_("Motivering"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def rows(self):
        for eis in self.eisen:
            yield eis, self[f"niveau_{eis.pk}"], self[f"motivatie_{eis.pk}"]

    def regels(self) -> dict:
        return {
            eis.pk: (
                self.cleaned_data.get(f"niveau_{eis.pk}"),
                self.cleaned_data.get(f"motivatie_{eis.pk}", ""),
            )
            for eis in self.eisen
        }

    def require_complete(self):
        for eis in self.eisen:
            if self.cleaned_data.get(f"niveau_{eis.pk}") is None:
                self.add_error(f"niveau_{eis.pk}", _("Kies een niveau."))
            if not (self.cleaned_data.get(f"motivatie_{eis.pk}") or "").strip():
                self.add_error(f"motivatie_{eis.pk}", _("Geef een motivering."))


class BeoordelingForm(_RubricForm):
    toelichting = forms.CharField(
        label=_("Algemene toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        self.record = "vastleggen" in self.data
        if self.record:
            self.require_complete()
        return data


class OordeelForm(_RubricForm):
    uitslag = forms.ChoiceField(
        label=_("Uitslag"), choices=Uitslag.choices, widget=forms.RadioSelect
    )
    motivatie = forms.CharField(
        label=_("Motivering van de uitslag"), widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        self.require_complete()
        return data


class SignForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    akkoord = forms.BooleanField(
        label=_("Ik heb het gezamenlijke oordeel gelezen en onderteken het."), required=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Ondertekenen"))


class AddendumForm(forms.Form):
    tekst = forms.CharField(
        label=_("Addendum"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Een correctie of aanvulling; het oordeel zelf blijft ongewijzigd."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Addendum toevoegen"))

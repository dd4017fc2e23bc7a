"""Forms of trajecten: validation and crispy layout only; the writes are in services."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import User
from portal.uploads import DOCUMENTS, PDF, validate_upload

from .models import (
    Activiteit,
    Bekwaamheidsgebied,
    Geschiktheidsonderzoek,
    Ontwikkelpunt,
    Rol,
    Stage,
    Traject,
)

ATTACHMENT_MAX_MB = 20


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _helper(submit_label=None, form_tag=True, name="submit") -> FormHelper:
    """`name`: the button's name (and id); give each form on one page its own."""
    helper = FormHelper()
    helper.form_tag = form_tag
    if submit_label:
        helper.add_input(Submit(name, submit_label))
    return helper


class VersionMixin(forms.Form):
    """The version the form was built on, for optimistic locking."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


# --- geschiktheidsonderzoek -----------------------------------------------------------------


class OnderzoekForm(VersionMixin, forms.ModelForm):
    rapport = forms.FileField(
        label=_("Rapport (PDF)"),
        required=False,
        help_text=_("Het rapport van het geschiktheidsonderzoek, als PDF (hoogstens %(mb)d MB).")
        % {"mb": ATTACHMENT_MAX_MB},
    )

    class Meta:
        model = Geschiktheidsonderzoek
        fields = [
            "datum",
            "uitkomst",
            "kan_direct_lesgeven",
            "kan_binnen_twee_jaar",
            "scholing_en_ondersteuning",
        ]
        widgets = {
            "datum": DateInput(),
            "uitkomst": forms.RadioSelect,
            "kan_direct_lesgeven": forms.Textarea(attrs={"rows": 3}),
            "kan_binnen_twee_jaar": forms.Textarea(attrs={"rows": 3}),
            "scholing_en_ondersteuning": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "uitkomst": _("Een negatieve uitkomst beëindigt het traject (status gestopt)."),
        }

    def __init__(self, *args, traject: Traject, **kwargs):
        super().__init__(*args, **kwargs)
        self.traject = traject
        self.fields["uitkomst"].choices = Geschiktheidsonderzoek.Uitkomst.choices
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.helper = _helper(form_tag=False)

    def clean_datum(self):
        datum = self.cleaned_data["datum"]
        if datum > timezone.localdate():
            raise forms.ValidationError(_("De datum van het onderzoek ligt in de toekomst."))
        if datum > self.traject.end_date:
            raise forms.ValidationError(_("De datum ligt na de einddatum van het traject."))
        return datum

    def clean_rapport(self):
        rapport = self.cleaned_data.get("rapport")
        if rapport:
            validate_upload(rapport, kinds=(PDF,), max_mb=ATTACHMENT_MAX_MB)
        return rapport


class OntwikkelpuntForm(forms.ModelForm):
    class Meta:
        model = Ontwikkelpunt
        fields = ["gebied", "titel", "omschrijving"]
        widgets = {"omschrijving": forms.Textarea(attrs={"rows": 2})}
        labels = {"gebied": _("Gebied van de bekwaamheidseisen")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gebied"].queryset = Bekwaamheidsgebied.objects.order_by("order")
        self.fields["gebied"].empty_label = _("— kies een gebied —")


def ontwikkelpunt_formset(traject: Traject, data=None, extra: int = 1):
    factory = forms.modelformset_factory(
        Ontwikkelpunt, form=OntwikkelpuntForm, extra=extra, can_delete=True
    )
    return factory(
        data,
        queryset=Ontwikkelpunt.objects.filter(traject=traject).select_related("gebied"),
        prefix="punt",
    )


def ontwikkelpunt_items(formset) -> list[dict]:
    """What the ontwikkelpunt formset says, for the service."""
    items = []
    for form in formset.forms:
        if not form.has_changed() and form.instance.pk is None:
            continue
        cleaned = form.cleaned_data
        items.append(
            {
                "id": form.instance.pk,
                "delete": cleaned.get("DELETE", False),
                "gebied": cleaned.get("gebied"),
                "titel": cleaned.get("titel", ""),
                "omschrijving": cleaned.get("omschrijving", ""),
            }
        )
    return items


# --- scholingsplan --------------------------------------------------------------------------


class PlanversieForm(VersionMixin):
    toelichting = forms.CharField(
        label=_("Wat verandert er en waarom?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verplicht vanaf versie 2; de partijen lezen dit bij hun instemming."),
    )


class ActiviteitForm(forms.ModelForm):
    ondersteuning = forms.MultipleChoiceField(
        label=_("Ondersteuning"),
        choices=Activiteit.Ondersteuning.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Activiteit
        fields = ["ontwikkelpunt", "omschrijving", "ondersteuning", "periode_van", "periode_tot"]
        widgets = {"periode_van": DateInput(), "periode_tot": DateInput()}

    def __init__(self, *args, traject: Traject, **kwargs):
        super().__init__(*args, **kwargs)
        self.traject = traject
        self.fields["ontwikkelpunt"].queryset = Ontwikkelpunt.objects.filter(
            traject=traject
        ).select_related("gebied")
        self.fields["ontwikkelpunt"].empty_label = _("— kies een ontwikkelpunt —")

    def clean(self):
        cleaned = super().clean()
        van, tot = cleaned.get("periode_van"), cleaned.get("periode_tot")
        if van and tot:
            if tot < van:
                self.add_error("periode_tot", _("De periode eindigt vóór ze begint."))
            if van < self.traject.start_date:
                self.add_error(
                    "periode_van",
                    _("Ligt vóór de start van het traject (%(d)s).")
                    % {"d": f"{self.traject.start_date:%d-%m-%Y}"},
                )
            if tot > self.traject.end_date:
                self.add_error(
                    "periode_tot",
                    _("Ligt na de einddatum van het traject (%(d)s).")
                    % {"d": f"{self.traject.end_date:%d-%m-%Y}"},
                )
        return cleaned


def activiteit_formset(versie, traject: Traject, data=None, extra: int = 0, initial=None):
    factory = forms.modelformset_factory(
        Activiteit, form=ActiviteitForm, extra=extra, can_delete=True
    )
    return factory(
        data,
        queryset=versie.activiteiten.select_related("ontwikkelpunt").order_by(
            "ontwikkelpunt__order", "ontwikkelpunt_id", "order", "pk"
        ),
        prefix="act",
        form_kwargs={"traject": traject},
        initial=initial,
    )


def activiteit_items(formset) -> list[dict]:
    items = []
    for form in formset.forms:
        if not form.has_changed() and form.instance.pk is None:
            continue
        cleaned = form.cleaned_data
        items.append(
            {
                "id": form.instance.pk,
                "delete": cleaned.get("DELETE", False),
                "ontwikkelpunt": cleaned.get("ontwikkelpunt"),
                "omschrijving": cleaned.get("omschrijving", ""),
                "ondersteuning": cleaned.get("ondersteuning") or [],
                "periode_van": cleaned.get("periode_van"),
                "periode_tot": cleaned.get("periode_tot"),
            }
        )
    return items


class OpmerkingForm(forms.Form):
    tekst = forms.CharField(
        label=_("Opmerking of voorstel"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Opmerking plaatsen"))


# --- logboek --------------------------------------------------------------------------------


class LogboekregelForm(VersionMixin, forms.Form):
    datum = forms.DateField(label=_("Datum"), widget=DateInput())
    wat_er_gebeurde = forms.CharField(
        label=_("Wat gebeurde er?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=8000
    )
    geleerd = forms.CharField(
        label=_("Wat heb ik geleerd?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=8000,
    )
    ontwikkelpunten = forms.ModelMultipleChoiceField(
        label=_("Ontwikkelpunten"),
        queryset=Ontwikkelpunt.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    bijlage = forms.FileField(
        label=_("Bijlage"),
        required=False,
        help_text=_("PDF, afbeelding of Office-document, hoogstens %(mb)d MB.")
        % {"mb": ATTACHMENT_MAX_MB},
    )
    bijlage_verwijderen = forms.BooleanField(label=_("Huidige bijlage verwijderen"), required=False)

    def __init__(self, *args, traject: Traject, regel=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.traject = traject
        self.fields["ontwikkelpunten"].queryset = Ontwikkelpunt.objects.filter(
            traject=traject
        ).select_related("gebied")
        self.fields["ontwikkelpunten"].label_from_instance = lambda p: p.titel
        if regel is None:
            del self.fields["bijlage_verwijderen"]
            self.fields["datum"].initial = timezone.localdate()
        else:
            if not regel.bijlage:
                del self.fields["bijlage_verwijderen"]
            self.fields["version"].initial = regel.version
        self.helper = _helper(form_tag=False)

    def clean_datum(self):
        datum = self.cleaned_data["datum"]
        if datum > timezone.localdate():
            raise forms.ValidationError(_("De datum ligt in de toekomst."))
        if datum < self.traject.start_date:
            raise forms.ValidationError(
                _("De datum ligt vóór de start van het traject (%(d)s).")
                % {"d": f"{self.traject.start_date:%d-%m-%Y}"}
            )
        return datum

    def clean_bijlage(self):
        bijlage = self.cleaned_data.get("bijlage")
        if bijlage:
            validate_upload(bijlage, kinds=DOCUMENTS, max_mb=ATTACHMENT_MAX_MB)
        return bijlage


class ReactieForm(forms.Form):
    tekst = forms.CharField(
        label=_("Reactie"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Reactie plaatsen"))


class TimelineFilterForm(forms.Form):
    ontwikkelpunt = forms.ModelChoiceField(
        label=_("Ontwikkelpunt"),
        queryset=Ontwikkelpunt.objects.none(),
        required=False,
        empty_label=_("Alle ontwikkelpunten"),
    )
    van = forms.DateField(label=_("Van"), required=False, widget=DateInput())
    tot = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput())

    def __init__(self, *args, traject: Traject, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ontwikkelpunt"].queryset = Ontwikkelpunt.objects.filter(traject=traject)
        self.fields["ontwikkelpunt"].label_from_instance = lambda p: p.titel

    def clean(self):
        cleaned = super().clean()
        van, tot = cleaned.get("van"), cleaned.get("tot")
        if van and tot and tot < van:
            self.add_error("tot", _("Deze datum ligt vóór de begindatum."))
        return cleaned


# --- people and import ----------------------------------------------------------------------


class RolWijzigenForm(forms.Form):
    rol = forms.ChoiceField(
        label=_("Rol"),
        choices=[(r.value, r.label) for r in (Rol.COACH, Rol.SLB, Rol.DUO)],
    )
    email = forms.EmailField(
        label=_("E-mailadres van de nieuwe persoon"),
        required=False,
        help_text=_(
            "De persoon moet al een account hebben. Leeg laten bij de duo-collega "
            "maakt die rol vacant."
        ),
    )

    def __init__(self, *args, traject: Traject, **kwargs):
        super().__init__(*args, **kwargs)
        self.traject = traject
        self.user = None
        self.helper = _helper(_("Rol wijzigen"))

    def clean(self):
        cleaned = super().clean()
        rol, email = cleaned.get("rol"), cleaned.get("email")
        if not rol or "email" in self.errors:
            return cleaned
        if not email:
            if rol != Rol.DUO:
                self.add_error("email", _("Een leerkrachtcoach en SLB zijn verplicht."))
            return cleaned
        user = User.objects.filter(email__iexact=email).first()
        if user is None or not user.is_active:
            self.add_error("email", _("Er is geen actief account met dit e-mailadres."))
        elif user.pk == self.traject.zij_instromer_id:
            self.add_error("email", _("De zij-instromer kan geen begeleider van zichzelf zijn."))
        elif getattr(self.traject, f"{rol}_id") == user.pk:
            self.add_error("email", _("Deze persoon heeft deze rol al."))
        self.user = user
        return cleaned


class VerlengenForm(forms.Form):
    """A recorded extension: until when, why, and who agreed."""

    tot = forms.DateField(label=_("Nieuwe einddatum"), widget=DateInput())
    reden = forms.CharField(
        label=_("Reden"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Bijvoorbeeld: ziekte, zwangerschapsverlof, een herkansing van de Proeve."),
    )
    akkoord = forms.CharField(
        label=_("Akkoord van"),
        max_length=300,
        help_text=_("Wie stemden in, bijvoorbeeld de schoolleider en de opleiding."),
    )

    def __init__(self, *args, traject: Traject, **kwargs):
        super().__init__(*args, prefix="verlengen", **kwargs)
        self.traject = traject
        self.helper = _helper(_("Verlenging vastleggen"), form_tag=False, name="verlengen")

    def clean_tot(self):
        tot = self.cleaned_data["tot"]
        if tot <= self.traject.end_date:
            raise forms.ValidationError(
                _("De nieuwe einddatum moet na de huidige einddatum (%(d)s) liggen.")
                % {"d": f"{self.traject.end_date:%d-%m-%Y}"}
            )
        return tot


class SchoolWijzigenForm(forms.Form):
    """Another school for the traject, among the schools the coordinator may choose."""

    school = forms.ModelChoiceField(label=_("Nieuwe school"), queryset=None)

    def __init__(self, *args, traject: Traject, schools, **kwargs):
        super().__init__(*args, prefix="school", **kwargs)
        self.fields["school"].queryset = schools.exclude(pk=traject.school_id).order_by(
            "name", "pk"
        )
        self.helper = _helper(_("School wijzigen"), form_tag=False, name="school")


class StoppenForm(forms.Form):
    """Stopping a traject early: a reason, and a confirmation (it cannot be undone)."""

    reden = forms.CharField(
        label=_("Reden"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Komt in de audittrail en is zichtbaar voor wie het traject ziet."),
    )
    bevestig = forms.BooleanField(
        label=_("Ik begrijp dat een gestopt traject niet kan worden hervat."), required=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="stoppen", **kwargs)
        self.helper = _helper(_("Traject stoppen"), form_tag=False, name="stoppen")
        self.helper.inputs[0].field_classes = "btn btn-danger"


class ImportForm(forms.Form):
    bestand = forms.FileField(
        label=_("CSV-bestand"),
        help_text=_("Opgeslagen als CSV (puntkomma of komma als scheidingsteken), hoogstens 2 MB."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Controleren en importeren"))

    def clean_bestand(self):
        bestand = self.cleaned_data["bestand"]
        name = (bestand.name or "").lower()
        if not name.endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Kies een CSV-bestand (.csv)."))
        if bestand.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("Het bestand is te groot (hoogstens 2 MB)."))
        return bestand


class TrajectFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoek op naam"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alle statussen")), *Traject.Status.choices],
    )
    fase = forms.ChoiceField(
        label=_("Fase"), required=False, choices=[("", _("Alle fasen")), *Stage.choices]
    )
    # Choices of (id, name) rather than a ModelChoiceField: a partnership has over a
    # thousand schools, and model instances for each cost more than the list itself.
    school = forms.TypedChoiceField(label=_("School"), required=False, coerce=int, empty_value=None)
    eindigt_binnenkort = forms.BooleanField(label=_("Eindigt binnen zes maanden"), required=False)

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        if schools is not None:
            self.fields["school"].choices = [
                ("", _("Alle scholen")),
                *((str(pk), name) for pk, name in schools.values_list("pk", "name")),
            ]
        else:
            del self.fields["school"]

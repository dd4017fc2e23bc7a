"""Forms of the portal core: personal settings."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import User

# Kinds of mail a person may switch off. Invitations and password mails always go out.
MAIL_KINDS = [
    ("herinnering_voorbereiding", _("Herinnering: gesprek voorbereiden")),
    ("herinnering_verslag", _("Herinnering: verslag ondertekenen")),
    ("herinnering_afspraak", _("Herinnering: afspraak over de vervaldatum")),
    ("digest_slb", _("Wekelijks overzicht van komende gesprekken (SLB)")),
    ("feedback", _("Feedbackverzoeken en feedback")),
    ("onderzoeksopdracht", _("Nieuwe onderzoeksopdrachten")),
    ("logboek", _("Reacties op logboekregels")),
    ("scholingsplan", _("Scholingsplan ter instemming")),
    ("proeve", _("Proeve van bekwaamheid")),
]


class SettingsForm(forms.ModelForm):
    mail_kinds = forms.MultipleChoiceField(
        label=_("Deze e-mails wil ik ontvangen"),
        choices=MAIL_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Meldingen in het portaal blijven altijd zichtbaar."),
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        muted = set(self.instance.muted_mail_kinds or [])
        self.fields["mail_kinds"].initial = [k for k, _label in MAIL_KINDS if k not in muted]
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Opslaan")))

    @property
    def muted_kinds(self) -> list[str]:
        wanted = set(self.cleaned_data.get("mail_kinds") or [])
        return [k for k, _label in MAIL_KINDS if k not in wanted]


class PersonAddForm(forms.Form):
    # As long as the account's column: the validator allows 320 characters, and PostgreSQL
    # refused a longer address with a 500.
    email = forms.EmailField(label=_("E-mailadres"), max_length=254)
    first_name = forms.CharField(label=_("Voornaam"), max_length=150)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150)
    language = forms.ChoiceField(
        label=_("Taal"), choices=User.Language.choices, initial=User.Language.NL
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Toevoegen en uitnodigen")))


class PersonRolesForm(forms.Form):
    schools = forms.ModelMultipleChoiceField(
        label=_("Schoolleider van"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    docent = forms.BooleanField(label=_("Moduledocent"), required=False)
    assessor = forms.BooleanField(label=_("Assessor (veld of opleiding)"), required=False)
    coordinator = forms.BooleanField(label=_("Coördinator partnerschap"), required=False)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = schools
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Rollen opslaan")))


class StartbijeenkomstForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    cohort_start = forms.DateField(
        label=_("Start van het cohort"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "Uitgenodigd worden de schoolleiders en coaches van de zij-instromers die "
            "in deze maand starten."
        ),
    )
    starts_at = forms.DateTimeField(
        label=_("Begint om"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Eindigt om"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    location = forms.CharField(label=_("Plaats of videolink"), max_length=300)
    description = forms.CharField(
        label=_("Programma"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template writes the form (with a one-time token)
        self.helper.add_input(Submit("submit", _("Plannen en uitnodigen")))

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        # A year such as 0001 passes the field but cannot be stored or shown in UTC
        # (OverflowError, a 500); no start meeting lies ten years away.
        today = timezone.localdate()
        for name in ("starts_at", "ends_at"):
            value = data.get(name)
            if value and abs((value.date() - today).days) > 10 * 366:
                self.add_error(name, _("Kies een datum binnen tien jaar van vandaag."))
                start = end = None
        if start and end and end <= start:
            self.add_error("ends_at", _("De eindtijd moet na de begintijd liggen."))
        return data


class ScholingForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Coach of SLB"), queryset=None)
    soort = forms.ChoiceField(label=_("Soort"), choices=())
    datum = forms.DateField(
        label=_("Datum afgerond"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, people, **kwargs):
        from .models import Scholing

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people
        self.fields["soort"].choices = Scholing.Soort.choices
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Vastleggen")))

    def clean_datum(self):
        datum = self.cleaned_data["datum"]
        if datum > timezone.localdate():
            raise forms.ValidationError(_("Een datum in de toekomst kan nog niet afgerond zijn."))
        return datum


class RolbeschrijvingForm(forms.Form):
    body_nl = forms.CharField(
        label=_("Beschrijving (Nederlands)"), widget=forms.Textarea(attrs={"rows": 10})
    )
    body_en = forms.CharField(
        label=_("Beschrijving (Engels)"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Opslaan")))

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.no import orgnr

from brobygger.accounts.models import IpsService, Municipality, Organisation
from brobygger.rules import bounds


class LoginForm(AuthenticationForm):
    """Django's login form, with the user name's length enforced: Django sets it only on the widget, and the lockout
    library stores every tried name in a column of 255 characters, which a longer name overflows."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].validators.append(
            MaxLengthValidator(
                bounds.USERNAME_MAX_LENGTH,
                _("Brukernavnet kan ikke være lengre enn %(limit_value)d tegn."),
            )
        )


class MunicipalityNumberField(forms.CharField):
    """A municipality given by its four-digit number, which must exist today."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 4)
        kwargs.setdefault("min_length", 4)
        super().__init__(**kwargs)

    def clean(self, value):
        number = super().clean(value)
        if not number:
            return None
        municipality = Municipality.objects.valid_on(timezone.localdate()).filter(number=number).first()
        if municipality is None:
            raise forms.ValidationError(
                _("Kommunenummeret %(number)s finnes ikke."),
                code="unknown_municipality",
                params={"number": number},
            )
        return municipality


class OrganisationForm(forms.ModelForm):
    municipality = MunicipalityNumberField(
        label=_("Kommunenummer"), required=False, help_text=_("Fire siffer, f.eks. 0301.")
    )

    class Meta:
        model = Organisation
        fields = ["name", "orgnr", "org_type", "municipality"]
        error_messages = {
            "orgnr": {"unique": _("En organisasjon med dette organisasjonsnummeret er allerede registrert.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.municipality_id:
            self.initial["municipality"] = self.instance.municipality.number

    def clean_orgnr(self) -> str:
        return orgnr.compact(self.cleaned_data["orgnr"])


class IpsServiceForm(forms.ModelForm):
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Kommuner tilbudet dekker"),
        queryset=Municipality.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = IpsService
        fields = [
            "name",
            "owners",
            "anchoring",
            "health_region",
            "municipalities",
            "offers_ips_ung",
            "start_date",
        ]
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = Municipality.objects.valid_on(timezone.localdate()).select_related(
            "county"
        )


class SecondFactorForm(forms.Form):
    token = forms.CharField(
        label=_("Kode"),
        max_length=20,
        help_text=_("Den sekssifrede koden fra autentiseringsappen, eller en av gjenopprettingskodene dine."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


class SecondFactorEnrolForm(forms.Form):
    token = forms.CharField(
        label=_("Kode fra appen"),
        max_length=10,
        help_text=_("Skriv inn den sekssifrede koden appen viser etter at du har lagt til Brobygger."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Språk"), choices=settings.LANGUAGES)
    daily_digest = forms.BooleanField(
        label=_("Send meg en e-post hver morgen med varslene i saksoversikten"),
        required=False,
        help_text=_("E-posten sier hvor mange varsler av hvert slag du har, med lenke hit; ingen navn."),
    )

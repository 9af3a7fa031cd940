"""Forms for the payment pages. They parse input only; the rules live in payments.py and access.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from brobygger.accounts.models import Organisation
from brobygger.fields import DateField
from brobygger.grants.forms import applicant_organisations, kroner_field
from brobygger.grants.models import Decision, Overpayment, RecipientChange
from brobygger.widgets import DateInput, RadioSelect, Textarea


def _date(label, **kwargs) -> DateField:
    return DateField(label=label, widget=DateInput(), **kwargs)


def _reason(label) -> forms.CharField:
    return forms.CharField(label=label, widget=Textarea({"rows": 3}), max_length=10000)


class CommitmentForm(forms.Form):
    instalments = forms.IntegerField(
        label=_("Antall utbetalinger"),
        min_value=1,
        max_value=12,
        initial=1,
        help_text=_("Som vedtaket sier: én gang, eller i like store deler gjennom året (1 til 12)."),
        error_messages={
            "min_value": _("Antall utbetalinger må være fra 1 til 12."),
            "max_value": _("Antall utbetalinger må være fra 1 til 12."),
        },
    )
    first_due = _date(_("Første forfall"))


class RecipientChangeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hva vil dere endre?"), choices=RecipientChange.Kind.choices, widget=RadioSelect)
    value = forms.CharField(
        label=_("Ny verdi"),
        max_length=300,
        help_text=_("Kontonummer: 11 siffer. Organisasjonsnummer: 9 siffer. Adresse: hele postadressen."),
    )


class RejectForm(forms.Form):
    reason = _reason(_("Hvorfor avvises endringen?"))


class OverpaymentForm(forms.Form):
    amount = kroner_field(_("Ubrukt beløp (kr)"))
    handling = forms.ChoiceField(label=_("Behandling"), choices=Overpayment.Handling.choices, widget=RadioSelect)
    due_date = _date(_("Betalingsfrist"), required=False, help_text=_("Bare når beløpet kreves tilbakebetalt."))
    reference = forms.CharField(
        label=_("Grunnlag"), max_length=200, required=False, help_text=_("For eksempel «Regnskap for 2025».")
    )


class RepaymentForm(forms.Form):
    received_on = _date(_("Mottatt"))
    amount = kroner_field(_("Beløp (kr)"))


class PaymentStopForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Mottaker"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Velg enten en mottaker eller ett vedtak."),
    )
    decision = forms.ModelChoiceField(label=_("Vedtak"), queryset=Decision.objects.none(), required=False)
    reason = _reason(_("Grunn"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = applicant_organisations()
        self.fields["decision"].queryset = Decision.objects.filter(commitment__isnull=False).select_related(
            "application__organisation"
        )


class LiftForm(forms.Form):
    reason = _reason(_("Hvorfor oppheves betalingsstansen?"))

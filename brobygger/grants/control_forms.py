"""Forms for the control pages. They parse input only; what the regulation allows is in ``grants.control``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from brobygger.grants.control import CONTROL_REFERENCE
from brobygger.grants.forms import _date, _text, kroner_field
from brobygger.grants.models import ControlCase, Decision, Finding, Sanction
from brobygger.grants.services import MAX_ATTACHMENT_BYTES
from brobygger.widgets import RadioSelect


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Decision) -> str:
        application = obj.application
        return f"{application.organisation} – {application.call.year}: {application.title} ({int(obj.total)} kr)"


class ControlCaseForm(forms.Form):
    decision = DecisionChoiceField(
        label=_("Tilskuddet som kontrolleres"),
        queryset=Decision.objects.filter(status=Decision.Status.NOTIFIED, total__gt=0).select_related(
            "application__organisation", "application__call"
        ),
    )
    basis = forms.ChoiceField(label=_("Grunnlag"), choices=ControlCase.Basis.choices, widget=RadioSelect)
    suspicion_reason = _text(_("Hva mistanken gjelder"), required=False, help_text=_("Bare ved mistanke."))


class DocumentRequestForm(forms.Form):
    description = forms.CharField(label=_("Hvilket dokument etterspørres"), max_length=300)
    due_on = _date(_("Frist"))


class DocumentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("PDF-fil"),
        help_text=_("Bare PDF, høyst 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(_("Vedlegget er for stort. Største tillatte størrelse er 10 MB."))
        return upload


class FindingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type funn"), choices=Finding.Kind.choices, widget=RadioSelect)
    text = _text(_("Hva kontrollen fant"), rows=4)
    reference = forms.CharField(
        label=_("Hjemmel"),
        max_length=300,
        initial=CONTROL_REFERENCE,
        help_text=_("Punktet i regelverket eller tilskuddsbrevet funnet gjelder."),
    )


class SanctionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Reaksjon"), choices=Sanction.Kind.choices, widget=RadioSelect)
    reasons = _text(_("Begrunnelse"), rows=4)
    amount = kroner_field(_("Beløp som kreves tilbake (kr)"), required=False)
    repayment_due = _date(_("Betalingsfrist"), required=False, help_text=_("Bare ved krav om tilbakebetaling."))
    bar_from_year = forms.IntegerField(
        label=_("Utestengt fra og med år"), required=False, min_value=2000, max_value=2100
    )
    bar_to_year = forms.IntegerField(
        label=_("Utestengt til og med år"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Bare ved utestengelse."),
    )


class ConclusionForm(forms.Form):
    conclusion = _text(_("Konklusjon"), rows=4)

from django import forms
from django.utils.translation import gettext_lazy as _

from brobygger.participants.forms import IdentityNumberField


class AccessReportForm(forms.Form):
    identity_number = IdentityNumberField(help_text=_("Personen som ber om innsyn. 11 siffer."))


class RetentionRunForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Jeg har sett listen og vil anonymisere disse personene nå. Det kan ikke angres."), required=True
    )

from django import forms
from django.utils.translation import gettext_lazy as _

from brobygger.audit.models import AuditEvent


class AuditSearchForm(forms.Form):
    LOGS = [("events", _("Revisjonsspor (endringer)")), ("access", _("Innsynslogg (lesing)"))]

    log = forms.ChoiceField(label=_("Logg"), choices=LOGS, initial="events", required=False)
    actor = forms.CharField(label=_("Brukernavn"), required=False, max_length=150)
    object_type = forms.CharField(label=_("Objekttype"), required=False, max_length=100)
    object_id = forms.CharField(label=_("Objekt-id"), required=False, max_length=64)
    action = forms.ChoiceField(
        label=_("Handling"), required=False, choices=[("", _("Alle")), *list(AuditEvent.Action.choices)]
    )
    date_from = forms.DateField(label=_("Fra dato"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Til dato"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_to"] < cleaned["date_from"]:
            self.add_error("date_to", _("Til-datoen kan ikke være før fra-datoen."))
        return cleaned

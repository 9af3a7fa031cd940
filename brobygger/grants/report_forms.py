"""Forms for the annual report pages. They parse input only; the rules live in annual_reports.py and access.py."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from brobygger.grants import annual_reports
from brobygger.grants.forms import kroner_field
from brobygger.grants.models import AnnualReport, Application
from brobygger.grants.models.reports import MAX_FIGURE
from brobygger.widgets import Textarea


class ReportForm(forms.Form):
    """Every answer of one report on one page: the figures per measure (a changed pre-filled figure with its
    reason), the accounts per budget line, and the goal achievement narrative."""

    goal_achievement = forms.CharField(
        label=_("Måloppnåelse"),
        help_text=_(
            "Deres vurdering av tiltakene som er gjennomført, og hvordan og i hvilken grad de har bidratt til "
            "målene for tilskuddsordningen (regelverket pkt. 1 og 6)."
        ),
        required=False,
        max_length=20000,
        widget=Textarea({"rows": 6}),
    )

    def __init__(self, *args, report: AnnualReport, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.fields["goal_achievement"].initial = report.goal_achievement
        self.figure_rows = []
        for figure in report.figures.all():
            question = annual_reports.QUESTION_BY_KEY[(figure.measure, figure.key)]
            name = f"figure_{figure.pk}"
            if question.kind == annual_reports.TEXT:
                self.fields[name] = forms.CharField(
                    label=question.label, required=False, max_length=10000, widget=Textarea(), initial=figure.text
                )
                self.figure_rows.append((figure, question, name, None))
                continue
            self.fields[name] = forms.DecimalField(
                label=question.label,
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(MAX_FIGURE),
                max_digits=10,
                decimal_places=1,
                initial=figure.value,
                help_text=_("Forhåndsutfylt: %(value)s") % {"value": figure.prefilled}
                if figure.prefilled is not None
                else "",
                error_messages={"invalid": _("Skriv et tall."), "min_value": _("Tallet kan ikke være negativt.")},
            )
            reason = None
            if figure.prefilled is not None:
                reason = f"reason_{figure.pk}"
                self.fields[reason] = forms.CharField(
                    label=_("Grunn til at tallet er endret: %(question)s") % {"question": question.label},
                    required=False,
                    max_length=2000,
                    initial=figure.reason,
                )
            self.figure_rows.append((figure, question, name, reason))
        self.account_rows = []
        for line in report.account_lines.select_related("budget_line"):
            spent, note = f"spent_{line.pk}", f"note_{line.pk}"
            self.fields[spent] = kroner_field(
                _("Regnskap: %(line)s, tiltak %(measure)s (budsjett %(amount)s kr)")
                % {
                    "line": line.budget_line.description,
                    "measure": line.budget_line.measure,
                    "amount": line.budget_line.amount,
                },
                required=False,
            )
            self.fields[spent].initial = line.spent
            self.fields[note] = forms.CharField(
                label=_("Merknad til regnskapslinjen"), required=False, max_length=500, initial=line.note
            )
            self.account_rows.append((line, spent, note))

    def figures(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {
            figure.pk: {"text": data.get(name)}
            if question.kind == annual_reports.TEXT
            else {"value": data.get(name), "reason": data.get(reason) if reason else ""}
            for figure, question, name, reason in self.figure_rows
        }

    def accounts(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {line.pk: {"spent": data.get(spent), "note": data.get(note)} for line, spent, note in self.account_rows}


class CoveredServiceForm(forms.Form):
    measure = forms.ChoiceField(label=_("Tiltak"))
    service = forms.ModelChoiceField(label=_("IPS-tilbud"), queryset=None, empty_label=None)

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [
            (row.measure, row.get_measure_display()) for row in application.measures.all()
        ]
        self.fields["service"].queryset = annual_reports.coverable_services(application).order_by("name")

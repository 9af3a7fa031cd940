"""The statistics filters (period and level) and the form for the IPS ung trial's goals."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brobygger.reporting.models import IpsUngGoal
from brobygger.reporting.periods import Level, PeriodKind, ReportingPeriod

YEARS_BACK = 10


def period_choices(today: date, kinds: tuple[str, ...] = ("year", "quarter", "month")) -> list:
    """Recent periods, newest first, grouped by kind: ten years, twelve quarters, twenty-four months."""
    groups = []
    if "year" in kinds:
        years = [ReportingPeriod.for_year(today.year - n) for n in range(YEARS_BACK + 1)]
        groups.append((str(PeriodKind.YEAR.label), [(p.slug, p.label) for p in years]))
    if "quarter" in kinds:
        current = ReportingPeriod.containing(PeriodKind.QUARTER, today)
        groups.append(
            (str(PeriodKind.QUARTER.label), [(current.shift(-n).slug, current.shift(-n).label) for n in range(12)])
        )
    if "month" in kinds:
        current = ReportingPeriod.containing(PeriodKind.MONTH, today)
        groups.append(
            (str(PeriodKind.MONTH.label), [(current.shift(-n).slug, current.shift(-n).label) for n in range(24)])
        )
    return groups


def default_year(today: date) -> ReportingPeriod:
    """Reports are per calendar year, due 1 April the year after: the last complete year."""
    return ReportingPeriod.for_year(today.year - 1)


class FilterForm(forms.Form):
    periode = forms.ChoiceField(label=gettext_lazy("Periode"))
    niva = forms.ChoiceField(label=gettext_lazy("Nivå"))

    def __init__(self, data, *, today: date, levels: tuple[str, ...], kinds=("year", "quarter", "month")):
        super().__init__(data)
        self.fields["periode"].choices = period_choices(today, kinds)
        self.fields["niva"].choices = [(level, Level(level).label) for level in levels]
        self.fields["periode"].error_messages["invalid_choice"] = _("Velg en periode fra listen.")
        self.fields["niva"].error_messages["invalid_choice"] = _("Velg et nivå fra listen.")

    @property
    def period(self) -> ReportingPeriod:
        return ReportingPeriod.parse(self.cleaned_data["periode"])


class YearForm(forms.Form):
    periode = forms.ChoiceField(label=gettext_lazy("År"))

    def __init__(self, data, *, today: date):
        super().__init__(data)
        self.fields["periode"].choices = period_choices(today, ("year",))[0][1]
        self.fields["periode"].error_messages["invalid_choice"] = _("Velg et år fra listen.")

    @property
    def period(self) -> ReportingPeriod:
        return ReportingPeriod.parse(self.cleaned_data["periode"])


class GoalForm(forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = IpsUngGoal
        fields = ["year", "health_region", "age_group", "indicator", "target", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "year": {"required": gettext_lazy("Oppgi året målet gjelder.")},
            "indicator": {"required": gettext_lazy("Velg hva målet gjelder.")},
            "target": {"required": gettext_lazy("Oppgi forventet resultat.")},
            "description": {"required": gettext_lazy("Beskriv kriteriet og kilden.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["health_region"].choices = [("", _("Hele landet")), *self.fields["health_region"].choices[1:]]
        if self.instance.pk:
            self.fields["revision"].initial = self.instance.revision

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2021 <= year <= 2100:
            # The trial was commissioned in the 2021 allocation letter (seed 000).
            raise forms.ValidationError(
                _("Året må være 2021 eller senere: forsøket ble gitt i tildelingsbrevet for 2021.")
            )
        return year

    def clean(self):
        cleaned = super().clean()
        target, indicator = cleaned.get("target"), cleaned.get("indicator")
        if target is not None and target < 0:
            self.add_error("target", _("Forventet resultat kan ikke være negativt."))
        elif target is not None and indicator and indicator != IpsUngGoal.Indicator.PARTICIPANTS and target > 100:
            self.add_error("target", _("En andel kan ikke være mer enn 100 prosent."))
        return cleaned

    def validate_unique(self):
        # The service checks that a goal is the only one for its cell and answers with a field error.
        pass

    def validate_constraints(self):
        # The same: the checks are in clean() and the service, with messages that say what to do.
        pass

"""Forms for the fidelity pages. They parse input only; the rules live in services.py and access.py."""

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brobygger.accounts.models import IpsService, User
from brobygger.fidelity import access
from brobygger.fidelity.models import ActionItem, Review, Scale
from brobygger.fidelity.scales import MAX_SIZE
from brobygger.fields import TEXT_MAX_LENGTH, DateField, RevisionField
from brobygger.rules.dates import add_months
from brobygger.widgets import CheckboxSelectMultiple, DateInput, RadioSelect, Textarea


def _date(label, **kwargs) -> forms.DateField:
    return DateField(label=label, widget=DateInput(), **kwargs)


class ReviewerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.get_role_display()})"


class PeriodForm(forms.Form):
    review_date = _date(_("Dato for gjennomgangen"))
    period_start = _date(_("Perioden gjennomgangen gjelder, fra"))
    period_end = _date(_("Til og med"), help_text=_("Forslagene fra data regnes for denne perioden."))
    reviewers = ReviewerChoiceField(
        label=_("Gjennomgåere"),
        queryset=User.objects.none(),
        widget=CheckboxSelectMultiple,
        help_text=_("En ekstern gjennomgang må ha to gjennomgåere før den kan ferdigstilles."),
        error_messages={"required": _("Velg minst én gjennomgåer.")},
    )

    def __init__(self, *args, service: IpsService, review_type: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = access.eligible_reviewers(service, review_type)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Perioden kan ikke slutte før den begynner."))
        return cleaned


class ReviewCreateForm(PeriodForm):
    scale = forms.ModelChoiceField(label=_("Skala og versjon"), queryset=Scale.objects.none(), empty_label=None)

    field_order = ["scale", "review_date", "period_start", "period_end", "reviewers"]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scale"].queryset = Scale.objects.order_by("name", "-valid_from")
        today = timezone.localdate()
        self.initial.setdefault("review_date", today)
        self.initial.setdefault("period_end", today)
        self.initial.setdefault("period_start", add_months(today, -6) + timedelta(days=1))
        self.initial.setdefault("reviewers", [user.pk])


class ReviewEditForm(PeriodForm):
    summary = forms.CharField(
        max_length=TEXT_MAX_LENGTH, label=_("Oppsummering"), required=False, widget=Textarea(attrs={"rows": 5})
    )
    recommendations = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label=_("Anbefalinger"),
        required=False,
        widget=Textarea(attrs={"rows": 5}),
        help_text=_("Tiltakene med ansvarlig og frist føres i tiltaksplanen."),
    )
    revision = RevisionField(required=False)


class ScoreForm(forms.Form):
    """Every item of the review: its score (the anchors are the choices), the evidence and the data sources."""

    revision = RevisionField(required=False)

    def __init__(self, *args, review: Review, rows: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        sources = [(code, f"{code} – {name}") for code, name in review.scale.data_sources.items()]
        for row in rows:
            item, number = row.item, row.item.number
            self.initial.setdefault(f"score_{number}", "" if row.score is None else str(row.score))
            self.initial.setdefault(f"evidence_{number}", row.evidence)
            self.initial.setdefault(f"sources_{number}", row.data_sources)
            choices = [("", _("Ikke skåret ennå"))]
            for score, text, verified in item.anchor_list():
                suffix = "" if verified else f" ({_('forankringen er ikke bekreftet')})"
                choices.append((str(score), f"{score} – {text}{suffix}"))
            self.fields[f"score_{number}"] = forms.TypedChoiceField(
                label=_("Skår for punkt %(number)s") % {"number": number},
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=RadioSelect,
                error_messages={"invalid_choice": _("Skåren må være et helt tall fra 1 til 5.")},
            )
            self.fields[f"evidence_{number}"] = forms.CharField(
                max_length=TEXT_MAX_LENGTH,
                label=_("Grunnlag for skåren på punkt %(number)s") % {"number": number},
                required=False,
                widget=Textarea(),
            )
            self.fields[f"sources_{number}"] = forms.MultipleChoiceField(
                label=_("Datakilder brukt for punkt %(number)s") % {"number": number},
                choices=sources,
                required=False,
                widget=CheckboxSelectMultiple,
                error_messages={"invalid_choice": _("Ukjent datakilde.")},
            )

    def item_fields(self):
        """(row, score field, evidence field, sources field) for each item, for the template."""
        return [
            (
                row,
                self[f"score_{row.item.number}"],
                self[f"evidence_{row.item.number}"],
                self[f"sources_{row.item.number}"],
            )
            for row in self.rows
        ]

    def scores(self) -> dict[int, dict[str, Any]]:
        return {
            row.item.number: {
                "score": self.cleaned_data[f"score_{row.item.number}"],
                "evidence": self.cleaned_data[f"evidence_{row.item.number}"],
                "data_sources": self.cleaned_data[f"sources_{row.item.number}"],
            }
            for row in self.rows
        }


class RevisionForm(forms.Form):
    """A status change (submit, reopen, finalise) carries the revision the user saw."""

    revision = RevisionField(required=False)


class FinaliseForm(RevisionForm):
    """Finalising cannot be undone (only corrected as a new version), so the user confirms it first."""

    confirmed = forms.BooleanField(
        label=_("Jeg bekrefter at gjennomgangen er ferdig. Den kan ikke endres etterpå, bare rettes."),
        error_messages={"required": _("Kryss av for å bekrefte ferdigstillingen. Den kan ikke angres.")},
    )


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label=_("Hvorfor rettes gjennomgangen?"),
        widget=Textarea(attrs={"rows": 4}),
        help_text=_("Grunnen lagres med den nye versjonen og vises i historikken."),
        error_messages={"required": _("Skriv hvorfor gjennomgangen rettes.")},
    )


class ActionForm(forms.Form):
    description = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label=_("Tiltak"),
        widget=Textarea(),
        error_messages={"required": _("Beskriv tiltaket.")},
    )
    item = forms.ModelChoiceField(
        label=_("Gjelder punkt"), queryset=None, required=False, empty_label=_("Ikke ett bestemt punkt")
    )
    owner = forms.CharField(
        label=_("Ansvarlig"), max_length=200, error_messages={"required": _("Skriv hvem som er ansvarlig.")}
    )
    due_on = _date(_("Frist"), error_messages={"required": _("Sett en frist."), "invalid": _("Skriv en gyldig dato.")})

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = review.scale.items.all()


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)
    follow_up = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("Oppfølging"), required=False, widget=Textarea())
    owner = forms.CharField(
        label=_("Ansvarlig"), max_length=200, error_messages={"required": _("Skriv hvem som er ansvarlig.")}
    )
    due_on = _date(_("Frist"), error_messages={"required": _("Sett en frist."), "invalid": _("Skriv en gyldig dato.")})
    revision = RevisionField(required=False)


class ScaleUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Definisjonsfil (YAML)"),
        help_text=_("Filen sjekkes i sin helhet. Har den feil, lastes ingenting, og alle feilene vises."),
        error_messages={"required": _("Velg en fil."), "empty": _("Filen er tom.")},
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_SIZE:
            raise forms.ValidationError(_("Filen er for stor til å være en skaladefinisjon."))
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Filen må være en tekstfil i UTF-8.")) from None

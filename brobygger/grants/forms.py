"""Forms for the grant pages. They parse input only; the rules live in services.py and access.py."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from brobygger.accounts.models import Organisation, User
from brobygger.grants.models import MAX_KRONER, Appeal, ApplicationMeasure, Attachment, BudgetLine, Measure, Signature
from brobygger.grants.services import HEALTH_TRUSTS, MAX_ATTACHMENT_BYTES, MUNICIPALITY
from brobygger.widgets import DateInput, RadioSelect, Textarea


def kroner_field(label, *, required: bool = True, help_text: str | None = "") -> forms.DecimalField:
    """Whole kroner from 0 to a billion: a Decimal, never a float."""
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_value=MAX_KRONER,
        max_digits=12,
        decimal_places=0,
        help_text=_("Hele kroner, uten øre.") if help_text == "" else help_text or "",
        error_messages={
            "invalid": _("Skriv beløpet som et helt tall i kroner."),
            "max_decimal_places": _("Beløpet må være i hele kroner, uten øre."),
            "min_value": _("Beløpet kan ikke være negativt."),
            "max_value": _("Beløpet kan ikke være over 1 000 000 000 kroner."),
        },
    )


def _date(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), **kwargs)


def _text(label, *, required: bool = True, rows: int = 3, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=Textarea({"rows": rows}), help_text=help_text, max_length=10000
    )


class CallForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=2020, max_value=2100)
    title = forms.CharField(label=_("Tittel"), max_length=200)
    budget_frame = kroner_field(_("Budsjettramme (kr)"))
    deadline = _date(_("Søknadsfrist"), help_text=_("Må være i utlysningens år."))
    opens_a = forms.BooleanField(label=_("Tiltak A er åpent"), required=False, initial=True)
    opens_b = forms.BooleanField(label=_("Tiltak B er åpent"), required=False, initial=True)
    opens_c = forms.BooleanField(label=_("Tiltak C er åpent"), required=False, initial=True)
    text = _text(_("Utlysningstekst"), rows=6)


def applicant_organisations():
    return Organisation.objects.filter(org_type__in=[MUNICIPALITY, *HEALTH_TRUSTS])


class ApplicationCreateForm(forms.Form):
    title = forms.CharField(label=_("Tittel på søknaden"), max_length=200)
    partner = forms.ModelChoiceField(
        label=_("Medsøker (bare felles søknad om tiltak C)"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Tiltak C søkes av kommune og helseforetak sammen. Velg den andre organisasjonen."),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = applicant_organisations().exclude(pk=user.organisation_id)


class ApplicationForm(forms.Form):
    title = forms.CharField(label=_("Tittel på søknaden"), max_length=200)
    goals = _text(_("Mål med tilskuddet"), required=False)
    project_description = _text(_("Prosjektbeskrivelse"), required=False, rows=5)
    need = _text(_("Behovet for tiltakene"), required=False)
    award_criteria = _text(
        _("Beskrivelse av tildelingskriteriene"), required=False, help_text=_("Se regelverket pkt. 5.")
    )
    co_funding_amount = kroner_field(_("Delfinansiering fra andre (kr)"), required=False)
    co_funding_text = _text(_("Delfinansiering fra andre: hvem og hva"), required=False)
    own_funding_amount = kroner_field(_("Egenfinansiering (kr)"), required=False)
    own_funding_text = _text(_("Egenfinansiering: hva"), required=False)
    control_measures = _text(_("Interne og eksterne kontrolltiltak"), required=False)
    risk_assessment = _text(_("Vurdering av risiko"), required=False)


POSITION_ROWS = 3


class MeasureForm(forms.Form):
    """One measure; up to three positions, each at most one full-time equivalent."""

    requested_amount = kroner_field(_("Omsøkt beløp til lønn (kr)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, POSITION_ROWS + 1):
            self.fields[f"position_{n}_title"] = forms.CharField(
                label=_("Stilling %(n)s: betegnelse") % {"n": n}, required=False, max_length=200
            )
            self.fields[f"position_{n}_fte"] = forms.DecimalField(
                label=_("Stilling %(n)s: stillingsandel") % {"n": n},
                required=False,
                min_value=Decimal("0.01"),
                max_value=Decimal(1),
                decimal_places=2,
                help_text=_("Fra 0,01 til 1 (hel stilling)."),
                error_messages={
                    "min_value": _("Stillingsandelen må være over 0."),
                    "max_value": _("Stillingsandelen kan ikke være over 1 (hel stilling)."),
                    "max_decimal_places": _("Stillingsandelen kan ha høyst to desimaler."),
                },
            )

    def clean(self):
        cleaned = super().clean()
        for n in range(1, POSITION_ROWS + 1):
            title, fte = cleaned.get(f"position_{n}_title"), cleaned.get(f"position_{n}_fte")
            if title and fte is None and f"position_{n}_fte" not in self.errors:
                self.add_error(f"position_{n}_fte", _("Oppgi stillingsandelen."))
            if fte is not None and not title:
                self.add_error(f"position_{n}_title", _("Oppgi hva stillingen er."))
        return cleaned

    def positions(self) -> list[tuple[str, Decimal]]:
        rows = []
        for n in range(1, POSITION_ROWS + 1):
            title, fte = self.cleaned_data.get(f"position_{n}_title"), self.cleaned_data.get(f"position_{n}_fte")
            if title and fte is not None:
                rows.append((title, fte))
        return rows

    def measure_fields(self) -> dict:
        skip = {"requested_amount"}
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in skip and not name.startswith("position_")
        }


class MeasureAForm(MeasureForm):
    earlier_scheme_project_year = forms.IntegerField(
        label=_("Prosjektår under Helsedirektoratets tidligere IPS-ordning"),
        min_value=0,
        max_value=10,
        help_text=_("Tiltak A er for tilbud i sitt 2. eller 3. prosjektår etter den tidligere ordningen. 0 hvis ikke."),
    )
    salary_costs_only = forms.BooleanField(label=_("Vi søker bare om lønnskostnader"), required=False)


class MeasureBForm(MeasureForm):
    area = _text(_("Geografisk område som dekkes"))
    staff_qualifications = _text(_("De ansattes kvalifikasjoner"))
    staff_health_or_social_education = forms.BooleanField(
        label=_("De som tilbys stillingene har helse- eller sosialfaglig utdanning"), required=False
    )
    staff_ips_experience_years = forms.DecimalField(
        label=_("Arbeidserfaring fra IPS (år)"), min_value=0, max_value=50, decimal_places=1
    )
    staff_training_experience = forms.BooleanField(
        label=_("De som tilbys stillingene har erfaring med opplæring og veiledning"), required=False
    )
    well_established = forms.BooleanField(
        label=_("Vi har et veletablert fagmiljø på IPS med gode resultater"), required=False
    )
    covers_tasks = forms.BooleanField(label=_("Ressursmiljøet skal ivareta alle arbeidsoppgavene"), required=False)
    training_measures = _text(_("Opplærings- og kompetansetiltak det søkes midler til"))
    training_amount = kroner_field(_("Omsøkt beløp til opplærings- og kompetansetiltak (kr)"))


class MeasureCForm(MeasureForm):
    team_type = forms.ChoiceField(label=_("Teamtype"), choices=ApplicationMeasure.TeamType.choices, widget=RadioSelect)
    out_of_act_fact_scheme = forms.BooleanField(
        label=_("Teamet er ute av tilskuddsordningen for ACT/FACT og FACT ung"), required=False
    )
    act_fact_grant_year = forms.IntegerField(
        label=_("Tilskuddsår på ACT/FACT-ordningen"),
        min_value=0,
        max_value=10,
        initial=0,
        help_text=_("Bare for team som fortsatt er i ordningen; ellers 0."),
    )
    specialist_in_health_service = forms.BooleanField(
        label=_("Jobb-/utdanningsspesialisten er ansatt i kommunal helsetjeneste eller spesialisthelsetjeneste"),
        required=False,
    )
    management_anchoring = forms.BooleanField(
        label=_("Ledelsesforankring i kommunen og helseforetaket framgår av samarbeidsavtalen"), required=False
    )
    salary_costs_only = forms.BooleanField(label=_("Vi søker bare om lønnskostnader"), required=False)


MEASURE_FORMS = {Measure.A: MeasureAForm, Measure.B: MeasureBForm, Measure.C: MeasureCForm}


class BudgetLineForm(forms.Form):
    measure = forms.ChoiceField(label=_("Tiltak"), choices=Measure.choices)
    category = forms.ChoiceField(label=_("Kategori"), choices=BudgetLine.Category.choices)
    description = forms.CharField(label=_("Beskrivelse"), max_length=200)
    amount = kroner_field(_("Beløp (kr)"))


class MilestoneForm(forms.Form):
    due = _date(_("Dato"), help_text=_("I tilskuddsåret."))
    description = forms.CharField(label=_("Milepæl"), max_length=300)


class SignatureForm(forms.Form):
    name = forms.CharField(label=_("Navn på den som signerer"), max_length=200)
    authority = forms.ChoiceField(label=_("Fullmakt"), choices=Signature.Authority.choices, widget=RadioSelect)
    title = forms.CharField(label=_("Stillingstittel"), max_length=200)
    signed_on = _date(_("Dato for underskriften"))


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type vedlegg"), choices=Attachment.Kind.choices, widget=RadioSelect)
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


class ReasonForm(forms.Form):
    reason = _text(_("Grunn"))


class DeclarationForm(forms.Form):
    conflict = forms.TypedChoiceField(
        label=_("Er du inhabil i saken (forvaltningsloven § 6)?"),
        choices=[("0", _("Nei, jeg er habil")), ("1", _("Ja, jeg er inhabil"))],
        coerce=lambda value: value == "1",
        widget=RadioSelect,
    )
    explanation = _text(_("Forklaring"), required=False, help_text=_("Påkrevd hvis du er inhabil."))
    hand_to = forms.ModelChoiceField(
        label=_("Hvem skal overta saken?"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Påkrevd hvis du er inhabil."),
    )

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hand_to"].queryset = officers
        self.fields["hand_to"].label_from_instance = lambda user: user.get_full_name() or user.username


class AssessmentForm(forms.Form):
    criteria = _text(_("Vurdering etter tildelingskriteriene"), rows=5)
    conditions = _text(_("Vilkår"), required=False)
    refusal_reasons = _text(_("Begrunnelse for avslag"), required=False, help_text=_("Bare ved avslag."))
    refusal_citations = forms.CharField(
        label=_("Hjemmel for avslaget"), required=False, max_length=300, help_text=_("For eksempel regelverket pkt. 5.")
    )

    def __init__(self, *args, ceilings, **kwargs):
        super().__init__(*args, **kwargs)
        for computed in ceilings:
            measure = computed.row.measure
            self.fields[f"amount_{measure}"] = kroner_field(
                _("Tiltak %(measure)s: foreslått beløp (kr)") % {"measure": measure},
                help_text=_("Høyst %(ceiling)s kr.") % {"ceiling": f"{int(computed.ceiling):,}".replace(",", " ")},
            )
            self.fields[f"reason_{measure}"] = _text(
                _("Tiltak %(measure)s: grunn til avkorting") % {"measure": measure},
                required=False,
                rows=2,
                help_text=_("Påkrevd når beløpet er lavere enn omsøkt."),
            )

    def proposals(self) -> dict[str, tuple[Decimal, str]]:
        return {
            name.removeprefix("amount_"): (value, self.cleaned_data.get(f"reason_{name.removeprefix('amount_')}", ""))
            for name, value in self.cleaned_data.items()
            if name.startswith("amount_")
        }


class AllocationForm(forms.Form):
    reason = _text(
        _("Grunn til endringene"),
        required=False,
        rows=2,
        help_text=_("Gjelder beløp som settes ned. Uten grunn: «for å holde innstillingen innenfor budsjettrammen»."),
    )

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        for row in rows:
            if row.assessed is None:
                continue
            self.fields[f"amount_{row.assessed.pk}"] = kroner_field(
                _("%(org)s, tiltak %(measure)s (kr)") % {"org": row.application.organisation, "measure": row.measure},
                help_text=None,
            )
            self.fields[f"amount_{row.assessed.pk}"].initial = row.proposed

    def amounts(self) -> dict[int, Decimal]:
        return {
            int(name.removeprefix("amount_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("amount_")
        }


class CommentForm(forms.Form):
    comment = _text(_("Kommentar"))


class AppealForm(forms.Form):
    received_on = _date(_("Mottatt"))
    grounds = _text(_("Hva klagen gjelder"), rows=4)
    late_considered = forms.BooleanField(
        label=_("Klagen behandles selv om den kom for sent (forvaltningsloven § 31)"), required=False
    )
    late_reason = _text(_("Grunn til å behandle den likevel"), required=False)


class DateForm(forms.Form):
    on = _date(_("Dato"))


class AppealChangeForm(forms.Form):
    reasons = _text(_("Begrunnelse for det nye vedtaket"), rows=4)

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        for row in measures:
            self.fields[f"amount_{row.measure}"] = kroner_field(
                _("Tiltak %(measure)s: nytt beløp (kr)") % {"measure": row.measure},
                help_text=_("Høyst %(ceiling)s kr.") % {"ceiling": f"{int(row.ceiling):,}".replace(",", " ")},
            )
            self.fields[f"amount_{row.measure}"].initial = row.amount

    def amounts(self) -> dict[str, Decimal]:
        return {
            name.removeprefix("amount_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("amount_")
        }


class ForwardForm(forms.Form):
    reconsideration = _text(_("Helsedirektoratets vurdering (forvaltningsloven § 33)"), rows=5)


class MinistryForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Departementets avgjørelse"), choices=Appeal.MinistryOutcome.choices, widget=RadioSelect
    )
    decided_on = _date(_("Avgjort"))


class EarlierGrantForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisasjon"), queryset=Organisation.objects.none())
    measure = forms.ChoiceField(label=_("Tiltak"), choices=Measure.choices)
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    amount = kroner_field(_("Beløp (kr)"), required=False)
    note = forms.CharField(label=_("Merknad"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = applicant_organisations()

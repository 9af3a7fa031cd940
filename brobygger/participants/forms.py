"""Forms of the pathway pages: registration, referral, decision, and the period's start, extension and closure.

Forms only parse and check input a person can correct; the rules and the writes are in services.py. The identity
number is never written back into a page: a form with errors asks for it again rather than echo it.
"""

from datetime import date
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from brobygger.accounts.models import Membership, Municipality, Role, TreatmentTeam, User
from brobygger.fields import DateField, RevisionField
from brobygger.participants import access, caseload, identity, services
from brobygger.participants.models import Participant, ParticipantContactDetails, Period, Referral
from brobygger.rules.dates import age_on
from brobygger.widgets import DateInput, RadioSelect, Textarea

# Under this age a participant's guardian is recorded with the person.
GUARDIAN_AGE = 18

# The inputs the rule "personkrets" (forskriften § 3-1) takes from a referral, besides dates and consent.
ELIGIBILITY_FACT_FIELDS = (
    "moderate_or_severe_condition",
    "compound_problems",
    "in_health_service",
    "needs_comprehensive_follow_up",
    "wants_work_or_education",
    "exception_justification",
    "exception_agreed_with_health_service",
)

PERSON_FIELDS = (
    "first_name",
    "last_name",
    "municipality",
    "has_psychosis",
    "has_substance_problems",
    "reduced_work_capacity_assessed_on",
)


def _date_field(label, **kwargs) -> forms.DateField:
    return DateField(label=label, widget=DateInput(), **kwargs)


def _not_in_future(value: date | None, message) -> None:
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError(message, code="future")


def _confirmation(label, message) -> forms.BooleanField:
    """A required checkbox before a step that cannot be undone: works without JavaScript."""
    return forms.BooleanField(label=label, error_messages={"required": message})


def _model_field(name: str, **kwargs) -> forms.Field:
    """A form field with the label, length and help text of the participant model, so the two never drift apart."""
    return Participant._meta.get_field(name).formfield(**kwargs)


class UnechoedTextInput(forms.TextInput):
    """A text input that never writes its value back into the page: for identity numbers."""

    def format_value(self, value: Any) -> None:
        return None


class IdentityNumberField(forms.CharField):
    """A fødselsnummer or D-number, validated (checksums, birth date) and returned compact."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Fødselsnummer eller D-nummer"))
        kwargs.setdefault("help_text", _("11 siffer."))
        kwargs.setdefault("max_length", 20)
        widget = UnechoedTextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"})
        super().__init__(widget=widget, **kwargs)

    @sensitive_variables()
    def clean(self, value: Any) -> str:
        number = super().clean(value)
        if not number:
            return number
        return identity.validate_identity_number(number, allow_synthetic=identity.allow_synthetic())


class SectionedForm(forms.Form):
    """A form drawn as fieldsets: ``sections`` names a legend and the fields under it."""

    sections: tuple[tuple[Any, tuple[str, ...]], ...] = ()

    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField]]]:
        shown = {name for name, field in self.fields.items() if not field.widget.is_hidden}
        sets = [(legend, [self[name] for name in names if name in shown]) for legend, names in self.sections]
        return [(legend, fields) for legend, fields in sets if fields]


def _contact_field(name: str, **kwargs) -> forms.Field:
    return ParticipantContactDetails._meta.get_field(name).formfield(**kwargs)


# Participants -----------------------------------------------------------------------------------------------------


class ContactDetailsFields(SectionedForm):
    """The service's own phone, e-mail and guardian of the person (``ParticipantContactDetails``); a guardian is
    required under 18."""

    phone = _contact_field("phone", widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}))
    email = _contact_field("email", widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    guardian_name = _contact_field("guardian_name", help_text=_("Påkrevd når personen er under 18 år."))
    guardian_phone = _contact_field("guardian_phone")

    def birth_date(self) -> date | None:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        born = self.birth_date()
        if born is not None and age_on(born, timezone.localdate()) < GUARDIAN_AGE:
            if not cleaned.get("guardian_name", "").strip():
                self.add_error("guardian_name", _("Personen er under 18 år. Oppgi navnet til en foresatt."))
            if not cleaned.get("guardian_phone", "").strip():
                self.add_error("guardian_phone", _("Personen er under 18 år. Oppgi telefonnummeret til en foresatt."))
        return cleaned

    def contact_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ParticipantContactDetails.FIELDS}


class ContactDetailsForm(ContactDetailsFields):
    """A service's own contact details of a person, on a page of their own."""

    # Empty while the service has recorded nothing: the save then creates its record.
    revision = RevisionField(required=False)
    sections = (
        (_("Kontaktopplysninger"), ("phone", "email")),
        (_("Foresatte"), ("guardian_name", "guardian_phone")),
    )

    def __init__(self, *args: Any, participant: Participant, details: ParticipantContactDetails, **kwargs: Any):
        self.participant = participant
        initial = {name: getattr(details, name) for name in ParticipantContactDetails.FIELDS}
        kwargs.setdefault("initial", initial | {"revision": details.revision if details.pk else None})
        super().__init__(*args, **kwargs)

    def birth_date(self) -> date | None:
        return self.participant.birth_date


class PersonFields(SectionedForm):
    """Names, municipality and the health facts the reporting needs: what the recording service keeps."""

    first_name = _model_field("first_name")
    last_name = _model_field("last_name")
    municipality = forms.ModelChoiceField(
        label=_("Bostedskommune"), queryset=Municipality.objects.none(), empty_label=_("Velg kommune")
    )
    has_psychosis = _model_field("has_psychosis", label=_("Har psykoselidelse"))
    has_substance_problems = _model_field(
        "has_substance_problems", label=_("Har rusmiddelproblemer eller -avhengighet")
    )
    reduced_work_capacity_assessed_on = _model_field(
        "reduced_work_capacity_assessed_on",
        form_class=DateField,
        widget=DateInput(),
        label=_("NAV har vurdert nedsatt arbeidsevne"),
    )

    person_sections = (
        (_("Personen"), ("identity_number", "first_name", "last_name", "municipality")),
        (_("Helseopplysninger"), ("has_psychosis", "has_substance_problems", "reduced_work_capacity_assessed_on")),
    )
    sections = person_sections

    def __init__(self, *args: Any, current_municipality: Municipality | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipalities = Q(pk__in=Municipality.objects.valid_on(timezone.localdate()))
        if current_municipality is not None:
            # A municipality merged away since registration stays selectable for the person who lives there.
            municipalities |= Q(pk=current_municipality.pk)
        self.fields["municipality"].queryset = (
            Municipality.objects.filter(municipalities).select_related("county").order_by("name", "-valid_from")
        )
        self.fields["municipality"].label_from_instance = lambda municipality: municipality.label

    def clean_reduced_work_capacity_assessed_on(self) -> date | None:
        value = self.cleaned_data.get("reduced_work_capacity_assessed_on")
        _not_in_future(value, _("Datoen for NAVs vurdering kan ikke være fram i tid."))
        return value

    def person_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PERSON_FIELDS}


class ParticipantForm(PersonFields, ContactDetailsFields):
    """Registration: the person, and the registering service's own contact details of them."""

    person_sections = (
        PersonFields.person_sections[0],
        *ContactDetailsForm.sections,
        PersonFields.person_sections[1],
    )
    sections = person_sections


class ParticipantEditForm(PersonFields):
    revision = RevisionField()

    def __init__(self, *args: Any, participant: Participant, **kwargs: Any) -> None:
        self.participant = participant
        initial = {name: getattr(participant, name) for name in PERSON_FIELDS} | {"revision": participant.revision}
        kwargs.setdefault("initial", initial)
        super().__init__(*args, current_municipality=participant.municipality, **kwargs)


# Referrals --------------------------------------------------------------------------------------------------------


def clinicians_of(teams: QuerySet[TreatmentTeam]) -> QuerySet[User]:
    """The clinicians (behandlere) who are members of any of ``teams``."""
    return User.objects.filter(role=Role.CLINICIAN, memberships__team__in=teams).distinct()


class ReferralForm(SectionedForm):
    """A referral from a named clinician in a treatment team, with the facts the eligibility rule needs."""

    team = forms.ModelChoiceField(
        label=_("Behandlingsteam"), queryset=TreatmentTeam.objects.none(), empty_label=_("Velg behandlingsteam")
    )
    clinician = forms.TypedChoiceField(label=_("Henvisende behandler"), coerce=int)
    referred_on = _date_field(_("Henvisningsdato"))
    goals = forms.CharField(
        label=_("Personens egne mål"),
        help_text=_("Med personens egne ord: hvilket arbeid eller hvilken utdanning personen ønsker seg."),
        widget=Textarea,
        max_length=4000,
    )
    moderate_or_severe_condition = forms.BooleanField(
        label=_("Har moderate til alvorlige psykiske lidelser og/eller rusproblemer"), required=False
    )
    compound_problems = forms.BooleanField(
        label=_("Har sammensatte psykiske problemer eller rusutfordringer"),
        help_text=_("For IPS ung kreves ingen diagnose på moderat eller alvorlig lidelse."),
        required=False,
    )
    in_health_service = forms.BooleanField(
        label=_("Får behandling eller oppfølging i helse- og omsorgstjenesten"),
        help_text=_(
            "Psykisk helsevern, tverrfaglig spesialisert rusbehandling (TSB) eller kommunale psykisk helse- og "
            "rustjenester."
        ),
        required=False,
    )
    needs_comprehensive_follow_up = forms.BooleanField(
        label=_("Trenger mer omfattende formidlings- og oppfølgingsbistand enn Navs generelle bistand"),
        required=False,
    )
    wants_work_or_education = forms.BooleanField(
        label=_("Ønsker å komme i ordinært arbeid og/eller opplæring eller utdanning"), required=False
    )
    exception_justification = forms.CharField(
        label=_("Begrunnelse for unntak"),
        help_text=_(
            "Bare når personen unntaksvis skal gis tiltaket etter Arbeids- og velferdsdirektoratets retningslinjer."
        ),
        widget=Textarea,
        required=False,
        max_length=4000,
    )
    exception_agreed_with_health_service = forms.BooleanField(
        label=_("Unntaket er avtalt i samråd med helsetjenesten"), required=False
    )
    consent_given_on = _date_field(
        _("Samtykke gitt"), required=False, help_text=_("Tom hvis personen ikke har samtykket ennå.")
    )
    consent_method = forms.ChoiceField(
        label=_("Samtykkeform"),
        choices=[("", _("Velg samtykkeform")), *Referral.ConsentMethod.choices],
        required=False,
    )

    referral_sections = (
        (_("Henvisningen"), ("team", "clinician", "referred_on", "goals")),
        (
            _("Vilkår for å få tiltaket (forskriften § 3-1)"),
            (
                "moderate_or_severe_condition",
                "compound_problems",
                "in_health_service",
                "needs_comprehensive_follow_up",
                "wants_work_or_education",
            ),
        ),
        (_("Unntak"), ("exception_justification", "exception_agreed_with_health_service")),
        (_("Samtykke"), ("consent_given_on", "consent_method")),
    )
    sections = referral_sections

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = access.referral_teams(user).order_by("name")
        self.fields["team"].queryset = teams
        self.fields["clinician"].choices = self._clinician_choices(teams)
        self.fields["referred_on"].initial = timezone.localdate
        own_teams = list(teams.filter(memberships__user=user).distinct()[:2])
        if len(own_teams) == 1 or len(teams) == 1:
            self.fields["team"].initial = (own_teams or list(teams))[0].pk
        if user.role == Role.CLINICIAN:
            self.fields["clinician"].initial = user.pk

    @staticmethod
    def _clinician_choices(teams: QuerySet[TreatmentTeam]) -> list:
        """The clinicians grouped by team, so the choice shows who belongs where."""
        choices: list = [("", _("Velg behandler"))]
        for team in teams:
            members = clinicians_of(TreatmentTeam.objects.filter(pk=team.pk)).order_by("last_name", "first_name")
            if members:
                choices.append((team.name, [(user.pk, user.get_full_name() or user.username) for user in members]))
        return choices

    def birth_date(self) -> date | None:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        team, clinician_pk = cleaned.get("team"), cleaned.get("clinician")
        if team is not None and clinician_pk is not None:
            clinician = clinicians_of(TreatmentTeam.objects.filter(pk=team.pk)).filter(pk=clinician_pk).first()
            if clinician is None:
                self.add_error("clinician", _("Velg en behandler som hører til behandlingsteamet."))
            else:
                cleaned["clinician"] = clinician
        # The checks of the referral itself live in the service, so the API makes exactly the same ones.
        problems = services.referral_problems(
            birth_date=self.birth_date(),
            referred_on=cleaned.get("referred_on"),
            consent_given_on=cleaned.get("consent_given_on"),
            consent_method=cleaned.get("consent_method", ""),
            facts={name: cleaned.get(name) for name in ELIGIBILITY_FACT_FIELDS},
        )
        for field, messages in problems.items():
            for message in messages:
                self.add_error(field, message)
        return cleaned

    def referral_data(self) -> dict[str, Any]:
        """The keyword arguments of ``services.henvisning_create``, except actor and participant."""
        data = self.cleaned_data
        return {
            "team": data["team"],
            "clinician": data["clinician"],
            "referred_on": data["referred_on"],
            "goals": data["goals"].strip(),
            "facts": {name: data[name] for name in ELIGIBILITY_FACT_FIELDS},
            "consent_given_on": data["consent_given_on"],
            "consent_method": data["consent_method"],
        }


class ReferralCreateForm(ReferralForm):
    """A new referral of a participant already registered."""

    def __init__(self, *args: Any, participant: Participant, **kwargs: Any) -> None:
        self.participant = participant
        super().__init__(*args, **kwargs)

    def birth_date(self) -> date | None:
        return self.participant.birth_date


class RegisterForm(ParticipantForm, ReferralForm):
    """The participant and the first referral, in one form."""

    identity_number = IdentityNumberField()

    sections = ParticipantForm.person_sections + ReferralForm.referral_sections
    field_order = ["identity_number", *PERSON_FIELDS, *ParticipantContactDetails.FIELDS, *ReferralForm.base_fields]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        # Most people live where the service works: preselect the municipality when the user's services cover one.
        local = (
            self.fields["municipality"].queryset.filter(ips_services__teams__in=access.referral_teams(user)).distinct()
        )
        if len(local[:2]) == 1:
            self.fields["municipality"].initial = local[0].pk

    def birth_date(self) -> date | None:
        number = self.cleaned_data.get("identity_number")
        return identity.birth_date_of(number) if number else None


# Referral decision ------------------------------------------------------------------------------------------------


class DecisionDateForm(forms.Form):
    decided_on = _date_field(_("Dato for avgjørelsen"))

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        self.referral = referral
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate

    def clean_decided_on(self) -> date:
        value = self.cleaned_data["decided_on"]
        _not_in_future(value, _("Avgjørelsen kan ikke dateres fram i tid."))
        if value < self.referral.referred_on:
            raise forms.ValidationError(_("Avgjørelsen kan ikke være før henvisningsdatoen."), code="before_referral")
        return value


class AcceptForm(DecisionDateForm):
    job_specialist = forms.ModelChoiceField(
        label=_("Jobbspesialist"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Ikke valgt ennå"),
        help_text=_("Jobbspesialisten som skal følge opp personen."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        specialists = (
            User.objects.filter(
                role=Role.JOB_SPECIALIST,
                pk__in=Membership.objects.filter(service=self.referral.team.service_id).values("user"),
            )
            .filter(is_active=True)
            .order_by("last_name", "first_name")
        )
        field = self.fields["job_specialist"]
        field.queryset = specialists
        field.label_from_instance = lambda specialist: specialist.get_full_name() or specialist.username
        if user.role == Role.JOB_SPECIALIST and specialists.filter(pk=user.pk).exists():
            field.initial = user.pk


class RefuseForm(DecisionDateForm):
    refusal_reason = forms.ChoiceField(
        label=_("Grunn"),
        choices=Referral.RefusalReason.choices,
        widget=RadioSelect,
        help_text=_("Bare grunnene forskriften tillater (nulleksklusjon)."),
        error_messages={"required": _("Velg en av grunnene forskriften tillater.")},
    )
    confirmed = _confirmation(
        _("Jeg bekrefter at personen ikke skal tas inn på denne henvisningen."),
        _("Bekreft avslaget. Det kan ikke angres; en ny henvisning må til."),
    )


class ConsentForm(forms.Form):
    """Consent given after the referral was registered (forskriften § 3-2; the proposal § 3-1)."""

    consent_given_on = _date_field(_("Samtykke gitt"))
    consent_method = forms.ChoiceField(
        label=_("Samtykkeform"), choices=[("", _("Velg samtykkeform")), *Referral.ConsentMethod.choices]
    )
    revision = RevisionField()

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"revision": referral.revision})
        super().__init__(*args, **kwargs)
        self.fields["consent_given_on"].initial = timezone.localdate

    def clean_consent_given_on(self) -> date:
        value = self.cleaned_data["consent_given_on"]
        _not_in_future(value, _("Samtykket kan ikke være gitt fram i tid."))
        return value


class ReferralCorrectForm(ReferralForm):
    """Correct an undecided referral: its date, goals, the facts of the assessment and consent, with a reason."""

    reason = forms.CharField(
        label=_("Hvorfor rettes henvisningen?"),
        widget=Textarea,
        max_length=2000,
        help_text=_("Lagres i endringsloggen sammen med det som ble endret."),
    )
    revision = RevisionField()

    sections = (
        (_("Henvisningen"), ("referred_on", "goals")),
        *ReferralForm.referral_sections[1:],
        (_("Rettingen"), ("reason",)),
    )

    def __init__(self, *args: Any, referral: Referral, user: User, **kwargs: Any) -> None:
        self.referral = referral
        kwargs.setdefault(
            "initial",
            {
                "referred_on": referral.referred_on,
                "goals": referral.goals,
                "consent_given_on": referral.consent_given_on,
                "consent_method": referral.consent_method,
                "revision": referral.revision,
                **referral.facts,
            },
        )
        super().__init__(*args, user=user, **kwargs)
        # Who referred, and from which team, is not corrected here: a wrong team is a new referral.
        del self.fields["team"], self.fields["clinician"]

    def birth_date(self) -> date | None:
        return self.referral.participant.birth_date

    def correction_data(self) -> dict[str, Any]:
        """The keyword arguments of ``services.referral_correct``, except actor, referral and revision."""
        data = self.cleaned_data
        return {
            "reason": data["reason"],
            "referred_on": data["referred_on"],
            "goals": data["goals"],
            "facts": {name: data[name] for name in ELIGIBILITY_FACT_FIELDS},
            "consent_given_on": data["consent_given_on"],
            "consent_method": data["consent_method"],
        }


class WithdrawForm(DecisionDateForm):
    withdrawal_reason = forms.CharField(
        label=_("Hvorfor trekkes henvisningen tilbake?"),
        widget=Textarea,
        max_length=2000,
        help_text=_("For eksempel registrert ved en feil, eller personen eller behandleren har trukket den."),
    )
    confirmed = _confirmation(
        _("Jeg bekrefter at henvisningen skal trekkes tilbake."),
        _("Bekreft at henvisningen skal trekkes tilbake. Det kan ikke angres."),
    )
    revision = RevisionField()

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"revision": referral.revision})
        super().__init__(*args, referral=referral, **kwargs)


class InboxFilterForm(forms.Form):
    """Filters and order of the referral inbox; every field may be left empty."""

    CONSENT_CHOICES = (("", _("Alle")), ("missing", _("Mangler samtykke")), ("given", _("Samtykke gitt")))
    ORDER_CHOICES = (
        ("waiting", _("Lengst ventetid først")),
        ("newest", _("Nyeste først")),
        ("name", _("Navn")),
    )

    team = forms.ModelChoiceField(
        label=_("Behandlingsteam"), queryset=TreatmentTeam.objects.none(), required=False, empty_label=_("Alle")
    )
    consent = forms.ChoiceField(label=_("Samtykke"), choices=CONSENT_CHOICES, required=False)
    order = forms.ChoiceField(label=_("Sortering"), choices=ORDER_CHOICES, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = access.referral_teams(user).order_by("name")


# Periods ----------------------------------------------------------------------------------------------------------


class PeriodStartForm(forms.Form):
    start_date = _date_field(_("Oppstartsdato"))
    revision = RevisionField()

    def __init__(self, *args: Any, period: Period, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"revision": period.revision})
        super().__init__(*args, **kwargs)
        self.fields["start_date"].initial = timezone.localdate

    def clean_start_date(self) -> date:
        value = self.cleaned_data["start_date"]
        _not_in_future(value, _("Oppstartsdatoen kan ikke være fram i tid. Registrer oppstarten når den skjer."))
        return value


class ExtensionAssessForm(forms.Form):
    on = _date_field(_("Vurderingsdato"), help_text=_("Datoen forlengelsen vedtas."))

    def clean_on(self) -> date:
        value = self.cleaned_data["on"]
        _not_in_future(value, _("Vurderingsdatoen kan ikke være fram i tid."))
        return value


class PeriodExtendForm(forms.Form):
    decided_on = DateField(widget=forms.HiddenInput)
    extended_to = _date_field(_("Forlenget til og med"), required=False, help_text=_("Tom: så langt regelen tillater."))
    justification = forms.CharField(label=_("Begrunnelse"), widget=Textarea, max_length=4000)
    revision = RevisionField()

    def __init__(self, *args: Any, period: Period, on: date, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"revision": period.revision, "decided_on": on})
        super().__init__(*args, **kwargs)

    def clean_decided_on(self) -> date:
        value = self.cleaned_data["decided_on"]
        _not_in_future(value, _("Vurderingsdatoen kan ikke være fram i tid."))
        return value


class PeriodCloseForm(forms.Form):
    closed_on = _date_field(_("Avsluttet"))
    closure_reason = forms.ChoiceField(
        label=_("Avslutningsgrunn"),
        choices=Period.ClosureReason.choices,
        widget=RadioSelect,
        error_messages={"required": _("Velg en grunn for avslutningen.")},
    )
    closure_text = forms.CharField(
        label=_("Forklaring"),
        help_text=_("Påkrevd når grunnen er «Annet»."),
        widget=Textarea,
        required=False,
        max_length=4000,
    )
    confirmed = _confirmation(
        _("Jeg har kontrollert opplysningene. Forløpet kan ikke åpnes igjen etterpå."),
        _("Bekreft at forløpet skal avsluttes. Det kan ikke angres."),
    )
    revision = RevisionField()

    def __init__(self, *args: Any, period: Period, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"revision": period.revision})
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].initial = timezone.localdate

    def clean_closed_on(self) -> date:
        value = self.cleaned_data["closed_on"]
        _not_in_future(value, _("Avslutningsdatoen kan ikke være fram i tid."))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("closure_reason") == Period.ClosureReason.OTHER and not cleaned.get("closure_text", "").strip():
            self.add_error("closure_text", _("Forklar hvorfor forløpet avsluttes."))
        return cleaned


# Search -----------------------------------------------------------------------------------------------------------


class NameSearchForm(forms.Form):
    """The name search and the list's filters (status, team, job specialist, alert) and order; every field may be
    left empty."""

    PENDING = "pending"
    STATUS_CHOICES = (("", _("Alle")), *Period.Status.choices, (PENDING, _("Henvisning venter på avgjørelse")))
    ORDER_CHOICES = (("name", _("Navn")), ("newest", _("Sist henvist først")), ("birth", _("Fødselsdato")))

    q = forms.CharField(label=_("Navn"), max_length=100, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    team = forms.ModelChoiceField(
        label=_("Behandlingsteam"), queryset=TreatmentTeam.objects.none(), required=False, empty_label=_("Alle")
    )
    job_specialist = forms.ModelChoiceField(
        label=_("Jobbspesialist"), queryset=User.objects.none(), required=False, empty_label=_("Alle")
    )
    # The caseload's kinds of alert, so the list and the caseload flag the same people.
    alert = forms.ChoiceField(
        label=_("Varsel"), choices=[("", _("Alle")), *caseload.PERIOD_ALERT_KINDS.items()], required=False
    )
    order = forms.ChoiceField(label=_("Sortering"), choices=ORDER_CHOICES, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = access.referral_teams(user)
        self.fields["team"].queryset = teams.order_by("name")
        specialists = self.fields["job_specialist"]
        specialists.queryset = User.objects.filter(
            role=Role.JOB_SPECIALIST, pk__in=Membership.objects.filter(service__teams__in=teams).values("user")
        ).order_by("last_name", "first_name")
        specialists.label_from_instance = lambda specialist: specialist.get_full_name() or specialist.username


class IdentitySearchForm(forms.Form):
    identity_number = IdentityNumberField(help_text=_("11 siffer. Finner bare deltakere du har tilgang til."))

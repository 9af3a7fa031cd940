"""Forms of the follow-up pages of a period. They parse input only: every rule lives in services.py."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.no import orgnr

from brobygger.accounts.forms import MunicipalityNumberField
from brobygger.accounts.models import validate_orgnr
from brobygger.fields import TEXT_MAX_LENGTH, DateField, RevisionField
from brobygger.participants.models import (
    CareerProfile,
    Contact,
    Education,
    Employer,
    EmployerContact,
    Job,
    JobSearchEvent,
    Participant,
    PlanActivity,
)
from brobygger.widgets import CheckboxSelectMultiple, DateInput, RadioSelect, Textarea


def participant_label(participant: Participant) -> str:
    """A participant as a choice: the name, told apart from others of the same name by birth year and municipality."""
    return _("%(name)s (født %(year)s, %(municipality)s)") % {
        "name": participant,
        "year": participant.birth_date.year,
        "municipality": participant.municipality.label,
    }


def _date(label, *, required=True, initial=None, help_text=""):
    return DateField(label=label, required=required, initial=initial, help_text=help_text, widget=DateInput())


def _yes_no(label, yes, no, help_text=""):
    """A required yes-or-no question: an unticked box cannot tell "no" from "forgot to answer"."""
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=[("ja", yes), ("nei", no)],
        coerce=lambda value: value == "ja",
        widget=RadioSelect,
        error_messages={"required": _("Svar ja eller nei.")},
    )


class CareerProfileForm(forms.ModelForm):
    revision = RevisionField(required=False)

    class Meta:
        model = CareerProfile
        fields = [
            "interests",
            "strengths",
            "preferences",
            "work_history",
            "education_history",
            "disclosure_wish",
            "disclosure_discussed_on",
            "disclosure_notes",
        ]
        widgets = {
            "interests": Textarea,
            "strengths": Textarea,
            "preferences": Textarea,
            "work_history": Textarea,
            "education_history": Textarea,
            "disclosure_notes": Textarea,
            "disclosure_discussed_on": DateInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["revision"] = self.instance.revision

    def profile_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PlanCreateForm(forms.Form):
    purpose = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label=_("Formål med oppfølgingen"),
        widget=Textarea,
        help_text=_("Hva deltakeren vil oppnå, med egne ord."),
        error_messages={"required": _("Skriv formålet med oppfølgingen.")},
    )
    created_on = _date(_("Dato planen ble laget"), initial=timezone.localdate)


class PlanReviseForm(forms.Form):
    revised_on = _date(_("Dato for revisjonen"), initial=timezone.localdate)
    content = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label=_("Innhold og oppfølgingsaktiviteter"),
        widget=Textarea(attrs={"rows": 5}),
        help_text=_("Slik det ble avtalt."),
        error_messages={"required": _("Skriv innholdet og oppfølgingsaktivitetene slik de ble avtalt.")},
    )
    # Not required here: the service refuses a revision without the participant and cites § 3-3 when it does.
    took_part = forms.MultipleChoiceField(
        label=_("Hvem var med?"),
        required=False,
        choices=[
            ("participant", _("Deltakeren var med")),
            ("clinician", _("Behandler var med")),
            ("job_specialist", _("Jobbspesialisten var med")),
        ],
        initial=["participant", "job_specialist"],
        widget=CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Velg blant dem som kan ha vært med.")},
    )

    def participation(self) -> dict[str, bool]:
        """Who took part, as the service's three flags."""
        chosen = set(self.cleaned_data["took_part"])
        return {f"{who}_took_part": who in chosen for who in ("participant", "clinician", "job_specialist")}


class ActivityAddForm(forms.Form):
    description = forms.CharField(
        label=_("Aktivitet"), max_length=2000, widget=Textarea, error_messages={"required": _("Beskriv aktiviteten.")}
    )
    due_on = _date(_("Frist"), required=False)


class ActivityStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Ny status"), choices=PlanActivity.Status.choices)
    revision = RevisionField(required=True)

    def __init__(self, *args, activity: PlanActivity, **kwargs):
        kwargs.setdefault("auto_id", f"id_aktivitet{activity.pk}_%s")
        kwargs.setdefault("initial", {"status": activity.status, "revision": activity.revision})
        super().__init__(*args, **kwargs)
        self.activity = activity


class ContactForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type kontakt"), choices=[("", _("Velg type")), *Contact.Kind.choices], widget=forms.Select
    )
    date = _date(_("Dato"), initial=timezone.localdate)
    place = forms.ChoiceField(
        label=_("Sted"),
        required=False,
        choices=[("", _("Ikke aktuelt")), *Contact.Place.choices],
        help_text=_("Må fylles ut for møter med deltakeren, veiledning om ytelser og oppfølging etter start."),
    )
    counterpart = forms.CharField(
        label=_("Med hvem"),
        required=False,
        max_length=200,
        help_text=_("Skole, NAV-kontor, arbeidsgiver eller person."),
    )
    notes = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("Notat"), required=False, widget=Textarea)


class ContactFilterForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Vis type kontakt"), required=False, choices=[("", _("Alle typer")), *Contact.Kind.choices]
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)


def _employer_choice(*, required: bool) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Arbeidsgiver"),
        queryset=Employer.objects.order_by("name"),
        required=required,
        empty_label=_("Velg arbeidsgiver"),
        error_messages={
            "required": _("Velg arbeidsgiveren."),
            "invalid_choice": _("Velg en arbeidsgiver fra registeret."),
        },
    )


class JobSearchForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hendelse"), choices=[("", _("Velg hendelse")), *JobSearchEvent.Kind.choices])
    date = _date(_("Dato"), initial=timezone.localdate)
    position = forms.CharField(label=_("Stilling"), max_length=200)
    employer = _employer_choice(required=False)
    employer_name = forms.CharField(
        label=_("Arbeidsgiver som ikke er i registeret"),
        required=False,
        max_length=200,
        help_text=_("Skriv navnet hvis arbeidsgiveren ikke finnes i listen over."),
    )
    notes = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("Notat"), required=False, widget=Textarea)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("employer") and cleaned.get("employer_name", "").strip():
            self.add_error("employer_name", _("Velg arbeidsgiveren i listen eller skriv navnet, ikke begge deler."))
        return cleaned


class JobForm(forms.Form):
    employer = _employer_choice(required=True)
    title = forms.CharField(label=_("Stillingstittel"), max_length=200)
    job_type = forms.ChoiceField(label=_("Bransje"), choices=[("", _("Velg bransje")), *Job.JobType.choices])
    start_date = _date(_("Startdato"))
    end_date = _date(_("Sluttdato"), required=False)
    hours_per_week = forms.DecimalField(
        label=_("Timer per uke"), max_digits=5, decimal_places=2, widget=forms.NumberInput(attrs={"step": "0.5"})
    )
    open_labour_market = _yes_no(
        _("Er jobben på det åpne arbeidsmarkedet?"),
        _("Ja"),
        _("Nei, for eksempel skjermet arbeid eller arbeidstrening"),
    )
    paid_at_least_normal_rate = _yes_no(
        _("Er lønnen minst minstelønn eller tariff?"), _("Ja"), _("Nei, lavere enn minstelønn eller tariff")
    )
    open_to_anyone = _yes_no(
        _("Kunne hvem som helst søke på jobben?"), _("Ja"), _("Nei, for eksempel reservert for tiltaksdeltakere")
    )

    def clean_hours_per_week(self):
        hours = self.cleaned_data["hours_per_week"]
        if hours <= 0:
            raise ValidationError(_("Antall timer per uke må være større enn null."))
        return hours


class JobEndForm(forms.Form):
    end_date = _date(_("Siste arbeidsdag"), initial=timezone.localdate)

    def __init__(self, *args, job: Job, **kwargs):
        kwargs.setdefault("auto_id", f"id_jobb{job.pk}_%s")
        super().__init__(*args, **kwargs)
        self.job = job


class EducationForm(forms.Form):
    level = forms.ChoiceField(label=_("Nivå"), choices=[("", _("Velg nivå")), *Education.Level.choices])
    institution = forms.CharField(label=_("Skole eller lærested"), max_length=200)
    start_date = _date(_("Startdato"))
    planned_end = _date(_("Planlagt slutt"), required=False)


class EducationFinishForm(forms.Form):
    ended_on = _date(_("Sluttdato"), initial=timezone.localdate)
    completed = _yes_no(_("Ble utdanningen fullført?"), _("Ja, fullført"), _("Nei, avbrutt"))

    def __init__(self, *args, education: Education, **kwargs):
        kwargs.setdefault("auto_id", f"id_utdanning{education.pk}_%s")
        super().__init__(*args, **kwargs)
        self.education = education


class EmployerSearchForm(forms.Form):
    q = forms.CharField(label=_("Søk på navn eller organisasjonsnummer"), required=False, max_length=100)


class EmployerForm(forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=200)
    orgnr = forms.CharField(
        label=_("Organisasjonsnummer"), max_length=20, help_text=_("Ni siffer fra Enhetsregisteret.")
    )
    municipality = MunicipalityNumberField(
        label=_("Kommunenummer"), required=False, help_text=_("Fire siffer, f.eks. 0301.")
    )

    def clean_orgnr(self) -> str:
        number = orgnr.compact(self.cleaned_data["orgnr"])
        validate_orgnr(number)
        return number


class EmployerContactForm(forms.Form):
    employer = _employer_choice(required=True)
    date = _date(_("Dato"), initial=timezone.localdate)
    face_to_face = _yes_no(
        _("Møttes dere ansikt til ansikt?"), _("Ja, ansikt til ansikt"), _("Nei, på telefon, e-post eller digitalt")
    )
    purpose = forms.ChoiceField(
        label=_("Formål"),
        choices=EmployerContact.Purpose.choices,
        widget=RadioSelect,
        error_messages={"required": _("Velg formålet med kontakten.")},
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Deltakere kontakten gjaldt"),
        queryset=Participant.objects.none(),
        required=False,
        widget=CheckboxSelectMultiple,
        help_text=_("Bare når formålet er bestemte deltakere."),
        error_messages={
            "invalid_choice": _("Velg blant deltakerne i listen."),
            "invalid_pk_value": _("Velg blant deltakerne i listen."),
        },
    )
    result = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("Resultat"), required=False, widget=Textarea)

    def __init__(self, *args, participants: QuerySet[Participant], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["participants"]
        field.queryset = participants.select_related("municipality__county")
        field.label_from_instance = participant_label

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("purpose") == EmployerContact.Purpose.JOB_DEVELOPMENT and cleaned.get("participants"):
            self.add_error(
                "participants",
                _("Generell jobbutvikling gjelder ingen bestemte deltakere. Velg «For bestemte deltakere» i stedet."),
            )
        return cleaned


# Corrections -----------------------------------------------------------------------------------------------------


def _reason_field(label) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=2000,
        widget=Textarea(attrs={"rows": 3}),
        help_text=_("Lagres i endringsloggen sammen med det som ble endret."),
        error_messages={"required": _("Skriv hvorfor det rettes eller slettes.")},
    )


def _yes_no_initial(value: bool) -> str:
    return "ja" if value else "nei"


class JobCorrectForm(JobForm):
    reason = _reason_field(_("Hvorfor rettes jobben?"))

    @staticmethod
    def initial_from(job: Job) -> dict:
        return {
            "employer": job.employer_id,
            "title": job.title,
            "job_type": job.job_type,
            "start_date": job.start_date,
            "end_date": job.end_date,
            "hours_per_week": job.hours_per_week,
            "open_labour_market": _yes_no_initial(job.open_labour_market),
            "paid_at_least_normal_rate": _yes_no_initial(job.paid_at_least_normal_rate),
            "open_to_anyone": _yes_no_initial(job.open_to_anyone),
        }


class ContactCorrectForm(ContactForm):
    reason = _reason_field(_("Hvorfor rettes kontakten?"))

    @staticmethod
    def initial_from(contact: Contact) -> dict:
        return {
            "kind": contact.kind,
            "date": contact.date,
            "place": contact.place,
            "counterpart": contact.counterpart,
            "notes": contact.notes,
        }


class EducationCorrectForm(EducationForm):
    reason = _reason_field(_("Hvorfor rettes utdanningen?"))

    @staticmethod
    def initial_from(education: Education) -> dict:
        return {
            "level": education.level,
            "institution": education.institution,
            "start_date": education.start_date,
            "planned_end": education.planned_end,
        }


class ActivityCorrectForm(ActivityAddForm):
    reason = _reason_field(_("Hvorfor rettes aktiviteten?"))

    @staticmethod
    def initial_from(activity: PlanActivity) -> dict:
        return {"description": activity.description, "due_on": activity.due_on}


class EmployerContactCorrectForm(EmployerContactForm):
    reason = _reason_field(_("Hvorfor rettes kontakten?"))

    @staticmethod
    def initial_from(contact: EmployerContact) -> dict:
        return {
            "employer": contact.employer_id,
            "date": contact.date,
            "face_to_face": _yes_no_initial(contact.face_to_face),
            "purpose": contact.purpose,
            "participants": list(contact.participants.values_list("pk", flat=True)),
            "result": contact.result,
        }


class DeleteForm(forms.Form):
    """Deleting an entry cannot be undone on the page: the reason is asked for, and the user confirms."""

    reason = _reason_field(_("Hvorfor slettes registreringen?"))
    confirmed = forms.BooleanField(
        label=_("Jeg bekrefter at registreringen skal slettes."),
        error_messages={"required": _("Kryss av for å bekrefte slettingen.")},
    )

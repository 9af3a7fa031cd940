"""The participant's pathway: the person, the referral, and the period of IPS follow-up with its history."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from brobygger.accounts.models import IpsService, Municipality, TreatmentTeam, validate_orgnr
from brobygger.background import BackgroundJob
from brobygger.fields import TEXT_MAX_LENGTH


class Participant(models.Model):
    """A participant. The identity number is only ever stored encrypted, with a keyed hash for exact search."""

    # Read by the key-rotation command and kept out of the audit trail.
    IDENTITY_FIELDS = ("identity_encrypted", "identity_hash")
    AUDIT_EXCLUDE = IDENTITY_FIELDS
    # What names or reaches the person: the trail says it changed, not what it is (audit rows outlive erasure).
    AUDIT_MASK = ("first_name", "last_name")

    identity_encrypted = models.TextField(_("fødselsnummer (kryptert)"))
    identity_hash = models.CharField(_("søkenøkkel"), max_length=64, unique=True)
    birth_date = models.DateField(_("fødselsdato"))
    first_name = models.CharField(_("fornavn"), max_length=100)
    last_name = models.CharField(_("etternavn"), max_length=100)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("bostedskommune")
    )
    # The health facts are what one service recorded: only that service sees and edits them, and it edits the names
    # and municipality (need to know across services, docs/adr/0006-need-to-know-across-services.md). Set by the
    # first referral. Phone, e-mail and guardian are each service's own: ParticipantContactDetails.
    recorded_by = models.ForeignKey(
        IpsService,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrert av tilbudet"),
    )
    # The health facts the regulation's reporting needs, and nothing more.
    has_psychosis = models.BooleanField(_("psykoselidelse"), default=False)
    has_substance_problems = models.BooleanField(_("rusmiddelproblemer/-avhengighet"), default=False)
    reduced_work_capacity_assessed_on = models.DateField(
        _("nedsatt arbeidsevne vurdert av NAV"),
        null=True,
        blank=True,
        help_text=_("Dato for NAVs vurdering etter arbeids- og velferdsforvaltningsloven § 14 a."),
    )
    is_synthetic = models.BooleanField(_("syntetisk (demodata)"), default=False)
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("deltaker")
        verbose_name_plural = _("deltakere")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    # What only the recording service sees (recorded_by); names, birth date and municipality identify the person.
    RECORDED_FIELDS = (
        "has_psychosis",
        "has_substance_problems",
        "reduced_work_capacity_assessed_on",
    )

    @property
    def has_reduced_work_capacity(self) -> bool:
        return self.reduced_work_capacity_assessed_on is not None


class ParticipantContactDetails(models.Model):
    """How one IPS service reaches the person: its own phone, e-mail and guardian, seen and edited by it alone.

    One row per person and service (docs/adr/0006-need-to-know-across-services.md): a service that refers a person
    another service registered records its own details here and never sees the other service's.
    """

    AUDIT_MASK = ("phone", "email", "guardian_name", "guardian_phone")  # see Participant.AUDIT_MASK
    FIELDS = AUDIT_MASK

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="contact_details")
    service = models.ForeignKey(IpsService, on_delete=models.PROTECT, related_name="+", verbose_name=_("IPS-tilbud"))
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    guardian_name = models.CharField(_("foresattes navn"), max_length=200, blank=True)
    guardian_phone = models.CharField(_("foresattes telefon"), max_length=30, blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("kontaktopplysninger")
        verbose_name_plural = _("kontaktopplysninger")
        constraints = [
            models.UniqueConstraint(fields=["participant", "service"], name="contact_details_one_per_service")
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}/{self.service_id}"

    @property
    def has_guardian(self) -> bool:
        return bool(self.guardian_name or self.guardian_phone)


class Referral(models.Model):
    """A referral from a named clinician in a treatment team: "no clinician, no IPS"."""

    AUDIT_MASK = ("goals",)  # free text about the person: see Participant.AUDIT_MASK

    class ConsentMethod(models.TextChoices):
        WRITTEN = "skriftlig", _("Skriftlig")
        ORAL = "muntlig", _("Muntlig, notert i journal")
        DIGITAL = "digitalt", _("Digitalt")

    class Decision(models.TextChoices):
        PENDING = "pending", _("Ikke avgjort")
        ACCEPTED = "accepted", _("Tatt inn")
        REFUSED = "refused", _("Ikke tatt inn")
        WITHDRAWN = "withdrawn", _("Trukket tilbake")

    class RefusalReason(models.TextChoices):
        # Only reasons the regulation allows: zero exclusion (IPS principle 1) leaves no room for others.
        NOT_ELIGIBLE = "not_eligible", _("Vilkårene i forskriften § 3-1 er ikke oppfylt")
        NO_CONSENT = "no_consent", _("Personen samtykker ikke")
        NO_WISH = "no_wish", _("Personen ønsker ikke arbeid eller utdanning nå")
        NO_HEALTH_CONTACT = "no_health_contact", _("Personen får ikke behandling eller oppfølging i helsetjenesten")
        OUTSIDE_AREA = "outside_area", _("Personen bor utenfor tilbudets område")

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="referrals")
    team = models.ForeignKey(TreatmentTeam, on_delete=models.PROTECT, related_name="referrals")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("henvisende behandler")
    )
    referred_on = models.DateField(_("henvisningsdato"))
    goals = models.TextField(_("personens egne mål"), max_length=TEXT_MAX_LENGTH)
    consent_given_on = models.DateField(_("samtykke gitt"), null=True, blank=True)
    consent_method = models.CharField(_("samtykkeform"), max_length=20, choices=ConsentMethod.choices, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The facts the eligibility rule was given, so the assessment can be made again when consent comes later.
    facts = models.JSONField(_("opplysninger til vurderingen"), default=dict, blank=True)
    eligibility_outcome = models.CharField(_("vurdering av personkrets"), max_length=30)
    eligibility = models.JSONField(_("begrunnelse for vurderingen"))
    decision = models.CharField(_("avgjørelse"), max_length=20, choices=Decision.choices, default=Decision.PENDING)
    refusal_reason = models.CharField(_("grunn"), max_length=30, choices=RefusalReason.choices, blank=True)
    decided_on = models.DateField(_("avgjort"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("grunn til at henvisningen ble trukket"), blank=True, max_length=2000)
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("henvisning")
        verbose_name_plural = _("henvisninger")
        ordering = ["-referred_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="refused", refusal_reason__gt="") | ~Q(decision="refused"),
                name="referral_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(decision="withdrawn", withdrawal_reason__gt="") | ~Q(decision="withdrawn"),
                name="referral_withdrawal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Henvisning {self.referred_on:%d.%m.%Y}"


class Period(models.Model):
    """One period of IPS follow-up. A new referral of the same person starts a new period; history is kept."""

    AUDIT_MASK = ("closure_text",)  # free text about the person: see Participant.AUDIT_MASK

    class Track(models.TextChoices):
        IPS = "ips", _("IPS")
        IPS_UNG = "ips_ung", _("IPS ung")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Venter på oppstart")
        JOB_SEARCH = "job_search", _("Aktiv jobbsøking")
        FOLLOW_ALONG = "follow_along", _("I arbeid og/eller utdanning, med oppfølging")
        CLOSED = "closed", _("Avsluttet")

    class ClosureReason(models.TextChoices):
        WORK = "work", _("Ordinært arbeid")
        EDUCATION = "education", _("Utdanning")
        WORK_AND_EDUCATION = "work_and_education", _("Både arbeid og utdanning")
        MOVED = "moved", _("Flyttet")
        NO_LONGER_WISHES = "no_longer_wishes", _("Ønsker ikke lenger tiltaket")
        HEALTH = "health", _("Helse")
        DURATION_LIMIT = "duration_limit", _("Lengste varighet nådd")
        OTHER = "other", _("Annet")

    OUTCOME_REASONS = frozenset({ClosureReason.WORK, ClosureReason.EDUCATION, ClosureReason.WORK_AND_EDUCATION})

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="periods")
    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="period")
    service = models.ForeignKey(IpsService, on_delete=models.PROTECT, related_name="periods")
    job_specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="caseload"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.WAITING)
    start_date = models.DateField(_("oppstartsdato"), null=True, blank=True)
    track = models.CharField(_("spor"), max_length=10, choices=Track.choices, blank=True)
    last_permitted_day = models.DateField(_("siste dag i tiltaket"), null=True, blank=True)
    duration = models.JSONField(_("begrunnelse for varigheten"), default=dict, blank=True)
    closed_on = models.DateField(_("avsluttet"), null=True, blank=True)
    closure_reason = models.CharField(_("avslutningsgrunn"), max_length=30, choices=ClosureReason.choices, blank=True)
    closure_text = models.TextField(_("forklaring"), blank=True, max_length=TEXT_MAX_LENGTH)
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("forløp")
        verbose_name_plural = _("forløp")
        ordering = ["-start_date"]
        # The statistics select periods by the dates they were open, started and closed (docs/indicators.md).
        indexes = [
            models.Index(fields=["start_date", "closed_on"], name="period_start_closed"),
            models.Index(fields=["closed_on"], name="period_closed_on"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["participant"], condition=Q(closed_on__isnull=True), name="period_one_open_per_participant"
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closure_reason__gt=""), name="period_closure_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(start_date__isnull=True) | Q(closed_on__gte=F("start_date")),
                name="period_closed_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Forløp {self.get_track_display() or ''} {self.start_date or ''}".strip()

    @property
    def waiting_days(self) -> int | None:
        """Waiting time as the grant report defines it: start date minus referral date."""
        return (self.start_date - self.referral.referred_on).days if self.start_date else None


class StatusChange(models.Model):
    """The status history of a period, as dated rows."""

    class Reason(models.TextChoices):
        """Why the status moved back, where it is not the pathway's own course forward (blank)."""

        ENTRY_DELETED = "entry_deleted", _("Den eneste jobben eller utdanningen på forløpet ble slettet")

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField(_("status"), max_length=20, choices=Period.Status.choices)
    valid_from = models.DateField(_("fra"))
    reason = models.CharField(_("grunn"), max_length=20, choices=Reason.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("statusendring")
        verbose_name_plural = _("statusendringer")
        ordering = ["valid_from", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} fra {self.valid_from:%d.%m.%Y}"


class Employer(models.Model):
    """An employer in the team's register (IPS principle 7): one registration per organisation number."""

    name = models.CharField(_("navn"), max_length=200)
    orgnr = models.CharField(_("organisasjonsnummer"), max_length=9, unique=True, validators=[validate_orgnr])
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("kommune")
    )
    is_synthetic = models.BooleanField(_("syntetisk (demodata)"), default=False)

    class Meta:
        verbose_name = _("arbeidsgiver")
        verbose_name_plural = _("arbeidsgivere")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.orgnr})"


class EmployerContact(models.Model):
    """A job specialist's contact with an employer; counted per specialist per week for fidelity item 17."""

    class Purpose(models.TextChoices):
        NAMED_PARTICIPANTS = "named_participants", _("For bestemte deltakere")
        JOB_DEVELOPMENT = "job_development", _("Generell jobbutvikling")

    job_specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="employer_contacts",
        verbose_name=_("jobbspesialist"),
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("arbeidsgiver")
    )
    date = models.DateField(_("dato"))
    face_to_face = models.BooleanField(_("ansikt til ansikt"))
    purpose = models.CharField(_("formål"), max_length=30, choices=Purpose.choices)
    participants = models.ManyToManyField(
        Participant, blank=True, related_name="employer_contacts", verbose_name=_("deltakere")
    )
    result = models.TextField(_("resultat"), blank=True, max_length=TEXT_MAX_LENGTH)

    class Meta:
        verbose_name = _("arbeidsgiverkontakt")
        verbose_name_plural = _("arbeidsgiverkontakter")
        ordering = ["-date"]
        # The statistics: employers contacted in a period, and whether a hire was at one of them.
        indexes = [
            models.Index(fields=["employer", "date"], name="employercontact_employer_date"),
            models.Index(fields=["date"], name="employercontact_date"),
        ]

    def __str__(self) -> str:
        return f"Kontakt med {self.employer.name} {self.date:%d.%m.%Y}"


class Job(models.Model):
    """A job held during a period. Whether it counts as ordinary work is the stored result of the rule."""

    class JobType(models.TextChoices):
        RETAIL = "varehandel", _("Varehandel")
        OFFICE = "kontor", _("Kontor og administrasjon")
        HEALTH_AND_CARE = "helse_omsorg", _("Helse og omsorg")
        CONSTRUCTION = "bygg_anlegg", _("Bygg og anlegg")
        TRANSPORT_AND_WAREHOUSING = "transport_lager", _("Transport og lager")
        HOSPITALITY = "serveringsnaering", _("Serveringsnæring")
        MANUFACTURING = "industri", _("Industri")
        IT = "it", _("IT")
        CULTURE = "kultur", _("Kultur")
        OTHER = "annet", _("Annet")

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="jobs", verbose_name=_("forløp"))
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="jobs", verbose_name=_("arbeidsgiver")
    )
    title = models.CharField(_("stillingstittel"), max_length=200)
    job_type = models.CharField(_("bransje"), max_length=30, choices=JobType.choices)
    start_date = models.DateField(_("startdato"))
    end_date = models.DateField(_("sluttdato"), null=True, blank=True)
    hours_per_week = models.DecimalField(_("timer per uke"), max_digits=5, decimal_places=2)
    open_labour_market = models.BooleanField(_("på det åpne arbeidsmarkedet"))
    paid_at_least_normal_rate = models.BooleanField(_("betalt minst minstelønn eller tariff"))
    open_to_anyone = models.BooleanField(_("en jobb hvem som helst kan søke på"))
    # Set only by the service from the rule "ordinaert-arbeid", so the count can be explained later.
    counts_as_outcome = models.BooleanField(_("teller som ordinært arbeid"), default=False, editable=False)
    ordinary_work = models.JSONField(_("begrunnelse for vurderingen"), default=dict, editable=False)

    class Meta:
        verbose_name = _("jobb")
        verbose_name_plural = _("jobber")
        ordering = ["-start_date"]
        # The statistics: jobs held in a period, and hires in it.
        indexes = [
            models.Index(fields=["period", "start_date", "end_date"], name="job_period_dates"),
            models.Index(fields=["start_date"], name="job_start_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="job_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(hours_per_week__gt=0), name="job_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_date:%d.%m.%Y})"


class Education(models.Model):
    """Education started during a period: an outcome on a par with work for IPS ung."""

    class Level(models.TextChoices):
        UPPER_SECONDARY = "videregaende", _("Videregående opplæring")
        APPRENTICE = "larling_larekandidat", _("Lærling eller lærekandidat")
        VOCATIONAL_COLLEGE = "fagskole", _("Fagskole")
        HIGHER_EDUCATION = "hoyere_utdanning", _("Høyere utdanning")
        FOLK_HIGH_SCHOOL = "folkehogskole", _("Folkehøgskole")
        OTHER_TRAINING = "annen_opplaering", _("Annen opplæring")

    class Status(models.TextChoices):
        ONGOING = "ongoing", _("Pågår")
        COMPLETED = "completed", _("Fullført")
        DROPPED_OUT = "dropped_out", _("Avbrutt")

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="educations", verbose_name=_("forløp"))
    level = models.CharField(_("nivå"), max_length=30, choices=Level.choices)
    institution = models.CharField(_("skole eller lærested"), max_length=200)
    start_date = models.DateField(_("startdato"))
    planned_end = models.DateField(_("planlagt slutt"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ONGOING)
    ended_on = models.DateField(_("avsluttet"), null=True, blank=True)

    class Meta:
        verbose_name = _("utdanning")
        verbose_name_plural = _("utdanninger")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True) | Q(planned_end__gte=F("start_date")),
                name="education_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("start_date")),
                name="education_ended_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status="ongoing", ended_on__isnull=True)
                | (~Q(status="ongoing") & Q(ended_on__isnull=False)),
                name="education_ended_iff_finished",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}, {self.institution}"


class CareerProfile(models.Model):
    """The participant's career profile (IPS principle 4): their own interests, strengths and preferences steer."""

    AUDIT_MASK = (
        "interests",
        "strengths",
        "preferences",
        "work_history",
        "education_history",
        "disclosure_notes",
    )  # free text about the person: see Participant.AUDIT_MASK

    class DisclosureWish(models.TextChoices):
        FULL = "full", _("Full åpenhet overfor arbeidsgiver")
        PARTIAL = "partial", _("Delvis åpenhet")
        NONE = "none", _("Ingen åpenhet")
        UNDECIDED = "undecided", _("Ikke bestemt ennå")

    period = models.OneToOneField(
        Period, on_delete=models.PROTECT, related_name="career_profile", verbose_name=_("forløp")
    )
    interests = models.TextField(_("interesser"), blank=True, max_length=TEXT_MAX_LENGTH)
    strengths = models.TextField(_("styrker"), blank=True, max_length=TEXT_MAX_LENGTH)
    preferences = models.TextField(
        _("ønsker"),
        blank=True,
        help_text=_("Arbeidsforhold, arbeidstid og steder personen ønsker eller vil unngå."),
        max_length=TEXT_MAX_LENGTH,
    )
    work_history = models.TextField(_("arbeidserfaring"), blank=True, max_length=TEXT_MAX_LENGTH)
    education_history = models.TextField(_("utdanning"), blank=True, max_length=TEXT_MAX_LENGTH)
    disclosure_wish = models.CharField(
        _("åpenhet om helse"), max_length=20, choices=DisclosureWish.choices, default=DisclosureWish.UNDECIDED
    )
    disclosure_discussed_on = models.DateField(_("åpenhet drøftet"), null=True, blank=True)
    disclosure_notes = models.TextField(_("notater om åpenhet"), blank=True, max_length=TEXT_MAX_LENGTH)
    updated_on = models.DateField(_("sist oppdatert"))
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("karriereprofil")
        verbose_name_plural = _("karriereprofiler")

    def __str__(self) -> str:
        return f"Karriereprofil {self.updated_on:%d.%m.%Y}"


class FollowUpPlan(models.Model):
    """The follow-up plan (forskriften § 3-3): made together with the participant and kept up to date."""

    period = models.OneToOneField(Period, on_delete=models.PROTECT, related_name="plan", verbose_name=_("forløp"))
    purpose = models.TextField(_("formål"), max_length=TEXT_MAX_LENGTH)
    created_on = models.DateField(_("opprettet"))

    class Meta:
        verbose_name = _("oppfølgingsplan")
        verbose_name_plural = _("oppfølgingsplaner")

    def __str__(self) -> str:
        return f"Oppfølgingsplan {self.created_on:%d.%m.%Y}"


class PlanRevision(models.Model):
    """One revision of the plan, with who took part. Revisions are kept; no service edits one."""

    AUDIT_MASK = ("content",)  # free text about the person: see Participant.AUDIT_MASK

    plan = models.ForeignKey(
        FollowUpPlan, on_delete=models.PROTECT, related_name="revisions", verbose_name=_("oppfølgingsplan")
    )
    revised_on = models.DateField(_("revidert"))
    content = models.TextField(
        _("innhold og oppfølgingsaktiviteter"), help_text=_("Slik det ble avtalt."), max_length=TEXT_MAX_LENGTH
    )
    participant_took_part = models.BooleanField(_("deltakeren var med"))
    clinician_took_part = models.BooleanField(_("behandler var med"))
    job_specialist_took_part = models.BooleanField(_("jobbspesialisten var med"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registrert av")
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("planrevisjon")
        verbose_name_plural = _("planrevisjoner")
        ordering = ["revised_on", "recorded_at"]
        constraints = [
            # § 3-3: the plan is made together with the participant.
            models.CheckConstraint(condition=Q(participant_took_part=True), name="planrevision_with_participant"),
        ]

    def __str__(self) -> str:
        return f"Planrevisjon {self.revised_on:%d.%m.%Y}"


class PlanActivity(models.Model):
    """A follow-up activity in the plan."""

    AUDIT_MASK = ("description",)  # free text about the person: see Participant.AUDIT_MASK

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planlagt")
        IN_PROGRESS = "in_progress", _("Pågår")
        DONE = "done", _("Fullført")
        CANCELLED = "cancelled", _("Avlyst")

    plan = models.ForeignKey(
        FollowUpPlan, on_delete=models.PROTECT, related_name="activities", verbose_name=_("oppfølgingsplan")
    )
    description = models.TextField(_("beskrivelse"), max_length=TEXT_MAX_LENGTH)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    due_on = models.DateField(_("frist"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("planaktivitet")
        verbose_name_plural = _("planaktiviteter")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:60]


class Contact(models.Model):
    """A contact in the follow-up: with the participant, the treatment team, a school, NAV, or after a job start."""

    AUDIT_MASK = ("notes", "counterpart")  # free text about the person: see Participant.AUDIT_MASK

    class Kind(models.TextChoices):
        PARTICIPANT_MEETING = "participant_meeting", _("Møte med deltakeren")
        TEAM_MEETING = "team_meeting", _("Drøftet i behandlingsteamets møte")
        BENEFITS_COUNSELLING = "benefits_counselling", _("Veiledning om ytelser og økonomi")
        SCHOOL = "school", _("Kontakt med skole eller lærested")
        NAV_COUNSELLOR = "nav_counsellor", _("Kontakt med NAV-veileder")
        FOLLOW_ALONG = "follow_along", _("Oppfølging etter jobb- eller skolestart")

    class Place(models.TextChoices):
        OFFICE = "office", _("På kontoret")
        COMMUNITY = "community", _("Ute i samfunnet")
        DIGITAL = "digital", _("Digitalt eller på telefon")

    # A meeting with the participant always has a place: IPS principle 8 asks how much happens out in the community.
    KINDS_WITH_PLACE = frozenset({Kind.PARTICIPANT_MEETING, Kind.BENEFITS_COUNSELLING, Kind.FOLLOW_ALONG})

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("forløp"))
    kind = models.CharField(_("type kontakt"), max_length=30, choices=Kind.choices)
    date = models.DateField(_("dato"))
    place = models.CharField(_("sted"), max_length=20, choices=Place.choices, blank=True)
    counterpart = models.CharField(
        _("med hvem"), max_length=200, blank=True, help_text=_("Skole, NAV-kontor, arbeidsgiver eller person.")
    )
    notes = models.TextField(_("notat"), blank=True, max_length=TEXT_MAX_LENGTH)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registrert av")
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kontakt")
        verbose_name_plural = _("kontakter")
        ordering = ["-date", "-recorded_at"]
        indexes = [models.Index(fields=["period", "kind", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d.%m.%Y}"


class JobSearchEvent(models.Model):
    """The job-search log of a period: applications, interviews, offers and rejections."""

    AUDIT_MASK = ("notes",)  # free text about the person: see Participant.AUDIT_MASK

    class Kind(models.TextChoices):
        APPLICATION = "application", _("Søknad")
        INTERVIEW = "interview", _("Intervju")
        OFFER = "offer", _("Tilbud om jobb")
        REJECTION = "rejection", _("Avslag")

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="job_search", verbose_name=_("forløp"))
    kind = models.CharField(_("hendelse"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("dato"))
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("arbeidsgiver")
    )
    employer_name = models.CharField(
        _("arbeidsgiver (fritekst)"),
        max_length=200,
        blank=True,
        help_text=_("Hvis arbeidsgiveren ikke er i registeret."),
    )
    position = models.CharField(_("stilling"), max_length=200)
    notes = models.TextField(_("notat"), blank=True, max_length=TEXT_MAX_LENGTH)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("jobbsøkingshendelse")
        verbose_name_plural = _("jobbsøkingslogg")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(employer__isnull=False) | Q(employer_name__gt=""), name="jobsearch_has_employer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.position} {self.date:%d.%m.%Y}"


class Extension(models.Model):
    """A recorded decision to extend a period (forskriften § 3-6; the proposal § 3-5 third paragraph)."""

    AUDIT_MASK = ("justification",)  # free text about the person: see Participant.AUDIT_MASK

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="extensions", verbose_name=_("forløp"))
    decided_on = models.DateField(_("vedtatt"))
    previous_last_day = models.DateField(_("siste dag før forlengelsen"))
    extended_to = models.DateField(_("forlenget til og med"))
    justification = models.TextField(_("begrunnelse"), max_length=TEXT_MAX_LENGTH)
    rule_result = models.JSONField(_("regelvurdering"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("vedtatt av")
    )

    class Meta:
        verbose_name = _("forlengelse")
        verbose_name_plural = _("forlengelser")
        ordering = ["decided_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(extended_to__gt=F("previous_last_day")), name="extension_extends_the_period"
            ),
        ]

    def __str__(self) -> str:
        return f"Forlengelse til {self.extended_to:%d.%m.%Y}"


class DigestSent(models.Model):
    """The daily e-mail of caseload alerts to one user on one day: at most one per user per day, so a worker that is
    restarted or runs twice sends nothing twice. It holds counts per alert kind, never people."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("dag"))
    alert_counts = models.JSONField(_("varsler per slag"), default=dict)
    # False when there was nothing to report: the day is still done, and no empty e-mail is sent.
    emailed = models.BooleanField(_("e-post sendt"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("daglig varsel-e-post")
        verbose_name_plural = _("daglige varsel-e-poster")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="participants_digest_once_a_day")]

    def __str__(self) -> str:
        return f"{self.day:%d.%m.%Y}"


class ImportJob(BackgroundJob):
    """A bulk import of people, referrals and periods (docs/import.md), run by the background worker.

    The uploaded file is kept only until the job has run: it holds identity numbers in the clear."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kø")
        RUNNING = "running", _("Kjører")
        DONE = "done", _("Importert")
        INVALID = "invalid", _("Ikke importert: feil i filen")
        FAILED = "failed", _("Feilet")

    FINISHED = (Status.DONE, Status.INVALID, Status.FAILED)

    # An import is a write in the audit trail: the user who made it stays.
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("filnavn"), max_length=200)
    content = models.BinaryField(_("innhold"), default=bytes)
    # Its own statuses: a file can be refused as a whole (``invalid``) before anything is imported.
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    # [{"row": 3, "column": "henvisningsdato", "message": "..."}]: never an identity number.
    problems = models.JSONField(_("feil"), default=list, blank=True)
    summary = models.JSONField(_("resultat"), default=dict, blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("import")
        verbose_name_plural = _("importer")

    def __str__(self) -> str:
        return f"Import {self.file_name} ({self.get_status_display()})"

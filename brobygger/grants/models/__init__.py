"""The grant scheme's data: calls, applications with their measures, assessments, the recommendation for a call,
decisions with their letters, and appeals.

Money is ``Decimal`` in whole kroner (``decimal_places=0``) with bounds in the database. What is decided is never
edited: a submitted application is locked (a change is a new version), an approved decision is final (a change is
a new decision that names the one it replaces), and a letter's PDF is stored with its SHA-256 checksum.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from brobygger.accounts.models import Organisation

# The largest amount any one field may hold: well above any call's frame, far below what a typo could produce.
MAX_KRONER = Decimal("1000000000")


def kroner(verbose_name, **options) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=0, **options)


class Measure(models.TextChoices):
    A = "A", _("Tiltak A: jobbspesialiststillinger")
    B = "B", _("Tiltak B: ressursmiljø")
    C = "C", _("Tiltak C: jobbspesialist i ACT-, FACT- eller FACT ung-team")


class Call(models.Model):
    """An annual call for applications (*utlysning*): the frame Parliament set and the measures open."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        PUBLISHED = "published", _("Publisert")
        CLOSED = "closed", _("Avsluttet")

    year = models.PositiveSmallIntegerField(_("år"))
    title = models.CharField(_("tittel"), max_length=200)
    budget_frame = kroner(_("budsjettramme (kr)"))
    opens_a = models.BooleanField(_("tiltak A er åpent"), default=True)
    opens_b = models.BooleanField(_("tiltak B er åpent"), default=True)
    opens_c = models.BooleanField(_("tiltak C er åpent"), default=True)
    deadline = models.DateField(_("søknadsfrist"))
    text = models.TextField(_("utlysningstekst"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("publisert"), null=True, blank=True)

    class Meta:
        verbose_name = _("utlysning")
        verbose_name_plural = _("utlysninger")
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_frame__gt=0) & Q(budget_frame__lte=MAX_KRONER), name="call_frame_bounds"
            ),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="call_year_bounds"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def measures_open(self) -> list[str]:
        return [
            m
            for m, is_open in ((Measure.A, self.opens_a), (Measure.B, self.opens_b), (Measure.C, self.opens_c))
            if is_open
        ]


class Application(models.Model):
    """An application (*søknad*) from one organisation, and for measure C with a partner (the joint application).

    Only a draft can change. A submitted application is locked; a change after submission is a new version that
    names the one it supersedes, and the old version is kept as it was.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        SUBMITTED = "submitted", _("Sendt inn")
        ASSESSED = "assessed", _("Vurdert")
        DECIDED = "decided", _("Vedtak fattet")
        SUPERSEDED = "superseded", _("Erstattet av ny versjon")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("utlysning"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="grant_applications", verbose_name=_("søker")
    )
    partner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="joint_grant_applications",
        verbose_name=_("medsøker (felles søknad)"),
    )
    version = models.PositiveSmallIntegerField(_("versjon"), default=1)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(_("tittel"), max_length=200)
    goals = models.TextField(_("mål med tilskuddet"), blank=True)
    project_description = models.TextField(_("prosjektbeskrivelse"), blank=True)
    need = models.TextField(_("behovet for tiltakene"), blank=True)
    award_criteria = models.TextField(_("beskrivelse av tildelingskriteriene (punkt 5)"), blank=True)
    co_funding_amount = kroner(_("delfinansiering fra andre (kr)"), null=True, blank=True)
    co_funding_text = models.TextField(_("delfinansiering fra andre"), blank=True)
    own_funding_amount = kroner(_("egenfinansiering (kr)"), null=True, blank=True)
    own_funding_text = models.TextField(_("egenfinansiering"), blank=True)
    control_measures = models.TextField(_("interne og eksterne kontrolltiltak"), blank=True)
    risk_assessment = models.TextField(_("vurdering av risiko"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("sendt inn"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checklist = models.JSONField(_("sjekkliste ved innsending"), default=dict, blank=True)
    late_exception_reason = models.TextField(_("grunn til unntak fra søknadsfristen"), blank=True)
    late_exception_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saksbehandler"),
    )

    class Meta:
        verbose_name = _("søknad")
        verbose_name_plural = _("søknader")
        ordering = ["call", "organisation__name", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(co_funding_amount__isnull=True)
                | (Q(co_funding_amount__gte=0) & Q(co_funding_amount__lte=MAX_KRONER)),
                name="application_co_funding_bounds",
            ),
            models.CheckConstraint(
                condition=Q(own_funding_amount__isnull=True)
                | (Q(own_funding_amount__gte=0) & Q(own_funding_amount__lte=MAX_KRONER)),
                name="application_own_funding_bounds",
            ),
            models.CheckConstraint(condition=~Q(partner=F("organisation")), name="application_partner_differs"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.organisation}, v{self.version})"

    @property
    def is_locked(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def organisations(self) -> list[Organisation]:
        return [org for org in (self.organisation, self.partner) if org is not None]


class ApplicationMeasure(models.Model):
    """One measure applied for, with what seed 001 asks of it. The project year is computed, never typed."""

    class TeamType(models.TextChoices):
        ACT = "act", _("ACT-team")
        FACT = "fact", _("FACT-team")
        FACT_UNG = "fact_ung", _("FACT ung-team")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="measures")
    measure = models.CharField(_("tiltak"), max_length=1, choices=Measure.choices)
    requested_amount = kroner(_("omsøkt beløp til lønn (kr)"))
    salary_costs_only = models.BooleanField(_("søker bare om lønnskostnader"), default=True)
    project_year = models.PositiveSmallIntegerField(_("prosjektår"), null=True, blank=True)
    # A
    earlier_scheme_project_year = models.PositiveSmallIntegerField(
        _("prosjektår under tidligere IPS-ordning"), default=0
    )
    # B
    area = models.TextField(_("geografisk område som dekkes"), blank=True)
    staff_qualifications = models.TextField(_("de ansattes kvalifikasjoner"), blank=True)
    staff_health_or_social_education = models.BooleanField(_("helse- eller sosialfaglig utdanning"), default=False)
    staff_ips_experience_years = models.DecimalField(
        _("arbeidserfaring fra IPS (år)"), max_digits=4, decimal_places=1, default=Decimal(0)
    )
    staff_training_experience = models.BooleanField(_("erfaring med opplæring og veiledning"), default=False)
    well_established = models.BooleanField(_("veletablert fagmiljø med gode resultater"), default=False)
    covers_tasks = models.BooleanField(_("ivaretar alle arbeidsoppgavene"), default=False)
    training_measures = models.TextField(_("opplærings- og kompetansetiltak"), blank=True)
    training_amount = kroner(_("omsøkt beløp til opplæringstiltak (kr)"), default=Decimal(0))
    # C
    team_type = models.CharField(_("teamtype"), max_length=10, choices=TeamType.choices, blank=True)
    out_of_act_fact_scheme = models.BooleanField(_("teamet er ute av ACT/FACT-ordningen"), default=False)
    act_fact_grant_year = models.PositiveSmallIntegerField(_("tilskuddsår på ACT/FACT-ordningen"), default=0)
    specialist_in_health_service = models.BooleanField(_("spesialisten er ansatt i helsetjenesten"), default=False)
    management_anchoring = models.BooleanField(_("ledelsesforankring framgår av samarbeidsavtalen"), default=False)

    class Meta:
        verbose_name = _("tiltak i søknad")
        verbose_name_plural = _("tiltak i søknad")
        ordering = ["measure"]
        constraints = [
            models.UniqueConstraint(fields=["application", "measure"], name="application_measure_once"),
            models.CheckConstraint(
                condition=Q(requested_amount__gte=0) & Q(requested_amount__lte=MAX_KRONER),
                name="application_measure_amount_bounds",
            ),
            models.CheckConstraint(
                condition=Q(training_amount__gte=0) & Q(training_amount__lte=MAX_KRONER),
                name="application_measure_training_bounds",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()}"

    @property
    def fte(self) -> Decimal:
        return sum((p.fte for p in self.positions.all()), Decimal(0))


class Position(models.Model):
    """A position applied for under a measure; each is at most one full-time equivalent."""

    measure = models.ForeignKey(ApplicationMeasure, on_delete=models.CASCADE, related_name="positions")
    title = models.CharField(_("stilling"), max_length=200)
    fte = models.DecimalField(_("stillingsandel"), max_digits=3, decimal_places=2)

    class Meta:
        verbose_name = _("stilling")
        verbose_name_plural = _("stillinger")
        constraints = [
            models.CheckConstraint(condition=Q(fte__gt=0) & Q(fte__lte=1), name="position_fte_between_0_and_1"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.fte})"


class BudgetLine(models.Model):
    """A budget line at the level the accounts will later be reported on."""

    class Category(models.TextChoices):
        SALARY = "salary", _("Lønn og sosiale kostnader")
        TRAINING = "training", _("Opplærings- og kompetansetiltak")
        OTHER = "other", _("Andre kostnader")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="budget_lines")
    measure = models.CharField(_("tiltak"), max_length=1, choices=Measure.choices)
    category = models.CharField(_("kategori"), max_length=10, choices=Category.choices)
    description = models.CharField(_("beskrivelse"), max_length=200)
    amount = kroner(_("beløp (kr)"))

    class Meta:
        verbose_name = _("budsjettlinje")
        verbose_name_plural = _("budsjettlinjer")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(amount__lte=MAX_KRONER), name="budget_line_amount_bounds"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.description}: {self.amount} kr"


class Milestone(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="milestones")
    due = models.DateField(_("dato"))
    description = models.CharField(_("milepæl"), max_length=300)

    class Meta:
        verbose_name = _("milepæl")
        verbose_name_plural = _("milepæler")
        ordering = ["due"]

    def __str__(self) -> str:
        return f"{self.due}: {self.description}"


class Signature(models.Model):
    """A named person with signing authority confirms the application for one organisation."""

    class Authority(models.TextChoices):
        MUNICIPAL_DIRECTOR = "municipal_director", _("Kommunedirektør")
        CHAIR = "chair", _("Styreleder")
        DELEGATED = "delegated", _("Har signeringsfullmakt")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="signatures")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("navn"), max_length=200)
    authority = models.CharField(_("fullmakt"), max_length=20, choices=Authority.choices)
    title = models.CharField(_("stillingstittel"), max_length=200)
    signed_on = models.DateField(_("dato"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("underskrift")
        verbose_name_plural = _("underskrifter")
        constraints = [
            models.UniqueConstraint(fields=["application", "organisation"], name="signature_once_per_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_authority_display()}), {self.organisation}"


class Attachment(models.Model):
    """A PDF attached to an application; the bytes are checked to be a PDF and kept with their checksum."""

    class Kind(models.TextChoices):
        COLLABORATION_AGREEMENT = "collaboration_agreement", _("Samarbeidsavtale")
        OTHER = "other", _("Annet vedlegg")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("type vedlegg"), max_length=30, choices=Kind.choices)
    filename = models.CharField(_("filnavn"), max_length=200)
    content = models.BinaryField(_("innhold"))
    size = models.PositiveIntegerField(_("størrelse (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("lastet opp"), auto_now_add=True)

    AUDIT_EXCLUDE = ("content",)

    class Meta:
        verbose_name = _("vedlegg")
        verbose_name_plural = _("vedlegg")

    def __str__(self) -> str:
        return self.filename


class EarlierGrant(models.Model):
    """A year an organisation got the grant for a measure before this system, recorded by a grant officer.

    With the decisions made here it gives the project year, and through the rules the ceiling.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="earlier_grants")
    measure = models.CharField(_("tiltak"), max_length=1, choices=Measure.choices)
    year = models.PositiveSmallIntegerField(_("år"))
    amount = kroner(_("beløp (kr)"), null=True, blank=True)
    note = models.CharField(_("merknad"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("tidligere tilskudd")
        verbose_name_plural = _("tidligere tilskudd")
        ordering = ["organisation", "measure", "year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "measure", "year"], name="earlier_grant_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}, {self.measure}, {self.year}"


class ImpartialityDeclaration(models.Model):
    """An officer's declaration on impartiality (forvaltningsloven § 6) before assessing an application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="declarations")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    conflict = models.BooleanField(_("jeg er inhabil"))
    explanation = models.TextField(_("forklaring"), blank=True)
    declared_at = models.DateTimeField(_("erklært"), auto_now_add=True)
    handed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("habilitetserklæring")
        verbose_name_plural = _("habilitetserklæringer")
        constraints = [
            models.UniqueConstraint(fields=["application", "officer"], name="declaration_once_per_officer"),
            models.CheckConstraint(
                condition=Q(conflict=False) | Q(handed_to__isnull=False), name="declaration_conflict_handed_on"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer} – {self.application_id}"


class Assessment(models.Model):
    """The officer's assessment of one application: criteria, priority from the rules, outcome and conditions."""

    class Outcome(models.TextChoices):
        GRANT = "grant", _("Innvilges")
        PARTLY = "partly", _("Innvilges delvis")
        REFUSE = "refuse", _("Avslås")

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="assessment")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    criteria = models.TextField(_("vurdering etter tildelingskriteriene"))
    priority = models.PositiveSmallIntegerField(_("prioritet"))
    within_priority = models.PositiveSmallIntegerField(_("rekkefølge innen prioriteten"))
    priority_result = models.JSONField(default=dict)
    outcome = models.CharField(_("utfall"), max_length=10, choices=Outcome.choices)
    conditions = models.TextField(_("vilkår"), blank=True)
    refusal_reasons = models.TextField(_("begrunnelse for avslag"), blank=True)
    refusal_citations = models.CharField(_("hjemmel for avslaget"), max_length=300, blank=True)
    assessed_at = models.DateTimeField(_("vurdert"), auto_now=True)

    class Meta:
        verbose_name = _("vurdering")
        verbose_name_plural = _("vurderinger")

    def __str__(self) -> str:
        return f"{self.application}: {self.get_outcome_display()}"

    @property
    def proposed_total(self) -> Decimal:
        return sum((m.proposed_amount for m in self.measures.all()), Decimal(0))


class AssessedMeasure(models.Model):
    """Per measure: the rules' verdict, the ceiling for the project year and FTE, and the amount proposed."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="measures")
    application_measure = models.OneToOneField(ApplicationMeasure, on_delete=models.PROTECT, related_name="assessed")
    eligibility_result = models.JSONField(default=dict)
    amount_result = models.JSONField(default=dict)
    ceiling = kroner(_("høyeste tilskudd (kr)"))
    proposed_amount = kroner(_("foreslått beløp (kr)"))
    reduction_reason = models.TextField(_("grunn til avkorting"), blank=True)

    class Meta:
        verbose_name = _("vurdert tiltak")
        verbose_name_plural = _("vurderte tiltak")
        constraints = [
            models.CheckConstraint(
                condition=Q(proposed_amount__gte=0) & Q(proposed_amount__lte=F("ceiling")),
                name="assessed_measure_within_ceiling",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_measure}: {self.proposed_amount} kr"


class Recommendation(models.Model):
    """The recommendation (*innstilling*) for a whole call, within its frame; one officer submits, an approver
    approves or returns it. The two are never the same person."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Sendt til godkjenning")
        APPROVED = "approved", _("Godkjent")
        RETURNED = "returned", _("Sendt tilbake")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="recommendations")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    total = kroner(_("sum innstilt (kr)"))
    allocation = models.JSONField(_("fordeling"), default=list)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("sendt"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("behandlet"), null=True, blank=True)
    comment = models.TextField(_("kommentar"), blank=True)

    class Meta:
        verbose_name = _("innstilling")
        verbose_name_plural = _("innstillinger")
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(decided_by=F("submitted_by")), name="recommendation_four_eyes"),
            models.CheckConstraint(condition=Q(total__gte=0), name="recommendation_total_bounds"),
        ]

    def __str__(self) -> str:
        return f"{self.call}: {self.get_status_display()}"


class Decision(models.Model):
    """An individual decision (*enkeltvedtak*) on one application. Once approved it is final; a change is a new
    decision that replaces this one."""

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("Innvilget")
        PARTLY = "partly", _("Delvis innvilget")
        REFUSED = "refused", _("Avslått")

    class Status(models.TextChoices):
        PREPARED = "prepared", _("Forberedt")
        APPROVED = "approved", _("Godkjent")
        NOTIFIED = "notified", _("Sendt søkeren")
        REPLACED = "replaced", _("Erstattet")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="decisions")
    replaces = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PREPARED)
    outcome = models.CharField(_("utfall"), max_length=10, choices=Outcome.choices)
    total = kroner(_("samlet tilskudd (kr)"))
    conditions = models.TextField(_("vilkår"), blank=True)
    reasons = models.TextField(_("begrunnelse"))
    legal_basis = models.TextField(_("hjemmel"))
    report_due = models.DateField(_("rapportfrist"))
    report_result = models.JSONField(default=dict)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(_("forberedt"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("godkjent"), null=True, blank=True)

    class Meta:
        verbose_name = _("vedtak")
        verbose_name_plural = _("vedtak")
        ordering = ["-prepared_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(approved_by=F("prepared_by")), name="decision_four_eyes"),
            models.CheckConstraint(condition=Q(total__gte=0) & Q(total__lte=MAX_KRONER), name="decision_total_bounds"),
        ]

    def __str__(self) -> str:
        return _("Vedtak %(pk)s: %(outcome)s") % {"pk": self.pk, "outcome": self.get_outcome_display()}


class DecisionMeasure(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="measures")
    measure = models.CharField(_("tiltak"), max_length=1, choices=Measure.choices)
    ceiling = kroner(_("høyeste tilskudd (kr)"))
    amount = kroner(_("tilskudd (kr)"))
    project_year = models.PositiveSmallIntegerField(_("prosjektår"))

    class Meta:
        ordering = ["measure"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(amount__lte=F("ceiling")), name="decision_measure_within_ceiling"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.amount} kr"


class DecisionLetter(models.Model):
    """The letter (*tilskuddsbrev / vedtaksbrev*) as sent: a PDF in bokmål, its checksum, to whom and when."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="letter")
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    sent_to = models.JSONField(_("sendt til"), default=list, blank=True)
    notified_on = models.DateField(_("underrettet"))
    appeal_deadline = models.DateField(_("klagefrist"))
    appeal_result = models.JSONField(default=dict)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    AUDIT_EXCLUDE = ("pdf",)

    class Meta:
        verbose_name = _("vedtaksbrev")
        verbose_name_plural = _("vedtaksbrev")

    def __str__(self) -> str:
        return f"{self.decision}: {self.notified_on}"


class Appeal(models.Model):
    """An appeal (*klage*) against a decision or a sanction, from receipt through reconsideration (§ 33) to the
    Ministry. It names exactly one of the two: a sanction is an individual decision with its own letter, so the
    same appeal steps apply to it."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Mottatt")
        DISMISSED = "dismissed", _("Avvist: for sent")
        CHANGED = "changed", _("Omgjort av Helsedirektoratet")
        FORWARDED = "forwarded", _("Oversendt departementet")
        CLOSED = "closed", _("Avgjort av departementet")

    class MinistryOutcome(models.TextChoices):
        UPHELD = "upheld", _("Vedtaket stadfestes")
        CHANGED = "changed", _("Vedtaket endres")
        QUASHED = "quashed", _("Vedtaket oppheves")

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="appeals")
    sanction = models.ForeignKey(
        "grants.Sanction", on_delete=models.PROTECT, null=True, blank=True, related_name="appeals"
    )
    received_on = models.DateField(_("mottatt"))
    grounds = models.TextField(_("klagens grunner"))
    in_time = models.BooleanField(_("innen fristen"))
    late_considered = models.BooleanField(_("behandles selv om den kom for sent (fvl. § 31)"), default=False)
    late_reason = models.TextField(_("grunn til å behandle den likevel"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    preliminary_reply_on = models.DateField(_("foreløpig svar sendt"), null=True, blank=True)
    reconsideration = models.TextField(_("Helsedirektoratets vurdering (fvl. § 33)"), blank=True)
    new_decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="from_appeal"
    )
    forwarded_on = models.DateField(_("oversendt departementet"), null=True, blank=True)
    summary_pdf = models.BinaryField(_("oversendelsesbrev (PDF)"), null=True, blank=True)
    summary_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    ministry_outcome = models.CharField(
        _("departementets avgjørelse"), max_length=10, choices=MinistryOutcome.choices, blank=True
    )
    ministry_decided_on = models.DateField(_("departementet avgjorde"), null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    AUDIT_EXCLUDE = ("summary_pdf",)

    class Meta:
        verbose_name = _("klage")
        verbose_name_plural = _("klager")
        ordering = ["received_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(in_time=True) | Q(late_considered=False) | ~Q(late_reason=""),
                name="appeal_late_considered_has_reason",
            ),
            models.CheckConstraint(
                condition=(Q(decision__isnull=False) & Q(sanction__isnull=True))
                | (Q(decision__isnull=True) & Q(sanction__isnull=False)),
                name="appeal_decision_or_sanction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision or self.sanction}: {self.get_status_display()}"

    @property
    def organisation(self) -> Organisation:
        """Who appealed: the applicant of the decision or the recipient of the sanction."""
        if self.sanction_id:
            return self.sanction.organisation
        return self.decision.application.organisation


# Control and sanctions (pkt. 10-11) live in a module of their own; imported here so Django registers them.
from brobygger.grants.models.control import ControlCase, Finding, RequestedDocument, Sanction  # noqa: E402, F401

# The annual reports build on the decisions above; imported last so they can import from this module.
# The payment models live in their own module; imported here so Django registers them with the app.
from brobygger.grants.models.payments import (  # noqa: E402, F401
    Commitment,
    Overpayment,
    PaymentFile,
    PaymentOrder,
    PaymentStop,
    RecipientChange,
    Repayment,
)
from brobygger.grants.models.reports import (  # noqa: E402, F401
    AnnualReport,
    CoveredService,
    ReportAccountLine,
    ReportFigure,
    ReportReminder,
    ReportSignature,
)

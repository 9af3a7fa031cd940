"""Who works where: reference geography, organisations, IPS services, teams, users and their scope."""

import csv
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import orgnr


class DatedQuerySet(models.QuerySet):
    def valid_on(self, day: date) -> "DatedQuerySet":
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)


class County(models.Model):
    """A county, as dated reference data (SSB classification 104)."""

    number = models.CharField(_("fylkesnummer"), max_length=2)
    name = models.CharField(_("navn"), max_length=100)
    valid_from = models.DateField(_("gyldig fra"))
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("fylke")
        verbose_name_plural = _("fylker")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["number", "valid_from"], name="county_unique_number_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


def _shared_municipality_names() -> frozenset[str]:
    """Names that more than one municipality bears in the reference data (Herøy, Våler), read from the SSB files
    the geography is loaded from, so a new classification brings its own."""
    numbers: dict[str, set[str]] = {}
    for path in sorted((Path(__file__).resolve().parent / "data").glob("kommuner_*.csv")):
        with path.open(encoding="utf-8") as rows:
            for row in csv.DictReader(rows):
                numbers.setdefault(row["navn"], set()).add(row["kommunenummer"])
    return frozenset(name for name, found in numbers.items() if len(found) > 1)


class Municipality(models.Model):
    """A municipality, as dated reference data (SSB classification 131), so mergers keep history."""

    number = models.CharField(_("kommunenummer"), max_length=4)
    name = models.CharField(_("navn"), max_length=100)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("fylke"))
    valid_from = models.DateField(_("gyldig fra"))
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["number", "valid_from"], name="municipality_unique_number_per_version"),
        ]

    # Municipality names that exist twice; such a name alone does not say which municipality is meant.
    SHARED_NAMES = _shared_municipality_names()

    def __str__(self) -> str:
        return f"{self.number} {self.label}"

    @property
    def label(self) -> str:
        """The name people read, with the county where the name alone is ambiguous: "Herøy (Nordland)"."""
        if self.name in self.SHARED_NAMES:
            return f"{self.name} ({self.county.name})"
        return self.name


def validate_orgnr(value: str) -> None:
    try:
        orgnr.validate(value)
    except StdnumError as error:
        raise ValidationError(
            _("Organisasjonsnummeret må ha 9 siffer med gyldig kontrollsiffer."), code="invalid_orgnr"
        ) from error


class Organisation(models.Model):
    class Type(models.TextChoices):
        MUNICIPALITY = "kommune", _("Kommune")
        HEALTH_TRUST = "helseforetak", _("Helseforetak (HF)")
        RHF = "rhf", _("Regionalt helseforetak (RHF)")
        NAV_OFFICE = "nav_kontor", _("NAV-kontor")
        DIRECTORATE_OF_HEALTH = "helsedirektoratet", _("Helsedirektoratet")
        DIRECTORATE_OF_LABOUR_AND_WELFARE = (
            "arbeids_og_velferdsdirektoratet",
            _("Arbeids- og velferdsdirektoratet"),
        )
        COUNTY_AUTHORITY = "fylkeskommune", _("Fylkeskommune")
        INTER_MUNICIPAL_COMPANY = "iks", _("Interkommunalt selskap (IKS)")
        VOLUNTARY = "frivillig", _("Frivillig/ideell organisasjon")
        PRIVATE = "privat", _("Privat virksomhet")
        OTHER = "annen", _("Annen")

    name = models.CharField(_("navn"), max_length=200)
    orgnr = models.CharField(_("organisasjonsnummer"), max_length=9, unique=True, validators=[validate_orgnr])
    org_type = models.CharField(_("type"), max_length=40, choices=Type.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("kommune")
    )
    is_synthetic = models.BooleanField(
        _("syntetisk (demodata)"),
        default=False,
        help_text=_("Organisasjonen finnes ikke; laget for demo og test."),
    )

    class Meta:
        verbose_name = _("organisasjon")
        verbose_name_plural = _("organisasjoner")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class HealthRegion(models.TextChoices):
    NORTH = "nord", _("Helse Nord")
    CENTRAL = "midt", _("Helse Midt-Norge")
    WEST = "vest", _("Helse Vest")
    SOUTH_EAST = "sor_ost", _("Helse Sør-Øst")


class IpsService(models.Model):
    """An IPS service (*IPS-tilbud*): the unit that is funded, reviewed for fidelity and reported on."""

    class Anchoring(models.TextChoices):
        MUNICIPAL = "kommunal", _("Kommunale psykisk helse- og rustjenester")
        MENTAL_HEALTH_CARE = "psykisk_helsevern", _("Spesialisthelsetjenesten, psykisk helsevern")
        TSB = "tsb", _("Tverrfaglig spesialisert rusbehandling (TSB)")
        ACT = "act", _("ACT-team")
        FACT = "fact", _("FACT-team")
        FACT_UNG = "fact_ung", _("FACT ung-team")

    name = models.CharField(_("navn"), max_length=200)
    owners = models.ManyToManyField(Organisation, related_name="ips_services", verbose_name=_("eiere"))
    anchoring = models.CharField(_("forankring"), max_length=30, choices=Anchoring.choices)
    health_region = models.CharField(_("helseregion"), max_length=10, choices=HealthRegion.choices)
    municipalities = models.ManyToManyField(Municipality, related_name="ips_services", verbose_name=_("kommuner"))
    offers_ips_ung = models.BooleanField(_("tilbyr IPS ung"), default=False)
    start_date = models.DateField(_("startdato"))

    class Meta:
        verbose_name = _("IPS-tilbud")
        verbose_name_plural = _("IPS-tilbud")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class JobSpecialistUnit(models.Model):
    """The service's group of job specialists (*jobbspesialistenhet*) and its leader."""

    service = models.OneToOneField(
        IpsService, on_delete=models.CASCADE, related_name="unit", verbose_name=_("IPS-tilbud")
    )
    name = models.CharField(_("navn"), max_length=200)
    leader = models.ForeignKey(
        "User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("leder")
    )

    class Meta:
        verbose_name = _("jobbspesialistenhet")
        verbose_name_plural = _("jobbspesialistenheter")

    def __str__(self) -> str:
        return self.name


class TreatmentTeam(models.Model):
    """A treatment team (*behandlingsteam*) in the health service that refers to the IPS service."""

    class Type(models.TextChoices):
        DPS = "dps", _("DPS / psykisk helsevern")
        TSB = "tsb", _("TSB")
        MUNICIPAL = "kommunal", _("Kommunal psykisk helse- og rustjeneste")
        ACT = "act", _("ACT")
        FACT = "fact", _("FACT")
        FACT_UNG = "fact_ung", _("FACT ung")

    service = models.ForeignKey(
        IpsService, on_delete=models.PROTECT, related_name="teams", verbose_name=_("IPS-tilbud")
    )
    name = models.CharField(_("navn"), max_length=200)
    team_type = models.CharField(_("teamtype"), max_length=20, choices=Type.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="teams", verbose_name=_("organisasjon")
    )

    class Meta:
        verbose_name = _("behandlingsteam")
        verbose_name_plural = _("behandlingsteam")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    JOB_SPECIALIST = "jobbspesialist", _("Jobbspesialist")
    IPS_LEADER = "ips_leder", _("IPS-leder")
    CLINICIAN = "behandler", _("Behandler")
    FIDELITY_REVIEWER = "kvalitetsevaluator", _("Kvalitetsevaluator")
    GRANT_OFFICER = "tilskuddsforvalter", _("Tilskuddsforvalter")
    ANALYST = "analytiker", _("Analytiker")
    SYSTEM_ADMINISTRATOR = "systemadministrator", _("Systemadministrator")
    APPLICANT = "tilskuddssoker", _("Tilskuddssøker")


# Roles whose work never needs a person's data: they see aggregates only.
ROLES_WITHOUT_PERSONAL_DATA = frozenset({Role.GRANT_OFFICER, Role.ANALYST, Role.FIDELITY_REVIEWER, Role.APPLICANT})
# Roles that must log in with a second factor: everyone who sees personal data or decides grants.
ROLES_REQUIRING_SECOND_FACTOR = frozenset(Role) - ROLES_WITHOUT_PERSONAL_DATA | {Role.GRANT_OFFICER}
# Roles whose scope is national rather than a service or team.
NATIONAL_ROLES = frozenset({Role.GRANT_OFFICER, Role.ANALYST, Role.SYSTEM_ADMINISTRATOR})


class User(AbstractUser):
    role = models.CharField(_("rolle"), max_length=30, choices=Role.choices)
    # An applicant acts for one organisation (a municipality or a health trust) and sees only its grant cases.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisasjon"),
        help_text=_("Bare for tilskuddssøkere: organisasjonen brukeren søker for."),
    )
    # Approval authority is delegated to a person, not to the role: a grant officer who may approve
    # recommendations and decisions prepared by someone else.
    grant_approver = models.BooleanField(
        _("godkjenner i tilskuddsforvaltningen"),
        default=False,
        help_text=_("Bare for tilskuddsforvaltere: kan godkjenne innstillinger og vedtak som andre har forberedt."),
    )
    # The language the user chose with the switch: remembered across devices; empty means bokmål, whatever the
    # browser asks for.
    language = models.CharField(_("språk"), max_length=10, choices=settings.LANGUAGES, blank=True)
    # Opted in to the daily e-mail with the caseload's alerts (participants.digest).
    daily_digest = models.BooleanField(_("daglig e-post med varsler"), default=False)

    REQUIRED_FIELDS = ["email", "role"]

    class Meta:
        verbose_name = _("bruker")
        verbose_name_plural = _("brukere")
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="user_role_known"),
            models.CheckConstraint(
                condition=Q(grant_approver=False) | Q(role="tilskuddsforvalter"), name="user_grant_approver_is_officer"
            ),
        ]

    @property
    def sees_personal_data(self) -> bool:
        return self.role not in ROLES_WITHOUT_PERSONAL_DATA


class Membership(models.Model):
    """Scopes a user to an IPS service, and for team work also to one treatment team."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("bruker"))
    service = models.ForeignKey(
        IpsService, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("IPS-tilbud")
    )
    team = models.ForeignKey(
        TreatmentTeam,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("behandlingsteam"),
    )

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "service", "team"],
                condition=Q(team__isnull=False),
                name="membership_unique_team",
            ),
            models.UniqueConstraint(
                fields=["user", "service"], condition=Q(team__isnull=True), name="membership_unique_service"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.team or self.service}"


class JobSpecialist(models.Model):
    """A job specialist's position: fraction of a full-time position and who employs them."""

    class Employer(models.TextChoices):
        NAV = "nav", _("NAV")
        HEALTH_SERVICE = "helse", _("Helsetjenesten")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="job_specialist", verbose_name=_("bruker"))
    unit = models.ForeignKey(
        JobSpecialistUnit, on_delete=models.PROTECT, related_name="specialists", verbose_name=_("enhet")
    )
    position_fraction = models.DecimalField(
        _("stillingsandel"), max_digits=3, decimal_places=2, help_text=_("Andel av hel stilling, 0,01–1,00.")
    )
    employer_kind = models.CharField(_("arbeidsgiver"), max_length=10, choices=Employer.choices)
    employer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("arbeidsgiverorganisasjon")
    )

    class Meta:
        verbose_name = _("jobbspesialist")
        verbose_name_plural = _("jobbspesialister")
        constraints = [
            models.CheckConstraint(
                condition=Q(position_fraction__gt=0) & Q(position_fraction__lte=1),
                name="jobspecialist_fraction_between_0_and_1",
            ),
        ]

    def __str__(self) -> str:
        return _("%(user)s (jobbspesialist, %(fraction)s stilling)") % {
            "user": self.user,
            "fraction": self.position_fraction,
        }


class AccessGrant(models.Model):
    """A requested widening of someone's access, applied only when a second system administrator approves it.

    Either a change of the user's account fields (``changes``: role, is_active, is_staff, is_superuser) or a
    membership of a service (and team). ``accounts.services`` creates, approves and rejects them.
    """

    class Status(models.TextChoices):
        PENDING = "venter", _("Venter på godkjenning")
        APPROVED = "godkjent", _("Godkjent")
        REJECTED = "avvist", _("Avvist")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_grants", verbose_name=_("bruker"))
    changes = models.JSONField(_("endringer av kontoen"), default=dict, blank=True)
    service = models.ForeignKey(
        IpsService, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("IPS-tilbud")
    )
    team = models.ForeignKey(
        TreatmentTeam,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("behandlingsteam"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("bedt om av"))
    requested_at = models.DateTimeField(_("bedt om"), auto_now_add=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("avgjort av")
    )
    decided_at = models.DateTimeField(_("avgjort"), null=True, blank=True)

    class Meta:
        verbose_name = _("tilgang som venter på godkjenning")
        verbose_name_plural = _("tilganger til godkjenning")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["venter", "godkjent", "avvist"]), name="accessgrant_status_known"
            ),
            # Nobody asks for access for themselves, and nobody approves a request of their own.
            models.CheckConstraint(condition=~Q(requested_by=models.F("user")), name="accessgrant_not_for_oneself"),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True)
                | (~Q(decided_by=models.F("requested_by")) & ~Q(decided_by=models.F("user"))),
                name="accessgrant_decided_by_another",
            ),
        ]

    def __str__(self) -> str:
        if self.service_id:
            return _("%(user)s: medlemskap i %(scope)s") % {"user": self.user, "scope": self.team or self.service}
        return _("%(user)s: %(changes)s") % {
            "user": self.user,
            "changes": ", ".join(f"{name}={value}" for name, value in sorted(self.changes.items())),
        }

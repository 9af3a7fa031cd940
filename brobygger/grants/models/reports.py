"""The annual report (*årsrapport*) per granted application, its figures, accounts, signatures and reminders.

A report covers the calendar year of the grant and is due 1 April the year after (the decision's ``report_due``,
rule ``rapportfrist``). It is made pre-filled from the case data of the IPS services the application covers
(``CoveredService``); a pre-filled figure keeps its computed value beside the applicant's correction and reason, so
the officer sees both. States are data: draft (pre-filled), submitted, returned, approved; late is derived.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from brobygger.accounts.models import IpsService, Organisation

from . import MAX_KRONER, Application, ApplicationMeasure, BudgetLine, Decision, Signature, kroner

# Figures are counts, averages and FTEs: at most nine digits before the decimal point, one after.
MAX_FIGURE = 999999999


class CoveredService(models.Model):
    """An IPS service a measure of the application covers: where the report's figures come from.

    An organisation owns IPS services (``IpsService.owners``), but a grant may cover only some of them, so the
    application names them per measure. For measure C the service is the ACT, FACT or FACT ung team's IPS service.
    """

    application_measure = models.ForeignKey(
        ApplicationMeasure, on_delete=models.CASCADE, related_name="covered_services", verbose_name=_("tiltak")
    )
    service = models.ForeignKey(
        IpsService, on_delete=models.PROTECT, related_name="grant_measures", verbose_name=_("IPS-tilbud")
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("IPS-tilbud tilskuddet gjelder")
        verbose_name_plural = _("IPS-tilbud tilskuddet gjelder")
        constraints = [
            models.UniqueConstraint(fields=["application_measure", "service"], name="covered_service_once"),
        ]

    def __str__(self) -> str:
        return f"{self.application_measure}: {self.service}"


class AnnualReport(models.Model):
    """The recipient's report (*årsrapport*) on one granted application for the grant's calendar year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Forhåndsutfylt (utkast)")
        SUBMITTED = "submitted", _("Sendt inn")
        RETURNED = "returned", _("Sendt tilbake")
        APPROVED = "approved", _("Godkjent")

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="annual_report", verbose_name=_("søknad")
    )
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="+", verbose_name=_("vedtak"))
    year = models.PositiveSmallIntegerField(_("rapporteringsår"))
    due = models.DateField(_("rapportfrist"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    goal_achievement = models.TextField(_("måloppnåelse"), blank=True, max_length=20000)
    prefilled_at = models.DateTimeField(_("forhåndsutfylt"))
    submitted_at = models.DateTimeField(_("sendt inn"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("behandlet"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_comment = models.TextField(_("kommentar fra tilskuddsforvalter"), blank=True, max_length=5000)

    class Meta:
        verbose_name = _("årsrapport")
        verbose_name_plural = _("årsrapporter")
        ordering = ["-year", "due", "application__organisation__name"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="annual_report_year_bounds"),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(review_comment=""), name="annual_report_return_has_comment"
            ),
        ]

    def __str__(self) -> str:
        return _("Årsrapport %(year)s: %(application)s") % {"year": self.year, "application": self.application}

    @property
    def is_editable(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.RETURNED}


class ReportFigure(models.Model):
    """One answer in the report: a figure (pre-filled from the case data, or typed) or a text.

    ``prefilled`` is what the system computed and is never changed by the applicant; ``value`` is what is reported.
    A reported value that differs from the pre-filled one needs a reason (a check constraint holds it).
    """

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="figures")
    measure = models.CharField(_("tiltak"), max_length=1)
    key = models.CharField(_("spørsmål"), max_length=60)
    position = models.PositiveSmallIntegerField(default=0)
    prefilled = models.DecimalField(_("forhåndsutfylt"), max_digits=10, decimal_places=1, null=True, blank=True)
    value = models.DecimalField(_("rapportert tall"), max_digits=10, decimal_places=1, null=True, blank=True)
    text = models.TextField(_("svar"), blank=True, max_length=10000)
    reason = models.TextField(_("grunn til rettelsen"), blank=True, max_length=2000)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("tall i årsrapporten")
        verbose_name_plural = _("tall i årsrapporten")
        ordering = ["measure", "position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "measure", "key"], name="report_figure_once"),
            models.CheckConstraint(
                condition=Q(prefilled__isnull=True) | Q(value=models.F("prefilled")) | ~Q(reason=""),
                name="report_figure_correction_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | (Q(value__gte=0) & Q(value__lte=MAX_FIGURE)),
                name="report_figure_value_bounds",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure}/{self.key}"

    @property
    def is_corrected(self) -> bool:
        return self.prefilled is not None and self.value != self.prefilled


class ReportAccountLine(models.Model):
    """Accounts (*regnskap*) for one budget line of the application, so budget and accounts compare line by line."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="account_lines")
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="+")
    spent = kroner(_("regnskap (kr)"), null=True, blank=True)
    note = models.CharField(_("merknad"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("regnskapslinje")
        verbose_name_plural = _("regnskapslinjer")
        ordering = ["budget_line__measure", "budget_line__pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "budget_line"], name="report_account_line_once"),
            models.CheckConstraint(
                condition=Q(spent__isnull=True) | (Q(spent__gte=0) & Q(spent__lte=MAX_KRONER)),
                name="report_account_spent_bounds",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.budget_line}: {self.spent}"

    @property
    def difference(self):
        return None if self.spent is None else self.spent - self.budget_line.amount


class ReportSignature(models.Model):
    """A named person with signing authority confirms the report for one organisation, as for the application."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="signatures")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("navn"), max_length=200)
    authority = models.CharField(_("fullmakt"), max_length=20, choices=Signature.Authority.choices)
    title = models.CharField(_("stillingstittel"), max_length=200)
    signed_on = models.DateField(_("dato"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("underskrift på årsrapport")
        verbose_name_plural = _("underskrifter på årsrapport")
        constraints = [
            models.UniqueConstraint(fields=["report", "organisation"], name="report_signature_once_per_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_authority_display()}), {self.organisation}"


class ReportReminder(models.Model):
    """A reminder (*påminnelse*) e-mailed about a report. One per report and kind: the constraint is what keeps a
    restarted worker from sending the same reminder twice."""

    class Kind(models.TextChoices):
        DAYS_30 = "days_30", _("30 dager før fristen")
        DAYS_7 = "days_7", _("7 dager før fristen")

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("påminnelse"), max_length=10, choices=Kind.choices)
    sent_on = models.DateField(_("sendt"))
    sent_to = models.JSONField(_("sendt til"), default=list, blank=True)

    class Meta:
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")
        ordering = ["sent_on"]
        constraints = [
            models.UniqueConstraint(fields=["report", "kind"], name="report_reminder_once_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.get_kind_display()}"

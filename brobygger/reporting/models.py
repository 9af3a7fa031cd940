"""What reporting stores: published (suppressed) figures, background jobs with their progress, IPS ung trial goals.

Everything else in reporting is computed from the pathway data on request; nothing here holds personal data.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from brobygger.accounts.models import HealthRegion
from brobygger.background import BackgroundJob
from brobygger.fields import TEXT_MAX_LENGTH


class PublishedFigures(models.Model):
    """The figures of one period at every level, with small cells suppressed, as roles without access to personal
    data see them. Computed together so that no level can be combined with another to undo the suppression, and
    kept with the time they were computed: published figures do not change under the reader's eyes."""

    period = models.CharField(_("periode"), max_length=10, unique=True)
    computed_at = models.DateTimeField(_("beregnet"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # {"levels": {level: [{"key", "label", "figures": {...}, "hidden": [...]}]}, "ips_ung": {...}, ...}
    data = models.JSONField(_("tall"))

    class Meta:
        verbose_name = _("publiserte tall")
        verbose_name_plural = _("publiserte tall")
        ordering = ["-period"]

    def __str__(self) -> str:
        return self.period


class ReportJob(BackgroundJob):
    """Work that takes longer than a second, run by the task worker, with the progress the user sees."""

    class Kind(models.TextChoices):
        PUBLISH = "publish", _("Beregne publiserte tall")
        ANNUAL_PDF = "annual_pdf", _("Årsrapport som PDF")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    params = models.JSONField(_("valg"), default=dict)
    # A report job is a read the user may ask for again: it goes with the user.
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    result = models.BinaryField(_("resultat"), null=True, blank=True, editable=False)
    result_name = models.CharField(_("filnavn"), max_length=100, blank=True)
    result_type = models.CharField(_("filtype"), max_length=100, blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("rapportjobb")
        verbose_name_plural = _("rapportjobber")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"


class IpsUngGoal(models.Model):
    """A goal or expected result of the IPS ung trial for a year (seed 000: the directorates set criteria for what
    the trial shall achieve and which results are expected), compared with the measured results."""

    class Indicator(models.TextChoices):
        PARTICIPANTS = "deltakere", _("Antall deltakere")
        SHARE_WORK = "andel_arbeid", _("Andel i ordinært arbeid (%)")
        SHARE_EDUCATION = "andel_utdanning", _("Andel i utdanning (%)")
        SHARE_WORK_OR_EDUCATION = "andel_arbeid_eller_utdanning", _("Andel i arbeid eller utdanning (%)")

    class AgeGroup(models.TextChoices):
        ALL = "", _("Alle aldersgrupper")
        AGE_16_17 = "16-17", _("16–17 år")
        AGE_18_24 = "18-24", _("18–24 år")
        AGE_25_29 = "25-29", _("25–29 år")

    year = models.PositiveSmallIntegerField(_("år"))
    health_region = models.CharField(
        _("helseregion"), max_length=10, choices=HealthRegion.choices, blank=True, help_text=_("Tom: hele landet.")
    )
    age_group = models.CharField(_("aldersgruppe"), max_length=5, choices=AgeGroup.choices, blank=True)
    indicator = models.CharField(_("indikator"), max_length=40, choices=Indicator.choices)
    target = models.DecimalField(_("forventet resultat"), max_digits=8, decimal_places=1)
    description = models.TextField(
        _("kriterium"), help_text=_("Hva forsøket skal oppnå, med kilde."), max_length=TEXT_MAX_LENGTH
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("registrert"), auto_now=True)
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("mål for IPS ung")
        verbose_name_plural = _("mål for IPS ung")
        ordering = ["year", "health_region", "age_group", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "health_region", "age_group", "indicator"], name="ipsunggoal_one_per_cell"
            ),
            models.CheckConstraint(condition=Q(target__gte=0), name="ipsunggoal_target_not_negative"),
            models.CheckConstraint(
                condition=Q(indicator="deltakere") | Q(target__lte=100), name="ipsunggoal_share_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_indicator_display()}"

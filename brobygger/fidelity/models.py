"""Fidelity: scales as loaded data, reviews of an IPS service on a scale, and the action plan that follows.

A scale is never code: it is loaded from a definition file (see ``scales.py`` and ``scales/ips-25.yaml``) and kept
with the text it came from, so a correction is a new version with its own date. A finalised review is read-only;
a correction is a new version of the review that names what it corrects and why.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from brobygger.accounts.models import IpsService
from brobygger.fields import TEXT_MAX_LENGTH


class Scale(models.Model):
    """One version of a fidelity scale (IPS-25, IPS-Y, ...), as loaded from its definition file."""

    class Grouping(models.TextChoices):
        SECTIONS = "sections", _("Deler")
        SUBSCALES = "subscales", _("Delskalaer")

    key = models.SlugField(_("skala"), max_length=40, help_text=_("Samme for alle versjoner, f.eks. ips-25."))
    name = models.CharField(_("navn"), max_length=200)
    version = models.CharField(_("versjon"), max_length=40)
    valid_from = models.DateField(_("gyldig fra"))
    description = models.TextField(_("beskrivelse"), blank=True)
    source = models.TextField(_("kilde"), blank=True)
    grouping = models.CharField(_("inndeling"), max_length=20, choices=Grouping.choices)
    # Codes and names of the data sources an item may be scored from (ADM, DOK, INT, OBS for IPS-25).
    data_sources = models.JSONField(_("datakilder"))
    # Overall level bands, highest first: [{level, label, low, high, approved, good}], or [] when only the
    # subscales have levels (IPS-Y).
    bands = models.JSONField(_("nivåer for totalskår"), default=list, blank=True)
    # A rule in the catalogue that decides the overall level (IPS-25: "modelltrohet-niva"); the loader checks
    # that the file's bands agree with it.
    level_rule = models.CharField(_("regel for nivå"), max_length=60, blank=True)
    definition_text = models.TextField(_("definisjonsfil"))
    builtin = models.BooleanField(_("innebygd"), default=False)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    loaded_at = models.DateTimeField(_("lastet"), auto_now_add=True)

    class Meta:
        verbose_name = _("skala for modelltrohet")
        verbose_name_plural = _("skalaer for modelltrohet")
        ordering = ["key", "-valid_from", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="fidelity_scale_unique_version"),
        ]

    def __str__(self) -> str:
        return _("%(name)s, versjon %(version)s") % {"name": self.name, "version": self.version}

    @property
    def item_count(self) -> int:
        return self.items.count()


class ScaleGroup(models.Model):
    """A section (IPS-25: Ansatte, Organisasjon, Tjenester) or a subscale with its own levels (IPS-Y)."""

    scale = models.ForeignKey(Scale, on_delete=models.CASCADE, related_name="groups")
    key = models.SlugField(_("nøkkel"), max_length=40)
    name = models.CharField(_("navn"), max_length=200)
    order = models.PositiveSmallIntegerField(_("rekkefølge"))
    bands = models.JSONField(_("nivåer"), default=list, blank=True)

    class Meta:
        verbose_name = _("del av skala")
        verbose_name_plural = _("deler av skala")
        ordering = ["scale", "order"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "key"], name="fidelity_group_unique_key"),
        ]

    def __str__(self) -> str:
        return self.name


class ScaleItem(models.Model):
    """One item of a scale, with its anchor text for each score 1-5 and, where the data allow, a measure."""

    scale = models.ForeignKey(Scale, on_delete=models.CASCADE, related_name="items")
    group = models.ForeignKey(ScaleGroup, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("punkt"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    data_sources = models.JSONField(_("datakilder"), default=list, blank=True)
    # {"1": {"text": ..., "verified": bool}, ..., "5": {...}}
    anchors = models.JSONField(_("forankringer"))
    # {"key": ..., "unit": ..., "better": "lower"|"higher", "verified": bool, "bands": [{"score", "limit"}]}
    measure = models.JSONField(_("mål fra data"), null=True, blank=True)

    class Meta:
        verbose_name = _("punkt på skala")
        verbose_name_plural = _("punkter på skala")
        ordering = ["scale", "number"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "number"], name="fidelity_item_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def anchor_list(self) -> list[tuple[int, str, bool]]:
        """(score, text, verified) from 5 down to 1, as a reviewer reads them."""
        return [
            (score, self.anchors[str(score)]["text"], self.anchors[str(score)].get("verified", True))
            for score in range(5, 0, -1)
        ]


class Review(models.Model):
    """A fidelity review of one IPS service on one date, on one version of a scale."""

    class Type(models.TextChoices):
        EXTERNAL = "external", _("Ekstern gjennomgang")
        SELF_ASSESSMENT = "self_assessment", _("Egenvurdering")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        SUBMITTED = "submitted", _("Levert")
        FINALISED = "finalised", _("Ferdigstilt")
        SUPERSEDED = "superseded", _("Erstattet av rettelse")

    service = models.ForeignKey(
        IpsService, on_delete=models.PROTECT, related_name="fidelity_reviews", verbose_name=_("IPS-tilbud")
    )
    scale = models.ForeignKey(Scale, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("skala"))
    review_type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    review_date = models.DateField(_("dato for gjennomgangen"))
    period_start = models.DateField(_("perioden gjelder fra"))
    period_end = models.DateField(_("perioden gjelder til og med"))
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="fidelity_reviews", verbose_name=_("gjennomgåere")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField(_("oppsummering"), blank=True, max_length=TEXT_MAX_LENGTH)
    recommendations = models.TextField(_("anbefalinger"), blank=True, max_length=TEXT_MAX_LENGTH)
    # A correction of a finalised review is a new version that names the one it corrects and why.
    version = models.PositiveSmallIntegerField(_("versjon"), default=1)
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="correction", verbose_name=_("retter")
    )
    correction_reason = models.TextField(_("grunn til rettelsen"), blank=True, max_length=TEXT_MAX_LENGTH)
    # Set on submission from the scores and the rules; kept with the review so it can be explained later.
    total = models.PositiveSmallIntegerField(_("totalskår"), null=True, blank=True)
    level = models.CharField(_("nivå"), max_length=40, blank=True)
    level_label = models.CharField(_("nivå"), max_length=100, blank=True)
    approved = models.BooleanField(_("godkjent kvalitet"), null=True, blank=True)
    good_or_better = models.BooleanField(_("bra kvalitet eller bedre"), null=True, blank=True)
    group_results = models.JSONField(_("resultat per del"), default=list, blank=True)
    level_result = models.JSONField(_("regelvurdering av nivået"), default=dict, blank=True)
    next_review_due = models.DateField(_("neste måling senest"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("levert"), null=True, blank=True)
    # Who handed it in: where the scale asks for two reviewers, another of them finalises (two pairs of eyes).
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    finalised_at = models.DateTimeField(_("ferdigstilt"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("gjennomgang av modelltrohet")
        verbose_name_plural = _("gjennomganger av modelltrohet")
        ordering = ["-review_date", "-version", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="fidelity_review_period_in_order"
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | Q(correction_reason__gt=""),
                name="fidelity_review_correction_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft"]) | Q(total__isnull=False), name="fidelity_review_scored_when_sent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_review_type_display()} {self.review_date:%d.%m.%Y}"

    @property
    def is_current(self) -> bool:
        return self.status != self.Status.SUPERSEDED

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class ReviewItem(models.Model):
    """The score of one item in a review, with the evidence and data sources behind it and what the data suggest."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(ScaleItem, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("skår"), null=True, blank=True)
    evidence = models.TextField(_("grunnlag"), blank=True, max_length=TEXT_MAX_LENGTH)
    data_sources = models.JSONField(_("datakilder brukt"), default=list, blank=True)
    # What Brobygger's own data suggest for the review period: figure, band, score and how it was computed.
    suggestion = models.JSONField(_("forslag fra data"), null=True, blank=True)

    class Meta:
        verbose_name = _("skår på punkt")
        verbose_name_plural = _("skår på punkter")
        ordering = ["review", "item__number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "item"], name="fidelity_review_item_once"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5), name="fidelity_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.score or '–'}"

    @property
    def suggested_score(self) -> int | None:
        return (self.suggestion or {}).get("score")

    @property
    def disagrees(self) -> bool:
        """The reviewer's score differs from what the data suggest (the reviewer decides; the difference shows)."""
        return self.score is not None and self.suggested_score is not None and self.score != self.suggested_score


class ActionItem(models.Model):
    """One point of the action plan after a review: what to do, who owns it, by when, and how it is going."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planlagt")
        IN_PROGRESS = "in_progress", _("Pågår")
        DONE = "done", _("Fullført")
        CANCELLED = "cancelled", _("Avlyst")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="actions")
    item = models.ForeignKey(
        ScaleItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("gjelder punkt")
    )
    description = models.TextField(_("tiltak"), max_length=TEXT_MAX_LENGTH)
    owner = models.CharField(_("ansvarlig"), max_length=200)
    due_on = models.DateField(_("frist"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    follow_up = models.TextField(_("oppfølging"), blank=True, max_length=TEXT_MAX_LENGTH)
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("tiltak")
        verbose_name_plural = _("tiltaksplan")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:60]

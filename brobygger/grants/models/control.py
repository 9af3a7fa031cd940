"""Control of a grant and the sanctions that may follow (regelverket pkt. 10 and 11).

A ``ControlCase`` (*kontrollsak*) looks at one decided grant, opened as a sample or on suspicion. The Directorate
asks for documents (``RequestedDocument``), the recipient uploads them, and the officer records ``Finding``s (*funn*)
that cite the paragraph they rest on. A ``Sanction`` (*sanksjon*) is an individual decision of its own: stopping
payment, demanding repayment, or barring the recipient from the grant for one or more later years. One officer
prepares it and another approves it (the same four-eyes rule as ``Decision``), and its letter is sent with the
appeal right and deadline, so an ``Appeal`` can name a sanction instead of a decision.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from brobygger.accounts.models import Organisation
from brobygger.grants.models import MAX_KRONER, Decision, kroner


class ControlCase(models.Model):
    """A control (*kontrollsak*) of one grant decision: why it was opened, what was asked for, what was found."""

    class Basis(models.TextChoices):
        SAMPLE = "sample", _("Stikkprøve")
        SUSPICION = "suspicion", _("Mistanke")

    class Status(models.TextChoices):
        OPEN = "open", _("Åpnet")
        DOCUMENTS_REQUESTED = "documents_requested", _("Dokumentasjon etterspurt")
        FINDINGS_RECORDED = "findings_recorded", _("Funn registrert")
        CLOSED = "closed", _("Avsluttet")

    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="control_cases", verbose_name=_("vedtaket som kontrolleres")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="grant_control_cases", verbose_name=_("mottaker")
    )
    grant_year = models.PositiveSmallIntegerField(_("tilskuddsår"))
    basis = models.CharField(_("grunnlag"), max_length=20, choices=Basis.choices)
    suspicion_reason = models.TextField(_("hva mistanken gjelder"), blank=True)
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.OPEN)
    conclusion = models.TextField(_("konklusjon"), blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("åpnet"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("avsluttet"), null=True, blank=True)

    class Meta:
        verbose_name = _("kontrollsak")
        verbose_name_plural = _("kontrollsaker")
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(basis="sample") | ~Q(suspicion_reason=""), name="control_case_suspicion_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(grant_year__gte=2000) & Q(grant_year__lte=2100), name="control_case_year_bounds"
            ),
        ]

    def __str__(self) -> str:
        return _("Kontrollsak %(pk)s: %(org)s %(year)s") % {
            "pk": self.pk,
            "org": self.organisation,
            "year": self.grant_year,
        }

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class RequestedDocument(models.Model):
    """A document the Directorate asks the recipient for (pkt. 10: recipients shall provide information on
    request), and the PDF the recipient uploads; bytes checked like an application's attachment."""

    case = models.ForeignKey(ControlCase, on_delete=models.CASCADE, related_name="documents")
    description = models.CharField(_("hva som etterspørres"), max_length=300)
    due_on = models.DateField(_("frist"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("etterspurt"), auto_now_add=True)
    filename = models.CharField(_("filnavn"), max_length=200, blank=True)
    content = models.BinaryField(_("innhold"), null=True, blank=True)
    size = models.PositiveIntegerField(_("størrelse (byte)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    received_on = models.DateField(_("mottatt"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    AUDIT_EXCLUDE = ("content",)

    class Meta:
        verbose_name = _("etterspurt dokument")
        verbose_name_plural = _("etterspurte dokumenter")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(received_on__isnull=True) | ~Q(sha256=""), name="requested_document_received_has_file"
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def is_received(self) -> bool:
        return self.received_on is not None


class Finding(models.Model):
    """What the control found (*funn*), and the paragraph of the regulation it rests on."""

    class Kind(models.TextChoices):
        NO_REMARK = "no_remark", _("Ingen merknad")
        DEVIATION = "deviation", _("Avvik")
        BREACH = "breach", _("Mislighold")

    case = models.ForeignKey(ControlCase, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("type funn"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("funn"))
    reference = models.CharField(_("hjemmel"), max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("registrert"), auto_now_add=True)

    class Meta:
        verbose_name = _("funn")
        verbose_name_plural = _("funn")
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class Sanction(models.Model):
    """A sanction (*sanksjon*), an individual decision of its own (pkt. 11): prepared by one officer, approved by
    another, sent with a letter from which the appeal deadline runs. Once sent it is lifted only by an appeal."""

    class Kind(models.TextChoices):
        STOP_PAYMENT = "stop_payment", _("Stans av utbetaling")
        REPAYMENT = "repayment", _("Krav om tilbakebetaling")
        BAR = "bar", _("Utestengelse fra tilskudd")

    class Status(models.TextChoices):
        PREPARED = "prepared", _("Forberedt")
        APPROVED = "approved", _("Godkjent")
        NOTIFIED = "notified", _("Sendt mottakeren")
        LIFTED = "lifted", _("Opphevet etter klage")

    case = models.ForeignKey(ControlCase, on_delete=models.PROTECT, related_name="sanctions")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="grant_sanctions", verbose_name=_("mottaker")
    )
    kind = models.CharField(_("reaksjon"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PREPARED)
    reasons = models.TextField(_("begrunnelse"))
    legal_basis = models.TextField(_("hjemmel"))
    amount = kroner(_("beløp som kreves tilbake (kr)"), null=True, blank=True)
    repayment_due = models.DateField(_("betalingsfrist"), null=True, blank=True)
    bar_from_year = models.PositiveSmallIntegerField(_("utestengt fra og med år"), null=True, blank=True)
    bar_to_year = models.PositiveSmallIntegerField(_("utestengt til og med år"), null=True, blank=True)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(_("forberedt"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("godkjent"), null=True, blank=True)
    letter_pdf = models.BinaryField(_("brev (PDF)"), null=True, blank=True)
    letter_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    sent_to = models.JSONField(_("sendt til"), default=list, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notified_on = models.DateField(_("underrettet"), null=True, blank=True)
    appeal_deadline = models.DateField(_("klagefrist"), null=True, blank=True)
    appeal_result = models.JSONField(default=dict, blank=True)
    lifted_reason = models.TextField(_("grunn til at sanksjonen er opphevet"), blank=True)

    AUDIT_EXCLUDE = ("letter_pdf",)

    class Meta:
        verbose_name = _("sanksjon")
        verbose_name_plural = _("sanksjoner")
        ordering = ["-prepared_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(approved_by=F("prepared_by")), name="sanction_four_eyes"),
            models.CheckConstraint(
                condition=~Q(kind="repayment")
                | (Q(amount__gt=0) & Q(amount__lte=MAX_KRONER) & Q(repayment_due__isnull=False)),
                name="sanction_repayment_has_amount_and_due",
            ),
            models.CheckConstraint(
                condition=~Q(kind="bar")
                | (
                    Q(bar_from_year__isnull=False)
                    & Q(bar_to_year__isnull=False)
                    & Q(bar_to_year__gte=F("bar_from_year"))
                ),
                name="sanction_bar_has_years",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["prepared", "approved"]) | Q(notified_on__isnull=False) | Q(status="lifted"),
                name="sanction_notified_has_letter",
            ),
        ]

    def __str__(self) -> str:
        return _("Sanksjon %(pk)s: %(kind)s") % {"pk": self.pk, "kind": self.get_kind_display()}

    @property
    def payment_stopped_at(self) -> datetime | None:
        """When the controlled decision's payments stopped, while this stop of payment is in force (approved or
        sent, not lifted): the start of the ``PaymentStop`` it made, or of the stop it found in place
        (``control._apply_payment_stop`` never makes a second). Derived, not stored: a stop lifted in payments
        no longer shows here as holding the money."""
        if self.kind != self.Kind.STOP_PAYMENT or not self.in_force:
            return None
        stop = self.case.decision.payment_stops.filter(lifted_at__isnull=True).order_by("started_at").first()
        return stop.started_at if stop else None

    @property
    def in_force(self) -> bool:
        """Approved sanctions bind; a lifted one or one still waiting for approval does not."""
        return self.status in {self.Status.APPROVED, self.Status.NOTIFIED}

"""Paying the grant: commitments against the call's budget, payment orders with attestation and approval, payment
files, the recipient's changes of address, bank account and organisation number, overpayments (claimed back or
offset against next year's grant), repayments, and payment stops.

The database holds the invariants the services also check: what is ordered never exceeds what is committed
(``commitment_orders_within_amount``), attestation and approval are two people (``payment_order_four_eyes``), a
recipient's change is verified and approved by two people (``recipient_change_four_eyes``), an exported order
names its file, and a stop names either an organisation or a decision.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from brobygger.accounts.models import Organisation
from brobygger.grants.models import MAX_KRONER, Call, Decision, kroner


class Commitment(models.Model):
    """A granted decision as a commitment (*tilsagn / forpliktelse*) against its call's budget, paid in one or more
    instalments. ``ordered`` is the sum of its payment orders, kept by the services so the database can refuse an
    order beyond what is committed."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="commitment")
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("utlysning"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="grant_commitments", verbose_name=_("mottaker")
    )
    amount = kroner(_("forpliktet (kr)"))
    ordered = kroner(_("bestilt utbetalt (kr)"), default=0)
    instalments = models.PositiveSmallIntegerField(_("antall utbetalinger"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("registrert"), auto_now_add=True)

    class Meta:
        verbose_name = _("forpliktelse")
        verbose_name_plural = _("forpliktelser")
        ordering = ["call", "organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(amount__lte=MAX_KRONER), name="commitment_amount_bounds"
            ),
            models.CheckConstraint(
                condition=Q(ordered__gte=0) & Q(ordered__lte=F("amount")), name="commitment_orders_within_amount"
            ),
            models.CheckConstraint(
                condition=Q(instalments__gte=1) & Q(instalments__lte=12), name="commitment_instalments_bounds"
            ),
        ]

    def __str__(self) -> str:
        return _("Forpliktelse for vedtak %(pk)s") % {"pk": self.decision_id}


class PaymentFile(models.Model):
    """A payment file (*betalingsfil*) as exported: ISO 20022 pain.001.001.03 and the same orders as CSV."""

    message_id = models.CharField(_("meldings-ID"), max_length=35, unique=True)
    xml = models.BinaryField(_("pain.001"))
    csv = models.TextField(_("CSV"))
    sha256 = models.CharField(_("SHA-256 av pain.001"), max_length=64)
    total = kroner(_("sum (kr)"))
    count = models.PositiveIntegerField(_("antall utbetalinger"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("eksportert"), auto_now_add=True)

    AUDIT_EXCLUDE = ("xml", "csv")

    class Meta:
        verbose_name = _("betalingsfil")
        verbose_name_plural = _("betalingsfiler")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.message_id


class PaymentOrder(models.Model):
    """One payment (*utbetaling*) of a commitment: attested by one grant officer, approved (*anvist*) by another
    with approval authority, then exported in a payment file and locked. ``offset_amount`` is an overpayment of an
    earlier year set off against it (*motregning*); the recipient is paid the rest."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planlagt")
        ATTESTED = "attested", _("Attestert")
        APPROVED = "approved", _("Godkjent (anvist)")
        EXPORTED = "exported", _("Eksportert")

    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="orders")
    instalment = models.PositiveSmallIntegerField(_("utbetaling nr."))
    amount = kroner(_("beløp (kr)"))
    offset_amount = kroner(_("motregnet (kr)"), default=0)
    due_on = models.DateField(_("forfall"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    orgnr = models.CharField(_("organisasjonsnummer"), max_length=9, blank=True)
    bank_account = models.CharField(_("kontonummer"), max_length=11, blank=True)
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    attested_at = models.DateTimeField(_("attestert"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("godkjent"), null=True, blank=True)
    payment_file = models.ForeignKey(
        PaymentFile, on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )

    class Meta:
        verbose_name = _("utbetaling")
        verbose_name_plural = _("utbetalinger")
        ordering = ["due_on", "commitment_id", "instalment"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "instalment"], name="payment_order_instalment_once"),
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(amount__lte=MAX_KRONER), name="payment_order_amount_bounds"
            ),
            models.CheckConstraint(
                condition=Q(offset_amount__gte=0) & Q(offset_amount__lte=F("amount")),
                name="payment_order_offset_within_amount",
            ),
            models.CheckConstraint(condition=~Q(approved_by=F("attested_by")), name="payment_order_four_eyes"),
            models.CheckConstraint(
                condition=~Q(status="exported") | (Q(payment_file__isnull=False) & Q(approved_by__isnull=False)),
                name="payment_order_exported_has_file",
            ),
        ]

    def __str__(self) -> str:
        return _("Utbetaling %(n)s av vedtak %(pk)s") % {"n": self.instalment, "pk": self.commitment.decision_id}

    @property
    def net_amount(self):
        return self.amount - self.offset_amount

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.EXPORTED


class RecipientChange(models.Model):
    """A change the recipient reports (*endring fra mottakeren*): a new address, bank account or organisation
    number. It takes effect only when a grant officer has verified it and a second person with approval authority
    has approved it; until then a new bank account holds the organisation's payments."""

    class Kind(models.TextChoices):
        ADDRESS = "address", _("Adresse")
        BANK_ACCOUNT = "bank_account", _("Kontonummer")
        ORGNR = "orgnr", _("Organisasjonsnummer")

    class Status(models.TextChoices):
        REPORTED = "reported", _("Meldt")
        VERIFIED = "verified", _("Kontrollert")
        APPROVED = "approved", _("Godkjent")
        REJECTED = "rejected", _("Avvist")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="recipient_changes")
    kind = models.CharField(_("hva endres"), max_length=20, choices=Kind.choices)
    value = models.CharField(_("ny verdi"), max_length=300)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REPORTED)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("meldt"), auto_now_add=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("kontrollert"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("godkjent"), null=True, blank=True)
    rejection_reason = models.TextField(_("grunn til avvisning"), blank=True)

    class Meta:
        verbose_name = _("endring fra mottakeren")
        verbose_name_plural = _("endringer fra mottakeren")
        ordering = ["-reported_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(approved_by=F("verified_by")), name="recipient_change_four_eyes"),
            models.CheckConstraint(
                condition=~Q(status="approved") | (Q(verified_by__isnull=False) & Q(approved_by__isnull=False)),
                name="recipient_change_approved_is_verified",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_kind_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status in {self.Status.REPORTED, self.Status.VERIFIED}


class Overpayment(models.Model):
    """Grant left unused by the accounts (*ubrukte midler*): either claimed back by a due date (*tilbakekreving*)
    or set off against the next year's grant (*motregning*), as the grant officer decides."""

    class Handling(models.TextChoices):
        CLAIM = "claim", _("Kreves tilbakebetalt")
        OFFSET = "offset", _("Motregnes i neste års tilskudd")

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="overpayments")
    amount = kroner(_("ubrukt beløp (kr)"))
    handling = models.CharField(_("behandling"), max_length=10, choices=Handling.choices)
    due_on = models.DateField(_("betalingsfrist"), null=True, blank=True)
    reference = models.CharField(_("grunnlag"), max_length=200)
    # Set when the claim is a repayment demand after control (pkt. 11) rather than unused grant from the accounts.
    sanction = models.OneToOneField(
        "grants.Sanction", on_delete=models.PROTECT, null=True, blank=True, related_name="claim"
    )
    offset_commitment = models.ForeignKey(
        Commitment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offsets",
        verbose_name=_("motregnet i"),
    )
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("registrert"), auto_now_add=True)

    class Meta:
        verbose_name = _("ubrukte midler")
        verbose_name_plural = _("ubrukte midler")
        ordering = ["-registered_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(amount__lte=MAX_KRONER), name="overpayment_amount_bounds"
            ),
            models.CheckConstraint(
                condition=(Q(handling="claim") & Q(due_on__isnull=False) & Q(offset_commitment__isnull=True))
                | (Q(handling="offset") & Q(due_on__isnull=True)),
                name="overpayment_claim_has_due_date",
            ),
        ]

    def __str__(self) -> str:
        return _("Ubrukte midler, vedtak %(pk)s") % {"pk": self.decision_id}


class Repayment(models.Model):
    """A repayment received (*tilbakebetaling*) against a claim."""

    overpayment = models.ForeignKey(Overpayment, on_delete=models.PROTECT, related_name="repayments")
    received_on = models.DateField(_("mottatt"))
    amount = kroner(_("beløp (kr)"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("registrert"), auto_now_add=True)

    class Meta:
        verbose_name = _("tilbakebetaling")
        verbose_name_plural = _("tilbakebetalinger")
        ordering = ["received_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(amount__lte=MAX_KRONER), name="repayment_amount_bounds"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.overpayment}: {self.amount} kr"


class PaymentStop(models.Model):
    """A payment stop (*betalingsstans*) on an organisation or one decision: while it is active, orders are held
    and can neither be approved nor exported."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("mottaker")
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="payment_stops"
    )
    reason = models.TextField(_("grunn"))
    # Set when the stop is a sanction after control (pkt. 11), so lifting the sanction on appeal lifts this stop.
    sanction = models.OneToOneField(
        "grants.Sanction", on_delete=models.PROTECT, null=True, blank=True, related_name="payment_stop"
    )
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("stanset"), auto_now_add=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(_("opphevet"), null=True, blank=True)
    lift_reason = models.TextField(_("grunn til å oppheve"), blank=True)

    class Meta:
        verbose_name = _("betalingsstans")
        verbose_name_plural = _("betalingsstanser")
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False) & Q(decision__isnull=True))
                | (Q(organisation__isnull=True) & Q(decision__isnull=False)),
                name="payment_stop_names_one_target",
            ),
        ]

    def __str__(self) -> str:
        target = self.organisation or self.decision
        return _("Betalingsstans: %(target)s") % {"target": target}

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None

"""Control of grants and sanctions (regelverket pkt. 10 and 11): writes, atomic and audited, like ``services.py``.

The Directorate may control that a grant is used as the regulation and the grant letter require and that the
information given is correct (pkt. 10); the recipient shall provide information on request. On suspicion it may
stop payment; on documented breach demand repayment; and when the grant has not been used as set out, bar the
recipient from the grant for one or more following years (pkt. 11). Each sanction is an individual decision:
prepared by one officer, approved by another, sent with a letter that states the legal basis, the appeal right
(fvl. § 28) and the deadline (``klagefrist``).

Payments live elsewhere (``grants.payments``). What a sanction does to them goes through two functions here,
``_apply_payment_stop`` / ``_lift_payment_stop`` (a ``PaymentStop`` that holds the decision's orders) and
``_register_repayment_claim`` / ``_withdraw_repayment_claim`` (a claim in payments that repayments are registered
against), so the places that touch payments are easy to find.
"""

import hashlib
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from brobygger.accounts.models import Organisation, Role, User
from brobygger.audit.services import snapshot
from brobygger.grants import access, letters, payments, writes
from brobygger.grants.models import (
    Appeal,
    Application,
    ControlCase,
    Decision,
    Finding,
    Overpayment,
    PaymentStop,
    RequestedDocument,
    Sanction,
)
from brobygger.grants.services import MAX_ATTACHMENT_BYTES, PDF_MAGIC, NextStep, appeal_deadline
from brobygger.regelverk.services import rule_evaluate
from brobygger.rules.base import RuleResult

CONTROL_REFERENCE = "Regelverk for tilskuddsordningen, pkt. 10 Oppfølging og kontroll"
SANCTION_REFERENCE = "Regelverk for tilskuddsordningen, pkt. 11 Bortfall av tilskudd og andre reaksjonsformer"
# What each sanction rests on, as its letter states it (seed 001, pkt. 10-11).
SANCTION_LEGAL_BASIS = {
    Sanction.Kind.STOP_PAYMENT: (
        "Regelverk for tilskuddsordningen «Individuell jobbstøtte (IPS) i helse- og omsorgstjenesten», pkt. 11: "
        "Direktoratet kan stanse utbetaling av tilskudd ved mistanke om at mottaker gir uriktige opplysninger "
        "eller at mottaker ikke bruker tilskuddet i samsvar med fastsatte betingelser. Jf. pkt. 10 og "
        "bevilgningsreglementet § 10 annet ledd; forvaltningsloven kap. IV–VI."
    ),
    Sanction.Kind.REPAYMENT: (
        "Regelverk for tilskuddsordningen «Individuell jobbstøtte (IPS) i helse- og omsorgstjenesten», pkt. 11: "
        "Helsedirektoratet kan kreve tilskuddet tilbakebetalt dersom det er dokumentert mislighold, herunder at "
        "mottaker ikke oppfyller kravene som stilles i regelverket eller at det er gitt uriktige opplysninger. "
        "Jf. pkt. 9; forvaltningsloven kap. IV–VI."
    ),
    Sanction.Kind.BAR: (
        "Regelverk for tilskuddsordningen «Individuell jobbstøtte (IPS) i helse- og omsorgstjenesten», pkt. 11: "
        "Helsedirektoratet har anledning til å nekte tilskuddsmottaker å motta tilskudd i ett eller flere "
        "påfølgende år dersom tilskuddet ikke brukes i samsvar med fastsatte betingelser. Forvaltningsloven "
        "kap. IV–VI."
    ),
}
# A bar covers following years (pkt. 11); ten is far beyond any sanction the Directorate has given.
MAX_BAR_YEARS = 10


def _text(value: str | None) -> str:
    return (value or "").strip()


def _require_open(case: ControlCase) -> None:
    if case.is_closed:
        raise ValidationError(_("Kontrollsaken er avsluttet."), code="status")


def _status(case: ControlCase, actor: User, status: str) -> None:
    """Move the case forward; it never goes back (a new request after findings leaves it at findings)."""
    order = list(ControlCase.Status.values)
    if order.index(status) > order.index(case.status):
        before = snapshot(case)
        case.status = status
        writes.save(case, actor, before)


# Control cases


def control_case_open(*, actor: User, decision: Decision, basis: str, suspicion_reason: str = "") -> ControlCase:
    """Open a control of a grant that has been decided and sent: as a sample, or on suspicion with what it is."""
    writes.require(access.can_control(actor))
    if decision.status != Decision.Status.NOTIFIED or decision.total <= 0:
        raise ValidationError({"decision": _("Bare et vedtak om tilskudd som er sendt mottakeren, kan kontrolleres.")})
    errors = {}
    if basis not in ControlCase.Basis.values:
        errors["basis"] = _("Velg om kontrollen er en stikkprøve eller gjelder en mistanke.")
    elif basis == ControlCase.Basis.SUSPICION and not _text(suspicion_reason):
        errors["suspicion_reason"] = _("Skriv hva mistanken gjelder.")
    if errors:
        raise ValidationError(errors)
    application = decision.application
    case = ControlCase(
        decision=decision,
        organisation=application.organisation,
        grant_year=application.call.year,
        basis=basis,
        suspicion_reason=_text(suspicion_reason) if basis == ControlCase.Basis.SUSPICION else "",
        opened_by=actor,
    )
    with transaction.atomic():
        return writes.save(case, actor, exclude=["opened_at"])


def document_request(*, actor: User, case: ControlCase, description: str, due_on: date) -> RequestedDocument:
    """Ask the recipient for a document (pkt. 10: recipients shall provide information on request)."""
    writes.require(access.can_control(actor))
    _require_open(case)
    errors = {}
    if not _text(description):
        errors["description"] = _("Skriv hvilket dokument som etterspørres.")
    if due_on < timezone.localdate():
        errors["due_on"] = _("Fristen kan ikke være i fortiden.")
    if errors:
        raise ValidationError(errors)
    document = RequestedDocument(case=case, description=_text(description)[:300], due_on=due_on, requested_by=actor)
    with transaction.atomic():
        writes.save(document, actor, exclude=["requested_at"])
        _status(case, actor, ControlCase.Status.DOCUMENTS_REQUESTED)
    return document


def document_upload(
    *, actor: User, document: RequestedDocument, filename: str, content: bytes, on: date | None = None
) -> RequestedDocument:
    """The recipient answers a request with a PDF; checked by its first bytes, at most 10 MB, kept with its
    checksum. Once received it stays as received: a correction is a new request."""
    writes.require(access.can_upload_control_document(actor, document.case))
    if document.is_received:
        raise ValidationError({"file": _("Dokumentet er allerede sendt inn.")})
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": _("Vedlegget er for stort. Største tillatte størrelse er 10 MB.")})
    if not content.startswith(PDF_MAGIC):
        raise ValidationError({"file": _("Vedlegget må være en PDF-fil.")})
    with transaction.atomic():
        before = snapshot(document)
        document.filename = (filename or "dokument.pdf")[:200]
        document.content = content
        document.size = len(content)
        document.sha256 = hashlib.sha256(content).hexdigest()
        document.received_on = on or timezone.localdate()
        document.uploaded_by = actor
        return writes.save(document, actor, before)


def finding_record(*, actor: User, case: ControlCase, kind: str, text: str, reference: str) -> Finding:
    """What the control found and the paragraph it rests on."""
    writes.require(access.can_control(actor))
    _require_open(case)
    errors = {}
    if kind not in Finding.Kind.values:
        errors["kind"] = _("Velg type funn.")
    if not _text(text):
        errors["text"] = _("Skriv hva kontrollen fant.")
    if not _text(reference):
        errors["reference"] = _("Oppgi hvilket punkt i regelverket eller tilskuddsbrevet funnet gjelder.")
    if errors:
        raise ValidationError(errors)
    finding = Finding(case=case, kind=kind, text=_text(text), reference=_text(reference)[:300], recorded_by=actor)
    with transaction.atomic():
        writes.save(finding, actor, exclude=["recorded_at"])
        _status(case, actor, ControlCase.Status.FINDINGS_RECORDED)
    return finding


def control_case_close(*, actor: User, case: ControlCase, conclusion: str) -> ControlCase:
    """Close the case with its conclusion; a sanction still waiting for approval must be decided first."""
    writes.require(access.can_control(actor))
    _require_open(case)
    if not _text(conclusion):
        raise ValidationError({"conclusion": _("Skriv konklusjonen på kontrollen.")})
    if case.sanctions.filter(status=Sanction.Status.PREPARED).exists():
        raise ValidationError(_("En sanksjon i saken venter på godkjenning; den må godkjennes før saken avsluttes."))
    with transaction.atomic():
        before = snapshot(case)
        case.conclusion = _text(conclusion)
        case.status = ControlCase.Status.CLOSED
        case.closed_by, case.closed_at = actor, timezone.now()
        return writes.save(case, actor, before)


def control_next_step(case: ControlCase, today: date | None = None) -> NextStep:
    """What the officer does next with a control case, and by when."""
    today = today or timezone.localdate()
    if case.is_closed:
        return NextStep(_("Ferdig: kontrollen er avsluttet"), None, False)
    pending = case.sanctions.filter(status__in=[Sanction.Status.PREPARED, Sanction.Status.APPROVED]).first()
    if pending is not None and pending.status == Sanction.Status.PREPARED:
        return NextStep(_("Sanksjonen må godkjennes av en annen"), None, False)
    if pending is not None:
        return NextStep(_("Send brevet om sanksjonen"), None, False)
    waiting = case.documents.filter(received_on__isnull=True).order_by("due_on").first()
    if waiting is not None:
        return NextStep(_("Venter på dokumentasjon fra mottakeren"), waiting.due_on, today > waiting.due_on)
    if case.status == ControlCase.Status.FINDINGS_RECORDED:
        return NextStep(_("Vurder sanksjon, eller avslutt kontrollen"), None, False)
    if case.status == ControlCase.Status.DOCUMENTS_REQUESTED:
        return NextStep(_("Gå gjennom dokumentasjonen og registrer funn"), None, False)
    return NextStep(_("Be om dokumentasjon"), None, False)


# Sanctions


def _has_finding(case: ControlCase, kinds: set[str]) -> bool:
    return case.findings.filter(kind__in=kinds).exists()


def sanction_prepare(
    *,
    actor: User,
    case: ControlCase,
    kind: str,
    reasons: str,
    amount: Any = None,
    repayment_due: date | None = None,
    bar_from_year: int | None = None,
    bar_to_year: int | None = None,
) -> Sanction:
    """Prepare a sanction for another officer to approve. Pkt. 11 sets what each rests on: a stop needs a
    suspicion (the case's basis, or a deviation found); a repayment demand needs a documented breach; a bar needs
    a finding that the grant was not used as set out, and covers only years after the grant year."""
    writes.require(access.can_control(actor))
    _require_open(case)
    if kind not in Sanction.Kind.values:
        raise ValidationError({"kind": _("Velg reaksjon.")})
    errors: dict[str, str] = {}
    if not _text(reasons):
        errors["reasons"] = _("En sanksjon må begrunnes.")
    breach = {Finding.Kind.BREACH}
    deviation = {Finding.Kind.DEVIATION, Finding.Kind.BREACH}
    fields: dict[str, Any] = {}
    if kind == Sanction.Kind.STOP_PAYMENT:
        if case.basis != ControlCase.Basis.SUSPICION and not _has_finding(case, deviation):
            errors["kind"] = _(
                "Utbetaling kan bare stanses ved mistanke: kontrollen må gjelde en mistanke, eller et avvik må være "
                "registrert (regelverket pkt. 11)."
            )
        elif case.sanctions.filter(
            kind=kind, status__in=[Sanction.Status.PREPARED, Sanction.Status.APPROVED, Sanction.Status.NOTIFIED]
        ).exists():
            errors["kind"] = _("Utbetalingen er allerede stanset i denne saken.")
    elif kind == Sanction.Kind.REPAYMENT:
        if not _has_finding(case, breach):
            errors["kind"] = _(
                "Tilbakebetaling kan bare kreves ved dokumentert mislighold: registrer funnet først "
                "(regelverket pkt. 11)."
            )
        try:
            fields["amount"] = writes.kroner(amount, "amount")
        except ValidationError as error:
            errors["amount"] = error.message_dict["amount"][0]
        else:
            if fields["amount"] <= 0:
                errors["amount"] = _("Beløpet som kreves tilbake, må være større enn 0.")
            elif fields["amount"] > case.decision.total:
                errors["amount"] = _("Beløpet kan ikke være større enn tilskuddet, %(total)s kr.") % {
                    "total": f"{int(case.decision.total):,}".replace(",", " ")
                }
        if repayment_due is None:
            errors["repayment_due"] = _("Oppgi betalingsfristen.")
        elif repayment_due <= timezone.localdate():
            errors["repayment_due"] = _("Betalingsfristen må være etter i dag.")
        fields["repayment_due"] = repayment_due
    else:
        if not _has_finding(case, deviation):
            errors["kind"] = _(
                "Utestengelse forutsetter at tilskuddet ikke er brukt i samsvar med fastsatte betingelser: "
                "registrer et avvik eller mislighold først (regelverket pkt. 11)."
            )
        if bar_from_year is None or bar_to_year is None:
            errors["bar_to_year"] = _("Oppgi første og siste år mottakeren nektes tilskudd.")
        elif bar_from_year <= case.grant_year:
            errors["bar_from_year"] = _("Utestengelsen gjelder påfølgende år: første år må være etter %(year)s.") % {
                "year": case.grant_year
            }
        elif bar_to_year < bar_from_year:
            errors["bar_to_year"] = _("Siste år kan ikke være før første år.")
        elif bar_to_year - bar_from_year >= MAX_BAR_YEARS:
            errors["bar_to_year"] = _("Utestengelsen kan gjelde høyst %(count)s år.") % {"count": MAX_BAR_YEARS}
        fields["bar_from_year"], fields["bar_to_year"] = bar_from_year, bar_to_year
    if errors:
        raise ValidationError(errors)
    sanction = Sanction(
        case=case,
        organisation=case.organisation,
        kind=kind,
        reasons=_text(reasons),
        legal_basis=SANCTION_LEGAL_BASIS[kind],
        prepared_by=actor,
        **fields,
    )
    with transaction.atomic():
        return writes.save(sanction, actor, exclude=["prepared_at"])


def _apply_payment_stop(sanction: Sanction, actor: User) -> None:
    """A stop takes effect on the payment orders: a ``PaymentStop`` on the decision under control holds every order
    under it, so none can be approved or exported, until the sanction is lifted. If the decision's payments are
    already stopped (by an officer on suspicion, before the sanction), that stop stands and is not duplicated."""
    decision = sanction.case.decision
    if not payments.active_stops(decision=decision).filter(decision=decision).exists():
        payments.payment_stop(actor=actor, decision=decision, reason=sanction.reasons, sanction=sanction)


def _lift_payment_stop(sanction: Sanction, actor: User, reason: str) -> None:
    """The stop's counterpart when an appeal lifts the sanction: the stop it made is lifted with it."""
    stop = PaymentStop.objects.filter(sanction=sanction, lifted_at__isnull=True).first()
    if stop is not None:
        payments.payment_stop_lift(actor=actor, stop=stop, reason=reason)


def _register_repayment_claim(sanction: Sanction, actor: User) -> None:
    """A repayment demand, once sent, is a claim in payments (with its due date), so the repayments received are
    registered against it and counted as repaid on the call page and in the figures."""
    payments.overpayment_register(
        actor=actor,
        decision=sanction.case.decision,
        amount=sanction.amount,
        handling=Overpayment.Handling.CLAIM,
        due_date=sanction.repayment_due,
        reference=_("Vedtak om tilbakebetaling etter kontroll"),
        sanction=sanction,
    )


def _withdraw_repayment_claim(sanction: Sanction, actor: User) -> None:
    """A repayment demand lifted on appeal withdraws its claim. Money already repaid must be paid back by other
    means, so then the appeal change is refused rather than leaving a claim without a decision behind it."""
    claim = Overpayment.objects.filter(sanction=sanction).first()
    if claim is None:
        return
    if claim.repayments.exists():
        raise ValidationError(
            _("Det er registrert innbetalinger på kravet. Betal dem tilbake før tilbakekrevingen oppheves."),
            code="repaid",
        )
    writes.delete(claim, actor)


def sanction_approve(*, actor: User, sanction: Sanction) -> Sanction:
    """Approve a prepared sanction; whoever prepared it cannot. A stop of payment takes effect on approval: on
    suspicion, waiting for the letter would let the next payment go."""
    writes.four_eyes(actor, sanction.prepared_by, _("Du kan ikke godkjenne en sanksjon du selv har forberedt."))
    if sanction.status != Sanction.Status.PREPARED:
        raise ValidationError(_("Sanksjonen er allerede godkjent."), code="status")
    with transaction.atomic():
        before = snapshot(sanction)
        sanction.status = Sanction.Status.APPROVED
        sanction.approved_by, sanction.approved_at = actor, timezone.now()
        writes.save(sanction, actor, before)
        if sanction.kind == Sanction.Kind.STOP_PAYMENT:
            _apply_payment_stop(sanction, actor)
    return sanction


def recipient_emails(organisation: Organisation) -> list[str]:
    return sorted(
        User.objects.filter(organisation=organisation, role=Role.APPLICANT, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def sanction_send(*, actor: User, sanction: Sanction, on: date | None = None, email: bool = True) -> Sanction:
    """Make the letter (a PDF in bokmål with the legal basis, the appeal right and the deadline), store it with its
    checksum and e-mail it to the recipient's users; the appeal deadline runs from the sending date. ``email=False``
    stores the letter without e-mailing it: the demo's letters go to nobody."""
    writes.require(access.can_control(actor))
    if sanction.status != Sanction.Status.APPROVED:
        raise ValidationError(_("Bare en godkjent sanksjon som ikke er sendt, kan sendes."), code="status")
    notified_on = on or timezone.localdate()
    deadline = appeal_deadline(notified_on)
    pdf = letters.sanction_letter_pdf(sanction, notified_on=notified_on, appeal=deadline)
    recipients = recipient_emails(sanction.organisation)
    with transaction.atomic():
        before = snapshot(sanction)
        sanction.letter_pdf, sanction.letter_sha256 = pdf, hashlib.sha256(pdf).hexdigest()
        sanction.sent_to, sanction.sent_by = recipients, actor
        sanction.notified_on = notified_on
        sanction.appeal_deadline = deadline.details["deadline"]
        sanction.appeal_result = deadline.to_dict()
        sanction.status = Sanction.Status.NOTIFIED
        writes.save(sanction, actor, before)
        if sanction.kind == Sanction.Kind.REPAYMENT:
            _register_repayment_claim(sanction, actor)
        if recipients and email:
            transaction.on_commit(lambda: letters.email_sanction_letter(sanction, recipients))
    return sanction


def sanction_appeal_change(*, actor: User, appeal: Appeal, reasons: str) -> Sanction:
    """The Directorate finds for the appellant (fvl. § 33): the sanction is lifted, and a stop with it."""
    writes.require(access.can_control(actor))
    if appeal.sanction_id is None:
        raise ValidationError(_("Klagen gjelder ikke en sanksjon."), code="status")
    if appeal.status != Appeal.Status.RECEIVED:
        raise ValidationError(_("Klagen er allerede behandlet av Helsedirektoratet."), code="status")
    if not _text(reasons):
        raise ValidationError({"reasons": _("Skriv hvorfor sanksjonen oppheves.")})
    sanction = appeal.sanction
    with transaction.atomic():
        before = snapshot(sanction)
        sanction.status = Sanction.Status.LIFTED
        sanction.lifted_reason = _text(reasons)
        writes.save(sanction, actor, before)
        if sanction.kind == Sanction.Kind.STOP_PAYMENT:
            _lift_payment_stop(sanction, actor, _text(reasons))
        if sanction.kind == Sanction.Kind.REPAYMENT:
            _withdraw_repayment_claim(sanction, actor)
        appeal_before = snapshot(appeal)
        appeal.reconsideration = _text(reasons)
        appeal.status = Appeal.Status.CHANGED
        writes.save(appeal, actor, appeal_before)
    return sanction


# Bars, for the other parts of the scheme


def bars_in_force(organisation: Organisation) -> QuerySet[Sanction]:
    """The organisation's bars that bind: approved or sent, not lifted."""
    return Sanction.objects.filter(
        organisation=organisation,
        kind=Sanction.Kind.BAR,
        status__in=[Sanction.Status.APPROVED, Sanction.Status.NOTIFIED],
    ).order_by("bar_from_year")


def bar_check(organisation: Organisation, grant_year: int, on: date | None = None) -> RuleResult:
    """The rule ``tilskudd-utestengt`` for an organisation and a grant year, given the bar covering it if any."""
    covering = bars_in_force(organisation).filter(bar_from_year__lte=grant_year, bar_to_year__gte=grant_year).first()
    inputs: dict[str, Any] = {"on": on or timezone.localdate(), "grant_year": grant_year}
    if covering is not None:
        inputs |= {"barred_from_year": covering.bar_from_year, "barred_to_year": covering.bar_to_year}
    return rule_evaluate(rule_id="tilskudd-utestengt", inputs=inputs)


def application_bar(application: Application) -> RuleResult:
    """The bar rule for an application's call year: the first barred organisation's result (the applicant, or the
    partner of a joint application), else the applicant's."""
    results = [bar_check(organisation, application.call.year) for organisation in application.organisations]
    return next((result for result in results if result.outcome == "utestengt"), results[0])

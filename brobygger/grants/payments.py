"""Paying the grant: commitments, payment orders (attestation, approval, export), the recipient's changes,
overpayments and repayments, payment stops, and the sums on the call page.

Every write is ``<entity>_<action>(*, actor, ...)``: it checks authority (``access``), validates, then writes and
records its audit event in one transaction. The four-eyes rule (attestation and approval; verifying and approving
a recipient's change) is refused here with ``PermissionDenied`` and in the database by check constraints.

The payment file is ISO 20022 ``pain.001.001.03`` for domestic NOK transfers (BBAN account numbers, the payer's
and recipients' organisation numbers), generated with lxml and validated against the official schema in
``grants/schemas/`` before it is stored: an invalid file is never handed out. sepaxml, the maintained Python
library, writes SEPA (EUR, IBAN) files only, so it does not fit.
"""

import csv
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from lxml import etree
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import kontonr, orgnr

from brobygger.accounts.models import Organisation, User
from brobygger.audit.services import snapshot
from brobygger.grants import access, annual_reports, writes
from brobygger.grants.models import (
    AnnualReport,
    Call,
    Commitment,
    Decision,
    Overpayment,
    PaymentFile,
    PaymentOrder,
    PaymentStop,
    RecipientChange,
    Repayment,
    Sanction,
)
from brobygger.grants.writes import thousands
from brobygger.rules.bounds import EARLIEST_DATE, LATEST_DATE
from brobygger.rules.dates import add_months

PAIN_NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
PAIN_SCHEMA = Path(__file__).parent / "schemas" / "pain.001.001.03.xsd"
MAX_INSTALMENTS = 12
# The payer: the Norwegian Directorate of Health. Its account and bank are the deployment's (settings.GRANTS_PAYER);
# the default account is synthetic, valid by its check digit only.
DEFAULT_PAYER = {
    "name": "Helsedirektoratet",
    "orgnr": "983544622",
    "account": "15031000006",
    "bic": "DNBANOKKXXX",
}
PAYABLE_DECISIONS = {Decision.Status.APPROVED, Decision.Status.NOTIFIED}
OrderStatus = PaymentOrder.Status


def payer() -> dict[str, str]:
    return DEFAULT_PAYER | getattr(settings, "GRANTS_PAYER", {})


def _refuse(message: str, field: str | None = None, code: str = "invalid") -> ValidationError:
    return ValidationError({field: message}) if field else ValidationError(message, code=code)


def _positive_kroner(value: Any, field: str) -> Decimal:
    amount = writes.kroner(value, field)
    if not amount:
        raise _refuse(_("Beløpet må være større enn 0."), field)
    return amount


def _check_date(value: date | None, field: str, *, required: bool = True) -> date | None:
    if value is None:
        if required:
            raise _refuse(_("Oppgi en dato."), field)
        return None
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise _refuse(_("Datoen må være mellom 1900 og 2099."), field)
    return value


def split_instalments(amount: Decimal, instalments: int) -> list[Decimal]:
    """Equal instalments in whole kroner; the first takes the kroner left over, so the sum is exact."""
    share = (amount // instalments).quantize(Decimal(1))
    parts = [share] * instalments
    parts[0] += amount - share * instalments
    return parts


# What holds a payment


def current_value(organisation: Organisation, kind: str) -> str:
    """The latest approved value of a recipient's address or bank account ('' when none is approved)."""
    return current_values([organisation.pk], kind).get(organisation.pk, "")


def current_values(organisation_ids: Iterable[int], kind: str) -> dict[int, str]:
    """``current_value`` for many recipients in one query: organisation id → value, for those with one approved."""
    changes = RecipientChange.objects.filter(
        organisation_id__in=set(organisation_ids), kind=kind, status=RecipientChange.Status.APPROVED
    ).order_by("organisation_id", "-approved_at", "-pk")
    values: dict[int, str] = {}
    for change in changes:
        values.setdefault(change.organisation_id, change.value)
    return values


def current_bank_account(organisation: Organisation) -> str:
    return current_value(organisation, RecipientChange.Kind.BANK_ACCOUNT)


def bank_accounts_for(orders: Iterable[PaymentOrder]) -> dict[int, str]:
    """The account each order goes to (order id → account): the one it was approved to, else its recipient's
    approved account now ('' when none), in one query however many orders there are."""
    orders = list(orders)
    unapproved = {order.commitment.organisation_id for order in orders if not order.bank_account}
    accounts = current_values(unapproved, RecipientChange.Kind.BANK_ACCOUNT)
    return {order.pk: order.bank_account or accounts.get(order.commitment.organisation_id, "") for order in orders}


def pending_changes(organisation: Organisation):
    return _pending_changes([organisation.pk])


def _pending_changes(organisation_ids: Iterable[int]):
    return RecipientChange.objects.filter(
        organisation_id__in=set(organisation_ids),
        status__in=[RecipientChange.Status.REPORTED, RecipientChange.Status.VERIFIED],
    )


def active_stops(*, organisation: Organisation | None = None, decision: Decision | None = None):
    condition = Q()
    if organisation is not None:
        condition |= Q(organisation=organisation)
    if decision is not None:
        condition |= Q(decision=decision)
    if not condition:
        return PaymentStop.objects.none()
    return PaymentStop.objects.filter(condition, lifted_at__isnull=True)


def order_holds(order: PaymentOrder) -> list[str]:
    """Why an order cannot be approved or exported now; empty when nothing holds it. An exported order is paid."""
    return holds_for([order])[order.pk]


def holds_for(orders: Iterable[PaymentOrder]) -> dict[int, list[str]]:
    """``order_holds`` for each order (order id → its holds) in three queries however many orders there are, for
    the lists and the API. Select the orders with ``commitment__organisation`` and ``commitment__decision``."""
    orders = list(orders)
    waiting = [order.commitment for order in orders if order.status != OrderStatus.EXPORTED]
    organisation_ids = {commitment.organisation_id for commitment in waiting}
    decision_ids = {commitment.decision_id for commitment in waiting}
    # Django asks nothing of the database for an empty ``__in``: nothing waiting costs no query.
    stops = list(
        PaymentStop.objects.filter(
            Q(organisation_id__in=organisation_ids) | Q(decision_id__in=decision_ids), lifted_at__isnull=True
        )
    )
    new_account = set(
        _pending_changes(organisation_ids)
        .filter(kind=RecipientChange.Kind.BANK_ACCOUNT)
        .values_list("organisation_id", flat=True)
    )
    accounts = current_values(organisation_ids, RecipientChange.Kind.BANK_ACCOUNT)
    return {
        order.pk: []
        if order.status == OrderStatus.EXPORTED
        else _holds(order.commitment, stops, order.commitment.organisation_id in new_account, accounts)
        for order in orders
    }


def _holds(commitment: Commitment, stops: list[PaymentStop], new_account: bool, accounts: dict[int, str]) -> list[str]:
    holds = [
        _("Betalingsstans: %(reason)s") % {"reason": stop.reason}
        for stop in stops
        if stop.organisation_id == commitment.organisation_id or stop.decision_id == commitment.decision_id
    ]
    # A decision changed after an appeal or a correction is paid by what replaces it, not by its old plan.
    if commitment.decision.status == Decision.Status.REPLACED:
        holds.append(_("Vedtaket er erstattet av et nytt vedtak; utbetalingen må vurderes på nytt."))
    if new_account:
        holds.append(_("Nytt kontonummer er meldt og venter på kontroll og godkjenning."))
    elif not accounts.get(commitment.organisation_id):
        holds.append(_("Mottakeren har ikke et godkjent kontonummer."))
    return holds


# Commitments


def commitment_create(
    *, actor: User, decision: Decision, instalments: int = 1, first_due: date | None = None
) -> Commitment:
    """Commit a granted decision against its call's budget and plan its payments: one, or equal instalments a
    whole number of months apart through the year. An offset from last year's overpayment reduces them."""
    writes.require(access.can_manage_payments(actor))
    if decision.status not in PAYABLE_DECISIONS or not decision.total:
        raise _refuse(_("Bare et godkjent vedtak som gir tilskudd, kan forpliktes."), code="status")
    if Commitment.objects.filter(decision=decision).exists():
        raise _refuse(_("Vedtaket er allerede forpliktet."), code="status")
    if decision.replaces_id and Commitment.objects.filter(decision_id=decision.replaces_id).exists():
        # Moving a commitment and its payments to the decision that replaces it is not built yet; refusing keeps
        # the same grant from being committed twice.
        raise _refuse(
            _("Vedtaket erstatter et vedtak som allerede er forpliktet; forpliktelsen kan ikke flyttes ennå."),
            code="status",
        )
    if not isinstance(instalments, int) or not 1 <= instalments <= MAX_INSTALMENTS:
        raise _refuse(_("Antall utbetalinger må være fra 1 til 12."), "instalments")
    first_due = _check_date(first_due or timezone.localdate(), "first_due")
    call = decision.application.call
    with transaction.atomic():
        # Lock the call so two commitments at once cannot both fit under the frame.
        call = Call.objects.select_for_update().get(pk=call.pk)
        committed = call.commitments.aggregate(s=Sum("amount"))["s"] or Decimal(0)
        if committed + decision.total > call.budget_frame:
            raise _refuse(
                _("Forpliktelsen på %(amount)s kr går over det som er igjen av rammen, %(left)s kr.")
                % {"amount": thousands(decision.total), "left": thousands(call.budget_frame - committed)},
                code="frame",
            )
        commitment = writes.save(
            Commitment(
                decision=decision,
                call=call,
                organisation=decision.application.organisation,
                amount=decision.total,
                ordered=decision.total,
                instalments=instalments,
                created_by=actor,
            ),
            actor,
            exclude=["created_at"],
        )
        step = MAX_INSTALMENTS // instalments
        for number, amount in enumerate(split_instalments(decision.total, instalments), start=1):
            writes.save(
                PaymentOrder(
                    commitment=commitment,
                    instalment=number,
                    amount=amount,
                    due_on=add_months(first_due, step * (number - 1)),
                ),
                actor,
            )
        for overpayment in _waiting_offsets(commitment):
            _apply_offset(actor, overpayment, commitment)
    return commitment


# Payment orders


def _open_order(order: PaymentOrder, expected: str, message: str) -> PaymentOrder:
    """The order as it is in the database now, locked for this transaction; refused unless in ``expected``."""
    current = PaymentOrder.objects.select_for_update().get(pk=order.pk)
    if current.status == OrderStatus.EXPORTED:
        raise _refuse(_("Utbetalingen er eksportert og låst."), code="locked")
    if current.status != expected:
        raise _refuse(message, code="status")
    return current


def payment_order_attest(*, actor: User, order: PaymentOrder) -> PaymentOrder:
    """A grant officer attests that the payment is due under the decision (*attestasjon*)."""
    writes.require(access.can_manage_payments(actor))
    with transaction.atomic():
        order = _open_order(order, OrderStatus.PLANNED, _("Bare en planlagt utbetaling kan attesteres."))
        before = snapshot(order)
        order.status, order.attested_by, order.attested_at = OrderStatus.ATTESTED, actor, timezone.now()
        return writes.save(order, actor, before)


def payment_order_approve(*, actor: User, order: PaymentOrder) -> PaymentOrder:
    """A second person with approval authority approves the payment (*anvisning*), to the recipient's approved
    account and organisation number as they are now; never the one who attested it, never while it is held."""
    writes.require(access.can_approve(actor))
    with transaction.atomic():
        order = _open_order(order, OrderStatus.ATTESTED, _("Bare en attestert utbetaling kan godkjennes."))
        if order.attested_by_id == actor.pk:
            raise PermissionDenied(_("Du kan ikke godkjenne en utbetaling du selv har attestert."))
        holds = order_holds(order)
        if holds:
            raise _refuse(_("Utbetalingen holdes tilbake: %(why)s") % {"why": " ".join(holds)}, code="held")
        before = snapshot(order)
        order.status, order.approved_by, order.approved_at = OrderStatus.APPROVED, actor, timezone.now()
        order.orgnr = order.commitment.organisation.orgnr
        order.bank_account = current_bank_account(order.commitment.organisation)
        return writes.save(order, actor, before)


def exportable_orders():
    """Approved orders, not yet exported."""
    return PaymentOrder.objects.filter(status=OrderStatus.APPROVED).select_related(
        "commitment__organisation", "commitment__decision__application", "attested_by", "approved_by"
    )


def payment_export(*, actor: User, orders: list[PaymentOrder] | None = None, on: date | None = None) -> PaymentFile:
    """Export approved orders (all of them, or those given) as one pain.001 file and CSV, and lock them. Refused
    as a whole if any is held, not approved, already exported or paid to another account than the approved one."""
    writes.require(access.can_manage_payments(actor))
    today = on or timezone.localdate()
    with transaction.atomic():
        query = PaymentOrder.objects.select_for_update()
        selected = list(
            query.filter(pk__in=[o.pk for o in orders]) if orders is not None else query.filter(status="approved")
        )
        if not selected:
            raise _refuse(_("Det er ingen godkjente utbetalinger å eksportere."), code="empty")
        problems = []
        for order in selected:
            label = str(order)
            if order.status == OrderStatus.EXPORTED:
                problems.append(_("%(order)s er allerede eksportert.") % {"order": label})
            elif order.status != OrderStatus.APPROVED:
                problems.append(_("%(order)s er ikke godkjent.") % {"order": label})
            elif holds := order_holds(order):
                problems.append(_("%(order)s holdes tilbake: %(why)s") % {"order": label, "why": " ".join(holds)})
            elif order.bank_account != current_bank_account(order.commitment.organisation):
                problems.append(_("%(order)s er godkjent til et annet kontonummer.") % {"order": label})
        if problems:
            raise ValidationError(problems, code="export")
        if not any(order.net_amount for order in selected):
            raise _refuse(_("Alle utbetalingene er motregnet fullt ut; det er ingenting å betale."), code="empty")
        message_id = f"BROBYGGER-{today:%Y%m%d}-{get_random_string(8, '0123456789ABCDEF')}"
        xml = pain001(selected, message_id=message_id, today=today)
        payment_file = writes.save(
            PaymentFile(
                message_id=message_id,
                xml=xml,
                csv=payment_csv(selected),
                sha256=hashlib.sha256(xml).hexdigest(),
                total=sum((o.net_amount for o in selected), Decimal(0)),
                count=len(selected),
                created_by=actor,
            ),
            actor,
            exclude=["created_at"],
        )
        for order in selected:
            before = snapshot(order)
            order.status, order.payment_file = OrderStatus.EXPORTED, payment_file
            writes.save(order, actor, before)
    return payment_file


@cache
def pain001_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(PAIN_SCHEMA)))


def _sub(parent, tag: str, text: str | None = None, **attributes):
    element = etree.SubElement(parent, f"{{{PAIN_NAMESPACE}}}{tag}", **attributes)
    if text is not None:
        element.text = text
    return element


def _organisation_id(parent, number: str) -> None:
    other = _sub(_sub(_sub(parent, "Id"), "OrgId"), "Othr")
    _sub(other, "Id", number)
    _sub(_sub(other, "SchmeNm"), "Cd", "CUST")


def _bban(parent, tag: str, number: str, *, currency: bool = False) -> None:
    account = _sub(parent, tag)
    other = _sub(_sub(account, "Id"), "Othr")
    _sub(other, "Id", number)
    _sub(_sub(other, "SchmeNm"), "Cd", "BBAN")
    if currency:
        _sub(account, "Ccy", "NOK")


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def pain001(orders: list[PaymentOrder], *, message_id: str, today: date) -> bytes:
    """ISO 20022 pain.001.001.03: one payment information block per execution date, one credit transfer per order
    with something to pay (an order set off in full moves no money). Validated against the schema; an invalid file
    raises, so it is never stored."""
    payable = [order for order in orders if order.net_amount > 0]
    by_date: dict[date, list[PaymentOrder]] = {}
    for order in sorted(payable, key=lambda o: (o.due_on, o.pk)):
        by_date.setdefault(max(order.due_on, today), []).append(order)
    the_payer = payer()
    root = etree.Element(f"{{{PAIN_NAMESPACE}}}Document", nsmap={None: PAIN_NAMESPACE})
    initiation = _sub(root, "CstmrCdtTrfInitn")
    header = _sub(initiation, "GrpHdr")
    _sub(header, "MsgId", message_id)
    _sub(header, "CreDtTm", timezone.localtime().replace(microsecond=0, tzinfo=None).isoformat())
    _sub(header, "NbOfTxs", str(len(payable)))
    _sub(header, "CtrlSum", _amount(sum((o.net_amount for o in payable), Decimal(0))))
    initiating = _sub(header, "InitgPty")
    _sub(initiating, "Nm", the_payer["name"])
    _organisation_id(initiating, the_payer["orgnr"])
    for number, (execution, batch) in enumerate(by_date.items(), start=1):
        info = _sub(initiation, "PmtInf")
        _sub(info, "PmtInfId", f"{message_id}-{number}"[:35])
        _sub(info, "PmtMtd", "TRF")
        _sub(info, "NbOfTxs", str(len(batch)))
        _sub(info, "CtrlSum", _amount(sum((o.net_amount for o in batch), Decimal(0))))
        _sub(_sub(info, "PmtTpInf"), "InstrPrty", "NORM")
        _sub(info, "ReqdExctnDt", execution.isoformat())
        _sub(_sub(info, "Dbtr"), "Nm", the_payer["name"])
        _bban(info, "DbtrAcct", the_payer["account"], currency=True)
        _sub(_sub(_sub(info, "DbtrAgt"), "FinInstnId"), "BIC", the_payer["bic"])
        for order in batch:
            commitment = order.commitment
            transfer = _sub(info, "CdtTrfTxInf")
            payment_id = _sub(transfer, "PmtId")
            _sub(payment_id, "InstrId", f"UTB-{order.pk}")
            _sub(payment_id, "EndToEndId", f"UTB-{order.pk}")
            _sub(_sub(transfer, "Amt"), "InstdAmt", _amount(order.net_amount), Ccy="NOK")
            creditor = _sub(transfer, "Cdtr")
            _sub(creditor, "Nm", commitment.organisation.name[:70])
            _organisation_id(creditor, order.orgnr)
            _bban(transfer, "CdtrAcct", order.bank_account)
            _sub(
                _sub(transfer, "RmtInf"),
                "Ustrd",
                f"Tilskudd IPS, vedtak {commitment.decision_id}, utbetaling {order.instalment}"[:140],
            )
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    pain001_schema().assertValid(etree.fromstring(xml))
    return xml


CSV_HEADER = [
    "utbetaling",
    "vedtak",
    "mottaker",
    "organisasjonsnummer",
    "kontonummer",
    "forfall",
    "brutto",
    "motregnet",
    "netto",
    "attestert_av",
    "godkjent_av",
]


def _cell(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula."""
    return f"'{text}" if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def payment_csv(orders: list[PaymentOrder]) -> str:
    """The same orders as the pain.001 file, semicolon-separated as Norwegian spreadsheets expect."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for order in orders:
        writer.writerow(
            [
                order.pk,
                order.commitment.decision_id,
                _cell(order.commitment.organisation.name),
                order.orgnr,
                order.bank_account,
                order.due_on.isoformat(),
                int(order.amount),
                int(order.offset_amount),
                int(order.net_amount),
                order.attested_by.username,
                order.approved_by.username,
            ]
        )
    return out.getvalue()


# The recipient's changes


def _normalised(kind: str, value: str) -> str:
    value = (value or "").strip()
    if kind == RecipientChange.Kind.BANK_ACCOUNT:
        try:
            return kontonr.validate(value)
        except StdnumError:
            raise _refuse(_("Kontonummeret må ha 11 siffer med gyldig kontrollsiffer."), "value") from None
    if kind == RecipientChange.Kind.ORGNR:
        try:
            return orgnr.validate(value)
        except StdnumError:
            raise _refuse(_("Organisasjonsnummeret må ha 9 siffer med gyldig kontrollsiffer."), "value") from None
    if kind == RecipientChange.Kind.ADDRESS:
        if not value:
            raise _refuse(_("Skriv den nye adressen."), "value")
        if len(value) > 300:
            raise _refuse(_("Adressen kan ha høyst 300 tegn."), "value")
        return value
    raise _refuse(_("Velg hva som skal endres."), "kind")


def recipient_change_report(*, actor: User, kind: str, value: str) -> RecipientChange:
    """The recipient reports a change for its own organisation, as regelverket pkt. 9 asks of it (address, bank
    account or organisation number). It takes effect only when verified and approved; one change of each kind can
    wait at a time."""
    writes.require(access.can_report_recipient_change(actor))
    organisation = actor.organisation
    value = _normalised(kind, value)
    if kind == RecipientChange.Kind.ORGNR and Organisation.objects.filter(orgnr=value).exists():
        raise _refuse(_("Organisasjonsnummeret er allerede i bruk."), "value")
    if kind == RecipientChange.Kind.BANK_ACCOUNT and value == current_bank_account(organisation):
        raise _refuse(_("Dette er kontonummeret som allerede er godkjent."), "value")
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).get()
        if pending_changes(organisation).filter(kind=kind).exists():
            raise _refuse(_("En endring av samme slag venter allerede på behandling."), "kind")
        return writes.save(
            RecipientChange(organisation=organisation, kind=kind, value=value, reported_by=actor),
            actor,
            exclude=["reported_at"],
        )


def _open_change(change: RecipientChange, expected: str, message: str) -> RecipientChange:
    current = RecipientChange.objects.select_for_update().get(pk=change.pk)
    if current.status != expected:
        raise _refuse(message, code="status")
    return current


def recipient_change_verify(*, actor: User, change: RecipientChange) -> RecipientChange:
    """A grant officer has checked the change with the recipient (for a bank account: that the account is theirs)."""
    writes.require(access.can_manage_payments(actor))
    with transaction.atomic():
        change = _open_change(change, RecipientChange.Status.REPORTED, _("Bare en meldt endring kan kontrolleres."))
        before = snapshot(change)
        change.status, change.verified_by, change.verified_at = (
            RecipientChange.Status.VERIFIED,
            actor,
            timezone.now(),
        )
        return writes.save(change, actor, before)


def recipient_change_approve(*, actor: User, change: RecipientChange) -> RecipientChange:
    """A second person approves a verified change, and it takes effect. A new organisation number is written to the
    organisation; a new bank account withdraws the approval of orders approved to the old one, so each is approved
    again to the new account by someone who sees it."""
    writes.require(access.can_approve(actor))
    with transaction.atomic():
        change = _open_change(change, RecipientChange.Status.VERIFIED, _("Bare en kontrollert endring kan godkjennes."))
        if change.verified_by_id == actor.pk:
            raise PermissionDenied(_("Du kan ikke godkjenne en endring du selv har kontrollert."))
        organisation = change.organisation
        if change.kind == RecipientChange.Kind.ORGNR:
            if Organisation.objects.filter(orgnr=change.value).exclude(pk=organisation.pk).exists():
                raise _refuse(_("Organisasjonsnummeret er allerede i bruk."), code="duplicate")
            org_before = snapshot(organisation)
            organisation.orgnr = change.value
            writes.save(organisation, actor, org_before)
        before = snapshot(change)
        change.status, change.approved_by, change.approved_at = (
            RecipientChange.Status.APPROVED,
            actor,
            timezone.now(),
        )
        writes.save(change, actor, before)
        if change.kind == RecipientChange.Kind.BANK_ACCOUNT:
            for order in PaymentOrder.objects.select_for_update().filter(
                commitment__organisation=organisation, status=OrderStatus.APPROVED
            ):
                order_before = snapshot(order)
                order.status, order.approved_by, order.approved_at = OrderStatus.ATTESTED, None, None
                order.bank_account = order.orgnr = ""
                writes.save(order, actor, order_before)
    return change


def recipient_change_reject(*, actor: User, change: RecipientChange, reason: str) -> RecipientChange:
    writes.require(access.can_manage_payments(actor))
    if not (reason or "").strip():
        raise _refuse(_("Skriv hvorfor endringen avvises."), "reason")
    with transaction.atomic():
        current = RecipientChange.objects.select_for_update().get(pk=change.pk)
        if not current.is_pending:
            raise _refuse(_("Endringen er allerede behandlet."), code="status")
        before = snapshot(current)
        current.status, current.rejection_reason = RecipientChange.Status.REJECTED, reason.strip()
        return writes.save(current, actor, before)


# Overpayments and repayments


def _next_commitment(decision: Decision) -> Commitment | None:
    """The same organisation's commitment in the next year's call, where an offset lands."""
    application = decision.application
    return (
        Commitment.objects.filter(organisation=application.organisation, call__year=application.call.year + 1)
        .order_by("pk")
        .first()
    )


def _waiting_offsets(commitment: Commitment):
    return Overpayment.objects.filter(
        handling=Overpayment.Handling.OFFSET,
        offset_commitment__isnull=True,
        decision__application__organisation=commitment.organisation,
        decision__application__call__year=commitment.call.year - 1,
    ).order_by("pk")


def _apply_offset(actor: User, overpayment: Overpayment, commitment: Commitment) -> None:
    """Reduce the commitment's next payments, earliest first, by the overpayment; refused if what is left to pay
    cannot take it."""
    orders = list(
        commitment.orders.select_for_update().exclude(status=OrderStatus.EXPORTED).order_by("due_on", "instalment")
    )
    room = sum((o.amount - o.offset_amount for o in orders), Decimal(0))
    if overpayment.amount > room:
        raise _refuse(
            _("Det som gjenstår å betale på neste års tilskudd, %(room)s kr, er mindre enn beløpet som skal motregnes.")
            % {"room": thousands(room)},
            "amount",
        )
    left = overpayment.amount
    for order in orders:
        if not left:
            break
        take = min(left, order.amount - order.offset_amount)
        if take:
            before = snapshot(order)
            order.offset_amount += take
            writes.save(order, actor, before)
            left -= take
    before = snapshot(overpayment)
    overpayment.offset_commitment = commitment
    writes.save(overpayment, actor, before)


def overpayment_register(
    *,
    actor: User,
    decision: Decision,
    amount: Any,
    handling: str,
    due_date: date | None = None,
    reference: str = "",
    sanction: Sanction | None = None,
) -> Overpayment:
    """Register grant left unused by the accounts for ``decision``: returned (claimed back by ``due_date``) or set
    off against the same organisation's grant next year, as regelverket pkt. 9 allows (now, if that is committed;
    otherwise when it is). The annual report passes the amount from its accounts; an officer may also type it with
    a reference."""
    writes.require(access.can_manage_payments(actor))
    if not hasattr(decision, "commitment"):
        raise _refuse(_("Vedtaket er ikke forpliktet, så ingenting er utbetalt."), code="status")
    value = _positive_kroner(amount, "amount")
    if handling not in Overpayment.Handling.values:
        raise _refuse(_("Velg om beløpet skal kreves tilbake eller motregnes."), "handling")
    claim = handling == Overpayment.Handling.CLAIM
    if claim:
        _check_date(due_date, "due_date")
    elif due_date is not None:
        raise _refuse(_("Et beløp som motregnes, har ingen betalingsfrist."), "due_date")
    registered = decision.overpayments.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    if registered + value > decision.commitment.amount:
        raise _refuse(
            _("Ubrukte midler kan ikke overstige tilskuddet, %(total)s kr (%(registered)s kr er registrert før).")
            % {"total": thousands(decision.commitment.amount), "registered": thousands(registered)},
            "amount",
        )
    with transaction.atomic():
        overpayment = writes.save(
            Overpayment(
                decision=decision,
                amount=value,
                handling=handling,
                due_on=due_date if claim else None,
                reference=(reference or "").strip()[:200]
                or _("Regnskap for %(year)s") % {"year": decision.application.call.year},
                sanction=sanction,
                registered_by=actor,
            ),
            actor,
            exclude=["registered_at"],
        )
        if not claim and (following := _next_commitment(decision)) is not None:
            _apply_offset(actor, overpayment, following)
    return overpayment


def overpayment_from_report(decision: Decision) -> dict[str, Any]:
    """The officer's starting point for unused grant (pkt. 9): what the annual report's accounts leave unused, once
    the recipient has submitted the report. Empty when there is no such report or nothing is unused."""
    report = (
        AnnualReport.objects.filter(
            application=decision.application, status__in=(AnnualReport.Status.SUBMITTED, AnnualReport.Status.APPROVED)
        )
        .select_related("decision")
        .first()
    )
    unused = annual_reports.report_unused_amount(report) if report is not None else Decimal(0)
    if not unused:
        return {}
    return {"amount": unused, "reference": _("Regnskap for %(year)s i årsrapporten") % {"year": report.year}}


def repayment_register(*, actor: User, overpayment: Overpayment, received_on: date, amount: Any) -> Repayment:
    """A repayment received against a claim; never more than is claimed."""
    writes.require(access.can_manage_payments(actor))
    if overpayment.handling != Overpayment.Handling.CLAIM:
        raise _refuse(_("Et beløp som motregnes, betales ikke tilbake."), code="status")
    value = _positive_kroner(amount, "amount")
    _check_date(received_on, "received_on")
    if received_on > timezone.localdate():
        raise _refuse(_("Datoen kan ikke være fram i tid."), "received_on")
    with transaction.atomic():
        Overpayment.objects.select_for_update().filter(pk=overpayment.pk).get()
        repaid = overpayment.repayments.aggregate(s=Sum("amount"))["s"] or Decimal(0)
        if repaid + value > overpayment.amount:
            raise _refuse(
                _("Det er bare %(left)s kr igjen å betale tilbake.") % {"left": thousands(overpayment.amount - repaid)},
                "amount",
            )
        return writes.save(
            Repayment(overpayment=overpayment, received_on=received_on, amount=value, registered_by=actor),
            actor,
            exclude=["registered_at"],
        )


# Payment stops


def payment_stop(
    *,
    actor: User,
    reason: str,
    organisation: Organisation | None = None,
    decision: Decision | None = None,
    sanction: Sanction | None = None,
) -> PaymentStop:
    """Stop payments to an organisation or under one decision (*betalingsstans*; regelverket pkt. 11: on suspicion
    of false information or use against the conditions), for instance as a sanction after control: its orders are
    held, and can neither be approved nor exported, until the stop is lifted."""
    writes.require(access.can_manage_payments(actor))
    if (organisation is None) == (decision is None):
        raise _refuse(_("Betalingsstansen må gjelde enten en mottaker eller ett vedtak."), "organisation")
    if not (reason or "").strip():
        raise _refuse(_("Skriv grunnen til betalingsstansen."), "reason")
    if (
        active_stops(organisation=organisation, decision=decision)
        .filter(organisation=organisation, decision=decision)
        .exists()
    ):
        raise _refuse(_("Det er allerede en aktiv betalingsstans her."), code="duplicate")
    with transaction.atomic():
        return writes.save(
            PaymentStop(
                organisation=organisation, decision=decision, reason=reason.strip(), sanction=sanction, started_by=actor
            ),
            actor,
            exclude=["started_at"],
        )


def payment_stop_lift(*, actor: User, stop: PaymentStop, reason: str) -> PaymentStop:
    writes.require(access.can_manage_payments(actor))
    if not (reason or "").strip():
        raise _refuse(_("Skriv hvorfor betalingsstansen oppheves."), "reason")
    with transaction.atomic():
        current = PaymentStop.objects.select_for_update().get(pk=stop.pk)
        if not current.is_active:
            raise _refuse(_("Betalingsstansen er allerede opphevet."), code="status")
        before = snapshot(current)
        current.lifted_by, current.lifted_at, current.lift_reason = actor, timezone.now(), reason.strip()
        return writes.save(current, actor, before)


# Sums


@dataclass(frozen=True)
class CallMoney:
    """A call's money to the krone: the frame, what is committed, paid (net of offsets), set off, repaid, and what
    is left of the frame to commit."""

    frame: Decimal
    committed: Decimal
    paid: Decimal
    offset: Decimal
    repaid: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.frame - self.committed

    @property
    def unpaid(self) -> Decimal:
        return self.committed - self.paid - self.offset


def call_money(call: Call) -> CallMoney:
    exported = PaymentOrder.objects.filter(commitment__call=call, status=OrderStatus.EXPORTED).aggregate(
        gross=Sum("amount"), offset=Sum("offset_amount")
    )
    gross, offset = exported["gross"] or Decimal(0), exported["offset"] or Decimal(0)
    return CallMoney(
        frame=call.budget_frame,
        committed=call.commitments.aggregate(s=Sum("amount"))["s"] or Decimal(0),
        paid=gross - offset,
        offset=offset,
        repaid=Repayment.objects.filter(overpayment__decision__application__call=call).aggregate(s=Sum("amount"))["s"]
        or Decimal(0),
    )

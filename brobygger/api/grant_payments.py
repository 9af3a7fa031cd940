"""/api/v1/grants/payment-orders/: payment orders for grant officers, by the pages' access rules.

Grant officers list and read orders, attest them, and (an approver who did not attest) approve them; any officer
exports the approved ones as one pain.001 file, returned with its CSV. Everyone else gets 403. A refusal answers
422 in bokmål (held by a stop or a new bank account, not in the right state, exported and locked); the four-eyes
rule answers 403 with its reason.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import django_auth

from brobygger.grants import access, payments
from brobygger.grants.models import PaymentFile, PaymentOrder

router = Router(tags=["Tilskudd: utbetalinger"], auth=django_auth)


def _officer(request: HttpRequest):
    allowed, reason = access.can_manage_payments(request.user)
    if not allowed:
        raise PermissionDenied(reason)
    return request.user


class PaymentOrderOut(Schema):
    id: int
    decision_id: int
    call_year: int
    recipient: str
    orgnr: str
    bank_account: str
    instalment: int
    instalments: int
    due_on: date
    amount: Decimal
    offset_amount: Decimal
    net_amount: Decimal
    status: str
    held: list[str]
    attested_by: str | None
    approved_by: str | None
    payment_file_id: int | None

    @staticmethod
    def resolve_decision_id(order: PaymentOrder) -> int:
        return order.commitment.decision_id

    @staticmethod
    def resolve_call_year(order: PaymentOrder) -> int:
        return order.commitment.call.year

    @staticmethod
    def resolve_recipient(order: PaymentOrder) -> str:
        return order.commitment.organisation.name

    @staticmethod
    def resolve_orgnr(order: PaymentOrder) -> str:
        return order.orgnr or order.commitment.organisation.orgnr

    @staticmethod
    def resolve_bank_account(order: PaymentOrder) -> str:
        return order.payee_account  # type: ignore[attr-defined]  # set by _out

    @staticmethod
    def resolve_instalments(order: PaymentOrder) -> int:
        return order.commitment.instalments

    @staticmethod
    def resolve_attested_by(order: PaymentOrder) -> str | None:
        return order.attested_by.username if order.attested_by else None

    @staticmethod
    def resolve_approved_by(order: PaymentOrder) -> str | None:
        return order.approved_by.username if order.approved_by else None


class PaymentFileOut(Schema):
    id: int
    message_id: str
    sha256: str
    total: Decimal
    count: int
    order_ids: list[int]
    pain001: str
    csv: str

    @staticmethod
    def resolve_order_ids(payment_file: PaymentFile) -> list[int]:
        return sorted(payment_file.orders.values_list("pk", flat=True))

    @staticmethod
    def resolve_pain001(payment_file: PaymentFile) -> str:
        return bytes(payment_file.xml).decode("utf-8")


def _orders():
    return PaymentOrder.objects.select_related(
        "commitment__organisation", "commitment__call", "commitment__decision", "attested_by", "approved_by"
    )


def _out(orders) -> list[PaymentOrder]:
    """The orders with what ``PaymentOrderOut`` shows beyond their rows, their holds (``held``) and the account
    they go to (``payee_account``), asked for all of them at once: per order it cost four queries each."""
    orders = list(orders)
    holds, accounts = payments.holds_for(orders), payments.bank_accounts_for(orders)
    for order in orders:
        order.held, order.payee_account = holds[order.pk], accounts[order.pk]  # type: ignore[attr-defined]
    return orders


@router.get("/payment-orders", response=list[PaymentOrderOut], summary="Utbetalinger")
def order_list(request: HttpRequest, status: str | None = None):
    """Every payment order; ``status`` (planned, attested, approved, exported) narrows the list."""
    _officer(request)
    orders = _orders()
    if status:
        orders = orders.filter(status=status)
    return _out(orders)


# Before the detail route, so that ``export`` is never read as an order's id.
@router.post(
    "/payment-orders/export", response={201: PaymentFileOut}, summary="Eksporter godkjente utbetalinger (pain.001)"
)
def export(request: HttpRequest):
    """Every approved order in one ISO 20022 pain.001.001.03 file (validated against the schema) and CSV; the
    orders are locked."""
    return Status(201, payments.payment_export(actor=_officer(request)))


@router.get("/payment-orders/{pk}", response=PaymentOrderOut, summary="Én utbetaling")
def order_detail(request: HttpRequest, pk: int):
    return _out([access.get_payment_order_for_user(_officer(request), pk)])[0]


@router.post("/payment-orders/{pk}/attest", response=PaymentOrderOut, summary="Attester utbetalingen")
def order_attest(request: HttpRequest, pk: int):
    user = _officer(request)
    order = payments.payment_order_attest(actor=user, order=access.get_payment_order_for_user(user, pk))
    return _out([order])[0]


@router.post(
    "/payment-orders/{pk}/approve", response=PaymentOrderOut, summary="Godkjenn (anvis) utbetalingen (godkjenner)"
)
def order_approve(request: HttpRequest, pk: int):
    """Whoever attested the order cannot approve it (403); a held order is refused (422)."""
    user = _officer(request)
    order = payments.payment_order_approve(actor=user, order=access.get_payment_order_for_user(user, pk))
    return _out([order])[0]

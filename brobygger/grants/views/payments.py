"""The payment pages: payment orders with attestation and approval, payment files, the recipient's changes (the
applicant's page and the officers' list), commitments, overpayments, repayments and payment stops.

Thin as the other grant pages: fetch through ``access``, write through ``grants.payments``, a refusal lands on the
form or as a message and nothing is saved.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from brobygger.grants import access, payment_forms, payments
from brobygger.grants.models import Decision, PaymentOrder, PaymentStop, RecipientChange
from brobygger.grants.views import _form_page, _require, object_action


def _orders():
    return PaymentOrder.objects.select_related(
        "commitment__organisation",
        "commitment__call",
        "commitment__decision__application__call",
        "attested_by",
        "approved_by",
    )


def _with_holds(orders) -> list[tuple[PaymentOrder, list[str]]]:
    orders = list(orders)
    holds = payments.holds_for(orders)
    return [(order, holds[order.pk]) for order in orders]


def decision_payments(decision: Decision, user) -> dict:
    """What the decision page shows of the money: the commitment and its orders, overpayments, and what was set
    off against this decision from last year. Officers only."""
    if not access.is_officer(user):
        return {}
    commitment = getattr(decision, "commitment", None)
    return {
        "commitment": commitment,
        "orders": _with_holds(_orders().filter(commitment=commitment)) if commitment else [],
        "overpayments": decision.overpayments.select_related("offset_commitment").prefetch_related("repayments"),
        "offsets_in": commitment.offsets.select_related("decision") if commitment else [],
        "can_commit": commitment is None and decision.status in payments.PAYABLE_DECISIONS and decision.total > 0,
    }


# Payment orders


@login_required
def order_list(request):
    _require(access.can_manage_payments(request.user))
    orders = _with_holds(_orders().exclude(status=PaymentOrder.Status.EXPORTED))
    return render(
        request,
        "grants/payments/order_list.html",
        {
            "orders": orders,
            "exportable": sum(1 for order, holds in orders if order.status == "approved" and not holds),
            "files": payments.PaymentFile.objects.all()[:20],
            "exported": _orders()
            .filter(status=PaymentOrder.Status.EXPORTED)
            .order_by("-payment_file__created_at")[:50],
        },
    )


@login_required
def order_detail(request, pk: int):
    order = access.get_payment_order_for_user(request.user, pk)
    organisation = order.commitment.organisation
    user = request.user
    holds = payments.order_holds(order)
    return render(
        request,
        "grants/payments/order_detail.html",
        {
            "order": order,
            "holds": holds,
            "orgnr": order.orgnr or organisation.orgnr,
            "bank_account": order.bank_account or payments.current_bank_account(organisation),
            "can_attest": order.status == PaymentOrder.Status.PLANNED,
            "can_approve": order.status == PaymentOrder.Status.ATTESTED
            and not holds
            and access.is_approver(user)
            and order.attested_by_id != user.pk,
        },
    )


order_attest = object_action(
    access.get_payment_order_for_user,
    lambda user, order: payments.payment_order_attest(actor=user, order=order),
    gettext_lazy("Utbetalingen er attestert."),
    "grants_payment_order",
)


order_approve = object_action(
    access.get_payment_order_for_user,
    lambda user, order: payments.payment_order_approve(actor=user, order=order),
    gettext_lazy("Utbetalingen er godkjent."),
    "grants_payment_order",
)


@login_required
@require_POST
def export(request):
    _require(access.can_manage_payments(request.user))
    try:
        payment_file = payments.payment_export(actor=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("grants_payment_orders")
    messages.success(request, _("Betalingsfilen er laget, og utbetalingene i den er låst."))
    return redirect("grants_payment_file", pk=payment_file.pk)


@login_required
def file_detail(request, pk: int):
    payment_file = access.get_payment_file_for_user(request.user, pk)
    return render(
        request,
        "grants/payments/file_detail.html",
        {"file": payment_file, "orders": _orders().filter(payment_file=payment_file)},
    )


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def file_xml(request, pk: int):
    payment_file = access.get_payment_file_for_user(request.user, pk)
    return _download(bytes(payment_file.xml), "application/xml", f"{payment_file.message_id}.xml")


@login_required
def file_csv(request, pk: int):
    payment_file = access.get_payment_file_for_user(request.user, pk)
    return _download(payment_file.csv.encode("utf-8-sig"), "text/csv; charset=utf-8", f"{payment_file.message_id}.csv")


# Commitments, overpayments, repayments


@login_required
def commitment_create(request, pk: int):
    decision = access.get_decision_for_user(request.user, pk)
    _require(access.can_manage_payments(request.user))
    form = payment_forms.CommitmentForm(request.POST or None, initial={"first_due": timezone.localdate()})
    return _form_page(
        request,
        form,
        lambda data: payments.commitment_create(actor=request.user, decision=decision, **data),
        title=_("Forplikt vedtak %(pk)s") % {"pk": decision.pk},
        intro=_(
            "Tilskuddet på %(total)s kr føres som forpliktelse mot utlysningens ramme, og utbetalingene planlegges."
        )
        % {"total": payments.thousands(decision.total)},
        back=reverse("grants_decision", args=[pk]),
    )


@login_required
def overpayment_register(request, pk: int):
    decision = access.get_decision_for_user(request.user, pk)
    _require(access.can_manage_payments(request.user))
    form = payment_forms.OverpaymentForm(request.POST or None, initial=payments.overpayment_from_report(decision))
    return _form_page(
        request,
        form,
        lambda data: payments.overpayment_register(actor=request.user, decision=decision, **data),
        title=_("Ubrukte midler, vedtak %(pk)s") % {"pk": decision.pk},
        intro=_(
            "Ubrukte midler fra regnskapet kreves enten tilbakebetalt innen en frist, eller motregnes i mottakerens "
            "tilskudd neste år (regelverket pkt. 9)."
        ),
        back=reverse("grants_decision", args=[pk]),
    )


@login_required
def repayment_register(request, pk: int):
    overpayment = access.get_overpayment_for_user(request.user, pk)
    _require(access.can_manage_payments(request.user))
    form = payment_forms.RepaymentForm(request.POST or None, initial={"received_on": timezone.localdate()})
    return _form_page(
        request,
        form,
        lambda data: payments.repayment_register(actor=request.user, overpayment=overpayment, **data),
        title=_("Registrer tilbakebetaling"),
        back=reverse("grants_decision", args=[overpayment.decision_id]),
    )


# Payment stops


@login_required
def stop_list(request):
    _require(access.can_manage_payments(request.user))
    form = payment_forms.PaymentStopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            payments.payment_stop(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            for text in error.messages:
                form.add_error(None, text)
        else:
            messages.success(request, _("Betalingsstansen er registrert."))
            return redirect("grants_payment_stops")
    stops = PaymentStop.objects.select_related("organisation", "decision__application__organisation", "started_by")
    return render(
        request,
        "grants/payments/stop_list.html",
        {"form": form, "stops": stops},
        status=422 if form.errors else 200,
    )


@login_required
def stop_lift(request, pk: int):
    stop = access.get_payment_stop_for_user(request.user, pk)
    _require(access.can_manage_payments(request.user))
    form = payment_forms.LiftForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: payments.payment_stop_lift(actor=request.user, stop=stop, **data),
        title=_("Opphev betalingsstans"),
        intro=stop.reason,
        back=reverse("grants_payment_stops"),
    )


# The recipient's changes


@login_required
def change_list(request):
    _require(access.can_manage_payments(request.user))
    changes = access.visible_recipient_changes(request.user).select_related(
        "organisation", "reported_by", "verified_by", "approved_by"
    )
    user = request.user
    return render(
        request,
        "grants/payments/change_list.html",
        {
            "pending": [
                (change, change.status == "verified" and access.is_approver(user) and change.verified_by_id != user.pk)
                for change in changes
                if change.is_pending
            ],
            "done": [change for change in changes if not change.is_pending][:50],
        },
    )


change_verify = object_action(
    access.get_recipient_change_for_user,
    lambda user, change: payments.recipient_change_verify(actor=user, change=change),
    gettext_lazy("Endringen er kontrollert. Den må godkjennes av en annen før den tas i bruk."),
    lambda change: reverse("grants_recipient_changes"),
)


change_approve = object_action(
    access.get_recipient_change_for_user,
    lambda user, change: payments.recipient_change_approve(actor=user, change=change),
    gettext_lazy("Endringen er godkjent og tatt i bruk."),
    lambda change: reverse("grants_recipient_changes"),
)


@login_required
def change_reject(request, pk: int):
    change = access.get_recipient_change_for_user(request.user, pk)
    _require(access.can_manage_payments(request.user))
    form = payment_forms.RejectForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: payments.recipient_change_reject(actor=request.user, change=change, **data),
        title=_("Avvis endring"),
        intro=f"{change.organisation}: {change.get_kind_display()} {change.value}",
        back=reverse("grants_recipient_changes"),
    )


@login_required
def recipient(request):
    """The applicant's page: the organisation's approved payment details, and the changes it has reported."""
    _require(access.can_report_recipient_change(request.user))
    organisation = request.user.organisation
    return render(
        request,
        "grants/payments/recipient.html",
        {
            "organisation": organisation,
            "bank_account": payments.current_bank_account(organisation),
            "address": payments.current_value(organisation, RecipientChange.Kind.ADDRESS),
            "changes": access.visible_recipient_changes(request.user),
        },
    )


@login_required
def recipient_change_report(request):
    _require(access.can_report_recipient_change(request.user))
    form = payment_forms.RecipientChangeForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: payments.recipient_change_report(actor=request.user, **data),
        title=_("Meld endring"),
        intro=_(
            "Meld fra når adresse, kontonummer eller organisasjonsnummer endres (regelverket pkt. 9). Endringen tas "
            "i bruk når Helsedirektoratet har kontrollert og godkjent den. Til et nytt kontonummer er godkjent, "
            "holdes utbetalingene tilbake."
        ),
        back=reverse("grants_recipient"),
    )

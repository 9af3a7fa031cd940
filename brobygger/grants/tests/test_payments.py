"""The payment services: commitments, attestation and approval, the pain.001 export, the recipient's changes,
overpayments, repayments and payment stops. Every refusal is tested, and the database's own checks."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from lxml import etree

from brobygger.audit.models import AuditEvent
from brobygger.grants import annual_reports, payments
from brobygger.grants.models import AnnualReport, Call, Commitment, Overpayment, PaymentOrder, RecipientChange
from brobygger.grants.tests.payment_fixtures import ACCOUNT, NEW_ACCOUNT, approved_account, call_for, granted
from brobygger.grants.tests.report_fixtures import granted_2025

pytestmark = pytest.mark.django_db


def attested(officer, order):
    return payments.payment_order_attest(actor=officer, order=order)


def approved(officer, approver, order):
    return payments.payment_order_approve(actor=approver, order=attested(officer, order))


def first(commitment) -> PaymentOrder:
    return commitment.orders.order_by("instalment").first()


# Commitments


def test_a_granted_decision_is_committed_in_equal_instalments_that_sum_to_the_grant(commitment, granted_decision):
    orders = list(commitment.orders.order_by("instalment"))
    assert commitment.amount == commitment.ordered == granted_decision.total == Decimal(500000)
    assert [(o.amount, o.due_on) for o in orders] == [
        (Decimal(250000), date(2026, 4, 1)),
        (Decimal(250000), date(2026, 10, 1)),
    ]
    assert AuditEvent.objects.filter(object_type__icontains="commitment").exists()


def test_instalments_share_the_odd_kroner_so_the_sum_is_exact():
    assert payments.split_instalments(Decimal(100001), 3) == [Decimal(33335), Decimal(33333), Decimal(33333)]


def test_it_refuses_to_commit_twice_or_a_bad_number_of_instalments(officer, commitment, granted_decision):
    with pytest.raises(ValidationError, match="allerede forpliktet"):
        payments.commitment_create(actor=officer, decision=granted_decision)
    commitment.orders.all().delete()
    Commitment.objects.all().delete()
    for bad in (0, 13):
        with pytest.raises(ValidationError, match="fra 1 til 12"):
            payments.commitment_create(actor=officer, decision=granted_decision, instalments=bad)


def test_it_refuses_to_commit_beyond_the_frame(officer, granted_decision, call):
    Call.objects.filter(pk=call.pk).update(budget_frame=Decimal(499999))
    with pytest.raises(ValidationError, match="igjen av rammen, 499 999 kr"):
        payments.commitment_create(actor=officer, decision=granted_decision)
    assert not Commitment.objects.exists()


def test_only_officers_commit(applicant, approver, granted_decision):
    with pytest.raises(PermissionDenied):
        payments.commitment_create(actor=applicant, decision=granted_decision)
    assert payments.commitment_create(actor=approver, decision=granted_decision).instalments == 1


def test_the_database_refuses_orders_beyond_the_commitment_and_one_person_attesting_and_approving(commitment, officer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Commitment.objects.filter(pk=commitment.pk).update(ordered=commitment.amount + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentOrder.objects.filter(pk=first(commitment).pk).update(attested_by=officer, approved_by=officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentOrder.objects.filter(pk=first(commitment).pk).update(offset_amount=Decimal(250001))
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentOrder.objects.filter(pk=first(commitment).pk).update(status="exported")


# Attestation and approval


def test_the_same_person_can_never_attest_and_approve(commitment, approver, bank_account):
    order = payments.payment_order_attest(actor=approver, order=first(commitment))
    with pytest.raises(PermissionDenied, match="selv har attestert"):
        payments.payment_order_approve(actor=approver, order=order)


def test_only_an_approver_approves_and_only_an_attested_order(commitment, officer, second_officer, bank_account):
    with pytest.raises(ValidationError, match="Bare en attestert"):
        payments.payment_order_approve(
            actor=officer.__class__.objects.get(username="godkjenner"), order=first(commitment)
        )
    order = attested(officer, first(commitment))
    with pytest.raises(PermissionDenied, match="godkjenningsfullmakt"):
        payments.payment_order_approve(actor=second_officer, order=order)
    with pytest.raises(ValidationError, match="Bare en planlagt"):
        attested(officer, order)


def test_an_applicant_cannot_attest(commitment, applicant):
    with pytest.raises(PermissionDenied):
        payments.payment_order_attest(actor=applicant, order=first(commitment))


def test_approval_needs_an_approved_bank_account_and_records_it(commitment, officer, approver, applicant):
    order = attested(officer, first(commitment))
    with pytest.raises(ValidationError, match="ikke et godkjent kontonummer"):
        payments.payment_order_approve(actor=approver, order=order)
    approved_account(applicant, officer, approver)
    order = payments.payment_order_approve(actor=approver, order=order)
    assert (order.status, order.bank_account, order.orgnr) == (
        "approved",
        ACCOUNT,
        commitment.organisation.orgnr,
    )


# Export


def test_approved_orders_export_as_a_valid_pain001_file_and_csv_and_are_locked(
    commitment, officer, approver, bank_account
):
    order = approved(officer, approver, first(commitment))
    payment_file = payments.payment_export(actor=officer, on=date(2026, 3, 20))
    schema = etree.XMLSchema(etree.parse(str(payments.PAIN_SCHEMA)))
    document = etree.fromstring(bytes(payment_file.xml))
    assert schema.validate(document), schema.error_log
    ns = {"p": payments.PAIN_NAMESPACE}
    assert document.xpath("//p:CdtTrfTxInf/p:Amt/p:InstdAmt/text()", namespaces=ns) == ["250000.00"]
    assert document.xpath("//p:CdtrAcct/p:Id/p:Othr/p:Id/text()", namespaces=ns) == [ACCOUNT]
    assert document.xpath("//p:ReqdExctnDt/text()", namespaces=ns) == ["2026-04-01"]
    rows = list(csv.DictReader(io.StringIO(payment_file.csv), delimiter=";"))
    assert rows[0]["kontonummer"] == ACCOUNT and rows[0]["netto"] == "250000"
    order.refresh_from_db()
    assert order.status == "exported" and order.is_locked
    with pytest.raises(ValidationError, match="eksportert og låst"):
        payments.payment_order_attest(actor=officer, order=order)
    with pytest.raises(ValidationError, match="eksportert og låst"):
        payments.payment_order_approve(actor=approver, order=order)
    with pytest.raises(ValidationError, match="allerede eksportert"):
        payments.payment_export(actor=officer, orders=[order])


def test_an_invalid_file_is_never_stored(commitment, officer, approver, bank_account):
    approved(officer, approver, first(commitment))
    PaymentOrder.objects.filter(status="approved").update(bank_account="1503100001X")
    with pytest.raises(ValidationError):
        payments.payment_export(actor=officer)
    assert not payments.PaymentFile.objects.exists()


def test_the_schema_refuses_a_file_that_breaks_it(commitment, officer, approver, bank_account):
    order = approved(officer, approver, first(commitment))
    order.orgnr = "x" * 40  # longer than the schema's Max35Text
    with pytest.raises(etree.DocumentInvalid):
        payments.pain001([order], message_id="TEST", today=date(2026, 3, 20))


def test_there_is_nothing_to_export_without_approved_orders(officer, commitment):
    with pytest.raises(ValidationError, match="ingen godkjente"):
        payments.payment_export(actor=officer)
    with pytest.raises(ValidationError, match="ikke godkjent"):
        payments.payment_export(actor=officer, orders=[first(commitment)])


# The recipient's changes


def test_a_bank_account_must_be_valid(applicant):
    for bad in ("15031000015", "1234", "kontonummer"):
        with pytest.raises(ValidationError, match="11 siffer"):
            payments.recipient_change_report(actor=applicant, kind="bank_account", value=bad)
    with pytest.raises(ValidationError, match="9 siffer"):
        payments.recipient_change_report(actor=applicant, kind="orgnr", value="123456789")
    with pytest.raises(ValidationError, match="adressen"):
        payments.recipient_change_report(actor=applicant, kind="address", value="  ")
    assert not RecipientChange.objects.exists()


def test_only_the_recipient_reports_and_one_change_of_a_kind_waits_at_a_time(applicant, officer):
    with pytest.raises(PermissionDenied):
        payments.recipient_change_report(actor=officer, kind="bank_account", value=ACCOUNT)
    payments.recipient_change_report(actor=applicant, kind="bank_account", value="1503.10.00014")
    with pytest.raises(ValidationError, match="venter allerede"):
        payments.recipient_change_report(actor=applicant, kind="bank_account", value=NEW_ACCOUNT)


def test_a_change_is_verified_and_approved_by_two_people(applicant, officer, approver):
    change = payments.recipient_change_report(actor=applicant, kind="bank_account", value=ACCOUNT)
    with pytest.raises(ValidationError, match="Bare en kontrollert"):
        payments.recipient_change_approve(actor=approver, change=change)
    change = payments.recipient_change_verify(actor=approver, change=change)
    with pytest.raises(PermissionDenied, match="selv har kontrollert"):
        payments.recipient_change_approve(actor=approver, change=change)
    with pytest.raises(ValidationError, match="Bare en meldt"):
        payments.recipient_change_verify(actor=officer, change=change)
    assert payments.current_bank_account(applicant.organisation) == ""
    with pytest.raises(IntegrityError), transaction.atomic():
        RecipientChange.objects.filter(pk=change.pk).update(approved_by=approver)


def test_a_new_bank_account_holds_payments_until_approved_and_withdraws_approvals_to_the_old_one(
    commitment, applicant, officer, approver, bank_account
):
    order = approved(officer, approver, first(commitment))
    change = payments.recipient_change_report(actor=applicant, kind="bank_account", value=NEW_ACCOUNT)
    assert "Nytt kontonummer er meldt" in payments.order_holds(order)[0]
    with pytest.raises(ValidationError, match="holdes tilbake"):
        payments.payment_export(actor=officer)
    second = attested(officer, commitment.orders.get(instalment=2))
    with pytest.raises(ValidationError, match="holdes tilbake"):
        payments.payment_order_approve(actor=approver, order=second)
    payments.recipient_change_verify(actor=officer, change=change)
    payments.recipient_change_approve(actor=approver, change=change)
    order.refresh_from_db()
    assert (order.status, order.bank_account, order.approved_by) == ("attested", "", None)
    assert payments.payment_order_approve(actor=approver, order=order).bank_account == NEW_ACCOUNT
    kinds = set(AuditEvent.objects.filter(object_type__icontains="recipientchange").values_list("action", flat=True))
    assert kinds == {"create", "update"}


def test_a_rejected_change_never_takes_effect(applicant, officer):
    change = payments.recipient_change_report(actor=applicant, kind="bank_account", value=ACCOUNT)
    with pytest.raises(ValidationError, match="hvorfor"):
        payments.recipient_change_reject(actor=officer, change=change, reason=" ")
    payments.recipient_change_reject(actor=officer, change=change, reason="Kontoen tilhører ikke kommunen.")
    assert payments.current_bank_account(applicant.organisation) == ""
    with pytest.raises(ValidationError, match="allerede behandlet"):
        payments.recipient_change_reject(actor=officer, change=change, reason="Igjen.")


def test_an_approved_organisation_number_is_written_to_the_organisation(applicant, officer, approver):
    from brobygger.accounts.demo import synthetic_orgnr

    number = synthetic_orgnr(777)
    change = payments.recipient_change_report(actor=applicant, kind="orgnr", value=number)
    payments.recipient_change_verify(actor=officer, change=change)
    payments.recipient_change_approve(actor=approver, change=change)
    applicant.organisation.refresh_from_db()
    assert applicant.organisation.orgnr == number


# Payment stops


def test_a_payment_stop_holds_orders_until_lifted(commitment, officer, approver, bank_account, granted_decision):
    order = attested(officer, first(commitment))
    with pytest.raises(ValidationError, match="enten en mottaker eller ett vedtak"):
        payments.payment_stop(actor=officer, reason="Kontroll.")
    with pytest.raises(ValidationError, match="grunnen"):
        payments.payment_stop(actor=officer, reason="", decision=granted_decision)
    stop = payments.payment_stop(actor=officer, reason="Mangler rapport.", decision=granted_decision)
    with pytest.raises(ValidationError, match="allerede en aktiv"):
        payments.payment_stop(actor=officer, reason="Igjen.", decision=granted_decision)
    with pytest.raises(ValidationError, match="Betalingsstans: Mangler rapport"):
        payments.payment_order_approve(actor=approver, order=order)
    payments.payment_stop_lift(actor=officer, stop=stop, reason="Rapporten kom.")
    order = payments.payment_order_approve(actor=approver, order=order)
    org_stop = payments.payment_stop(actor=officer, reason="Sanksjon.", organisation=commitment.organisation)
    with pytest.raises(ValidationError, match="Sanksjon"):
        payments.payment_export(actor=officer)
    with pytest.raises(ValidationError, match="allerede opphevet"):
        payments.payment_stop_lift(actor=officer, stop=stop, reason="Igjen.")
    with pytest.raises(PermissionDenied):
        payments.payment_stop_lift(
            actor=commitment.created_by.__class__.objects.get(username="soker-kommune"), stop=org_stop, reason="Nei."
        )


# Overpayments and repayments


def test_a_claim_needs_a_due_date_and_repayments_count_as_repaid(
    commitment, officer, approver, bank_account, call, granted_decision
):
    with pytest.raises(ValidationError, match="Oppgi en dato"):
        payments.overpayment_register(actor=officer, decision=granted_decision, amount=1000, handling="claim")
    with pytest.raises(ValidationError, match="overstige tilskuddet"):
        payments.overpayment_register(
            actor=officer, decision=granted_decision, amount=500001, handling="claim", due_date=date(2026, 6, 1)
        )
    for bad in ("-5", "10.50", "tusen", 0):
        with pytest.raises(ValidationError):
            payments.overpayment_register(
                actor=officer, decision=granted_decision, amount=bad, handling="claim", due_date=date(2026, 6, 1)
            )
    claim = payments.overpayment_register(
        actor=officer, decision=granted_decision, amount=40000, handling="claim", due_date=date(2026, 6, 1)
    )
    payments.repayment_register(actor=officer, overpayment=claim, received_on=date(2026, 5, 20), amount=30000)
    with pytest.raises(ValidationError, match="bare 10 000 kr igjen"):
        payments.repayment_register(actor=officer, overpayment=claim, received_on=date(2026, 5, 21), amount=10001)
    approved(officer, approver, first(commitment))
    payments.payment_export(actor=officer, on=date(2026, 3, 20))
    money = payments.call_money(call)
    assert (money.frame, money.committed, money.paid, money.repaid, money.remaining) == (
        Decimal(3000000),
        Decimal(500000),
        Decimal(250000),
        Decimal(30000),
        Decimal(2500000),
    )


def test_an_offset_waits_for_next_year_and_then_reduces_its_first_payment(officer, approver, applicant, bank_account):
    earlier = call_for(officer, 2025)
    decision_2025 = granted(officer, approver, applicant, earlier)
    payments.commitment_create(actor=officer, decision=decision_2025, first_due=date(2025, 4, 1))
    with pytest.raises(ValidationError, match="ingen betalingsfrist"):
        payments.overpayment_register(
            actor=officer, decision=decision_2025, amount=60000, handling="offset", due_date=date(2026, 1, 1)
        )
    offset = payments.overpayment_register(actor=officer, decision=decision_2025, amount=60000, handling="offset")
    assert offset.offset_commitment is None
    later = call_for(officer, 2026)
    decision_2026 = granted(officer, approver, applicant, later, requested=300000)
    following = payments.commitment_create(
        actor=officer, decision=decision_2026, instalments=2, first_due=date(2026, 4, 1)
    )
    offset.refresh_from_db()
    assert offset.offset_commitment == following
    orders = list(following.orders.order_by("instalment"))
    assert (orders[0].offset_amount, orders[0].net_amount, orders[1].offset_amount) == (
        Decimal(60000),
        orders[0].amount - 60000,
        Decimal(0),
    )
    order = approved(officer, approver, orders[0])
    payment_file = payments.payment_export(actor=officer, orders=[order], on=date(2026, 3, 20))
    assert payment_file.total == orders[0].amount - 60000
    money = payments.call_money(later)
    assert money.offset == Decimal(60000) and money.paid == orders[0].amount - 60000


def test_an_offset_larger_than_what_is_left_to_pay_is_refused(officer, approver, applicant, bank_account):
    earlier = call_for(officer, 2025)
    decision_2025 = granted(officer, approver, applicant, earlier)
    payments.commitment_create(actor=officer, decision=decision_2025)
    later = call_for(officer, 2026)
    decision_2026 = granted(officer, approver, applicant, later, requested=100000)
    payments.commitment_create(actor=officer, decision=decision_2026)
    with pytest.raises(ValidationError, match="mindre enn beløpet"):
        payments.overpayment_register(actor=officer, decision=decision_2025, amount=100001, handling="offset")
    assert not Overpayment.objects.exists()


def test_a_replaced_decision_holds_its_payments_and_its_replacement_is_not_committed_twice(
    officer, approver, commitment, granted_decision, bank_account
):
    from brobygger.grants import services

    appeal = services.appeal_register(
        actor=officer, decision=granted_decision, received_on=date(2026, 3, 20), grounds="For lite."
    )
    new = services.appeal_change(actor=officer, appeal=appeal, amounts={"A": 400000}, reasons="Omgjort.")
    services.decision_approve(actor=approver, decision=new)
    order = attested(officer, first(commitment))
    with pytest.raises(ValidationError, match="erstattet av et nytt vedtak"):
        payments.payment_order_approve(actor=approver, order=order)
    with pytest.raises(ValidationError, match="allerede er forpliktet"):
        payments.commitment_create(actor=officer, decision=new)


def test_a_name_is_never_a_formula_in_the_csv(commitment, officer, approver, bank_account):
    order = approved(officer, approver, first(commitment))
    order.commitment.organisation.name = "=HYPERLINK(1)"
    assert ";'=HYPERLINK(1);" in payments.payment_csv([order])


def test_unused_grant_starts_from_the_submitted_annual_reports_accounts(officer, approver, applicant):
    decision = granted_2025(officer, approver, applicant)
    assert payments.overpayment_from_report(decision) == {}
    report = annual_reports.annual_report_prepare(actor=applicant, decision=decision, on=date(2026, 1, 5))
    report.account_lines.update(spent=Decimal(0))
    report.account_lines.filter(pk=report.account_lines.first().pk).update(spent=Decimal(420000))
    assert payments.overpayment_from_report(decision) == {}  # a draft is the recipient's own
    AnnualReport.objects.filter(pk=report.pk).update(status=AnnualReport.Status.SUBMITTED)
    suggestion = payments.overpayment_from_report(decision)
    assert suggestion["amount"] == decision.total - Decimal(420000) == Decimal(80000)
    assert "2025" in suggestion["reference"]

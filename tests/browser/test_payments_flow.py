"""Paying a grant through a real browser: the recipient reports its bank account, one grant officer verifies it
and another approves it; the decision is committed in two instalments; the first is attested by one officer, held
while the recipient's new bank account waits, approved by another once the new account is verified and approved
by two people, and exported. The pain.001 file downloaded from the page validates against the official schema.
Every page passes ``Browsing.check`` (axe-core, CSP, static files, script errors, reflow at 320 px)."""

from datetime import date

import pytest
from django.utils import timezone
from lxml import etree

from brobygger.accounts.models import User
from brobygger.grants import payments
from brobygger.grants.models import PaymentOrder, RecipientChange
from brobygger.grants.tests.payment_fixtures import ACCOUNT, NEW_ACCOUNT, call_for, granted
from tests.browser.test_grants_flow import click, log_in

pytestmark = pytest.mark.browser

TODAY = timezone.localdate()


def report_account(browsing, number: str) -> None:
    page = browsing.page
    browsing.goto("/tilskudd/mottaker/")
    browsing.check()
    click(page, "Meld endring", role="link")
    page.get_by_label("Kontonummer").check()
    page.get_by_label("Ny verdi").fill(number)
    click(page, "Lagre")


def verify_and_approve_change(browsing) -> None:
    page = browsing.page
    log_in(browsing, "tilskuddsforvalter")
    browsing.goto("/tilskudd/utbetalinger/endringer/")
    browsing.check()
    click(page, "Kontrollert")
    # The officer who verified cannot approve: the button is not there for them (and the service refuses).
    assert page.get_by_role("button", name="Godkjenn endringen").count() == 0
    log_in(browsing, "godkjenner")
    browsing.goto("/tilskudd/utbetalinger/endringer/")
    browsing.check()
    click(page, "Godkjenn endringen")
    browsing.check()


def test_a_decision_is_paid_through_attestation_approval_and_export(seeded, browsing):
    page = browsing.page
    officer, approver, applicant = (
        User.objects.get(username=name) for name in ("tilskuddsforvalter", "godkjenner", "soker-kommune")
    )
    call = call_for(officer, 2026)
    decision = granted(officer, approver, applicant, call, on=date(2026, 3, 13))

    # The recipient reports its bank account; a bad number is refused on the form and nothing is saved.
    log_in(browsing, "soker-kommune")
    report_account(browsing, "1234.56.78901")
    assert "11 siffer med gyldig kontrollsiffer" in page.content()
    browsing.check()
    assert not RecipientChange.objects.exists()
    page.get_by_label("Ny verdi").fill(ACCOUNT)
    click(page, "Lagre")
    assert ACCOUNT in page.content()
    verify_and_approve_change(browsing)
    assert payments.current_bank_account(applicant.organisation) == ACCOUNT

    # The officer commits the decision in two instalments and attests the first.
    log_in(browsing, "tilskuddsforvalter")
    browsing.goto(f"/tilskudd/vedtak/{decision.pk}/")
    click(page, "Forplikt og planlegg utbetaling", role="link")
    browsing.check()
    page.get_by_label("Antall utbetalinger").fill("2")
    page.get_by_label("Første forfall").fill(TODAY.isoformat())
    click(page, "Lagre")
    browsing.check()
    browsing.goto("/tilskudd/utbetalinger/")
    browsing.check()
    first = PaymentOrder.objects.get(instalment=1)
    browsing.goto(f"/tilskudd/utbetalinger/{first.pk}/")
    browsing.check()
    click(page, "Attester utbetalingen")
    assert page.get_by_role("button", name="Godkjenn utbetalingen").count() == 0

    # The recipient reports a new account: the payment is held until a second person approves the change.
    log_in(browsing, "soker-kommune")
    report_account(browsing, NEW_ACCOUNT)
    log_in(browsing, "godkjenner")
    browsing.goto(f"/tilskudd/utbetalinger/{first.pk}/")
    browsing.check()
    assert "Utbetalingen holdes tilbake" in page.content()
    assert page.get_by_role("button", name="Godkjenn utbetalingen").count() == 0
    verify_and_approve_change(browsing)

    # Now the approver approves it, to the new account, and the officer exports it.
    browsing.goto(f"/tilskudd/utbetalinger/{first.pk}/")
    assert "Utbetalingen holdes tilbake" not in page.content()
    click(page, "Godkjenn utbetalingen")
    browsing.check()
    first.refresh_from_db()
    assert (first.status, first.bank_account, first.attested_by, first.approved_by) == (
        "approved",
        NEW_ACCOUNT,
        officer,
        approver,
    )
    log_in(browsing, "tilskuddsforvalter")
    browsing.goto("/tilskudd/utbetalinger/")
    click(page, "Eksporter 1 godkjent utbetaling")
    browsing.check()
    assert "250 000 kr" in page.content()
    first.refresh_from_db()
    assert first.status == "exported"
    xml = page.request.get(browsing.url(f"/tilskudd/utbetalinger/filer/{first.payment_file_id}/pain001.xml")).body()
    schema = etree.XMLSchema(etree.parse(str(payments.PAIN_SCHEMA)))
    assert schema.validate(etree.fromstring(xml)), schema.error_log
    assert NEW_ACCOUNT.encode() in xml and ACCOUNT.encode() not in xml
    csv_text = page.request.get(
        browsing.url(f"/tilskudd/utbetalinger/filer/{first.payment_file_id}/utbetalinger.csv")
    ).text()
    assert NEW_ACCOUNT in csv_text

    # The call shows its money to the krone; the other payment pages pass the checks too.
    browsing.goto(f"/tilskudd/utlysninger/{call.pk}/")
    browsing.check()
    money = page.locator("#money").locator("..").inner_text()
    assert "Forpliktet" in money and "250 000 kr" in money and "2 500 000 kr" in money
    browsing.goto(f"/tilskudd/vedtak/{decision.pk}/")
    browsing.check()
    click(page, "Registrer ubrukte midler", role="link")
    browsing.check()
    browsing.goto("/tilskudd/utbetalinger/stans/")
    browsing.check()
    page.get_by_label("Vedtak").select_option(value=str(decision.pk))
    page.get_by_label("Grunn").fill("Kontroll av lønnskostnadene.")
    click(page, "Stans utbetalingene")
    browsing.check()
    assert payments.order_holds(PaymentOrder.objects.get(instalment=2))


def test_unused_grant_is_offset_in_the_next_years_payment(seeded, browsing):
    page = browsing.page
    officer, approver, applicant = (
        User.objects.get(username=name) for name in ("tilskuddsforvalter", "godkjenner", "soker-kommune")
    )
    last_year = granted(officer, approver, applicant, call_for(officer, 2025), on=date(2025, 3, 13))
    payments.commitment_create(actor=officer, decision=last_year, instalments=1, first_due=date(2025, 4, 1))

    # The officer sets 45 000 kr of last year's unused grant off against the next grant.
    log_in(browsing, "tilskuddsforvalter")
    browsing.goto(f"/tilskudd/vedtak/{last_year.pk}/")
    click(page, "Registrer ubrukte midler", role="link")
    page.get_by_label("Ubrukt beløp (kr)").fill("45000")
    page.get_by_label("Motregnes i neste års tilskudd").check()
    page.get_by_label("Grunnlag").fill("Regnskap for 2025")
    click(page, "Lagre")
    browsing.check()
    assert "venter på neste års forpliktelse" in page.content()

    # This year's grant is committed on its page: the offset reduces its payment, and both years show it.
    this_year = granted(officer, approver, applicant, call_for(officer, 2026), requested=400000, on=date(2026, 3, 13))
    browsing.goto(f"/tilskudd/vedtak/{this_year.pk}/")
    click(page, "Forplikt og planlegg utbetaling", role="link")
    page.get_by_label("Antall utbetalinger").fill("1")
    page.get_by_label("Første forfall").fill(TODAY.isoformat())
    click(page, "Lagre")
    browsing.check()
    order = PaymentOrder.objects.get(commitment__decision=this_year)
    assert (order.amount, order.offset_amount) == (this_year.total, 45000)
    assert f"45 000 kr i ubrukte midler fra vedtak {last_year.pk} er motregnet" in page.content()
    browsing.goto(f"/tilskudd/utbetalinger/{order.pk}/")
    browsing.check()
    assert "Motregnet" in page.content() and "45 000 kr" in page.content()
    browsing.goto(f"/tilskudd/vedtak/{last_year.pk}/")
    assert f"motregnet i vedtak {this_year.pk}" in page.content()

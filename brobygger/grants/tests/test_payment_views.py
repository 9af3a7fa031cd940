"""The payment pages: who sees what, forms that refuse bad input in bokmål and save nothing, and the way from a
commitment through attestation, approval and export to the file, which validates against the pain.001 schema."""

from datetime import date

from lxml import etree

from brobygger.grants import payments
from brobygger.grants.models import Commitment, PaymentFile, PaymentOrder, RecipientChange
from brobygger.grants.tests.payment_fixtures import NEW_ACCOUNT, commitment_next_year, queries_for


def test_only_grant_officers_see_payment_orders(login, personas, officer, applicant, outsider, commitment):
    order = commitment.orders.first()
    assert login(officer).get("/tilskudd/utbetalinger/").status_code == 200
    assert login(applicant).get("/tilskudd/utbetalinger/").status_code == 403
    assert login(applicant).get(f"/tilskudd/utbetalinger/{order.pk}/").status_code == 404
    assert login(personas["jobbspesialist"]).get(f"/tilskudd/utbetalinger/{order.pk}/").status_code == 404
    assert login(outsider).get("/tilskudd/mottaker/").status_code == 200


def test_a_decision_is_committed_attested_approved_and_exported_through_the_pages(
    login, officer, approver, granted_decision, bank_account, call
):
    client = login(officer)
    page = client.post(f"/tilskudd/vedtak/{granted_decision.pk}/forplikt/", {"instalments": "13", "first_due": ""})
    assert page.status_code == 422 and "fra 1 til 12" in page.text
    assert not Commitment.objects.exists()
    client.post(f"/tilskudd/vedtak/{granted_decision.pk}/forplikt/", {"instalments": "1", "first_due": "2026-04-01"})
    order = PaymentOrder.objects.get()
    assert "500 000 kr" in client.get(f"/tilskudd/utlysninger/{call.pk}/").text
    client.post(f"/tilskudd/utbetalinger/{order.pk}/attester/")
    assert "Godkjenn utbetalingen" not in client.get(f"/tilskudd/utbetalinger/{order.pk}/").text
    assert login(officer).post(f"/tilskudd/utbetalinger/{order.pk}/godkjenn/").status_code == 403
    login(approver).post(f"/tilskudd/utbetalinger/{order.pk}/godkjenn/")
    response = client.post("/tilskudd/utbetalinger/eksporter/")
    payment_file = PaymentFile.objects.get()
    assert response.url == f"/tilskudd/utbetalinger/filer/{payment_file.pk}/"
    xml = client.get(f"/tilskudd/utbetalinger/filer/{payment_file.pk}/pain001.xml").content
    assert payments.pain001_schema().validate(etree.fromstring(xml))
    csv_text = client.get(f"/tilskudd/utbetalinger/filer/{payment_file.pk}/utbetalinger.csv").content.decode(
        "utf-8-sig"
    )
    assert "500000" in csv_text
    money = client.get(f"/tilskudd/utlysninger/{call.pk}/").text
    assert "Utbetalt" in money and money.count("500 000 kr") >= 2


def test_the_recipient_reports_a_bank_account_and_a_bad_one_saves_nothing(login, applicant):
    client = login(applicant)
    page = client.post("/tilskudd/mottaker/endre/", {"kind": "bank_account", "value": "1234.56.78901"})
    assert page.status_code == 422 and "kontrollsiffer" in page.text
    assert not RecipientChange.objects.exists()
    client.post("/tilskudd/mottaker/endre/", {"kind": "bank_account", "value": NEW_ACCOUNT})
    assert RecipientChange.objects.get().value == NEW_ACCOUNT
    assert NEW_ACCOUNT in client.get("/tilskudd/mottaker/").text


def test_officers_verify_and_another_approves_a_change(login, applicant, officer, approver):
    change = payments.recipient_change_report(actor=applicant, kind="bank_account", value=NEW_ACCOUNT)
    login(officer).post(f"/tilskudd/utbetalinger/endringer/{change.pk}/kontroller/")
    assert login(officer).post(f"/tilskudd/utbetalinger/endringer/{change.pk}/godkjenn/").status_code == 403
    login(approver).post(f"/tilskudd/utbetalinger/endringer/{change.pk}/godkjenn/")
    assert payments.current_bank_account(applicant.organisation) == NEW_ACCOUNT
    assert login(applicant).post(f"/tilskudd/utbetalinger/endringer/{change.pk}/kontroller/").status_code == 403


def test_overpayment_repayment_and_stop_pages(login, officer, granted_decision, commitment):
    client = login(officer)
    page = client.post(
        f"/tilskudd/vedtak/{granted_decision.pk}/ubrukte-midler/", {"amount": "10,5", "handling": "claim"}
    )
    assert page.status_code == 422
    client.post(
        f"/tilskudd/vedtak/{granted_decision.pk}/ubrukte-midler/",
        {"amount": "20000", "handling": "claim", "due_date": "2026-09-01", "reference": "Regnskap 2026"},
    )
    claim = granted_decision.overpayments.get()
    client.post(
        f"/tilskudd/utbetalinger/ubrukte-midler/{claim.pk}/innbetaling/",
        {"received_on": "2026-08-01", "amount": "20000"},
    )
    assert claim.repayments.get().amount == 20000
    assert "Ubrukte midler" in client.get(f"/tilskudd/vedtak/{granted_decision.pk}/").text
    page = client.post("/tilskudd/utbetalinger/stans/", {"reason": "Kontroll."})
    assert page.status_code == 422 and "enten en mottaker eller ett vedtak" in page.text
    client.post("/tilskudd/utbetalinger/stans/", {"decision": granted_decision.pk, "reason": "Kontroll."})
    stop = granted_decision.payment_stops.get()
    assert "Holdt tilbake" in client.get("/tilskudd/utbetalinger/").text
    client.post(f"/tilskudd/utbetalinger/stans/{stop.pk}/opphev/", {"reason": "Avklart."})
    stop.refresh_from_db()
    assert not stop.is_active and date.today() >= stop.lifted_at.date()


# What the holds cost: a fixed number of queries, not a few per order


def held_everywhere(officer, applicant, commitment):
    """Every kind of hold in play: a stop on the recipient and a new bank account waiting."""
    payments.payment_stop(actor=officer, reason="Kontroll.", organisation=commitment.organisation)
    payments.recipient_change_report(actor=applicant, kind=RecipientChange.Kind.BANK_ACCOUNT, value=NEW_ACCOUNT)


def test_the_order_list_costs_as_many_queries_for_ten_orders_as_for_two(
    login, officer, approver, applicant, commitment, bank_account
):
    held_everywhere(officer, applicant, commitment)
    client = login(officer)
    two = queries_for(client, "/tilskudd/utbetalinger/")
    commitment_next_year(officer, approver, applicant, instalments=8)
    page = client.get("/tilskudd/utbetalinger/")
    assert page.text.count("Holdt tilbake") == 10
    assert queries_for(client, "/tilskudd/utbetalinger/") == two


def test_the_decision_page_costs_as_many_queries_for_eight_orders_as_for_two(
    login, officer, approver, applicant, commitment, bank_account
):
    held_everywhere(officer, applicant, commitment)
    later = commitment_next_year(officer, approver, applicant, instalments=8)
    client = login(officer)
    page = client.get(f"/tilskudd/vedtak/{later.decision_id}/")
    assert page.text.count("Holdt tilbake") == 8
    assert queries_for(client, f"/tilskudd/vedtak/{later.decision_id}/") == queries_for(
        client, f"/tilskudd/vedtak/{commitment.decision_id}/"
    )

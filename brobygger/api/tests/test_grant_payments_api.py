"""The payment orders API: officers only, attestation and approval by two people, export as a pain.001 file that
validates against the schema, problem details in bokmål for every refusal."""

from lxml import etree

from brobygger.grants import payments
from brobygger.grants.models import RecipientChange
from brobygger.grants.tests.payment_fixtures import ACCOUNT, NEW_ACCOUNT, commitment_next_year, queries_for


def test_only_grant_officers_get_payment_orders(client, applicant, personas, commitment):
    order = commitment.orders.first()
    for user in (applicant, personas["jobbspesialist"]):
        client.force_login(user)
        assert client.get("/api/v1/grants/payment-orders").status_code == 403
        assert client.get(f"/api/v1/grants/payment-orders/{order.pk}").status_code == 403
        assert client.post("/api/v1/grants/payment-orders/export").status_code == 403


def test_an_order_is_attested_approved_by_another_and_exported(client, officer, approver, commitment, bank_account):
    order = commitment.orders.get(instalment=1)
    client.force_login(officer)
    body = client.get("/api/v1/grants/payment-orders").json()
    assert [row["status"] for row in body] == ["planned", "planned"]
    assert body[0]["bank_account"] == ACCOUNT and body[0]["held"] == []
    assert client.post(f"/api/v1/grants/payment-orders/{order.pk}/attest").json()["attested_by"] == officer.username
    again = client.post(f"/api/v1/grants/payment-orders/{order.pk}/attest")
    assert again.status_code == 422 and "planlagt" in again.json()["errors"][0]["message"]
    refused = client.post(f"/api/v1/grants/payment-orders/{order.pk}/approve")
    assert refused.status_code == 403 and refused["Content-Type"] == "application/problem+json"
    client.force_login(approver)
    assert client.post(f"/api/v1/grants/payment-orders/{order.pk}/approve").json()["status"] == "approved"
    response = client.post("/api/v1/grants/payment-orders/export")
    assert response.status_code == 201
    exported = response.json()
    assert exported["order_ids"] == [order.pk] and exported["total"] == "250000"
    assert payments.pain001_schema().validate(etree.fromstring(exported["pain001"].encode()))
    assert client.get(f"/api/v1/grants/payment-orders/{order.pk}").json()["payment_file_id"] == exported["id"]
    assert client.post("/api/v1/grants/payment-orders/export").status_code == 422


def test_a_held_order_cannot_be_approved(client, officer, approver, applicant, commitment, bank_account):
    order = payments.payment_order_attest(actor=officer, order=commitment.orders.get(instalment=1))
    payments.recipient_change_report(actor=applicant, kind="bank_account", value=NEW_ACCOUNT)
    client.force_login(approver)
    assert "Nytt kontonummer" in client.get(f"/api/v1/grants/payment-orders/{order.pk}").json()["held"][0]
    response = client.post(f"/api/v1/grants/payment-orders/{order.pk}/approve")
    assert response.status_code == 422 and "holdes tilbake" in response.json()["errors"][0]["message"]


def test_the_order_list_costs_as_many_queries_for_ten_orders_as_for_two(
    client, officer, approver, applicant, commitment, bank_account
):
    payments.payment_stop(actor=officer, reason="Kontroll.", organisation=commitment.organisation)
    payments.recipient_change_report(actor=applicant, kind=RecipientChange.Kind.BANK_ACCOUNT, value=NEW_ACCOUNT)
    client.force_login(officer)
    two = queries_for(client, "/api/v1/grants/payment-orders")
    commitment_next_year(officer, approver, applicant, instalments=8)
    body = client.get("/api/v1/grants/payment-orders").json()
    assert len(body) == 10
    assert all(
        row["held"] == ["Betalingsstans: Kontroll.", "Nytt kontonummer er meldt og venter på kontroll og godkjenning."]
        for row in body
    )
    assert {row["bank_account"] for row in body} == {ACCOUNT}
    assert queries_for(client, "/api/v1/grants/payment-orders") == two

"""Fixtures for the payment tests (services, pages, API): a granted and notified decision for Oslo kommune, its
commitment in two instalments, and an approved bank account. Account numbers are synthetic, valid by check digit."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brobygger.grants import payments, services
from brobygger.grants.models import Call, RecipientChange
from brobygger.grants.tests.fixtures import assessed, fill

ACCOUNT = "15031000014"
NEW_ACCOUNT = "15031000022"


def granted(officer, approver, applicant, call, *, requested=500000, on=None):
    """The applicant's application to ``call`` submitted, assessed, decided and the letter sent."""
    year = call.year
    application = fill(
        applicant, services.application_create(actor=applicant, call=call, title=f"IPS {year}"), requested=requested
    )
    services.application_submit(actor=applicant, application=application, on=date(year, 2, 20))
    assessed(officer, application)
    recommendation = services.recommendation_submit(actor=officer, call=call)
    (decision,) = services.recommendation_approve(actor=approver, recommendation=recommendation)
    services.decision_send(actor=officer, decision=decision, on=on or date(year, 3, 13))
    return decision


def approved_account(applicant, officer, approver, number=ACCOUNT):
    change = payments.recipient_change_report(actor=applicant, kind=RecipientChange.Kind.BANK_ACCOUNT, value=number)
    payments.recipient_change_verify(actor=officer, change=change)
    return payments.recipient_change_approve(actor=approver, change=change)


def call_for(officer, year: int, frame=Decimal("3000000")) -> Call:
    call = services.call_create(
        actor=officer,
        year=year,
        title=f"Tilskudd til IPS {year}",
        budget_frame=frame,
        deadline=date(year, 3, 1),
        text="Utlysning.",
    )
    return services.call_publish(actor=officer, call=call)


@pytest.fixture
def granted_decision(officer, approver, applicant, call):
    return granted(officer, approver, applicant, call)


@pytest.fixture
def bank_account(applicant, officer, approver):
    return approved_account(applicant, officer, approver)


@pytest.fixture
def commitment(officer, granted_decision):
    return payments.commitment_create(
        actor=officer, decision=granted_decision, instalments=2, first_due=date(2026, 4, 1)
    )


def commitment_next_year(officer, approver, applicant, *, instalments: int):
    """A second commitment for the applicant, from the 2027 call, so pages can be counted at two sizes."""
    # The second project year: its ceiling for one position is 400 000.
    decision = granted(officer, approver, applicant, call_for(officer, 2027), requested=400000)
    return payments.commitment_create(
        actor=officer, decision=decision, instalments=instalments, first_due=date(2027, 4, 1)
    )


def queries_for(client, url: str) -> int:
    """How many queries one GET of ``url`` costs (it must answer 200)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)

"""The grants API: the same access rules as the pages, JSON errors in bokmål."""

from datetime import date

import pytest

from brobygger.grants import services
from brobygger.grants.models import Call
from brobygger.grants.tests.fixtures import assessed, submitted


@pytest.fixture
def notified(officer, approver, applicant, call, complete):
    assessed(officer, submitted(applicant, complete))
    recommendation = services.recommendation_submit(actor=officer, call=call)
    decision = services.recommendation_approve(actor=approver, recommendation=recommendation)[0]
    services.decision_send(actor=officer, decision=decision, on=date(2026, 3, 13))
    services.appeal_register(actor=officer, decision=decision, received_on=date(2026, 3, 20), grounds="For lite.")
    return decision


def test_an_applicant_lists_published_calls_and_starts_an_application(client, applicant, call):
    client.force_login(applicant)
    assert [row["title"] for row in client.get("/api/v1/grants/calls").json()] == [call.title]
    response = client.post(
        f"/api/v1/grants/calls/{call.pk}/applications", {"title": "Fra API"}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["organisation"] == "Oslo kommune (demo)"


def test_submitting_an_incomplete_application_lists_what_is_missing(client, applicant, call):
    client.force_login(applicant)
    Call.objects.filter(pk=call.pk).update(deadline=date(2026, 12, 31))
    application = services.application_create(actor=applicant, call=call, title="Tom")
    response = client.post(f"/api/v1/grants/applications/{application.pk}/submit")
    assert response.status_code == 422
    messages = [row["message"] for row in response.json()["errors"]]
    assert len(messages) == 12 and all("pkt. 4" in m for m in messages)


def test_an_applicant_never_gets_another_organisations_things(client, outsider, notified, complete):
    client.force_login(outsider)
    assert client.get("/api/v1/grants/applications").json() == []
    assert client.get(f"/api/v1/grants/applications/{complete.pk}").status_code == 404
    assert client.get("/api/v1/grants/decisions").json() == []
    assert client.get(f"/api/v1/grants/decisions/{notified.pk}").status_code == 404
    assert client.get("/api/v1/grants/appeals").json() == []


def test_the_applicant_gets_its_decision_with_the_appeal_deadline(client, applicant, notified):
    client.force_login(applicant)
    body = client.get(f"/api/v1/grants/decisions/{notified.pk}").json()
    assert body["appeal_deadline"] == "2026-04-07"
    assert body["measures"] == [{"measure": "A", "project_year": 1, "ceiling": "500000", "amount": "500000"}]
    assert len(client.get("/api/v1/grants/appeals").json()) == 1


def test_an_officer_sees_appeals_with_their_next_step(client, officer, notified):
    client.force_login(officer)
    body = client.get("/api/v1/grants/appeals").json()
    assert body[0]["in_time"] is True and body[0]["next_step"]


def test_other_roles_are_refused_with_a_reason(client, personas, call):
    client.force_login(personas["analytiker"])
    response = client.get("/api/v1/grants/calls")
    assert response.status_code == 403 and "tilskuddsforvaltere og søkere" in response.json()["detail"]


def test_an_officer_cannot_apply(client, officer, call):
    client.force_login(officer)
    response = client.post(
        f"/api/v1/grants/calls/{call.pk}/applications", {"title": "X"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_an_approver_cannot_approve_their_own_recommendation_through_the_api(
    client, approver, officer, applicant, complete, call
):
    assessed(officer, submitted(applicant, complete))
    recommendation = services.recommendation_submit(actor=approver, call=call)
    client.force_login(approver)
    response = client.post(f"/api/v1/grants/recommendations/{recommendation.pk}/approve")
    assert response.status_code == 403
    assert response.json()["detail"] == "Du kan ikke godkjenne en innstilling du selv har sendt."
    client.force_login(officer)
    assert client.post(f"/api/v1/grants/recommendations/{recommendation.pk}/approve").status_code == 403


def test_an_approver_approves_someone_elses_recommendation_through_the_api(
    client, approver, officer, applicant, complete, call
):
    assessed(officer, submitted(applicant, complete))
    recommendation = services.recommendation_submit(actor=officer, call=call)
    client.force_login(approver)
    response = client.post(f"/api/v1/grants/recommendations/{recommendation.pk}/approve")
    assert response.status_code == 200
    assert [row["total"] for row in response.json()] == ["500000"]
    assert client.post(f"/api/v1/grants/recommendations/{recommendation.pk}/approve").status_code == 422


def test_a_call_id_out_of_range_is_refused_with_problem_details(client, applicant, call):
    client.force_login(applicant)
    assert client.get(f"/api/v1/grants/applications?call_id={call.pk}").status_code == 200
    response = client.get("/api/v1/grants/applications?call_id=9223372036854775808")
    assert response.status_code == 422 and response["Content-Type"].startswith("application/problem+json")

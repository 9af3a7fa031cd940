"""Every error under /api/ is JSON problem details (RFC 9457) in bokmål, never an HTML page, and every number and
date the rules API takes is bounded (brobygger/rules/bounds.py)."""

import json
from datetime import date

import pytest

from brobygger.middleware import ApiProblemMiddleware
from brobygger.participants.tests.conftest import ELIGIBLE_FACTS
from brobygger.rules import bounds

PROBLEM_KEYS = {"type", "title", "status", "detail"}


def _post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def _problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status
    return body


def test_an_unknown_api_path_is_a_json_404(client, db):
    body = _problem(client.get("/api/v1/finnes-ikke"), 404)
    assert body["title"] == "Finnes ikke"


def test_a_method_an_endpoint_does_not_take_is_a_json_405_that_names_the_allowed_ones(client, db):
    response = client.put("/api/v1/rules/varighet")
    _problem(response, 405)
    assert response["Allow"] == "POST"


def test_an_api_call_without_login_is_a_json_401(client, db):
    assert "logge inn" in _problem(client.get("/api/v1/participants/"), 401)["detail"]


def test_ninjas_own_validation_errors_are_problem_details_with_one_error_per_field(client, db):
    body = _problem(_post(client, "/api/v1/rules/varighet", {"on": "ikke en dato"}), 422)
    fields = {error["field"] for error in body["errors"]}
    assert {"on", "start_date", "track"} <= fields
    assert all(error["message"] for error in body["errors"])


def test_an_unexpected_exception_under_the_api_is_a_json_500_that_tells_nothing_of_it(rf, caplog):
    middleware = ApiProblemMiddleware(lambda request: None)
    response = middleware.process_exception(rf.get("/api/v1/rules/versions"), RuntimeError("hemmelig"))
    body = _problem(response, 500)
    assert "logget" in body["detail"]
    assert "hemmelig" not in json.dumps(body)
    assert "RuntimeError" in caplog.text


def test_an_unexpected_exception_in_a_page_is_left_to_djangos_own_error_page(rf):
    assert ApiProblemMiddleware(lambda request: None).process_exception(rf.get("/deltakere/"), RuntimeError()) is None


@pytest.mark.parametrize(
    ("field", "value", "accepted"),
    [
        ("max_days", 10**18, False),
        ("max_days", 1e18, False),
        ("max_days", bounds.RULE_FIELDS["max_days"].high, True),
        ("max_days", bounds.RULE_FIELDS["max_days"].high + 1, False),
        ("last_revised", "9999-12-31", False),
        ("last_revised", "0001-01-01", False),
        ("last_revised", bounds.EARLIEST_DATE.isoformat(), True),
        ("on", bounds.LATEST_DATE.isoformat(), True),
    ],
)
def test_the_rules_api_refuses_numbers_and_dates_beyond_the_bounds(client, db, field, value, accepted):
    body = {"on": "2026-03-01", "last_revised": "2026-01-01", "max_days": 90} | {field: value}
    response = _post(client, "/api/v1/rules/plan-oppdatert", body)
    if accepted:
        assert response.status_code == 200
    else:
        assert field in {error["field"] for error in _problem(response, 422)["errors"]}


@pytest.mark.parametrize(("fte", "status"), [("1e-300", 422), ("0.0001", 200), ("10000", 200), ("10001", 422)])
def test_the_grant_amount_refuses_a_man_year_count_with_too_many_decimals_or_too_large(client, db, fte, status):
    body = {"on": "2026-03-01", "measure": "A", "project_year": 1, "fte": fte}
    response = _post(client, "/api/v1/rules/tilskudd-maksbelop", body)
    assert response.status_code == status, response.content


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_the_duration_rule_refuses_dates_at_the_ends_of_the_calendar(client, db, day):
    body = {"on": day, "start_date": day, "track": "ips", "reduced_work_capacity": True}
    body = _problem(_post(client, "/api/v1/rules/varighet", body), 422)
    assert {"on", "start_date"} <= {error["field"] for error in body["errors"]}


def test_a_nul_byte_in_an_api_query_is_a_json_400_in_bokmal(client, personas):
    client.force_login(personas["jobbspesialist"])
    assert "kontrolltegn" in _problem(client.get("/api/v1/participants/?q=a%00b"), 400)["detail"]


def test_a_nul_byte_in_a_json_body_is_a_json_400(client, db):
    body = {"on": "2026-03-01", "birth_date": "2000-01-01", "exception_justification": "a\x00b"}
    _problem(_post(client, "/api/v1/rules/personkrets", body), 400)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_starting_a_period_through_the_api_refuses_a_date_at_the_ends_of_the_calendar(client, personas, waiting, day):
    client.force_login(personas["jobbspesialist"])
    response = _post(client, f"/api/v1/periods/{waiting.pk}/start", {"start_date": day, "revision": waiting.revision})
    assert [error["field"] for error in _problem(response, 422)["errors"]] == ["start_date"]
    waiting.refresh_from_db()
    assert waiting.start_date is None


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_the_extension_assessment_refuses_a_date_at_the_ends_of_the_calendar(client, personas, period, day):
    client.force_login(personas["jobbspesialist"])
    response = client.get(f"/api/v1/periods/{period.pk}/extension", {"on": day})
    assert [error["field"] for error in _problem(response, 422)["errors"]] == ["on"]


def test_a_contact_note_longer_than_the_bound_is_refused_per_field(client, personas, period):
    client.force_login(personas["jobbspesialist"])
    body = {"kind": "participant_meeting", "date": "2026-04-01", "notes": "x" * (bounds.TEXT_MAX_LENGTH + 1)}
    response = _post(client, f"/api/v1/periods/{period.pk}/contacts", body)
    assert [error["field"] for error in _problem(response, 422)["errors"]] == ["notes"]


def test_a_new_persons_name_longer_than_its_column_is_refused_per_field(client, personas):
    from brobygger.accounts.models import TreatmentTeam
    from brobygger.participants import identity

    client.force_login(personas["behandler"])
    body = {
        "new_participant": {
            "identity_number": identity.synthetic_identity_number(date(2001, 5, 17), 7),
            "first_name": "x" * 101,
            "last_name": "Prøvesen",
            "municipality": "0301",
        },
        "team_id": TreatmentTeam.objects.get(name="Nordre Aker psykisk helseteam").pk,
        "clinician_id": personas["behandler"].pk,
        "referred_on": "2026-03-02",
        "goals": "Jobb",
        "facts": ELIGIBLE_FACTS,
        "consent_given_on": "2026-03-02",
        "consent_method": "skriftlig",
    }
    response = _post(client, "/api/v1/referrals/", body)
    assert "first_name" in {error["field"] for error in _problem(response, 422)["errors"]}

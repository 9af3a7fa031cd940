"""The fidelity API: finalised totals and levels, by the same access rules as the pages."""

from datetime import date

import pytest

from brobygger.accounts.models import IpsService
from brobygger.fidelity import demo
from brobygger.fidelity.models import Review

TODAY = date(2026, 5, 4)


@pytest.fixture
def reviews(personas):
    demo.seed(today=TODAY)
    return Review.objects.filter(status=Review.Status.FINALISED)


def test_a_grant_officer_gets_every_services_finalised_totals_and_levels(client, personas, reviews):
    client.force_login(personas["tilskuddsforvalter"])
    body = client.get("/api/v1/fidelity/reviews").json()
    assert len(body) == reviews.count() == 12
    oslo = [row for row in body if row["service"] == "IPS Oslo Nord"]
    assert [row["total"] for row in oslo] == [70, 82, 96, 104]
    assert [row["approved"] for row in oslo] == [False, True, True, True]
    assert oslo[-1]["level_label"] == "Bra kvalitet"
    assert {group["key"] for group in oslo[-1]["groups"]} == {"ansatte", "organisasjon", "tjenester"}
    assert all("items" not in row and "summary" not in row for row in body)


def test_a_service_sees_only_its_own_reviews(client, personas, reviews):
    client.force_login(personas["ips-leder"])
    body = client.get("/api/v1/fidelity/reviews").json()
    assert {row["service"] for row in body} == {"IPS Oslo Nord"}
    other = IpsService.objects.get(name="IPS Tromsø")
    assert client.get(f"/api/v1/fidelity/reviews?service_id={other.pk}").json() == []


@pytest.mark.parametrize("persona", ["behandler", "sysadmin"])
def test_roles_without_fidelity_work_are_refused_with_the_reason(client, personas, reviews, persona):
    client.force_login(personas[persona])
    response = client.get("/api/v1/fidelity/reviews")
    assert response.status_code == 403
    assert "modelltrohet" in response.json()["detail"]


def test_without_login_401(client, db):
    assert client.get("/api/v1/fidelity/reviews").status_code == 401


@pytest.mark.parametrize("service_id", ["-3445639241732120970759872970752", "9223372036854775808", "0"])
def test_a_service_id_out_of_range_is_refused_with_problem_details(client, personas, service_id):
    # Found by schemathesis: SQLite cannot compare with a number above 64 bits, and answered 500.
    client.force_login(personas["tilskuddsforvalter"])
    response = client.get(f"/api/v1/fidelity/reviews?service_id={service_id}")
    assert response.status_code == 422 and response["Content-Type"].startswith("application/problem+json")

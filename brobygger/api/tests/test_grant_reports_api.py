"""The annual reports in the API: the applicant's own reports with pre-filled and reported figures, submitting one;
the pages' access rules, problem details on errors."""

from datetime import date

import pytest

from brobygger.accounts.models import IpsService
from brobygger.grants import annual_reports
from brobygger.grants.models import AnnualReport
from brobygger.grants.tests.report_fixtures import granted_2025
from brobygger.reporting.tests import dataset


@pytest.fixture
def report(officer, approver, applicant):
    decision = granted_2025(officer, approver, applicant)
    dataset.build(3, people=30)
    annual_reports.covered_service_add(
        actor=applicant,
        application=decision.application,
        measure="A",
        service=IpsService.objects.get(name="IPS Oslo Nord"),
    )
    report = annual_reports.annual_report_prepare(actor=applicant, decision=decision, on=date(2026, 1, 5))
    work = report.figures.get(key="work")
    annual_reports.annual_report_update(
        actor=applicant,
        report=report,
        goal_achievement="",
        figures={work.pk: {"value": work.prefilled + 2, "reason": "To jobber manglet."}},
        accounts={},
    )
    return report


def test_the_applicant_lists_and_reads_the_report_with_prefilled_and_corrected_figures(client, applicant, report):
    client.force_login(applicant)
    (listed,) = client.get("/api/v1/grants/reports").json()
    assert listed["id"] == report.pk and listed["status"] == "draft" and listed["due"] == "2026-04-01"
    detail = client.get(f"/api/v1/grants/reports/{report.pk}").json()
    work = next(figure for figure in detail["figures"] if figure["key"] == "work")
    assert work["corrected"] and work["reason"] == "To jobber manglet."
    assert float(work["value"]) == float(work["prefilled"]) + 2
    assert detail["granted"] == "500000" or float(detail["granted"]) == 500000


def test_submitting_an_incomplete_report_answers_422_with_every_missing_item(client, applicant, report):
    client.force_login(applicant)
    response = client.post(f"/api/v1/grants/reports/{report.pk}/submit")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    messages = " ".join(row["message"] for row in response.json()["errors"])
    assert "måloppnåelsen" in messages and "ikke signert" in messages


def test_a_complete_report_is_submitted(client, applicant, report):
    annual_reports.annual_report_update(
        actor=applicant,
        report=report,
        goal_achievement="Godt.",
        figures={f.pk: {"value": "0"} for f in report.figures.filter(value__isnull=True)},
        accounts={line.pk: {"spent": "500000"} for line in report.account_lines.all()},
    )
    annual_reports.report_sign(
        actor=applicant,
        report=report,
        name="Kari",
        authority="municipal_director",
        title="Kommunedirektør",
        signed_on=date(2026, 3, 1),
    )
    client.force_login(applicant)
    response = client.post(f"/api/v1/grants/reports/{report.pk}/submit")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert response.json()["unused"] in ("0", 0) or float(response.json()["unused"]) == 0


def test_another_organisation_gets_nothing_and_officers_no_drafts(client, outsider, officer, report):
    client.force_login(outsider)
    assert client.get("/api/v1/grants/reports").json() == []
    assert client.get(f"/api/v1/grants/reports/{report.pk}").status_code == 404
    assert client.post(f"/api/v1/grants/reports/{report.pk}/submit").status_code == 404
    client.force_login(officer)
    assert client.get(f"/api/v1/grants/reports/{report.pk}").status_code == 404
    AnnualReport.objects.filter(pk=report.pk).update(status=AnnualReport.Status.SUBMITTED)
    assert client.get(f"/api/v1/grants/reports/{report.pk}").status_code == 200
    response = client.post(f"/api/v1/grants/reports/{report.pk}/submit")
    assert response.status_code == 403 and response.json()["detail"]


def test_a_job_specialist_is_refused(client, personas):
    client.force_login(personas["jobbspesialist"])
    assert client.get("/api/v1/grants/reports").status_code == 403

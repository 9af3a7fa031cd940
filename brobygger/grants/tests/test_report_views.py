"""The annual report pages: the lists with late flags, the form refusing a correction without a reason, the
officer's review, and another organisation refused."""

from datetime import date

import pytest

from brobygger.grants import annual_reports
from brobygger.grants.models import AnnualReport
from brobygger.grants.tests.report_fixtures import granted_2025


@pytest.fixture
def decision(officer, approver, applicant):
    return granted_2025(officer, approver, applicant)


@pytest.fixture
def report(decision, applicant):
    return annual_reports.annual_report_prepare(actor=applicant, decision=decision, on=date(2026, 1, 5))


def test_the_applicant_makes_the_report_from_the_list(client, applicant, decision):
    client.force_login(applicant)
    page = client.get("/tilskudd/rapporter/")
    assert "Lag årsrapporten" in page.content.decode()
    response = client.post(f"/tilskudd/rapporter/vedtak/{decision.pk}/lag/")
    report = AnnualReport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tilskudd/rapporter/{report.pk}/"


def test_the_officers_list_flags_a_late_report_without_showing_the_draft(client, officer, report):
    client.force_login(officer)
    content = client.get("/tilskudd/rapporter/").content.decode()
    assert "For sen" in content and "1 rapport er for sen." in content
    assert f"/tilskudd/rapporter/{report.pk}/" not in content
    assert client.get(f"/tilskudd/rapporter/{report.pk}/").status_code == 404


def test_a_typed_figure_is_saved_and_a_bad_number_lands_on_the_form(client, applicant, report):
    client.force_login(applicant)
    figure = report.figures.get(key="participants")
    assert figure.prefilled is None  # no services named: nothing to pre-fill, the applicant types it
    data = {f"figure_{figure.pk}": "abc", "goal_achievement": ""}
    response = client.post(f"/tilskudd/rapporter/{report.pk}/endre/", data)
    assert response.status_code == 422 and "Skriv et tall." in response.content.decode()
    data[f"figure_{figure.pk}"] = "12"
    response = client.post(f"/tilskudd/rapporter/{report.pk}/endre/", data)
    assert response.status_code == 302
    figure.refresh_from_db()
    assert figure.value == 12 and figure.reason == ""


def test_a_prefilled_figure_changed_without_a_reason_is_refused_on_the_form(client, applicant, report):
    figure = report.figures.get(key="work")
    figure.prefilled = figure.value = 4
    figure.save()
    client.force_login(applicant)
    response = client.post(f"/tilskudd/rapporter/{report.pk}/endre/", {f"figure_{figure.pk}": "5"})
    assert response.status_code == 422 and "Oppgi hvorfor du endrer" in response.content.decode()
    figure.refresh_from_db()
    assert figure.value == 4


def test_another_organisation_is_refused(client, outsider, report):
    client.force_login(outsider)
    assert client.get(f"/tilskudd/rapporter/{report.pk}/").status_code == 404
    assert client.get(f"/tilskudd/rapporter/{report.pk}/endre/").status_code == 404
    assert client.get(f"/tilskudd/rapporter/soknader/{report.application_id}/tilbud/").status_code == 404


def test_the_officer_returns_a_submitted_report_with_a_comment(client, officer, report):
    AnnualReport.objects.filter(pk=report.pk).update(status=AnnualReport.Status.SUBMITTED)
    client.force_login(officer)
    assert client.post(f"/tilskudd/rapporter/{report.pk}/send-tilbake/", {"comment": ""}).status_code == 422
    response = client.post(f"/tilskudd/rapporter/{report.pk}/send-tilbake/", {"comment": "Forklar avviket."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.RETURNED and report.review_comment == "Forklar avviket."


def test_the_applicant_names_a_service_and_the_figures_follow(client, applicant, report):
    client.force_login(applicant)
    page = client.get(f"/tilskudd/rapporter/soknader/{report.application_id}/tilbud/")
    assert page.status_code == 200 and "IPS Oslo Nord" in page.content.decode()
    service = page.context["form"].fields["service"].queryset.get()
    response = client.post(
        f"/tilskudd/rapporter/soknader/{report.application_id}/tilbud/", {"measure": "A", "service": service.pk}
    )
    assert response.status_code == 302
    assert report.figures.get(key="participants").prefilled == 0

"""Annual reports (issue 14 items 3-4): pre-filled from the case data, equal to the statistics pages, corrected
only with a reason, accounts against the budget, signed, submitted, reviewed; reminders sent once."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from brobygger.accounts.models import IpsService
from brobygger.grants import annual_reports
from brobygger.grants.models import AnnualReport, ReportReminder
from brobygger.grants.tests.report_fixtures import YEAR, granted_2025
from brobygger.reporting.periods import Level, ReportingPeriod
from brobygger.reporting.tests import dataset


@pytest.fixture
def granted(officer, approver, applicant):
    """Oslo kommune's measure A for 2025, granted 500 000 kr and sent; covering IPS Oslo Nord."""
    return granted_2025(officer, approver, applicant)


@pytest.fixture
def oslo_nord(personas):
    return IpsService.objects.get(name="IPS Oslo Nord")


@pytest.fixture
def covered(granted, applicant, oslo_nord):
    dataset.build(7, people=80)
    annual_reports.covered_service_add(actor=applicant, application=granted.application, measure="A", service=oslo_nord)
    return granted


@pytest.fixture
def report(covered, applicant):
    return annual_reports.annual_report_prepare(actor=applicant, decision=covered, on=date(2026, 1, 5))


def _figures(report):
    return {figure.key: figure for figure in report.figures.all()}


def test_the_decision_sets_the_deadline_1_april_the_year_after(report):
    assert report.due == date(2026, 4, 1) and report.year == YEAR
    assert report.status == AnnualReport.Status.DRAFT


def test_it_is_prefilled_with_the_same_numbers_as_the_leaders_statistics_page(client, personas, report, oslo_nord):
    client.force_login(personas["ips-leder"])
    response = client.get("/statistikk/", {"periode": str(YEAR), "niva": Level.SERVICE})
    assert response.status_code == 200
    (row,) = [unit for unit in response.context["figures"].units if unit.key == oslo_nord.pk]
    figures = _figures(report)
    compared = {
        "participants": "deltakere",
        "participants_psychosis": "deltakere_psykose",
        "participants_substance": "deltakere_rus",
        "work": "arbeid",
        "work_psychosis": "arbeid_psykose",
        "work_substance": "arbeid_rus",
        "education": "utdanning",
        "education_psychosis": "utdanning_psykose",
        "education_substance": "utdanning_rus",
        "employers": "arbeidsgivere",
        "hired": "ansatt_hos_arbeidsgivere",
    }
    for key, measure in compared.items():
        assert figures[key].prefilled == Decimal(row.figures[measure]), key
        assert figures[key].value == figures[key].prefilled
    assert figures["participants"].prefilled > 0
    assert figures["waiting_days"].prefilled == Decimal(str(round(row.figures["ventetid_dager"], 1)))


def test_two_services_are_reported_as_the_statistics_total_for_both(report, applicant, personas):
    tromso = IpsService.objects.get(name="IPS Tromsø")
    tromso.owners.add(applicant.organisation)
    annual_reports.covered_service_add(actor=applicant, application=report.application, measure="A", service=tromso)
    from brobygger.reporting import indicators

    scope = indicators.Scope(tuple(sorted((tromso.pk, IpsService.objects.get(name="IPS Oslo Nord").pk))))
    total = indicators.report(ReportingPeriod.for_year(YEAR), Level.SERVICE, scope).total.figures
    assert _figures(report)["participants"].prefilled == total["deltakere"]


def test_a_service_the_applicant_does_not_own_is_refused(granted, applicant):
    tromso = IpsService.objects.get(name="IPS Tromsø")
    with pytest.raises(ValidationError) as error:
        annual_reports.covered_service_add(
            actor=applicant, application=granted.application, measure="A", service=tromso
        )
    assert "service" in error.value.message_dict


def test_the_report_cannot_be_made_before_the_year_is_over(covered, applicant):
    with pytest.raises(ValidationError):
        annual_reports.annual_report_prepare(actor=applicant, decision=covered, on=date(YEAR, 12, 31))


def test_an_outsider_cannot_make_or_see_the_report(covered, outsider, report):
    with pytest.raises(PermissionDenied):
        annual_reports.annual_report_update(
            actor=outsider, report=report, goal_achievement="x", figures={}, accounts={}
        )
    from django.http import Http404

    from brobygger.grants import access

    with pytest.raises(Http404):
        access.get_report_for_user(outsider, report.pk)


def test_a_prefilled_figure_changes_only_with_a_reason_and_both_are_kept(report, applicant):
    figure = _figures(report)["work"]
    with pytest.raises(ValidationError) as error:
        annual_reports.annual_report_update(
            actor=applicant, report=report, goal_achievement="", figures={figure.pk: {"value": "3"}}, accounts={}
        )
    assert f"reason_{figure.pk}" in error.value.message_dict
    annual_reports.annual_report_update(
        actor=applicant,
        report=report,
        goal_achievement="",
        figures={figure.pk: {"value": figure.prefilled + 1, "reason": "En jobb ble registrert for sent."}},
        accounts={},
    )
    figure.refresh_from_db()
    assert figure.value == figure.prefilled + 1 and figure.is_corrected
    assert figure.reason == "En jobb ble registrert for sent."


def test_the_database_refuses_a_correction_without_a_reason(report):
    figure = _figures(report)["participants"]
    figure.value = figure.prefilled + 5
    with pytest.raises(IntegrityError), transaction.atomic():
        figure.save()


def _complete(report, applicant, *, spent="420000"):
    answers = {}
    for figure in report.figures.all():
        if figure.value is None and figure.prefilled is None:
            answers[figure.pk] = {"value": "0"}
    annual_reports.annual_report_update(
        actor=applicant,
        report=report,
        goal_achievement="Flere kom i arbeid enn målet.",
        figures=answers,
        accounts={line.pk: {"spent": spent, "note": ""} for line in report.account_lines.all()},
    )
    annual_reports.report_sign(
        actor=applicant,
        report=report,
        name="Kari Direktør",
        authority="municipal_director",
        title="Kommunedirektør",
        signed_on=date(2026, 3, 1),
    )


def test_accounts_are_compared_with_the_budget_and_the_unused_grant_follows(report, applicant):
    _complete(report, applicant)
    line = report.account_lines.get()
    assert line.difference == Decimal(-80000)
    assert annual_reports.report_unused_amount(report) == Decimal(80000)


def test_spending_above_the_grant_leaves_nothing_unused(report, applicant):
    _complete(report, applicant, spent="650000")
    assert annual_reports.report_unused_amount(report) == Decimal(0)


def test_submission_lists_everything_missing(report, applicant):
    with pytest.raises(ValidationError) as error:
        annual_reports.annual_report_submit(actor=applicant, report=report)
    text = " ".join(error.value.messages)
    assert "måloppnåelsen" in text and "regnskapet" in text and "ikke signert" in text


def test_a_change_after_signing_removes_the_signature(report, applicant):
    _complete(report, applicant)
    assert report.signatures.count() == 1
    annual_reports.annual_report_update(
        actor=applicant, report=report, goal_achievement="Ny tekst.", figures={}, accounts={}
    )
    assert report.signatures.count() == 0


def test_submitted_returned_resubmitted_and_approved(report, applicant, officer):
    _complete(report, applicant)
    annual_reports.annual_report_submit(actor=applicant, report=report)
    assert report.status == AnnualReport.Status.SUBMITTED
    with pytest.raises(PermissionDenied):
        annual_reports.annual_report_update(
            actor=applicant, report=report, goal_achievement="x", figures={}, accounts={}
        )
    with pytest.raises(ValidationError):
        annual_reports.annual_report_return(actor=officer, report=report, comment=" ")
    annual_reports.annual_report_return(actor=officer, report=report, comment="Forklar ventetiden.")
    assert report.status == AnnualReport.Status.RETURNED and report.signatures.count() == 0
    annual_reports.report_sign(
        actor=applicant,
        report=report,
        name="Kari Direktør",
        authority="municipal_director",
        title="Kommunedirektør",
        signed_on=date(2026, 3, 2),
    )
    annual_reports.annual_report_submit(actor=applicant, report=report)
    with pytest.raises(PermissionDenied):
        annual_reports.annual_report_approve(actor=applicant, report=report)
    annual_reports.annual_report_approve(actor=officer, report=report)
    assert report.status == AnnualReport.Status.APPROVED


def test_late_is_past_the_deadline_and_not_submitted(report, applicant):
    assert not annual_reports.is_late(report, report.due, date(2026, 4, 1))
    assert annual_reports.is_late(report, report.due, date(2026, 4, 2))
    assert annual_reports.is_late(None, report.due, date(2026, 4, 2))
    _complete(report, applicant)
    annual_reports.annual_report_submit(actor=applicant, report=report)
    assert not annual_reports.is_late(report, report.due, date(2026, 4, 2))


@pytest.mark.parametrize(
    ("today", "kind"),
    [
        (date(2026, 3, 1), None),
        (date(2026, 3, 2), ReportReminder.Kind.DAYS_30),
        (date(2026, 3, 24), ReportReminder.Kind.DAYS_30),
        (date(2026, 3, 25), ReportReminder.Kind.DAYS_7),
        (date(2026, 4, 1), ReportReminder.Kind.DAYS_7),
        (date(2026, 4, 2), None),
    ],
)
def test_which_reminder_is_owed_on_a_day(today, kind):
    assert annual_reports.reminder_kind(date(2026, 4, 1), today) == kind


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def test_the_reminder_task_run_twice_sends_one_email_and_prepares_the_report(covered, immediate_tasks, applicant):
    applicant.email = "soker@demo.invalid"
    applicant.save()
    mail.outbox.clear()
    call_command("send_report_reminders", "--day", "2026-03-02")
    call_command("send_report_reminders", "--day", "2026-03-02")
    call_command("send_report_reminders", "--day", "2026-03-10")
    report = AnnualReport.objects.get(application=covered.application)
    assert report.reminders.count() == 1 and len(mail.outbox) == 1
    assert "01.04.2026" in mail.outbox[0].subject and f"/tilskudd/rapporter/{report.pk}/" in mail.outbox[0].body
    call_command("send_report_reminders", "--day", "2026-03-26")
    call_command("send_report_reminders", "--day", "2026-03-27")
    assert sorted(report.reminders.values_list("kind", flat=True)) == ["days_30", "days_7"]
    assert len(mail.outbox) == 2


def test_no_reminder_for_a_submitted_report(report, applicant, immediate_tasks):
    _complete(report, applicant)
    annual_reports.annual_report_submit(actor=applicant, report=report)
    call_command("send_report_reminders", "--day", "2026-03-26")
    assert not report.reminders.exists()

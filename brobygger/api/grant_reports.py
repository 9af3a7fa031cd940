"""/api/v1/grants/reports: the annual reports in the applicant's scope (their organisation's reports, each with
its pre-filled and reported figures, and submitting one), by the pages' access rules.

What a user may not see answers 404; what they may see but not do, 403 with the reason; a submission that lacks
something answers 422 listing every missing item. Filling in figures, accounts and signatures is done on the pages.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import django_auth

from brobygger.grants import access, annual_reports
from brobygger.grants.models import AnnualReport

router = Router(tags=["Tilskudd"], auth=django_auth)


class FigureOut(Schema):
    measure: str
    key: str
    question: str
    prefilled: Decimal | None
    value: Decimal | None
    text: str
    reason: str
    corrected: bool


class AccountLineOut(Schema):
    measure: str
    description: str
    budget: Decimal
    spent: Decimal | None
    difference: Decimal | None


class ReportOut(Schema):
    id: int
    application_id: int
    decision_id: int
    organisation: str
    year: int
    due: date
    status: str
    late: bool
    goal_achievement: str
    granted: Decimal
    used: Decimal
    unused: Decimal
    figures: list[FigureOut]
    accounts: list[AccountLineOut]

    @staticmethod
    def resolve_organisation(report: AnnualReport) -> str:
        return report.application.organisation.name

    @staticmethod
    def resolve_late(report: AnnualReport) -> bool:
        return annual_reports.is_late(report, report.due)

    @staticmethod
    def resolve_granted(report: AnnualReport) -> Decimal:
        return annual_reports.report_granted_amount(report)

    @staticmethod
    def resolve_used(report: AnnualReport) -> Decimal:
        return annual_reports.report_used_amount(report)

    @staticmethod
    def resolve_unused(report: AnnualReport) -> Decimal:
        return annual_reports.report_unused_amount(report)

    @staticmethod
    def resolve_figures(report: AnnualReport) -> list[dict]:
        return [
            {
                "measure": figure.measure,
                "key": figure.key,
                "question": str(annual_reports.QUESTION_BY_KEY[(figure.measure, figure.key)].label),
                "prefilled": figure.prefilled,
                "value": figure.value,
                "text": figure.text,
                "reason": figure.reason,
                "corrected": figure.is_corrected,
            }
            for figure in report.figures.all()
        ]

    @staticmethod
    def resolve_accounts(report: AnnualReport) -> list[dict]:
        return [
            {
                "measure": line.budget_line.measure,
                "description": line.budget_line.description,
                "budget": line.budget_line.amount,
                "spent": line.spent,
                "difference": line.difference,
            }
            for line in report.account_lines.select_related("budget_line")
        ]


def _grants_user(request: HttpRequest):
    allowed, reason = access.can_view_grants(request.user)
    if not allowed:
        raise PermissionDenied(reason)
    return request.user


@router.get("/reports", response=list[ReportOut], summary="Årsrapporter du har tilgang til")
def report_list(request: HttpRequest):
    return access.visible_reports(_grants_user(request)).select_related("application__organisation")


@router.get("/reports/{pk}", response=ReportOut, summary="Én årsrapport med forhåndsutfylte og rapporterte tall")
def report_detail(request: HttpRequest, pk: int):
    return access.get_report_for_user(_grants_user(request), pk)


@router.post("/reports/{pk}/submit", response=ReportOut, summary="Send inn årsrapporten")
def report_submit(request: HttpRequest, pk: int):
    """Refused (422) with every missing item: goal achievement, answers, accounts, signatures."""
    user = _grants_user(request)
    report = access.get_report_for_user(user, pk)
    return annual_reports.annual_report_submit(actor=user, report=report)

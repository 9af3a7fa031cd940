"""/api/v1/grants/: calls, applications, decisions and appeals of the grant scheme, by the pages' access rules.

Applicants see published calls and their own organisation's applications, and the decisions and appeals sent to
them; grant officers see every call, every submitted application, decision and appeal. What a user may not see
answers 404; what they may see but not do answers 403 with the reason (an approver approving what they submitted
or prepared themselves, too); a refusal answers 422 in bokmål per field (for a submission: every missing item of
the checklist with its citation). Letters are PDFs on the pages; assessing, allocating and appeals are written on
the pages only, for now.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.security import django_auth

from brobygger.accounts.models import Organisation
from brobygger.grants import access, services
from brobygger.grants.models import Appeal, Application, Call, Decision, Recommendation
from brobygger.rules.bounds import DATABASE_ID

router = Router(tags=["Tilskudd"], auth=django_auth)


def _require(decision: tuple[bool, str]) -> None:
    allowed, reason = decision
    if not allowed:
        raise PermissionDenied(reason)


class CallOut(Schema):
    id: int
    year: int
    title: str
    budget_frame: Decimal
    measures_open: list[str]
    deadline: date
    text: str
    status: str


class PositionOut(Schema):
    title: str
    fte: Decimal


class MeasureOut(Schema):
    measure: str
    requested_amount: Decimal
    training_amount: Decimal
    project_year: int | None
    team_type: str
    positions: list[PositionOut]


class ApplicationOut(Schema):
    id: int
    call_id: int
    organisation: str
    partner: str | None
    version: int
    supersedes_id: int | None
    status: str
    title: str
    submitted_at: str | None
    measures: list[MeasureOut]

    @staticmethod
    def resolve_organisation(application: Application) -> str:
        return application.organisation.name

    @staticmethod
    def resolve_partner(application: Application) -> str | None:
        return application.partner.name if application.partner else None

    @staticmethod
    def resolve_submitted_at(application: Application) -> str | None:
        return application.submitted_at.isoformat() if application.submitted_at else None

    @staticmethod
    def resolve_measures(application: Application) -> list:
        return list(application.measures.prefetch_related("positions"))

    @staticmethod
    def resolve_positions(row) -> list:
        return list(row.positions.all())


class ApplicationIn(Schema):
    title: str
    partner_orgnr: str | None = None


class DecisionMeasureOut(Schema):
    measure: str
    project_year: int
    ceiling: Decimal
    amount: Decimal


class DecisionOut(Schema):
    id: int
    application_id: int
    replaces_id: int | None
    status: str
    outcome: str
    total: Decimal
    conditions: str
    reasons: str
    legal_basis: str
    report_due: date
    notified_on: date | None
    appeal_deadline: date | None
    measures: list[DecisionMeasureOut]

    @staticmethod
    def resolve_notified_on(decision: Decision) -> date | None:
        letter = getattr(decision, "letter", None)
        return letter.notified_on if letter else None

    @staticmethod
    def resolve_appeal_deadline(decision: Decision) -> date | None:
        letter = getattr(decision, "letter", None)
        return letter.appeal_deadline if letter else None

    @staticmethod
    def resolve_measures(decision: Decision) -> list:
        return list(decision.measures.all())


class AppealOut(Schema):
    id: int
    decision_id: int | None
    sanction_id: int | None
    received_on: date
    in_time: bool
    late_considered: bool
    status: str
    new_decision_id: int | None
    forwarded_on: date | None
    ministry_outcome: str
    next_step: str
    next_step_due: date | None

    @staticmethod
    def resolve_next_step(appeal: Appeal) -> str:
        return services.appeal_next_step(appeal).text

    @staticmethod
    def resolve_next_step_due(appeal: Appeal) -> date | None:
        return services.appeal_next_step(appeal).due


def _grants_user(request: HttpRequest):
    _require(access.can_view_grants(request.user))
    return request.user


@router.get("/calls", response=list[CallOut], summary="Utlysninger")
def call_list(request: HttpRequest):
    return access.visible_calls(_grants_user(request))


@router.get("/calls/{pk}", response=CallOut, summary="Én utlysning")
def call_detail(request: HttpRequest, pk: int):
    return access.get_call_for_user(_grants_user(request), pk)


@router.post("/calls/{pk}/applications", response={201: ApplicationOut}, summary="Start en søknad (utkast)")
def application_create(request: HttpRequest, pk: int, payload: ApplicationIn):
    user = _grants_user(request)
    call: Call = access.get_call_for_user(user, pk)
    partner = None
    if payload.partner_orgnr:
        partner = Organisation.objects.filter(orgnr=payload.partner_orgnr).first()
        if partner is None:
            raise ValidationError({"partner_orgnr": "Fant ingen organisasjon med dette organisasjonsnummeret."})
    return Status(201, services.application_create(actor=user, call=call, title=payload.title, partner=partner))


@router.get("/applications", response=list[ApplicationOut], summary="Søknader du har tilgang til")
def application_list(
    request: HttpRequest,
    call_id: int | None = Query(None, ge=DATABASE_ID.low, le=DATABASE_ID.high, description="Utlysningens id"),
):
    applications = access.visible_applications(_grants_user(request)).select_related("organisation", "partner")
    if call_id is not None:
        applications = applications.filter(call_id=call_id)
    return applications.order_by("call_id", "organisation__name", "-version")


@router.get("/applications/{pk}", response=ApplicationOut, summary="Én søknad")
def application_detail(request: HttpRequest, pk: int):
    return access.get_application_for_user(_grants_user(request), pk)


@router.post("/applications/{pk}/submit", response=ApplicationOut, summary="Send inn søknaden")
def application_submit(request: HttpRequest, pk: int):
    """Runs the checklist of regelverket pkt. 4: a refusal lists every missing item with its citation."""
    user = _grants_user(request)
    application = access.get_application_for_user(user, pk)
    return services.application_submit(actor=user, application=application)


@router.get("/decisions", response=list[DecisionOut], summary="Vedtak")
def decision_list(request: HttpRequest):
    return access.visible_decisions(_grants_user(request)).select_related("letter")


@router.get("/decisions/{pk}", response=DecisionOut, summary="Ett vedtak")
def decision_detail(request: HttpRequest, pk: int):
    return access.get_decision_for_user(_grants_user(request), pk)


@router.post("/recommendations/{pk}/approve", response=list[DecisionOut], summary="Godkjenn innstillingen (godkjenner)")
def recommendation_approve(request: HttpRequest, pk: int):
    """One decision per application. Whoever submitted the recommendation cannot approve it (403)."""
    user = _grants_user(request)
    _require(access.can_approve(user))
    recommendation = Recommendation.objects.filter(pk=pk).first()
    if recommendation is None:
        raise Http404
    return services.recommendation_approve(actor=user, recommendation=recommendation)


@router.post("/decisions/{pk}/approve", response=DecisionOut, summary="Godkjenn et forberedt vedtak (godkjenner)")
def decision_approve(request: HttpRequest, pk: int):
    """Whoever prepared the decision cannot approve it (403)."""
    user = _grants_user(request)
    return services.decision_approve(actor=user, decision=access.get_decision_for_user(user, pk))


@router.get("/appeals", response=list[AppealOut], summary="Klager med neste steg og frist")
def appeal_list(request: HttpRequest):
    return access.visible_appeals(_grants_user(request)).select_related("new_decision")


@router.get("/appeals/{pk}", response=AppealOut, summary="Én klage")
def appeal_detail(request: HttpRequest, pk: int):
    return access.get_appeal_for_user(_grants_user(request), pk)

"""/api/v1/participants/, /referrals/ and /periods/: the pathway for programs, through the pages' services and checks.

Authentication is the signed-in session (with CSRF for writes). What a user may not see answers 404; what they may
see but not do answers 403 with the reason; bad input answers 422 with one bokmål message per field. Every read of
a person's data is written to the access log, and identity numbers are only ever returned by the reveal endpoint.
"""

from datetime import date
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.security import django_auth

from brobygger.accounts.access import Decision, can_view_personal_data
from brobygger.accounts.models import Municipality, Role, TreatmentTeam, User
from brobygger.api.types import Day, Line, Search, Text
from brobygger.participants import access, identity, services
from brobygger.participants.models import Contact, Extension, Participant, ParticipantContactDetails, Period, Referral

router = Router(tags=["Deltakere og forløp"], auth=django_auth)


def _require(decision: Decision) -> None:
    allowed, reason = decision
    if not allowed:
        raise PermissionDenied(reason)


def _require_personal_data(request: HttpRequest) -> User:
    _require(can_view_personal_data(request.user))
    return request.user


# Schemas ---------------------------------------------------------------------------------------------------------


class ReasonOut(Schema):
    code: str
    text: str
    reference: str
    passed: bool


class AssessmentOut(Schema):
    rule: str
    outcome: str
    on: date
    version: dict[str, Any]
    reasons: list[ReasonOut]
    details: dict[str, Any] = {}


class ParticipantOut(Schema):
    id: int
    first_name: str
    last_name: str
    birth_date: date
    identity_masked: str
    municipality: str
    open_period_id: int | None
    open_period_status: str | None

    @staticmethod
    def resolve_identity_masked(participant: Participant) -> str:
        return identity.mask(identity.decrypt_identity(participant.identity_encrypted))

    @staticmethod
    def resolve_municipality(participant: Participant) -> str:
        return participant.municipality.number

    @staticmethod
    def resolve_open_period_id(participant: Participant) -> int | None:
        period = _open_period(participant)
        return period.pk if period else None

    @staticmethod
    def resolve_open_period_status(participant: Participant) -> str | None:
        period = _open_period(participant)
        return period.status if period else None


class ReferralOut(Schema):
    id: int
    team_id: int
    clinician_id: int
    referred_on: date
    goals: str
    consent_given_on: date | None
    consent_method: str
    eligibility_outcome: str
    eligibility: AssessmentOut
    decision: str
    refusal_reason: str
    decided_on: date | None


class ExtensionOut(Schema):
    decided_on: date
    previous_last_day: date
    extended_to: date
    justification: str
    rule_result: AssessmentOut


class StatusOut(Schema):
    status: str
    valid_from: date
    reason: str  # blank in the pathway's own course; why the status moved back otherwise


class PeriodOut(Schema):
    id: int
    revision: int
    participant_id: int
    service_id: int
    job_specialist_id: int | None
    status: str
    track: str
    start_date: date | None
    waiting_days: int | None
    last_permitted_day: date | None
    closed_on: date | None
    closure_reason: str
    closure_text: str
    referral: ReferralOut
    status_history: list[StatusOut]
    extensions: list[ExtensionOut]

    @staticmethod
    def resolve_participant_id(period: Period) -> int:
        return period.participant_id

    @staticmethod
    def resolve_referral(period: Period) -> Referral:
        return period.referral

    @staticmethod
    def resolve_extensions(period: Period) -> list[Extension]:
        return list(period.extensions.all())


class ParticipantDetailOut(ParticipantOut):
    """Phone, e-mail and guardian are the user's service's own (empty if it recorded none, never another service's);
    the health facts are null for a service that did not record them."""

    revision: int
    phone: str
    email: str
    guardian_name: str
    guardian_phone: str
    has_psychosis: bool | None
    has_substance_problems: bool | None
    reduced_work_capacity_assessed_on: date | None
    periods: list[PeriodOut]

    @staticmethod
    def resolve_periods(participant: Participant) -> list[Period]:
        return list(participant.periods.all())


class ContactDetailsIn(Schema):
    """The user's service's own contact details of the person; ``revision`` 0 when it has recorded none yet."""

    phone: Line = ""
    email: Line = ""
    guardian_name: Line = ""
    guardian_phone: Line = ""
    revision: int


class ContactDetailsOut(Schema):
    service_id: int
    phone: str
    email: str
    guardian_name: str
    guardian_phone: str
    revision: int


class ParticipantIn(Schema):
    """A new person; phone, e-mail and guardian go into the referring service's own record of them."""

    identity_number: Line
    first_name: Line
    last_name: Line
    municipality: Line
    phone: Line = ""
    email: Line = ""
    guardian_name: Line = ""
    guardian_phone: Line = ""
    has_psychosis: bool = False
    has_substance_problems: bool = False
    reduced_work_capacity_assessed_on: Day | None = None


class EligibilityFactsIn(Schema):
    moderate_or_severe_condition: bool
    compound_problems: bool
    in_health_service: bool
    needs_comprehensive_follow_up: bool
    wants_work_or_education: bool
    exception_justification: Text = ""
    exception_agreed_with_health_service: bool = False


class ReferralIn(Schema):
    participant_id: int | None = None
    new_participant: ParticipantIn | None = None
    team_id: int
    clinician_id: int
    referred_on: Day
    goals: Text
    facts: EligibilityFactsIn
    consent_given_on: Day | None = None
    consent_method: Literal["", "skriftlig", "muntlig", "digitalt"] = ""


class AcceptIn(Schema):
    on: Day
    job_specialist_id: int | None = None


class RefuseIn(Schema):
    on: Day
    reason: Literal[tuple(Referral.RefusalReason.values)]  # type: ignore[valid-type]


class StartIn(Schema):
    start_date: Day
    revision: int


class CloseIn(Schema):
    closed_on: Day
    reason: Literal[tuple(Period.ClosureReason.values)]  # type: ignore[valid-type]
    text: Text = ""
    revision: int


class ExtendIn(Schema):
    decided_on: Day
    justification: Text
    revision: int
    extended_to: Day | None = None


class ContactIn(Schema):
    kind: Literal[tuple(Contact.Kind.values)]  # type: ignore[valid-type]
    date: Day
    place: Literal["", "office", "community", "digital"] = ""
    counterpart: Line = ""
    notes: Text = ""


class ContactOut(Schema):
    id: int
    kind: str
    date: date
    place: str
    counterpart: str
    notes: str


class IdentityOut(Schema):
    identity_number: str


# What a service that did not record the person's health facts gets for them.
HIDDEN = {name: None for name in ("has_psychosis", "has_substance_problems", "reduced_work_capacity_assessed_on")}


# Output builders -------------------------------------------------------------------------------------------------


def _open_period(participant: Participant) -> Period | None:
    return next((f for f in participant.periods.all() if f.closed_on is None), None)


def _periods(user: User):
    """The user's periods only: a nested list goes through the same filter as the list it came from."""
    return access.visible_periods(user).select_related("referral").prefetch_related("status_history", "extensions")


def _participants(user: User):
    return (
        access.visible_participants(user)
        .select_related("municipality")
        .prefetch_related(Prefetch("periods", queryset=access.visible_periods(user)))
    )


def _period_for(request: HttpRequest, pk: int) -> Period:
    return access.get_period_for_user(request.user, pk)


# Participants ----------------------------------------------------------------------------------------------------


@router.get("/participants/", response=list[ParticipantOut], summary="Deltakere du har tilgang til")
def participants_list(request: HttpRequest, q: Search = ""):
    user = _require_personal_data(request)
    people = _participants(user)
    if q.strip():
        people = people.filter(last_name__icontains=q.strip()) | people.filter(first_name__icontains=q.strip())
    people = list(people)
    access.participants_shown(people)
    return people


def _participant_detail(request: HttpRequest, pk: int) -> Participant:
    participant = access.get_participant_for_user(request.user, pk)
    detail = (
        Participant.objects.select_related("municipality")
        .prefetch_related(Prefetch("periods", queryset=_periods(request.user)))
        .get(pk=participant.pk)
    )
    if access.recorded_details(request.user, detail) is None:
        # Another service recorded these: answered as not recorded. This instance is serialised, never saved.
        for name, value in HIDDEN.items():
            setattr(detail, name, value)
    own = access.own_contact_details(request.user, detail)
    for name in ParticipantContactDetails.FIELDS:
        setattr(detail, name, getattr(own, name) if own is not None else "")
    return detail


@router.get("/participants/{pk}", response=ParticipantDetailOut, summary="Én deltaker med alle forløp")
def participant_detail(request: HttpRequest, pk: int):
    _require_personal_data(request)
    return _participant_detail(request, pk)


@router.post("/participants/{pk}/reveal-identity", response=IdentityOut, summary="Vis fødselsnummeret")
def participant_reveal_identity(request: HttpRequest, pk: int, response: HttpResponse):
    user = _require_personal_data(request)
    participant = access.get_participant_for_user(user, pk)
    _require(access.can_reveal_identity(user, participant))
    access.identity_revealed(participant)
    response["Cache-Control"] = "no-store"
    return {"identity_number": identity.decrypt_identity(participant.identity_encrypted)}


@router.post(
    "/participants/{pk}/contact-details",
    response=ContactDetailsOut,
    summary="Lagre ditt IPS-tilbuds egne kontaktopplysninger om personen",
)
def contact_details_record(request: HttpRequest, pk: int, payload: ContactDetailsIn):
    user = _require_personal_data(request)
    participant = access.get_participant_for_user(user, pk)
    _require(access.can_edit_contact_details(user, participant))
    data = payload.model_dump()
    return services.contact_details_record(
        actor=user,
        participant=participant,
        service=access.contact_service(user, participant),
        expected_revision=data.pop("revision"),
        **data,
    )


# Referrals -------------------------------------------------------------------------------------------------------


@router.post("/referrals/", response={201: ReferralOut}, summary="Registrer en henvisning, med ny eller kjent person")
def referral_create(request: HttpRequest, payload: ReferralIn):
    """A person enters Brobygger through a referral: give ``participant_id`` of someone you can see, or
    ``new_participant``. Person and referral are saved together or not at all."""
    user = _require_personal_data(request)
    team = TreatmentTeam.objects.filter(pk=payload.team_id).first()
    if team is None:
        raise ValidationError({"team_id": "Behandlingsteamet finnes ikke."})
    _require(access.can_refer(user, team))
    clinician = User.objects.filter(pk=payload.clinician_id, role=Role.CLINICIAN, memberships__team=team).first()
    if clinician is None:
        raise ValidationError({"clinician_id": "Velg en behandler i behandlingsteamet. Uten behandler, ingen IPS."})
    contact_details = None
    if payload.new_participant is not None:
        contact_details = {name: getattr(payload.new_participant, name) for name in ParticipantContactDetails.FIELDS}
    with transaction.atomic():
        referral = services.referral_create(
            actor=user,
            contact_details=contact_details,
            participant=_referred_person(user, payload),
            team=team,
            clinician=clinician,
            referred_on=payload.referred_on,
            goals=payload.goals,
            facts=payload.facts.model_dump(),
            consent_given_on=payload.consent_given_on,
            consent_method=payload.consent_method,
        )
    return Status(201, referral)


def _referred_person(user: User, payload: ReferralIn) -> Participant:
    if (payload.participant_id is None) == (payload.new_participant is None):
        raise ValidationError({"participant_id": "Oppgi enten en kjent deltaker eller en ny person, ikke begge."})
    if payload.participant_id is not None:
        return access.get_participant_for_user(user, payload.participant_id)
    data = payload.new_participant.model_dump()
    known = services.participant_by_identity(services.identity_number_checked(data["identity_number"]))
    if known is not None:
        # Registered by another team or earlier: the referral links to that record and leaves it as it is; the
        # contact details go into the referring service's own record (services.referral_create).
        return known
    municipality = Municipality.objects.filter(number=data.pop("municipality")).first()
    if municipality is None:
        raise ValidationError({"new_participant.municipality": "Kommunenummeret finnes ikke."})
    for name in ParticipantContactDetails.FIELDS:
        data.pop(name)
    return services.participant_register(
        actor=user, identity_number=data.pop("identity_number"), municipality=municipality, **data
    )


@router.post("/referrals/{pk}/accept", response=PeriodOut, summary="Ta inn: start et forløp som venter på oppstart")
def referral_accept(request: HttpRequest, pk: int, payload: AcceptIn):
    user = _require_personal_data(request)
    referral = access.get_referral_for_user(user, pk)
    _require(access.can_decide_referral(user, referral))
    specialist = None
    if payload.job_specialist_id is not None:
        specialist = User.objects.filter(
            pk=payload.job_specialist_id, role=Role.JOB_SPECIALIST, memberships__service=referral.team.service
        ).first()
        if specialist is None:
            raise ValidationError({"job_specialist_id": "Velg en jobbspesialist i IPS-tilbudet."})
    period = services.referral_accept(actor=user, referral=referral, on=payload.on, job_specialist=specialist)
    return _periods(request.user).get(pk=period.pk)


@router.post("/referrals/{pk}/refuse", response=ReferralOut, summary="Ikke ta inn, med en grunn forskriften tillater")
def referral_refuse(request: HttpRequest, pk: int, payload: RefuseIn):
    user = _require_personal_data(request)
    referral = access.get_referral_for_user(user, pk)
    _require(access.can_decide_referral(user, referral))
    return services.referral_refuse(actor=user, referral=referral, reason=payload.reason, on=payload.on)


# Periods ---------------------------------------------------------------------------------------------------------


@router.get("/periods/{pk}", response=PeriodOut, summary="Ett forløp")
def period_detail(request: HttpRequest, pk: int):
    _require_personal_data(request)
    return _periods(request.user).get(pk=_period_for(request, pk).pk)


def _managed_period(request: HttpRequest, pk: int) -> Period:
    user = _require_personal_data(request)
    period = _period_for(request, pk)
    _require(access.can_manage_period(user, period))
    return period


@router.post("/periods/{pk}/start", response=PeriodOut, summary="Start oppfølgingen")
def period_start(request: HttpRequest, pk: int, payload: StartIn):
    period = _managed_period(request, pk)
    services.period_start(
        actor=request.user, period=period, start_date=payload.start_date, expected_revision=payload.revision
    )
    return _periods(request.user).get(pk=pk)


@router.post("/periods/{pk}/close", response=PeriodOut, summary="Avslutt forløpet med en grunn")
def period_close(request: HttpRequest, pk: int, payload: CloseIn):
    period = _managed_period(request, pk)
    services.period_close(
        actor=request.user,
        period=period,
        on=payload.closed_on,
        reason=payload.reason,
        text=payload.text,
        expected_revision=payload.revision,
    )
    return _periods(request.user).get(pk=pk)


@router.get("/periods/{pk}/extension", response=AssessmentOut, summary="Kan forløpet forlenges?")
def period_extension_assess(request: HttpRequest, pk: int, on: Day):
    _require_personal_data(request)
    return services.extension_assess(period=_period_for(request, pk), on=on).to_dict()


@router.post("/periods/{pk}/extensions", response={201: ExtensionOut}, summary="Forleng forløpet")
def period_extend(request: HttpRequest, pk: int, payload: ExtendIn):
    period = _managed_period(request, pk)
    extension = services.period_extend(
        actor=request.user,
        period=period,
        on=payload.decided_on,
        justification=payload.justification,
        expected_revision=payload.revision,
        extended_to=payload.extended_to,
    )
    return Status(201, extension)


@router.get("/periods/{pk}/contacts", response=list[ContactOut], summary="Kontakter i forløpet")
def period_contacts(request: HttpRequest, pk: int):
    _require_personal_data(request)
    return list(_period_for(request, pk).contacts.all())


@router.post("/periods/{pk}/contacts", response={201: ContactOut}, summary="Registrer en kontakt")
def period_contact_record(request: HttpRequest, pk: int, payload: ContactIn):
    user = _require_personal_data(request)
    period = _period_for(request, pk)
    _require(access.can_follow_up(user, period))
    data = payload.model_dump()
    return Status(201, services.contact_record(actor=user, period=period, on=data.pop("date"), **data))

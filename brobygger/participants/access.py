"""Who may see and do what on the pathway: need to know, by treatment team and service.

Job specialists and clinicians see the participants referred from their own treatment teams; IPS leaders those
of their service. Reviewers, grant officers, analysts and system administrators see no participant at all.
Every page and API endpoint fetches through a ``get_<object>_for_user`` helper (404 for what the user may not
see, so existence is not leaked) and asks a ``can_<action>`` function, which returns ``(allowed, reason)``.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from brobygger.accounts.access import Decision
from brobygger.accounts.models import IpsService, Role, TreatmentTeam, User
from brobygger.audit.models import AccessLogEntry
from brobygger.audit.services import note_read, note_reads
from brobygger.participants.models import ImportJob, Participant, ParticipantContactDetails, Period, Referral

TEAM_ROLES = frozenset({Role.JOB_SPECIALIST, Role.CLINICIAN})
# Who runs the follow-up: the job specialists of the team and the leader of the service.
MANAGING_ROLES = frozenset({Role.JOB_SPECIALIST, Role.IPS_LEADER})


def _scope(user: User, team_path: str) -> dict[str, User] | None:
    """The filter that limits ``team_path`` (a path to a TreatmentTeam) to the user's teams or services."""
    if not user.is_authenticated:
        return None
    prefix = f"{team_path}__" if team_path else ""
    if user.role in TEAM_ROLES:
        return {f"{prefix}memberships__user": user}
    if user.role == Role.IPS_LEADER:
        return {f"{prefix}service__memberships__user": user}
    return None


def visible_participants(user: User) -> QuerySet[Participant]:
    scope = _scope(user, "referrals__team")
    return Participant.objects.none() if scope is None else Participant.objects.filter(**scope).distinct()


def visible_periods(user: User) -> QuerySet[Period]:
    scope = _scope(user, "referral__team")
    return Period.objects.none() if scope is None else Period.objects.filter(**scope).distinct()


def referral_teams(user: User) -> QuerySet[TreatmentTeam]:
    """The teams the user may record referrals for."""
    scope = _scope(user, "")
    if scope is None:
        return TreatmentTeam.objects.none()
    return TreatmentTeam.objects.filter(**scope).distinct()


# Each helper below marks the person it hands out as read (audit.services.note_read): the access-log middleware
# writes one row per person when the response shows them, so no page or endpoint can forget the access log.


def get_participant_for_user(user: User, pk: int) -> Participant:
    try:
        participant = visible_participants(user).select_related("municipality").get(pk=pk)
    except Participant.DoesNotExist as missing:
        raise Http404 from missing
    note_read(participant)
    return participant


def get_period_for_user(user: User, pk: int) -> Period:
    try:
        period = visible_periods(user).select_related("participant", "referral__team", "service").get(pk=pk)
    except Period.DoesNotExist as missing:
        raise Http404 from missing
    note_read(period.participant)
    return period


def get_referral_for_user(user: User, pk: int) -> Referral:
    scope = _scope(user, "team")
    try:
        referral = Referral.objects.filter(**(scope or {"pk__in": []})).select_related("participant", "team").get(pk=pk)
    except Referral.DoesNotExist as missing:
        raise Http404 from missing
    note_read(referral.participant)
    return referral


def participants_shown(people: Iterable[Participant]) -> None:
    """A page or endpoint that lists people reads each of them."""
    note_reads(people)


def identity_revealed(participant: Participant) -> None:
    """The full identity number was shown: the person's row in the access log says so."""
    note_read(participant, AccessLogEntry.Purpose.REVEAL_IDENTITY)


def can_refer(user: User, team: TreatmentTeam) -> Decision:
    if not referral_teams(user).filter(pk=team.pk).exists():
        return False, _("Du kan bare registrere henvisninger fra behandlingsteam du hører til.")
    return True, ""


def can_decide_referral(user: User, referral: Referral) -> Decision:
    """Take in or refuse a referral: the team's job specialists and the service's leader, not the clinician."""
    scope = _scope(user, "team")
    if user.role not in MANAGING_ROLES or not Referral.objects.filter(pk=referral.pk, **(scope or {})).exists():
        return False, _("Bare jobbspesialistene i teamet og IPS-lederen kan ta inn eller avslå en henvisning.")
    return True, ""


def can_manage_period(user: User, period: Period) -> Decision:
    """Decide, start, extend and close the period and record its work: the team's job specialists and the leader."""
    if user.role not in MANAGING_ROLES or not visible_periods(user).filter(pk=period.pk).exists():
        return False, _("Bare jobbspesialistene i teamet og IPS-lederen kan endre forløpet.")
    return True, ""


def period_permissions(user: User, periods: list[Period]) -> tuple[set[int], set[int]]:
    """For a page with many periods, in one query: the ids the user may manage (``can_manage_period``) and those
    the user may follow up (``can_follow_up``), by the same rules."""
    visible = set(visible_periods(user).filter(pk__in=[p.pk for p in periods]).values_list("pk", flat=True))
    return (visible if user.role in MANAGING_ROLES else set()), visible


def decidable_referrals(user: User, referrals: list[Referral]) -> set[int]:
    """The referrals, of ``referrals``, the user may take in or refuse (``can_decide_referral``), in one query."""
    return correctable_referrals(user, referrals) if user.role in MANAGING_ROLES else set()


def correctable_referrals(user: User, referrals: list[Referral]) -> set[int]:
    """The referrals, of ``referrals``, in the user's scope (``can_correct_referral`` for the pending ones), in one
    query."""
    scope = _scope(user, "team")
    if scope is None:
        return set()
    return set(
        Referral.objects.filter(pk__in=[r.pk for r in referrals], **scope).values_list("pk", flat=True).distinct()
    )


def can_follow_up(user: User, period: Period) -> Decision:
    """Revise the plan and record contacts: the managing roles and the team's clinicians (integrated services)."""
    if not visible_periods(user).filter(pk=period.pk).exists():
        return False, _("Du har ikke tilgang til dette forløpet.")
    return True, ""


def sees_recorded_details(user: User, participant: Participant) -> bool:
    """The health facts: only the service that recorded them (``Participant.recorded_by``).

    A service that refers a person another service registered sees the person (names, birth date, municipality,
    identity number), its own contact details of them (``own_contact_details``) and what its own referrals and
    periods hold, never what the other service wrote down.
    """
    if participant.recorded_by_id is None:
        return False
    return referral_teams(user).filter(service_id=participant.recorded_by_id).exists()


def recorded_details(user: User, participant: Participant) -> dict[str, Any] | None:
    """The fields ``Participant.RECORDED_FIELDS`` for the recording service; None for everyone else."""
    if not sees_recorded_details(user, participant):
        return None
    return {name: getattr(participant, name) for name in Participant.RECORDED_FIELDS}


def can_edit_participant(user: User, participant: Participant) -> Decision:
    if not sees_recorded_details(user, participant):
        return False, _("Personopplysningene endres av IPS-tilbudet som registrerte dem.")
    return True, ""


def contact_service(user: User, participant: Participant) -> IpsService | None:
    """The service whose own contact details of the person the user sees and edits: of the user's services, the one
    with the person's latest referral in the user's scope. None for a user who does not see the person."""
    scope = _scope(user, "team")
    if scope is None:
        return None
    latest = (
        Referral.objects.filter(participant=participant, **scope)
        .select_related("team__service")
        .order_by("-referred_on", "-pk")
        .first()
    )
    return latest.team.service if latest is not None else None


def own_contact_details(user: User, participant: Participant) -> ParticipantContactDetails | None:
    """The user's service's own phone, e-mail and guardian of the person; None if it has recorded none. Another
    service's record is never returned (docs/adr/0006-need-to-know-across-services.md)."""
    service = contact_service(user, participant)
    if service is None:
        return None
    return ParticipantContactDetails.objects.filter(participant=participant, service=service).first()


def can_edit_contact_details(user: User, participant: Participant) -> Decision:
    """Each service records and changes its own contact details of a person it has a referral of."""
    if contact_service(user, participant) is None:
        return False, _("Du har ikke tilgang til denne personen.")
    return True, ""


def can_reveal_identity(user: User, participant: Participant) -> Decision:
    if not visible_participants(user).filter(pk=participant.pk).exists():
        return False, _("Du har ikke tilgang til denne personen.")
    return True, ""


# --- Caseload and the treatment team's meeting -------------------------------------------------------------------

# Who takes part in the treatment team's weekly meeting (IPS principle 3).
MEETING_ROLES = frozenset({Role.JOB_SPECIALIST, Role.CLINICIAN, Role.IPS_LEADER})


def caseload_periods(user: User) -> QuerySet[Period]:
    """The periods the user may see, as a plain queryset the caseload can annotate (no DISTINCT over the joins)."""
    return Period.objects.filter(pk__in=visible_periods(user).values("pk"))


def can_view_own_caseload(user: User) -> Decision:
    if not user.is_authenticated or user.role != Role.JOB_SPECIALIST:
        return False, _("Saksoversikten viser en jobbspesialists egne deltakere.")
    return True, ""


def caseload_services(user: User) -> QuerySet[IpsService]:
    """The services whose caseload the user leads."""
    if not user.is_authenticated or user.role != Role.IPS_LEADER:
        return IpsService.objects.none()
    return IpsService.objects.filter(memberships__user=user).distinct().order_by("name")


def can_view_service_caseload(user: User) -> Decision:
    if not user.is_authenticated or user.role != Role.IPS_LEADER:
        return False, _("Saksoversikten for tilbudet er for IPS-lederen.")
    return True, ""


def meeting_teams(user: User) -> QuerySet[TreatmentTeam]:
    """The treatment teams whose meeting view the user may open: their own teams, or the leader's service's."""
    if not user.is_authenticated or user.role not in MEETING_ROLES:
        return TreatmentTeam.objects.none()
    return referral_teams(user).select_related("service").order_by("name")


def can_view_team_meeting(user: User) -> Decision:
    if not user.is_authenticated or user.role not in MEETING_ROLES:
        return False, _("Teammøtet viser opplysninger om deltakere og er for teamets behandlere og jobbspesialister.")
    return True, ""


def get_meeting_team_for_user(user: User, pk: int) -> TreatmentTeam:
    try:
        return meeting_teams(user).get(pk=pk)
    except TreatmentTeam.DoesNotExist as missing:
        raise Http404 from missing


def can_use_employer_register(user: User) -> Decision:
    """Employers are no personal data, but only the roles that follow participants have work with them."""
    if user.role not in TEAM_ROLES | MANAGING_ROLES:
        return False, _("Arbeidsgiverregisteret brukes av jobbspesialister, IPS-ledere og behandlere.")
    return True, ""


def can_register_employer(user: User) -> Decision:
    if user.role not in MANAGING_ROLES:
        return False, _("Bare jobbspesialister og IPS-ledere kan registrere arbeidsgivere.")
    return True, ""


def can_record_employer_contact(user: User) -> Decision:
    """Employer contacts are counted per job specialist (fidelity item 17), so they are the job specialist's own."""
    if user.role != Role.JOB_SPECIALIST:
        return False, _("Arbeidsgiverkontakter registreres av jobbspesialisten som hadde kontakten.")
    return True, ""


# --- The referral inbox and corrections ----------------------------------------------------------------------------


def inbox_referrals(user: User) -> QuerySet[Referral]:
    """Undecided referrals the user may take in or refuse: for the team's job specialists and the service's leader."""
    scope = _scope(user, "team")
    if scope is None or user.role not in MANAGING_ROLES:
        return Referral.objects.none()
    return Referral.objects.filter(pk__in=Referral.objects.filter(decision=Referral.Decision.PENDING, **scope))


def can_correct_referral(user: User, referral: Referral) -> Decision:
    """Record consent, correct or withdraw an undecided referral: the referring team and the service's leader."""
    scope = _scope(user, "team")
    if scope is None or not Referral.objects.filter(pk=referral.pk, **scope).exists():
        return False, _("Du har ikke tilgang til denne henvisningen.")
    if referral.decision != Referral.Decision.PENDING:
        return False, _("Henvisningen er allerede avgjort og kan ikke endres.")
    return True, ""


def can_import(user: User) -> Decision:
    """Bulk import is for IPS leaders: it registers people and referrals for the whole service at once."""
    if not user.is_authenticated or user.role != Role.IPS_LEADER:
        return False, _("Bare IPS-ledere kan importere deltakere.")
    return True, ""


def get_import_job_for_user(user: User, pk: int) -> ImportJob:
    """An import is seen only by whoever uploaded it: its problems name rows of their file."""
    try:
        return ImportJob.objects.get(pk=pk, requested_by=user)
    except ImportJob.DoesNotExist as missing:
        raise Http404 from missing

"""The one place that decides who may see and do what.

Views and API endpoints fetch every object through a ``get_<object>_for_user`` helper (which answers 404 for
what the user may not see, so existence is not leaked) and ask ``can_<action>(user, obj)`` before acting.
Each ``can_`` function returns ``(allowed, reason)`` so that a denial explains itself.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from brobygger.accounts.models import NATIONAL_ROLES, IpsService, Organisation, Role, TreatmentTeam, User

Decision = tuple[bool, str]


def _allow() -> Decision:
    return True, ""


def visible_services(user: User) -> QuerySet[IpsService]:
    """National roles see every service; everyone else the services they are members of."""
    if not user.is_authenticated:
        return IpsService.objects.none()
    if user.role in NATIONAL_ROLES:
        return IpsService.objects.all()
    return IpsService.objects.filter(memberships__user=user).distinct()


def visible_teams(user: User) -> QuerySet[TreatmentTeam]:
    """Clinicians and job specialists see their own teams; leaders and national roles the service's teams."""
    if not user.is_authenticated:
        return TreatmentTeam.objects.none()
    if user.role in {Role.CLINICIAN, Role.JOB_SPECIALIST}:
        return TreatmentTeam.objects.filter(memberships__user=user).distinct()
    return TreatmentTeam.objects.filter(service__in=visible_services(user))


def get_service_for_user(user: User, pk: int) -> IpsService:
    try:
        return visible_services(user).get(pk=pk)
    except IpsService.DoesNotExist as missing:
        raise Http404 from missing


def get_organisation_for_user(user: User, pk: int) -> Organisation:
    if not can_view_organisations(user)[0]:
        raise Http404
    try:
        return Organisation.objects.get(pk=pk)
    except Organisation.DoesNotExist as missing:
        raise Http404 from missing


def can_view_organisations(user: User) -> Decision:
    # Organisations are public registry facts; every signed-in role may look them up.
    if not user.is_authenticated:
        return False, _("Du må logge inn.")
    return _allow()


def can_manage_organisations(user: User) -> Decision:
    if user.is_authenticated and user.role == Role.SYSTEM_ADMINISTRATOR:
        return _allow()
    return False, _("Bare systemadministratorer kan registrere og endre organisasjoner og IPS-tilbud.")


def can_view_personal_data(user: User) -> Decision:
    if not user.is_authenticated:
        return False, _("Du må logge inn.")
    if not user.sees_personal_data:
        return False, _("Rollen din gir tilgang til tall, ikke til opplysninger om enkeltpersoner.")
    return _allow()


def can_view_audit(user: User) -> Decision:
    if user.is_authenticated and user.role == Role.SYSTEM_ADMINISTRATOR:
        return _allow()
    return False, _("Bare systemadministratorer kan søke i revisjonsspor og innsynslogg.")


def can_use_admin(user: User) -> Decision:
    if user.is_authenticated and user.is_active and user.role == Role.SYSTEM_ADMINISTRATOR:
        return _allow()
    return False, _("Administrasjonsgrensesnittet er bare for systemadministratorer.")


# The roles whose caseload shows alerts (participants.caseload), and so the roles a daily e-mail of them is for.
DIGEST_ROLES = frozenset({Role.JOB_SPECIALIST, Role.IPS_LEADER})


def can_receive_digest(user: User) -> Decision:
    if not user.is_authenticated or user.role not in DIGEST_ROLES:
        return False, _("Den daglige e-posten med varsler er for jobbspesialister og IPS-ledere.")
    if not user.email:
        return False, _("Brukeren din har ingen e-postadresse. Kontakt systemadministratoren.")
    return _allow()

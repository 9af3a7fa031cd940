"""Who may see which statistics, at which levels, and whether small cells are hidden for them.

IPS leaders see their own services' figures in full, down to team and job specialist: they already have access to
those participants. Grant officers and analysts see the whole country, but only the published figures, where small
cells are suppressed (published.py). No other role has a statistics page; every denial carries its reason.
"""

from django.http import Http404
from django.utils.translation import gettext as _

from brobygger.accounts.access import Decision
from brobygger.accounts.models import IpsService, Role, User
from brobygger.reporting.indicators import NATIONAL, Scope
from brobygger.reporting.models import IpsUngGoal, ReportJob
from brobygger.reporting.periods import Level

STATISTICS_ROLES = frozenset({Role.IPS_LEADER, Role.GRANT_OFFICER, Role.ANALYST})
NATIONAL_STATISTICS_ROLES = frozenset({Role.GRANT_OFFICER, Role.ANALYST})
LEADER_LEVELS = (Level.SERVICE, Level.TEAM, Level.JOB_SPECIALIST, Level.MUNICIPALITY)
NATIONAL_LEVELS = (Level.NATIONAL, Level.HEALTH_REGION, Level.COUNTY, Level.MUNICIPALITY, Level.SERVICE)


def can_view_statistics(user: User) -> Decision:
    if not user.is_authenticated or user.role not in STATISTICS_ROLES:
        return False, _("Statistikksidene er for IPS-ledere, tilskuddsforvaltere og analytikere.")
    return True, ""


def sees_published_only(user: User) -> bool:
    """Roles without access to personal data only ever get suppressed (published) figures."""
    return not user.sees_personal_data


def statistics_scope(user: User) -> Scope:
    """The periods a user's figures may count: their own services for a leader, the whole country otherwise."""
    if user.role in NATIONAL_STATISTICS_ROLES:
        return NATIONAL
    ids = IpsService.objects.filter(memberships__user=user).order_by("pk").values_list("pk", flat=True).distinct()
    return Scope(tuple(ids))


def levels_for(user: User) -> tuple[str, ...]:
    return NATIONAL_LEVELS if user.role in NATIONAL_STATISTICS_ROLES else LEADER_LEVELS


def can_publish(user: User) -> Decision:
    """Compute the published figures of a period: the national roles that read them."""
    if not user.is_authenticated or user.role not in NATIONAL_STATISTICS_ROLES:
        return False, _("Bare tilskuddsforvaltere og analytikere beregner publiserte tall.")
    return True, ""


def can_manage_trial_goals(user: User) -> Decision:
    """The IPS ung trial's goals are set by the directorates: grant officers and analysts record them."""
    if not user.is_authenticated or user.role not in NATIONAL_STATISTICS_ROLES:
        return False, _("Bare tilskuddsforvaltere og analytikere registrerer mål for IPS ung.")
    return True, ""


def get_goal_for_user(user: User, pk: int) -> IpsUngGoal:
    if not can_manage_trial_goals(user)[0]:
        raise Http404
    try:
        return IpsUngGoal.objects.get(pk=pk)
    except IpsUngGoal.DoesNotExist as missing:
        raise Http404 from missing


def get_job_for_user(user: User, pk: int) -> ReportJob:
    """A background job is seen only by whoever asked for it."""
    if not user.is_authenticated:
        raise Http404
    try:
        return ReportJob.objects.get(pk=pk, requested_by=user)
    except ReportJob.DoesNotExist as missing:
        raise Http404 from missing

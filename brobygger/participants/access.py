"""Who may see which participants: need to know, by treatment team and service.

Job specialists and clinicians see the participants referred from their own treatment teams; IPS leaders those
of their service. Reviewers, grant officers, analysts and system administrators see no participant at all.
"""

from django.db.models import QuerySet
from django.http import Http404

from brobygger.accounts.models import Role, User
from brobygger.participants.models import Deltaker

TEAM_ROLES = frozenset({Role.JOBBSPESIALIST, Role.BEHANDLER})


def visible_deltakere(user: User) -> QuerySet[Deltaker]:
    if not user.is_authenticated:
        return Deltaker.objects.none()
    if user.role in TEAM_ROLES:
        scope = {"henvisninger__team__memberships__user": user}
    elif user.role == Role.IPS_LEDER:
        scope = {"henvisninger__team__service__memberships__user": user}
    else:
        return Deltaker.objects.none()
    return Deltaker.objects.filter(**scope).distinct()


def get_deltaker_for_user(user: User, pk: int) -> Deltaker:
    try:
        return visible_deltakere(user).get(pk=pk)
    except Deltaker.DoesNotExist as missing:
        raise Http404 from missing

import pytest
from django.http import Http404

from brobygger.accounts.models import Membership, Role, TreatmentTeam, User
from brobygger.participants.access import get_participant_for_user, visible_participants


@pytest.fixture
def referred(referral):
    return referral.participant


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("jobbspesialist", True),
        ("behandler", True),
        ("ips-leder", True),
        ("kvalitetsevaluator", False),
        ("tilskuddsforvalter", False),
        ("analytiker", False),
        ("sysadmin", False),
    ],
)
def test_only_the_team_and_the_service_leader_see_a_participant(personas, referred, username, sees):
    assert visible_participants(personas[username]).filter(pk=referred.pk).exists() is sees


def test_a_clinician_from_another_team_gets_404(personas, referred):
    other_team = TreatmentTeam.objects.get(name="FACT Tromsø")
    outsider = User.objects.create(username="annen-behandler", role=Role.CLINICIAN)
    Membership.objects.create(user=outsider, service=other_team.service, team=other_team)
    with pytest.raises(Http404):
        get_participant_for_user(outsider, referred.pk)

import pytest

from brobygger.accounts import access
from brobygger.accounts.models import Role


@pytest.mark.parametrize(
    ("username", "allowed"),
    [
        ("jobbspesialist", True),
        ("ips-leder", True),
        ("behandler", True),
        ("kvalitetsevaluator", False),
        ("tilskuddsforvalter", False),
        ("analytiker", False),
        ("sysadmin", True),
    ],
)
def test_grant_officers_analysts_and_reviewers_never_see_personal_data(personas, username, allowed):
    decision, reason = access.can_view_personal_data(personas[username])
    assert decision is allowed
    assert bool(reason) is not allowed


def test_every_denial_explains_itself(personas):
    analyst = personas["analytiker"]
    for check in (access.can_manage_organisations, access.can_view_audit, access.can_use_admin):
        allowed, reason = check(analyst)
        assert not allowed and reason.endswith(".")


def test_clinicians_see_only_their_own_team(personas):
    teams = list(access.visible_teams(personas["behandler"]))
    assert [t.name for t in teams] == ["Nordre Aker psykisk helseteam"]


def test_job_specialists_serve_their_assigned_teams(personas):
    names = sorted(t.name for t in access.visible_teams(personas["jobbspesialist"]))
    assert names == ["DPS Nord allmennteam", "Nordre Aker psykisk helseteam"]


def test_an_anonymous_user_sees_nothing(db):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not access.visible_services(anonymous).exists()
    assert access.can_view_personal_data(anonymous)[0] is False


def test_only_system_administrators_reach_the_django_admin(personas, login):
    for persona in personas.values():
        response = login(persona).get("/admin/")
        expected = 200 if persona.role == Role.SYSTEM_ADMINISTRATOR else 302
        assert response.status_code == expected, persona.username

"""The caseload pages per role: the job specialist's own caseload, the leader's service view and the treatment
team's weekly meeting. Roles without access to personal data get 403; a team they do not belong to answers 404."""

from datetime import timedelta

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from brobygger.accounts.models import JobSpecialist, Membership, Role, TreatmentTeam, User
from brobygger.audit.models import AccessLogEntry
from brobygger.participants.tests.test_caseload import TEAM, Periods

NO_PERSONAL_DATA = ("kvalitetsevaluator", "tilskuddsforvalter", "analytiker", "sysadmin")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def periods(personas):
    return Periods(personas)


@pytest.fixture
def overdue(periods, today):
    """Started 40 days ago with no employer contact: the first-contact deadline has passed."""
    return periods.make(start=today - timedelta(days=40), referred_on=today - timedelta(days=50), last_name="Forfalt")


@pytest.fixture
def team(personas):
    return TreatmentTeam.objects.select_related("service").get(name=TEAM)


def outsider(role: str, team_name: str = "FACT Tromsø") -> User:
    """A user of the same role in another service's team (or, for a leader, another service)."""
    other_team = TreatmentTeam.objects.get(name=team_name)
    user = User.objects.create(username=f"annen-{role}", role=role, first_name="Annen", last_name="Bruker")
    Membership.objects.create(
        user=user, service=other_team.service, team=None if role == Role.IPS_LEADER else other_team
    )
    return user


# The job specialist's caseload


def test_the_job_specialist_sees_their_own_caseload_with_alerts_and_references(personas, login, overdue):
    response = login(personas["jobbspesialist"]).get(reverse("caseload"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Forfalt" in html
    assert "Ingen arbeidsgiverkontakt, og fristen" in html
    assert "IPS-kvalitetsskala (IPS-25) punkt 15" in html
    assert 'data-color="danger"' in html


def test_the_caseload_lists_only_the_specialists_own_periods(personas, login, periods, overdue):
    colleague = User.objects.get(username="js-0-1")
    periods.make(specialist=colleague, last_name="Kollegas")
    html = login(personas["jobbspesialist"]).get(reverse("caseload")).content.decode()
    assert "Forfalt" in html
    assert "Kollegas" not in html


def test_the_caseload_sorts_as_asked_and_ignores_an_unknown_order(personas, login, periods, overdue, today):
    periods.make(start=today - timedelta(days=2), referred_on=today - timedelta(days=3), last_name="Aaberg")
    client = login(personas["jobbspesialist"])
    by_name = client.get(reverse("caseload"), {"sorter": "navn"}).content.decode()
    assert by_name.index("Aaberg") < by_name.index("Forfalt")
    by_urgency = client.get(reverse("caseload")).content.decode()
    assert by_urgency.index("Forfalt") < by_urgency.index("Aaberg")
    assert client.get(reverse("caseload"), {"sorter": "<script>"}).status_code == 200


def test_the_caseload_shows_when_the_limit_per_position_is_exceeded(personas, login, periods):
    JobSpecialist.objects.filter(user=personas["jobbspesialist"]).update(position_fraction="0.10")
    for _ in range(3):
        periods.make(start=None, referred_on=timezone.localdate())
    html = login(personas["jobbspesialist"]).get(reverse("caseload")).content.decode()
    assert "over grensen på 20" in html
    assert "IPS-kvalitetsskala (IPS-25) punkt 1" in html


def test_reading_the_caseload_is_written_to_the_access_log(personas, login, overdue):
    login(personas["jobbspesialist"]).get(reverse("caseload"))
    entry = AccessLogEntry.objects.get(actor=personas["jobbspesialist"], object_id=str(overdue.participant_id))
    assert (entry.object_type, entry.path) == ("participants.participant", "/saksoversikt/")


def test_the_leader_is_sent_to_the_service_view(personas, login):
    response = login(personas["ips-leder"]).get(reverse("caseload"))
    assert response.status_code == 302
    assert response.url == reverse("caseload_team")


@pytest.mark.parametrize("username", ["behandler", *NO_PERSONAL_DATA])
def test_other_roles_get_403_on_the_caseload(personas, login, overdue, username):
    response = login(personas[username]).get(reverse("caseload"))
    assert response.status_code == 403
    assert "Forfalt" not in response.content.decode()


def test_a_job_specialist_of_another_team_sees_none_of_this_teams_participants(personas, login, overdue):
    response = login(outsider(Role.JOB_SPECIALIST)).get(reverse("caseload"))
    assert response.status_code == 200
    assert "Forfalt" not in response.content.decode()


def test_the_caseload_needs_a_login(client):
    response = client.get(reverse("caseload"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# The leader's view of the service


def test_the_leader_sees_counts_per_specialist_and_unassigned_periods(personas, login, periods, overdue, today):
    periods.make(start=today - timedelta(days=5), specialist=None, last_name="Utildelt")
    response = login(personas["ips-leder"]).get(reverse("caseload_team"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Jonas Berg", "Jobbspesialist 0.1", "Jobbspesialist 0.2", "Forfalt", "Utildelt"):
        assert name in html
    assert "Uten jobbspesialist" in html
    assert "Saksmengde og varsler per jobbspesialist" in html
    assert AccessLogEntry.objects.filter(actor=personas["ips-leder"], path="/saksoversikt/team/").count() == 2


@pytest.mark.parametrize("username", ["jobbspesialist", "behandler", *NO_PERSONAL_DATA])
def test_other_roles_get_403_on_the_service_view(personas, login, overdue, username):
    response = login(personas[username]).get(reverse("caseload_team"))
    assert response.status_code == 403
    assert "Forfalt" not in response.content.decode()


def test_the_leader_of_another_service_sees_none_of_this_services_participants(personas, login, overdue):
    response = login(outsider(Role.IPS_LEADER)).get(reverse("caseload_team"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Forfalt" not in html
    assert "IPS Tromsø" in html


# The treatment team's weekly meeting


@pytest.mark.parametrize("username", ["jobbspesialist", "behandler", "ips-leder"])
def test_the_team_chooser_lists_the_users_teams(personas, login, team, username):
    response = login(personas[username]).get(reverse("team_meeting"))
    assert response.status_code == 200
    assert reverse("team_meeting", args=[team.pk]) in response.content.decode()


@pytest.mark.parametrize("username", ["jobbspesialist", "behandler", "ips-leder"])
def test_the_teams_people_see_the_meeting(personas, login, team, overdue, username):
    response = login(personas[username]).get(reverse("team_meeting", args=[team.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Forfalt" in html
    assert "Teammøte: Nordre Aker psykisk helseteam" in html
    assert AccessLogEntry.objects.filter(actor=personas[username], object_id=str(overdue.participant_id)).exists()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31"])
def test_a_meeting_date_at_the_ends_of_the_calendar_is_refused_with_a_message(personas, login, team, day):
    response = login(personas["behandler"]).get(reverse("team_meeting", args=[team.pk]), {"dato": day})
    assert response.status_code == 400
    assert "Datoen må ligge mellom 01.01.1900 og 31.12.2099." in response.content.decode()


def test_the_earliest_accepted_meeting_date_shows_the_meeting(personas, login, team):
    response = login(personas["behandler"]).get(reverse("team_meeting", args=[team.pk]), {"dato": "1900-01-01"})
    assert response.status_code == 200
    assert "til og med 01.01.1900" in response.content.decode()


def test_the_meeting_shows_the_weeks_changes_for_a_chosen_day(personas, login, team, periods, overdue, today):
    periods.contact(overdue, today - timedelta(days=10))
    client = login(personas["behandler"])
    this_week = client.get(reverse("team_meeting", args=[team.pk])).content.decode()
    assert "Veiledning om ytelser og økonomi" not in this_week
    day = today - timedelta(days=8)
    earlier = client.get(reverse("team_meeting", args=[team.pk]), {"dato": day.isoformat()}).content.decode()
    assert "Veiledning om ytelser og økonomi" in earlier
    assert f"til og med {day:%d.%m.%Y}" in earlier


@pytest.mark.parametrize(
    ("value", "message"),
    [("ikke-en-dato", "Skriv en gyldig dato"), ("2099-01-01", "Møtedatoen kan ikke være fram i tid.")],
)
def test_a_bad_meeting_date_is_explained_and_today_is_shown(personas, login, team, overdue, today, value, message):
    response = login(personas["jobbspesialist"]).get(reverse("team_meeting", args=[team.pk]), {"dato": value})
    # A bad date is the client's error (400), and the page still shows today's meeting under the message.
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f"til og med {today:%d.%m.%Y}" in html


def test_the_meeting_page_prints_without_navigation(personas, login, team, overdue):
    html = login(personas["jobbspesialist"]).get(reverse("team_meeting", args=[team.pk])).content.decode()
    assert 'class="no-print stack"' in html
    with open(finders.find("css/brobygger.css"), encoding="utf-8") as stylesheet:
        css = stylesheet.read()
    assert "@media print" in css
    assert ".site-header" in css.split("@media print", 1)[1]


def test_a_clinician_outside_the_team_gets_404(personas, login):
    # The demo clinician belongs to Nordre Aker only, not to the service's other team.
    other = TreatmentTeam.objects.get(name="DPS Nord allmennteam")
    assert login(personas["behandler"]).get(reverse("team_meeting", args=[other.pk])).status_code == 404


@pytest.mark.parametrize("role", [Role.JOB_SPECIALIST, Role.CLINICIAN, Role.IPS_LEADER])
def test_someone_from_another_team_gets_404(login, team, overdue, role):
    response = login(outsider(role)).get(reverse("team_meeting", args=[team.pk]))
    assert response.status_code == 404
    assert "Forfalt" not in response.content.decode()


def test_an_unknown_team_gets_404(personas, login):
    assert login(personas["jobbspesialist"]).get(reverse("team_meeting", args=[999_999])).status_code == 404


@pytest.mark.parametrize("username", NO_PERSONAL_DATA)
def test_roles_without_personal_data_get_403_on_the_meeting(personas, login, team, overdue, username):
    client = login(personas[username])
    assert client.get(reverse("team_meeting")).status_code == 403
    response = client.get(reverse("team_meeting", args=[team.pk]))
    assert response.status_code == 403
    assert "Forfalt" not in response.content.decode()
    assert not AccessLogEntry.objects.filter(actor=personas[username]).exists()

"""The participant list and the referral inbox page and filter with 5 000 people in a fixed number of queries.

The people are made with bulk inserts (the services would take minutes for 5 000); what the pages read is the same
rows the services write. Each page is requested with a few people and with 5 000, and the number of queries must be
the same."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brobygger.accounts.demo import synthetic_orgnr
from brobygger.accounts.models import IpsService, Membership, Municipality, Role, TreatmentTeam, User
from brobygger.participants import services
from brobygger.participants.models import EmployerContact, Participant, Period, Referral

LARGE = 5000
NORDRE_AKER = "Nordre Aker psykisk helseteam"


def make_people(personas, count: int, start: int = 0) -> None:
    """``count`` people referred to Nordre Aker: every other one taken in (a period searching for work with the demo
    job specialist), the rest waiting for a decision."""
    team = TreatmentTeam.objects.get(name=NORDRE_AKER)
    oslo, heroy = Municipality.objects.get(number="0301"), Municipality.objects.get(number="1818")
    people = Participant.objects.bulk_create(
        Participant(
            identity_encrypted="-",
            identity_hash=f"skala-{start + i}",
            birth_date=date(1980 + i % 30, 1 + i % 12, 1 + i % 28),
            first_name="Kari" if i % 2 else "Ola",
            last_name=f"Nordmann{(start + i) % 400}",
            municipality=heroy if i % 3 == 0 else oslo,
            is_synthetic=True,
        )
        for i in range(count)
    )
    referrals = Referral.objects.bulk_create(
        Referral(
            participant=person,
            team=team,
            clinician=personas["behandler"],
            referred_on=date(2026, 1, 1) + timedelta(days=i % 300),
            goals="Jobb",
            eligibility_outcome="oppfylt",
            eligibility={},
            consent_given_on=date(2026, 1, 1) if i % 4 else None,
            decision=Referral.Decision.ACCEPTED if i % 2 == 0 else Referral.Decision.PENDING,
        )
        for i, person in enumerate(people)
    )
    Period.objects.bulk_create(
        Period(
            participant=referral.participant,
            referral=referral,
            service=team.service,
            job_specialist=personas["jobbspesialist"],
            status=Period.Status.JOB_SEARCH,
            start_date=date(2026, 2, 1),
        )
        for referral in referrals
        if referral.decision == Referral.Decision.ACCEPTED
    )


def queries(client, url: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


PAGES = [
    ("participant_list", {}),
    ("participant_list", {"side": "3", "order": "newest"}),
    ("participant_list", {"status": "job_search", "order": "birth"}),
    ("participant_list", {"status": "pending", "q": "Kari"}),
    ("participant_list", {"alert": "employer_contact", "order": "newest", "side": "2"}),
    ("participant_list", {"alert": "waiting", "team": "", "job_specialist": ""}),
    ("referral_inbox", {}),
    ("referral_inbox", {"consent": "missing", "order": "name", "side": "2"}),
]


CASELOAD_PAGES = [
    ("caseload", {}),
    ("caseload", {"alert": "any", "sorter": "navn", "side": "2"}),
    ("caseload", {"status": "job_search", "alert": "employer_contact"}),
]


@pytest.mark.parametrize(("name", "params"), PAGES + CASELOAD_PAGES)
def test_the_lists_take_as_many_queries_for_5000_people_as_for_120(personas, login, name, params):
    client = login(personas["jobbspesialist" if name == "caseload" else "ips-leder"])
    url = reverse(name)
    make_people(personas, 120)
    few = queries(client, url, params)
    make_people(personas, LARGE - 120, start=120)
    assert Participant.objects.count() >= LARGE
    assert queries(client, url, params) == few


def test_the_list_filters_by_team_and_job_specialist_and_pages_through_everyone(personas, login):
    make_people(personas, 130)
    client = login(personas["ips-leder"])
    team = TreatmentTeam.objects.get(name=NORDRE_AKER)
    response = client.get(
        reverse("participant_list"), {"team": team.pk, "job_specialist": personas["jobbspesialist"].pk}
    )
    assert response.context["page"].paginator.count == 65
    assert "team=" in response.context["page_query"]
    last = client.get(reverse("participant_list"), {"side": "3"})
    assert len(last.context["rows"]) == 130 - 2 * 50


def test_the_list_filtered_by_alert_shows_exactly_the_people_with_that_alert_today(personas, login):
    """The started periods have no employer contact 30 days after the start, so each has the alert until a
    face-to-face contact is recorded; the people still waiting for a decision have no period and no alert."""
    make_people(personas, 20)
    specialist = personas["jobbspesialist"]
    started = list(Participant.objects.filter(periods__isnull=False).order_by("pk"))
    cleared = started[:3]
    services.employer_contact_record(
        actor=specialist,
        employer=services.employer_register(actor=specialist, name="Arbeidsgiver 700 AS", orgnr=synthetic_orgnr(700)),
        on=date(2026, 2, 10),
        face_to_face=True,
        purpose=EmployerContact.Purpose.NAMED_PARTICIPANTS,
        participants=cleared,
    )
    client = login(specialist)
    response = client.get(reverse("participant_list"), {"alert": "employer_contact"})
    shown = {row["participant"] for row in response.context["rows"]}
    assert shown == set(started) - set(cleared) and len(shown) == 7
    assert response.context["filtered"]
    assert not client.get(reverse("participant_list"), {"alert": "waiting"}).context["rows"]
    assert len(client.get(reverse("participant_list"), {"alert": ""}).context["rows"]) == 20


def test_an_unknown_alert_is_ignored_with_a_norwegian_message(personas, login):
    make_people(personas, 4)
    response = login(personas["jobbspesialist"]).get(reverse("participant_list"), {"alert": "tull"})
    assert response.status_code == 200
    assert "Velg et gyldig valg" in response.content.decode()


def test_a_user_of_another_service_sees_none_of_the_people_with_an_alert(personas, login):
    make_people(personas, 10)
    tromso = IpsService.objects.get(name="IPS Tromsø")
    outsider = User.objects.create_user("js-tromso", role=Role.JOB_SPECIALIST)
    Membership.objects.create(user=outsider, service=tromso, team=tromso.teams.first())
    response = login(outsider).get(reverse("participant_list"), {"alert": "employer_contact"})
    assert response.status_code == 200 and response.context["rows"] == []
    assert "Nordmann" not in response.content.decode()


def test_the_inbox_puts_the_longest_waiting_first(personas, login):
    make_people(personas, 10)
    rows = login(personas["jobbspesialist"]).get(reverse("referral_inbox")).context["rows"]
    waiting = [row["waiting_days"] for row in rows]
    assert waiting == sorted(waiting, reverse=True) and len(rows) == 5


def test_the_caseload_filters_by_alert_and_status_and_pages(personas, login):
    make_people(personas, 130)
    client = login(personas["jobbspesialist"])
    everyone = client.get(reverse("caseload"))
    assert everyone.context["total"] == 65 and len(everyone.context["periods"]) == 50
    assert len(client.get(reverse("caseload"), {"side": "2"}).context["periods"]) == 15
    waiting = client.get(reverse("caseload"), {"status": "waiting"})
    assert waiting.context["shown"] == 0
    assert client.get(reverse("caseload"), {"alert": "any"}).context["shown"] == everyone.context["with_alerts"]


def test_the_leaders_caseload_filters_by_job_specialist(personas, login):
    make_people(personas, 20)
    client = login(personas["ips-leder"])
    other = User.objects.filter(role=Role.JOB_SPECIALIST).exclude(pk=personas["jobbspesialist"].pk).first()
    response = client.get(reverse("caseload_team"), {"job_specialist": personas["jobbspesialist"].pk})
    shown = [
        row for section in response.context["sections"] for item in section["specialists"] for row in item["periods"]
    ]
    assert len(shown) == 10
    if other is not None:
        response = client.get(reverse("caseload_team"), {"job_specialist": other.pk})
        assert not [r for s in response.context["sections"] for i in s["specialists"] for r in i["periods"]]

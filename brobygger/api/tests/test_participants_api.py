"""The pathway API: the same services and access rules as the pages, every read in the access log."""

import json
from datetime import date

import pytest

from brobygger.accounts.models import IpsService, Membership, Role, TreatmentTeam, User
from brobygger.audit.models import AccessLogEntry
from brobygger.participants import identity
from brobygger.participants.models import Participant, Period, Referral
from brobygger.participants.tests.conftest import ELIGIBLE_FACTS

NUMBER = identity.synthetic_identity_number(date(2002, 4, 9), 7)
NORDRE_AKER = "Nordre Aker psykisk helseteam"


def _json(client, method, url, body=None):
    call = getattr(client, method)
    if body is None:
        return call(url)
    return call(url, json.dumps(body, default=str), content_type="application/json")


@pytest.fixture
def team(personas):
    return TreatmentTeam.objects.get(name=NORDRE_AKER)


@pytest.fixture
def other_specialist(personas):
    """A job specialist in another service's team: must not see Nordre Aker's participants."""
    tromso = IpsService.objects.get(name="IPS Tromsø")
    user = User.objects.create_user("js-tromso", password="x", role=Role.JOB_SPECIALIST)
    Membership.objects.create(user=user, service=tromso, team=tromso.teams.first())
    return user


def _referral_body(team, clinician, **overrides):
    body = {
        "new_participant": {
            "identity_number": NUMBER,
            "first_name": "Kari",
            "last_name": "Prøvesen",
            "municipality": "0301",
        },
        "team_id": team.pk,
        "clinician_id": clinician.pk,
        "referred_on": "2026-03-02",
        "goals": "Jobbe med dyr",
        "facts": ELIGIBLE_FACTS,
        "consent_given_on": "2026-03-02",
        "consent_method": "skriftlig",
    }
    return body | overrides


@pytest.fixture
def referral(client, personas, team):
    client.force_login(personas["behandler"])
    response = _json(client, "post", "/api/v1/referrals/", _referral_body(team, personas["behandler"]))
    assert response.status_code == 201, response.content
    return Referral.objects.get(pk=response.json()["id"])


def test_a_clinician_refers_a_new_person_and_the_assessment_comes_back_with_reasons(client, personas, team):
    client.force_login(personas["behandler"])
    response = _json(client, "post", "/api/v1/referrals/", _referral_body(team, personas["behandler"]))
    assert response.status_code == 201
    body = response.json()
    assert body["eligibility_outcome"] == "oppfylt"
    assert body["eligibility"]["version"]["id"] == "forskrift-2023"
    assert all(reason["reference"] for reason in body["eligibility"]["reasons"])
    assert NUMBER not in response.content.decode()


def test_a_referral_without_a_clinician_of_the_team_saves_nothing(client, personas, team):
    client.force_login(personas["jobbspesialist"])
    body = _referral_body(team, personas["jobbspesialist"])
    response = _json(client, "post", "/api/v1/referrals/", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "clinician_id"
    assert not Participant.objects.exists()


def test_an_invalid_identity_number_is_a_field_error_and_nothing_is_saved(client, personas, team):
    client.force_login(personas["behandler"])
    body = _referral_body(team, personas["behandler"])
    body["new_participant"]["identity_number"] = "12345678901"
    response = _json(client, "post", "/api/v1/referrals/", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "identity_number"
    assert "12345678901" not in response.content.decode()
    assert not Participant.objects.exists() and not Referral.objects.exists()


def test_a_failing_referral_does_not_leave_a_half_registered_person(client, personas, team):
    client.force_login(personas["behandler"])
    body = _referral_body(team, personas["behandler"], referred_on="2026-02-30")
    assert _json(client, "post", "/api/v1/referrals/", body).status_code == 422
    body = _referral_body(team, personas["behandler"], facts={"compound_problems": True})
    assert _json(client, "post", "/api/v1/referrals/", body).status_code == 422
    assert not Participant.objects.exists()


def test_the_pathway_from_referral_to_closure(client, personas, referral):
    client.force_login(personas["jobbspesialist"])
    accepted = _json(
        client,
        "post",
        f"/api/v1/referrals/{referral.pk}/accept",
        {"on": "2026-03-03", "job_specialist_id": personas["jobbspesialist"].pk},
    )
    assert accepted.status_code == 200, accepted.content
    period = accepted.json()
    assert period["status"] == Period.Status.WAITING
    started = _json(
        client,
        "post",
        f"/api/v1/periods/{period['id']}/start",
        {"start_date": "2026-03-16", "revision": period["revision"]},
    )
    assert started.status_code == 200
    period = started.json()
    assert (period["track"], period["waiting_days"], period["last_permitted_day"]) == ("ips_ung", 14, "2027-03-15")
    contact = _json(
        client,
        "post",
        f"/api/v1/periods/{period['id']}/contacts",
        {"kind": "participant_meeting", "date": "2026-03-20", "place": "community"},
    )
    assert contact.status_code == 201
    closed = _json(
        client,
        "post",
        f"/api/v1/periods/{period['id']}/close",
        {"closed_on": "2026-09-01", "reason": "moved", "revision": period["revision"]},
    )
    assert closed.status_code == 200
    assert [row["status"] for row in closed.json()["status_history"]] == ["waiting", "job_search", "closed"]


def test_a_stale_save_is_refused_with_409(client, personas, referral):
    client.force_login(personas["jobbspesialist"])
    period = _json(client, "post", f"/api/v1/referrals/{referral.pk}/accept", {"on": "2026-03-03"}).json()
    first = {"start_date": "2026-03-16", "revision": period["revision"]}
    assert _json(client, "post", f"/api/v1/periods/{period['id']}/start", first).status_code == 200
    second = {"closed_on": "2026-04-01", "reason": "moved", "revision": period["revision"]}
    response = _json(client, "post", f"/api/v1/periods/{period['id']}/close", second)
    assert response.status_code == 409
    assert "Noen andre har lagret" in response.json()["errors"][0]["message"]


def test_closing_with_other_needs_a_text(client, personas, referral):
    client.force_login(personas["jobbspesialist"])
    period = _json(client, "post", f"/api/v1/referrals/{referral.pk}/accept", {"on": "2026-03-03"}).json()
    body = {"closed_on": "2026-03-04", "reason": "other", "revision": period["revision"]}
    response = _json(client, "post", f"/api/v1/periods/{period['id']}/close", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "closure_text"
    assert Period.objects.get(pk=period["id"]).closed_on is None


def test_the_extension_assessment_explains_why_not(client, personas, referral):
    client.force_login(personas["jobbspesialist"])
    period = _json(client, "post", f"/api/v1/referrals/{referral.pk}/accept", {"on": "2026-03-03"}).json()
    _json(client, "post", f"/api/v1/periods/{period['id']}/start", {"start_date": "2026-03-16", "revision": 1})
    assessment = client.get(f"/api/v1/periods/{period['id']}/extension?on=2026-10-01").json()
    assert assessment["outcome"] == "kan_ikke_forlenges"
    failed = [reason["code"] for reason in assessment["reasons"] if not reason["passed"]]
    assert failed == ["FORLENGELSE_UTDANNING_IKKE_OPPFYLT"]
    body = {"decided_on": "2026-10-01", "justification": "Skal begynne på skole", "revision": 2}
    refused = _json(client, "post", f"/api/v1/periods/{period['id']}/extensions", body)
    assert refused.status_code == 422
    assert "opplæring eller utdanning" in refused.json()["errors"][0]["message"]


def test_reads_are_access_logged_and_the_number_is_only_revealed_on_request(client, personas, referral):
    client.force_login(personas["jobbspesialist"])
    participant = referral.participant
    listing = client.get("/api/v1/participants/")
    assert [row["id"] for row in listing.json()] == [participant.pk]
    assert NUMBER not in listing.content.decode()
    assert listing.json()[0]["identity_masked"] == identity.mask(NUMBER)
    detail = client.get(f"/api/v1/participants/{participant.pk}")
    assert NUMBER not in detail.content.decode()
    revealed = client.post(f"/api/v1/participants/{participant.pk}/reveal-identity")
    assert revealed.json() == {"identity_number": NUMBER}
    assert revealed["Cache-Control"] == "no-store"
    purposes = list(
        AccessLogEntry.objects.filter(actor=personas["jobbspesialist"], object_id=str(participant.pk))
        .order_by("id")
        .values_list("purpose", flat=True)
    )
    assert purposes == ["api", "api", "reveal_identity"]


def test_another_teams_specialist_gets_404_everywhere(client, personas, referral, other_specialist):
    client.force_login(personas["jobbspesialist"])
    period = _json(client, "post", f"/api/v1/referrals/{referral.pk}/accept", {"on": "2026-03-03"}).json()
    client.force_login(other_specialist)
    assert client.get("/api/v1/participants/").json() == []
    participant = referral.participant.pk
    assert client.get(f"/api/v1/participants/{participant}").status_code == 404
    assert client.post(f"/api/v1/participants/{participant}/reveal-identity").status_code == 404
    assert client.get(f"/api/v1/periods/{period['id']}").status_code == 404
    body = {"start_date": "2026-03-16", "revision": 1}
    assert _json(client, "post", f"/api/v1/periods/{period['id']}/start", body).status_code == 404
    assert _json(client, "post", f"/api/v1/referrals/{referral.pk}/refuse", {"on": "2026-03-04", "reason": "moved"})
    assert not AccessLogEntry.objects.filter(actor=other_specialist).exists()


def test_the_referring_clinician_may_not_decide(client, personas, referral):
    client.force_login(personas["behandler"])
    response = _json(client, "post", f"/api/v1/referrals/{referral.pk}/accept", {"on": "2026-03-03"})
    assert response.status_code == 403
    assert "IPS-lederen" in response.json()["detail"]
    assert not Period.objects.exists()


def test_the_leader_may_decide_for_the_service(client, personas, referral):
    client.force_login(personas["ips-leder"])
    response = _json(
        client, "post", f"/api/v1/referrals/{referral.pk}/refuse", {"on": "2026-03-04", "reason": "no_wish"}
    )
    assert response.status_code == 200
    assert response.json()["decision"] == "refused"


def test_a_refusal_reason_outside_the_regulation_is_refused(client, personas, referral):
    client.force_login(personas["jobbspesialist"])
    body = {"on": "2026-03-04", "reason": "substance_use"}
    response = _json(client, "post", f"/api/v1/referrals/{referral.pk}/refuse", body)
    assert response.status_code == 422
    assert Referral.objects.get(pk=referral.pk).decision == Referral.Decision.PENDING


@pytest.mark.parametrize("persona", ["kvalitetsevaluator", "tilskuddsforvalter", "analytiker"])
def test_roles_without_personal_data_are_refused(client, personas, referral, persona):
    client.force_login(personas[persona])
    assert client.get("/api/v1/participants/").status_code == 403
    assert client.get(f"/api/v1/participants/{referral.participant.pk}").status_code == 403
    assert not AccessLogEntry.objects.filter(actor=personas[persona]).exists()


def test_the_system_administrator_sees_no_participant(client, personas, referral):
    client.force_login(personas["sysadmin"])
    assert client.get("/api/v1/participants/").json() == []
    assert client.get(f"/api/v1/participants/{referral.participant.pk}").status_code == 404


def test_without_login_the_api_answers_401(client, db):
    assert client.get("/api/v1/participants/").status_code == 401


def test_a_referral_of_a_person_known_elsewhere_links_to_the_record(client, personas, referral, other_specialist):
    tromso = other_specialist.memberships.get().team
    clinician = User.objects.create_user("beh-tromso", password="x", role=Role.CLINICIAN)
    Membership.objects.create(user=clinician, service=tromso.service, team=tromso)
    client.force_login(other_specialist)
    body = _referral_body(tromso, clinician)
    body["new_participant"]["last_name"] = "Overskrevet"
    response = _json(client, "post", "/api/v1/referrals/", body)
    assert response.status_code == 201
    assert Participant.objects.get().last_name == "Prøvesen"
    assert [row["id"] for row in client.get("/api/v1/participants/").json()] == [referral.participant_id]

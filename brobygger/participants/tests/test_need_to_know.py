"""Need to know across IPS services (issue 12, items 1-3, 5 and 15).

A person registered by one service (Oslo Nord, the demo personas) is referred by another (Tromsø). The second
service sees what its own referral and period hold and nothing the first service recorded: not its periods, not
the phone, e-mail, guardian or health facts. It records its own phone, e-mail and guardian, which the first service
does not see either (ParticipantContactDetails). Registering a known person answers as registering a new one, so
the page tells nobody whether, or where, the person is registered. Every page that shows a person writes exactly
one access-log row.
"""

import json
from datetime import date

import pytest
from django.urls import reverse

from brobygger.accounts.models import IpsService, Membership, Role, User
from brobygger.audit.models import AccessLogEntry
from brobygger.participants import identity, services
from brobygger.participants.models import Participant, ParticipantContactDetails, Referral
from brobygger.participants.tests.conftest import ELIGIBLE_FACTS

NUMBER = identity.synthetic_identity_number(date(2001, 5, 17), 1)  # the ``participant`` fixture's number
PHONE = "412 34 567"
EMAIL = "ola@example.org"
GUARDIAN = "Gunnhild Vergesen"
TROMSO_PHONE = "99988877"  # what Tromsø types about the person on its referral


@pytest.fixture
def recorded(personas, period):
    """Oslo Nord's person, with the contact, guardian and health facts Oslo Nord recorded, and a started period."""
    participant = period.participant
    Participant.objects.filter(pk=participant.pk).update(has_psychosis=True)
    ParticipantContactDetails.objects.create(
        participant=participant,
        service=period.service,
        phone=PHONE,
        email=EMAIL,
        guardian_name=GUARDIAN,
        guardian_phone="90000000",
    )
    return period


@pytest.fixture
def tromso(personas):
    """Tromsø's job specialist and clinician, in the first team of IPS Tromsø."""
    service = IpsService.objects.get(name="IPS Tromsø")
    team = service.teams.order_by("pk").first()
    specialist = User.objects.create_user("js-tromso", role=Role.JOB_SPECIALIST)
    clinician = User.objects.create_user("beh-tromso", role=Role.CLINICIAN, first_name="Tore")
    for user in (specialist, clinician):
        Membership.objects.create(user=user, service=service, team=team)
    return {"team": team, "specialist": specialist, "clinician": clinician}


def _api(client, method, url, body=None):
    return getattr(client, method)(url, json.dumps(body, default=str), content_type="application/json")


def api_referral(tromso, **overrides) -> dict:
    return {
        "new_participant": {
            "identity_number": NUMBER,
            "first_name": "Ola",
            "last_name": "Testesen",
            "municipality": "5401",
            "phone": TROMSO_PHONE,
        },
        "team_id": tromso["team"].pk,
        "clinician_id": tromso["clinician"].pk,
        "referred_on": "2026-04-02",
        "goals": "Jobbe på kai",
        "facts": ELIGIBLE_FACTS,
        "consent_given_on": "2026-04-02",
        "consent_method": "skriftlig",
    } | overrides


def page_referral(tromso, **overrides) -> dict:
    data = {
        "identity_number": NUMBER,
        "first_name": "Ola",
        "last_name": "Testesen",
        "phone": TROMSO_PHONE,
        "email": "",
        "municipality": tromso["team"].service.municipalities.first().pk,
        "guardian_name": "",
        "guardian_phone": "",
        "reduced_work_capacity_assessed_on": "",
        "team": tromso["team"].pk,
        "clinician": tromso["clinician"].pk,
        "referred_on": "2026-04-02",
        "goals": "Jobbe på kai",
        "consent_given_on": "2026-04-02",
        "consent_method": "skriftlig",
        "exception_justification": "",
    }
    return data | {name: "on" for name, value in ELIGIBLE_FACTS.items() if value} | overrides


def assert_nothing_of_oslo(text: str) -> None:
    for secret in (PHONE, EMAIL, GUARDIAN, "90000000"):
        assert secret not in text


# Item 1: a referral to a known person opens nothing of the other service -----------------------------------------


def test_an_api_referral_of_a_person_known_elsewhere_shows_the_new_team_nothing_the_other_service_recorded(
    client, recorded, tromso
):
    client.force_login(tromso["specialist"])
    response = _api(client, "post", "/api/v1/referrals/", api_referral(tromso))
    assert response.status_code == 201, response.content
    body = client.get(f"/api/v1/participants/{recorded.participant_id}").json()
    assert_nothing_of_oslo(json.dumps(body))
    # Tromsø's own phone, typed on its referral, and no e-mail or guardian: Oslo Nord's are Oslo Nord's.
    assert body["phone"] == TROMSO_PHONE and body["guardian_name"] == "" and body["email"] == ""
    assert body["has_psychosis"] is None and body["has_substance_problems"] is None
    assert body["periods"] == []
    assert body["open_period_id"] is None


def test_the_participants_page_of_a_person_known_elsewhere_shows_no_contact_guardian_health_or_periods(
    client, recorded, tromso
):
    client.force_login(tromso["specialist"])
    assert client.post(reverse("participant_register"), page_referral(tromso)).status_code == 302
    page = client.get(reverse("participant_detail", args=[recorded.participant_id])).content.decode()
    assert_nothing_of_oslo(page)
    assert TROMSO_PHONE in page
    assert "IPS Oslo Nord" not in page
    assert "Psykoselidelse" not in page


def test_the_other_service_cannot_edit_what_the_first_service_recorded(client, recorded, tromso):
    client.force_login(tromso["specialist"])
    _api(client, "post", "/api/v1/referrals/", api_referral(tromso))
    url = reverse("participant_edit", args=[recorded.participant_id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"first_name": "X"}).status_code == 403
    assert Participant.objects.get().first_name != "X"
    assert ParticipantContactDetails.objects.get(service=recorded.service).phone == PHONE


def test_the_recording_service_still_sees_and_edits_its_own_record(client, personas, recorded, tromso):
    client.force_login(tromso["specialist"])
    _api(client, "post", "/api/v1/referrals/", api_referral(tromso))
    client.force_login(personas["jobbspesialist"])
    page = client.get(reverse("participant_detail", args=[recorded.participant_id])).content.decode()
    assert PHONE in page and GUARDIAN in page
    assert TROMSO_PHONE not in page  # Tromsø's contact details are Tromsø's
    assert "Jobbe på kai" not in page  # Tromsø's referral is Tromsø's
    assert client.get(reverse("participant_edit", args=[recorded.participant_id])).status_code == 200


# Item 1: each service records its own phone, e-mail and guardian ---------------------------------------------------


def contact_form(**values) -> dict:
    return {"phone": "", "email": "", "guardian_name": "", "guardian_phone": ""} | values


def test_the_registration_page_records_the_second_services_own_contact_details(client, recorded, tromso):
    client.force_login(tromso["specialist"])
    assert client.post(reverse("participant_register"), page_referral(tromso)).status_code == 302
    records = ParticipantContactDetails.objects.filter(participant=recorded.participant_id)
    assert sorted(records.values_list("service__name", "phone")) == [
        ("IPS Oslo Nord", PHONE),
        ("IPS Tromsø", TROMSO_PHONE),
    ]


def test_the_second_service_edits_its_own_contact_details_and_never_the_first_services(
    client, personas, recorded, tromso
):
    client.force_login(tromso["specialist"])
    assert client.post(reverse("participant_register"), page_referral(tromso, phone="")).status_code == 302
    url = reverse("contact_details_edit", args=[recorded.participant_id])
    form = client.get(url).content.decode()
    assert_nothing_of_oslo(form)
    response = client.post(url, contact_form(phone="411 22 333", email="tromso@example.org", revision=""))
    assert response.status_code == 302, response.context["form"].errors
    mine = ParticipantContactDetails.objects.get(service=tromso["team"].service)
    assert (mine.phone, mine.email, mine.revision) == ("411 22 333", "tromso@example.org", 1)
    # Saved again from the same form: the revision it saw is gone, so the second save is refused, not merged.
    assert client.post(url, contact_form(phone="1", revision="1")).status_code == 302
    stale = client.post(url, contact_form(phone="2", revision="1"))
    assert stale.status_code == 200 and "Noen andre har lagret" in stale.content.decode()
    oslo = ParticipantContactDetails.objects.get(service=recorded.service)
    assert (oslo.phone, oslo.email, oslo.guardian_name, oslo.revision) == (PHONE, EMAIL, GUARDIAN, 1)
    client.force_login(personas["jobbspesialist"])
    page = client.get(reverse("participant_detail", args=[recorded.participant_id])).content.decode()
    assert PHONE in page and "tromso@example.org" not in page


def test_the_guardian_is_required_on_the_contact_details_page_under_18(client, personas, period):
    Participant.objects.filter(pk=period.participant_id).update(
        birth_date=date.today().replace(year=date.today().year - 16)
    )
    client.force_login(personas["jobbspesialist"])
    response = client.post(reverse("contact_details_edit", args=[period.participant_id]), contact_form(revision=""))
    assert response.status_code == 200
    assert "under 18 år" in str(response.context["form"].errors["guardian_name"])
    assert not ParticipantContactDetails.objects.exists()


def test_the_api_records_the_users_services_own_contact_details(client, personas, recorded, tromso):
    client.force_login(tromso["specialist"])
    _api(client, "post", "/api/v1/referrals/", api_referral(tromso))
    url = f"/api/v1/participants/{recorded.participant_id}/contact-details"
    mine = ParticipantContactDetails.objects.get(service=tromso["team"].service)
    response = _api(client, "post", url, {"phone": "", "email": "t@example.org", "revision": mine.revision})
    assert response.status_code == 200, response.content
    assert response.json() | {"service_id": 0} == {
        "service_id": 0,
        "phone": "",
        "email": "t@example.org",
        "guardian_name": "",
        "guardian_phone": "",
        "revision": mine.revision + 1,
    }
    assert response.json()["service_id"] == tromso["team"].service.pk
    stale = _api(client, "post", url, {"phone": "1", "revision": mine.revision})
    assert stale.status_code == 409, stale.content
    assert ParticipantContactDetails.objects.get(service=recorded.service).email == EMAIL
    body = client.get(f"/api/v1/participants/{recorded.participant_id}").json()
    assert body["email"] == "t@example.org"


def test_an_api_referral_checks_consent_as_the_referral_page_does(client, recorded, tromso):
    client.force_login(tromso["specialist"])
    response = _api(client, "post", "/api/v1/referrals/", api_referral(tromso, consent_given_on=None))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "consent_given_on"
    response = _api(client, "post", "/api/v1/referrals/", api_referral(tromso, referred_on="2000-01-01"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "referred_on"
    assert not Referral.objects.filter(team=tromso["team"]).exists()


def test_an_api_referral_dated_in_the_future_is_refused(client, recorded, tromso):
    client.force_login(tromso["specialist"])
    response = _api(client, "post", "/api/v1/referrals/", api_referral(tromso, referred_on="2999-01-01"))
    assert response.status_code == 422
    assert not Referral.objects.filter(team=tromso["team"]).exists()


# Item 2: nested lists go through the same filter ------------------------------------------------------------------


def test_the_api_list_shows_no_open_period_of_another_service(client, recorded, tromso):
    client.force_login(tromso["specialist"])
    _api(client, "post", "/api/v1/referrals/", api_referral(tromso))
    rows = client.get("/api/v1/participants/").json()
    assert [row["id"] for row in rows] == [recorded.participant_id]
    assert rows[0]["open_period_id"] is None and rows[0]["open_period_status"] is None


def test_the_api_detail_nests_only_the_viewers_own_periods(client, personas, recorded, tromso):
    services.period_close(
        actor=personas["jobbspesialist"],
        period=recorded,
        on=date(2026, 3, 31),
        reason="moved",
        text="",
        expected_revision=recorded.revision,
    )
    client.force_login(tromso["specialist"])
    referral = _api(client, "post", "/api/v1/referrals/", api_referral(tromso)).json()
    theirs = _api(client, "post", f"/api/v1/referrals/{referral['id']}/accept", {"on": "2026-04-03"}).json()
    body = client.get(f"/api/v1/participants/{recorded.participant_id}").json()
    assert [period["id"] for period in body["periods"]] == [theirs["id"]]
    client.force_login(personas["jobbspesialist"])
    body = client.get(f"/api/v1/participants/{recorded.participant_id}").json()
    assert [period["id"] for period in body["periods"]] == [recorded.pk]


# Item 3: no membership oracle -------------------------------------------------------------------------------------


def test_registering_a_person_known_elsewhere_answers_as_registering_a_new_one(client, recorded, tromso):
    client.force_login(tromso["specialist"])
    response = client.post(reverse("participant_register"), page_referral(tromso), follow=True)
    page = response.content.decode()
    assert "allerede registrert" not in page
    assert "Personen og henvisningen er registrert." in page
    fresh = client.post(
        reverse("participant_register"),
        page_referral(tromso, identity_number=identity.synthetic_identity_number(date(1990, 1, 2), 3)),
        follow=True,
    )
    assert [str(m) for m in fresh.context["messages"]] == [str(m) for m in response.context["messages"]]


# Item 15: no duplicate pending referrals to one service -----------------------------------------------------------


def test_a_second_pending_referral_to_the_same_service_is_refused_on_the_page(client, recorded, tromso):
    client.force_login(tromso["specialist"])
    assert client.post(reverse("participant_register"), page_referral(tromso)).status_code == 302
    url = reverse("referral_create", args=[recorded.participant_id])
    response = client.post(url, page_referral(tromso))
    assert response.status_code == 200
    assert "allerede en henvisning" in response.content.decode()
    assert Referral.objects.filter(team=tromso["team"]).count() == 1


def test_a_second_pending_referral_to_the_same_service_is_409_in_the_api(client, recorded, tromso):
    client.force_login(tromso["specialist"])
    assert _api(client, "post", "/api/v1/referrals/", api_referral(tromso)).status_code == 201
    response = _api(client, "post", "/api/v1/referrals/", api_referral(tromso))
    assert response.status_code == 409
    assert "allerede en henvisning" in response.json()["errors"][0]["message"]
    assert Referral.objects.filter(team=tromso["team"]).count() == 1


def test_a_decided_referral_does_not_block_a_new_one(personas, recorded):
    referral = recorded.referral
    services.referral_create(
        actor=personas["behandler"],
        participant=referral.participant,
        team=referral.team,
        clinician=personas["behandler"],
        referred_on=date(2026, 4, 1),
        goals="Ny henvisning",
        facts=ELIGIBLE_FACTS,
    )
    assert referral.participant.referrals.count() == 2


# Item 5: every read logged, exactly once --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("participant_edit", "participant"),
        ("contact_details_edit", "participant"),
        ("referral_create", "participant"),
        ("referral_decide", "referral"),
        ("period_start", "period"),
        ("period_extend", "period"),
        ("period_close", "period"),
    ],
)
def test_each_page_that_shows_a_person_writes_exactly_one_access_log_row(client, personas, period, name, target):
    pk = {"participant": period.participant_id, "referral": period.referral_id, "period": period.pk}[target]
    client.force_login(personas["jobbspesialist"])
    assert client.get(reverse(name, args=[pk])).status_code == 200
    rows = AccessLogEntry.objects.filter(actor=personas["jobbspesialist"])
    assert list(rows.values_list("object_type", "object_id", "purpose")) == [
        ("participants.participant", str(period.participant_id), AccessLogEntry.Purpose.VIEW)
    ]

"""The pathway pages: list and search, registration with referral, decision, the participant's page with the
identity reveal, and the period's start, extension and closure. Real database, the demo personas."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from brobygger.accounts.models import IpsService, Membership, Role, TreatmentTeam, User
from brobygger.audit.models import AccessLogEntry, AuditEvent
from brobygger.participants import identity, services
from brobygger.participants.models import Extension, Participant, ParticipantContactDetails, Period, Referral
from brobygger.participants.tests.conftest import ELIGIBLE_FACTS

NUMBER = identity.synthetic_identity_number(date(2001, 5, 17), 1)  # the ``deltaker`` fixture's number
NEW_NUMBER = identity.synthetic_identity_number(date(1995, 8, 3), 2)
NORDRE_AKER = "Nordre Aker psykisk helseteam"
TEAM_ROLES = ["jobbspesialist", "ips-leder", "behandler"]
NO_PERSONAL_DATA = ["kvalitetsevaluator", "tilskuddsforvalter", "analytiker", "sysadmin"]


def grouped(number: str) -> str:
    return f"{number[:6]} {number[6:]}"


def assert_no_identity(response, number: str = NUMBER) -> None:
    page = response.content.decode()
    assert number not in page and grouped(number) not in page


@pytest.fixture
def team(personas):
    return TreatmentTeam.objects.get(name=NORDRE_AKER)


@pytest.fixture
def other_team_specialist(personas):
    """A job specialist in another service's team."""
    tromso = IpsService.objects.get(name="IPS Tromsø")
    user = User.objects.create_user("js-tromso", role=Role.JOB_SPECIALIST)
    Membership.objects.create(user=user, service=tromso, team=tromso.teams.first())
    return user


@pytest.fixture
def neighbour_team_specialist(personas):
    """A job specialist in the same service, but only in the other treatment team."""
    dps = TreatmentTeam.objects.get(name="DPS Nord allmennteam")
    user = User.objects.create_user("js-dps", role=Role.JOB_SPECIALIST)
    Membership.objects.create(user=user, service=dps.service, team=dps)
    return user


@pytest.fixture
def outsiders(other_team_specialist, neighbour_team_specialist):
    return [other_team_specialist, neighbour_team_specialist]


@pytest.fixture
def period(personas, referral):
    """Unlike the shared fixture, the period as it is when taken in: waiting to start (``started`` starts it)."""
    return services.referral_accept(
        actor=personas["jobbspesialist"],
        referral=referral,
        on=date(2026, 3, 4),
        job_specialist=personas["jobbspesialist"],
    )


@pytest.fixture
def started(personas, period):
    return services.period_start(
        actor=personas["jobbspesialist"], period=period, start_date=date(2026, 3, 10), expected_revision=period.revision
    )


def register_data(team, clinician, **overrides):
    data = {
        "identity_number": NEW_NUMBER,
        "first_name": "Kari",
        "last_name": "Prøvesen",
        "phone": "400 00 000",
        "email": "",
        "municipality": team.service.municipalities.first().pk,
        "guardian_name": "",
        "guardian_phone": "",
        "reduced_work_capacity_assessed_on": "",
        "team": team.pk,
        "clinician": clinician.pk,
        "referred_on": "2026-03-02",
        "goals": "Jobbe med dyr",
        "consent_given_on": "2026-03-02",
        "consent_method": "skriftlig",
        "exception_justification": "",
    }
    data |= {name: "on" for name, value in ELIGIBLE_FACTS.items() if value}
    return data | overrides


def detail_url(participant) -> str:
    return reverse("participant_detail", args=[participant.pk])


# The list and the search ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", TEAM_ROLES)
def test_the_team_and_the_leader_see_the_participant_in_the_list(personas, login, referral, username):
    response = login(personas[username]).get(reverse("participant_list"))
    assert response.status_code == 200
    assert "Testesen, Ola" in response.content.decode()
    assert [row["participant"] for row in response.context["rows"]] == [referral.participant]
    assert "no-store" in response["Cache-Control"]
    assert_no_identity(response)


@pytest.mark.parametrize("username", NO_PERSONAL_DATA)
def test_roles_without_a_team_are_refused_the_list_and_the_registration(personas, login, referral, username):
    client = login(personas[username])
    assert client.get(reverse("participant_list")).status_code == 403
    assert client.get(reverse("participant_register")).status_code == 403


def test_a_job_specialist_of_another_team_sees_nobody_in_the_list(login, referral, outsiders):
    for outsider in outsiders:
        response = login(outsider).get(reverse("participant_list"))
        assert response.status_code == 200
        assert response.context["rows"] == []
        assert "Testesen" not in response.content.decode()


def test_the_list_is_a_read_of_each_person_it_shows(personas, login, referral):
    login(personas["behandler"]).get(reverse("participant_list"))
    entry = AccessLogEntry.objects.get()
    assert (entry.object_type, entry.object_id, entry.purpose) == (
        "participants.participant",
        str(referral.participant_id),
        AccessLogEntry.Purpose.VIEW,
    )


def test_the_list_shows_the_current_period_and_a_waiting_referral(personas, login, started):
    page = login(personas["jobbspesialist"]).get(reverse("participant_list")).content.decode()
    assert "Aktiv jobbsøking" in page and "IPS ung" in page and "10.03.2026" in page


def test_search_by_name_finds_on_first_and_last_name(personas, login, referral):
    client = login(personas["jobbspesialist"])
    assert len(client.get(reverse("participant_list"), {"q": "ola testes"}).context["rows"]) == 1
    assert client.get(reverse("participant_list"), {"q": "Nordmann"}).context["rows"] == []


def test_search_by_identity_number_is_posted_and_leads_to_the_person(personas, login, referral):
    response = login(personas["behandler"]).post(reverse("participant_list"), {"identity_number": NUMBER})
    assert response.status_code == 302 and response.url == detail_url(referral.participant)
    assert NUMBER not in response.url


def test_search_by_identity_number_accepts_spaces_and_dots(personas, login, referral):
    typed = f"{NUMBER[:6]} {NUMBER[6:9]}.{NUMBER[9:]}"
    response = login(personas["behandler"]).post(reverse("participant_list"), {"identity_number": typed})
    assert response.status_code == 302


def test_search_by_identity_number_finds_only_people_the_user_may_see(login, referral, other_team_specialist):
    response = login(other_team_specialist).post(reverse("participant_list"), {"identity_number": NUMBER})
    assert response.status_code == 200 and response.context["not_found"]
    assert "Fant ingen deltaker" in response.content.decode()
    assert_no_identity(response)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("123", "må ha 11 sifre"),
        (NUMBER[:-1] + str((int(NUMBER[-1]) + 1) % 10), "kontrollsifrene stemmer ikke"),
        ("", "Feltet er påkrevet"),
    ],
)
def test_a_bad_identity_number_in_the_search_gets_a_norwegian_message(personas, login, referral, typed, message):
    response = login(personas["behandler"]).post(reverse("participant_list"), {"identity_number": typed})
    assert response.status_code == 200
    assert message in str(response.context["identity_form"].errors["identity_number"])
    if typed:
        assert typed not in response.content.decode()


# Registration and referral --------------------------------------------------------------------------------------


def test_a_clinician_registers_a_person_and_a_referral_in_one_go(personas, login, team):
    response = login(personas["behandler"]).post(
        reverse("participant_register"), register_data(team, personas["behandler"])
    )
    participant = Participant.objects.get(last_name="Prøvesen")
    assert response.status_code == 302 and response.url == detail_url(participant)
    assert NEW_NUMBER not in response.url
    referral = participant.referrals.get()
    assert referral.clinician == personas["behandler"] and referral.team == team
    assert referral.eligibility_outcome == "oppfylt"
    assert referral.consent_recorded_by == personas["behandler"]
    assert participant.birth_date == date(1995, 8, 3)
    assert identity.decrypt_identity(participant.identity_encrypted) == NEW_NUMBER


def test_the_registration_form_offers_the_users_teams_and_their_clinicians(personas, login, team):
    response = login(personas["jobbspesialist"]).get(reverse("participant_register"))
    form = response.context["form"]
    assert {t.name for t in form.fields["team"].queryset} == {NORDRE_AKER, "DPS Nord allmennteam"}
    groups = dict(form.fields["clinician"].choices[1:])
    assert groups[NORDRE_AKER] == [(personas["behandler"].pk, "Bjørn Haugen")]


def test_a_referral_without_consent_is_saved_and_assessed_as_not_eligible(personas, login, team):
    data = register_data(team, personas["behandler"], consent_given_on="", consent_method="")
    login(personas["behandler"]).post(reverse("participant_register"), data)
    referral = Referral.objects.get()
    assert referral.eligibility_outcome == "ikke_oppfylt"
    assert "SAMTYKKE_MANGLER" in [reason["code"] for reason in referral.eligibility["reasons"]]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"identity_number": "12345678901"}, "identity_number", "kontrollsifrene stemmer ikke"),
        ({"identity_number": "1234"}, "identity_number", "må ha 11 sifre"),
        ({"first_name": ""}, "first_name", "påkrevet"),
        ({"municipality": "999999"}, "municipality", "gyldig valg"),
        ({"referred_on": "2099-01-01"}, "referred_on", "fram i tid"),
        ({"referred_on": "ikke en dato"}, "referred_on", "gyldig dato"),
        ({"consent_method": ""}, "consent_method", "hvordan samtykket"),
        ({"consent_given_on": ""}, "consent_given_on", "datoen samtykket"),
        ({"exception_agreed_with_health_service": "on"}, "exception_justification", "begrunnelsen for unntaket"),
        ({"email": "ikke-epost"}, "email", "gyldig e-postadresse"),
        ({"consent_method": "telepatisk"}, "consent_method", "gyldig valg"),
    ],
)
def test_bad_registration_input_saves_nothing_and_says_what_is_wrong(personas, login, team, overrides, field, message):
    data = register_data(team, personas["behandler"], **overrides)
    response = login(personas["behandler"]).post(reverse("participant_register"), data)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert not Participant.objects.exists() and not Referral.objects.exists()
    assert_no_identity(response, NEW_NUMBER)


def test_a_clinician_who_is_not_in_the_chosen_team_is_refused(personas, login, team):
    dps = TreatmentTeam.objects.get(name="DPS Nord allmennteam")
    response = login(personas["jobbspesialist"]).post(
        reverse("participant_register"), register_data(dps, personas["behandler"])
    )
    assert "hører til behandlingsteamet" in str(response.context["form"].errors["clinician"])
    assert not Participant.objects.exists()


def test_a_team_the_user_does_not_belong_to_cannot_be_chosen(personas, login):
    tromso_team = TreatmentTeam.objects.get(name="FACT Tromsø")
    response = login(personas["behandler"]).post(
        reverse("participant_register"), register_data(tromso_team, personas["behandler"])
    )
    assert "team" in response.context["form"].errors
    assert not Participant.objects.exists()


def test_a_person_under_18_needs_a_guardian(personas, login, team):
    young = identity.synthetic_identity_number(timezone.localdate().replace(year=timezone.localdate().year - 17), 1)
    data = register_data(team, personas["behandler"], identity_number=young, referred_on=str(timezone.localdate()))
    response = login(personas["behandler"]).post(reverse("participant_register"), data)
    errors = response.context["form"].errors
    assert "under 18 år" in str(errors["guardian_name"]) and "guardian_phone" in errors
    assert not Participant.objects.exists()
    data |= {"guardian_name": "Mor Prøvesen", "guardian_phone": "900 00 000"}
    assert login(personas["behandler"]).post(reverse("participant_register"), data).status_code == 302


def test_registering_someone_already_registered_points_to_the_person(personas, login, team, referral):
    data = register_data(team, personas["behandler"], identity_number=NUMBER)
    response = login(personas["behandler"]).post(reverse("participant_register"), data)
    assert response.status_code == 200
    assert "allerede registrert" in str(response.context["form"].errors["identity_number"])
    assert response.context["existing"] == referral.participant
    page = response.content.decode()
    assert detail_url(referral.participant) in page
    assert reverse("referral_create", args=[referral.participant_id]) in page
    assert Participant.objects.count() == 1 and Referral.objects.count() == 1


def test_a_referral_from_another_team_links_to_the_registered_person_without_changing_them(
    login, referral, other_team_specialist
):
    tromso_team = other_team_specialist.memberships.get().team
    clinician = User.objects.create_user("behandler-tromso", role=Role.CLINICIAN, first_name="Tore")
    Membership.objects.create(user=clinician, service=tromso_team.service, team=tromso_team)
    data = register_data(tromso_team, clinician, identity_number=NUMBER) | {"last_name": "Annetnavn"}
    response = login(other_team_specialist).post(reverse("participant_register"), data)
    assert response.status_code == 302
    assert response["Location"] == detail_url(referral.participant)
    assert Participant.objects.count() == 1
    assert Participant.objects.get().last_name == "Testesen"
    assert Referral.objects.filter(participant=referral.participant, team=tromso_team).exists()


def test_a_bad_referral_of_a_person_known_elsewhere_saves_nothing_and_reveals_nothing(
    login, referral, other_team_specialist
):
    tromso_team = other_team_specialist.memberships.get().team
    clinician = User.objects.create_user("behandler-tromso", role=Role.CLINICIAN, first_name="Tore")
    Membership.objects.create(user=clinician, service=tromso_team.service, team=tromso_team)
    data = register_data(tromso_team, clinician, identity_number=NUMBER, referred_on="2026-02-30")
    response = login(other_team_specialist).post(reverse("participant_register"), data)
    assert response.status_code == 200
    assert "Testesen" not in response.content.decode()
    assert not Referral.objects.filter(team=tromso_team).exists()


def test_a_new_referral_of_a_known_participant(personas, login, team, referral):
    services.referral_refuse(actor=personas["jobbspesialist"], referral=referral, reason="no_wish", on=date(2026, 3, 3))
    data = register_data(team, personas["behandler"])
    response = login(personas["jobbspesialist"]).post(reverse("referral_create", args=[referral.participant_id]), data)
    assert response.status_code == 302
    assert referral.participant.referrals.count() == 2


def test_a_new_referral_date_before_the_birth_date_is_refused(personas, login, team, referral):
    data = register_data(team, personas["behandler"], referred_on="2000-01-01")
    response = login(personas["behandler"]).post(reverse("referral_create", args=[referral.participant_id]), data)
    assert "før personens fødselsdato" in str(response.context["form"].errors["referred_on"])


def test_a_new_referral_is_404_for_people_the_user_may_not_see(personas, login, referral, outsiders):
    url = reverse("referral_create", args=[referral.participant_id])
    for user in [*outsiders, *(personas[name] for name in NO_PERSONAL_DATA)]:
        assert login(user).get(url).status_code == 404


# The decision ---------------------------------------------------------------------------------------------------


def decide(client, referral, action, **data):
    prefix = {"accept": "ta-inn", "refuse": "avsla"}[action]
    body = {"action": action} | {f"{prefix}-{name}": value for name, value in data.items()}
    return client.post(reverse("referral_decide", args=[referral.pk]), body)


def test_a_job_specialist_takes_the_person_in(personas, login, referral):
    client = login(personas["jobbspesialist"])
    page = client.get(reverse("referral_decide", args=[referral.pk]))
    assert page.status_code == 200 and "forskriften § 3-1" in page.content.decode()
    response = decide(client, referral, "accept", decided_on="2026-03-04", job_specialist=personas["jobbspesialist"].pk)
    assert response.status_code == 302 and response.url == detail_url(referral.participant)
    period = Period.objects.get(referral=referral)
    assert period.status == Period.Status.WAITING and period.job_specialist == personas["jobbspesialist"]
    referral.refresh_from_db()
    assert referral.decision == Referral.Decision.ACCEPTED


def test_the_leader_refuses_with_a_reason_the_regulation_allows(personas, login, referral):
    response = decide(
        login(personas["ips-leder"]),
        referral,
        "refuse",
        decided_on="2026-03-04",
        refusal_reason="outside_area",
        confirmed="on",
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.decision, referral.refusal_reason) == ("refused", "outside_area")


def test_a_refusal_is_not_made_without_the_confirmation(personas, login, referral):
    response = decide(
        login(personas["ips-leder"]), referral, "refuse", decided_on="2026-03-04", refusal_reason="outside_area"
    )
    assert response.status_code == 200
    assert "Bekreft avslaget" in str(response.context["refuse_form"].errors["confirmed"])
    referral.refresh_from_db()
    assert referral.decision == Referral.Decision.PENDING


@pytest.mark.parametrize("reason", ["", "rulleblad", "Passer ikke inn"])
def test_a_refusal_without_an_allowed_reason_is_refused(personas, login, referral, reason):
    response = decide(login(personas["ips-leder"]), referral, "refuse", decided_on="2026-03-04", refusal_reason=reason)
    assert response.status_code == 200
    assert "refusal_reason" in response.context["refuse_form"].errors
    referral.refresh_from_db()
    assert referral.decision == Referral.Decision.PENDING


def test_a_decision_before_the_referral_date_is_refused(personas, login, referral):
    response = decide(login(personas["jobbspesialist"]), referral, "accept", decided_on="2026-03-01")
    assert "før henvisningsdatoen" in str(response.context["accept_form"].errors["decided_on"])
    assert not Period.objects.exists()


def test_a_referral_that_is_not_eligible_cannot_be_taken_in(personas, login, participant, team):
    referral = services.referral_create(
        actor=personas["behandler"],
        participant=participant,
        team=team,
        clinician=personas["behandler"],
        referred_on=date(2026, 3, 2),
        goals="Jobb",
        facts=ELIGIBLE_FACTS,
    )
    client = login(personas["jobbspesialist"])
    assert "kan ikke tas inn" in client.get(reverse("referral_decide", args=[referral.pk])).content.decode()
    response = decide(client, referral, "accept", decided_on="2026-03-04")
    assert "§ 3-1" in str(response.context["accept_form"].non_field_errors())
    assert not Period.objects.exists()


def test_a_second_active_period_is_refused(personas, login, period, team):
    second = services.referral_create(
        actor=personas["behandler"],
        participant=period.participant,
        team=team,
        clinician=personas["behandler"],
        referred_on=date(2026, 4, 1),
        goals="Utdanning",
        facts=ELIGIBLE_FACTS,
        consent_given_on=date(2026, 4, 1),
        consent_method="skriftlig",
    )
    response = decide(login(personas["jobbspesialist"]), second, "accept", decided_on="2026-04-02")
    assert "allerede et aktivt forløp" in str(response.context["accept_form"].non_field_errors())
    assert Period.objects.count() == 1


def test_a_referral_already_decided_is_not_decided_again(personas, login, period):
    response = decide(
        login(personas["ips-leder"]), period.referral, "refuse", decided_on="2026-03-05", refusal_reason="no_wish"
    )
    assert response.status_code == 302
    period.referral.refresh_from_db()
    assert period.referral.decision == Referral.Decision.ACCEPTED


def test_a_clinician_may_refer_but_not_decide(personas, login, referral):
    client = login(personas["behandler"])
    assert client.get(reverse("referral_decide", args=[referral.pk])).status_code == 403
    assert decide(client, referral, "accept", decided_on="2026-03-04").status_code == 403
    assert not Period.objects.exists()


def test_the_decision_is_404_for_everyone_outside_the_team(personas, login, referral, outsiders):
    url = reverse("referral_decide", args=[referral.pk])
    for user in [*outsiders, *(personas[name] for name in NO_PERSONAL_DATA)]:
        assert login(user).get(url).status_code == 404


# The participant's page and the identity number -----------------------------------------------------------------


@pytest.mark.parametrize("username", TEAM_ROLES)
def test_the_participants_page_shows_the_person_masked_and_logs_the_view(personas, login, started, username):
    participant = started.participant
    response = login(personas[username]).get(detail_url(participant))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert_no_identity(response)
    page = response.content.decode()
    assert identity.mask(NUMBER) in page
    entry = AccessLogEntry.objects.get(purpose=AccessLogEntry.Purpose.VIEW)
    assert (entry.actor, entry.object_id, entry.path) == (
        personas[username],
        str(participant.pk),
        detail_url(participant),
    )


def test_every_view_of_the_page_is_logged(personas, login, referral):
    client = login(personas["behandler"])
    client.get(detail_url(referral.participant))
    client.get(detail_url(referral.participant))
    assert AccessLogEntry.objects.filter(purpose=AccessLogEntry.Purpose.VIEW).count() == 2


def test_the_page_explains_the_eligibility_and_the_duration(personas, login, started):
    page = login(personas["jobbspesialist"]).get(detail_url(started.participant)).content.decode()
    referral = started.referral
    for reason in referral.eligibility["reasons"]:
        assert reason["reference"] in page
    assert referral.eligibility["version"]["label"] in page
    assert "Vilkårene for å få tiltaket er oppfylt" in page
    assert f"{started.last_permitted_day:%d.%m.%Y}" in page
    assert "Statushistorikk" in page and "Venter på oppstart" in page and "Aktiv jobbsøking" in page


def test_the_page_keeps_the_history_of_earlier_periods(personas, login, started, team):
    services.period_close(
        actor=personas["jobbspesialist"],
        period=started,
        on=date(2026, 6, 1),
        reason="moved",
        expected_revision=started.revision,
    )
    second = services.referral_create(
        actor=personas["behandler"],
        participant=started.participant,
        team=team,
        clinician=personas["behandler"],
        referred_on=date(2026, 9, 1),
        goals="Ny start",
        facts=ELIGIBLE_FACTS,
        consent_given_on=date(2026, 9, 1),
        consent_method="skriftlig",
    )
    services.referral_accept(actor=personas["jobbspesialist"], referral=second, on=date(2026, 9, 2))
    response = login(personas["jobbspesialist"]).get(detail_url(started.participant))
    periods = [item["period"]["period"] for item in response.context["referrals"] if item["period"]]
    assert len(periods) == 2
    assert "Flyttet" in response.content.decode()


def test_a_clinician_sees_no_period_actions(personas, login, started):
    response = login(personas["behandler"]).get(detail_url(started.participant))
    period = response.context["referrals"][0]["period"]
    assert not (period["can_manage"] or period["can_close"] or period["can_extend"])
    assert period["can_follow_up"]
    assert reverse("period_close", args=[started.pk]) not in response.content.decode()


def test_the_participants_page_is_404_outside_the_team(personas, login, referral, outsiders):
    for user in [*outsiders, *(personas[name] for name in NO_PERSONAL_DATA)]:
        assert login(user).get(detail_url(referral.participant)).status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_revealing_the_identity_number_is_logged_and_not_cached(personas, login, referral):
    url = reverse("participant_reveal_identity", args=[referral.participant_id])
    response = login(personas["behandler"]).post(url)
    assert response.status_code == 200
    assert grouped(NUMBER) in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    entry = AccessLogEntry.objects.get()
    assert (entry.purpose, entry.object_id) == (AccessLogEntry.Purpose.REVEAL_IDENTITY, str(referral.participant_id))
    assert NUMBER not in entry.path


def test_an_htmx_reveal_answers_with_the_number_alone(personas, login, referral):
    url = reverse("participant_reveal_identity", args=[referral.participant_id])
    response = login(personas["behandler"]).post(url, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert grouped(NUMBER) in page and "<html" not in page and 'id="identity-number"' in page


def test_the_identity_number_is_revealed_only_by_post(personas, login, referral):
    url = reverse("participant_reveal_identity", args=[referral.participant_id])
    response = login(personas["behandler"]).get(url)
    assert response.status_code == 405
    assert_no_identity(response)
    assert not AccessLogEntry.objects.exists()


def test_the_reveal_is_404_outside_the_team(personas, login, referral, outsiders):
    url = reverse("participant_reveal_identity", args=[referral.participant_id])
    for user in [*outsiders, *(personas[name] for name in NO_PERSONAL_DATA)]:
        response = login(user).post(url)
        assert response.status_code == 404
        assert_no_identity(response)
    assert not AccessLogEntry.objects.exists()


# Editing the person ---------------------------------------------------------------------------------------------


def edit_data(participant, **overrides):
    data = {
        "first_name": participant.first_name,
        "last_name": participant.last_name,
        "municipality": participant.municipality_id,
        "has_psychosis": "on",
        "reduced_work_capacity_assessed_on": "2026-01-15",
        "revision": participant.revision,
    }
    return data | overrides


def test_the_person_is_changed_and_the_identity_kept(personas, login, referral):
    participant = referral.participant
    url = reverse("participant_edit", args=[participant.pk])
    response = login(personas["behandler"]).post(
        url, edit_data(participant, identity_number=NEW_NUMBER, last_name="Nyer")
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert (participant.last_name, participant.has_psychosis, participant.revision) == ("Nyer", True, 2)
    assert identity.decrypt_identity(participant.identity_encrypted) == NUMBER
    # The latest update: the first referral's update before it names the recording service.
    event = AuditEvent.objects.filter(object_type="participants.participant", action="update").order_by("-id")[0]
    assert event.after == {
        "last_name": "(skjult)",
        "has_psychosis": True,
        "reduced_work_capacity_assessed_on": "2026-01-15",
        "revision": 2,
    }


def test_the_registering_services_contact_details_are_its_own_record(personas, login, team):
    assert (
        login(personas["behandler"])
        .post(reverse("participant_register"), register_data(team, personas["behandler"]))
        .status_code
        == 302
    )
    details = ParticipantContactDetails.objects.get()
    assert (details.service, details.phone, details.email) == (team.service, "400 00 000", "")


def test_a_stale_edit_by_a_second_user_is_refused(personas, login, client, referral):
    participant = referral.participant
    url = reverse("participant_edit", args=[participant.pk])
    seen = participant.revision
    assert login(personas["behandler"]).post(url, edit_data(participant, last_name="A")).status_code == 302
    response = login(personas["jobbspesialist"]).post(url, edit_data(participant, last_name="B", revision=seen))
    assert response.status_code == 200
    assert "Noen andre har lagret" in str(response.context["form"].non_field_errors())
    participant.refresh_from_db()
    assert participant.last_name == "A"


def test_a_tampered_revision_does_not_answer_500(personas, login, referral):
    url = reverse("participant_edit", args=[referral.participant_id])
    response = login(personas["behandler"]).post(url, edit_data(referral.participant, revision="x"))
    assert response.status_code == 200 and response.context["form"].errors


def test_the_edit_page_does_not_show_the_identity_number(personas, login, referral):
    response = login(personas["behandler"]).get(reverse("participant_edit", args=[referral.participant_id]))
    assert response.status_code == 200
    assert_no_identity(response)


def test_the_edit_is_404_outside_the_team(personas, login, referral, outsiders):
    url = reverse("participant_edit", args=[referral.participant_id])
    for user in [*outsiders, *(personas[name] for name in NO_PERSONAL_DATA)]:
        assert login(user).post(url, edit_data(referral.participant)).status_code == 404


# Starting the period --------------------------------------------------------------------------------------------


def test_the_job_specialist_starts_the_period_and_sees_track_last_day_and_waiting_time(personas, login, period):
    client = login(personas["jobbspesialist"])
    url = reverse("period_start", args=[period.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"start_date": "2026-03-10", "revision": period.revision}, follow=True)
    period.refresh_from_db()
    assert (period.status, period.track, period.start_date) == ("job_search", "ips_ung", date(2026, 3, 10))
    page = response.content.decode()
    assert "IPS ung" in page and f"{period.last_permitted_day:%d.%m.%Y}" in page and "ventetid 8 dager" in page


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ("2026-03-01", "før henvisningsdatoen"),
        ("2099-01-01", "fram i tid"),
        ("", "påkrevet"),
        ("32.13.2026", "gyldig dato"),
        ("9999-12-31", "mellom 01.01.1900 og 31.12.2099"),
        ("0001-01-01", "mellom 01.01.1900 og 31.12.2099"),
    ],
)
def test_a_bad_start_date_is_refused(personas, login, period, start, message):
    response = login(personas["jobbspesialist"]).post(
        reverse("period_start", args=[period.pk]), {"start_date": start, "revision": period.revision}
    )
    assert message in str(response.context["form"].errors["start_date"])
    period.refresh_from_db()
    assert period.status == Period.Status.WAITING


def test_a_start_from_a_stale_page_is_refused(personas, login, period):
    url = reverse("period_start", args=[period.pk])
    assert login(personas["ips-leder"]).post(url, {"start_date": "2026-03-10", "revision": 1}).status_code == 302
    response = login(personas["jobbspesialist"]).post(url, {"start_date": "2026-03-12", "revision": 1})
    assert "allerede startet" in str(response.context["form"].non_field_errors())
    period.refresh_from_db()
    assert period.start_date == date(2026, 3, 10)


def test_only_the_managing_roles_may_start(personas, login, period, outsiders):
    url = reverse("period_start", args=[period.pk])
    assert login(personas["behandler"]).post(url, {"start_date": "2026-03-10", "revision": 1}).status_code == 403
    for user in [*outsiders, *(personas[name] for name in NO_PERSONAL_DATA)]:
        assert login(user).get(url).status_code == 404
    period.refresh_from_db()
    assert period.status == Period.Status.WAITING


# Extending the period -------------------------------------------------------------------------------------------


def test_the_assessment_is_shown_before_deciding_and_a_refusal_gives_the_reasons(personas, login, started):
    started.participant.birth_date = date(1980, 1, 1)
    Participant.objects.filter(pk=started.participant_id).update(birth_date=date(1980, 1, 1))
    Period.objects.filter(pk=started.pk).update(track=Period.Track.IPS)
    response = login(personas["jobbspesialist"]).get(reverse("period_extend", args=[started.pk]))
    assert response.status_code == 200
    assert not response.context["allowed"]
    page = response.content.decode()
    assert "Bare deltakere i IPS ung kan få forlenget tiltaket." in page
    assert "Forløpet kan ikke forlenges" in page
    assert 'name="justification"' not in page


@pytest.fixture
def studying(personas, started):
    """The started IPS ung period of a participant at a vocational college since 1 April: it may be extended."""
    services.education_register(
        actor=personas["jobbspesialist"],
        period=started,
        level="fagskole",
        institution="Fagskolen Oslo",
        start_date=date(2026, 4, 1),
    )
    started.refresh_from_db()
    return started


def test_an_ips_ung_participant_in_education_is_extended(personas, login, studying):
    client = login(personas["jobbspesialist"])
    url = reverse("period_extend", args=[studying.pk])
    page = client.get(url, {"on": "2026-05-01"})
    assert page.context["allowed"] and page.context["on"] == date(2026, 5, 1)
    assert "Deltakeren er i opplæring eller utdanning." in page.content.decode()
    response = client.post(
        f"{url}?on=2026-05-01",
        {
            "decided_on": "2026-05-01",
            "justification": "Fullfører fagskolen",
            "extended_to": "",
            "revision": studying.revision,
        },
    )
    assert response.status_code == 302
    extension = Extension.objects.get()
    assert extension.extended_to == date(2028, 3, 9)
    assert extension.rule_result["outcome"] == "kan_forlenges"


def test_an_extension_needs_a_justification_and_a_fresh_page(personas, login, studying):
    client = login(personas["jobbspesialist"])
    url = reverse("period_extend", args=[studying.pk])
    body = {"decided_on": "2026-05-01", "justification": "", "revision": studying.revision}
    response = client.post(url, body)
    assert "justification" in response.context["form"].errors
    response = client.post(url, body | {"justification": "Skole", "revision": studying.revision - 1})
    assert "Noen andre har lagret" in str(response.context["form"].non_field_errors())
    response = client.post(url, body | {"justification": "Skole", "extended_to": "2031-01-01"})
    assert "ikke lenger" in str(response.context["form"].errors["extended_to"])
    assert not Extension.objects.exists()


def test_an_extension_post_the_rule_refuses_is_refused_with_the_reasons(personas, login, started):
    response = login(personas["jobbspesialist"]).post(
        reverse("period_extend", args=[started.pk]),
        {"decided_on": "2026-05-01", "justification": "Vil fortsette", "revision": started.revision},
    )
    assert response.status_code == 200
    assert not response.context["allowed"]
    assert "Forlengelse krever at deltakeren er i opplæring eller utdanning." in response.content.decode()
    assert not Extension.objects.exists()


def test_the_extension_of_a_period_not_started_explains_why_not(personas, login, period):
    response = login(personas["jobbspesialist"]).get(reverse("period_extend", args=[period.pk]), {"on": "bad"})
    assert response.status_code == 200 and "ikke startet" in response.content.decode()


def test_only_the_managing_roles_may_extend(personas, login, started, outsiders):
    url = reverse("period_extend", args=[started.pk])
    assert login(personas["behandler"]).get(url).status_code == 403
    for user in [*outsiders, *(personas[name] for name in NO_PERSONAL_DATA)]:
        assert login(user).get(url).status_code == 404


# Closing the period ---------------------------------------------------------------------------------------------


def close(client, period, **data):
    body = {
        "closed_on": "2026-06-01",
        "closure_reason": "work",
        "closure_text": "",
        "confirmed": "on",
        "revision": period.revision,
    }
    return client.post(reverse("period_close", args=[period.pk]), body | data)


def test_the_period_is_closed_with_a_typed_reason(personas, login, started):
    response = close(login(personas["jobbspesialist"]), started)
    assert response.status_code == 302
    started.refresh_from_db()
    assert (started.status, started.closure_reason, started.closed_on) == ("closed", "work", date(2026, 6, 1))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"closure_reason": ""}, "closure_reason", "Velg en grunn"),
        ({"closure_reason": "lei av det"}, "closure_reason", "gyldig valg"),
        ({"closure_reason": "other", "closure_text": "  "}, "closure_text", "Forklar hvorfor"),
        ({"closed_on": "2026-03-01"}, "closed_on", "før oppstartsdatoen"),
        ({"closed_on": "2099-03-01"}, "closed_on", "fram i tid"),
        ({"confirmed": ""}, "confirmed", "kan ikke angres"),
    ],
)
def test_a_closure_without_a_proper_reason_or_date_is_refused(personas, login, started, data, field, message):
    response = close(login(personas["jobbspesialist"]), started, **data)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    started.refresh_from_db()
    assert started.closed_on is None and started.status == Period.Status.JOB_SEARCH


def test_other_needs_an_explanation_and_then_closes(personas, login, started):
    response = close(
        login(personas["jobbspesialist"]), started, closure_reason="other", closure_text="Flyttet til utlandet"
    )
    assert response.status_code == 302
    started.refresh_from_db()
    assert started.closure_text == "Flyttet til utlandet"


def test_a_closed_period_is_not_closed_again(personas, login, started):
    client = login(personas["jobbspesialist"])
    assert close(client, started).status_code == 302
    started.refresh_from_db()
    response = close(client, started, closed_on="2026-07-01")
    assert "allerede avsluttet" in str(response.context["form"].non_field_errors())
    started.refresh_from_db()
    assert started.closed_on == date(2026, 6, 1)


def test_a_closure_from_a_stale_page_is_refused(personas, login, started):
    seen = started.revision
    Period.objects.filter(pk=started.pk).update(revision=seen + 1)
    response = close(login(personas["jobbspesialist"]), started, revision=seen)
    assert "Noen andre har lagret" in str(response.context["form"].non_field_errors())
    started.refresh_from_db()
    assert started.closed_on is None


def test_only_the_managing_roles_may_close(personas, login, started, outsiders):
    assert close(login(personas["behandler"]), started).status_code == 403
    for user in [*outsiders, *(personas[name] for name in NO_PERSONAL_DATA)]:
        assert close(login(user), started).status_code == 404
    started.refresh_from_db()
    assert started.closed_on is None


def test_every_page_is_marked_no_store(personas, login, started):
    client = login(personas["jobbspesialist"])
    for name, pk in [
        ("participant_list", None),
        ("participant_register", None),
        ("participant_detail", started.participant_id),
        ("participant_edit", started.participant_id),
        ("referral_create", started.participant_id),
        ("referral_decide", started.referral_id),
        ("period_start", started.pk),
        ("period_extend", started.pk),
        ("period_close", started.pk),
    ]:
        response = client.get(reverse(name, args=[pk] if pk else []))
        assert response.status_code == 200, name
        assert "no-store" in response["Cache-Control"], name


def test_the_start_date_defaults_to_today(personas, login, period):
    response = login(personas["jobbspesialist"]).get(reverse("period_start", args=[period.pk]))
    assert response.context["form"]["start_date"].value() == timezone.localdate()

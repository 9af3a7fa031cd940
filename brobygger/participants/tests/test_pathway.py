"""Referral to closure through the service functions, with the rules applied and every write audited."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from brobygger.accounts.models import Municipality, TreatmentTeam
from brobygger.audit.models import AuditEvent
from brobygger.participants import identity, services
from brobygger.participants.models import Period, Referral
from brobygger.participants.tests.conftest import ELIGIBLE_FACTS


def test_the_identity_number_is_stored_encrypted_and_found_by_its_hash(participant):
    number = identity.synthetic_identity_number(date(2001, 5, 17), 1)
    assert number not in participant.identity_encrypted
    assert identity.decrypt_identity(participant.identity_encrypted) == number
    assert participant.birth_date == date(2001, 5, 17) and participant.is_synthetic
    event = AuditEvent.objects.get(object_type="participants.participant", action="create")
    assert not {"identity_encrypted", "identity_hash"} & set(event.after)
    assert number not in str(event.after)


def test_a_person_cannot_be_registered_twice(personas, participant):
    with pytest.raises(ValidationError, match="allerede registrert"):
        services.participant_register(
            actor=personas["jobbspesialist"],
            identity_number=identity.synthetic_identity_number(date(2001, 5, 17), 1),
            municipality=participant.municipality,
            first_name="Ola",
            last_name="Igjen",
        )


def test_synthetic_numbers_are_refused_outside_demo_and_test_mode(personas, settings):
    settings.IDENTITY_ALLOW_SYNTHETIC = False
    settings.DEMO_MODE = False
    with pytest.raises(ValidationError):
        services.participant_register(
            actor=personas["jobbspesialist"],
            identity_number=identity.synthetic_identity_number(date(1990, 1, 1), 2),
            municipality=Municipality.objects.get(number="0301"),
            first_name="Kari",
            last_name="Nordmann",
        )


def test_the_referral_stores_the_eligibility_assessment_with_reasons_and_version(referral):
    assert referral.eligibility_outcome == "oppfylt"
    assert referral.eligibility["version"]["id"] == "forskrift-2023"
    assert all(reason["reference"] for reason in referral.eligibility["reasons"])


def test_without_consent_the_referral_is_not_eligible_and_cannot_be_accepted(personas, participant):
    referral = services.referral_create(
        actor=personas["behandler"],
        participant=participant,
        team=TreatmentTeam.objects.get(name="Nordre Aker psykisk helseteam"),
        clinician=personas["behandler"],
        referred_on=date(2026, 3, 2),
        goals="Utdanning",
        facts=ELIGIBLE_FACTS,
    )
    assert referral.eligibility_outcome == "ikke_oppfylt"
    with pytest.raises(ValidationError, match="§ 3-1"):
        services.referral_accept(actor=personas["jobbspesialist"], referral=referral, on=date(2026, 3, 3))
    assert not Period.objects.exists()


def test_a_refusal_must_use_a_reason_the_regulation_allows(personas, referral):
    with pytest.raises(ValidationError):
        services.referral_refuse(actor=personas["ips-leder"], referral=referral, reason="rulleblad", on=date.today())
    refused = services.referral_refuse(
        actor=personas["ips-leder"], referral=referral, reason="outside_area", on=date(2026, 3, 4)
    )
    assert refused.decision == Referral.Decision.REFUSED


def test_start_sets_track_and_last_permitted_day_from_the_rules(personas, referral):
    period = services.referral_accept(actor=personas["jobbspesialist"], referral=referral, on=date(2026, 3, 3))
    assert period.status == Period.Status.WAITING
    started = services.period_start(
        actor=personas["jobbspesialist"], period=period, start_date=date(2026, 3, 10), expected_revision=period.revision
    )
    assert started.track == "ips_ung"  # 24 years old on the start date
    assert started.last_permitted_day == date(2027, 3, 9)
    assert started.waiting_days == 8
    assert [row.status for row in started.status_history.all()] == ["waiting", "job_search"]


def test_a_second_open_period_for_the_same_person_is_refused(personas, referral, participant):
    services.referral_accept(actor=personas["jobbspesialist"], referral=referral, on=date(2026, 3, 3))
    second = services.referral_create(
        actor=personas["behandler"],
        participant=participant,
        team=referral.team,
        clinician=personas["behandler"],
        referred_on=date(2026, 4, 1),
        goals="Ny henvisning",
        facts=ELIGIBLE_FACTS,
        consent_given_on=date(2026, 4, 1),
        consent_method="skriftlig",
    )
    with pytest.raises(ValidationError, match="allerede et aktivt forløp"):
        services.referral_accept(actor=personas["jobbspesialist"], referral=second, on=date(2026, 4, 2))
    assert Period.objects.count() == 1


def test_a_stale_edit_is_refused_and_nothing_is_overwritten(personas, referral):
    period = services.referral_accept(actor=personas["jobbspesialist"], referral=referral, on=date(2026, 3, 3))
    seen = period.revision
    services.period_start(
        actor=personas["jobbspesialist"], period=period, start_date=date(2026, 3, 10), expected_revision=seen
    )
    stale = Period.objects.get(pk=period.pk)
    with pytest.raises(ValidationError, match="Noen andre har lagret"):
        services.period_close(
            actor=personas["ips-leder"], period=stale, on=date(2026, 4, 1), reason="moved", expected_revision=seen
        )
    assert Period.objects.get(pk=period.pk).closed_on is None


@pytest.mark.parametrize(
    ("reason", "text", "on", "field"),
    [
        ("", "", date(2026, 4, 1), "closure_reason"),
        ("other", " ", date(2026, 4, 1), "closure_text"),
        ("moved", "", date(2026, 3, 9), "closed_on"),
    ],
)
def test_a_closure_needs_a_reason_and_a_date_after_the_start(personas, referral, reason, text, on, field):
    period = services.referral_accept(actor=personas["jobbspesialist"], referral=referral, on=date(2026, 3, 3))
    period = services.period_start(
        actor=personas["jobbspesialist"], period=period, start_date=date(2026, 3, 10), expected_revision=period.revision
    )
    with pytest.raises(ValidationError) as error:
        services.period_close(
            actor=personas["jobbspesialist"],
            period=period,
            on=on,
            reason=reason,
            text=text,
            expected_revision=period.revision,
        )
    assert field in error.value.message_dict
    assert Period.objects.get(pk=period.pk).closed_on is None


def test_a_closed_period_allows_a_new_referral_and_keeps_history(personas, referral, participant):
    period = services.referral_accept(actor=personas["jobbspesialist"], referral=referral, on=date(2026, 3, 3))
    period = services.period_start(
        actor=personas["jobbspesialist"], period=period, start_date=date(2026, 3, 10), expected_revision=period.revision
    )
    services.period_close(
        actor=personas["jobbspesialist"],
        period=period,
        on=date(2026, 9, 1),
        reason="work",
        expected_revision=period.revision,
    )
    again = services.referral_create(
        actor=personas["behandler"],
        participant=participant,
        team=referral.team,
        clinician=personas["behandler"],
        referred_on=date(2026, 10, 1),
        goals="Tilbake",
        facts=ELIGIBLE_FACTS,
        consent_given_on=date(2026, 10, 1),
        consent_method="skriftlig",
    )
    services.referral_accept(actor=personas["jobbspesialist"], referral=again, on=date(2026, 10, 2))
    assert participant.periods.count() == 2
    assert participant.periods.filter(closed_on__isnull=True).count() == 1

"""Referral to closure through the service functions, with the rules applied and every write audited."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from brobygger.accounts.models import Kommune, TreatmentTeam
from brobygger.audit.models import AuditEvent
from brobygger.participants import identity, services
from brobygger.participants.models import Forlop, Henvisning
from brobygger.participants.tests.conftest import ELIGIBLE_FACTS


def test_the_identity_number_is_stored_encrypted_and_found_by_its_hash(deltaker):
    number = identity.synthetic_identity_number(date(2001, 5, 17), 1)
    assert number not in deltaker.identity_encrypted
    assert identity.decrypt_identity(deltaker.identity_encrypted) == number
    assert deltaker.birth_date == date(2001, 5, 17) and deltaker.is_synthetic
    event = AuditEvent.objects.get(object_type="participants.deltaker", action="create")
    assert not {"identity_encrypted", "identity_hash"} & set(event.after)
    assert number not in str(event.after)


def test_a_person_cannot_be_registered_twice(personas, deltaker):
    with pytest.raises(ValidationError, match="allerede registrert"):
        services.deltaker_register(
            actor=personas["jobbspesialist"],
            identity_number=identity.synthetic_identity_number(date(2001, 5, 17), 1),
            kommune=deltaker.kommune,
            first_name="Ola",
            last_name="Igjen",
        )


def test_synthetic_numbers_are_refused_outside_demo_and_test_mode(personas, settings):
    settings.IDENTITY_ALLOW_SYNTHETIC = False
    settings.DEMO_MODE = False
    with pytest.raises(ValidationError):
        services.deltaker_register(
            actor=personas["jobbspesialist"],
            identity_number=identity.synthetic_identity_number(date(1990, 1, 1), 2),
            kommune=Kommune.objects.get(number="0301"),
            first_name="Kari",
            last_name="Nordmann",
        )


def test_the_referral_stores_the_eligibility_assessment_with_reasons_and_version(henvisning):
    assert henvisning.eligibility_outcome == "oppfylt"
    assert henvisning.eligibility["version"]["id"] == "forskrift-2023"
    assert all(reason["reference"] for reason in henvisning.eligibility["reasons"])


def test_without_consent_the_referral_is_not_eligible_and_cannot_be_accepted(personas, deltaker):
    referral = services.henvisning_create(
        actor=personas["behandler"],
        deltaker=deltaker,
        team=TreatmentTeam.objects.get(name="Nordre Aker psykisk helseteam"),
        clinician=personas["behandler"],
        referred_on=date(2026, 3, 2),
        goals="Utdanning",
        facts=ELIGIBLE_FACTS,
    )
    assert referral.eligibility_outcome == "ikke_oppfylt"
    with pytest.raises(ValidationError, match="§ 3-1"):
        services.henvisning_accept(actor=personas["jobbspesialist"], henvisning=referral, on=date(2026, 3, 3))
    assert not Forlop.objects.exists()


def test_a_refusal_must_use_a_reason_the_regulation_allows(personas, henvisning):
    with pytest.raises(ValidationError):
        services.henvisning_refuse(
            actor=personas["ips-leder"], henvisning=henvisning, reason="rulleblad", on=date.today()
        )
    refused = services.henvisning_refuse(
        actor=personas["ips-leder"], henvisning=henvisning, reason="outside_area", on=date(2026, 3, 4)
    )
    assert refused.decision == Henvisning.Decision.REFUSED


def test_start_sets_track_and_last_permitted_day_from_the_rules(personas, henvisning):
    forlop = services.henvisning_accept(actor=personas["jobbspesialist"], henvisning=henvisning, on=date(2026, 3, 3))
    assert forlop.status == Forlop.Status.WAITING
    started = services.forlop_start(
        actor=personas["jobbspesialist"], forlop=forlop, start_date=date(2026, 3, 10), expected_revision=forlop.revision
    )
    assert started.track == "ips_ung"  # 24 years old on the start date
    assert started.last_permitted_day == date(2027, 3, 9)
    assert started.waiting_days == 8
    assert [row.status for row in started.status_history.all()] == ["waiting", "job_search"]


def test_a_second_open_period_for_the_same_person_is_refused(personas, henvisning, deltaker):
    services.henvisning_accept(actor=personas["jobbspesialist"], henvisning=henvisning, on=date(2026, 3, 3))
    second = services.henvisning_create(
        actor=personas["behandler"],
        deltaker=deltaker,
        team=henvisning.team,
        clinician=personas["behandler"],
        referred_on=date(2026, 4, 1),
        goals="Ny henvisning",
        facts=ELIGIBLE_FACTS,
        consent_given_on=date(2026, 4, 1),
        consent_method="skriftlig",
    )
    with pytest.raises(ValidationError, match="allerede et aktivt forløp"):
        services.henvisning_accept(actor=personas["jobbspesialist"], henvisning=second, on=date(2026, 4, 2))
    assert Forlop.objects.count() == 1


def test_a_stale_edit_is_refused_and_nothing_is_overwritten(personas, henvisning):
    forlop = services.henvisning_accept(actor=personas["jobbspesialist"], henvisning=henvisning, on=date(2026, 3, 3))
    seen = forlop.revision
    services.forlop_start(
        actor=personas["jobbspesialist"], forlop=forlop, start_date=date(2026, 3, 10), expected_revision=seen
    )
    stale = Forlop.objects.get(pk=forlop.pk)
    with pytest.raises(ValidationError, match="Noen andre har lagret"):
        services.forlop_close(
            actor=personas["ips-leder"], forlop=stale, on=date(2026, 4, 1), reason="moved", expected_revision=seen
        )
    assert Forlop.objects.get(pk=forlop.pk).closed_on is None


@pytest.mark.parametrize(
    ("reason", "text", "on", "field"),
    [
        ("", "", date(2026, 4, 1), "closure_reason"),
        ("other", " ", date(2026, 4, 1), "closure_text"),
        ("moved", "", date(2026, 3, 9), "closed_on"),
    ],
)
def test_a_closure_needs_a_reason_and_a_date_after_the_start(personas, henvisning, reason, text, on, field):
    forlop = services.henvisning_accept(actor=personas["jobbspesialist"], henvisning=henvisning, on=date(2026, 3, 3))
    forlop = services.forlop_start(
        actor=personas["jobbspesialist"], forlop=forlop, start_date=date(2026, 3, 10), expected_revision=forlop.revision
    )
    with pytest.raises(ValidationError) as error:
        services.forlop_close(
            actor=personas["jobbspesialist"],
            forlop=forlop,
            on=on,
            reason=reason,
            text=text,
            expected_revision=forlop.revision,
        )
    assert field in error.value.message_dict
    assert Forlop.objects.get(pk=forlop.pk).closed_on is None


def test_a_closed_period_allows_a_new_referral_and_keeps_history(personas, henvisning, deltaker):
    forlop = services.henvisning_accept(actor=personas["jobbspesialist"], henvisning=henvisning, on=date(2026, 3, 3))
    forlop = services.forlop_start(
        actor=personas["jobbspesialist"], forlop=forlop, start_date=date(2026, 3, 10), expected_revision=forlop.revision
    )
    services.forlop_close(
        actor=personas["jobbspesialist"],
        forlop=forlop,
        on=date(2026, 9, 1),
        reason="work",
        expected_revision=forlop.revision,
    )
    again = services.henvisning_create(
        actor=personas["behandler"],
        deltaker=deltaker,
        team=henvisning.team,
        clinician=personas["behandler"],
        referred_on=date(2026, 10, 1),
        goals="Tilbake",
        facts=ELIGIBLE_FACTS,
        consent_given_on=date(2026, 10, 1),
        consent_method="skriftlig",
    )
    services.henvisning_accept(actor=personas["jobbspesialist"], henvisning=again, on=date(2026, 10, 2))
    assert deltaker.forlop.count() == 2
    assert deltaker.forlop.filter(closed_on__isnull=True).count() == 1

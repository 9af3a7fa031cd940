"""The demo participants cover every step of the pathway and are synthetic through and through."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from brobygger.participants import demo, identity
from brobygger.participants.models import Employer, Participant, Period, Referral
from brobygger.participants.services import extension_assess

TODAY = date(2026, 11, 23)


@pytest.fixture
def seeded(personas):
    demo.seed(today=TODAY)


def test_every_status_and_decision_is_shown(seeded):
    assert set(Period.objects.values_list("status", flat=True)) == set(Period.Status.values)
    assert set(Referral.objects.values_list("decision", flat=True)) == set(Referral.Decision.values)
    closure_reasons = set(Period.objects.exclude(closure_reason="").values_list("closure_reason", flat=True))
    assert Period.ClosureReason.WORK in closure_reasons


def test_a_person_referred_again_keeps_the_closed_period(seeded):
    again = Participant.objects.get(first_name="Jenny")
    periods = list(again.periods.order_by("pk").values_list("status", flat=True))
    assert periods == [Period.Status.CLOSED, Period.Status.WAITING]


def test_the_young_participant_in_education_can_be_extended_soon(seeded):
    period = Period.objects.get(participant__first_name="Hanna")
    assert period.track == Period.Track.IPS_UNG
    assert 0 < (period.last_permitted_day - TODAY).days <= 60
    assert extension_assess(period=period, on=TODAY).outcome == "kan_forlenges"


def test_all_identity_numbers_and_employers_are_synthetic(seeded):
    assert Participant.objects.count() == len(demo.STORIES)
    assert all(Participant.objects.values_list("is_synthetic", flat=True))
    for token in Participant.objects.values_list("identity_encrypted", flat=True):
        assert identity.is_synthetic(identity.decrypt_identity(token))
    assert all(Employer.objects.values_list("is_synthetic", flat=True))


def test_the_command_needs_demo_mode_and_refuses_a_second_load(personas, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demomodus"):
        call_command("seed_demo_pathway")
    settings.DEMO_MODE = True
    call_command("seed_demo_pathway")
    call_command("seed_demo_pathway", "--if-empty")
    with pytest.raises(CommandError, match="allerede deltakere"):
        call_command("seed_demo_pathway")
    assert Participant.objects.count() == len(demo.STORIES)


def test_a_referral_waits_in_the_inbox_for_consent(seeded):
    waiting = Referral.objects.get(participant__first_name="Berit")
    assert waiting.decision == Referral.Decision.PENDING and waiting.consent_given_on is None
    assert waiting.eligibility_outcome == "ikke_oppfylt" and waiting.facts

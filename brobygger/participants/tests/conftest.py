"""Fixtures for the pathway: a synthetic participant and an eligible referral from the demo clinician."""

from datetime import date

import pytest

from brobygger.accounts.models import Kommune, TreatmentTeam
from brobygger.participants import identity, services
from brobygger.participants.models import Henvisning

ELIGIBLE_FACTS = {
    "moderate_or_severe_condition": True,
    "compound_problems": False,
    "in_health_service": True,
    "needs_comprehensive_follow_up": True,
    "wants_work_or_education": True,
}


@pytest.fixture
def deltaker(personas):
    return services.deltaker_register(
        actor=personas["jobbspesialist"],
        identity_number=identity.synthetic_identity_number(date(2001, 5, 17), 1),
        kommune=Kommune.objects.get(number="0301"),
        first_name="Ola",
        last_name="Testesen",
    )


@pytest.fixture
def henvisning(personas, deltaker):
    return services.henvisning_create(
        actor=personas["behandler"],
        deltaker=deltaker,
        team=TreatmentTeam.objects.get(name="Nordre Aker psykisk helseteam"),
        clinician=personas["behandler"],
        referred_on=date(2026, 3, 2),
        goals="Jobb i butikk",
        facts=ELIGIBLE_FACTS,
        consent_given_on=date(2026, 3, 2),
        consent_method=Henvisning.ConsentMethod.SKRIFTLIG,
    )

"""Fixtures for the pathway: a synthetic participant, an eligible referral from the demo clinician, the period it
starts, and what the follow-up records on that period (a plan, an employer, a job)."""

from datetime import date
from decimal import Decimal

import pytest

from brobygger.accounts.demo import synthetic_orgnr
from brobygger.accounts.models import Municipality, TreatmentTeam
from brobygger.audit.models import AuditEvent
from brobygger.participants import identity, services
from brobygger.participants.models import Job, Referral

START = date(2026, 3, 10)  # the ``forlop`` fixture's start date
PLAN_DAY = date(2026, 3, 12)  # the ``plan`` fixture's date

ELIGIBLE_FACTS = {
    "moderate_or_severe_condition": True,
    "compound_problems": False,
    "in_health_service": True,
    "needs_comprehensive_follow_up": True,
    "wants_work_or_education": True,
}


@pytest.fixture
def participant(personas):
    return services.participant_register(
        actor=personas["jobbspesialist"],
        identity_number=identity.synthetic_identity_number(date(2001, 5, 17), 1),
        municipality=Municipality.objects.get(number="0301"),
        first_name="Ola",
        last_name="Testesen",
    )


@pytest.fixture
def referral(personas, participant):
    return services.referral_create(
        actor=personas["behandler"],
        participant=participant,
        team=TreatmentTeam.objects.get(name="Nordre Aker psykisk helseteam"),
        clinician=personas["behandler"],
        referred_on=date(2026, 3, 2),
        goals="Jobb i butikk",
        facts=ELIGIBLE_FACTS,
        consent_given_on=date(2026, 3, 2),
        consent_method=Referral.ConsentMethod.WRITTEN,
    )


@pytest.fixture
def waiting(personas, referral):
    """The referral taken in: a period waiting for its start."""
    return services.referral_accept(actor=personas["jobbspesialist"], referral=referral, on=date(2026, 3, 3))


@pytest.fixture
def period(personas, referral):
    """The referral taken in and the period started on START: searching for work, open for follow-up."""
    accepted = services.referral_accept(actor=personas["jobbspesialist"], referral=referral, on=date(2026, 3, 3))
    return services.period_start(
        actor=personas["jobbspesialist"], period=accepted, start_date=START, expected_revision=accepted.revision
    )


@pytest.fixture
def plan(personas, period):
    return services.plan_create(
        actor=personas["jobbspesialist"], period=period, purpose="Komme i jobb i butikk", on=PLAN_DAY
    )


@pytest.fixture
def employer(personas):
    return services.employer_register(
        actor=personas["jobbspesialist"],
        name="Testbutikken AS",
        orgnr=synthetic_orgnr(500),
        municipality=Municipality.objects.get(number="0301"),
    )


def register_job(personas, period, employer, **overrides):
    """An ordinary job (open market, normal pay, open to anyone) from 1 April, unless ``overrides`` say otherwise."""
    fields = {
        "title": "Butikkmedarbeider",
        "job_type": Job.JobType.RETAIL,
        "start_date": date(2026, 4, 1),
        "hours_per_week": Decimal("20"),
        "open_labour_market": True,
        "paid_at_least_normal_rate": True,
        "open_to_anyone": True,
    } | overrides
    return services.job_register(actor=personas["jobbspesialist"], period=period, employer=employer, **fields)


def audited(obj, action="create"):
    """Whether the audit trail has an event ``action`` for ``obj``."""
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action).exists()

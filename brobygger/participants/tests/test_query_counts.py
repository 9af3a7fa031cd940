"""The participant's page runs the same number of queries however many periods, contacts, jobs, job-search events,
educations and plan revisions the person has: checked at two sizes."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brobygger.accounts.demo import synthetic_orgnr
from brobygger.accounts.models import TreatmentTeam
from brobygger.participants import services
from brobygger.participants.models import Contact, Education, Job, JobSearchEvent, Period, Referral
from brobygger.participants.tests.conftest import ELIGIBLE_FACTS


def _full_period(personas, participant, employer, start: date, *, close: bool) -> Period:
    """A period with a plan and its revision and activity, a contact, a job-search event, a job and an education."""
    specialist = personas["jobbspesialist"]
    referral = services.referral_create(
        actor=personas["behandler"],
        participant=participant,
        team=TreatmentTeam.objects.get(name="Nordre Aker psykisk helseteam"),
        clinician=personas["behandler"],
        referred_on=start - timedelta(days=5),
        goals="Jobb",
        facts=ELIGIBLE_FACTS,
        consent_given_on=start - timedelta(days=5),
        consent_method=Referral.ConsentMethod.WRITTEN,
    )
    taken = services.referral_accept(actor=specialist, referral=referral, on=start - timedelta(days=4))
    period = services.period_start(actor=specialist, period=taken, start_date=start, expected_revision=taken.revision)
    plan = services.plan_create(actor=specialist, period=period, purpose="Jobb", on=start)
    services.plan_revise(
        actor=specialist,
        plan=plan,
        on=start + timedelta(days=1),
        content="Søke jobber",
        participant_took_part=True,
        clinician_took_part=True,
        job_specialist_took_part=True,
    )
    services.plan_activity_add(actor=specialist, plan=plan, description="CV")
    services.contact_record(
        actor=specialist, period=period, kind=Contact.Kind.TEAM_MEETING, on=start + timedelta(days=2)
    )
    services.job_search_record(
        actor=specialist,
        period=period,
        kind=JobSearchEvent.Kind.APPLICATION,
        on=start + timedelta(days=3),
        position="Butikk",
        employer=employer,
    )
    services.job_register(
        actor=specialist,
        period=period,
        employer=employer,
        title="Butikk",
        job_type=Job.JobType.RETAIL,
        start_date=start + timedelta(days=10),
        hours_per_week=Decimal("20"),
        open_labour_market=True,
        paid_at_least_normal_rate=True,
        open_to_anyone=True,
    )
    services.education_register(
        actor=specialist,
        period=period,
        level=Education.Level.UPPER_SECONDARY,
        institution="Skolen",
        start_date=start + timedelta(days=11),
    )
    if close:
        period.refresh_from_db()
        services.period_close(
            actor=specialist,
            period=period,
            on=start + timedelta(days=60),
            reason=Period.ClosureReason.WORK,
            expected_revision=period.revision,
        )
    return period


def _page_queries(client, participant) -> int:
    path = reverse("participant_detail", args=[participant.pk])
    client.get(path)  # sessions and content types, as a running server has them cached
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_participant_page_runs_as_many_queries_for_one_period_as_for_three(personas, login, participant):
    employer = services.employer_register(
        actor=personas["jobbspesialist"], name="Butikken AS", orgnr=synthetic_orgnr(900)
    )
    client = login(personas["jobbspesialist"])
    _full_period(personas, participant, employer, date(2025, 1, 6), close=True)
    one = _page_queries(client, participant)
    _full_period(personas, participant, employer, date(2025, 4, 7), close=True)
    _full_period(personas, participant, employer, date(2025, 8, 4), close=False)
    assert _page_queries(client, participant) == one
    assert one <= 30

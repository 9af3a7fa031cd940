"""The three definitions made exact in docs/indicators.md ("Decisions"), each on both sides of its edge, with
people recorded through the pathway's own services."""

from datetime import date
from decimal import Decimal

import pytest

from brobygger.accounts.demo import synthetic_orgnr
from brobygger.accounts.models import IpsService, Municipality, TreatmentTeam
from brobygger.participants import identity, services
from brobygger.participants.models import Job, Period, Referral
from brobygger.participants.tests.conftest import ELIGIBLE_FACTS
from brobygger.reporting import indicators
from brobygger.reporting.indicators import Scope
from brobygger.reporting.periods import Level, ReportingPeriod

YEAR = ReportingPeriod.for_year(2025)


def _period(personas, person, referred_on: date, start: date) -> Period:
    referral = services.referral_create(
        actor=personas["behandler"],
        participant=person,
        team=TreatmentTeam.objects.get(name="Nordre Aker psykisk helseteam"),
        clinician=personas["behandler"],
        referred_on=referred_on,
        goals="Jobb",
        facts=ELIGIBLE_FACTS,
        consent_given_on=referred_on,
        consent_method=Referral.ConsentMethod.WRITTEN,
    )
    taken = services.referral_accept(actor=personas["jobbspesialist"], referral=referral, on=referred_on)
    return services.period_start(
        actor=personas["jobbspesialist"], period=taken, start_date=start, expected_revision=taken.revision
    )


def _close(personas, period: Period, on: date, reason=Period.ClosureReason.WORK) -> None:
    period.refresh_from_db()
    services.period_close(
        actor=personas["jobbspesialist"], period=period, on=on, reason=reason, expected_revision=period.revision
    )


def _person(personas, born: date, serial: int = 1):
    return services.participant_register(
        actor=personas["jobbspesialist"],
        identity_number=identity.synthetic_identity_number(born, serial),
        municipality=Municipality.objects.get(number="0301", valid_to__isnull=True),
        first_name="Definisjon",
        last_name="Testesen",
    )


def national(figure: str) -> int:
    return indicators.report(YEAR, Level.NATIONAL).total.figures[figure]


# (b) In ordinary work: a job on an earlier, closed period that was still running in the year counts.


@pytest.fixture
def job_on_a_closed_period(personas):
    """A job started on a period closed in 2024; the person is back in a new period in 2025."""
    person = _person(personas, date(1990, 3, 1))
    earlier = _period(personas, person, date(2024, 1, 5), date(2024, 1, 10))
    employer = services.employer_register(actor=personas["jobbspesialist"], name="Jobb AS", orgnr=synthetic_orgnr(7))
    job = services.job_register(
        actor=personas["jobbspesialist"],
        period=earlier,
        employer=employer,
        title="Lager",
        job_type=Job.JobType.TRANSPORT_AND_WAREHOUSING,
        start_date=date(2024, 2, 1),
        hours_per_week=Decimal("20"),
        open_labour_market=True,
        paid_at_least_normal_rate=True,
        open_to_anyone=True,
    )
    _close(personas, earlier, date(2024, 6, 30))
    _period(personas, person, date(2025, 1, 15), date(2025, 2, 1))
    return job


def test_a_job_still_running_on_an_earlier_closed_period_counts_as_work_in_the_year(personas, job_on_a_closed_period):
    assert national("deltakere") == 1
    assert national("arbeid") == 1
    assert indicators.employment_by_unit(YEAR, Level.NATIONAL)[""] == {"deltakere": 1, "arbeid": 1}


def test_a_job_that_ended_before_the_year_does_not_count(personas, job_on_a_closed_period):
    services.job_end(actor=personas["jobbspesialist"], job=job_on_a_closed_period, end_date=date(2024, 12, 31))
    assert national("deltakere") == 1
    assert national("arbeid") == 0


# (c) Age groups: the age on the period's last day (31 December), not on the person's last active day.


def test_a_person_who_left_at_29_and_turned_30_before_31_december_is_counted_as_30_or_older(personas):
    person = _person(personas, date(1995, 9, 15))
    _close(personas, _period(personas, person, date(2025, 1, 5), date(2025, 1, 10)), date(2025, 6, 30))
    assert (national("alder_30_pluss"), national("under_30")) == (1, 0)


def test_a_person_who_turns_30_after_31_december_is_under_30(personas):
    person = _person(personas, date(1996, 1, 1))
    _close(personas, _period(personas, person, date(2025, 1, 5), date(2025, 1, 10)), date(2025, 6, 30))
    assert (national("alder_25_29"), national("under_30")) == (1, 1)


# (a) Municipalities in all: the whole country nationally, the service's own area for a service.


def test_municipalities_in_all_is_the_service_area_for_a_service_and_the_country_nationally(personas):
    service = IpsService.objects.get(name="IPS Oslo Nord")
    own = service.municipalities.count()
    report = indicators.report(YEAR, Level.SERVICE, Scope(service_ids=(service.pk,)), with_total=False)
    figures = next(unit.figures for unit in report.units if unit.key == service.pk)
    assert figures["kommuner_i_alt"] == own
    assert figures["kommuner_i_alt"] < national("kommuner_i_alt") == indicators.municipality_count(YEAR.end)
    assert str(indicators.MEASURES["kommuner_i_alt"].label) == "Kommuner i alt i området"

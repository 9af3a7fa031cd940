"""A report query is compiled once and kept; its rows are not: each call runs it and gives what ``values()`` gives."""

from datetime import date

import pytest

from brobygger import compiled
from brobygger.participants.models import Period
from brobygger.reporting import indicators
from brobygger.reporting.indicators import NATIONAL, Scope
from brobygger.reporting.periods import Level, ReportingPeriod

pytestmark = pytest.mark.django_db

YEAR = ReportingPeriod.for_year(2025)


def test_rows_are_the_querysets_at_each_level(national_data):
    for level in (Level.NATIONAL, Level.HEALTH_REGION, Level.SERVICE, Level.JOB_SPECIALIST):
        for build in (indicators._starts_and_closures_query, indicators._hires_query):
            expected = list(build(YEAR, level, NATIONAL))
            assert expected
            assert compiled.values(build, YEAR, level, NATIONAL) == expected
    # The average wait passes through Django's converters: a duration, also where the database gives a number.
    (row,) = compiled.values(indicators._starts_and_closures_query, YEAR, Level.NATIONAL, NATIONAL)
    assert row["ventetid"].days > 0


def test_each_call_reads_the_data_anew(national_data, django_assert_num_queries):
    def closed() -> int:
        (row,) = compiled.values(indicators._starts_and_closures_query, YEAR, Level.NATIONAL, NATIONAL)
        return row["avsluttet"]

    before = closed()
    still_open = Period.objects.filter(start_date__lte=date(2025, 6, 1), closed_on__isnull=True).first()
    Period.objects.filter(pk=still_open.pk).update(closed_on=date(2025, 6, 30), closure_reason="work")
    with django_assert_num_queries(1):
        assert closed() == before + 1


def test_built_once_for_the_same_arguments_and_anew_for_others(national_data):
    built = []

    def build(period, level, scope):
        built.append(period)
        return indicators._starts_and_closures_query(period, level, scope)

    spring = ReportingPeriod.for_quarter(2025, 2)
    first = compiled.values(build, YEAR, Level.NATIONAL, NATIONAL)
    assert compiled.values(build, YEAR, Level.NATIONAL, NATIONAL) == first
    assert compiled.values(build, spring, Level.NATIONAL, NATIONAL) == list(
        indicators._starts_and_closures_query(spring, Level.NATIONAL, NATIONAL)
    )
    assert built == [YEAR, spring]


def test_a_scope_without_services_matches_nothing_as_in_django(national_data, django_assert_num_queries):
    nothing = Scope(())
    assert list(indicators._cube_query(YEAR, Level.SERVICE, nothing, None)) == []
    with django_assert_num_queries(0):
        assert compiled.values(indicators._cube_query, YEAR, Level.SERVICE, nothing, None) == []

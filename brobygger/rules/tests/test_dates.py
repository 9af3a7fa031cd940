"""Date conventions: periods, ages, months and working days, checked as properties over many dates."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from brobygger.rules.dates import add_months, age_on, anniversary, next_working_day, non_working_reason, period_last_day

dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31))
years = st.integers(min_value=0, max_value=40)


@given(start=dates, n=years)
def test_a_period_ends_the_day_before_its_anniversary(start: date, n: int) -> None:
    assert period_last_day(start, n) + timedelta(days=1) == anniversary(start, n)


@given(start=dates, n=years)
def test_an_anniversary_keeps_the_day_except_29_february(start: date, n: int) -> None:
    result = anniversary(start, n)
    assert result.year == start.year + n
    if (start.month, start.day) != (2, 29):
        assert (result.month, result.day) == (start.month, start.day)


def test_the_anniversary_of_29_february_in_a_common_year_is_28_february() -> None:
    assert anniversary(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert period_last_day(date(2024, 2, 29), 1) == date(2025, 2, 27)
    assert anniversary(date(2024, 2, 29), 4) == date(2028, 2, 29)


@given(birth=dates, on=dates)
def test_age_grows_by_one_on_each_birthday(birth: date, on: date) -> None:
    if on < birth:
        return
    age = age_on(birth, on)
    assert anniversary(birth, age) <= on < anniversary(birth, age + 1)


@given(start=dates, months=st.integers(min_value=0, max_value=36))
def test_adding_months_never_overflows_the_month(start: date, months: int) -> None:
    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    assert result.day <= start.day


@given(day=st.dates(min_value=date(2024, 1, 1), max_value=date(2040, 12, 31)))
def test_the_next_working_day_is_a_working_day_within_a_week(day: date) -> None:
    working, skipped = next_working_day(day)
    assert non_working_reason(working) is None
    assert 0 <= (working - day).days == len(skipped) <= 5


def test_sundays_are_weekend_days_and_holidays_are_named() -> None:
    assert non_working_reason(date(2026, 11, 29)) == "søndag"
    assert non_working_reason(date(2028, 5, 17)) == "onsdag, grunnlovsdag"
    assert non_working_reason(date(2026, 12, 24)) is None

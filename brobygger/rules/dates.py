"""Date arithmetic the rules share: anniversaries, periods, ages, months and Norwegian working days.

Our conventions: docs/domain.md § 1.7 (ages, 29 February), § 3.3 (periods) and § 7.6 (working days).
"""

from __future__ import annotations

import calendar
import functools
from datetime import date, timedelta

import holidays

from .base import Text

WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


def anniversary(start: date, years: int) -> date:
    """The date `years` years after `start`.

    The anniversary of 29 February in a year without that day is 28 February (docs/domain.md §§ 1.7 and 3.3).
    """
    year = start.year + years
    if (start.month, start.day) == (2, 29) and not calendar.isleap(year):
        return date(year, 2, 28)
    return start.replace(year=year)


def period_last_day(start: date, years: int) -> date:
    """The last day of a period of `years` years from `start`: the day before the anniversary (docs/domain.md § 3.3)."""
    return anniversary(start, years) - timedelta(days=1)


def age_on(birth_date: date, on: date) -> int:
    """Completed years on `on`: a birthday counts from the anniversary of the birth date."""
    years = on.year - birth_date.year
    return years if anniversary(birth_date, years) <= on else years - 1


def add_months(start: date, months: int) -> date:
    """The same day `months` months later; a day the month lacks becomes the month's last day (31.08 + 6 = 28.02)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@functools.cache
def _norwegian_holidays(year: int) -> holidays.HolidayBase:
    # Sundays are handled as weekend days: holidays.Norway can also list every Sunday as a holiday.
    return holidays.country_holidays("NO", years=year, language="no", include_sundays=False)


def public_holiday(day: date) -> str | None:
    """The name of the Norwegian public holiday on `day`, if any: the church holidays, 1 May and 17 May."""
    name = _norwegian_holidays(day.year).get(day)
    return None if name is None else str(name)


def non_working_reason(day: date) -> str | None:
    """Why `day` is not a working day (weekday name or holiday name), or None for a working day."""
    holiday = public_holiday(day)
    # Texts, so the weekday and holiday names are English on an English page (the catalogue has each name).
    weekday = Text(WEEKDAYS[day.weekday()])
    if holiday:
        return Text("{weekday}, {holiday}", weekday=weekday, holiday=Text(holiday.lower()))
    if day.weekday() >= 5:
        return weekday
    return None


def next_working_day(day: date) -> tuple[date, tuple[str, ...]]:
    """`day` itself if it is a working day, else the next one, with a description of each day passed over."""
    skipped: list[str] = []
    while (why := non_working_reason(day)) is not None:
        skipped.append(Text("{day} ({why})", day=day.strftime("%d.%m.%Y"), why=why))
        day += timedelta(days=1)
    return day, tuple(skipped)

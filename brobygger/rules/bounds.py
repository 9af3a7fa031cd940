"""The limits of what Brobygger accepts as input: dates, numbers and text lengths, in one place.

Forms (brobygger.fields), the API schemas (brobygger.api) and the rules catalogue (catalog.parse_input) all read
these, so a value one door refuses is refused by every door. The limits are wide enough for every real case and
narrow enough that no computation on them overflows: a rule adds at most a few years to a date, and a date near
year 1 or 9999 would leave Python's calendar.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# Birth dates of people alive today and periods decades ahead both fit; date arithmetic of a few years never leaves
# the calendar from here.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2099, 12, 31)

# Free text (goals, justifications, notes), one line (names, titles), a search query and a login name.
TEXT_MAX_LENGTH = 10_000
LINE_MAX_LENGTH = 255
SEARCH_MAX_LENGTH = 100
USERNAME_MAX_LENGTH = 150

# NUL and the other C0 controls, and DEL: no name, note or search has a reason to hold them, and PostgreSQL cannot
# store a NUL. Tab, line feed and carriage return are ordinary text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# A decimal is a count of man-years, years or the like: four decimals are finer than anyone needs.
DECIMAL_PLACES = 4


@dataclass(frozen=True)
class Range:
    """The smallest and largest accepted number, both included."""

    low: int | Decimal
    high: int | Decimal


# Counts and amounts in kroner: nothing in the scheme comes near a billion.
INTEGER = Range(0, 1_000_000_000)
# A database id given as a filter: the keys are 64-bit (BigAutoField), and SQLite cannot even compare with a larger
# number, so a bigger one is refused before it reaches a query.
DATABASE_ID = Range(1, 2**63 - 1)
DECIMAL = Range(Decimal(0), Decimal(1_000_000))

# Numbers whose meaning allows a narrower range, by the rule input's field name (the same name means the same
# thing in every rule).
RULE_FIELDS: dict[str, Range] = {
    "max_days": Range(1, 36_600),
    "grant_year": Range(EARLIEST_DATE.year, LATEST_DATE.year),
    "act_fact_grant_year": Range(0, LATEST_DATE.year),
    "barred_from_year": Range(EARLIEST_DATE.year, LATEST_DATE.year),
    "barred_to_year": Range(EARLIEST_DATE.year, LATEST_DATE.year),
    "project_year": Range(1, 100),
    "earlier_scheme_project_year": Range(0, 100),
    "total": Range(0, 1_000),
    "fte": Range(Decimal(0), Decimal(10_000)),
    "specialist_fte": Range(Decimal(0), Decimal(10_000)),
    "staff_ips_experience_years": Range(Decimal(0), Decimal(100)),
}


def number_range(name: str, kind: type[int] | type[Decimal]) -> Range:
    """The accepted range for the rule input field `name` of type `kind`."""
    return RULE_FIELDS.get(name, INTEGER if kind is int else DECIMAL)


def date_problem(value: date) -> str | None:
    """A bokmål message if `value` lies outside the accepted dates, else None."""
    if EARLIEST_DATE <= value <= LATEST_DATE:
        return None
    return f"Datoen må ligge mellom {EARLIEST_DATE:%d.%m.%Y} og {LATEST_DATE:%d.%m.%Y}."


def number_problem(value: int | Decimal, accepted: Range) -> str | None:
    """A bokmål message if `value` lies outside `accepted` or has too many decimals, else None."""
    if isinstance(value, Decimal) and not value.is_finite():
        return "Må være et tall."
    if isinstance(value, Decimal) and -int(value.normalize().as_tuple().exponent) > DECIMAL_PLACES:
        return f"Tallet kan ha høyst {DECIMAL_PLACES} desimaler."
    if not accepted.low <= value <= accepted.high:
        return f"Tallet må ligge mellom {accepted.low} og {accepted.high}."
    return None


def has_control_characters(value: object) -> bool:
    """Whether any string in `value` (a string, or a decoded JSON or YAML structure, keys included) holds one."""
    return any(CONTROL_CHARACTERS.search(text) for text in _strings(value))


def _strings(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)

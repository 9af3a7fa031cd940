"""Reporting periods (year, quarter, month) and the levels figures are broken down by.

A period is a closed range of days, ``start`` to ``end`` inclusive; its slug ("2024", "2024-K2", "2024-03") is what URLs
and forms carry. Reports are per calendar year as of 31 December (regelverket pkt. 6); quarters and months use the same
definitions over a shorter range.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class PeriodKind(models.TextChoices):
    YEAR = "year", gettext_lazy("År")
    QUARTER = "quarter", gettext_lazy("Kvartal")
    MONTH = "month", gettext_lazy("Måned")


_SLUG = re.compile(r"^(?P<year>\d{4})(?:-K(?P<quarter>[1-4])|-(?P<month>0[1-9]|1[0-2]))?$")


@dataclass(frozen=True, order=True)
class ReportingPeriod:
    kind: str
    year: int
    number: int = 1  # the quarter (1-4) or month (1-12); 1 for a year

    def __post_init__(self) -> None:
        limit = {PeriodKind.YEAR: 1, PeriodKind.QUARTER: 4, PeriodKind.MONTH: 12}.get(self.kind)
        if limit is None or not 1 <= self.number <= limit or not 1900 <= self.year <= 9999:
            raise ValueError("Ugyldig periode.")

    @classmethod
    def for_year(cls, year: int) -> ReportingPeriod:
        return cls(PeriodKind.YEAR, year)

    @classmethod
    def for_quarter(cls, year: int, quarter: int) -> ReportingPeriod:
        return cls(PeriodKind.QUARTER, year, quarter)

    @classmethod
    def for_month(cls, year: int, month: int) -> ReportingPeriod:
        return cls(PeriodKind.MONTH, year, month)

    @classmethod
    def containing(cls, kind: str, day: date) -> ReportingPeriod:
        if kind == PeriodKind.QUARTER:
            return cls.for_quarter(day.year, (day.month - 1) // 3 + 1)
        if kind == PeriodKind.MONTH:
            return cls.for_month(day.year, day.month)
        return cls.for_year(day.year)

    @classmethod
    def parse(cls, slug: str) -> ReportingPeriod:
        """ "2024", "2024-K2" or "2024-03"; ValueError for anything else."""
        match = _SLUG.match(slug or "")
        if not match:
            raise ValueError("Ugyldig periode.")
        year = int(match["year"])
        if match["quarter"]:
            return cls.for_quarter(year, int(match["quarter"]))
        if match["month"]:
            return cls.for_month(year, int(match["month"]))
        return cls.for_year(year)

    @property
    def start(self) -> date:
        if self.kind == PeriodKind.QUARTER:
            return date(self.year, 3 * self.number - 2, 1)
        if self.kind == PeriodKind.MONTH:
            return date(self.year, self.number, 1)
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        if self.kind == PeriodKind.QUARTER:
            month = 3 * self.number
        elif self.kind == PeriodKind.MONTH:
            month = self.number
        else:
            month = 12
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def slug(self) -> str:
        if self.kind == PeriodKind.QUARTER:
            return f"{self.year}-K{self.number}"
        if self.kind == PeriodKind.MONTH:
            return f"{self.year}-{self.number:02d}"
        return str(self.year)

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.QUARTER:
            return _("%(quarter)s. kvartal %(year)s") % {"quarter": self.number, "year": self.year}
        if self.kind == PeriodKind.MONTH:
            return date_format(self.start, "F Y")
        return str(self.year)

    def shift(self, steps: int) -> ReportingPeriod:
        """The period ``steps`` periods later (earlier when negative), of the same kind."""
        per_year = {PeriodKind.YEAR: 1, PeriodKind.QUARTER: 4, PeriodKind.MONTH: 12}[self.kind]
        index = self.year * per_year + self.number - 1 + steps
        return ReportingPeriod(self.kind, index // per_year, index % per_year + 1)

    def subperiods(self, kind: str) -> Iterator[ReportingPeriod]:
        """The quarters or months that make up this period."""
        period = ReportingPeriod.containing(kind, self.start)
        while period.start <= self.end:
            yield period
            period = period.shift(1)


def birth_date_cutoff(on: date, years: int) -> date:
    """The latest birth date of a person who is at least ``years`` old on ``on``.

    Age follows ``rules.dates.age_on`` (a 29 February birthday is kept on 28 February in other years), so the
    figures count the same ages as the rules do: age >= years exactly when birth_date <= this date.
    """
    candidate_year = on.year - years
    if on.month == 2 and on.day == 28 and calendar.isleap(candidate_year):
        # A 29 February birth turns ``years`` on 28 February of a non-leap year (and on the 29th of a leap year).
        return date(candidate_year, 2, 29) if not calendar.isleap(on.year) else date(candidate_year, 2, 28)
    if on.month == 2 and on.day == 29 and not calendar.isleap(candidate_year):
        return date(candidate_year, 2, 28)
    return on.replace(year=candidate_year)


class Level(models.TextChoices):
    """The levels a figure can be given for, from the whole country down to one job specialist's caseload."""

    NATIONAL = "nasjonal", gettext_lazy("Hele landet")
    HEALTH_REGION = "helseregion", gettext_lazy("Helseregion")
    COUNTY = "fylke", gettext_lazy("Fylke")
    MUNICIPALITY = "kommune", gettext_lazy("Kommune")
    SERVICE = "tilbud", gettext_lazy("IPS-tilbud")
    TEAM = "team", gettext_lazy("Behandlingsteam")
    JOB_SPECIALIST = "jobbspesialist", gettext_lazy("Jobbspesialist")

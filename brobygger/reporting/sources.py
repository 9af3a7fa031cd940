"""Where a user's figures come from: computed live for a leader's own services, published (suppressed) figures for
roles without access to personal data. Pages, exports and the PDF all ask here, so they always agree."""

from __future__ import annotations

from dataclasses import dataclass

from brobygger.accounts.models import User
from brobygger.reporting import access, indicators, published
from brobygger.reporting.models import PublishedFigures
from brobygger.reporting.periods import ReportingPeriod
from brobygger.reporting.tables import Row, rows_from_published, rows_from_report


@dataclass
class Figures:
    units: list[Row]
    total: Row | None
    suppressed: bool
    publication: PublishedFigures | None = None

    @property
    def missing(self) -> bool:
        """Published figures are asked for, but the period has not been computed yet."""
        return self.suppressed and self.publication is None


def figures_for(user: User, period: ReportingPeriod, level: str) -> Figures:
    if access.sees_published_only(user):
        publication = published.published_for(period)
        if publication is None:
            return Figures([], None, True)
        units, total = rows_from_published(publication.data, level)
        return Figures(units, total, True, publication)
    report = indicators.report(period, level, access.statistics_scope(user))
    units, total = rows_from_report(report)
    return Figures(units, total, False)

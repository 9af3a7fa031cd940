"""Where a user's figures come from: computed live for a leader's own services, published (suppressed) figures for
roles without access to personal data. Pages, exports and the PDF all ask here, so they always agree."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from brobygger.accounts.models import User
from brobygger.audit.services import trail_version
from brobygger.reporting import access, indicators, published
from brobygger.reporting.models import PublishedFigures
from brobygger.reporting.periods import Level, ReportingPeriod
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
    units, total = rows_from_report(live_report(period, level, access.statistics_scope(user)))
    return Figures(units, total, False)


# Live reports, per process. A leader's figures are computed from the data, not published, and computing them is
# most of the statistics page (fifteen grouped queries); they change only when the data do, and every write records
# an audit event in its transaction, as published.last_data_change relies on too. So the audit trail's version, the
# day and the language (unit and total labels) are part of the key, and a request recomputes only after a write.
# Readers never modify a report.
_LIVE_KEPT = 64
_live: OrderedDict[tuple, indicators.Report] = OrderedDict()
_live_lock = threading.Lock()


def live_report(period: ReportingPeriod, level: str, scope: indicators.Scope) -> indicators.Report:
    """``indicators.report`` for the scope as the data stand now, computed once per change of the data."""
    key = (period.slug, level, scope, timezone.localdate(), get_language(), trail_version())
    with _live_lock:
        report = _live.get(key)
        if report is not None:
            _live.move_to_end(key)
            return report
    report = indicators.report(period, level, scope)
    with _live_lock:
        _live[key] = report
        while len(_live) > _LIVE_KEPT:
            _live.popitem(last=False)
    return report


def forget_live_reports() -> None:
    with _live_lock:
        _live.clear()


def employment_figures(
    user: User, quarters: list[ReportingPeriod], level: str
) -> list[tuple[ReportingPeriod, Figures]]:
    """The quarterly employment rate per quarter, from the same sources as ``figures_for``.

    Live for a leader, only the rate is computed (two grouped queries per quarter and one for the unit names)
    instead of a full report per quarter; published figures are read as they are."""
    if access.sees_published_only(user):
        return [(quarter, figures_for(user, quarter, level)) for quarter in quarters]
    scope = access.statistics_scope(user)
    series = indicators.employment_rate_series(quarters, level, scope)
    totals = indicators.employment_rate_series(quarters, Level.NATIONAL, scope)
    labels = indicators.unit_labels(level, {key for _quarter, units in series for key in units})
    result = []
    for (quarter, units), (_same, total) in zip(series, totals, strict=True):
        rows = [Row(key, labels.get(key, str(key)), figures) for key, figures in units.items()]
        total_figures = total.get("", {"deltakere": 0, "arbeid": 0, "andel_arbeid": None})
        result.append((quarter, Figures(rows, Row("", _("I alt"), total_figures, is_total=True), False)))
    return result

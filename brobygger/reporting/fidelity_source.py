"""Fidelity totals for the reports, read from the fidelity app's reviews (issue 5) when it is installed.

Only finalised reviews count, and per IPS service only the most recent one reviewed on or before the period's last
day, whatever the scale's version: a correction supersedes what it corrects, so the superseded review is skipped.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import Avg, BooleanField, Count, F, OuterRef, Q, Subquery, Value

from brobygger import compiled
from brobygger.accounts.models import IpsService
from brobygger.reporting.periods import Level, ReportingPeriod

SERVICE_PATHS: dict[str, str | None] = {
    Level.NATIONAL: None,
    Level.HEALTH_REGION: "health_region",
    Level.SERVICE: "id",
}


def review_model():
    """The fidelity Review model, or None while the fidelity app is not installed."""
    if not apps.is_installed("brobygger.fidelity"):
        return None
    try:
        return apps.get_model("fidelity", "Review")
    except LookupError:
        return None


def _latest(review, period: ReportingPeriod, field: str) -> Subquery:
    """A field of the service's latest finalised review on or before the period's last day."""
    return Subquery(
        review.objects.filter(service=OuterRef("pk"), status="finalised", review_date__lte=period.end)
        .order_by("-review_date", "-pk")
        .values(field)[:1]
    )


def latest_totals(period: ReportingPeriod, scope) -> Any:
    """IPS services annotated with their latest finalised fidelity total on the period's last day (or None)."""
    review = review_model()
    services = IpsService.objects.filter(scope.q("id"))
    if review is None:
        return services.annotate(latest_total=Value(None))
    return services.annotate(latest_total=_latest(review, period, "total"))


def latest_reviews(period: ReportingPeriod, scope) -> Any:
    """As ``latest_totals``, and whether that same review found approved quality (``latest_approved``; the flag the
    fidelity app stored from the scale's bands when the review was submitted: a total of 74 or more on IPS-25)."""
    review = review_model()
    services = latest_totals(period, scope)
    if review is None:
        return services.annotate(latest_approved=Value(None, output_field=BooleanField()))
    return services.annotate(latest_approved=_latest(review, period, "approved"))


def fidelity_by_unit(period: ReportingPeriod, level: str, scope) -> dict[Any, dict[str, Any]]:
    """One query: per unit, the average of its services' latest fidelity totals and how many services have one."""
    if level not in SERVICE_PATHS or review_model() is None:
        return {}
    return {
        row["unit_key"]: {"modelltrohet": float(row["modelltrohet"]), "tilbud_vurdert": row["tilbud_vurdert"]}
        for row in compiled.values(_fidelity_query, period, level, scope)
        if row["tilbud_vurdert"]
    }


def _fidelity_query(period: ReportingPeriod, level: str, scope) -> Any:
    path = SERVICE_PATHS[level]
    return (
        latest_totals(period, scope)
        .annotate(unit_key=Value("") if path is None else F(path))
        .values("unit_key")
        .annotate(
            modelltrohet=Avg("latest_total"),
            tilbud_vurdert=Count("pk", filter=Q(latest_total__isnull=False)),
        )
        .order_by()
    )

"""The review schedule: when each service is next due, and which are overdue or coming up, per health region.

Every 6 months until the service reaches good fidelity, then yearly (rule "modelltrohet-neste-maling" for IPS-25
totals, "modelltrohet-maleplan" for other scales and for services not yet reviewed).
"""

from dataclasses import dataclass
from datetime import date
from itertools import groupby

from django.db.models import QuerySet

from brobygger.accounts.models import HealthRegion, IpsService
from brobygger.fidelity.models import Review
from brobygger.fidelity.scales import rules_on
from brobygger.fidelity.services import next_review
from brobygger.regelverk.services import rule_evaluate
from brobygger.rules.base import RuleResult

# A review due within this many days is listed as coming up.
UPCOMING_DAYS = 90
OVERDUE, UPCOMING, LATER = "overdue", "upcoming", "later"


@dataclass(frozen=True)
class ScheduleRow:
    service: IpsService
    latest: Review | None
    in_progress: Review | None
    result: RuleResult

    @property
    def due(self) -> date:
        return self.result.details["next_review"]  # type: ignore[return-value]

    @property
    def days_left(self) -> int:
        return (self.due - self.result.on).days

    @property
    def status(self) -> str:
        if self.result.outcome == "forfalt":
            return OVERDUE
        return UPCOMING if self.days_left <= UPCOMING_DAYS else LATER


def latest_finalised(services: QuerySet[IpsService]) -> dict[int, Review]:
    """The current finalised review of each service (a corrected one is replaced by its correction)."""
    reviews = (
        Review.objects.filter(service__in=services, status=Review.Status.FINALISED)
        .select_related("scale", "service")
        .order_by("service_id", "-review_date", "-version", "-pk")
    )
    latest: dict[int, Review] = {}
    for review in reviews:
        latest.setdefault(review.service_id, review)
    return latest


def _in_progress(services: QuerySet[IpsService]) -> dict[int, Review]:
    reviews = Review.objects.filter(
        service__in=services, status__in=[Review.Status.DRAFT, Review.Status.SUBMITTED], corrects__isnull=True
    ).order_by("service_id", "review_date")
    found: dict[int, Review] = {}
    for review in reviews:
        found.setdefault(review.service_id, review)
    return found


def schedule_row(service: IpsService, latest: Review | None, in_progress: Review | None, on: date) -> ScheduleRow:
    if latest is not None:
        result = next_review(latest, on)
    else:
        result = rule_evaluate(
            rule_id="modelltrohet-maleplan",
            inputs={"on": rules_on(on), "service_start": service.start_date},
        )
    return ScheduleRow(service=service, latest=latest, in_progress=in_progress, result=result)


def schedule(services: QuerySet[IpsService], on: date) -> list[tuple[str, list[ScheduleRow]]]:
    """The schedule per health region, each region's services by due date."""
    latest = latest_finalised(services)
    in_progress = _in_progress(services)
    rows = [schedule_row(service, latest.get(service.pk), in_progress.get(service.pk), on) for service in services]
    regions = dict(HealthRegion.choices)
    rows.sort(key=lambda row: (str(regions[row.service.health_region]), row.due, row.service.name))
    return [
        (str(regions[region]), list(group))
        for region, group in groupby(rows, key=lambda row: row.service.health_region)
    ]

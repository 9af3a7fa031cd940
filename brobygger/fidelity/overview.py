"""Read-side views of finalised reviews: a service's history, a comparison of services, and the item heat map.

Only finalised, current reviews count (a corrected review is replaced by its correction). The queries take the
reviews the user may see, so the pages never show more than access.py allows.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from brobygger.accounts.models import HealthRegion, IpsService
from brobygger.fidelity import charts
from brobygger.fidelity.models import Review, ReviewItem, Scale, ScaleItem
from brobygger.fidelity.schedule import latest_finalised

TENTH = Decimal("0.1")


def mean(total: int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(TENTH, rounding=ROUND_HALF_UP)


def max_total(review: Review) -> int:
    return sum(group["max"] for group in review.group_results)


@dataclass(frozen=True)
class History:
    key: str
    scale_name: str
    groups: list[str]
    reviews: list[Review]
    chart: charts.LineChart


def history(reviews: QuerySet[Review]) -> list[History]:
    """A service's finalised reviews over time, per scale: totals, and the mean item score overall and per section."""
    ordered = sorted(reviews.select_related("scale"), key=lambda r: (r.scale.key, r.review_date, r.version))
    result = []
    for key, group in groupby(ordered, key=lambda review: review.scale.key):
        rows = list(group)
        names = [entry["name"] for entry in rows[-1].group_results]
        series: list[tuple[str, list[Any]]] = [
            (_("Totalt"), [mean(review.total or 0, max_total(review) // 5) for review in rows])
        ]
        for name in names:
            values = []
            for review in rows:
                entry = next((e for e in review.group_results if e["name"] == name), None)
                values.append(mean(entry["total"], entry["max"] // 5) if entry else None)
            series.append((name, values))
        chart = charts.line_chart([review.review_date.strftime("%d.%m.%Y") for review in rows], series, 1, 5)
        result.append(History(key=key, scale_name=rows[-1].scale.name, groups=names, reviews=rows, chart=chart))
    return result


@dataclass(frozen=True)
class ComparisonRow:
    service: IpsService
    latest: Review
    previous: Review | None

    @property
    def percent(self) -> Decimal:
        return (Decimal(100 * (self.latest.total or 0)) / Decimal(max_total(self.latest))).quantize(TENTH)

    @property
    def change(self) -> int | None:
        if self.previous is None or self.previous.scale.key != self.latest.scale.key:
            return None
        return (self.latest.total or 0) - (self.previous.total or 0)


def comparison(services: QuerySet[IpsService], reviews: QuerySet[Review]) -> list[tuple[str, list[ComparisonRow], Any]]:
    """Per health region: each service's latest finalised review, the change since the one before, and a bar chart."""
    latest = latest_finalised(services.filter(pk__in=reviews.values("service")))
    previous: dict[int, Review] = {}
    for review in (
        reviews.exclude(pk__in=[r.pk for r in latest.values()])
        .select_related("scale")
        .order_by("service_id", "-review_date", "-version")
    ):
        previous.setdefault(review.service_id, review)
    rows = [ComparisonRow(review.service, review, previous.get(service_id)) for service_id, review in latest.items()]
    regions = dict(HealthRegion.choices)
    rows.sort(key=lambda row: (str(regions[row.service.health_region]), row.service.name))
    grouped = []
    for region, group in groupby(rows, key=lambda row: row.service.health_region):
        region_rows = list(group)
        chart = charts.bar_chart(
            [
                (
                    row.service.name,
                    row.percent,
                    f"{row.latest.total} ({charts._fmt(row.percent)} %)",
                    1 if row.latest.approved else 2,
                )
                for row in region_rows
            ],
            100,
        )
        grouped.append((str(regions[region]), region_rows, chart))
    return grouped


@dataclass(frozen=True)
class HeatRow:
    item: ScaleItem
    cells: list[int | None]
    mean: Decimal | None


def heatmap(services: QuerySet[IpsService], reviews: QuerySet[Review], scale_key: str) -> dict[str, Any]:
    """Item scores across services from each service's latest finalised review on the scale: where items are weak."""
    latest: dict[int, Review] = {}
    for review in (
        reviews.filter(scale__key=scale_key, service__in=services, status=Review.Status.FINALISED)
        .select_related("service", "scale")
        .order_by("service_id", "-review_date", "-version", "-pk")
    ):
        latest.setdefault(review.service_id, review)
    chosen = sorted(latest.values(), key=lambda review: review.service.name)
    scale = Scale.objects.filter(key=scale_key).order_by("-valid_from", "-pk").first()
    if scale is None or not chosen:
        return {"scale": scale, "reviews": [], "rows": [], "weakest": []}
    scores: dict[tuple[int, int], int | None] = {
        (row["review_id"], row["item__number"]): row["score"]
        for row in ReviewItem.objects.filter(review__in=chosen).values("review_id", "item__number", "score")
    }
    rows = []
    for item in scale.items.order_by("number"):
        cells = [scores.get((review.pk, item.number)) for review in chosen]
        present = [cell for cell in cells if cell is not None]
        rows.append(HeatRow(item=item, cells=cells, mean=mean(sum(present), len(present))))
    weakest = sorted((row for row in rows if row.mean is not None), key=lambda row: (row.mean, row.item.number))[:3]
    return {"scale": scale, "reviews": chosen, "rows": rows, "weakest": weakest}


def scale_keys(reviews: QuerySet[Review]) -> list[tuple[str, str]]:
    """The scales that have finalised reviews, as (key, name of the newest version)."""
    names: dict[str, str] = defaultdict(str)
    for key, name in reviews.order_by("scale__valid_from").values_list("scale__key", "scale__name"):
        names[key] = name
    return sorted(names.items(), key=lambda pair: pair[1])

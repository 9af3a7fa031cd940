"""/api/v1/statistics/: the published figures, small cells suppressed, as the statistics pages show them.

Only published figures leave through the API, for every statistics role: they are computed for all levels of a
period together, so no two answers can be combined to undo the suppression (see reporting/suppression.py).
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.security import django_auth

from brobygger.reporting import access
from brobygger.reporting.models import PublishedFigures

router = Router(tags=["Statistikk"], auth=django_auth)


class PublishedOut(Schema):
    period: str
    computed_at: datetime


class PublishedFiguresOut(PublishedOut):
    data: dict[str, Any]


def _require_statistics(request: HttpRequest) -> None:
    allowed, reason = access.can_view_statistics(request.user)
    if not allowed:
        raise PermissionDenied(reason)


@router.get("/published", response=list[PublishedOut], summary="Perioder med publiserte tall")
def published_periods(request: HttpRequest):
    _require_statistics(request)
    return PublishedFigures.objects.only("period", "computed_at")


@router.get("/published/{period}", response=PublishedFiguresOut, summary="Publiserte tall for én periode")
def published_figures(request: HttpRequest, period: str):
    _require_statistics(request)
    published = PublishedFigures.objects.filter(period=period).first()
    if published is None:
        raise Http404
    allowed_levels = set(access.levels_for(request.user))
    levels = {level: rows for level, rows in published.data["levels"].items() if level in allowed_levels}
    return {
        "period": published.period,
        "computed_at": published.computed_at,
        "data": published.data | {"levels": levels},
    }

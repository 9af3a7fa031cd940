"""/api/v1/fidelity/: finalised fidelity totals and levels, for grant reports and other systems.

Read-only, through fidelity.access: reviewers and a service's own staff get their services' finalised reviews,
grant officers and analysts every service's totals and levels (measures A and C report them). Item scores and
evidence notes stay on the pages, where the same access rules decide who sees them.
"""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.security import django_auth

from brobygger.fidelity import access
from brobygger.fidelity.models import Review
from brobygger.rules.bounds import DATABASE_ID

router = Router(tags=["Modelltrohet"], auth=django_auth)


class GroupResultOut(Schema):
    key: str
    name: str
    total: int | None = None
    max: int | None = None
    level_label: str | None = None


class ReviewTotalOut(Schema):
    id: int
    service_id: int
    service: str
    scale: str
    review_type: str
    review_date: date
    period_start: date
    period_end: date
    version: int
    total: int | None
    level: str
    level_label: str
    approved: bool | None
    next_review_due: date | None
    groups: list[GroupResultOut]

    @staticmethod
    def resolve_service(review: Review) -> str:
        return review.service.name

    @staticmethod
    def resolve_scale(review: Review) -> str:
        return review.scale.key

    @staticmethod
    def resolve_groups(review: Review) -> list[dict[str, Any]]:
        return review.group_results


@router.get("/reviews", response=list[ReviewTotalOut], summary="Ferdigstilte målinger: totalskår og nivå")
def finalised_reviews(
    request: HttpRequest,
    service_id: int | None = Query(None, ge=DATABASE_ID.low, le=DATABASE_ID.high, description="IPS-tilbudets id"),
):
    allowed, reason = access.can_view_fidelity(request.user)
    if not allowed:
        raise PermissionDenied(reason)
    reviews = access.comparable_reviews(request.user).select_related("service", "scale")
    if service_id is not None:
        reviews = reviews.filter(service_id=service_id)
    return reviews.order_by("service__name", "review_date", "version")

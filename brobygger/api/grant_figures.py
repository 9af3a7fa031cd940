"""/api/v1/grants/figures/: the figures for the Ministry, as the page /tilskudd/tall/ shows them.

For grant officers and analysts. The tables are the page's: IPS services anchored in the health and care service
and approved fidelity, participants per year and by health region (the published, suppressed figures: a hidden
count is null and named in ``hidden``), and the money by year, measure and health region (whole kroner). Reading
queues nothing: until the year's published figures are computed (the page and the statistics pages queue them),
``people_missing`` is true and the participant tables are left out.
"""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.security import django_auth
from pydantic import Field

from brobygger.grants import access
from brobygger.grants import figures as ministry

router = Router(tags=["Tilskudd"], auth=django_auth)


class ColumnOut(Schema):
    key: str
    label: str


class RowOut(Schema):
    key: str
    label: str
    is_total: bool
    values: dict[str, int | Decimal | float | None]
    hidden: list[str]


class TableOut(Schema):
    id: str
    title: str
    caption: str
    columns: list[ColumnOut]
    rows: list[RowOut]


class FiguresOut(Schema):
    year: int
    years: list[int]
    people_missing: bool
    people_computed_at: datetime | None
    tables: list[TableOut]


class YearQuery(Schema):
    year: int | None = Field(
        None, ge=ministry.FIRST_YEAR, le=ministry.LAST_YEAR, description="Året; uten: siste hele år."
    )


def _table(table) -> dict:
    return {
        "id": table.section.id,
        "title": str(table.section.title),
        "caption": table.caption,
        "columns": [{"key": key, "label": label} for key, label in table.columns],
        "rows": [
            {"key": str(key), "label": label, "is_total": total, "values": values, "hidden": hidden}
            for key, label, total, values, hidden in ministry.table_rows(table)
        ],
    }


@router.get("/", response=FiguresOut, summary="Tall for departementet for ett år")
def figures(request: HttpRequest, query: Query[YearQuery]):
    allowed, reason = access.can_view_figures(request.user)
    if not allowed:
        raise PermissionDenied(reason)
    year = query.year or ministry.default_year(timezone.localdate())
    result = ministry.ministry_figures(request.user, year)
    publication = result.people.figures.publication
    return {
        "year": result.year,
        "years": result.years,
        "people_missing": result.people.missing,
        "people_computed_at": publication.computed_at if publication else None,
        "tables": [_table(table) for table in result.tables],
    }

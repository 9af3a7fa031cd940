"""Published figures: every level of one period computed together and suppressed together (suppression.py).

Roles without access to personal data see only these, down to the IPS service and the municipality (team and job
specialist figures are for the service's own leader). All levels are suppressed as one table, with the relations
between them (a health region is the sum of its services, a county of its municipalities, the country of its
regions and of its counties), so that a reader who puts two pages side by side cannot undo what either hides. The
IPS ung figures by region and age group are part of the same table.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.utils import timezone

from brobygger.accounts.models import IpsService, Municipality, User
from brobygger.audit.models import AuditEvent
from brobygger.participants.models import Period
from brobygger.reporting import indicators
from brobygger.reporting.indicators import (
    AGE_GROUPS,
    AVERAGE,
    COUNT,
    MEASURES,
    NATIONAL,
    ROW_RELATIONS,
    SHARE,
)
from brobygger.reporting.models import PublishedFigures
from brobygger.reporting.periods import Level, ReportingPeriod
from brobygger.reporting.suppression import Relation, suppress

# The order levels are computed in, and each level's parent.
LEVELS = (Level.NATIONAL, Level.HEALTH_REGION, Level.SERVICE, Level.COUNTY, Level.MUNICIPALITY)
PARENT = {
    Level.HEALTH_REGION: Level.NATIONAL,
    Level.SERVICE: Level.HEALTH_REGION,
    Level.COUNTY: Level.NATIONAL,
    Level.MUNICIPALITY: Level.COUNTY,
}
PEOPLE_COUNTS = tuple(m.id for m in MEASURES.values() if m.kind == COUNT and m.counts_people)
UNG_MEASURES = ("deltakere", "arbeid", "utdanning", "arbeid_eller_utdanning")
UNG_LEVELS = (Level.NATIONAL, Level.HEALTH_REGION)
ALL_AGES = "alle"


def _parents(level: str, keys) -> dict[Any, Any]:
    """The parent unit of each unit of ``level`` (one query)."""
    keys = [key for key in keys if key is not None]
    if level in (Level.HEALTH_REGION, Level.COUNTY):
        return dict.fromkeys(keys, "")
    if level == Level.SERVICE:
        return dict(IpsService.objects.filter(pk__in=keys).values_list("pk", "health_region"))
    if level == Level.MUNICIPALITY:
        return dict(Municipality.objects.filter(pk__in=keys).values_list("pk", "county_id"))
    return {}


def _ung_cube(period: ReportingPeriod) -> dict[tuple[str, Any, str], int]:
    """IPS ung participants (track), per level, unit and age group, with work and education: cell -> count."""
    cells = {}
    for level in UNG_LEVELS:
        for row in indicators.participant_cube(period, level, NATIONAL, track=Period.Track.IPS_UNG):
            for measure in UNG_MEASURES:
                for age in (row["age_group"], ALL_AGES):
                    cell = ("ung", level, row["unit_key"], age, measure)
                    cells[cell] = cells.get(cell, 0) + row[measure]
    return cells


def compute(period: ReportingPeriod, progress: Callable[[int, str], None] | None = None) -> dict[str, Any]:
    """Every level's figures for ``period``, suppressed as one table. A fixed number of queries per level."""
    progress = progress or (lambda percent, message: None)
    per_level: dict[str, dict[Any, dict[str, Any]]] = {}
    for number, level in enumerate(LEVELS):
        progress(5 + 60 * number // len(LEVELS), str(Level(level).label))
        per_level[level] = indicators.figures_by_unit(period, level, NATIONAL)
    progress(65, "IPS ung")
    ung = _ung_cube(period)

    values: dict[Any, int] = {}
    for level, units in per_level.items():
        for key, figures in units.items():
            for measure in PEOPLE_COUNTS:
                if figures.get(measure) is not None:
                    values[(level, key, measure)] = figures[measure]
    values.update(ung)

    relations: list[Relation] = []
    for level, units in per_level.items():
        for key in units:
            for total, parts in ROW_RELATIONS:
                relations.append(Relation((level, key, total), tuple((level, key, part) for part in parts)))
        parent_level = PARENT.get(level)
        if parent_level is None:
            continue
        parents = _parents(level, units)
        children: dict[Any, list[Any]] = {}
        for key in units:
            children.setdefault(parents.get(key, "") if parent_level != Level.NATIONAL else "", []).append(key)
        if level == Level.JOB_SPECIALIST:
            # Periods with no job specialist, and specialists outside any unit, still add up to the country.
            children_of_country = list(units)
            for measure in PEOPLE_COUNTS:
                relations.append(
                    Relation((Level.NATIONAL, "", measure), tuple((level, key, measure) for key in children_of_country))
                )
        for parent, keys in children.items():
            if parent is None:
                continue
            for measure in PEOPLE_COUNTS:
                relations.append(Relation((parent_level, parent, measure), tuple((level, k, measure) for k in keys)))
    for level in UNG_LEVELS:
        units = {cell[2] for cell in ung if cell[1] == level}
        for key in units:
            for measure in UNG_MEASURES:
                parts = tuple(("ung", level, key, age, measure) for age in AGE_GROUPS)
                relations.append(Relation(("ung", level, key, ALL_AGES, measure), parts))
    for age in (*AGE_GROUPS, ALL_AGES):
        for measure in UNG_MEASURES:
            regions = tuple(
                cell for cell in ung if cell[1] == Level.HEALTH_REGION and cell[3] == age and cell[4] == measure
            )
            relations.append(Relation(("ung", Level.NATIONAL, "", age, measure), regions))
    # IPS ung is part of all participants: the rest (IPS) is unpublished, so the relation is modelled with a cell
    # standing for it that counts as shown, which can only make the suppression stricter.
    pairs = [
        *((ALL_AGES, m, m) for m in UNG_MEASURES),
        *((a, "deltakere", indicators.AGE_MEASURES[a]) for a in AGE_GROUPS),
    ]
    for age, measure, all_measure in pairs:
        for level in UNG_LEVELS:
            for key, figures in per_level[level].items():
                ung_cell = ("ung", level, key, age, measure)
                rest = ("rest", level, key, age, measure)
                values[rest] = figures.get(all_measure, 0) - ung.get(ung_cell, 0)
                values.setdefault(ung_cell, 0)
                relations.append(Relation((level, key, all_measure), (ung_cell, rest)))

    # IPS ung: 16-year-olds registered per month (seed 002); the months add up to the period's total.
    sixteen = indicators.sixteen_year_olds_by_month(period, Level.NATIONAL).get("", {})
    months = [sub.slug for sub in period.subperiods("month")]
    for month in months:
        values[("seksten", month)] = sixteen.get(month, 0)
    values[("seksten", "total")] = sum(sixteen.values())
    relations.append(Relation(("seksten", "total"), tuple(("seksten", month) for month in months)))

    progress(70, "skjuler små tall")
    hidden = suppress(values, relations)
    progress(90, "lagrer")
    data = _serialise(period, per_level, ung, hidden)
    data["sixteen"] = {
        "months": [[month, None if ("seksten", month) in hidden else values[("seksten", month)]] for month in months],
        "total": None if ("seksten", "total") in hidden else values[("seksten", "total")],
    }
    return data


def _serialise(period, per_level, ung, hidden) -> dict[str, Any]:
    levels = {}
    for level, units in per_level.items():
        labels = indicators.unit_labels(level, units)
        rows = []
        for key, figures in units.items():
            figures = indicators.with_shares(dict(figures))
            hidden_here = sorted(m for m in figures if (level, key, m) in hidden)
            hidden_here += _derived_hidden(figures, set(hidden_here))
            rows.append(
                {
                    "key": key,
                    "label": labels.get(key, str(key)),
                    "figures": {m: (None if m in hidden_here else v) for m, v in figures.items()},
                    "hidden": sorted(set(hidden_here)),
                }
            )
        rows.sort(key=lambda row: (row["key"] is None, row["label"]))
        levels[level] = rows
    ung_rows = {}
    for (_, level, key, age, measure), value in ung.items():
        row = ung_rows.setdefault(f"{level}|{key or ''}|{age}", {"level": level, "key": key, "age": age})
        cell = ("ung", level, key, age, measure)
        row[measure] = None if cell in hidden else value
    for row in ung_rows.values():
        for measure in ("arbeid", "utdanning", "arbeid_eller_utdanning"):
            if row.get(measure) is not None and row.get("deltakere"):
                row[f"andel_{measure}"] = 100 * row[measure] / row["deltakere"]
            else:
                row[f"andel_{measure}"] = None
    return {
        "period": period.slug,
        "levels": levels,
        "ips_ung": sorted(ung_rows.values(), key=lambda r: (r["level"], str(r["key"]), r["age"])),
        "municipalities_in_country": indicators.municipality_count(period.end),
        "hidden_cells": len([cell for cell in hidden if cell[0] != "rest"]),
    }


def _derived_hidden(figures: dict[str, Any], hidden: set[str]) -> list[str]:
    """Shares and averages computed from a hidden count are hidden with it."""
    derived = []
    for measure in MEASURES.values():
        if measure.kind == SHARE and (measure.numerator in hidden or measure.denominator in hidden):
            derived.append(measure.id)
        if measure.kind == AVERAGE and measure.counts_people is False:
            continue
        if measure.kind == AVERAGE and measure.denominator in hidden:
            derived.append(measure.id)
    return [m for m in derived if m in figures]


def publish(period: ReportingPeriod, *, actor: User | None, progress=None) -> PublishedFigures:
    """Compute and store the published figures of a period, replacing earlier ones."""
    # Stamped with the start, so a write made while computing makes the figures out of date.
    started = timezone.now()
    data = compute(period, progress)
    published, _ = PublishedFigures.objects.update_or_create(
        period=period.slug, defaults={"data": data, "computed_at": started, "computed_by": actor}
    )
    return published


# Decoded publications, per process. A publication holds every unit at every level, so fetching and decoding it is
# most of a statistics page's time (the employment page reads eight). It never changes until it is computed again,
# which gives it a new computed_at, so that and its id are the key. Readers never modify the data.
_DECODED_KEPT = 32
_decoded: OrderedDict[tuple[int, datetime], dict[str, Any]] = OrderedDict()
_decoded_lock = threading.Lock()


def published_for(period: ReportingPeriod) -> PublishedFigures | None:
    publication = PublishedFigures.objects.filter(period=period.slug).defer("data").first()
    if publication is None:
        return None
    key = (publication.pk, publication.computed_at)
    with _decoded_lock:
        data = _decoded.get(key)
        if data is not None:
            _decoded.move_to_end(key)
    if data is None:
        data = PublishedFigures.objects.filter(pk=publication.pk).values_list("data", flat=True).get()
        with _decoded_lock:
            _decoded[key] = data
            while len(_decoded) > _DECODED_KEPT:
                _decoded.popitem(last=False)
    publication.data = data
    return publication


def last_data_change() -> datetime | None:
    """When anything the figures come from was last written: asked once per page, however many periods it shows.

    Every write records an audit event in the same transaction, so the audit trail says when the data last changed;
    logins, a user's own settings and reporting's own writes (goals of the trial) change no figure.
    """
    return (
        AuditEvent.objects.exclude(action__in=(AuditEvent.Action.LOGIN, AuditEvent.Action.LOGOUT))
        .exclude(object_type__startswith="reporting.")
        .exclude(object_type="accounts.user")
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )


def is_out_of_date(publication: PublishedFigures, last_change: datetime | None) -> bool:
    """Whether anything the figures come from was written after they were computed (``last_data_change``)."""
    return last_change is not None and last_change > publication.computed_at

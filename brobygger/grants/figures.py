"""Figures for the Ministry (issue 14, item 7): the scheme's indicators (regelverket pkt. 2, seed 001) and its money,
by year, measure and health region, as tables (and chart data) that the page, the XLSX, the PDF and the API share.
docs/indicators.md («Tall for departementet») defines each figure in words.

- **IPS services anchored in the health and care service**, and of those, how many reach **approved fidelity**:
  counts of services, not of people, so never suppressed (docs/indicators.md, small-cell suppression rule 5).
- **Participants per year**, in ordinary paid work and in education, with the psychosis/substance breakdown and the
  age groups: the published, suppressed figures of reporting (``reporting.sources.figures_for``), the very figures
  the statistics pages show grant officers and analysts. Nothing here counts people or suppresses again: a table
  suppressed apart from the published one could be set beside the statistics pages to undo what either hides.
- **Money**: the frame (the year's published or closed calls) and what was granted (the measure amounts of approved
  or notified decisions; a replaced decision no longer counts, the decision replacing it does once approved), by
  the call's year, the measure and the health region of the applicant organisation's county. Whole kroner, Decimal.

- **Paid and repaid**: what left the Directorate (exported payment orders, net of offsets, as the call page counts
  it) and what came back (registered repayments), by the year of the call the decision belongs to. A payment order
  pays a decision, not a measure: a decision's paid and repaid amounts are split over its measures in proportion to
  the amounts granted to each, in whole kroner that add up exactly (largest remainder).

The money is built in ``money_cube``, keyed by (year, measure, region) with the column keys of
``MONEY_YEAR_COLUMNS``, ``MONEY_MEASURE_COLUMNS`` and ``MONEY_REGION_COLUMNS``; the page, XLSX, PDF and API follow
those tuples.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from brobygger.accounts.geography import health_region_of_county
from brobygger.accounts.models import HealthRegion, IpsService, Organisation, TreatmentTeam, User
from brobygger.grants.models import (
    AnnualReport,
    Call,
    Decision,
    DecisionMeasure,
    Measure,
    PaymentOrder,
    Repayment,
    ReportFigure,
)
from brobygger.reporting import exports, fidelity_source, forms, sources, tables
from brobygger.reporting.indicators import NATIONAL, SERVICE_LEVELS
from brobygger.reporting.periods import Level, ReportingPeriod
from brobygger.reporting.tables import HIDDEN, Row, Section, Table

PDF_CSS = Path(__file__).parents[1] / "pdf.css"
# The years one may ask for: those a call may have (the check constraint call_year_bounds).
FIRST_YEAR, LAST_YEAR = 2000, 2100
SERIES_YEARS = 10  # the years of the scheme shown per year, up to the chosen one
GRANTED = (Decision.Status.APPROVED, Decision.Status.NOTIFIED)
# Organisations of the health and care service: the municipality (its mental health and substance services), the
# health trust and the regional health authority; also the applicants the scheme admits (regelverket pkt. 3).
HEALTH_SERVICE_OWNERS = (Organisation.Type.MUNICIPALITY, Organisation.Type.HEALTH_TRUST, Organisation.Type.RHF)
NOT_ASSIGNED = ""  # the region of an organisation without a municipality
REGIONS = tuple(HealthRegion.values)
PEOPLE_SECTIONS = ("deltakere", "resultater", "alder")  # reporting's sections for the regional people tables
REFERENCE = "Regelverk for tilskuddsordningen, pkt. 2 Kriterier for måloppnåelse"
KRONER, COUNT = "kroner", "count"


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    kind: str = COUNT


SERVICE_COLUMNS = (
    Column("services", gettext_lazy("IPS-tilbud i alt")),
    Column("anchored", gettext_lazy("Forankret i helse- og omsorgstjenesten")),
    Column("anchored_municipal", gettext_lazy("av dem kommunale")),
    Column("anchored_specialist", gettext_lazy("av dem i spesialisthelsetjenesten")),
    Column("anchored_act_fact", gettext_lazy("av dem i ACT-/FACT-team")),
    Column("reviewed", gettext_lazy("Forankrede med gjennomgang av modelltrofasthet")),
    Column("approved", gettext_lazy("Forankrede med godkjent kvalitet")),
)
# Participants per year, as regelverket pkt. 2 lists them: all, in ordinary paid work, started or in education, each
# with those with a psychotic disorder and those with substance problems (psychosis first).
PEOPLE_PER_YEAR = (
    "deltakere",
    "deltakere_psykose",
    "deltakere_rus",
    "arbeid",
    "arbeid_psykose",
    "arbeid_rus",
    "utdanning",
    "utdanning_psykose",
    "utdanning_rus",
)
MONEY_YEAR_COLUMNS = (
    Column("frame", gettext_lazy("Budsjettramme (kr)"), KRONER),
    Column("granted_A", gettext_lazy("Innvilget tiltak A (kr)"), KRONER),
    Column("granted_B", gettext_lazy("Innvilget tiltak B (kr)"), KRONER),
    Column("granted_C", gettext_lazy("Innvilget tiltak C (kr)"), KRONER),
    Column("granted", gettext_lazy("Innvilget i alt (kr)"), KRONER),
    Column("remaining", gettext_lazy("Ikke fordelt av rammen (kr)"), KRONER),
    Column("paid", gettext_lazy("Utbetalt (kr)"), KRONER),
    Column("repaid", gettext_lazy("Tilbakebetalt (kr)"), KRONER),
)
MONEY_MEASURE_COLUMNS = (
    Column("granted", gettext_lazy("Innvilget (kr)"), KRONER),
    Column("paid", gettext_lazy("Utbetalt (kr)"), KRONER),
    Column("repaid", gettext_lazy("Tilbakebetalt (kr)"), KRONER),
)
MONEY_REGION_COLUMNS = (
    Column("granted_A", gettext_lazy("Innvilget tiltak A (kr)"), KRONER),
    Column("granted_B", gettext_lazy("Innvilget tiltak B (kr)"), KRONER),
    Column("granted_C", gettext_lazy("Innvilget tiltak C (kr)"), KRONER),
    Column("granted", gettext_lazy("Innvilget i alt (kr)"), KRONER),
    Column("paid", gettext_lazy("Utbetalt (kr)"), KRONER),
    Column("repaid", gettext_lazy("Tilbakebetalt (kr)"), KRONER),
)


# --- Years --------------------------------------------------------------------------------------------------------


def year_choices(today: date) -> list[int]:
    """The years one may ask for, newest first: those of the statistics pages and any year with a call."""
    years = {today.year - n for n in range(forms.YEARS_BACK + 1)}
    years |= set(Call.objects.exclude(status=Call.Status.DRAFT).values_list("year", flat=True))
    return sorted(years, reverse=True)


def default_year(today: date) -> int:
    """The last complete year, as on the statistics pages: the report is per calendar year, due 1 April after."""
    return forms.default_year(today).year


def scheme_years(year: int) -> list[int]:
    """The years shown per year: the scheme's years (with a published or closed call) up to ``year``, and ``year``."""
    called = Call.objects.exclude(status=Call.Status.DRAFT).filter(year__lte=year).values_list("year", flat=True)
    return sorted(set(called) | {year})[-SERIES_YEARS:]


def periods(years: list[int]) -> list[ReportingPeriod]:
    return [ReportingPeriod.for_year(year) for year in years]


def years_label(years: list[int]) -> str:
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"


def region_label(key: str) -> str:
    return str(HealthRegion(key).label) if key in REGIONS else _("Ikke fordelt")


# --- Tables -------------------------------------------------------------------------------------------------------


@dataclass
class PlainRow:
    key: Any
    label: str
    values: dict[str, Any]
    is_total: bool = False


@dataclass
class FigureTable:
    """A table of services or kroner in the shape of reporting's tables (``section``, ``caption``, ``columns``,
    ``body()``, ``chart``), so reporting's partial draws it beside its chart. Nothing in it is hidden."""

    section: Section
    caption: str
    columns: list[tuple[str, str]]
    rows: list[PlainRow]
    chart: dict[str, Any] | None = None
    chart_note: str = ""
    has_hidden: bool = False

    def body(self) -> Iterator[tuple[str, bool, list[tuple[str, bool]]]]:
        for row in self.rows:
            yield row.label, row.is_total, [(_format(row.values.get(k)), False) for k, _l in self.columns]


def _format(value: Any) -> str:
    if value is None:
        return tables.NOT_AVAILABLE
    return number_format(value, 0, use_l10n=True, force_grouping=True)


def _figure_table(
    section_id: str, title: Promise, caption: str, columns: tuple[Column, ...], rows: list[PlainRow], **chart
) -> FigureTable:
    table = FigureTable(
        Section(section_id, title, tuple(c.key for c in columns), reference=chart.pop("reference", "")),
        caption,
        [(c.key, str(c.label)) for c in columns],
        rows,
    )
    if chart:
        # The parts only: a total bar beside them would dwarf them, and the table gives it.
        table.chart = tables.chart_unless_all_hidden(_chart([row for row in rows if not row.is_total], **chart))
        table.chart_note = "" if table.chart else str(tables.ALL_HIDDEN)
    return table


def _chart(rows: list[PlainRow], *, measures: tuple[Column, ...], stacked: bool = False) -> dict[str, Any]:
    """Chart data in the shape of ``reporting.tables.chart_data``; kroner are whole, so int is exact for a chart."""
    return {
        "type": "bar",
        "stacked": stacked,
        "unit": "kr" if all(c.kind == KRONER for c in measures) else "",
        "labels": [row.label for row in rows],
        "datasets": [
            {
                "label": str(column.label),
                "data": [None if row.values.get(column.key) is None else int(row.values[column.key]) for row in rows],
                "color": tables.PALETTE[index % len(tables.PALETTE)],
            }
            for index, column in enumerate(measures)
        ],
    }


def _with_total(rows: list[PlainRow], columns: tuple[Column, ...], label: str) -> list[PlainRow]:
    total = {
        c.key: sum((row.values.get(c.key) or 0 for row in rows), Decimal(0) if c.kind == KRONER else 0) for c in columns
    }
    return [*rows, PlainRow("", label, total, is_total=True)]


# --- IPS services anchored in the health service, and approved fidelity --------------------------------------------


def anchored_q() -> Q:
    """An IPS service is anchored in the health and care service when one of its owners is an organisation of the
    health and care service (municipality, health trust, RHF) and a treatment team of the health service refers
    to it, so that IPS is part of the treatment offer (regelverket pkt. 1, second sub-goal; IPS principle 3)."""
    owner = IpsService.owners.through.objects.filter(
        ipsservice_id=OuterRef("pk"), organisation__org_type__in=HEALTH_SERVICE_OWNERS
    )
    team = TreatmentTeam.objects.filter(service_id=OuterRef("pk"))
    return Q(Exists(owner)) & Q(Exists(team))


def services_by_region(year: int) -> dict[str, dict[str, int]]:
    """One query: per health region, the IPS services started by 31 December, those anchored in the health and care
    service (by their anchoring), and of the anchored those whose latest finalised fidelity review on or before
    31 December has a total (reviewed) and found approved quality (approved: 74 or more on IPS-25)."""
    period = ReportingPeriod.for_year(year)
    anchored = anchored_q()
    rows = (
        fidelity_source.latest_reviews(period, NATIONAL)
        .filter(start_date__lte=period.end)
        .values("health_region")
        .annotate(
            services=Count("pk"),
            anchored=Count("pk", filter=anchored),
            anchored_municipal=Count("pk", filter=anchored & Q(anchoring__in=SERVICE_LEVELS["kommunal"])),
            anchored_specialist=Count("pk", filter=anchored & Q(anchoring__in=SERVICE_LEVELS["spesialist"])),
            anchored_act_fact=Count("pk", filter=anchored & Q(anchoring__in=SERVICE_LEVELS["act_fact"])),
            reviewed=Count("pk", filter=anchored & Q(latest_total__isnull=False)),
            approved=Count("pk", filter=anchored & Q(latest_approved=True)),
        )
        .order_by()
    )
    return {row.pop("health_region"): row for row in rows}


def services_table(year: int) -> FigureTable:
    found = services_by_region(year)
    rows = [PlainRow(key, region_label(key), found.get(key, {})) for key in REGIONS]
    rows = _with_total(rows, SERVICE_COLUMNS, _("Hele landet"))
    return _figure_table(
        "tilbud",
        gettext_lazy("IPS-tilbud forankret i helse- og omsorgstjenesten, og godkjent kvalitet"),
        _("IPS-tilbud forankret i helse- og omsorgstjenesten, per 31.12.%(year)s") % {"year": year},
        SERVICE_COLUMNS,
        rows,
        measures=(SERVICE_COLUMNS[1], SERVICE_COLUMNS[6]),
        reference=REFERENCE,
    )


# --- Participants: the published figures -------------------------------------------------------------------------


@dataclass
class People:
    """The participant tables of one year and the series over the scheme's years, from the published figures."""

    figures: sources.Figures
    series: list[tuple[int, sources.Figures]]
    tables: list[Table] = field(default_factory=list)

    @property
    def missing(self) -> bool:
        return self.figures.missing


def people(user: User, year: int, years: list[int]) -> People:
    """The same figures as the statistics page for the year at the health region level, and each year's total."""
    figures = sources.figures_for(user, ReportingPeriod.for_year(year), Level.HEALTH_REGION)
    series = [
        (
            other,
            figures if other == year else sources.figures_for(user, ReportingPeriod.for_year(other), Level.NATIONAL),
        )
        for other in years
    ]
    result = People(figures, series)
    if figures.missing:
        return result
    result.tables.append(_per_year_table(series))
    regional = tables.build_tables(figures.units, figures.total, Level.HEALTH_REGION, str(year))
    result.tables += [table for table in regional if table.section.id in PEOPLE_SECTIONS]
    return result


PER_YEAR_SECTION = Section(
    "deltakere_per_ar",
    gettext_lazy("Deltakere per år, i ordinært arbeid og i utdanning"),
    PEOPLE_PER_YEAR,
    "stacked",
    ("deltakere_psykose", "deltakere_rus", "deltakere_andre"),
    reference=tables.SECTIONS[0].reference,
)


def _per_year_table(series: list[tuple[int, sources.Figures]]) -> Table:
    """One row per year: the national total as published (a year not computed yet shows «–»)."""
    rows = [
        Row(year, str(year), figures.total.figures, figures.total.hidden)
        if figures.total is not None
        else Row(year, str(year), {})
        for year, figures in series
    ]
    columns = [(m, str(tables.MEASURES[m].label)) for m in PEOPLE_PER_YEAR]
    table = Table(
        PER_YEAR_SECTION,
        _("Deltakere per år, hele landet, %(years)s") % {"years": years_label([year for year, _f in series])},
        columns,
        rows,
        has_hidden=any(m in row.hidden for row in rows for m, _l in columns),
    )
    table.chart = tables.chart_unless_all_hidden(tables.chart_data(PER_YEAR_SECTION, rows))
    table.chart_note = "" if table.chart else str(tables.ALL_HIDDEN)
    return table


# --- Money ----------------------------------------------------------------------------------------------------------


def money_cube(years: list[int]) -> dict[tuple[int, str, str], dict[str, Decimal]]:
    """Per (call year, measure, health region): the amount granted, paid and repaid."""
    cube: dict[tuple[int, str, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    granted = DecisionMeasure.objects.filter(decision__status__in=GRANTED, decision__application__call__year__in=years)
    for row in _measure_rows(granted).annotate(granted=Sum("amount")):
        cube[_cube_key(row)]["granted"] += row["granted"] or Decimal(0)
    money = paid_and_repaid(years)
    # Paid and repaid follow the decision the money went under, also one replaced since.
    measures = defaultdict(list)
    for row in _measure_rows(DecisionMeasure.objects.filter(decision__in=money)).annotate(
        decision_id=F("decision"), granted=Sum("amount")
    ):
        measures[row["decision_id"]].append(row)
    for decision_id, amounts in money.items():
        rows = measures[decision_id]
        for name, amount in amounts.items():
            for row, part in zip(rows, split_kroner(amount, [row["granted"] for row in rows]), strict=True):
                cube[_cube_key(row)][name] += part
    return cube


COUNTY = "decision__application__organisation__municipality__county__number"


def _measure_rows(measures):
    return measures.values("decision__application__call__year", "measure", COUNTY).order_by()


def _cube_key(row) -> tuple[int, str, str]:
    region = health_region_of_county(row[COUNTY]) if row[COUNTY] else None
    return (row["decision__application__call__year"], row["measure"], region or NOT_ASSIGNED)


def paid_and_repaid(years: list[int]) -> dict[int, dict[str, Decimal]]:
    """Per decision of the years' calls: paid (exported orders net of offsets, as ``payments.call_money`` counts)
    and repaid (registered repayments)."""
    money: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    exported = (
        PaymentOrder.objects.filter(status=PaymentOrder.Status.EXPORTED, commitment__call__year__in=years)
        .values("commitment__decision")
        .annotate(gross=Sum("amount"), offset=Sum("offset_amount"))
        .order_by()
    )
    for row in exported:
        money[row["commitment__decision"]]["paid"] += row["gross"] - row["offset"]
    repaid = (
        Repayment.objects.filter(overpayment__decision__application__call__year__in=years)
        .values("overpayment__decision")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    for row in repaid:
        money[row["overpayment__decision"]]["repaid"] += row["amount"]
    return money


def split_kroner(amount: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """``amount`` in whole kroner split in proportion to ``weights``, the parts adding up to it exactly: each part
    rounded down, the kroner left over given to the largest remainders (ties to the first)."""
    total = sum(weights, Decimal(0))
    if not weights:
        return []
    if total == 0:
        weights, total = [Decimal(1)] * len(weights), Decimal(len(weights))
    exact = [amount * weight / total for weight in weights]
    parts = [value.to_integral_value(rounding=ROUND_FLOOR) for value in exact]
    left = int(amount - sum(parts, Decimal(0)))
    by_remainder = sorted(range(len(parts)), key=lambda i: parts[i] - exact[i])
    for i in by_remainder[:left]:
        parts[i] += 1
    return parts


def frames(years: list[int]) -> dict[int, Decimal]:
    """The frame of each year: its published and closed calls (a draft's frame is not decided yet)."""
    rows = (
        Call.objects.exclude(status=Call.Status.DRAFT)
        .filter(year__in=years)
        .values("year")
        .annotate(frame=Sum("budget_frame"))
        .order_by()
    )
    return {row["year"]: row["frame"] for row in rows}


def _sums(cube, keep) -> dict[str, Decimal]:
    """Add up the cube's cells that ``keep`` (year, measure, region) accepts, per measure and in all."""
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for (year, measure, region), values in cube.items():
        if keep(year, measure, region):
            for name, value in values.items():
                sums[f"{name}_{measure}"] += value
                sums[name] += value
    return sums


def money_tables(year: int, years: list[int]) -> list[FigureTable]:
    cube = money_cube(years)
    frame = frames(years)
    by_year = []
    for each in years:
        values: dict[str, Any] = {"granted": Decimal(0)} | _sums(cube, lambda y, m, r, each=each: y == each)
        values["frame"] = frame.get(each)
        values["remaining"] = None if values["frame"] is None else values["frame"] - values["granted"]
        for key in (*(f"granted_{measure}" for measure in Measure.values), "paid", "repaid"):
            values.setdefault(key, Decimal(0))
        by_year.append(PlainRow(each, str(each), values))
    this_year = _sums(cube, lambda y, m, r: y == year)
    by_measure = [
        PlainRow(
            measure,
            str(Measure(measure).label),
            {c.key: this_year.get(f"{c.key}_{measure}", Decimal(0)) for c in MONEY_MEASURE_COLUMNS},
        )
        for measure in Measure.values
    ]
    by_measure = _with_total(by_measure, MONEY_MEASURE_COLUMNS, _("Alle tiltak"))
    region_keys = [*REGIONS, *([NOT_ASSIGNED] if any(k[2] == NOT_ASSIGNED for k in cube if k[0] == year) else [])]
    by_region = []
    for region in region_keys:
        values = _sums(cube, lambda y, m, r, region=region: y == year and r == region)
        by_region.append(
            PlainRow(region, region_label(region), {c.key: values.get(c.key, Decimal(0)) for c in MONEY_REGION_COLUMNS})
        )
    by_region = _with_total(by_region, MONEY_REGION_COLUMNS, _("Hele landet"))
    return [
        _figure_table(
            "midler_per_ar",
            gettext_lazy("Budsjettramme og innvilget tilskudd per år og tiltak"),
            _("Budsjettramme og innvilget tilskudd, %(years)s") % {"years": years_label(years)},
            MONEY_YEAR_COLUMNS,
            by_year,
            measures=(MONEY_YEAR_COLUMNS[0], MONEY_YEAR_COLUMNS[4]),
            reference="Regelverk for tilskuddsordningen, pkt. 5 Tildelingskriterier",
        ),
        _figure_table(
            "midler_tiltak",
            gettext_lazy("Innvilget, utbetalt og tilbakebetalt per tiltak"),
            _("Innvilget, utbetalt og tilbakebetalt tilskudd per tiltak, %(year)s") % {"year": year},
            MONEY_MEASURE_COLUMNS,
            by_measure,
            measures=MONEY_MEASURE_COLUMNS,
            reference="Regelverk for tilskuddsordningen, pkt. 9 Utbetaling og pkt. 11 Tilbakebetaling",
        ),
        _figure_table(
            "midler_helseregion",
            gettext_lazy("Innvilget tilskudd per helseregion og tiltak"),
            _("Innvilget tilskudd per helseregion og tiltak, %(year)s") % {"year": year},
            MONEY_REGION_COLUMNS,
            by_region,
            measures=MONEY_REGION_COLUMNS[:3],
            stacked=True,
        ),
    ]


# --- Everything for one year ---------------------------------------------------------------------------------------


@dataclass
class MinistryFigures:
    year: int
    years: list[int]
    services: FigureTable
    people: People
    training: FigureTable
    money: list[FigureTable]

    @property
    def tables(self) -> list[FigureTable | Table]:
        return [self.services, *self.people.tables, self.training, *self.money]


def ministry_figures(user: User, year: int) -> MinistryFigures:
    years = scheme_years(year)
    return MinistryFigures(
        year, years, services_table(year), people(user, year, years), training_table(years), money_tables(year, years)
    )


# --- User involvement in training: the measure B annual reports ---------------------------------------------------

TRAINING_COLUMNS = (
    Column("reports", gettext_lazy("Årsrapporter for tiltak B")),
    Column("training_led", gettext_lazy("Opplæringstiltak ledet")),
    Column("user_involvement", gettext_lazy("Rapporter som beskriver brukermedvirkning")),
)


def training_table(years: list[int]) -> FigureTable:
    """Per report year, from the measure B annual reports that have been submitted or approved: how many there are,
    the training measures they led (sum of the reported number), and how many describe how user involvement is
    secured in them (regelverket pkt. 2, fourth indicator; pkt. 6, the report's question). Counts of reports and
    measures, not of people, so not suppressed."""
    received = ReportFigure.objects.filter(
        measure=Measure.B,
        report__year__in=years,
        report__status__in=(AnnualReport.Status.SUBMITTED, AnnualReport.Status.APPROVED),
    )
    counts = {
        row["report__year"]: row
        for row in received.values("report__year")
        .annotate(
            reports=Count("report", distinct=True),
            training_led=Sum("value", filter=Q(key="training_led")),
            user_involvement=Count("pk", filter=Q(key="user_involvement") & ~Q(text__regex=r"^\s*$")),
        )
        .order_by()
    }
    rows = [
        PlainRow(year, str(year), {c.key: int(counts.get(year, {}).get(c.key) or 0) for c in TRAINING_COLUMNS})
        for year in years
    ]
    return _figure_table(
        "opplaering",
        gettext_lazy("Opplæringstiltak og brukermedvirkning (tiltak B)"),
        _("Opplæringstiltak og brukermedvirkning i årsrapportene for tiltak B, %(years)s")
        % {"years": years_label(years)},
        TRAINING_COLUMNS,
        rows,
        measures=TRAINING_COLUMNS[1:],
        reference=REFERENCE,
    )


# --- As rows of values: XLSX and API ---------------------------------------------------------------------------------


def table_rows(table: FigureTable | Table) -> Iterator[tuple[Any, str, bool, dict[str, Any], list[str]]]:
    """(key, label, is_total, {column: value}, hidden columns) per row; a hidden value is None."""
    for row in table.rows:
        if isinstance(row, Row):
            values = {m: (None if m in row.hidden else _plain(row.figures.get(m))) for m, _l in table.columns}
            yield row.key, row.label, row.is_total, values, sorted(m for m, _l in table.columns if m in row.hidden)
        else:
            yield row.key, row.label, row.is_total, {k: row.values.get(k) for k, _l in table.columns}, []


def _plain(value: Any) -> Any:
    return round(value, 1) if isinstance(value, float) else value


def figures_xlsx(result: MinistryFigures) -> bytes:
    """One sheet per table (rows down, figures across; kroner as numbers), and a sheet that says what they are."""
    workbook = Workbook()
    about = workbook.active
    about.title = _("Om tallene")[:31]
    about.append([_("IPS: tall for departementet"), result.year])
    about["A1"].font = Font(bold=True)
    about.append([_("Laget"), timezone.localtime().strftime("%d.%m.%Y %H:%M")])
    if result.people.figures.publication is not None:
        computed = timezone.localtime(result.people.figures.publication.computed_at)
        about.append([_("Publiserte tall beregnet"), computed.strftime("%d.%m.%Y %H:%M")])
    about.append([str(exports.SUPPRESSION_NOTE)])
    about.append([_("Kilde"), REFERENCE])
    for number, table in enumerate(result.tables, start=1):
        sheet = workbook.create_sheet(f"{number} {table.section.title}"[:31].replace("/", "-"))
        sheet.append([table.caption])
        sheet["A1"].font = Font(bold=True)
        sheet.append(["", *(label for _k, label in table.columns)])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for _key, label, _total, values, hidden in table_rows(table):
            sheet.append([label, *(HIDDEN if k in hidden else values[k] for k, _l in table.columns)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def figures_pdf(result: MinistryFigures, *, user: User) -> bytes:
    """The tables as a PDF in the project's print style, landscape for the wide tables (a few pages, made at once)."""
    from weasyprint import CSS, HTML

    html = render_to_string(
        "grants/figures/figures_pdf.html",
        {
            "result": result,
            "made_at": timezone.localtime(),
            "suppression_note": str(exports.SUPPRESSION_NOTE),
            "reference": REFERENCE,
            "user": user,
        },
    )
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(PDF_CSS))])

"""The figures as tables and charts: one section per indicator, the same for the page, the exports and the PDF.

A table is built from rows of figures (live for a leader, published for the national roles) and never queries the
database itself. A hidden cell is shown as ":" (Statistics Norway's sign for a figure that cannot be published)
with an explanation; a chart gets no value for it, and every chart has the table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brobygger.reporting import indicators
from brobygger.reporting.indicators import AVERAGE, MEASURES, SHARE, Report
from brobygger.reporting.periods import Level

HIDDEN = ":"
NOT_AVAILABLE = "–"
ALL_HIDDEN = gettext_lazy(
    "Figuren har ingen tall å vise: alle er skjult fordi de er så små at enkeltpersoner kan kjennes igjen, eller "
    "mangler for perioden. Se tabellen."
)
CHART_MAX_UNITS = 40
PALETTE = ("#1e5aa8", "#c05600", "#2d7a46", "#7a3d96")


@dataclass(frozen=True)
class Section:
    id: str
    title: Promise
    measures: tuple[str, ...]
    chart: str | None = None  # "stacked" (counts by category), "bars" (shares), "bar" (one value)
    chart_measures: tuple[str, ...] = ()
    levels: frozenset[str] = frozenset(Level.values)
    reference: str = ""


SECTIONS = (
    Section(
        "deltakere",
        gettext_lazy("Deltakere, av dem med psykoselidelse og rusmiddelproblemer"),
        ("deltakere", "deltakere_psykose", "deltakere_rus", "deltakere_andre"),
        "stacked",
        ("deltakere_psykose", "deltakere_rus", "deltakere_andre"),
        reference=indicators.INDICATORS_BY_ID["deltakere"].reference,
    ),
    Section(
        "resultater",
        gettext_lazy("I ordinært arbeid og i utdanning"),
        (
            "arbeid",
            "arbeid_psykose",
            "arbeid_rus",
            "utdanning",
            "utdanning_psykose",
            "utdanning_rus",
            "andel_arbeid",
            "andel_utdanning",
            "andel_arbeid_eller_utdanning",
        ),
        "bars",
        ("andel_arbeid", "andel_utdanning"),
        reference=indicators.INDICATORS_BY_ID["arbeid"].reference,
    ),
    Section(
        "alder",
        gettext_lazy("Alder ved periodens slutt"),
        ("alder_16_17", "alder_18_24", "alder_25_29", "alder_30_pluss", "andel_under_30"),
        "stacked",
        ("alder_16_17", "alder_18_24", "alder_25_29", "alder_30_pluss"),
        reference=indicators.INDICATORS_BY_ID["under_30"].reference,
    ),
    Section(
        "ventetid",
        gettext_lazy("Ventetid fra henvisning til oppstart"),
        ("oppstarter", "ventetid_dager"),
        "bar",
        ("ventetid_dager",),
        reference=indicators.INDICATORS_BY_ID["ventetid"].reference,
    ),
    Section(
        "avsluttet",
        gettext_lazy("Avsluttede forløp som endte med arbeid eller utdanning"),
        ("avsluttet", "avsluttet_resultat", "avsluttet_annet", "andel_avsluttet_resultat"),
        "bar",
        ("andel_avsluttet_resultat",),
        reference=indicators.INDICATORS_BY_ID["avsluttet"].reference,
    ),
    Section(
        "arbeidsgivere",
        gettext_lazy("Arbeidsgivere og deltakere de ansatte"),
        ("arbeidsgivere", "ansatt_hos_arbeidsgivere"),
        levels=indicators.EMPLOYER_LEVELS,
        reference=indicators.INDICATORS_BY_ID["arbeidsgivere"].reference,
    ),
    Section(
        "kommuner",
        gettext_lazy("Kommuner med IPS-tilbud, etter tjenestenivå"),
        ("kommuner_med_tilbud", "kommuner_kommunal", "kommuner_spesialist", "kommuner_act_fact", "kommuner_i_alt"),
        levels=indicators.MUNICIPALITY_LEVELS - {Level.MUNICIPALITY},
        reference=indicators.INDICATORS_BY_ID["kommuner"].reference,
    ),
    Section(
        "modelltrohet",
        gettext_lazy("Modelltrofasthet (siste gjennomgang per tilbud)"),
        ("modelltrohet", "tilbud_vurdert"),
        "bar",
        ("modelltrohet",),
        levels=frozenset({Level.NATIONAL, Level.HEALTH_REGION, Level.SERVICE}),
        reference=indicators.INDICATORS_BY_ID["modelltrohet"].reference,
    ),
)


def format_value(measure_id: str, value: Any) -> str:
    if value is None:
        return NOT_AVAILABLE
    measure = MEASURES[measure_id]
    if measure.kind == SHARE:
        return f"{number_format(value, 1, use_l10n=True)} %"
    if measure.kind == AVERAGE:
        return number_format(value, measure.decimals, use_l10n=True)
    return number_format(value, 0, use_l10n=True, force_grouping=True)


@dataclass
class Row:
    key: Any
    label: str
    figures: dict[str, Any]
    hidden: frozenset[str] = frozenset()
    is_total: bool = False

    def cell(self, measure_id: str) -> tuple[str, bool]:
        if measure_id in self.hidden:
            return HIDDEN, True
        return format_value(measure_id, self.figures.get(measure_id)), False

    def raw(self, measure_id: str) -> Any:
        return None if measure_id in self.hidden else self.figures.get(measure_id)


@dataclass
class Table:
    section: Section
    caption: str
    columns: list[tuple[str, str]]  # (measure id, label)
    rows: list[Row]
    chart: dict[str, Any] | None = None
    chart_note: str = ""
    has_hidden: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def body(self):
        """Rows of (label, is_total, [(text, hidden)]) for the templates."""
        for row in self.rows:
            yield row.label, row.is_total, [row.cell(measure) for measure, _ in self.columns]


def rows_from_report(report: Report) -> tuple[list[Row], Row]:
    units = [Row(unit.key, unit.label, unit.figures) for unit in report.units]
    return units, Row("", report.total.label, report.total.figures, is_total=True)


def rows_from_published(data: dict[str, Any], level: str) -> tuple[list[Row], Row | None]:
    def row(item, total=False):
        return Row(item["key"], item["label"], item["figures"], frozenset(item["hidden"]), total)

    national = data["levels"].get(Level.NATIONAL) or []
    total = row(national[0], True) if national else None
    if level == Level.NATIONAL:
        return [], total
    return [row(item) for item in data["levels"].get(level, [])], total


def build_tables(units: list[Row], total: Row | None, level: str, period_label: str) -> list[Table]:
    tables = []
    for section in SECTIONS:
        if level not in section.levels:
            continue
        rows = [*units, total] if total is not None else list(units)
        if level == Level.NATIONAL:
            rows = [total] if total is not None else []
        columns = [(m, str(MEASURES[m].label)) for m in section.measures]
        table = Table(
            section,
            f"{section.title}, {period_label}",
            columns,
            rows,
            has_hidden=any(m in row.hidden for row in rows for m, _ in columns),
        )
        if section.chart:
            chart_rows = units if units else rows
            if len(chart_rows) > CHART_MAX_UNITS:
                table.chart_note = _("Figuren vises når det er %(n)s enheter eller færre; se tabellen.") % {
                    "n": CHART_MAX_UNITS
                }
            else:
                table.chart = chart_unless_all_hidden(chart_data(section, chart_rows))
                if table.chart is None:
                    table.chart_note = ALL_HIDDEN
        tables.append(table)
    return tables


def chart_unless_all_hidden(chart: dict[str, Any]) -> dict[str, Any] | None:
    """A chart with a value to draw, or None when every value is hidden or missing (the page says so instead)."""
    values = [value for dataset in chart["datasets"] for value in dataset["data"]]
    return chart if any(value is not None for value in values) else None


def chart_data(section: Section, rows: list[Row]) -> dict[str, Any]:
    """What the chart script draws; a hidden value is null (no bar), and the table beside says why."""
    unit = "%" if all(MEASURES[m].kind == SHARE for m in section.chart_measures) else ""
    return {
        "type": "bar",
        "stacked": section.chart == "stacked",
        "unit": unit,
        "labels": [row.label for row in rows],
        "datasets": [
            {
                "label": str(MEASURES[m].label),
                "data": [_plain(row.raw(m)) for row in rows],
                "color": PALETTE[index % len(PALETTE)],
            }
            for index, m in enumerate(section.chart_measures)
        ],
    }


def _plain(value: Any) -> float | int | None:
    if value is None:
        return None
    return round(float(value), 1) if isinstance(value, float) else value

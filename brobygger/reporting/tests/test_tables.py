"""The tables and charts the statistics pages draw from the figures."""

from brobygger.reporting import tables
from brobygger.reporting.indicators import MEASURES
from brobygger.reporting.periods import Level


def charted(units: list[tables.Row]) -> list[tables.Table]:
    return [table for table in tables.build_tables(units, None, Level.HEALTH_REGION, "2025") if table.section.chart]


def test_a_chart_whose_values_are_all_hidden_says_so_instead_of_staying_blank():
    hidden = [tables.Row(key, f"Region {key}", {}, frozenset(MEASURES)) for key in ("a", "b")]
    for table in charted(hidden):
        assert table.chart is None
        assert table.chart_note == tables.ALL_HIDDEN


def test_a_chart_with_one_value_shown_is_drawn():
    shown = {measure: 10 for measure in MEASURES}
    units = [
        tables.Row("a", "Region a", {}, frozenset(MEASURES)),
        tables.Row("b", "Region b", shown, frozenset()),
    ]
    for table in charted(units):
        assert table.chart is not None and table.chart_note == ""


def test_the_annual_pdf_is_laid_out_in_parts_that_keep_every_row_in_order():
    from brobygger.reporting import exports

    def table(name, rows):
        section = tables.Section(name, name, ())
        return tables.Table(section, name, [], [tables.Row(n, f"{name}{n}", {}) for n in range(rows)])

    long, short, other = table("a", exports.PART_ROWS * 2 + 10), table("b", 5), table("c", exports.PART_ROWS)
    parts = exports._parts([long, short, other])

    assert [[len(piece.rows) for piece in part] for part in parts] == [
        [exports.PART_ROWS],
        [exports.PART_ROWS],
        [10, 5],
        [exports.PART_ROWS],
    ]
    laid_out = [row.label for part in parts for piece in part for row in piece.rows]
    assert laid_out == [row.label for t in (long, short, other) for row in t.rows]
    assert all(piece.columns == long.columns for piece in parts[0] + parts[1])

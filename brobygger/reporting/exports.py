"""Exports of the statistics: CSV and XLSX of the tables on the page, and the annual report as PDF (WeasyPrint).

They are made from the same figures as the page (sources.py), so a role without access to personal data gets the
published, suppressed figures here too: a hidden cell is ":" in every format.
"""

from __future__ import annotations

import csv
import dataclasses
import gc
import io
from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from brobygger.accounts.models import User
from brobygger.reporting import indicators, sources, tables
from brobygger.reporting.periods import Level, ReportingPeriod
from brobygger.reporting.tables import HIDDEN

SUPPRESSION_NOTE = gettext_lazy(
    "«:» betyr at tallet er skjult fordi det er 1–4 personer, eller fordi det ellers kunne vært regnet ut fra "
    "summer og naboceller (prikking)."
)


def _tables(user: User, period: ReportingPeriod, level: str) -> tuple[sources.Figures, list[tables.Table]]:
    figures = sources.figures_for(user, period, level)
    return figures, tables.build_tables(figures.units, figures.total, level, period.label)


def _value(row: tables.Row, measure: str):
    if measure in row.hidden:
        return HIDDEN
    value = row.figures.get(measure)
    if isinstance(value, float):
        return round(value, 1)
    return value


def export_csv(user: User, period: ReportingPeriod, level: str) -> str:
    """Long format, one figure a line, semicolon-separated as Norwegian spreadsheets expect."""
    _figures, built = _tables(user, period, level)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Periode"), _("Nivå"), _("Tabell"), _("Enhet"), _("Mål"), _("Verdi")])
    for table in built:
        for row in table.rows:
            for measure, label in table.columns:
                value = _value(row, measure)
                writer.writerow(
                    [
                        period.slug,
                        Level(level).label,
                        table.section.title,
                        row.label,
                        label,
                        "" if value is None else str(value).replace(".", ","),
                    ]
                )
    if _figures.suppressed:
        writer.writerow([])
        writer.writerow([str(SUPPRESSION_NOTE)])
    return "\ufeff" + out.getvalue()


def export_xlsx(user: User, period: ReportingPeriod, level: str) -> bytes:
    """One sheet per table (units down, figures across), and a sheet that explains the figures."""
    figures, built = _tables(user, period, level)
    workbook = Workbook()
    about = workbook.active
    about.title = _("Om tallene")[:31]
    about.append([_("IPS: indikatorer"), period.label, str(Level(level).label)])
    about["A1"].font = Font(bold=True)
    about.append([_("Laget"), timezone.localtime().strftime("%d.%m.%Y %H:%M")])
    if figures.publication is not None:
        about.append(
            [
                _("Publiserte tall beregnet"),
                timezone.localtime(figures.publication.computed_at).strftime("%d.%m.%Y %H:%M"),
            ]
        )
    if figures.suppressed:
        about.append([str(SUPPRESSION_NOTE)])
    about.append([])
    about.append([_("Indikator"), _("Teller"), _("Nevner"), _("Kilde")])
    for indicator in indicators.INDICATORS:
        about.append(
            [str(indicator.title), str(indicator.numerator), str(indicator.denominator or ""), indicator.reference]
        )
    for table in built:
        sheet = workbook.create_sheet(str(table.section.title)[:31].replace("/", "-"))
        sheet.append([str(Level(level).label), *(label for _m, label in table.columns)])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([row.label, *(_value(row, measure) for measure, _l in table.columns)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# WeasyPrint lays out a whole document at once: the annual report per municipality (357 rows in each of its tables)
# took half a minute and over 300 MB as one document. It is made in parts of at most PART_ROWS table rows instead,
# each laid out on its own and then joined (pypdf), so memory is bounded by the largest part and the background job
# can report its progress part by part.
PART_ROWS = 60


def _parts(built: list[tables.Table]) -> list[list[tables.Table]]:
    """The tables in document order, a long table split into pieces of PART_ROWS rows (its header repeated), and
    consecutive short tables sharing a part while they fit."""
    parts: list[list[tables.Table]] = [[]]
    room = PART_ROWS
    for table in built:
        pieces = [
            dataclasses.replace(table, rows=table.rows[start : start + PART_ROWS])
            for start in range(0, max(len(table.rows), 1), PART_ROWS)
        ]
        for piece in pieces:
            if parts[-1] and len(piece.rows) > room:
                parts.append([])
                room = PART_ROWS
            parts[-1].append(piece)
            room -= len(piece.rows)
    return parts


def annual_report_pdf(
    *, user: User, period: ReportingPeriod, level: str, progress: Callable[[int, str], None] | None = None
) -> bytes:
    """The annual report as PDF; ``progress(percent, message)`` is called before each part is laid out."""
    from pypdf import PdfWriter
    from weasyprint import HTML

    figures, built = _tables(user, period, level)
    parts = _parts(built)
    context = {
        "period": period,
        "level_label": Level(level).label,
        "figures": figures,
        "indicators": indicators.INDICATORS,
        "suppression_note": str(SUPPRESSION_NOTE),
        "made_at": timezone.localtime(),
        "user": user,
        "part_count": len(parts),
    }
    writer = PdfWriter()
    for number, part in enumerate(parts, start=1):
        if progress:
            progress(
                100 * (number - 1) // len(parts),
                _("Lager del %(part)s av %(parts)s") % {"part": number, "parts": len(parts)},
            )
        html = render_to_string(
            "reporting/annual_report_pdf.html",
            context | {"tables": part, "part": number, "first": number == 1, "last": number == len(parts)},
        )
        writer.append(io.BytesIO(HTML(string=html).write_pdf()))
        # A laid-out document is a web of cycles: collect it now, so the next part reuses its memory.
        gc.collect()
    writer.add_metadata({"/Title": _("Årsrapport IPS %(year)s") % {"year": period.label}})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

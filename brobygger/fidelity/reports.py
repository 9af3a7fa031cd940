"""The review report as PDF (WeasyPrint) and as a spreadsheet (openpyxl), from the same facts as the review page."""

from io import BytesIO
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from brobygger.fidelity.models import Review, ReviewItem

REPORT_CSS = Path(__file__).parents[1] / "pdf.css"  # shared with the grant letters


def _rows(review: Review) -> list[ReviewItem]:
    return list(review.items.select_related("item__group").order_by("item__number"))


def _context(review: Review) -> dict[str, Any]:
    return {
        "review": review,
        "rows": _rows(review),
        "reviewers": review.reviewers.order_by("last_name", "first_name"),
        "actions": review.actions.select_related("item"),
        "made_on": timezone.localdate(),
    }


def review_pdf(review: Review) -> bytes:
    """The report as PDF. WeasyPrint is imported here: it loads system libraries the rest of the app never needs."""
    from weasyprint import CSS, HTML

    html = render_to_string("fidelity/report/review.html", _context(review))
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(REPORT_CSS))])


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list[Any]], widths: list[int]):
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    return sheet


def review_xlsx(review: Review) -> bytes:
    """The report as a workbook: a summary, the items with the data's suggestions, and the action plan."""
    context = _context(review)
    workbook = Workbook()
    workbook.remove(workbook.active)
    yes_no = {True: _("Ja"), False: _("Nei"), None: ""}
    summary = [
        [_("IPS-tilbud"), review.service.name],
        [_("Type"), review.get_review_type_display()],
        [_("Dato"), review.review_date],
        [_("Perioden gjelder fra"), review.period_start],
        [_("Perioden gjelder til og med"), review.period_end],
        [_("Skala"), str(review.scale)],
        [_("Status"), review.get_status_display()],
        [_("Versjon"), review.version],
        [_("Gjennomgåere"), ", ".join(user.get_full_name() or user.username for user in context["reviewers"])],
        [_("Totalskår"), review.total],
        [_("Nivå"), review.level_label],
        [_("Godkjent kvalitet"), yes_no[review.approved]],
        [_("Neste måling senest"), review.next_review_due],
    ]
    if review.corrects_id:
        summary.append([_("Grunn til rettelsen"), review.correction_reason])
    for group in review.group_results:
        summary.append(
            [
                group["name"],
                f"{group['total']} / {group['max']}"
                + (f" ({group['level_label']})" if group.get("level_label") else ""),
            ]
        )
    summary += [[_("Oppsummering"), review.summary], [_("Anbefalinger"), review.recommendations]]
    sheet = _sheet(workbook, _("Oppsummering"), [_("Felt"), _("Verdi")], summary, [28, 80])
    for (cell,) in sheet.iter_rows(min_row=2, max_col=1):
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2, min_col=2, max_col=2):
        for cell in row:
            if hasattr(cell.value, "year"):
                cell.number_format = "DD.MM.YYYY"
    items = []
    for row in context["rows"]:
        suggestion = row.suggestion or {}
        items.append(
            [
                row.item.number,
                row.item.group.name,
                row.item.title,
                row.score,
                suggestion.get("score"),
                f"{suggestion.get('figure_text')} {suggestion.get('unit')}" if suggestion.get("figure") else "",
                suggestion.get("band", ""),
                _("Ja") if row.disagrees else "",
                row.evidence,
                ", ".join(row.data_sources),
                suggestion.get("explanation", ""),
            ]
        )
    _sheet(
        workbook,
        _("Punkter"),
        [
            _("Nr."),
            _("Del"),
            _("Punkt"),
            _("Skår"),
            _("Forslag fra data"),
            _("Målt"),
            _("Bånd"),
            _("Avviker"),
            _("Grunnlag"),
            _("Datakilder"),
            _("Slik er forslaget regnet"),
        ],
        items,
        [6, 16, 36, 8, 10, 18, 22, 10, 50, 14, 60],
    )
    actions = [
        [
            action.description,
            f"{action.item.number}. {action.item.title}" if action.item else "",
            action.owner,
            action.due_on,
            action.get_status_display(),
            action.follow_up,
        ]
        for action in context["actions"]
    ]
    sheet = _sheet(
        workbook,
        _("Tiltaksplan"),
        [_("Tiltak"), _("Punkt"), _("Ansvarlig"), _("Frist"), _("Status"), _("Oppfølging")],
        actions,
        [50, 30, 24, 12, 14, 50],
    )
    for (cell,) in sheet.iter_rows(min_row=2, min_col=4, max_col=4):
        cell.number_format = "DD.MM.YYYY"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

"""The review report as PDF and XLSX, read back: pdftotext for the PDF, openpyxl for the workbook."""

import shutil
import subprocess
from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from brobygger.fidelity import reports, services
from brobygger.fidelity.tests.test_services import TODAY, create, score_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(personas, service, ips25, second_reviewer):
    reviewer = personas["kvalitetsevaluator"]
    review = create(reviewer, service, ips25, reviewers=[reviewer, second_reviewer])
    score_all(review, reviewer, lambda number: 2 if number == 17 else 3)
    services.review_score(
        actor=reviewer,
        review=review,
        expected_revision=review.revision,
        scores={17: {"score": 2, "evidence": "Kontaktene føres ikke ukentlig.", "data_sources": ["ADM", "INT"]}},
    )
    review.refresh_from_db()
    review = services.review_submit(actor=reviewer, review=review, expected_revision=review.revision, on=TODAY)
    review = services.review_finalise(actor=second_reviewer, review=review, expected_revision=review.revision, on=TODAY)
    services.action_add(
        actor=reviewer,
        review=review,
        description="Innfør ukentlig skjema for arbeidsgiverkontakter",
        owner="Ingrid Lund",
        due_on=date(2026, 6, 1),
        item=review.scale.items.get(number=17),
    )
    return review


def pdf_text(data: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext mangler: kjør `make browsers` (apt-get install poppler-utils).")
    path = tmp_path / "rapport.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_the_pdf_report_holds_the_totals_items_and_action_plan(review, tmp_path):
    data = reports.review_pdf(review)
    assert data.startswith(b"%PDF")
    text = " ".join(pdf_text(data, tmp_path).split())
    assert "Gjennomgang av modelltrohet: IPS Oslo Nord 10.03.2026" in text
    assert "Ekstern gjennomgang" in text
    assert "Totalskår 74" in text
    assert "Godkjent kvalitet" in text
    assert "Neste måling senest 10.09.2026" in text
    assert "Kari Strand" in text and "Eva Annen" in text
    assert "17. Hyppig arbeidsgiverkontakt" in text
    assert "Kontaktene føres ikke ukentlig." in text
    assert "Innfør ukentlig skjema for arbeidsgiverkontakter" in text and "01.06.2026" in text


def test_the_xlsx_report_holds_the_summary_every_item_and_the_action_plan(review):
    workbook = load_workbook(BytesIO(reports.review_xlsx(review)))
    assert workbook.sheetnames == ["Oppsummering", "Punkter", "Tiltaksplan"]
    summary = {row[0]: row[1] for row in workbook["Oppsummering"].iter_rows(min_row=2, values_only=True)}
    assert summary["IPS-tilbud"] == "IPS Oslo Nord"
    assert summary["Dato"].date() == date(2026, 3, 10)
    assert (summary["Totalskår"], summary["Nivå"], summary["Godkjent kvalitet"]) == (74, "Godkjent kvalitet", "Ja")
    assert summary["Ansatte"] == "9 / 15"
    items = list(workbook["Punkter"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in items] == list(range(1, 26))
    item_17 = items[16]
    assert item_17[2:4] == ("Hyppig arbeidsgiverkontakt", 2)
    assert item_17[8:10] == ("Kontaktene føres ikke ukentlig.", "ADM, INT")
    assert items[0][4] is None and items[0][10] == "Ingen aktive forløp 28.02.2026."  # no data, no suggestion
    actions = list(workbook["Tiltaksplan"].iter_rows(min_row=2, values_only=True))
    assert len(actions) == 1
    description, item, owner, due, status, _follow_up = actions[0]
    assert (description, item, owner, due.date(), status) == (
        "Innfør ukentlig skjema for arbeidsgiverkontakter",
        "17. Hyppig arbeidsgiverkontakt",
        "Ingrid Lund",
        date(2026, 6, 1),
        "Planlagt",
    )


def test_the_reports_are_for_those_who_may_open_the_review(client, login, personas, review, outsiders):
    for name in ("fidelity_review_pdf", "fidelity_review_xlsx"):
        url = reverse(name, args=[review.pk])
        login(personas["ips-leder"])
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith(f'attachment; filename="modelltrohet-{review.pk}.')
        for user in (personas["tilskuddsforvalter"], personas["behandler"], outsiders["kvalitetsevaluator"]):
            client.logout()
            login(user)
            assert client.get(url).status_code == 404
        client.logout()

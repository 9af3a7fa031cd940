"""Decision letters and the appeal summary as PDFs, read back with pdftotext: amounts, ceilings, deadlines."""

import hashlib
import shutil
import subprocess
from datetime import date

import pytest
from django.core import mail
from django.utils import translation

from brobygger.grants import services
from brobygger.grants.tests.fixtures import assessed, fill, submitted


def pdf_text(pdf: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext mangler: kjør `make browsers` (apt-get install poppler-utils).")
    text = subprocess.run(["pdftotext", "-", "-"], input=bytes(pdf), check=True, capture_output=True).stdout.decode()
    # Lines wrap wherever the page ends them; the sentences are what matter.
    return " ".join(text.split())


@pytest.fixture
def decisions(officer, approver, applicant, call, complete, joint):
    """A granted in full (500 000 of 500 000), C partly (200 000 of a 250 000 ceiling)."""
    assessed(officer, submitted(applicant, complete))
    assessed(officer, submitted(applicant, joint), amounts={"C": 200000})
    recommendation = services.recommendation_submit(actor=officer, call=call)
    decisions = services.recommendation_approve(actor=approver, recommendation=recommendation)
    return {d.application.measures.get().measure: d for d in decisions}


def test_the_letter_states_amounts_ceilings_reporting_and_the_appeal_deadline(officer, decisions):
    letter = services.decision_send(actor=officer, decision=decisions["C"], on=date(2026, 3, 2))
    text = pdf_text(letter.pdf)
    assert "Vedtak om tilskudd 2026: delvis innvilget" in text
    assert "250 000 kr" in text  # the ceiling: 0,5 FTE in the first project year
    assert "200 000 kr" in text
    assert "Oslo kommune (demo)" in text and "Akershus universitetssykehus HF (demo)" in text
    assert "01.04.2027" in text  # the report
    assert "Klagefrist: 23.03.2026" in text
    assert "forvaltningsloven § 29" in text
    assert "Gunnar Vik (godkjent) Tone Dahl (saksbehandler)" in text
    assert letter.sha256 == hashlib.sha256(bytes(letter.pdf)).hexdigest()


def test_an_appeal_deadline_on_good_friday_moves_past_easter(officer, decisions):
    letter = services.decision_send(actor=officer, decision=decisions["A"], on=date(2026, 3, 13))
    text = pdf_text(letter.pdf)
    assert "Klagefrist: 07.04.2026" in text
    assert "flyttes til tirsdag 07.04.2026" in text
    assert "500 000 kr" in text


def test_the_letter_is_emailed_to_the_applicants_users_with_the_pdf(
    officer, decisions, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.decision_send(actor=officer, decision=decisions["C"], on=date(2026, 3, 2))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["soker-hf@demo.invalid", "soker-kommune@demo.invalid"]
    filename, content, mimetype = message.attachments[0]
    assert filename.endswith(".pdf")
    assert mimetype == "application/pdf" and content == bytes(letter.pdf)
    assert letter.notified_on == date(2026, 3, 2)


def test_a_letter_sent_without_email_is_stored_and_e_mailed_to_nobody(
    officer, decisions, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.decision_send(actor=officer, decision=decisions["C"], on=date(2026, 3, 2), email=False)
    assert mail.outbox == []
    assert letter.pk and letter.sent_to == ["soker-hf@demo.invalid", "soker-kommune@demo.invalid"]


def test_a_letter_is_sent_once(officer, decisions):
    services.decision_send(actor=officer, decision=decisions["A"], on=date(2026, 3, 2))
    decisions["A"].refresh_from_db()
    with pytest.raises(Exception, match="godkjent vedtak som ikke er sendt"):
        services.decision_send(actor=officer, decision=decisions["A"], on=date(2026, 3, 3))


def test_a_refusal_letter_has_the_reasons_and_no_reporting_duty(officer, approver, applicant, call):
    application = services.application_create(actor=applicant, call=call, title="Avslag")
    fill(applicant, application)
    assessed(
        officer,
        submitted(applicant, application),
        amounts={"A": 0},
        refusal_reasons="Søknaden viser ikke forventet måloppnåelse.",
        refusal_citations="regelverket pkt. 5",
    )
    recommendation = services.recommendation_submit(actor=officer, call=call)
    decision = services.recommendation_approve(actor=approver, recommendation=recommendation)[0]
    text = pdf_text(services.decision_send(actor=officer, decision=decision, on=date(2026, 3, 2)).pdf)
    assert "avslått" in text
    assert "Søknaden viser ikke forventet måloppnåelse. (regelverket pkt. 5)" in text
    assert "Rapportering" not in text


def test_the_summary_for_the_ministry_has_the_case(officer, decisions):
    services.decision_send(actor=officer, decision=decisions["A"], on=date(2026, 3, 2))
    appeal = services.appeal_register(
        actor=officer, decision=decisions["A"], received_on=date(2026, 3, 10), grounds="Vi ba om mer enn vi fikk."
    )
    services.appeal_forward(actor=officer, appeal=appeal, reconsideration="Høyeste tilskudd er gitt.")
    text = pdf_text(appeal.summary_pdf)
    assert "Oversendelse av klage til klageinstansen" in text
    assert "Vi ba om mer enn vi fikk." in text and "Høyeste tilskudd er gitt." in text
    assert "23.03.2026" in text


def test_the_letter_is_in_bokmal_whatever_language_the_officer_uses(officer, decisions):
    with translation.override("en"):
        letter = services.decision_send(actor=officer, decision=decisions["A"], on=date(2026, 3, 2))
    text = pdf_text(letter.pdf)
    assert "Vedtak om tilskudd 2026: innvilget" in text and "Klageadgang" in text

"""The letters the scheme sends, as PDFs in bokmål (WeasyPrint): the decision letter, the sanction letter, and the
summary that goes to the Ministry with an upheld appeal. Whatever language the officer's page is in, a letter is in
bokmål."""

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from brobygger.rules.base import RuleResult

LETTER_CSS = Path(__file__).parents[1] / "pdf.css"  # the same print styles as the fidelity report


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    """WeasyPrint is imported here: it loads system libraries the rest of the app never needs."""
    from weasyprint import CSS, HTML

    with translation.override("nb"):
        html = render_to_string(template, context)
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(LETTER_CSS))])


def decision_letter_pdf(decision, *, notified_on: date, appeal: RuleResult) -> bytes:
    application = decision.application
    return _pdf(
        "grants/letter/decision.html",
        {
            "decision": decision,
            "application": application,
            "call": application.call,
            "measures": list(decision.measures.all()),
            "notified_on": notified_on,
            "appeal_deadline": appeal.details["deadline"],
            "appeal_reasons": [reason.text for reason in appeal.reasons if reason.code != "KLAGEFRIST_APEN"],
            "signatures": list(application.signatures.select_related("organisation")),
        },
    )


def appeal_summary_pdf(appeal) -> bytes:
    if appeal.sanction_id:
        return sanction_appeal_summary_pdf(appeal)
    decision = appeal.decision
    return _pdf(
        "grants/letter/appeal_summary.html",
        {
            "appeal": appeal,
            "decision": decision,
            "application": decision.application,
            "letter": decision.letter,
            "measures": list(decision.measures.all()),
        },
    )


def email_letter(letter, recipients: list[str]) -> None:
    decision = letter.decision
    application = decision.application
    with translation.override("nb"):
        message = EmailMessage(
            subject=f"Vedtak om tilskudd til IPS {application.call.year}: {application.title}",
            body=(
                f"Vedlagt er vedtaket om tilskudd for søknaden «{application.title}» fra {application.organisation}.\n"
                f"Klagefristen er {letter.appeal_deadline:%d.%m.%Y}.\n\nHelsedirektoratet"
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=recipients,
        )
        message.attach(f"vedtak-{decision.pk}.pdf", bytes(letter.pdf), "application/pdf")
        message.send()


def sanction_letter_pdf(sanction, *, notified_on: date, appeal: RuleResult) -> bytes:
    """A sanction is an individual decision of its own: its letter states the legal basis and the appeal right."""
    case = sanction.case
    return _pdf(
        "grants/control/letter/sanction.html",
        {
            "sanction": sanction,
            "case": case,
            "organisation": sanction.organisation,
            "application": case.decision.application,
            "findings": list(case.findings.all()),
            "notified_on": notified_on,
            "appeal_deadline": appeal.details["deadline"],
            "appeal_reasons": [reason.text for reason in appeal.reasons if reason.code != "KLAGEFRIST_APEN"],
        },
    )


def sanction_appeal_summary_pdf(appeal) -> bytes:
    sanction = appeal.sanction
    return _pdf(
        "grants/control/letter/appeal_summary.html",
        {"appeal": appeal, "sanction": sanction, "organisation": sanction.organisation},
    )


def email_sanction_letter(sanction, recipients: list[str]) -> None:
    with translation.override("nb"):
        message = EmailMessage(
            subject=f"Vedtak om {sanction.get_kind_display().lower()}: tilskudd til IPS {sanction.case.grant_year}",
            body=(
                f"Vedlagt er Helsedirektoratets vedtak om {sanction.get_kind_display().lower()} for "
                f"{sanction.organisation}.\nKlagefristen er {sanction.appeal_deadline:%d.%m.%Y}.\n\nHelsedirektoratet"
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=recipients,
        )
        message.attach(f"sanksjon-{sanction.pk}.pdf", bytes(sanction.letter_pdf), "application/pdf")
        message.send()

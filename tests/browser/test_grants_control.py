"""Control and sanctions through a real browser (regelverket pkt. 10-11): a grant officer opens a control of Oslo
kommune's grant and asks for a document; the municipality uploads it; the officer records a breach and prepares a
bar and a stop of payment; the approver approves both (the stop takes effect); the bar's letter is made and read
back; and the municipality's next application shows the bar with its citation. Every page passes
``Browsing.check`` (axe-core, CSP, static files, script errors, reflow at 320 px)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from brobygger.accounts.models import User
from brobygger.grants import payments, services
from brobygger.grants.models import ControlCase, Finding, RequestedDocument, Sanction
from brobygger.grants.tests.fixtures import assessed, fill, submitted
from brobygger.grants.tests.test_letters import pdf_text
from tests.browser.test_grants_flow import click, log_in

pytestmark = pytest.mark.browser

TODAY = timezone.localdate()


def granted_2026():
    """Oslo kommune's 2026 grant, decided and sent, through the services the grant pages use; returns the decision."""
    officer, approver, applicant = (
        User.objects.get(username=name) for name in ("tilskuddsforvalter", "godkjenner", "soker-kommune")
    )
    call = services.call_create(
        actor=officer,
        year=2026,
        title="Tilskudd til IPS 2026",
        budget_frame=Decimal("3000000"),
        deadline=date(2026, 3, 1),
        text="Tiltak A, B og C.",
    )
    call = services.call_publish(actor=officer, call=call)
    application = fill(applicant, services.application_create(actor=applicant, call=call, title="IPS Oslo 2026"))
    assessed(officer, submitted(applicant, application))
    recommendation = services.recommendation_submit(actor=officer, call=call)
    (decision,) = services.recommendation_approve(actor=approver, recommendation=recommendation)
    services.decision_send(actor=officer, decision=decision, on=date(2026, 3, 13))
    decision.refresh_from_db()
    services.call_publish(
        actor=officer,
        call=services.call_create(
            actor=officer,
            year=2027,
            title="Tilskudd til IPS 2027",
            budget_frame=Decimal("3000000"),
            deadline=date(2027, 3, 1),
            text="Tiltak A, B og C.",
        ),
    )
    return decision


def test_a_control_stops_a_payment_and_a_bar_flags_the_next_application(seeded, browsing, tmp_path):
    page = browsing.page
    decision = granted_2026()
    # The grant is committed and its payment attested, waiting for approval when the control begins.
    officer = User.objects.get(username="tilskuddsforvalter")
    commitment = payments.commitment_create(actor=officer, decision=decision, instalments=1, first_due=TODAY)
    order = payments.payment_order_attest(actor=officer, order=commitment.orders.get())

    # The officer opens a control of the 2026 grant as a sample and asks for the accounts.
    log_in(browsing, "tilskuddsforvalter")
    browsing.goto("/tilskudd/kontroll/")
    browsing.check()
    click(page, "Ny kontrollsak", role="link")
    browsing.check()
    page.get_by_label("Tilskuddet som kontrolleres").select_option(index=1)
    page.get_by_label("Stikkprøve").check()
    click(page, "Lagre")
    case = ControlCase.objects.get()
    assert page.url.endswith(f"/tilskudd/kontroll/{case.pk}/")
    browsing.check()
    click(page, "Be om dokumentasjon", role="link")
    browsing.check()
    page.get_by_label("Hvilket dokument etterspørres").fill("Regnskap for 2026")
    page.get_by_label("Frist").fill((TODAY + timedelta(days=14)).isoformat())
    click(page, "Lagre")
    assert "Venter på dokumentasjon fra mottakeren" in page.content()

    # The municipality sees its control case and uploads the accounts.
    log_in(browsing, "soker-kommune")
    browsing.goto("/tilskudd/kontroll/")
    browsing.check()
    click(page, "Oslo kommune (demo)", role="link")
    browsing.check()
    click(page, "Send inn Regnskap for 2026", role="link")
    browsing.check()
    accounts = tmp_path / "regnskap.pdf"
    accounts.write_bytes(b"%PDF-1.4\n% syntetisk regnskap\n%%EOF\n")
    page.get_by_label("PDF-fil").set_input_files(str(accounts))
    click(page, "Lagre")
    assert RequestedDocument.objects.get().received_on == TODAY
    assert "regnskap.pdf, mottatt" in page.content()

    # The officer records a breach, then prepares a bar for 2027-2028 and a stop of payment.
    log_in(browsing, "tilskuddsforvalter")
    browsing.goto(f"/tilskudd/kontroll/{case.pk}/")
    click(page, "Registrer funn", role="link")
    browsing.check()
    page.get_by_label("Mislighold").check()
    page.get_by_label("Hva kontrollen fant").fill("Tilskuddet er brukt til lønn til andre enn jobbspesialister.")
    page.get_by_label("Hjemmel").fill("Regelverk for tilskuddsordningen, pkt. 5 Tiltak A")
    click(page, "Lagre")
    browsing.check()
    assert Finding.objects.get().kind == Finding.Kind.BREACH
    click(page, "Forbered sanksjon", role="link")
    browsing.check()
    page.get_by_label("Utestengelse fra tilskudd").check()
    page.get_by_label("Begrunnelse").fill("Tilskuddet er ikke brukt i samsvar med vilkårene i tilskuddsbrevet.")
    page.get_by_label("Utestengt fra og med år").fill("2027")
    page.get_by_label("Utestengt til og med år").fill("2028")
    click(page, "Lagre")
    browsing.check()
    bar = Sanction.objects.get(kind=Sanction.Kind.BAR)
    assert page.get_by_role("button", name="Godkjenn sanksjonen").count() == 0  # not by the one who prepared it
    browsing.goto(f"/tilskudd/kontroll/{case.pk}/sanksjon/")
    page.get_by_label("Stans av utbetaling").check()
    page.get_by_label("Begrunnelse").fill("Mistanke om at tilskuddet brukes i strid med vilkårene.")
    click(page, "Lagre")
    stop = Sanction.objects.get(kind=Sanction.Kind.STOP_PAYMENT)

    # The approver approves both; the stop takes effect at once.
    log_in(browsing, "godkjenner")
    for sanction in (bar, stop):
        browsing.goto(f"/tilskudd/kontroll/sanksjoner/{sanction.pk}/")
        browsing.check()
        click(page, "Godkjenn sanksjonen")
    assert "Utbetaling stanset" in page.content()
    stop.refresh_from_db()
    assert stop.status == Sanction.Status.APPROVED and stop.payment_stopped_at is not None

    # The stop holds the grant's payment: the approver cannot approve it, so it cannot be exported either.
    browsing.goto(f"/tilskudd/utbetalinger/{order.pk}/")
    browsing.check()
    assert "Utbetalingen holdes tilbake" in page.content() and "Betalingsstans" in page.content()
    assert page.get_by_role("button", name="Godkjenn utbetalingen").count() == 0
    assert not payments.exportable_orders().filter(pk=order.pk).exists()

    # The officer sends the bar's letter; it states the years, the paragraph and the appeal deadline.
    log_in(browsing, "tilskuddsforvalter")
    browsing.goto(f"/tilskudd/kontroll/sanksjoner/{bar.pk}/")
    # WeasyPrint loads its libraries on the first letter: slower than a page on a busy machine.
    click(page, "Lag og send brevet", timeout=60_000)
    browsing.check()
    response = page.request.get(browsing.url(f"/tilskudd/kontroll/sanksjoner/{bar.pk}/brev.pdf"))
    assert response.status == 200
    text = pdf_text(response.body())
    bar.refresh_from_db()
    assert "nektes tilskudd fra ordningen for årene 2027–2028" in text
    assert "pkt. 11" in text and "forvaltningsloven § 28" in text
    assert f"Klagefrist: {bar.appeal_deadline:%d.%m.%Y}" in text
    browsing.goto("/tilskudd/kontroll/")
    browsing.check()

    # The municipality's next application, for 2027, shows the bar with its citation.
    log_in(browsing, "soker-kommune")
    browsing.goto(f"/tilskudd/kontroll/sanksjoner/{bar.pk}/")
    browsing.check()
    browsing.goto("/tilskudd/utlysninger/")
    click(page, "Tilskudd til IPS 2027", role="link")
    click(page, "Søk om tilskudd", role="link")
    page.get_by_label("Tittel på søknaden").fill("IPS Oslo 2027")
    click(page, "Lagre")
    flag = page.locator("#utestengt").inner_text()
    assert "Søkeren er utestengt fra tilskudd" in flag
    assert "nektet tilskudd for 2027–2028" in flag
    assert "Regelverk for tilskuddsordningen, pkt. 11" in flag
    browsing.check()

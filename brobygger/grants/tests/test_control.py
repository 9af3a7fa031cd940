"""Control and sanctions (regelverket pkt. 10-11): every refusal, both sides of each limit, the letter read back."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from brobygger.audit.models import AuditEvent
from brobygger.grants import control, payments, services
from brobygger.grants.models import Appeal, ControlCase, Finding, Overpayment, PaymentStop, Sanction
from brobygger.grants.tests.fixtures import PDF, assessed, submitted
from brobygger.grants.tests.payment_fixtures import approved_account
from brobygger.grants.tests.test_letters import pdf_text
from brobygger.regelverk.services import reason_text

TODAY = timezone.localdate()


def messages(error) -> str:
    return " ".join(error.value.messages)


@pytest.fixture
def granted(officer, approver, applicant, call, complete):
    """Oslo kommune's 2026 grant for measure A, 500 000 kr, decided and sent."""
    assessed(officer, submitted(applicant, complete))
    recommendation = services.recommendation_submit(actor=officer, call=call)
    decision = services.recommendation_approve(actor=approver, recommendation=recommendation)[0]
    services.decision_send(actor=officer, decision=decision, on=date(2026, 3, 13))
    return decision


@pytest.fixture
def case(officer, granted):
    return control.control_case_open(actor=officer, decision=granted, basis=ControlCase.Basis.SAMPLE)


def breach(officer, case, kind=Finding.Kind.BREACH):
    return control.finding_record(
        actor=officer,
        case=case,
        kind=kind,
        text="Tilskuddet er brukt til andre stillinger enn jobbspesialister.",
        reference="Regelverk for tilskuddsordningen, pkt. 5 Tiltak A",
    )


def bar(officer, case, start=2027, end=2028):
    return control.sanction_prepare(
        actor=officer,
        case=case,
        kind=Sanction.Kind.BAR,
        reasons="Tilskuddet er ikke brukt i samsvar med vilkårene.",
        bar_from_year=start,
        bar_to_year=end,
    )


def committed(officer, case):
    return payments.commitment_create(actor=officer, decision=case.decision, instalments=2, first_due=date(2026, 4, 1))


def repayment(officer, approver, case, amount=120000):
    demand = control.sanction_prepare(
        actor=officer,
        case=case,
        kind=Sanction.Kind.REPAYMENT,
        reasons="Brukt i strid med vilkårene.",
        amount=amount,
        repayment_due=TODAY + timedelta(days=30),
    )
    return control.sanction_approve(actor=approver, sanction=demand)


# Opening a case


def test_a_control_case_is_opened_on_a_sent_grant_and_audited(officer, granted):
    events = AuditEvent.objects.count()
    case = control.control_case_open(
        actor=officer, decision=granted, basis=ControlCase.Basis.SUSPICION, suspicion_reason="Tips om feil i regnskap."
    )
    assert case.organisation == granted.application.organisation and case.grant_year == 2026
    assert case.status == ControlCase.Status.OPEN
    assert AuditEvent.objects.count() == events + 1


def test_only_grant_officers_open_control_cases(applicant, granted):
    with pytest.raises(PermissionDenied):
        control.control_case_open(actor=applicant, decision=granted, basis=ControlCase.Basis.SAMPLE)


def test_a_suspicion_needs_its_reason_and_a_basis_must_be_chosen(officer, granted):
    with pytest.raises(ValidationError) as error:
        control.control_case_open(actor=officer, decision=granted, basis=ControlCase.Basis.SUSPICION)
    assert "Skriv hva mistanken gjelder." in messages(error)
    with pytest.raises(ValidationError):
        control.control_case_open(actor=officer, decision=granted, basis="rykte")
    assert not ControlCase.objects.exists()


def test_a_decision_not_yet_sent_cannot_be_controlled(officer, approver, applicant, call, complete):
    assessed(officer, submitted(applicant, complete))
    recommendation = services.recommendation_submit(actor=officer, call=call)
    decision = services.recommendation_approve(actor=approver, recommendation=recommendation)[0]
    with pytest.raises(ValidationError) as error:
        control.control_case_open(actor=officer, decision=decision, basis=ControlCase.Basis.SAMPLE)
    assert "sendt mottakeren" in messages(error)


# Documents


def test_the_recipient_uploads_a_requested_pdf_once(officer, applicant, case):
    document = control.document_request(
        actor=officer, case=case, description="Regnskap for 2026", due_on=TODAY + timedelta(days=14)
    )
    case.refresh_from_db()
    assert case.status == ControlCase.Status.DOCUMENTS_REQUESTED
    assert control.control_next_step(case).due == TODAY + timedelta(days=14)
    control.document_upload(actor=applicant, document=document, filename="regnskap.pdf", content=PDF)
    document.refresh_from_db()
    assert document.received_on == TODAY and len(document.sha256) == 64
    with pytest.raises(ValidationError) as error:
        control.document_upload(actor=applicant, document=document, filename="igjen.pdf", content=PDF)
    assert "allerede sendt inn" in messages(error)


def test_a_request_needs_a_description_and_a_due_date_from_today(officer, case):
    with pytest.raises(ValidationError) as error:
        control.document_request(actor=officer, case=case, description=" ", due_on=TODAY - timedelta(days=1))
    assert "Skriv hvilket dokument" in messages(error) and "fortiden" in messages(error)
    assert control.document_request(actor=officer, case=case, description="Lønnslister", due_on=TODAY)


def test_only_the_recipient_uploads_and_only_a_pdf(officer, applicant, applicant_hf, case):
    document = control.document_request(actor=officer, case=case, description="Lønnslister", due_on=TODAY)
    with pytest.raises(PermissionDenied):
        control.document_upload(actor=applicant_hf, document=document, filename="x.pdf", content=PDF)
    with pytest.raises(PermissionDenied):
        control.document_upload(actor=officer, document=document, filename="x.pdf", content=PDF)
    with pytest.raises(ValidationError) as error:
        control.document_upload(actor=applicant, document=document, filename="x.pdf", content=b"GIF89a")
    assert "PDF" in messages(error)
    with pytest.raises(ValidationError) as error:
        control.document_upload(
            actor=applicant, document=document, filename="x.pdf", content=PDF + b"0" * (10 * 1024 * 1024)
        )
    assert "for stort" in messages(error)


# Findings and closing


def test_a_finding_needs_its_kind_text_and_paragraph(officer, case):
    with pytest.raises(ValidationError) as error:
        control.finding_record(actor=officer, case=case, kind="x", text="", reference="")
    assert {"kind", "text", "reference"} <= set(error.value.message_dict)
    breach(officer, case)
    case.refresh_from_db()
    assert case.status == ControlCase.Status.FINDINGS_RECORDED


def test_a_closed_case_takes_nothing_more(officer, applicant, case):
    document = control.document_request(actor=officer, case=case, description="Regnskap", due_on=TODAY)
    with pytest.raises(ValidationError):
        control.control_case_close(actor=officer, case=case, conclusion=" ")
    control.control_case_close(actor=officer, case=case, conclusion="Ingen merknader.")
    with pytest.raises(ValidationError):
        breach(officer, case)
    with pytest.raises(PermissionDenied):
        control.document_upload(actor=applicant, document=document, filename="x.pdf", content=PDF)
    assert control.control_next_step(case).text.startswith("Ferdig")


def test_a_case_with_a_sanction_waiting_for_approval_cannot_be_closed(officer, case):
    breach(officer, case)
    bar(officer, case)
    with pytest.raises(ValidationError) as error:
        control.control_case_close(actor=officer, case=case, conclusion="Utestengt.")
    assert "venter på godkjenning" in messages(error)


# Sanctions: what each rests on (pkt. 11)


def test_a_stop_needs_a_suspicion_or_a_deviation(officer, case):
    with pytest.raises(ValidationError) as error:
        control.sanction_prepare(actor=officer, case=case, kind=Sanction.Kind.STOP_PAYMENT, reasons="Stans.")
    assert "mistanke" in messages(error)
    breach(officer, case, Finding.Kind.DEVIATION)
    stop = control.sanction_prepare(actor=officer, case=case, kind=Sanction.Kind.STOP_PAYMENT, reasons="Stans.")
    assert stop.status == Sanction.Status.PREPARED and stop.payment_stopped_at is None
    with pytest.raises(ValidationError) as error:
        control.sanction_prepare(actor=officer, case=case, kind=Sanction.Kind.STOP_PAYMENT, reasons="Igjen.")
    assert "allerede stanset" in messages(error)


def test_a_stop_shows_the_stop_in_place_it_found_and_no_stop_once_that_is_lifted(officer, approver, granted):
    earlier = payments.payment_stop(actor=officer, reason="Mangler rapport.", decision=granted)
    case = control.control_case_open(
        actor=officer, decision=granted, basis=ControlCase.Basis.SUSPICION, suspicion_reason="Uriktige opplysninger."
    )
    stop = control.sanction_prepare(actor=officer, case=case, kind=Sanction.Kind.STOP_PAYMENT, reasons="Mistanke.")
    assert stop.payment_stopped_at is None  # prepared: the officer's stop holds the money, not this decision
    control.sanction_approve(actor=approver, sanction=stop)
    assert not PaymentStop.objects.filter(sanction=stop).exists()
    assert stop.payment_stopped_at == earlier.started_at
    payments.payment_stop_lift(actor=officer, stop=earlier, reason="Rapporten kom.")
    assert stop.payment_stopped_at is None


def test_a_stop_on_suspicion_takes_effect_when_a_second_officer_approves(officer, approver, granted):
    case = control.control_case_open(
        actor=officer, decision=granted, basis=ControlCase.Basis.SUSPICION, suspicion_reason="Uriktige opplysninger."
    )
    stop = control.sanction_prepare(actor=officer, case=case, kind=Sanction.Kind.STOP_PAYMENT, reasons="Mistanke.")
    with pytest.raises(PermissionDenied):
        control.sanction_approve(actor=officer, sanction=stop)
    control.sanction_approve(actor=approver, sanction=stop)
    assert stop.status == Sanction.Status.APPROVED and stop.payment_stopped_at is not None
    with pytest.raises(ValidationError):
        control.sanction_approve(actor=approver, sanction=stop)


def test_the_database_refuses_one_person_preparing_and_approving(officer, case):
    breach(officer, case)
    sanction = bar(officer, case)
    with pytest.raises(IntegrityError), transaction.atomic():
        Sanction.objects.filter(pk=sanction.pk).update(approved_by=officer)


def test_a_repayment_needs_a_documented_breach(officer, case):
    breach(officer, case, Finding.Kind.DEVIATION)
    with pytest.raises(ValidationError) as error:
        control.sanction_prepare(
            actor=officer,
            case=case,
            kind=Sanction.Kind.REPAYMENT,
            reasons="Tilbake.",
            amount=100000,
            repayment_due=TODAY + timedelta(days=30),
        )
    assert "dokumentert mislighold" in messages(error)


@pytest.mark.parametrize(
    ("amount", "ok"),
    [(0, False), (1, True), (500000, True), (500001, False), ("12,5", False), (Decimal("10.5"), False)],
)
def test_a_repayment_is_whole_kroner_above_0_and_at_most_the_grant(officer, case, amount, ok):
    breach(officer, case)
    kwargs = dict(
        actor=officer,
        case=case,
        kind=Sanction.Kind.REPAYMENT,
        reasons="Tilbake.",
        amount=amount,
        repayment_due=TODAY + timedelta(days=30),
    )
    if ok:
        assert control.sanction_prepare(**kwargs).amount == Decimal(amount)
    else:
        with pytest.raises(ValidationError) as error:
            control.sanction_prepare(**kwargs)
        assert "amount" in error.value.message_dict


def test_a_repayment_due_date_is_after_today(officer, case):
    breach(officer, case)
    for due in (None, TODAY):
        with pytest.raises(ValidationError) as error:
            control.sanction_prepare(
                actor=officer, case=case, kind=Sanction.Kind.REPAYMENT, reasons="T.", amount=1, repayment_due=due
            )
        assert "repayment_due" in error.value.message_dict
    demand = control.sanction_prepare(
        actor=officer,
        case=case,
        kind=Sanction.Kind.REPAYMENT,
        reasons="T.",
        amount=1,
        repayment_due=TODAY + timedelta(1),
    )
    assert demand.repayment_due == TODAY + timedelta(days=1)


def test_a_bar_needs_a_finding_and_covers_only_following_years(officer, case):
    with pytest.raises(ValidationError) as error:
        bar(officer, case)
    assert "registrer et avvik" in messages(error)
    breach(officer, case, Finding.Kind.DEVIATION)
    for start, end, field in ((2026, 2027, "bar_from_year"), (2028, 2027, "bar_to_year"), (2027, 2037, "bar_to_year")):
        with pytest.raises(ValidationError) as error:
            bar(officer, case, start, end)
        assert field in error.value.message_dict, (start, end)
    assert bar(officer, case, 2027, 2036).bar_to_year == 2036  # ten years


def test_a_sanction_needs_reasons_and_a_kind(officer, case):
    breach(officer, case)
    with pytest.raises(ValidationError):
        control.sanction_prepare(actor=officer, case=case, kind="bot", reasons="X")
    with pytest.raises(ValidationError) as error:
        control.sanction_prepare(
            actor=officer, case=case, kind=Sanction.Kind.BAR, reasons=" ", bar_from_year=2027, bar_to_year=2027
        )
    assert "begrunnes" in messages(error)


# The letter, the appeal and the bar's effect


def test_the_bar_letter_states_the_basis_the_years_and_the_appeal_deadline(officer, approver, case, applicant):
    breach(officer, case)
    sanction = bar(officer, case)
    with pytest.raises(ValidationError):
        control.sanction_send(actor=officer, sanction=sanction)
    control.sanction_approve(actor=approver, sanction=sanction)
    control.sanction_send(actor=officer, sanction=sanction, on=date(2026, 11, 6))
    assert sanction.appeal_deadline == date(2026, 11, 27)
    text = pdf_text(sanction.letter_pdf)
    assert "Vedtak om utestengelse fra tilskudd" in text
    assert "nektes tilskudd fra ordningen for årene 2027–2028" in text
    assert "pkt. 11" in text and "forvaltningsloven § 28" in text
    assert "Klagefrist: 27.11.2026" in text
    assert "Regelverk for tilskuddsordningen, pkt. 5 Tiltak A" in text  # the finding's paragraph
    assert mail.outbox == [] or mail.outbox[-1].attachments
    with pytest.raises(ValidationError):
        control.sanction_send(actor=officer, sanction=sanction)


def test_a_bar_in_force_flags_the_years_it_covers_with_its_citation(officer, approver, case):
    organisation = case.organisation
    assert control.bar_check(organisation, 2027).outcome == "ikke_utestengt"
    breach(officer, case)
    sanction = bar(officer, case)
    assert control.bar_check(organisation, 2027).outcome == "ikke_utestengt"  # prepared only: not in force
    control.sanction_approve(actor=approver, sanction=sanction)
    result = control.bar_check(organisation, 2027)
    assert result.outcome == "utestengt"
    assert result.reasons[0].reference.startswith("Regelverk for tilskuddsordningen, pkt. 11")
    assert control.bar_check(organisation, 2029).outcome == "ikke_utestengt"


def test_an_appeal_against_a_sanction_is_registered_and_lifting_it_lifts_the_stop(officer, approver, granted):
    case = control.control_case_open(
        actor=officer, decision=granted, basis=ControlCase.Basis.SUSPICION, suspicion_reason="Uriktige opplysninger."
    )
    stop = control.sanction_prepare(actor=officer, case=case, kind=Sanction.Kind.STOP_PAYMENT, reasons="Mistanke.")
    control.sanction_approve(actor=approver, sanction=stop)
    with pytest.raises(ValidationError):
        services.appeal_register(actor=officer, sanction=stop, received_on=TODAY, grounds="Feil.")
    control.sanction_send(actor=officer, sanction=stop, on=TODAY)
    appeal = services.appeal_register(actor=officer, sanction=stop, received_on=TODAY, grounds="Opplysningene stemmer.")
    assert appeal.in_time and appeal.organisation == case.organisation
    with pytest.raises(ValidationError):
        services.appeal_change(actor=officer, appeal=appeal, amounts={}, reasons="X")
    with pytest.raises(ValidationError):
        control.sanction_appeal_change(actor=officer, appeal=appeal, reasons=" ")
    control.sanction_appeal_change(actor=officer, appeal=appeal, reasons="Opplysningene er dokumentert.")
    stop.refresh_from_db()
    assert stop.status == Sanction.Status.LIFTED and stop.payment_stopped_at is None
    assert services.appeal_next_step(appeal).text == "Ferdig: sanksjonen er opphevet"


def test_an_upheld_sanction_appeal_goes_to_the_ministry_with_a_summary(officer, approver, case):
    breach(officer, case)
    sanction = bar(officer, case)
    control.sanction_approve(actor=approver, sanction=sanction)
    control.sanction_send(actor=officer, sanction=sanction, on=TODAY)
    appeal = services.appeal_register(actor=officer, sanction=sanction, received_on=TODAY, grounds="For strengt.")
    services.appeal_forward(actor=officer, appeal=appeal, reconsideration="Vi står ved vedtaket.")
    text = pdf_text(appeal.summary_pdf)
    assert "klage på vedtak om utestengelse fra tilskudd" in text and "For strengt." in text


def test_the_database_refuses_an_appeal_against_both_or_neither(officer, granted):
    with pytest.raises(IntegrityError), transaction.atomic():
        Appeal.objects.create(received_on=TODAY, grounds="X", in_time=True, registered_by=officer)


def test_a_repayment_demand_is_a_claim_in_payments_once_sent_not_when_approved(officer, approver, case):
    committed(officer, case)
    breach(officer, case)
    demand = control.sanction_prepare(
        actor=officer,
        case=case,
        kind=Sanction.Kind.REPAYMENT,
        reasons="Tilbake.",
        amount=120000,
        repayment_due=TODAY + timedelta(days=30),
    )
    control.sanction_approve(actor=approver, sanction=demand)
    assert not Overpayment.objects.filter(sanction=demand).exists()
    control.sanction_send(actor=officer, sanction=demand, on=TODAY)
    claim = Overpayment.objects.get(sanction=demand)
    assert claim.amount == Decimal(120000) and claim.due_on == TODAY + timedelta(days=30)
    assert claim.decision.application.organisation_id == case.organisation_id


def test_the_bar_reason_is_english_when_english_is_chosen(officer, approver, case):
    breach(officer, case)
    control.sanction_approve(actor=approver, sanction=bar(officer, case))
    reason = control.bar_check(case.organisation, 2028).reasons[0]
    with translation.override("en"):
        assert reason_text(reason).startswith("The applicant is refused the grant for 2027–2028")
    assert reason_text(reason).startswith("Søkeren er nektet tilskudd for 2027–2028")


def test_the_repayment_letter_states_the_amount_the_due_date_and_the_basis(officer, approver, case):
    committed(officer, case)
    breach(officer, case)
    due = TODAY + timedelta(days=30)
    demand = control.sanction_prepare(
        actor=officer,
        case=case,
        kind=Sanction.Kind.REPAYMENT,
        reasons="Brukt i strid med vilkårene.",
        amount=120000,
        repayment_due=due,
    )
    control.sanction_approve(actor=approver, sanction=demand)
    control.sanction_send(actor=officer, sanction=demand, on=TODAY)
    text = pdf_text(demand.letter_pdf)
    assert "Vedtak om krav om tilbakebetaling" in text
    assert "krever 120 000 kr av tilskuddet for 2026 tilbakebetalt" in text
    assert f"betalt innen {due:%d.%m.%Y}" in text
    assert "dokumentert mislighold" in text


# What a sanction does to payments


def test_a_stop_holds_the_decisions_orders_and_lifting_it_on_appeal_releases_them(
    officer, approver, applicant, granted
):
    commitment = payments.commitment_create(actor=officer, decision=granted, instalments=2, first_due=date(2026, 4, 1))
    approved_account(applicant, officer, approver)
    order = commitment.orders.order_by("instalment").first()
    payments.payment_order_attest(actor=officer, order=order)
    case = control.control_case_open(
        actor=officer, decision=granted, basis=ControlCase.Basis.SUSPICION, suspicion_reason="Uriktige opplysninger."
    )
    stop = control.sanction_prepare(actor=officer, case=case, kind=Sanction.Kind.STOP_PAYMENT, reasons="Mistanke.")
    assert payments.order_holds(order) == []  # prepared, not approved: nothing stops yet
    control.sanction_approve(actor=approver, sanction=stop)
    assert any("Betalingsstans" in hold for hold in payments.order_holds(order))
    with pytest.raises(ValidationError):
        payments.payment_order_approve(actor=approver, order=order)
    assert PaymentStop.objects.get(sanction=stop).decision == granted
    control.sanction_send(actor=officer, sanction=stop, on=TODAY)
    appeal = services.appeal_register(actor=officer, sanction=stop, received_on=TODAY, grounds="Opplysningene stemmer.")
    control.sanction_appeal_change(actor=officer, appeal=appeal, reasons="Opplysningene er dokumentert.")
    assert payments.order_holds(order) == []
    assert PaymentStop.objects.get(sanction=stop).lift_reason == "Opplysningene er dokumentert."
    assert payments.payment_order_approve(actor=approver, order=order).status == "approved"


def test_a_sent_repayment_demand_is_a_claim_that_repayments_are_registered_against(officer, approver, case):
    committed(officer, case)
    breach(officer, case)
    demand = control.sanction_send(actor=officer, sanction=repayment(officer, approver, case), on=TODAY)
    claim = Overpayment.objects.get(sanction=demand)
    assert (claim.amount, claim.handling, claim.due_on) == (Decimal(120000), "claim", demand.repayment_due)
    payments.repayment_register(actor=officer, overpayment=claim, received_on=TODAY, amount=Decimal(50000))
    assert payments.call_money(case.decision.application.call).repaid == Decimal(50000)
    appeal = services.appeal_register(actor=officer, sanction=demand, received_on=TODAY, grounds="Feil beløp.")
    with pytest.raises(ValidationError, match="innbetalinger på kravet"):
        control.sanction_appeal_change(actor=officer, appeal=appeal, reasons="Feil.")
    demand.refresh_from_db()
    assert demand.status == Sanction.Status.NOTIFIED and Overpayment.objects.filter(sanction=demand).exists()


def test_a_repayment_demand_lifted_on_appeal_withdraws_its_claim(officer, approver, case):
    committed(officer, case)
    breach(officer, case)
    demand = control.sanction_send(actor=officer, sanction=repayment(officer, approver, case), on=TODAY)
    claim_pk = Overpayment.objects.get(sanction=demand).pk
    appeal = services.appeal_register(actor=officer, sanction=demand, received_on=TODAY, grounds="Feil beløp.")
    control.sanction_appeal_change(actor=officer, appeal=appeal, reasons="Beløpet var brukt etter vilkårene.")
    assert not Overpayment.objects.filter(pk=claim_pk).exists()
    assert AuditEvent.objects.filter(object_id=str(claim_pk), action=AuditEvent.Action.DELETE).exists()


def test_a_repayment_demand_on_a_grant_not_paid_cannot_be_sent_and_nothing_is_saved(officer, approver, case):
    breach(officer, case)
    demand = repayment(officer, approver, case)
    with pytest.raises(ValidationError, match="ikke forpliktet"):
        control.sanction_send(actor=officer, sanction=demand, on=TODAY)
    demand.refresh_from_db()
    assert demand.status == Sanction.Status.APPROVED and not demand.letter_pdf

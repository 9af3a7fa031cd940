"""The demo grants: made through the real services, in every state, with history that steps the ceilings down."""

from datetime import date

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from brobygger.grants import demo
from brobygger.grants.models import Appeal, Application, Call, ControlCase, Decision, DecisionLetter, Sanction


def test_the_demo_has_two_calls_and_about_thirty_applications_in_every_state(personas):
    count = demo.seed()
    assert 28 <= count <= 32
    assert set(Call.objects.values_list("status", flat=True)) == {Call.Status.CLOSED, Call.Status.PUBLISHED}
    states = set(Application.objects.values_list("status", flat=True))
    assert states == set(Application.Status.values)
    assert set(Application.objects.values_list("measures__measure", flat=True)) - {None} == {"A", "B", "C"}
    assert set(Decision.objects.values_list("status", flat=True)) == {
        Decision.Status.NOTIFIED,
        Decision.Status.REPLACED,
        Decision.Status.PREPARED,
    }
    assert set(Appeal.objects.values_list("status", flat=True)) == {
        Appeal.Status.CLOSED,
        Appeal.Status.CHANGED,
        Appeal.Status.DISMISSED,
        Appeal.Status.RECEIVED,
    }
    # One control closed without remark, one on suspicion with a payment stopped by a sent decision.
    assert set(ControlCase.objects.values_list("status", flat=True)) == {
        ControlCase.Status.CLOSED,
        ControlCase.Status.FINDINGS_RECORDED,
    }
    stop = Sanction.objects.get()
    assert stop.kind == Sanction.Kind.STOP_PAYMENT and stop.status == Sanction.Status.NOTIFIED
    assert stop.payment_stopped_at is not None and stop.letter_sha256
    # Bergen got A in 2025, so its 2026 application is in the second project year: 400 000 for one position.
    bergen = Application.objects.get(call__year=2026, organisation__name="Bergen kommune (demo)")
    assert bergen.measures.get().project_year == 2


def test_the_demo_stores_its_letters_and_e_mails_none_of_them(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed()
    assert mail.outbox == []
    # The applicant personas have e-mail addresses: without the services told not to, these would go out.
    assert DecisionLetter.objects.exclude(sent_to=[]).exists()
    assert Sanction.objects.exclude(sent_to=[]).exists()


def test_the_demo_applicants_see_their_own_organisations_cases(personas):
    demo.seed()
    from brobygger.grants import access

    seen = access.visible_applications(personas["soker-hf"])
    assert seen.exists()
    assert all("Akershus" in str(a.organisation) or "Akershus" in str(a.partner) for a in seen)


def test_the_command_runs_only_in_demo_mode_and_once(personas, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError):
        call_command("seed_demo_grants")
    settings.DEMO_MODE = True
    call_command("seed_demo_grants", "--if-empty")
    count = Application.objects.count()
    call_command("seed_demo_grants", "--if-empty")
    assert Application.objects.count() == count


def test_the_2025_decisions_have_reports_in_every_state_and_late_ones(personas):
    from brobygger.grants import annual_reports
    from brobygger.grants.models import AnnualReport

    demo.seed()
    assert set(AnnualReport.objects.values_list("status", flat=True)) == set(AnnualReport.Status.values)
    rows = annual_reports.report_rows(list(annual_reports.granted_decisions()), today=date(2026, 4, 2))
    assert any(row.late and row.report is None for row in rows)
    assert any(row.late and row.report is not None for row in rows)
    tromso = AnnualReport.objects.get(application__organisation__name="Tromsø kommune (demo)")
    assert tromso.figures.get(key="work").is_corrected
    assert tromso.signatures.count() == 2


def test_the_demo_pays_the_2025_decisions_in_every_state(personas):
    from brobygger.grants import payments
    from brobygger.grants.models import Commitment, Overpayment, PaymentFile, PaymentOrder

    demo.seed()
    assert Commitment.objects.filter(call__year=2025).count() >= 8
    assert set(PaymentOrder.objects.values_list("status", flat=True)) == set(PaymentOrder.Status.values)
    assert PaymentFile.objects.count() == 2
    for payment_file in PaymentFile.objects.all():
        from lxml import etree

        assert payments.pain001_schema().validate(etree.fromstring(bytes(payment_file.xml)))
    holds = [payments.order_holds(o) for o in PaymentOrder.objects.exclude(status="exported")]
    assert any("Nytt kontonummer" in " ".join(h) for h in holds)
    assert any("Betalingsstans" in " ".join(h) for h in holds)
    offset = Overpayment.objects.get(handling="offset")
    assert offset.offset_commitment is None and offset.decision.application.call.year == 2025
    call = Call.objects.get(year=2025)
    money = payments.call_money(call)
    assert money.repaid == 20000 and 0 < money.paid < money.committed <= call.budget_frame

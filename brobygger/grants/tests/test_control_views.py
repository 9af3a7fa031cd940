"""The control pages: the recipient answers requests and sees no findings; bad uploads are refused on the form;
the bar shows on the next application and its assessment offers the refusal with the citation."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from brobygger.grants import control, services
from brobygger.grants.models import ControlCase, Finding, Sanction
from brobygger.grants.tests.fixtures import PDF, fill
from brobygger.grants.tests.test_control import breach, granted  # noqa: F401 (fixture)

TODAY = timezone.localdate()


@pytest.fixture
def case(officer, granted):  # noqa: F811
    case = control.control_case_open(
        actor=officer, decision=granted, basis=ControlCase.Basis.SUSPICION, suspicion_reason="Tips om feil."
    )
    control.finding_record(
        actor=officer, case=case, kind=Finding.Kind.BREACH, text="Hemmelig funn.", reference="pkt. 5"
    )
    return case


def test_the_recipient_uploads_a_requested_pdf_and_sees_no_findings(login, officer, applicant, case):
    document = control.document_request(actor=officer, case=case, description="Regnskap", due_on=TODAY)
    client = login(applicant)
    page = client.get(f"/tilskudd/kontroll/{case.pk}/")
    assert page.status_code == 200 and "Regnskap" in page.text
    assert "Hemmelig funn." not in page.text and "Tips om feil." not in page.text
    url = f"/tilskudd/kontroll/{case.pk}/dokumentasjon/{document.pk}/send-inn/"
    refused = client.post(url, {"file": SimpleUploadedFile("regnskap.pdf", b"GIF89a", "application/pdf")})
    assert refused.status_code == 422 and "Vedlegget må være en PDF-fil." in refused.text
    document.refresh_from_db()
    assert not document.is_received
    client.post(url, {"file": SimpleUploadedFile("regnskap.pdf", PDF, "application/pdf")})
    document.refresh_from_db()
    assert document.is_received
    download = client.get(f"/tilskudd/kontroll/{case.pk}/dokumentasjon/{document.pk}.pdf")
    assert download.content == PDF


def test_another_organisation_never_sees_the_case(login, officer, outsider, applicant_hf, case):
    for user in (outsider, applicant_hf):
        client = login(user)
        assert client.get(f"/tilskudd/kontroll/{case.pk}/").status_code == 404
        assert str(case.organisation) not in client.get("/tilskudd/kontroll/").text


def test_a_sanction_form_refuses_a_bar_without_years_and_saves_nothing(login, officer, case):
    page = login(officer).post(
        f"/tilskudd/kontroll/{case.pk}/sanksjon/", {"kind": "bar", "reasons": "Brudd på vilkårene."}
    )
    assert page.status_code == 422 and "Oppgi første og siste år" in page.text
    assert not Sanction.objects.exists()


def test_a_sanction_appeal_shows_on_the_appeal_pages(login, officer, approver, case):
    stop = control.sanction_prepare(actor=officer, case=case, kind=Sanction.Kind.STOP_PAYMENT, reasons="Mistanke.")
    control.sanction_approve(actor=approver, sanction=stop)
    control.sanction_send(actor=officer, sanction=stop, on=TODAY)
    client = login(officer)
    sanction_page = client.get(f"/tilskudd/kontroll/sanksjoner/{stop.pk}/").text
    assert f"Utbetaling stanset</dt><dd>{TODAY:%d.%m.%Y}" in sanction_page
    page = client.post(
        f"/tilskudd/kontroll/sanksjoner/{stop.pk}/klage/", {"received_on": TODAY.isoformat(), "grounds": "Feil."}
    )
    appeal = stop.appeals.get()
    assert page.status_code == 302 and page.url == f"/tilskudd/klager/{appeal.pk}/"
    detail = client.get(f"/tilskudd/klager/{appeal.pk}/")
    assert "Stans av utbetaling" in detail.text and "Opphev sanksjonen" in detail.text
    assert str(case.organisation) in client.get("/tilskudd/klager/").text
    client.post(f"/tilskudd/klager/{appeal.pk}/omgjor/", {"reasons": "Opplysningene er dokumentert."})
    stop.refresh_from_db()
    assert stop.status == Sanction.Status.LIFTED and stop.payment_stopped_at is None
    assert "Utbetaling stanset" not in client.get(f"/tilskudd/kontroll/sanksjoner/{stop.pk}/").text


def test_the_next_application_shows_the_bar_and_its_assessment_offers_the_refusal(
    login, officer, approver, applicant, case
):
    sanction = control.sanction_prepare(
        actor=officer, case=case, kind=Sanction.Kind.BAR, reasons="Brudd.", bar_from_year=2027, bar_to_year=2027
    )
    control.sanction_approve(actor=approver, sanction=sanction)
    call = services.call_publish(
        actor=officer,
        call=services.call_create(
            actor=officer,
            year=2027,
            title="IPS 2027",
            budget_frame=Decimal("3000000"),
            deadline=date(2027, 3, 1),
            text="T",
        ),
    )
    application = fill(applicant, services.application_create(actor=applicant, call=call, title="IPS Oslo 2027"))
    services.application_submit(actor=applicant, application=application, on=TODAY)
    page = login(applicant).get(f"/tilskudd/soknader/{application.pk}/")
    assert "Søkeren er utestengt fra tilskudd" in page.text and "pkt. 11" in page.text
    services.impartiality_declare(actor=officer, application=application, conflict=False)
    form = login(officer).get(f"/tilskudd/soknader/{application.pk}/vurdering/")
    assert "nektet tilskudd for 2027–2027" in form.text
    assert form.context["form"].initial["refusal_citations"].startswith("Regelverk for tilskuddsordningen, pkt. 11")
    assert form.context["form"].initial["amount_A"] == 0
    allocation = login(officer).get(f"/tilskudd/utlysninger/{call.pk}/fordeling/")
    assert '<span class="ds-tag" data-color="danger">utestengt</span>' in allocation.text


def test_a_year_outside_the_bar_shows_no_flag(login, officer, approver, applicant, case, complete):
    sanction = control.sanction_prepare(
        actor=officer, case=case, kind=Sanction.Kind.BAR, reasons="Brudd.", bar_from_year=2027, bar_to_year=2028
    )
    control.sanction_approve(actor=approver, sanction=sanction)
    assert "utestengt" not in login(applicant).get(f"/tilskudd/soknader/{complete.pk}/").text

"""The grant pages: who sees what, forms that refuse bad input in bokmål and save nothing, the flow end to end."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from brobygger.grants import services
from brobygger.grants.models import Application, Call, Decision, Recommendation
from brobygger.grants.tests.fixtures import PDF, assessed, submitted


def test_applicants_see_published_calls_and_officers_also_drafts(login, officer, applicant, call):
    draft = services.call_create(
        actor=officer, year=2027, title="Utkast 2027", budget_frame=1, deadline=date(2027, 3, 1), text="T"
    )
    page = login(applicant).get("/tilskudd/utlysninger/")
    assert call.title in page.text and draft.title not in page.text
    assert login(applicant).get(f"/tilskudd/utlysninger/{draft.pk}/").status_code == 404
    assert draft.title in login(officer).get("/tilskudd/utlysninger/").text


def test_other_roles_are_refused(login, personas, call):
    client = login(personas["jobbspesialist"])
    assert client.get("/tilskudd/utlysninger/").status_code == 403
    assert client.get(f"/tilskudd/utlysninger/{call.pk}/").status_code == 404


def test_an_applicant_never_sees_another_organisations_application(login, outsider, applicant, complete):
    client = login(outsider)
    assert client.get(f"/tilskudd/soknader/{complete.pk}/").status_code == 404
    assert complete.title not in client.get("/tilskudd/soknader/").text
    assert complete.title not in client.get(f"/tilskudd/utlysninger/{complete.call_id}/").text
    assert client.get(f"/tilskudd/soknader/{complete.pk}/endre/").status_code == 404
    assert complete.title in login(applicant).get("/tilskudd/soknader/").text


def test_the_partner_in_a_joint_application_sees_it(login, applicant_hf, joint):
    assert login(applicant_hf).get(f"/tilskudd/soknader/{joint.pk}/").status_code == 200


def test_an_applicant_never_sees_another_organisations_decision_or_letter(
    login, officer, approver, applicant, outsider, complete, call
):
    assessed(officer, submitted(applicant, complete))
    recommendation = services.recommendation_submit(actor=officer, call=call)
    decision = services.recommendation_approve(actor=approver, recommendation=recommendation)[0]
    # Not yet sent: even the applicant does not see it.
    assert login(applicant).get(f"/tilskudd/vedtak/{decision.pk}/").status_code == 404
    services.decision_send(actor=officer, decision=decision, on=date(2026, 3, 2))
    response = login(applicant).get(f"/tilskudd/vedtak/{decision.pk}/brev.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    outsider_client = login(outsider)
    assert outsider_client.get(f"/tilskudd/vedtak/{decision.pk}/").status_code == 404
    assert outsider_client.get(f"/tilskudd/vedtak/{decision.pk}/brev.pdf").status_code == 404


def test_officers_do_not_see_drafts(login, officer, complete):
    assert login(officer).get(f"/tilskudd/soknader/{complete.pk}/").status_code == 404


def test_bad_amounts_are_refused_in_bokmal_and_nothing_is_saved(login, applicant, complete):
    client = login(applicant)
    response = client.post(
        f"/tilskudd/soknader/{complete.pk}/endre/",
        {"title": "Ny tittel", "co_funding_amount": "100,50", "own_funding_amount": "-5"},
    )
    assert response.status_code == 422
    assert "helt tall i kroner" in response.text and "negativt" in response.text
    complete.refresh_from_db()
    assert complete.title == "IPS Oslo 2026"


def test_fte_above_one_is_refused_on_the_page(login, applicant, complete):
    response = login(applicant).post(
        f"/tilskudd/soknader/{complete.pk}/tiltak/A/",
        {
            "requested_amount": "500000",
            "earlier_scheme_project_year": "2",
            "salary_costs_only": "on",
            "position_1_title": "JS",
            "position_1_fte": "1.5",
        },
    )
    assert response.status_code == 422
    assert "kan ikke være over 1" in response.text
    assert complete.measures.get().fte == 1


def test_a_non_pdf_upload_is_refused(login, applicant, complete):
    upload = SimpleUploadedFile("avtale.pdf", b"GIF89a not a pdf", content_type="application/pdf")
    response = login(applicant).post(f"/tilskudd/soknader/{complete.pk}/vedlegg/", {"kind": "other", "file": upload})
    assert response.status_code == 422 and "må være en PDF-fil" in response.text
    assert not complete.attachments.exists()
    upload = SimpleUploadedFile("avtale.pdf", PDF, content_type="application/pdf")
    login(applicant).post(f"/tilskudd/soknader/{complete.pk}/vedlegg/", {"kind": "other", "file": upload})
    assert complete.attachments.count() == 1


def test_submitting_an_incomplete_application_shows_every_missing_item(login, applicant, call):
    application = services.application_create(actor=applicant, call=call, title="Tom")
    response = login(applicant).post(f"/tilskudd/soknader/{application.pk}/send-inn/", follow=True)
    assert "Søknaden mangler en prosjektbeskrivelse." in response.text
    assert "pkt. 4" in response.text
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_the_whole_flow_through_the_pages(
    login, officer, approver, applicant, complete, call, settings, django_capture_on_commit_callbacks
):
    # The call's deadline is after today only in this test's world: move it so submitting today is in time.
    Call.objects.filter(pk=call.pk).update(deadline=date(2026, 12, 31))
    client = login(applicant)
    response = client.post(f"/tilskudd/soknader/{complete.pk}/send-inn/", follow=True)
    assert "Søknaden er sendt inn." in response.text

    client = login(officer)
    assert "Erklær habilitet" in client.get(f"/tilskudd/soknader/{complete.pk}/").text
    assert client.get(f"/tilskudd/soknader/{complete.pk}/vurdering/").status_code == 403
    client.post(f"/tilskudd/soknader/{complete.pk}/habilitet/", {"conflict": "0"})
    response = client.post(
        f"/tilskudd/soknader/{complete.pk}/vurdering/",
        {"criteria": "God søknad.", "amount_A": "500001", "reason_A": ""},
    )
    assert response.status_code == 422 and "høyeste tilskudd" in response.text
    client.post(f"/tilskudd/soknader/{complete.pk}/vurdering/", {"criteria": "God søknad.", "amount_A": "500000"})
    assessed_pk = complete.measures.get().assessed.pk

    Call.objects.filter(pk=call.pk).update(budget_frame=400000)
    page = client.get(f"/tilskudd/utlysninger/{call.pk}/fordeling/")
    assert "500 000 kr" in page.text
    response = client.post(f"/tilskudd/utlysninger/{call.pk}/fordeling/", {f"amount_{assessed_pk}": "450000"})
    assert response.status_code == 422 and "over budsjettrammen" in response.text
    client.post(f"/tilskudd/utlysninger/{call.pk}/fordeling/", {f"amount_{assessed_pk}": "400000"})
    client.post(f"/tilskudd/utlysninger/{call.pk}/innstilling/")
    recommendation = Recommendation.objects.get()
    assert client.post(f"/tilskudd/innstillinger/{recommendation.pk}/godkjenn/").status_code == 403

    client = login(approver)
    client.post(f"/tilskudd/innstillinger/{recommendation.pk}/godkjenn/")
    decision = Decision.objects.get()
    assert (decision.outcome, decision.total) == (Decision.Outcome.PARTLY, 400000)

    client = login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/tilskudd/vedtak/{decision.pk}/send/")
    decision.refresh_from_db()
    assert decision.status == Decision.Status.NOTIFIED
    assert client.get(f"/tilskudd/vedtak/{decision.pk}/brev.pdf").content.startswith(b"%PDF")
    response = client.post(
        f"/tilskudd/vedtak/{decision.pk}/klage/",
        {"received_on": decision.letter.notified_on.isoformat(), "grounds": "For lite."},
        follow=True,
    )
    assert "Klage fra Oslo kommune (demo)" in response.text
    assert "Oslo kommune (demo)" in client.get("/tilskudd/klager/").text


def test_the_applicant_home_page_names_the_organisation(login, applicant):
    page = login(applicant).get("/")
    assert "Oslo kommune (demo)" in page.text
    assert "/tilskudd/utlysninger/" in page.text


def test_the_running_sum_follows_the_amounts_as_they_are_typed_and_saves_nothing(
    login, officer, applicant, complete, call
):
    assessed(officer, submitted(applicant, complete))
    Call.objects.filter(pk=call.pk).update(budget_frame=400000)
    row = complete.measures.get().assessed
    client = login(officer)
    response = client.post(
        f"/tilskudd/utlysninger/{call.pk}/fordeling/sum/",
        {f"amount_{row.pk}": "450 000"},
        headers={"HX-Request": "true"},
    )
    assert "450 000 kr" in response.text and "-50 000 kr" in response.text
    assert "over budsjettrammen" in response.text
    row.refresh_from_db()
    assert row.proposed_amount == 500000
    assert login(applicant).post(f"/tilskudd/utlysninger/{call.pk}/fordeling/sum/").status_code == 403


def test_an_applicant_removes_a_milestone_from_a_draft_and_an_outsider_cannot(login, applicant, outsider, complete):
    milestone = complete.milestones.get()
    url = f"/tilskudd/soknader/{complete.pk}/fjern/milepael/{milestone.pk}/"
    assert login(outsider).post(url).status_code == 404
    assert complete.milestones.exists()
    login(applicant).post(url)
    assert not complete.milestones.exists()


def test_an_officer_records_an_earlier_grant_and_sees_the_history(login, officer, applicant):
    client = login(officer)
    org = applicant.organisation
    response = client.post(
        "/tilskudd/tidligere-tilskudd/", {"organisation": org.pk, "measure": "A", "year": "2099", "amount": "1"}
    )
    assert response.status_code == 422 and "fram i tid" in response.text
    client.post("/tilskudd/tidligere-tilskudd/", {"organisation": org.pk, "measure": "A", "year": "2024"})
    assert "Oslo kommune (demo)" in client.get("/tilskudd/tidligere-tilskudd/").text
    assert login(applicant).get("/tilskudd/tidligere-tilskudd/").status_code == 403


def test_the_pages_are_in_english_when_asked(login, applicant, call):
    client = login(applicant)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/tilskudd/utlysninger/{call.pk}/").text
    assert "Application deadline" in page and "Apply for a grant" in page
    application = services.application_create(actor=applicant, call=call, title="Tom")
    response = client.post(f"/tilskudd/soknader/{application.pk}/send-inn/", follow=True)
    assert "Checklist before submission" in response.text


@pytest.mark.parametrize("path", ["/deltakere/", "/saksoversikt/", "/modelltrohet/", "/statistikk/"])
def test_applicants_never_reach_the_pathway_or_the_figures(login, applicant, path):
    assert login(applicant).get(path).status_code in {403, 404}


def test_the_partner_signs_but_is_not_offered_to_submit(login, applicant_hf, joint):
    page = login(applicant_hf).get(f"/tilskudd/soknader/{joint.pk}/").text
    assert "Signer" in page and "Send inn søknaden" not in page

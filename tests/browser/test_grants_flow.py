"""The grant scheme from call to letter through a real browser: a grant officer publishes a call, an applicant's
incomplete application is stopped by the checklist and then submitted, the officer declares impartiality, assesses
and allocates (the frame holds), the approver approves, and the letter is made. Every page passes
``Browsing.check`` (axe-core, CSP, static files, script errors, reflow at 320 px)."""

from datetime import date

import pytest
from django.utils import timezone

from brobygger.accounts import demo
from brobygger.accounts.models import User
from brobygger.grants import services
from brobygger.grants.models import Application, Call, Decision

pytestmark = pytest.mark.browser

TODAY = timezone.localdate()


def log_in(browsing, username: str) -> None:
    browsing.page.context.clear_cookies()
    browsing.goto("/logg-inn/")
    browsing.log_in(username, demo.DEMO_PASSWORD)


def click(page, name: str, role: str = "button", timeout: float | None = None) -> None:
    with page.expect_navigation(timeout=timeout):
        page.get_by_role(role, name=name, exact=True).first.click()
    page.wait_for_load_state("load")


def fill_content(applicant: User, application: Application) -> None:
    """What the applicant writes on the edit pages, put in through the same services."""
    services.application_update(
        actor=applicant,
        application=application,
        goals="Flere i arbeid.",
        project_description="Jobbspesialister i teamene.",
        need="Lang venteliste.",
        award_criteria="Pkt. 5 er oppfylt.",
        co_funding_amount=0,
        own_funding_amount=50000,
        control_measures="Internkontroll.",
        risk_assessment="Lav.",
    )
    services.application_measure_set(
        actor=applicant,
        application=application,
        measure="A",
        requested_amount=500000,
        positions=[("Jobbspesialist", "1.00")],
        earlier_scheme_project_year=2,
        salary_costs_only=True,
    )
    services.budget_line_add(
        actor=applicant, application=application, measure="A", category="salary", description="Lønn", amount=500000
    )
    services.milestone_add(
        actor=applicant, application=application, due=date(TODAY.year, 12, 31), description="Evaluering"
    )


def test_a_call_goes_from_draft_to_letter(seeded, browsing):
    page = browsing.page
    year = TODAY.year

    # The grant officer makes and publishes the call.
    log_in(browsing, "tilskuddsforvalter")
    browsing.goto("/tilskudd/utlysninger/")
    browsing.check()
    click(page, "Ny utlysning", role="link")
    browsing.check()
    page.get_by_label("Tittel").fill(f"IPS {year}")
    page.get_by_label("Budsjettramme (kr)").fill("400000")
    page.get_by_label("Søknadsfrist").fill(f"{year}-12-31")
    page.get_by_label("Utlysningstekst").fill("Midler til tiltak A, B og C.")
    click(page, "Lagre")
    browsing.check()
    click(page, "Publiser utlysningen")
    call = Call.objects.get()
    assert call.status == Call.Status.PUBLISHED

    # The applicant starts an application; the checklist stops it until it is complete.
    log_in(browsing, "soker-kommune")
    browsing.goto(f"/tilskudd/utlysninger/{call.pk}/")
    browsing.check()
    click(page, "Søk om tilskudd", role="link")
    page.get_by_label("Tittel på søknaden").fill("IPS Oslo")
    click(page, "Lagre")
    browsing.check()
    click(page, "Send inn søknaden")
    assert "Søknaden mangler en prosjektbeskrivelse." in page.content()
    browsing.check()
    application = Application.objects.get()
    assert application.status == Application.Status.DRAFT

    fill_content(User.objects.get(username="soker-kommune"), application)
    browsing.goto(f"/tilskudd/soknader/{application.pk}/")
    click(page, "Signer", role="link")
    browsing.check()
    page.get_by_label("Navn på den som signerer").fill("Kari Direktør")
    page.get_by_label("Kommunedirektør").check()
    page.get_by_label("Stillingstittel").fill("Kommunedirektør")
    page.get_by_label("Dato for underskriften").fill(TODAY.isoformat())
    click(page, "Lagre")
    click(page, "Send inn søknaden")
    assert "Søknaden er sendt inn." in page.content()
    browsing.check()

    # The officer declares impartiality, assesses, and allocates within the frame.
    log_in(browsing, "tilskuddsforvalter")
    browsing.goto(f"/tilskudd/soknader/{application.pk}/")
    browsing.check()
    click(page, "Erklær habilitet", role="link")
    browsing.check()
    page.get_by_label("Nei, jeg er habil").check()
    click(page, "Lagre")
    click(page, "Vurder søknaden", role="link")
    browsing.check()
    page.get_by_label("Vurdering etter tildelingskriteriene").fill("God søknad.")
    click(page, "Lagre")
    browsing.goto(f"/tilskudd/utlysninger/{call.pk}/fordeling/")
    browsing.check()
    page.get_by_label("Oslo kommune (demo), tiltak A (kr)").fill("450000")
    # The running sum follows the typing before anything is saved.
    page.locator("#running-1", has_text="450 000 kr").wait_for()
    assert "-50 000 kr" in page.locator("#allocation-sums").inner_text()
    browsing.check()
    click(page, "Lagre fordelingen")
    assert "over budsjettrammen" in page.content()
    browsing.check()
    page.get_by_label("Oslo kommune (demo), tiltak A (kr)").fill("400000")
    page.get_by_label("Grunn til endringene").fill("Rammen er brukt opp.")
    click(page, "Lagre fordelingen")
    click(page, "Send innstillingen til godkjenning")
    assert page.get_by_role("button", name="Godkjenn innstillingen").count() == 0

    # The approver approves; the officer makes the letter.
    log_in(browsing, "godkjenner")
    browsing.goto(f"/tilskudd/utlysninger/{call.pk}/fordeling/")
    browsing.check()
    click(page, "Godkjenn innstillingen")
    browsing.check()
    decision = Decision.objects.get()
    assert (decision.outcome, decision.total, decision.approved_by.username) == ("partly", 400000, "godkjenner")

    log_in(browsing, "tilskuddsforvalter")
    browsing.goto(f"/tilskudd/vedtak/{decision.pk}/")
    browsing.check()
    # WeasyPrint loads its libraries on the first letter: slower than a page on a busy machine.
    click(page, "Lag og send vedtaksbrevet", timeout=60_000)
    browsing.check()
    response = page.request.get(browsing.url(f"/tilskudd/vedtak/{decision.pk}/brev.pdf"))
    assert response.status == 200 and response.body().startswith(b"%PDF")

    # The applicant sees the decision and the letter; the appeal list is the officer's.
    log_in(browsing, "soker-kommune")
    browsing.goto(f"/tilskudd/vedtak/{decision.pk}/")
    browsing.check()
    assert "400 000 kr" in page.content()
    log_in(browsing, "tilskuddsforvalter")
    browsing.goto("/tilskudd/klager/")
    browsing.check()

"""The grant scheme from call to letter and appeal through a real browser: a grant officer publishes a call; the
municipality's incomplete application is stopped by the checklist and then submitted; a joint C application is
signed by both the municipality and the health trust with the agreement attached; the officer declares a conflict
on it and can no longer assess it; the allocation refuses to exceed the frame; the approver approves; the letters
are made; an appeal is upheld on reconsideration and decided by the Ministry. Every page passes
``Browsing.check`` (axe-core, CSP, static files, script errors, reflow at 320 px)."""

from datetime import date

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from brobygger.accounts import demo
from brobygger.accounts.models import User
from brobygger.grants import services
from brobygger.grants.models import Application, Call, Decision

pytestmark = pytest.mark.browser

TODAY = timezone.localdate()


def log_in(browsing, username: str) -> None:
    """Log in as a person would; a grant officer who is not a demo persona owes the code from their app too."""
    browsing.page.context.clear_cookies()
    browsing.goto("/logg-inn/")
    browsing.log_in(username, demo.DEMO_PASSWORD)
    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is not None and "/logg-inn/totrinn/" in browsing.page.url:
        browsing.page.get_by_label("Kode").fill(f"{totp(device.bin_key):06d}")
        click(browsing.page, "Bekreft")


def click(page, name: str, role: str = "button", timeout: float | None = None) -> None:
    """Click and wait for the page it leads to (Playwright's click waits for the navigation it starts to commit)."""
    page.get_by_role(role, name=name, exact=True).first.click(timeout=timeout)
    page.wait_for_load_state("load")


def fill_content(applicant: User, application: Application, measure: str = "A", fte: str = "1.00") -> None:
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
    requested = int(500000 * float(fte))
    facts = (
        {"earlier_scheme_project_year": 2, "salary_costs_only": True}
        if measure == "A"
        else {
            "team_type": "fact",
            "out_of_act_fact_scheme": True,
            "specialist_in_health_service": True,
            "management_anchoring": True,
            "salary_costs_only": True,
        }
    )
    services.application_measure_set(
        actor=applicant,
        application=application,
        measure=measure,
        requested_amount=requested,
        positions=[("Jobbspesialist", fte)],
        **facts,
    )
    services.budget_line_add(
        actor=applicant,
        application=application,
        measure=measure,
        category="salary",
        description="Lønn",
        amount=requested,
    )
    services.milestone_add(
        actor=applicant, application=application, due=date(TODAY.year, 12, 31), description="Evaluering"
    )


def sign(page, name: str, authority: str, title: str) -> None:
    click(page, "Signer", role="link")
    page.get_by_label("Navn på den som signerer").fill(name)
    page.get_by_label(authority).check()
    page.get_by_label("Stillingstittel").fill(title)
    page.get_by_label("Dato for underskriften").fill(TODAY.isoformat())
    click(page, "Lagre")


def test_a_call_goes_from_draft_to_letters_and_an_appeal_to_the_ministry(seeded, browsing, tmp_path):
    page = browsing.page
    year = TODAY.year
    third = User.objects.create(username="forvalter-3", first_name="Tor", last_name="Tredje", role="tilskuddsforvalter")
    TOTPDevice.objects.create(user=third, name="app", confirmed=True)
    third.set_password(demo.DEMO_PASSWORD)
    third.save()

    # The grant officer makes and publishes the call.
    log_in(browsing, "tilskuddsforvalter")
    browsing.goto("/tilskudd/utlysninger/")
    browsing.check()
    click(page, "Ny utlysning", role="link")
    browsing.check()
    page.get_by_label("Tittel").fill(f"IPS {year}")
    page.get_by_label("Budsjettramme (kr)").fill("700000")
    page.get_by_label("Søknadsfrist").fill(f"{year}-12-31")
    page.get_by_label("Utlysningstekst").fill("Midler til tiltak A, B og C.")
    click(page, "Lagre")
    browsing.check()
    click(page, "Publiser utlysningen")
    call = Call.objects.get()
    assert call.status == Call.Status.PUBLISHED

    # The municipality's applicant starts an application; the checklist stops it until it is complete.
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
    municipality_user = User.objects.get(username="soker-kommune")
    fill_content(municipality_user, application)
    browsing.goto(f"/tilskudd/soknader/{application.pk}/")
    sign(page, "Kari Direktør", "Kommunedirektør", "Kommunedirektør")
    click(page, "Send inn søknaden")
    assert "Søknaden er sendt inn." in page.content()

    # A joint C application with the health trust: both sign, the agreement is attached.
    click(page, "Utlysninger", role="link")
    click(page, call.title, role="link")
    click(page, "Søk om tilskudd", role="link")
    page.get_by_label("Tittel på søknaden").fill("FACT Oslo")
    page.get_by_label("Medsøker (bare felles søknad om tiltak C)").select_option(
        label="Akershus universitetssykehus HF (demo)"
    )
    click(page, "Lagre")
    joint = Application.objects.get(title="FACT Oslo")
    fill_content(municipality_user, joint, measure="C", fte="0.50")
    browsing.goto(f"/tilskudd/soknader/{joint.pk}/")
    sign(page, "Kari Direktør", "Kommunedirektør", "Kommunedirektør")
    click(page, "Legg ved PDF", role="link")
    browsing.check()
    agreement = tmp_path / "samarbeidsavtale.pdf"
    agreement.write_bytes(b"%PDF-1.4\n% syntetisk samarbeidsavtale\n%%EOF\n")
    page.get_by_label("Samarbeidsavtale").check()
    page.get_by_label("PDF-fil").set_input_files(str(agreement))
    click(page, "Lagre")
    click(page, "Send inn søknaden")
    assert "underskrift fra både kommune og helseforetak" in page.content()
    log_in(browsing, "soker-hf")
    browsing.goto(f"/tilskudd/soknader/{joint.pk}/")
    browsing.check()
    sign(page, "Per Styreleder", "Styreleder", "Styreleder")
    log_in(browsing, "soker-kommune")
    browsing.goto(f"/tilskudd/soknader/{joint.pk}/")
    click(page, "Send inn søknaden")
    assert "Søknaden er sendt inn." in page.content()

    # The officer assesses A; for C they declare a conflict, hand it on, and can no longer assess it.
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
    browsing.goto(f"/tilskudd/soknader/{joint.pk}/")
    click(page, "Erklær habilitet", role="link")
    page.get_by_label("Ja, jeg er inhabil").check()
    page.get_by_label("Forklaring").fill("Søsteren min leder FACT-teamet.")
    page.get_by_label("Hvem skal overta saken?").select_option(label="Tor Tredje")
    click(page, "Lagre")
    assert page.get_by_role("link", name="Vurder søknaden").count() == 0
    assert browsing.goto(f"/tilskudd/soknader/{joint.pk}/vurdering/").status == 403
    log_in(browsing, "forvalter-3")
    browsing.goto(f"/tilskudd/soknader/{joint.pk}/")
    click(page, "Erklær habilitet", role="link")
    page.get_by_label("Nei, jeg er habil").check()
    click(page, "Lagre")
    click(page, "Vurder søknaden", role="link")
    page.get_by_label("Vurdering etter tildelingskriteriene").fill("Godt forankret team.")
    click(page, "Lagre")

    # The allocation: the running sum follows the typing, and saving above the frame is refused.
    log_in(browsing, "tilskuddsforvalter")
    browsing.goto(f"/tilskudd/utlysninger/{call.pk}/fordeling/")
    browsing.check()
    page.get_by_label("Oslo kommune (demo), tiltak A (kr)").fill("480000")
    page.locator("#running-2", has_text="730 000 kr").wait_for()
    assert "-30 000 kr" in page.locator("#allocation-sums").inner_text()
    browsing.check()
    click(page, "Lagre fordelingen")
    assert "over budsjettrammen" in page.content()
    browsing.check()
    page.get_by_label("Oslo kommune (demo), tiltak A (kr)").fill("450000")
    page.get_by_label("Grunn til endringene").fill("Rammen er brukt opp.")
    click(page, "Lagre fordelingen")
    click(page, "Send innstillingen til godkjenning")
    assert page.get_by_role("button", name="Godkjenn innstillingen").count() == 0

    # The approver approves; the officer makes the letters.
    log_in(browsing, "godkjenner")
    browsing.goto(f"/tilskudd/utlysninger/{call.pk}/fordeling/")
    browsing.check()
    click(page, "Godkjenn innstillingen")
    browsing.check()
    decisions = {d.application.title: d for d in Decision.objects.all()}
    assert (decisions["IPS Oslo"].outcome, decisions["IPS Oslo"].total) == ("partly", 450000)
    assert (decisions["FACT Oslo"].outcome, decisions["FACT Oslo"].total) == ("granted", 250000)
    assert {d.approved_by.username for d in decisions.values()} == {"godkjenner"}

    log_in(browsing, "tilskuddsforvalter")
    for decision in decisions.values():
        browsing.goto(f"/tilskudd/vedtak/{decision.pk}/")
        browsing.check()
        # WeasyPrint loads its libraries on the first letter: slower than a page on a busy machine.
        click(page, "Lag og send vedtaksbrevet", timeout=60_000)
        response = page.request.get(browsing.url(f"/tilskudd/vedtak/{decision.pk}/brev.pdf"))
        assert response.status == 200 and response.body().startswith(b"%PDF")
    browsing.check()

    # The partner sees the joint decision.
    log_in(browsing, "soker-hf")
    browsing.goto(f"/tilskudd/vedtak/{decisions['FACT Oslo'].pk}/")
    browsing.check()
    assert "250 000 kr" in page.content()

    # An appeal: registered, upheld on reconsideration, forwarded to the Ministry, decided there.
    log_in(browsing, "tilskuddsforvalter")
    browsing.goto(f"/tilskudd/vedtak/{decisions['IPS Oslo'].pk}/")
    click(page, "Registrer klage", role="link")
    browsing.check()
    page.get_by_label("Mottatt").fill(TODAY.isoformat())
    page.get_by_label("Hva klagen gjelder").fill("Vi trenger hele beløpet.")
    click(page, "Lagre")
    browsing.check()
    click(page, "Oppretthold og send til departementet", role="link")
    page.get_by_label("Helsedirektoratets vurdering (forvaltningsloven § 33)").fill("Rammen er brukt opp.")
    click(page, "Lagre")
    browsing.check()
    click(page, "Registrer departementets avgjørelse", role="link")
    page.get_by_label("Vedtaket stadfestes").check()
    page.get_by_label("Avgjort").fill(TODAY.isoformat())
    click(page, "Lagre")
    assert "Vedtaket stadfestes" in page.content()
    browsing.goto("/tilskudd/klager/")
    browsing.check()
    assert "Ferdig: departementet har avgjort klagen" in page.content()

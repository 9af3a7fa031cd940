"""The follow-up pages of a period and the employer register through a real browser.

The job specialist works through every page (forms with errors and without), the clinician reads and records what
clinicians may, the leader reaches the employer register from the menu, and a closed period shows read-only. Every
page passes axe-core, the CSP and the 320 px reflow check (``Browsing.check``).
"""

from datetime import date

import pytest

from brobygger.accounts import demo
from brobygger.accounts.models import Municipality, TreatmentTeam
from brobygger.participants import identity, services
from brobygger.participants.models import Contact, EmployerContact, Job, Period, PlanRevision, Referral

pytestmark = pytest.mark.browser

MAIN_NAV = ".site-header nav[aria-label]"
PERIOD_NAV = "main nav[aria-label]"
ELIGIBLE_FACTS = {
    "moderate_or_severe_condition": True,
    "compound_problems": False,
    "in_health_service": True,
    "needs_comprehensive_follow_up": True,
    "wants_work_or_education": True,
}


def start_period(users: dict, serial: int, first_name: str) -> Period:
    """A participant referred by the demo clinician, accepted and started by the demo job specialist."""
    specialist = users["jobbspesialist"]
    participant = services.participant_register(
        actor=specialist,
        identity_number=identity.synthetic_identity_number(date(2000, 1, 10), serial),
        municipality=Municipality.objects.get(number="0301", valid_to__isnull=True),
        first_name=first_name,
        last_name="Nettlesen",
    )
    referral = services.referral_create(
        actor=users["behandler"],
        participant=participant,
        team=TreatmentTeam.objects.get(name="Nordre Aker psykisk helseteam"),
        clinician=users["behandler"],
        referred_on=date(2026, 3, 2),
        goals="Jobb i butikk",
        facts=ELIGIBLE_FACTS,
        consent_given_on=date(2026, 3, 2),
        consent_method=Referral.ConsentMethod.WRITTEN,
    )
    period = services.referral_accept(actor=specialist, referral=referral, on=date(2026, 3, 3))
    return services.period_start(
        actor=specialist, period=period, start_date=date(2026, 3, 10), expected_revision=period.revision
    )


@pytest.fixture
def periods(seeded) -> dict:
    employer = services.employer_register(
        actor=seeded["jobbspesialist"], name="Nettbutikken AS (demo)", orgnr=demo.synthetic_orgnr(700)
    )
    running = start_period(seeded, 1, "Ola")
    closed = start_period(seeded, 2, "Kari")
    services.plan_create(actor=seeded["jobbspesialist"], period=closed, purpose="Jobb på lager", on=date(2026, 3, 12))
    services.job_register(
        actor=seeded["jobbspesialist"],
        period=closed,
        employer=employer,
        title="Lagermedarbeider",
        job_type=Job.JobType.TRANSPORT_AND_WAREHOUSING,
        start_date=date(2026, 4, 1),
        hours_per_week=20,
        open_labour_market=True,
        paid_at_least_normal_rate=True,
        open_to_anyone=True,
    )
    closed.refresh_from_db()
    services.period_close(
        actor=seeded["jobbspesialist"],
        period=closed,
        on=date(2026, 9, 1),
        reason=Period.ClosureReason.WORK,
        expected_revision=closed.revision,
    )
    return {"running": running, "closed": closed, "employer": employer}


def log_in(browsing, username: str) -> None:
    browsing.goto("/logg-inn/")
    browsing.log_in(username, demo.DEMO_PASSWORD)
    assert browsing.path() == "/"


def submit(browsing, name: str) -> None:
    page = browsing.page
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def assert_error_summary(browsing, *fields: str) -> None:
    """The summary lists each field in error, takes focus, and the page still passes every check."""
    page = browsing.page
    summary = page.locator(".ds-error-summary")
    assert summary.is_visible()
    page.wait_for_function("() => document.activeElement.classList.contains('ds-error-summary')")
    text = summary.inner_text()
    for field in fields:
        assert field in text, f"{field} mangler i feiloppsummeringen: {text}"
    browsing.check()


def test_job_specialist_works_through_every_follow_up_page(periods, browsing):
    page = browsing.page
    period = periods["running"]
    log_in(browsing, "jobbspesialist")

    # Career profile: made, then seen with its date.
    browsing.goto(f"/deltakere/forlop/{period.pk}/karriereprofil/")
    assert page.locator("h1").inner_text() == "Karriereprofil"
    assert page.locator(PERIOD_NAV).locator("[aria-current='page']").inner_text() == "Karriereprofil"
    browsing.check()
    page.get_by_label("Åpenhet drøftet").fill("2099-01-01")
    submit(browsing, "Lagre karriereprofilen")
    assert_error_summary(browsing, "Datoen kan ikke være fram i tid.")
    page.get_by_label("Åpenhet drøftet").fill("2026-03-11")
    page.get_by_label("Interesser").fill("Klær og kundeservice")
    submit(browsing, "Lagre karriereprofilen")
    assert page.get_by_role("status").inner_text() == "Karriereprofilen er lagret."
    browsing.check()

    # Plan: made, revised without the participant (refused, § 3-3), then with; an activity added and started.
    with page.expect_navigation():
        page.locator(PERIOD_NAV).get_by_role("link", name="Oppfølgingsplan").click()
    browsing.check()
    page.get_by_label("Formål med oppfølgingen").fill("Jobb i butikk, deltid")
    page.get_by_label("Dato planen ble laget").fill("2026-03-12")
    submit(browsing, "Lag planen")
    assert "Planen er utdatert og må revideres." in page.locator("main").inner_text()
    browsing.check()
    page.get_by_label("Innhold og oppfølgingsaktiviteter").fill("Søke tre butikkjobber")
    page.get_by_label("Deltakeren var med").uncheck()
    submit(browsing, "Registrer revisjonen")
    assert_error_summary(browsing, "forskriften § 3-3")
    assert not PlanRevision.objects.exists()
    page.get_by_label("Deltakeren var med").check()
    submit(browsing, "Registrer revisjonen")
    assert "Planen er oppdatert." in page.locator("main").inner_text()
    page.get_by_label("Aktivitet", exact=True).fill("Øve på intervju")
    submit(browsing, "Legg til aktiviteten")
    page.get_by_label("Ny status – Øve på intervju").select_option(label="Pågår")
    submit(browsing, "Lagre status")
    assert page.get_by_role("status").inner_text() == "Statusen for aktiviteten er endret."
    browsing.check()
    browsing.screenshot("followup-plan")

    # Contacts: a meeting without a place is refused; the list filters by kind.
    with page.expect_navigation():
        page.locator(PERIOD_NAV).get_by_role("link", name="Kontakter").click()
    browsing.check()
    page.get_by_label("Type kontakt", exact=True).select_option(label="Møte med deltakeren")
    page.get_by_label("Dato", exact=True).fill("2026-04-01")
    submit(browsing, "Registrer kontakten")
    assert_error_summary(browsing, "Velg hvor møtet fant sted.")
    page.get_by_label("Sted").select_option(label="Ute i samfunnet")
    submit(browsing, "Registrer kontakten")
    page.get_by_label("Type kontakt", exact=True).select_option(label="Kontakt med NAV-veileder")
    page.get_by_label("Dato", exact=True).fill("2026-04-02")
    submit(browsing, "Registrer kontakten")
    assert Contact.objects.filter(period=period).count() == 2
    page.get_by_label("Vis type kontakt (valgfritt)").select_option(label="Kontakt med NAV-veileder")
    submit(browsing, "Vis")
    assert page.locator("main table tbody tr").count() == 1
    browsing.check()

    # Job search log.
    with page.expect_navigation():
        page.locator(PERIOD_NAV).get_by_role("link", name="Jobbsøking").click()
    browsing.check()
    page.get_by_label("Hendelse", exact=True).select_option(label="Søknad")
    page.get_by_label("Dato", exact=True).fill("2026-04-03")
    page.get_by_label("Stilling", exact=True).fill("Butikkmedarbeider")
    submit(browsing, "Registrer hendelsen")
    assert_error_summary(browsing, "Velg arbeidsgiveren eller skriv navnet.")
    page.get_by_label("Arbeidsgiver (valgfritt)", exact=True).select_option(label=str(periods["employer"]))
    submit(browsing, "Registrer hendelsen")
    assert "Nettbutikken AS (demo)" in page.locator("main table").inner_text()
    browsing.check()

    # Jobs: bad hours are refused; an ordinary job is judged by the rule and its reasons shown.
    with page.expect_navigation():
        page.locator(PERIOD_NAV).get_by_role("link", name="Jobber").click()
    browsing.check()
    page.get_by_label("Arbeidsgiver", exact=True).select_option(label=str(periods["employer"]))
    page.get_by_label("Stillingstittel").fill("Butikkmedarbeider")
    page.get_by_label("Bransje").select_option(label="Varehandel")
    page.get_by_label("Startdato").fill("2026-04-15")
    page.get_by_label("Timer per uke").fill("0")
    page.get_by_role("group", name="Er jobben på det åpne arbeidsmarkedet?").get_by_label("Ja").check()
    page.get_by_role("group", name="Er lønnen minst minstelønn eller tariff?").get_by_label("Ja").check()
    submit(browsing, "Registrer jobben")
    assert_error_summary(browsing, "Antall timer per uke må være større enn null.", "Svar ja eller nei.")
    page.get_by_label("Timer per uke").fill("20")
    page.get_by_role("group", name="Kunne hvem som helst søke på jobben?").get_by_label("Ja").check()
    submit(browsing, "Registrer jobben")
    assert page.get_by_role("status").inner_text() == "Jobben er registrert og teller som ordinært arbeid."
    assert "Jobben er på det åpne arbeidsmarkedet." in page.locator("main").inner_text()
    browsing.check()
    browsing.screenshot("followup-jobs")

    # Education: registered and finished.
    with page.expect_navigation():
        page.locator(PERIOD_NAV).get_by_role("link", name="Utdanning").click()
    browsing.check()
    page.get_by_label("Nivå").select_option(label="Fagskole")
    page.get_by_label("Skole eller lærested").fill("Fagskolen Oslo")
    page.get_by_label("Startdato").fill("2026-08-15")
    page.get_by_label("Planlagt slutt").fill("2026-08-01")
    submit(browsing, "Registrer utdanningen")
    assert_error_summary(browsing, "Planlagt slutt kan ikke være før startdatoen.")
    page.get_by_label("Planlagt slutt").fill("2027-06-20")
    submit(browsing, "Registrer utdanningen")
    assert page.get_by_role("status").inner_text() == "Utdanningen er registrert."
    browsing.check()

    # Back on the participant's page, the period's follow-up is summed up with a link to each page.
    with page.expect_navigation():
        page.get_by_role("link", name="Tilbake til Ola Nettlesen").click()
    summary = page.get_by_role("region", name="Oppfølging")
    for label in ("Karriereprofil", "Oppfølgingsplan", "Kontakter", "Jobbsøking", "Jobber", "Utdanning"):
        assert summary.get_by_role("link", name=label, exact=True).count() == 1
    assert "Butikkmedarbeider (15.04.2026)" in summary.inner_text()
    browsing.check()


def test_job_specialist_uses_the_employer_register_and_records_contacts(periods, browsing):
    page = browsing.page
    log_in(browsing, "jobbspesialist")
    with page.expect_navigation():
        page.locator(MAIN_NAV).get_by_role("link", name="Arbeidsgivere", exact=True).click()
    assert page.locator(MAIN_NAV).locator("[aria-current='page']").inner_text() == "Arbeidsgivere"
    assert page.locator("h1").count() == 1
    browsing.check()

    page.get_by_label("Søk på navn eller organisasjonsnummer").fill("nettbut")
    submit(browsing, "Søk")
    assert page.locator("main table tbody tr").count() == 1
    browsing.check()

    with page.expect_navigation():
        page.get_by_role("link", name="Registrer arbeidsgiver", exact=True).click()
    browsing.check()
    page.get_by_label("Navn").fill("Samme AS")
    page.get_by_label("Organisasjonsnummer").fill(periods["employer"].orgnr)
    submit(browsing, "Registrer")
    assert_error_summary(browsing, "Arbeidsgiveren er allerede registrert.")
    page.get_by_label("Organisasjonsnummer").fill("123456789")
    submit(browsing, "Registrer")
    assert_error_summary(browsing, "Organisasjonsnummeret må ha 9 siffer med gyldig kontrollsiffer.")
    page.get_by_label("Organisasjonsnummer").fill(demo.synthetic_orgnr(701))
    page.get_by_label("Navn").fill("Kafeen AS (demo)")
    submit(browsing, "Registrer")
    assert page.get_by_role("status").inner_text() == "Arbeidsgiveren er registrert."
    browsing.check()

    with page.expect_navigation():
        page.get_by_role("link", name="Registrer kontakt med Kafeen AS (demo)").click()
    browsing.check()
    page.get_by_role("group", name="Møttes dere ansikt til ansikt?").get_by_label("Ja, ansikt til ansikt").check()
    page.get_by_label("For bestemte deltakere").check()
    submit(browsing, "Registrer")
    assert_error_summary(browsing, "Velg hvilke deltakere kontakten gjaldt.")
    browsing.screenshot("employer-contact-form")
    page.get_by_label("Ola Nettlesen").check()
    page.get_by_label("Resultat").fill("Avtalt hospitering")
    submit(browsing, "Registrer")
    assert browsing.path() == "/deltakere/arbeidsgivere/kontakter/"
    assert "Ola Nettlesen" in page.locator("main table").inner_text()
    assert EmployerContact.objects.get().participants.get().first_name == "Ola"
    browsing.check()
    browsing.screenshot("employer-contacts")


def test_clinician_and_leader_see_what_their_roles_allow(periods, browsing):
    page = browsing.page
    period, closed = periods["running"], periods["closed"]
    log_in(browsing, "behandler")
    assert page.locator(MAIN_NAV).get_by_role("link", name="Arbeidsgivere").count() == 0
    for path in ("karriereprofil", "jobbsoking", "jobber", "utdanning"):
        browsing.goto(f"/deltakere/forlop/{period.pk}/{path}/")
        assert page.locator("main form[method='post']").count() == 0
        browsing.check()
    browsing.goto(f"/deltakere/forlop/{period.pk}/kontakter/")
    page.get_by_label("Type kontakt", exact=True).select_option(label="Drøftet i behandlingsteamets møte")
    page.get_by_label("Dato", exact=True).fill("2026-04-01")
    submit(browsing, "Registrer kontakten")
    assert page.get_by_role("status").inner_text() == "Kontakten er registrert."
    browsing.check()
    browsing.goto("/deltakere/arbeidsgivere/")
    browsing.check()

    # A closed period reads, with no forms.
    for path in ("plan", "jobber", "kontakter"):
        browsing.goto(f"/deltakere/forlop/{closed.pk}/{path}/")
        assert "Det kan leses, men ikke endres." in page.locator("main").inner_text()
        assert page.locator("main form[method='post']").count() == 0
        browsing.check()
    browsing.screenshot("followup-closed-jobs")

    browsing.goto("/")
    with page.expect_navigation():
        page.locator(".site-header").get_by_role("button", name="Logg ut").click()
    browsing.log_in("ips-leder", demo.DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator(MAIN_NAV).get_by_role("link", name="Arbeidsgivere", exact=True).click()
    assert page.get_by_role("link", name="Mine arbeidsgiverkontakter").count() == 0
    browsing.check()
    response = browsing.goto("/deltakere/arbeidsgivere/kontakter/ny/")
    assert response.status == 403
    browsing.check()
    browsing.goto(f"/deltakere/forlop/{period.pk}/plan/")
    browsing.check()


def test_roles_without_personal_data_are_kept_out(periods, browsing):
    page = browsing.page
    log_in(browsing, "analytiker")
    response = browsing.goto(f"/deltakere/forlop/{periods['running'].pk}/plan/")
    assert response.status == 404
    assert "Nettlesen" not in page.content()
    browsing.check()
    response = browsing.goto("/deltakere/arbeidsgivere/")
    assert response.status == 403
    browsing.check()


def test_a_word_of_400_letters_wraps_at_320_px(periods, browsing):
    page = browsing.page
    period = periods["running"]
    log_in(browsing, "jobbspesialist")
    browsing.goto(f"/deltakere/forlop/{period.pk}/karriereprofil/")
    word = "Kundeservice" * 34  # 408 letters without a space or hyphen
    page.get_by_label("Interesser").fill(word)
    submit(browsing, "Lagre karriereprofilen")
    assert page.get_by_role("status").inner_text() == "Karriereprofilen er lagret."
    assert page.get_by_label("Interesser").input_value() == word
    browsing.check()  # axe, the CSP and no horizontal scrolling at 320 CSS px

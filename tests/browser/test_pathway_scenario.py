"""One participant through the whole pathway, in a real browser, as the people who do the work would go.

A clinician registers a person of 35 with a referral and reads the eligibility assessment; the job specialist takes
the person in, starts the period, makes and revises the follow-up plan, registers an employer and meets it face to
face about the participant, meets the participant out in the community, gives benefits counselling, registers an
ordinary job (the period moves to follow-along), finds the person in the caseload and closes the period for work.
Every page on the way passes axe-core, the CSP and the 320 px reflow check (``Browsing.check`` in conftest.py), and
the database holds what the pages said at the end.

The dates lie in the past, spread over two months, so the status history has one row per step.
"""

import re
from datetime import date, timedelta
from urllib.parse import unquote

import pytest
from django.utils import timezone

from brobygger.accounts import demo
from brobygger.participants import identity
from brobygger.participants.models import (
    Contact,
    Employer,
    EmployerContact,
    Job,
    Participant,
    Period,
    PlanActivity,
    PlanRevision,
    Referral,
)

pytestmark = pytest.mark.browser

MAIN_NAV = ".site-header nav[aria-label]"
PERIOD_NAV = "main nav[aria-label]"
FIRST_NAME, LAST_NAME = "Mari", "Stiløper"
FULL_NAME = f"{FIRST_NAME} {LAST_NAME}"
EMPLOYER = "Bydelsbakeriet AS (demo)"


def visit(browsing, path: str) -> None:
    browsing.goto(path)
    browsing.check()


def log_in(browsing, username: str) -> None:
    visit(browsing, "/logg-inn/")
    browsing.log_in(username, demo.DEMO_PASSWORD)
    assert browsing.path() == "/"
    browsing.check()


def log_out(browsing) -> None:
    with browsing.page.expect_navigation():
        browsing.page.locator(".site-header").get_by_role("button", name="Logg ut").click()
    browsing.check()


def submit(browsing, name: str, within=None) -> None:
    """Press the button ``name`` in ``within`` (the page's main content unless told); check the page it leads to."""
    page = browsing.page
    scope = within if within is not None else page.locator("main")
    with page.expect_navigation():
        scope.get_by_role("button", name=name, exact=True).click()
    browsing.check()


def follow(browsing, name: str, within=None) -> None:
    """Follow the link ``name`` in ``within`` (the page's main content unless told); check the page it leads to."""
    page = browsing.page
    scope = within if within is not None else page.locator("main")
    with page.expect_navigation():
        scope.get_by_role("link", name=name, exact=True).click()
    browsing.check()


def status_message(browsing) -> str:
    return browsing.page.get_by_role("status").first.inner_text()


def main_text(browsing) -> str:
    return browsing.page.locator("main").inner_text()


def test_one_participant_from_referral_to_closure_for_work(seeded, browsing):
    page = browsing.page
    today = timezone.localdate()
    referred = today - timedelta(days=60)
    # 35 years old on the day of the referral, whatever day the test runs.
    born = date(referred.year - 35, referred.month, 1)
    number = identity.synthetic_identity_number(born, 7)
    decided = referred + timedelta(days=2)
    started = referred + timedelta(days=5)
    plan_made = started + timedelta(days=1)
    revised = started + timedelta(days=7)
    employer_met = started + timedelta(days=12)
    community_meeting = started + timedelta(days=16)
    benefits = started + timedelta(days=20)
    job_started = started + timedelta(days=40)

    def day(value: date) -> str:
        return f"{value:%d.%m.%Y}"

    # 1. The clinician registers the person with a referral and reads the eligibility assessment.
    log_in(browsing, "behandler")
    follow(browsing, "Deltakere", within=page.locator(MAIN_NAV))
    assert browsing.path() == "/deltakere/"
    follow(browsing, "Registrer ny deltaker og henvisning")
    assert browsing.path() == "/deltakere/ny/"
    page.get_by_label("Fødselsnummer eller D-nummer").fill(number)
    page.get_by_label("Fornavn", exact=True).fill(FIRST_NAME)
    page.get_by_label("Etternavn", exact=True).fill(LAST_NAME)
    page.get_by_label("Bostedskommune").select_option(label="Oslo")
    page.get_by_label("Henvisende behandler").select_option(label="Bjørn Haugen")
    page.get_by_label("Henvisningsdato").fill(referred.isoformat())
    page.get_by_label("Personens egne mål").fill("Jobbe med mat, gjerne i et bakeri")
    for fact in (
        "Har moderate til alvorlige psykiske lidelser og/eller rusproblemer",
        "Får behandling eller oppfølging i helse- og omsorgstjenesten",
        "Trenger mer omfattende formidlings- og oppfølgingsbistand enn Navs generelle bistand",
        "Ønsker å komme i ordinært arbeid og/eller opplæring eller utdanning",
    ):
        page.get_by_label(fact).check()
    page.get_by_label("Samtykke gitt").fill(referred.isoformat())
    page.get_by_label("Samtykkeform").select_option(label="Skriftlig")
    submit(browsing, "Registrer")

    participant = Participant.objects.get(last_name=LAST_NAME)
    referral = Referral.objects.get(participant=participant)
    assert browsing.path() == f"/deltakere/{participant.pk}/"
    assert page.locator("h1").inner_text().startswith(FULL_NAME)
    assert number not in page.content()
    assessment = page.get_by_role("table", name="Vilkårene i forskriften § 3-1, ett punkt per vilkår")
    assert "Vilkårene for å få tiltaket er oppfylt" in main_text(browsing)
    reasons = {
        text: (passed, reference)
        for passed, text, reference in (row.split("\t") for row in assessment.locator("tbody tr").all_inner_texts())
    }
    assert all(reference for _passed, reference in reasons.values()), "hvert vilkår viser hjemmelen"
    sixteen = date(born.year + 16, born.month, born.day)
    assert reasons[f"Personen fylte 16 år {day(sixteen)}."] == ("Oppfylt", "Egenregiforskriften § 3-1")
    assert reasons["Personen samtykker til å delta."] == ("Oppfylt", "Egenregiforskriften § 3-2")
    # At 35 the person is in ordinary IPS, and the assessment says so with its legal reference.
    assert reasons[
        f"Personen er 35 år på vurderingsdatoen {day(referred)}, ikke under 30 år: ordinær IPS. "
        "Sporet avgjøres av alderen ved oppstart."
    ] == (
        "Oppfylt",
        "Egenregiforskriften § 3-6",
    )
    assert f"Henvisning {day(referred)}" in main_text(browsing)
    browsing.screenshot("scenario-eligibility")
    log_out(browsing)

    # 2. The job specialist finds the person by name, takes them in and starts the period: the track is IPS.
    log_in(browsing, "jobbspesialist")
    follow(browsing, "Deltakere", within=page.locator(MAIN_NAV))
    page.get_by_role("textbox", name="Navn (valgfritt)").fill(LAST_NAME)
    submit(browsing, "Søk på navn")
    assert unquote(browsing.path()).startswith(f"/deltakere/?q={LAST_NAME}&")
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1
    assert "Henvisning venter på avgjørelse" in rows.first.inner_text()
    follow(browsing, f"{LAST_NAME}, {FIRST_NAME}")
    assert browsing.path() == f"/deltakere/{participant.pk}/"
    follow(browsing, "Avgjør henvisningen")
    assert browsing.path() == f"/deltakere/henvisninger/{referral.pk}/avgjor/"
    assert "Vilkårene for å få tiltaket er oppfylt" in main_text(browsing)
    accept = page.get_by_role("region", name="Ta inn", exact=True)
    accept.get_by_label("Dato for avgjørelsen").fill(decided.isoformat())
    accept.get_by_label("Jobbspesialist").select_option(label="Jonas Berg")
    submit(browsing, "Ta inn", within=accept)
    assert browsing.path() == f"/deltakere/{participant.pk}/"
    assert "Personen er tatt inn. Forløpet venter på oppstart." in main_text(browsing)
    assert "Venter på oppstart" in main_text(browsing)

    period = Period.objects.get(participant=participant)
    follow(browsing, "Start forløpet")
    assert browsing.path() == f"/deltakere/forlop/{period.pk}/start/"
    page.get_by_label("Oppstartsdato").fill(started.isoformat())
    submit(browsing, "Start forløpet")
    assert browsing.path() == f"/deltakere/{participant.pk}/"
    period.refresh_from_db()
    assert period.status == Period.Status.JOB_SEARCH and period.track == Period.Track.IPS
    assert period.start_date == started
    period_region = page.get_by_role("region", name=f"Forløp fra {day(started)}")
    text = period_region.inner_text()
    assert "Aktiv jobbsøking" in text and "Jonas Berg" in text
    assert re.search(r"Spor\s+IPS\s", text), "sporet er IPS, ikke IPS ung, for en person på 35"
    assert day(period.last_permitted_day) in text

    # 3. The follow-up plan: made with its purpose, revised with the participant taking part, one activity added.
    follow(browsing, "Oppfølgingsplan")
    assert browsing.path() == f"/deltakere/forlop/{period.pk}/plan/"
    assert "Forløpet har ingen oppfølgingsplan ennå." in main_text(browsing)
    page.get_by_label("Formål med oppfølgingen").fill("Fast deltidsjobb i et bakeri i bydelen")
    page.get_by_label("Dato planen ble laget").fill(plan_made.isoformat())
    submit(browsing, "Lag planen")
    assert "Fast deltidsjobb i et bakeri i bydelen" in main_text(browsing)
    assert "Planen er ikke revidert ennå." in main_text(browsing)
    page.get_by_label("Dato for revisjonen").fill(revised.isoformat())
    page.get_by_label("Innhold og oppfølgingsaktiviteter").fill("Oppsøke tre bakerier sammen med jobbspesialisten")
    page.get_by_label("Deltakeren var med").check()
    page.get_by_label("Behandler var med").check()
    submit(browsing, "Registrer revisjonen")
    revisions = page.get_by_role("table", name="1 revisjon")
    assert "Oppsøke tre bakerier" in revisions.inner_text()
    assert "Deltakeren, behandler, jobbspesialisten" in revisions.inner_text()
    page.get_by_label("Aktivitet", exact=True).fill("Lage en CV med matfaglig erfaring")
    submit(browsing, "Legg til aktiviteten")
    activities = page.get_by_role("table", name="1 aktivitet i planen")
    assert "Lage en CV med matfaglig erfaring" in activities.inner_text()
    assert "Planlagt" in activities.inner_text()

    # 4. The employer is registered once, in the shared register, and met face to face about the participant.
    follow(browsing, "Arbeidsgivere", within=page.locator(MAIN_NAV))
    assert browsing.path() == "/deltakere/arbeidsgivere/"
    follow(browsing, "Registrer arbeidsgiver")
    assert browsing.path() == "/deltakere/arbeidsgivere/ny/"
    orgnr = demo.synthetic_orgnr(910)
    page.get_by_label("Navn").fill(EMPLOYER)
    page.get_by_label("Organisasjonsnummer").fill(orgnr)
    page.get_by_label("Kommunenummer").fill("0301")
    submit(browsing, "Registrer")
    assert status_message(browsing) == "Arbeidsgiveren er registrert."
    employers = page.locator("main table")
    assert employers.get_by_role("row").filter(has_text=orgnr).count() == 1

    follow(browsing, f"Registrer kontakt med {EMPLOYER}")
    assert browsing.path().startswith("/deltakere/arbeidsgivere/kontakter/ny/")
    assert (
        page.get_by_label("Arbeidsgiver", exact=True).locator("option:checked").inner_text() == f"{EMPLOYER} ({orgnr})"
    )
    page.get_by_label("Dato", exact=True).fill(employer_met.isoformat())
    page.get_by_role("group", name="Møttes dere ansikt til ansikt?").get_by_label("Ja, ansikt til ansikt").check()
    page.get_by_label("For bestemte deltakere").check()
    page.get_by_label(FULL_NAME).check()
    page.get_by_label("Resultat").fill("Bakeriet trenger en ekstra hånd tidlig om morgenen")
    submit(browsing, "Registrer")
    assert browsing.path() == "/deltakere/arbeidsgivere/kontakter/"
    assert status_message(browsing) == "Arbeidsgiverkontakten er registrert."
    own_contacts = page.locator("main table").inner_text()
    assert EMPLOYER in own_contacts and FULL_NAME in own_contacts and day(employer_met) in own_contacts

    # 5. A meeting with the participant out in the community, and benefits counselling, from the participant's page.
    visit(browsing, f"/deltakere/{participant.pk}/")
    follow(browsing, "Registrer en kontakt")
    assert browsing.path() == f"/deltakere/forlop/{period.pk}/kontakter/"
    page.get_by_label("Type kontakt", exact=True).select_option(label="Møte med deltakeren")
    page.get_by_label("Dato", exact=True).fill(community_meeting.isoformat())
    page.get_by_label("Sted").select_option(label="Ute i samfunnet")
    page.get_by_label("Notat").fill("Kafé på Storo; snakket om hvilke bakerier som ligger nær")
    submit(browsing, "Registrer kontakten")
    assert status_message(browsing) == "Kontakten er registrert."
    page.get_by_label("Type kontakt", exact=True).select_option(label="Veiledning om ytelser og økonomi")
    page.get_by_label("Dato", exact=True).fill(benefits.isoformat())
    page.get_by_label("Sted").select_option(label="På kontoret")
    page.get_by_label("Med hvem").fill("NAV-veileder og deltakeren")
    submit(browsing, "Registrer kontakten")
    contacts = page.get_by_role("table", name="2 kontakter")
    text = contacts.inner_text()
    assert "Møte med deltakeren" in text and "Ute i samfunnet" in text and day(community_meeting) in text
    assert "Veiledning om ytelser og økonomi" in text and "På kontoret" in text and day(benefits) in text

    # 6. An ordinary job with that employer: the rule says why it counts, and the period moves to follow-along.
    visit(browsing, f"/deltakere/{participant.pk}/")
    follow(browsing, "Registrer en jobb")
    assert browsing.path() == f"/deltakere/forlop/{period.pk}/jobber/"
    assert "Ingen jobber registrert i forløpet." in main_text(browsing)
    page.get_by_label("Arbeidsgiver", exact=True).select_option(label=f"{EMPLOYER} ({orgnr})")
    page.get_by_label("Stillingstittel").fill("Bakeriassistent")
    page.get_by_label("Bransje").select_option(label="Serveringsnæring")
    page.get_by_label("Startdato").fill(job_started.isoformat())
    page.get_by_label("Timer per uke").fill("15")
    for question in (
        "Er jobben på det åpne arbeidsmarkedet?",
        "Er lønnen minst minstelønn eller tariff?",
        "Kunne hvem som helst søke på jobben?",
    ):
        page.get_by_role("group", name=question).get_by_label("Ja", exact=True).check()
    submit(browsing, "Registrer jobben")
    assert status_message(browsing) == "Jobben er registrert og teller som ordinært arbeid."
    job_article = page.get_by_role("article", name=f"Bakeriassistent, {EMPLOYER}")
    text = job_article.inner_text()
    assert "Teller som ordinært arbeid" in text and "Teller ikke" not in text
    rule = job_article.get_by_role("table")
    assert rule.locator("caption").inner_text().startswith("Begrunnelse etter ")
    principle = "IPS-prinsipp 2 (ordinært lønnet arbeid), jf. regelverk for tilskuddsordningen pkt. 2"
    assert [row.split("\t") for row in rule.locator("tbody tr").all_inner_texts()] == [
        ["Oppfylt", "Jobben er på det åpne arbeidsmarkedet.", principle],
        ["Oppfylt", "Lønnen er minst minstelønn eller tariff.", principle],
        ["Oppfylt", "Jobben er en jobb hvem som helst kan søke på.", principle],
    ]
    heading = f"{FULL_NAME} · IPS · startet {day(started)} · status: i arbeid og/eller utdanning, med oppfølging"
    assert heading in main_text(browsing)
    browsing.screenshot("scenario-ordinary-job")

    follow(browsing, f"Tilbake til {FULL_NAME}")
    period_region = page.get_by_role("region", name=f"Forløp fra {day(started)}")
    assert "I arbeid og/eller utdanning, med oppfølging" in period_region.locator("dl").first.inner_text()
    summary = page.get_by_role("region", name="Oppfølging")
    assert f"Bakeriassistent ({day(job_started)})" in summary.inner_text()
    assert "ordinært arbeid" in summary.inner_text()

    # 7. The caseload lists the person, with a link to the participant's page.
    follow(browsing, "Saksoversikt", within=page.locator(MAIN_NAV))
    assert browsing.path() == "/saksoversikt/"
    row = page.locator("table.caseload-table tbody tr").filter(has_text=FULL_NAME)
    assert row.count() == 1
    assert "I arbeid og/eller utdanning, med oppfølging" in row.inner_text()
    assert row.get_by_role("link", name=FULL_NAME).get_attribute("href") == f"/deltakere/{participant.pk}/"

    # 8. The period is closed for ordinary work: status closed, the whole history shown, the follow-up read-only.
    follow(browsing, FULL_NAME, within=row)
    follow(browsing, "Avslutt forløpet")
    assert browsing.path() == f"/deltakere/forlop/{period.pk}/avslutt/"
    page.get_by_label("Avsluttet").fill(today.isoformat())
    page.get_by_label("Ordinært arbeid").check()
    page.get_by_label("Jeg har kontrollert opplysningene", exact=False).check()
    submit(browsing, "Avslutt forløpet")
    assert browsing.path() == f"/deltakere/{participant.pk}/"
    assert status_message(browsing) == "Forløpet er avsluttet."
    period_region = page.get_by_role("region", name=f"Forløp fra {day(started)}")
    text = period_region.inner_text()
    assert f"{day(today)}: Ordinært arbeid" in text
    history = period_region.get_by_role("table", name="Statushistorikk").locator("tbody tr")
    assert [history.nth(i).inner_text().split("\t")[:2] for i in range(history.count())] == [
        [day(decided), "Venter på oppstart"],
        [day(started), "Aktiv jobbsøking"],
        [day(job_started), "I arbeid og/eller utdanning, med oppfølging"],
        [day(today), "Avsluttet"],
    ]
    assert re.search(r"Status\s+Avsluttet\s", text)
    for gone in ("Avslutt forløpet", "Vurder forlengelse", "Registrer en kontakt", "Registrer en jobb"):
        assert page.locator("main").get_by_role("link", name=gone).count() == 0, f"{gone} vises fortsatt"
    browsing.screenshot("scenario-closed")

    # The follow-up pages read, with no forms left; the period's own menu leads from one to the next.
    closed = f"Forløpet ble avsluttet {day(today)} (Ordinært arbeid). Det kan leses, men ikke endres."
    follow(browsing, "Oppfølgingsplan")
    for name in ("Oppfølgingsplan", "Kontakter", "Jobber"):
        if name != "Oppfølgingsplan":
            follow(browsing, name, within=page.locator(PERIOD_NAV))
        assert page.locator(PERIOD_NAV).locator("[aria-current='page']").inner_text() == name
        assert closed in main_text(browsing)
        assert page.locator("main form[method='post']").count() == 0
    assert "Teller som ordinært arbeid" in page.get_by_role("article", name=f"Bakeriassistent, {EMPLOYER}").inner_text()

    # A closed period leaves the caseload.
    follow(browsing, "Saksoversikt", within=page.locator(MAIN_NAV))
    assert page.locator("table.caseload-table tbody tr").filter(has_text=FULL_NAME).count() == 0

    # The database holds what the pages said.
    period.refresh_from_db()
    assert period.status == Period.Status.CLOSED
    assert period.closed_on == today and period.closure_reason == Period.ClosureReason.WORK
    job = Job.objects.get(period=period)
    assert job.counts_as_outcome is True and job.employer.orgnr == orgnr and job.start_date == job_started
    contact = EmployerContact.objects.get()
    assert contact.face_to_face is True and contact.purpose == EmployerContact.Purpose.NAMED_PARTICIPANTS
    assert list(contact.participants.all()) == [participant] and contact.employer == job.employer
    assert Employer.objects.filter(orgnr=orgnr).count() == 1
    revision = PlanRevision.objects.get(plan__period=period)
    assert revision.participant_took_part and revision.clinician_took_part and revision.revised_on == revised
    assert PlanActivity.objects.filter(plan__period=period).count() == 1
    assert set(Contact.objects.filter(period=period).values_list("kind", "place")) == {
        (Contact.Kind.PARTICIPANT_MEETING, Contact.Place.COMMUNITY),
        (Contact.Kind.BENEFITS_COUNSELLING, Contact.Place.OFFICE),
    }

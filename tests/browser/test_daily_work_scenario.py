"""The daily work in a real browser: a referral registered without consent is found in the job specialist's inbox,
consent is recorded later and the person taken in, an employer contact is recorded from the participant's page and
shown there, a wrongly registered job is corrected with a reason, and the period is closed only once the closure is
confirmed. Every page passes axe-core, the CSP and the 320 px reflow check (``Browsing.check`` in conftest.py)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from brobygger.accounts import demo
from brobygger.accounts.models import Municipality, TreatmentTeam
from brobygger.audit.models import AuditEvent
from brobygger.participants import identity, services
from brobygger.participants.models import EmployerContact, Job, Period, Referral
from brobygger.participants.services import CORRECTION_REASON
from tests.browser.test_pathway_scenario import follow, log_in, main_text, status_message, submit, visit

pytestmark = pytest.mark.browser

MAIN_NAV = ".site-header nav[aria-label]"
FIRST_NAME, LAST_NAME = "Siri", "Sentsamtykke"
FULL_NAME = f"{FIRST_NAME} {LAST_NAME}"
FACTS = {
    "moderate_or_severe_condition": True,
    "compound_problems": False,
    "in_health_service": True,
    "needs_comprehensive_follow_up": True,
    "wants_work_or_education": True,
}


def test_a_referral_from_the_inbox_through_consent_later_a_corrected_job_and_a_confirmed_closure(seeded, browsing):
    page = browsing.page
    today = timezone.localdate()
    referred = today - timedelta(days=30)
    consented = referred + timedelta(days=3)
    started = referred + timedelta(days=5)
    job_started = started + timedelta(days=10)
    clinician = seeded["behandler"]
    participant = services.participant_register(
        actor=clinician,
        identity_number=identity.synthetic_identity_number(referred.replace(year=referred.year - 40, day=1), 8),
        municipality=Municipality.objects.get(number="0301"),
        first_name=FIRST_NAME,
        last_name=LAST_NAME,
    )
    referral = services.referral_create(
        actor=clinician,
        participant=participant,
        team=TreatmentTeam.objects.get(name="Nordre Aker psykisk helseteam"),
        clinician=clinician,
        referred_on=referred,
        goals="Jobbe i et verksted",
        facts=FACTS,
    )
    employer = services.employer_register(
        actor=seeded["jobbspesialist"], name="Sykkelverkstedet AS (demo)", orgnr=demo.synthetic_orgnr(920)
    )

    # 1. The home page counts the waiting referral and leads to the inbox, which shows how long it has waited.
    log_in(browsing, "jobbspesialist")
    follow(browsing, "1 henvisning venter på avgjørelse")
    assert browsing.path() == "/deltakere/henvisninger/"
    row = page.locator("main table tbody tr").filter(has_text=FULL_NAME)
    assert "30 dager" in row.inner_text() and "Mangler" in row.inner_text()

    # 2. Consent came after the referral: recorded from the inbox, the person is eligible and is taken in.
    follow(browsing, f"Registrer samtykke – {FULL_NAME}", within=row)
    assert browsing.path() == f"/deltakere/henvisninger/{referral.pk}/samtykke/"
    page.get_by_label("Samtykke gitt").fill(consented.isoformat())
    page.get_by_label("Samtykkeform").select_option(label="Muntlig, notert i journal")
    submit(browsing, "Registrer samtykket")
    assert browsing.path() == f"/deltakere/henvisninger/{referral.pk}/avgjor/"
    assert status_message(browsing) == "Samtykket er registrert, og personkretsen er vurdert på nytt."
    assert "Vilkårene for å få tiltaket er oppfylt" in main_text(browsing)
    accept = page.get_by_role("region", name="Ta inn", exact=True)
    accept.get_by_label("Dato for avgjørelsen").fill(consented.isoformat())
    accept.get_by_label("Jobbspesialist").select_option(label="Jonas Berg")
    submit(browsing, "Ta inn", within=accept)
    assert browsing.path() == f"/deltakere/{participant.pk}/"
    period = Period.objects.get(participant=participant)
    follow(browsing, "Start forløpet")
    page.get_by_label("Oppstartsdato").fill(started.isoformat())
    submit(browsing, "Start forløpet")

    # 3. The inbox is empty now.
    visit(browsing, "/deltakere/henvisninger/")
    assert "Ingen henvisninger venter." in main_text(browsing)

    # 4. An employer contact recorded from the participant's page: the person is chosen, and the page shows it.
    visit(browsing, f"/deltakere/{participant.pk}/")
    follow(browsing, "Registrer arbeidsgiverkontakt om personen")
    assert page.get_by_label(FULL_NAME).is_checked()
    page.get_by_label("Arbeidsgiver", exact=True).select_option(label=str(employer))
    page.get_by_label("Dato", exact=True).fill(job_started.isoformat())
    page.get_by_role("group", name="Møttes dere ansikt til ansikt?").get_by_label("Ja, ansikt til ansikt").check()
    page.get_by_label("Resultat").fill("Verkstedet vil prøve henne i sommer")
    submit(browsing, "Registrer")
    assert browsing.path() == f"/deltakere/{participant.pk}/"
    contacts = page.get_by_role("region", name="Arbeidsgiverkontakter")
    assert "Verkstedet vil prøve henne i sommer" in contacts.inner_text()

    # 5. A job registered with the wrong hours is corrected, with the reason, and judged again.
    job = services.job_register(
        actor=seeded["jobbspesialist"],
        period=period,
        employer=employer,
        title="Sykkelmekaniker",
        job_type=Job.JobType.OTHER,
        start_date=job_started,
        hours_per_week=Decimal("2"),
        open_labour_market=True,
        paid_at_least_normal_rate=True,
        open_to_anyone=True,
    )
    visit(browsing, f"/deltakere/forlop/{period.pk}/jobber/")
    follow(browsing, "Rett Sykkelmekaniker")
    page.get_by_label("Timer per uke").fill("20")
    page.get_by_label("Hvorfor rettes jobben?").fill("Timene ble ført per dag, ikke per uke")
    submit(browsing, "Lagre rettingen")
    assert browsing.path() == f"/deltakere/forlop/{period.pk}/jobber/"
    assert status_message(browsing) == "Rettingen er lagret, med grunnen i endringsloggen."
    job.refresh_from_db()
    assert job.hours_per_week == Decimal("20")
    event = AuditEvent.objects.filter(object_type="participants.job", object_id=str(job.pk), action="update").last()
    assert Decimal(event.before["hours_per_week"]) == 2 and Decimal(event.after["hours_per_week"]) == 20
    assert event.after[CORRECTION_REASON] == "Timene ble ført per dag, ikke per uke"

    # 6. Closing cannot be undone: without the confirmation nothing happens, with it the period is closed.
    visit(browsing, f"/deltakere/{participant.pk}/")
    follow(browsing, "Avslutt forløpet")
    page.get_by_label("Avsluttet").fill(today.isoformat())
    page.get_by_label("Ordinært arbeid").check()
    submit(browsing, "Avslutt forløpet")
    assert "Bekreft at forløpet skal avsluttes. Det kan ikke angres." in main_text(browsing)
    period.refresh_from_db()
    assert period.closed_on is None
    page.get_by_label("Jeg har kontrollert opplysningene", exact=False).check()
    submit(browsing, "Avslutt forløpet")
    assert status_message(browsing) == "Forløpet er avsluttet."
    period.refresh_from_db()
    assert period.status == Period.Status.CLOSED and period.closed_on == today
    referral.refresh_from_db()
    assert referral.decision == Referral.Decision.ACCEPTED and referral.consent_given_on == consented
    assert EmployerContact.objects.get().participants.get() == participant
    browsing.screenshot("daily-work-closed")

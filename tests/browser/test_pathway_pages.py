"""The pathway through a real browser: a clinician registers a person with a referral, a job specialist takes the
person in and starts the period. Every page visited passes axe-core, the CSP and the 320 px reflow check
(``Browsing.check`` in conftest.py); the identity number appears only after the reveal button is pressed."""

import re
from datetime import date

import pytest
from django.utils import timezone

from brobygger.accounts import demo
from brobygger.participants import identity
from brobygger.participants.models import Participant, Period

pytestmark = pytest.mark.browser

NUMBER = identity.synthetic_identity_number(date(1999, 2, 11), 3)


def log_in(browsing, username: str) -> None:
    browsing.goto("/logg-inn/")
    browsing.log_in(username, demo.DEMO_PASSWORD)
    assert browsing.path() == "/"


def log_out(browsing) -> None:
    with browsing.page.expect_navigation():
        browsing.page.locator(".site-header").get_by_role("button", name="Logg ut").click()


def submit(browsing, name: str) -> None:
    with browsing.page.expect_navigation():
        browsing.page.locator("main").get_by_role("button", name=name, exact=True).click()
    browsing.page.wait_for_load_state("load")


def test_from_referral_to_a_started_period(seeded, browsing):
    page = browsing.page
    today = timezone.localdate().isoformat()

    # The clinician finds the list in the menu and registers the person with the referral.
    log_in(browsing, "behandler")
    with page.expect_navigation():
        page.locator(".site-header nav").get_by_role("link", name="Deltakere").click()
    assert browsing.path() == "/deltakere/"
    browsing.check()
    with page.expect_navigation():
        page.get_by_role("link", name="Registrer ny deltaker og henvisning").click()
    assert browsing.path() == "/deltakere/ny/"
    browsing.check()
    browsing.screenshot("pathway-register")

    page.get_by_label("Fødselsnummer eller D-nummer").fill("12345678901")
    page.get_by_label("Fornavn", exact=True).fill("Sofie")
    page.get_by_label("Etternavn", exact=True).fill("Prøvesen")
    page.get_by_label("Bostedskommune").select_option(label="Oslo")
    page.get_by_label("Henvisende behandler").select_option(label="Bjørn Haugen")
    page.get_by_label("Personens egne mål").fill("Jobbe i barnehage")
    for fact in (
        "Har moderate til alvorlige psykiske lidelser og/eller rusproblemer",
        "Får behandling eller oppfølging i helse- og omsorgstjenesten",
        "Trenger mer omfattende formidlings- og oppfølgingsbistand enn Navs generelle bistand",
        "Ønsker å komme i ordinært arbeid og/eller opplæring eller utdanning",
    ):
        page.get_by_label(fact).check()
    page.get_by_label("Samtykke gitt").fill(today)
    page.get_by_label("Samtykkeform").select_option(label="Skriftlig")
    submit(browsing, "Registrer")

    # A wrong number is explained, never echoed back; the summary takes the focus.
    summary = page.locator(".ds-error-summary")
    assert "kontrollsifrene stemmer ikke" in summary.inner_text()
    assert page.evaluate("() => document.activeElement.classList.contains('ds-error-summary')")
    assert "12345678901" not in page.content()
    browsing.check()

    page.get_by_label("Fødselsnummer eller D-nummer").fill(NUMBER)
    submit(browsing, "Registrer")
    participant = Participant.objects.get(last_name="Prøvesen")
    assert browsing.path() == f"/deltakere/{participant.pk}/"
    assert page.locator("h1").inner_text().startswith("Sofie Prøvesen")
    assert "Vilkårene for å få tiltaket er oppfylt" in page.content()
    assert NUMBER not in page.content()
    browsing.check()

    # The reveal swaps in the number in place (htmx), and only then is it on the page.
    page.get_by_role("button", name="Vis fødselsnummer").click()
    page.locator("#identity-number", has_text="Visningen er logget").wait_for()
    assert f"{NUMBER[:6]} {NUMBER[6:]}" in page.locator("#identity-number").inner_text()
    browsing.check()
    log_out(browsing)

    # The job specialist finds the person by number (posted, not in the address) and takes them in.
    log_in(browsing, "jobbspesialist")
    browsing.goto("/deltakere/")
    page.get_by_label("Fødselsnummer eller D-nummer").fill(NUMBER)
    with page.expect_navigation():
        page.get_by_role("button", name="Søk på fødselsnummer").click()
    assert browsing.path() == f"/deltakere/{participant.pk}/"
    assert NUMBER not in page.url
    with page.expect_navigation():
        page.get_by_role("link", name="Avgjør henvisningen").click()
    assert re.fullmatch(r"/deltakere/henvisninger/\d+/avgjor/", browsing.path())
    browsing.check()
    browsing.screenshot("pathway-decide")
    page.get_by_label("Jobbspesialist").select_option(label="Jonas Berg")
    submit(browsing, "Ta inn")
    assert browsing.path() == f"/deltakere/{participant.pk}/"
    assert "Venter på oppstart" in page.content()
    browsing.check()

    period = Period.objects.get(participant=participant)
    with page.expect_navigation():
        page.get_by_role("link", name="Start forløpet").click()
    assert browsing.path() == f"/deltakere/forlop/{period.pk}/start/"
    browsing.check()
    submit(browsing, "Start forløpet")
    period.refresh_from_db()
    assert browsing.path() == f"/deltakere/{participant.pk}/"
    assert period.status == Period.Status.JOB_SEARCH and period.track == Period.Track.IPS_UNG
    main = page.locator("main").inner_text()
    assert "Aktiv jobbsøking" in main and "IPS ung" in main
    assert f"{period.last_permitted_day:%d.%m.%Y}" in main
    browsing.check()
    browsing.screenshot("pathway-detail")

    # The period's other pages: the extension with the rule's assessment first, closure, and the contact details.
    for link, path in [
        ("Vurder forlengelse", f"/deltakere/forlop/{period.pk}/forleng/"),
        ("Avslutt forløpet", f"/deltakere/forlop/{period.pk}/avslutt/"),
        ("Endre personopplysninger", f"/deltakere/{participant.pk}/endre/"),
        ("Endre kontaktopplysninger", f"/deltakere/{participant.pk}/kontaktopplysninger/"),
        ("Ny henvisning", f"/deltakere/{participant.pk}/henvisning/ny/"),
    ]:
        browsing.goto(f"/deltakere/{participant.pk}/")
        with page.expect_navigation():
            page.locator("main").get_by_role("link", name=link, exact=True).click()
        assert browsing.path() == path
        assert page.locator("h1").count() == 1
        browsing.check()
    browsing.goto(f"/deltakere/forlop/{period.pk}/forleng/")
    assert "Bare deltakere i IPS ung" not in page.content()
    assert "Forlengelse krever at deltakeren er i opplæring eller utdanning." in page.content()
    browsing.screenshot("pathway-extend")

    # Closing with "Annet" and no explanation is refused with the reason on the field.
    browsing.goto(f"/deltakere/forlop/{period.pk}/avslutt/")
    page.get_by_label("Annet").check()
    submit(browsing, "Avslutt forløpet")
    assert "Forklar hvorfor forløpet avsluttes." in page.locator(".ds-error-summary").inner_text()
    browsing.check()

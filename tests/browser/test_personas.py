"""The foundation through a real browser: each demo persona logs in, sees its home page and follows its menu.

Every page visited must pass axe-core with zero violations, load without CSP violations, missing static files or
script errors, and reflow at 320 CSS px (see ``Browsing.check`` in conftest.py). Screenshots of the home pages go
to var/screenshots/.
"""

import pytest
from django.utils import translation
from stdnum.no import orgnr

from brobygger.accounts import demo
from brobygger.accounts.models import Organisation, Role
from brobygger.accounts.navigation import navigation_for

pytestmark = pytest.mark.browser

# The header's navigation landmark; its aria-label is translated, so it is not matched by text.
MAIN_NAV = ".site-header nav[aria-label]"


def expected_heading(persona: demo.Persona) -> str:
    # In Norwegian whatever language an earlier test left active in this thread: the browser asks for nb.
    with translation.override("nb"):
        return str(Role(persona.role).label)


def expected_navigation(persona: demo.Persona) -> list[str]:
    with translation.override("nb"):
        return [str(item.label) for item in navigation_for(persona.role)]


def log_in_through_form(browsing, username: str, password: str = demo.DEMO_PASSWORD) -> None:
    """From a fresh context: / sends us to the login form, which we fill in and submit like a person would."""
    browsing.goto("/")
    assert browsing.path() == "/logg-inn/?next=/"
    browsing.check()
    browsing.log_in(username, password)


@pytest.mark.parametrize("persona", demo.PERSONAS, ids=lambda persona: persona.username)
def test_persona_logs_in_sees_home_and_follows_navigation(seeded, browsing, persona):
    page = browsing.page
    log_in_through_form(browsing, persona.username)

    assert browsing.path() == "/"
    assert page.locator("h1").inner_text() == expected_heading(persona)
    assert persona.first_name in page.locator(".site-header__user").inner_text()
    browsing.check()
    browsing.screenshot(f"home-{persona.username}")

    nav_links = page.locator(MAIN_NAV).get_by_role("link")
    labels = expected_navigation(persona)
    assert nav_links.all_inner_texts() == labels
    for label in labels:
        link = page.locator(MAIN_NAV).get_by_role("link", name=label, exact=True)
        href = link.get_attribute("href")
        with page.expect_navigation():
            link.click()
        assert browsing.path() == href, f"{label} førte til {browsing.path()}, ikke {href}"
        current = page.locator(MAIN_NAV).locator("[aria-current='page']")
        assert current.inner_text() == label
        assert page.locator("h1").count() == 1
        browsing.check()

    with page.expect_navigation():
        page.locator(".site-header").get_by_role("button", name="Logg ut").click()
    assert browsing.path() == "/logg-inn/"
    assert page.locator(MAIN_NAV).count() == 0
    browsing.check()
    # Logged out for real: the home page sends us back to the login form.
    browsing.goto("/")
    assert browsing.path() == "/logg-inn/?next=/"


def test_five_wrong_passwords_lock_the_account(seeded, browsing):
    page = browsing.page
    browsing.goto("/logg-inn/")
    for attempt in range(1, 6):
        browsing.log_in("analytiker", f"feil-passord-{attempt}")
        if attempt < 5:
            assert browsing.path() == "/logg-inn/"
            # The login form says the credentials were wrong, without saying which part.
            assert page.locator(".ds-error-summary").is_visible()
            browsing.check()
    heading = page.locator("h1")
    assert heading.inner_text() == "Kontoen er midlertidig sperret"
    browsing.check()

    # While locked, even the right password is refused.
    browsing.goto("/logg-inn/")
    browsing.log_in("analytiker", demo.DEMO_PASSWORD)
    assert page.locator("h1").inner_text() == "Kontoen er midlertidig sperret"
    browsing.goto("/")
    assert browsing.path() == "/logg-inn/?next=/"

    # Lockout is per user and, separately, per address: five failures from one address lock it for everyone.
    browsing.goto("/logg-inn/")
    browsing.log_in("behandler", demo.DEMO_PASSWORD)
    assert page.locator("h1").inner_text() == "Kontoen er midlertidig sperret"


def test_language_switch_to_english(seeded, browsing):
    page = browsing.page
    log_in_through_form(browsing, "jobbspesialist")
    assert page.locator("html").get_attribute("lang") == "nb"

    with page.expect_navigation():
        page.locator(".language-switch").get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert browsing.path() == "/"
    browsing.check()

    # The choice sticks across pages, and the switch now offers the way back.
    with page.expect_navigation():
        page.locator(MAIN_NAV).get_by_role("link").nth(1).click()
    assert page.locator("html").get_attribute("lang") == "en"
    browsing.check()
    back = page.locator(".language-switch").get_by_role("button")
    assert back.get_attribute("lang") == "nb"
    with page.expect_navigation():
        back.click()
    assert page.locator("html").get_attribute("lang") == "nb"


def valid_synthetic_orgnr(taken: set[str]) -> str:
    """A 1xxxxxxxx number (never assigned by Brønnøysund) with a valid check digit, not used by the seed."""
    for stem in range(9_876_543, 0, -1):
        for check in "0123456789":
            number = f"1{stem:07d}{check}"
            if orgnr.is_valid(number) and number not in taken:
                return number
    raise AssertionError("fant ikke et ledig organisasjonsnummer")


def test_sysadmin_registers_organisation_with_validation(seeded, browsing):
    page = browsing.page
    log_in_through_form(browsing, "sysadmin")
    browsing.goto("/organisasjoner/")
    browsing.check()
    with page.expect_navigation():
        page.get_by_role("link", name="Registrer ny organisasjon").click()
    assert browsing.path() == "/organisasjoner/ny/"
    browsing.check()

    page.get_by_label("Navn").fill("Bro Testkommune (demo)")
    page.get_by_label("Organisasjonsnummer").fill("123456789")
    page.get_by_label("Type").select_option(label="Kommune")
    page.get_by_label("Kommunenummer").fill("0301")
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre").click()

    assert browsing.path() == "/organisasjoner/ny/"
    message = "Organisasjonsnummeret må ha 9 siffer med gyldig kontrollsiffer."
    summary = page.locator(".ds-error-summary")
    assert summary.is_visible()
    assert summary.get_by_role("heading").inner_text() == "Skjemaet har feil som må rettes"
    assert summary.get_by_role("link").inner_text() == f"Organisasjonsnummer: {message}"
    field = page.get_by_label("Organisasjonsnummer")
    assert field.get_attribute("aria-invalid") == "true"
    field_error = page.locator(f"#{field.get_attribute('id')}_error")
    assert field_error.inner_text() == message
    assert field_error.get_attribute("id") in field.get_attribute("aria-describedby").split()
    # The summary's link moves focus to the field it names.
    summary.get_by_role("link").click()
    assert page.evaluate("() => document.activeElement.name") == "orgnr"
    browsing.check()

    number = valid_synthetic_orgnr(set(Organisation.objects.values_list("orgnr", flat=True)))
    field.fill(number)
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre").click()
    assert browsing.path() == "/organisasjoner/"
    assert page.get_by_role("status").inner_text() == "Organisasjonen er lagret."
    row = page.get_by_role("row").filter(has_text="Bro Testkommune (demo)")
    assert row.get_by_role("cell").nth(1).inner_text() == number
    browsing.check()
    assert Organisation.objects.filter(orgnr=number, name="Bro Testkommune (demo)").exists()


def test_remaining_pages_pass_axe(seeded, browsing):
    """The templates the menus do not reach: details, forms with and without errors, filters, 403 and 404."""
    page = browsing.page
    response = browsing.goto("/finnes-ikke/")
    assert response.status == 404
    browsing.check()

    log_in_through_form(browsing, "jobbspesialist")
    response = browsing.goto("/revisjon/")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "Ingen tilgang"
    browsing.check()
    browsing.goto("/")
    with page.expect_navigation():
        page.locator(".site-header").get_by_role("button", name="Logg ut").click()

    browsing.log_in("sysadmin", demo.DEMO_PASSWORD)
    service = demo.SERVICES[0].name
    browsing.goto("/tilbud/")
    with page.expect_navigation():
        page.get_by_role("link", name=service).click()
    assert page.locator("h1").inner_text() == service
    browsing.check()
    with page.expect_navigation():
        page.get_by_role("link", name="Endre IPS-tilbudet").click()
    browsing.check()

    browsing.goto("/tilbud/nytt/")
    browsing.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre").click()
    assert page.locator(".ds-error-summary").get_by_role("link").count() == 6
    browsing.check()

    browsing.goto("/organisasjoner/")
    with page.expect_navigation():
        page.get_by_role("link", name="Endre NAV Oslo (demo)").click()
    assert page.get_by_label("Navn").input_value() == "NAV Oslo (demo)"
    browsing.check()

    browsing.goto("/revisjon/?log=access")
    browsing.check()
    browsing.goto("/revisjon/?date_from=2026-01-02&date_to=2026-01-01")
    assert page.locator(".ds-error-summary").is_visible()
    browsing.check()


def test_a_rule_is_tried_in_place_with_htmx(seeded, browsing):
    """The Regelverk page: a rule's form is evaluated in place (htmx); an error moves focus to the summary."""
    page = browsing.page
    browsing.goto("/regelverk/")
    browsing.check()
    with page.expect_navigation():
        page.get_by_role("link", name="Nivå for modelltrohet").click()
    browsing.check()
    page.get_by_label("Vurderingsdato").fill("2026-03-01")
    page.get_by_label("Totalskår på IPS-25").fill("80")
    page.get_by_role("button", name="Vurder").click()
    result = page.locator("#result-heading")
    result.wait_for()
    assert "godkjent" in result.inner_text().lower()
    assert page.locator(".result td", has_text="IPS-25").count() >= 1
    browsing.check()

    page.get_by_label("Totalskår på IPS-25").fill("")
    page.get_by_role("button", name="Vurder").click()
    page.locator(".ds-error-summary").wait_for()
    page.wait_for_function("() => document.activeElement.classList.contains('ds-error-summary')")
    assert page.locator("#result-heading").count() == 0
    browsing.check()

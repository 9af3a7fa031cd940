"""The caseload pages through a real browser, on the demo participants: the job specialist's caseload, the leader's
view of the service and the treatment team's weekly meeting, each reached from the menu as its persona would, and
each passing axe-core, the CSP and the 320 px reflow check (``Browsing.check``). The meeting prints without menus.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from brobygger.accounts import demo
from brobygger.participants import demo as participants_demo

pytestmark = pytest.mark.browser

MAIN_NAV = ".site-header nav[aria-label]"


@pytest.fixture
def with_participants(seeded) -> dict:
    participants_demo.seed(today=timezone.localdate())
    return seeded


def log_in(browsing, username: str) -> None:
    browsing.goto("/logg-inn/")
    browsing.log_in(username, demo.DEMO_PASSWORD)
    assert browsing.path() == "/"


def follow_menu(browsing, label: str) -> str:
    page = browsing.page
    with page.expect_navigation():
        page.locator(MAIN_NAV).get_by_role("link", name=label, exact=True).click()
    assert page.locator(MAIN_NAV).locator("[aria-current='page']").inner_text() == label
    assert page.locator("h1").count() == 1
    return browsing.path()


def test_job_specialist_caseload_sorted_with_alerts_and_links(with_participants, browsing):
    page = browsing.page
    log_in(browsing, "jobbspesialist")
    with page.expect_navigation():
        page.get_by_role("link", name="Gå til saksoversikten din").click()
    assert browsing.path() == "/saksoversikt/"
    assert page.locator("h1").inner_text() == "Saksoversikt"
    table = page.locator("table.caseload-table")
    assert "sortert etter hastegrad" in table.locator("caption").inner_text()
    # Most urgent first: the first row has an overdue (danger) alert.
    first_row = table.locator("tbody tr").first
    assert first_row.locator(".ds-tag[data-color='danger']").count() >= 1
    assert "Hjemmel:" in first_row.inner_text()
    browsing.check()
    browsing.screenshot("caseload-jobbspesialist")

    with page.expect_navigation():
        page.locator(".sort-links").get_by_role("link", name="Navn").click()
    assert browsing.path() == "/saksoversikt/?sorter=navn"
    assert page.locator(".sort-links [aria-current='true']").inner_text() == "Navn"
    browsing.check()

    # A participant's name leads to the participant's page, by database id only.
    link = table.locator("tbody th a").first
    assert link.get_attribute("href").rstrip("/").split("/")[-1].isdigit()


def test_leader_sees_the_service_per_specialist(with_participants, browsing):
    page = browsing.page
    log_in(browsing, "ips-leder")
    assert follow_menu(browsing, "Saksoversikt") == "/saksoversikt/team/"
    assert page.locator("h1").inner_text() == "Saksoversikt for tilbudet"
    summary = page.get_by_role("table", name="Saksmengde og varsler per jobbspesialist")
    assert summary.get_by_role("row").filter(has_text="Jonas Berg").count() == 1
    browsing.check()
    browsing.screenshot("caseload-ips-leder")

    # The summary's name jumps to that specialist's own table.
    summary.get_by_role("link", name="Jonas Berg").click()
    assert page.evaluate("() => document.activeElement.tagName + ' ' + document.activeElement.textContent") == (
        "H3 Jonas Berg"
    )


@pytest.mark.parametrize("username", ["jobbspesialist", "behandler", "ips-leder"])
def test_team_meeting_is_chosen_dated_and_printed(with_participants, browsing, username):
    page = browsing.page
    log_in(browsing, username)
    assert follow_menu(browsing, "Teammøte") == "/saksoversikt/teammote/"
    browsing.check()
    with page.expect_navigation():
        page.get_by_role("link", name="Nordre Aker psykisk helseteam").click()
    assert page.locator("h1").inner_text() == "Teammøte: Nordre Aker psykisk helseteam"
    # Still the menu's current item on the meeting itself.
    assert page.locator(MAIN_NAV).locator("[aria-current='page']").inner_text() == "Teammøte"
    browsing.check()
    browsing.screenshot(f"team-meeting-{username}")

    # An earlier week, by the date field; a date in the future is refused with the reason at the field.
    earlier = timezone.localdate() - timedelta(days=14)
    page.get_by_label("Møtedato").fill(earlier.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Vis uken").click()
    assert f"til og med {earlier:%d.%m.%Y}" in page.locator("main").inner_text()
    browsing.check()
    future = timezone.localdate() + timedelta(days=3)
    page.get_by_label("Møtedato").fill(future.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Vis uken").click()
    assert page.locator(".ds-error-summary").is_visible()
    assert "Møtedatoen kan ikke være fram i tid." in page.locator(".ds-validation-message").inner_text()
    browsing.check()

    # Printed: the participants' table without the header, menu, date form or footer.
    page.emulate_media(media="print")
    try:
        assert not page.locator(".site-header").is_visible()
        assert not page.locator(".site-footer").is_visible()
        assert not page.get_by_role("button", name="Vis uken").is_visible()
        assert page.locator("table.meeting-table").is_visible()
    finally:
        page.emulate_media(media="screen")

"""The statistics pages through a real browser: the leader's own figures, the analyst's published figures, charts.

The leader reads the indicators at each level, the quarterly employment rate and fidelity against outcomes; the
analyst computes the published figures in the background, follows the job to the end and reads the suppressed
figures; the grant officer records a goal of the IPS ung trial. Every page passes axe-core, the CSP and the 320 px
reflow check (``Browsing.check``), and every chart is drawn on a canvas beside its table.
"""

import pytest
from django.utils import timezone

from brobygger.accounts import demo
from brobygger.reporting import generate, published
from brobygger.reporting.forms import default_year
from brobygger.reporting.views import _quarters

pytestmark = pytest.mark.browser

LAST_YEAR = "2025"


@pytest.fixture
def country(seeded, settings):
    """The demo seed and a small synthetic country; background jobs run at once (no worker in the test)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    generate.generate(years=2, scale=0.05, seed=1, last_year=int(LAST_YEAR))
    return seeded


def log_in(browsing, username: str) -> None:
    browsing.goto("/logg-inn/")
    browsing.log_in(username, demo.DEMO_PASSWORD)


def charts_drawn(page) -> int:
    """Canvases Chart.js has drawn on (it sets their pixel size)."""
    return page.evaluate(
        "() => [...document.querySelectorAll('canvas[data-chart]')].filter(c => c.width > 0 && c.height > 0).length"
    )


def test_the_leader_reads_the_own_figures_at_every_level(country, browsing):
    page = browsing.page
    log_in(browsing, "ips-leder")
    page.locator(".site-header").get_by_role("link", name="Statistikk", exact=True).click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Statistikk"
    browsing.check()
    for level in ("Behandlingsteam", "Jobbspesialist", "Kommune", "IPS-tilbud"):
        page.get_by_label("Periode", exact=True).select_option(LAST_YEAR)
        page.get_by_label("Nivå", exact=True).select_option(label=level)
        with page.expect_navigation():
            page.get_by_role("button", name="Vis tallene").click()
        assert page.locator("table caption").first.inner_text().startswith("Deltakere")
        assert page.get_by_role("link", name="Last ned CSV").is_visible()
        browsing.check()
    assert charts_drawn(page) >= 1
    browsing.screenshot("statistikk-ips-leder")

    for name in ("Sysselsetting per kvartal", "Modelltrofasthet og resultater"):
        with page.expect_navigation():
            page.get_by_role("navigation", name="Statistikksider").get_by_role("link", name=name).click()
        assert page.locator("h1").inner_text() == name
        if name == "Sysselsetting per kvartal":
            main = page.locator("main").inner_text()
            assert "Gjennomsnitt (41 %)" in main
            # The leader's own service has no participants in the national test data: the figure says so rather
            # than stay blank (a chart is drawn when there are figures, as on the analyst's page).
            assert charts_drawn(page) == 0 and "Figuren har ingen tall å vise" in main
        browsing.check()


def test_the_leader_orders_the_annual_report_and_downloads_it(country, browsing):
    page = browsing.page
    log_in(browsing, "ips-leder")
    browsing.goto(f"/statistikk/?periode={LAST_YEAR}&niva=tilbud")
    with page.expect_navigation():
        page.get_by_role("button", name="Lag årsrapport (PDF)").click()
    assert page.locator("h1").inner_text() == "Årsrapport som PDF"
    assert page.locator("progress").get_attribute("value") == "100"
    browsing.check()
    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned").click()
    assert download.value.suggested_filename == f"arsrapport-ips-{LAST_YEAR}.pdf"


def test_the_analyst_sees_the_suppressed_figures_on_the_first_visit(country, browsing):
    page = browsing.page
    log_in(browsing, "analytiker")
    page.locator(".site-header").get_by_role("link", name="Statistikk", exact=True).click()
    page.wait_for_load_state("load")
    # No button to press: the last complete year is computed on the first visit (at once here, with no worker).
    main = page.locator("main").inner_text()
    assert f"{default_year(timezone.localdate()).label} · Hele landet" in main and "Publiserte tall, beregnet" in main
    assert "Beregn tallene" not in main and "ikke beregnet" not in main
    assert page.locator("table caption").first.inner_text().startswith("Deltakere")
    browsing.check()
    browsing.goto(f"/statistikk/?periode={LAST_YEAR}&niva=helseregion")
    assert "Publiserte tall, beregnet" in page.locator("main").inner_text()
    assert charts_drawn(page) >= 1
    browsing.check()
    browsing.screenshot("statistikk-analytiker")
    for level in ("fylke", "kommune", "tilbud"):
        browsing.goto(f"/statistikk/?periode={LAST_YEAR}&niva={level}")
        browsing.check()
    browsing.goto(f"/statistikk/modelltrohet/?periode={LAST_YEAR}")
    browsing.check()
    # Eight quarters take longer than a page load may wait for without a worker: published here first.
    for quarter in _quarters(timezone.localdate()):
        published.publish(quarter, actor=country["analytiker"])
    browsing.goto("/statistikk/sysselsetting/?niva=helseregion")
    assert charts_drawn(page) == 1
    browsing.check()


def test_the_grant_officer_records_a_goal_of_the_ips_ung_trial(country, browsing):
    page = browsing.page
    log_in(browsing, "tilskuddsforvalter")
    browsing.goto(f"/statistikk/ips-ung/?periode={LAST_YEAR}")
    browsing.check()
    with page.expect_navigation():
        page.get_by_role("link", name="Registrer nytt mål").click()
    browsing.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre").click()
    assert page.locator(".ds-error-summary").is_visible()
    browsing.check()
    page.get_by_label("År", exact=True).fill(LAST_YEAR)
    page.get_by_label("Aldersgruppe").select_option("18-24")
    page.get_by_label("Indikator").select_option("andel_arbeid_eller_utdanning")
    page.get_by_label("Forventet resultat").fill("40")
    page.get_by_label("Kriterium").fill("Flere unge i arbeid eller utdanning (tillegg nr. 7 til TB2021).")
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre").click()
    assert "Målet er lagret." in page.locator("main").inner_text()
    assert page.get_by_role("cell", name="18–24 år").first.is_visible()
    assert charts_drawn(page) == 1
    browsing.check()
    browsing.screenshot("ips-ung-tilskuddsforvalter")

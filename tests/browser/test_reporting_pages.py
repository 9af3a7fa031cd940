"""The statistics pages through a real browser: the leader's own figures, the analyst's published figures, charts.

The leader reads the indicators at each level, the quarterly employment rate and fidelity against outcomes; the
analyst computes the published figures in the background, follows the job to the end and reads the suppressed
figures; the grant officer records a goal of the IPS ung trial. Every page passes axe-core, the CSP and the 320 px
reflow check (``Browsing.check``), and every chart is drawn on a canvas beside its table.
"""

import pytest

from brobygger.accounts import demo
from brobygger.reporting import generate, published
from brobygger.reporting.periods import ReportingPeriod

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
            assert "Gjennomsnitt (41 %)" in page.locator("main").inner_text()
            assert charts_drawn(page) == 1
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


def test_the_analyst_publishes_a_year_and_reads_the_suppressed_figures(country, browsing):
    page = browsing.page
    log_in(browsing, "analytiker")
    browsing.goto(f"/statistikk/?periode={LAST_YEAR}&niva=helseregion")
    assert "ikke beregnet" in page.locator("main").inner_text()
    browsing.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Beregn tallene").click()
    assert page.locator("h1").inner_text() == "Beregne publiserte tall"
    assert "Ferdig" in page.locator("#jobbstatus").inner_text()
    browsing.check()
    with page.expect_navigation():
        page.get_by_role("link", name="Tilbake til statistikken").click()
    assert "Publiserte tall, beregnet" in page.locator("main").inner_text()
    assert charts_drawn(page) >= 1
    browsing.check()
    browsing.screenshot("statistikk-analytiker")
    for level in ("fylke", "kommune", "tilbud"):
        browsing.goto(f"/statistikk/?periode={LAST_YEAR}&niva={level}")
        browsing.check()
    browsing.goto(f"/statistikk/modelltrohet/?periode={LAST_YEAR}")
    browsing.check()
    browsing.goto("/statistikk/sysselsetting/")
    assert page.get_by_role("button", name="Beregn tallene").is_visible()
    browsing.check()
    # Eight quarters take longer than a click may wait for without a worker: published here instead.
    for slug in page.locator("input[name=periode]").evaluate_all("inputs => inputs.map(i => i.value)"):
        published.publish(ReportingPeriod.parse(slug), actor=country["analytiker"])
    browsing.goto("/statistikk/sysselsetting/?niva=helseregion")
    assert charts_drawn(page) == 1
    browsing.check()


def test_the_grant_officer_records_a_goal_of_the_ips_ung_trial(country, browsing):
    page = browsing.page
    log_in(browsing, "tilskuddsforvalter")
    browsing.goto(f"/statistikk/ips-ung/?periode={LAST_YEAR}")
    browsing.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Beregn tallene").click()
    browsing.goto(f"/statistikk/ips-ung/?periode={LAST_YEAR}")
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

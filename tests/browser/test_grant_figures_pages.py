"""The figures for the Ministry through a real browser: the analyst opens them from the menu on the demo's grant
scheme and a small synthetic country, reads the charts beside their tables, downloads the XLSX and the PDF, and
the grant officer picks another year. Every page passes ``Browsing.check`` (axe-core, CSP, static files, script
errors, reflow at 320 px)."""

import pytest

from brobygger.accounts import demo
from brobygger.grants import demo as grants_demo
from brobygger.reporting import generate

pytestmark = pytest.mark.browser


@pytest.fixture
def scheme(seeded, settings):
    """The demo's grant scheme (2025 decided, 2026 open) and a small synthetic country; jobs run at once."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    grants_demo.seed()
    generate.generate(years=2, scale=0.05, seed=1, last_year=2025)
    return seeded


def log_in(browsing, username: str) -> None:
    browsing.goto("/logg-inn/")
    browsing.log_in(username, demo.DEMO_PASSWORD)


def charts_drawn(page) -> int:
    return page.evaluate(
        "() => [...document.querySelectorAll('canvas[data-chart]')].filter(c => c.width > 0 && c.height > 0).length"
    )


def test_the_analyst_reads_the_figures_for_the_ministry_and_downloads_them(scheme, browsing):
    page = browsing.page
    log_in(browsing, "analytiker")
    browsing.goto("/tilskudd/tall/?ar=2025")
    # The published figures of 2025 are computed on the first visit (at once here, with no worker).
    main = page.locator("main").inner_text()
    assert page.locator("h1").inner_text() == "Tall for departementet"
    assert "Publiserte tall, beregnet" in main and "ikke beregnet" not in main
    captions = page.locator("table caption").all_inner_texts()
    assert captions[0].startswith("IPS-tilbud forankret i helse- og omsorgstjenesten")
    assert any(caption.startswith("Deltakere per år") for caption in captions)
    assert any(caption.startswith("Budsjettramme og innvilget tilskudd") for caption in captions)
    assert charts_drawn(page) >= 4
    browsing.check()
    browsing.screenshot("tall-for-departementet")
    with page.expect_download() as xlsx:
        page.get_by_role("link", name="Last ned Excel (XLSX)").click()
    assert xlsx.value.suggested_filename == "ips-tall-departementet-2025.xlsx"
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Last ned PDF").click()
    assert pdf.value.suggested_filename == "ips-tall-departementet-2025.pdf"


def test_the_grant_officer_finds_the_page_in_the_menu_and_picks_a_year(scheme, browsing):
    page = browsing.page
    log_in(browsing, "tilskuddsforvalter")
    page.locator(".site-header").get_by_role("link", name="Tall for departementet", exact=True).click()
    page.wait_for_load_state("load")
    browsing.check()
    page.get_by_label("År", exact=True).select_option("2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Vis tallene").click()
    assert page.locator("h2").first.inner_text() == "2026"
    assert "Innvilget tilskudd per helseregion og tiltak, 2026" in page.locator("main").inner_text()
    browsing.check()

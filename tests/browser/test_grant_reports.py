"""The annual report through a real browser: Oslo kommune's 2025 report arrives pre-filled with the same numbers the
IPS leader's statistics page shows for IPS Oslo Nord; the applicant corrects one with a reason, fills in the
accounts and the goal achievement, signs and submits; the grant officer sees the pre-filled and the corrected
figure with its reason, and approves. Every page passes ``Browsing.check`` (axe-core, CSP, reflow at 320 px)."""

import pytest

from brobygger.accounts.models import IpsService, User
from brobygger.grants import annual_reports
from brobygger.grants.models import AnnualReport
from brobygger.grants.tests.report_fixtures import YEAR, granted_2025
from brobygger.reporting import sources, tables
from brobygger.reporting.periods import Level, ReportingPeriod
from brobygger.reporting.tests import dataset
from tests.browser.test_grants_flow import click, log_in

pytestmark = pytest.mark.browser


def _shown(measure: str, number) -> str:
    """The figure as the statistics page prints it."""
    return tables.format_value(measure, None if number is None else float(number))


def test_a_prefilled_report_is_corrected_signed_submitted_and_approved(seeded, browsing):
    page = browsing.page
    users = {user.username: user for user in User.objects.all()}
    decision = granted_2025(users["tilskuddsforvalter"], users["godkjenner"], users["soker-kommune"])
    dataset.build(7, people=60)
    oslo_nord = IpsService.objects.get(name="IPS Oslo Nord")
    annual_reports.covered_service_add(
        actor=users["soker-kommune"], application=decision.application, measure="A", service=oslo_nord
    )
    # What the IPS leader's statistics page shows for the service and year.
    leader_figures = sources.figures_for(users["ips-leder"], ReportingPeriod.for_year(YEAR), Level.SERVICE)
    (statistics,) = [row.figures for row in leader_figures.units if row.key == oslo_nord.pk]
    assert statistics["deltakere"] > 0

    # The applicant makes the report from the list; it arrives pre-filled with the statistics page's numbers.
    log_in(browsing, "soker-kommune")
    browsing.goto("/tilskudd/rapporter/")
    browsing.check()
    click(page, "Lag årsrapporten")
    browsing.check()
    report = AnnualReport.objects.get()
    for key, measure in (
        ("participants", "deltakere"),
        ("work", "arbeid"),
        ("education", "utdanning"),
        ("participants_psychosis", "deltakere_psykose"),
        ("employers", "arbeidsgivere"),
        ("hired", "ansatt_hos_arbeidsgivere"),
        ("waiting_days", "ventetid_dager"),
    ):
        cell = page.locator(f'tr[data-key="A-{key}"] td.prefilled')
        assert cell.inner_text().strip() == _shown(measure, statistics[measure]), key

    # One figure corrected: without a reason the form refuses, with one it is saved.
    click(page, "Fyll ut og rett tall", role="link")
    browsing.check()
    work = report.figures.get(key="work")
    corrected = work.prefilled + 1
    page.locator(f"#id_figure_{work.pk}").fill(str(corrected))
    for figure in report.figures.filter(value__isnull=True):
        page.locator(f"#id_figure_{figure.pk}").fill("0")
    for line in report.account_lines.all():
        page.locator(f"#id_spent_{line.pk}").fill("460000")
    page.get_by_label("Måloppnåelse").fill("Flere deltakere kom i ordinært arbeid enn vi satte som mål.")
    click(page, "Lagre")
    assert "Oppgi hvorfor du endrer" in page.content()
    browsing.check()
    page.locator(f"#id_reason_{work.pk}").fill("En jobb i desember ble registrert i januar.")
    click(page, "Lagre")
    browsing.check()

    click(page, "Signer", role="link")
    browsing.check()
    page.get_by_label("Navn på den som signerer").fill("Kari Direktør")
    page.get_by_label("Kommunedirektør").check()
    page.get_by_label("Stillingstittel").fill("Kommunedirektør")
    page.get_by_label("Dato for underskriften").fill("2026-03-20")
    click(page, "Lagre")
    browsing.check()
    click(page, "Send inn årsrapporten")
    browsing.check()
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.SUBMITTED

    # The officer sees both the pre-filled and the corrected figure, with the reason, and approves.
    log_in(browsing, "tilskuddsforvalter")
    browsing.goto("/tilskudd/rapporter/")
    browsing.check()
    click(page, decision.application.title, role="link")
    browsing.check()
    row = page.locator('tr[data-key="A-work"]')
    assert row.locator("td.prefilled").inner_text().strip() == _shown("arbeid", work.prefilled)
    assert row.locator("td.reported").inner_text().startswith(_shown("arbeid", corrected))
    assert "En jobb i desember ble registrert i januar." in row.inner_text()
    assert "40 000 kr" in page.content()  # unused: 500 000 granted, 460 000 spent
    click(page, "Godkjenn årsrapporten")
    browsing.check()
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.APPROVED

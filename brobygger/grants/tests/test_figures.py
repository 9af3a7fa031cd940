"""The figures for the Ministry (/tilskudd/tall/): who sees them, that the participant figures are the statistics
pages' own (suppressed the same way), the services anchored in the health service and their fidelity, the money by
year, measure and health region, and the same figures read back from the XLSX, the PDF and the API."""

import io
import re
import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from brobygger.accounts.demo import synthetic_orgnr
from brobygger.accounts.geography import HEALTH_REGION_OF_COUNTY, counties
from brobygger.accounts.models import HealthRegion, IpsService, Municipality, Organisation, TreatmentTeam
from brobygger.fidelity import scales
from brobygger.fidelity.models import Review
from brobygger.grants import annual_reports, figures, payments, services
from brobygger.grants.models import AnnualReport, Call, ReportFigure
from brobygger.grants.tests.fixtures import assessed, fill, submitted
from brobygger.grants.tests.payment_fixtures import approved_account
from brobygger.grants.tests.report_fixtures import granted_2025
from brobygger.reporting import indicators, published
from brobygger.reporting.models import ReportJob
from brobygger.reporting.periods import Level, ReportingPeriod
from brobygger.reporting.tests import dataset

YEAR = 2024
PAGE = reverse("grants_figures")
PEOPLE_COUNTS = (*figures.PEOPLE_PER_YEAR, "deltakere_andre", "alder_16_17", "alder_18_24", "alder_25_29")


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Published figures are computed at once when the page queues them (the worker is tested in reporting)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def people(personas):
    """Fifty synthetic people in the demo's services (two health regions), 2022-2025."""
    return dataset.build(4, people=50)


def page(client, year=YEAR, **headers):
    return client.get(PAGE, {"ar": year}, headers=headers)


# --- Access ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["tilskuddsforvalter", "godkjenner", "analytiker"])
def test_grant_officers_and_analysts_have_the_page_in_their_menu(personas, login, username):
    response = login(personas[username]).get(PAGE)
    assert response.status_code == 200
    assert f'href="{PAGE}"' in response.content.decode()


@pytest.mark.parametrize(
    "username", ["jobbspesialist", "ips-leder", "behandler", "kvalitetsevaluator", "sysadmin", "soker-kommune"]
)
@pytest.mark.parametrize("name", ["grants_figures", "grants_figures_xlsx", "grants_figures_pdf"])
def test_everyone_else_is_refused_with_the_reason(personas, login, username, name):
    response = login(personas[username]).get(reverse(name))
    assert response.status_code == 403
    assert "for tilskuddsforvaltere og analytikere" in response.content.decode()


def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page(client, db):
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("year", ["1999", "tjue", "2101"])
def test_a_year_not_in_the_list_is_refused_with_a_message(personas, login, year):
    client = login(personas["analytiker"])
    response = client.get(PAGE, {"ar": year})
    assert response.status_code == 400 and "Velg et år fra listen." in response.content.decode()
    assert client.get(reverse("grants_figures_xlsx"), {"ar": year}).status_code == 400


# --- Participants: the statistics pages' published figures --------------------------------------------------------


def test_the_participant_figures_are_the_statistics_pages_figures_for_the_same_year(personas, login, people):
    client = login(personas["analytiker"])
    ours = page(client).context["result"].people
    assert ReportJob.objects.filter(kind=ReportJob.Kind.PUBLISH).exists()  # queued by the visit, no button
    statistics = client.get(reverse("statistics"), {"periode": str(YEAR), "niva": "helseregion"}).context["figures"]
    assert not ours.missing and ours.figures.publication.pk == statistics.publication.pk
    theirs = {row.key: row for row in statistics.units}
    assert {row.key for row in ours.figures.units} == set(theirs) == {HealthRegion.SOUTH_EAST, HealthRegion.NORTH}
    for row in ours.figures.units:
        for measure in PEOPLE_COUNTS:
            assert row.raw(measure) == theirs[row.key].raw(measure), (row.label, measure)
    per_year = {row.key: row for row in ours.tables[0].rows}
    national = client.get(reverse("statistics"), {"periode": str(YEAR), "niva": "nasjonal"}).context["figures"]
    for measure in figures.PEOPLE_PER_YEAR:
        assert per_year[YEAR].raw(measure) == national.total.raw(measure), measure
    live = indicators.report(ReportingPeriod.for_year(YEAR), Level.HEALTH_REGION)
    for row in ours.figures.units:  # what is shown is what the database counts; the rest is hidden, not changed
        for measure in PEOPLE_COUNTS:
            assert row.raw(measure) in (None, live.unit(row.key).figures[measure]), (row.label, measure)


def small_counts(texts) -> list[str]:
    return [text for text in texts if re.fullmatch(r"[1-4]", text.strip())]


def test_a_count_of_one_to_four_people_is_hidden_on_the_page_and_in_the_xlsx_pdf_and_api(personas, login, people):
    client = login(personas["tilskuddsforvalter"])
    result = page(client).context["result"]
    html = page(client).content.decode()
    publication = published.published_for(ReportingPeriod.for_year(YEAR))
    hidden = [(row["label"], m) for row in publication.data["levels"]["helseregion"] for m in row["hidden"]]
    assert hidden, "the test data must have small cells, or this test proves nothing"
    # The people sections of the page: every count is 0, at least 5, or ":".
    for section in re.split(r'id="seksjon-', html)[1:]:
        if section.split('"')[0] in ("deltakere_per_ar", "deltakere", "resultater", "alder"):
            cells = re.findall(r'<td class="num">(?:<abbr[^>]*>)?([^<%]*?)(?:</abbr>)?</td>', section)
            assert not small_counts(cells), section.split('"')[0]
            assert ":" in cells or section.split('"')[0] == "deltakere_per_ar"

    workbook = load_workbook(io.BytesIO(client.get(reverse("grants_figures_xlsx"), {"ar": YEAR}).content))
    sheet_values = [
        str(value)
        for sheet in workbook.worksheets[1:]
        if any(word in sheet.title for word in ("Deltakere", "I ordinært", "Alder"))
        for row in sheet.iter_rows(min_row=3, values_only=True)
        for value in row[1:]
        if not isinstance(value, float)
    ]
    assert ":" in sheet_values and not small_counts(sheet_values)

    api = client.get("/api/v1/grants/figures/", {"year": YEAR}).json()
    people_tables = [t for t in api["tables"] if t["id"] in ("deltakere", "resultater", "alder")]
    for table in people_tables:
        for row in table["rows"]:
            assert all(row["values"][m] is None for m in row["hidden"])
            counts = [v for k, v in row["values"].items() if isinstance(v, int) and not k.startswith("andel")]
            assert not [v for v in counts if 0 < v < 5], (table["id"], row["label"])
    assert any(row["hidden"] for table in people_tables for row in table["rows"])
    assert result.people.tables[1].has_hidden


def test_while_the_figures_are_computed_the_page_says_so_and_the_exports_wait(personas, login, people, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    client = login(personas["analytiker"])
    assert client.get(reverse("grants_figures_xlsx"), {"ar": YEAR}).status_code == 400
    text = page(client).content.decode()
    assert "ikke beregnet ennå" in text and 'hx-trigger="every 2s"' in text
    assert "Forankret i helse- og omsorgstjenesten" in text  # services and money need no published figures
    waiting = page(client, **{"HX-Request": "true"})
    assert waiting.status_code == 204 and "HX-Refresh" not in waiting
    published.publish(ReportingPeriod.for_year(YEAR), actor=None)  # as the worker does
    ready = page(client, **{"HX-Request": "true"})
    assert (ready.status_code, ready["HX-Refresh"]) == (204, "true")
    assert client.get(reverse("grants_figures_xlsx"), {"ar": YEAR}).status_code == 200


# --- IPS services anchored in the health service, and approved fidelity ---------------------------------------------


def _review(service, day, total, approved, status=Review.Status.FINALISED):
    scales.ensure_builtin_scales()
    scale = scales.scale_in_force(scales.IPS_25, date(2024, 1, 1))
    return Review.objects.create(
        service=service,
        scale=scale,
        review_type=Review.Type.EXTERNAL,
        review_date=day,
        period_start=day - timedelta(days=180),
        period_end=day,
        status=status,
        total=total,
        approved=approved,
        created_by=service.owners.first().users.first() or _reviewer(),
    )


def _reviewer():
    from brobygger.accounts.models import User

    return User.objects.get(username="kvalitetsevaluator")


def _service(name, owner_type, *, region=HealthRegion.WEST, team=True, start=date(2020, 1, 1)):
    owner = Organisation.objects.create(
        name=f"{name} eier", orgnr=synthetic_orgnr(27000 + IpsService.objects.count()), org_type=owner_type
    )
    service = IpsService.objects.create(
        name=name, anchoring=IpsService.Anchoring.MENTAL_HEALTH_CARE, health_region=region, start_date=start
    )
    service.owners.add(owner)
    if team:
        TreatmentTeam.objects.create(service=service, name=f"{name} team", team_type="dps", organisation=owner)
    return service


def test_anchored_services_and_approved_fidelity_per_health_region(personas):
    oslo, romerike, tromso, bodo = (IpsService.objects.get(name=n) for n in personas_services())
    _service("IPS Bergen HF", Organisation.Type.HEALTH_TRUST)
    _service("IPS NAV Vest", Organisation.Type.NAV_OFFICE)  # owned by NAV only: not anchored in the health service
    _service("IPS uten team", Organisation.Type.MUNICIPALITY, team=False)  # no treatment team refers to it
    _service("IPS fra 2025", Organisation.Type.HEALTH_TRUST, start=date(2025, 1, 1))  # not started by 31.12.2024
    _review(oslo, date(2024, 3, 1), 80, True)
    _review(oslo, date(2024, 11, 1), 70, False)  # the latest review counts: no longer approved
    _review(romerike, date(2023, 5, 1), 60, False)
    _review(romerike, date(2024, 12, 31), 90, True)  # on the last day of the year: counts
    _review(tromso, date(2024, 6, 1), 100, True)
    _review(tromso, date(2025, 1, 1), 60, False)  # after the year: does not count
    _review(bodo, date(2024, 6, 1), 110, True, status=Review.Status.SUPERSEDED)  # corrected: the correction counts
    _review(bodo, date(2024, 6, 1), 72, False)

    found = figures.services_by_region(YEAR)
    south_east, north, west = found[HealthRegion.SOUTH_EAST], found[HealthRegion.NORTH], found[HealthRegion.WEST]
    assert (south_east["services"], south_east["anchored"], south_east["reviewed"], south_east["approved"]) == (
        2,
        2,
        2,
        1,
    )
    assert (south_east["anchored_municipal"], south_east["anchored_act_fact"]) == (1, 1)
    assert (north["anchored"], north["anchored_specialist"], north["reviewed"], north["approved"]) == (2, 1, 2, 1)
    assert (west["services"], west["anchored"], west["reviewed"]) == (3, 1, 0)
    total = figures.services_table(YEAR).rows[-1].values
    assert (total["services"], total["anchored"], total["approved"]) == (7, 5, 2)


def personas_services():
    return ("IPS Oslo Nord", "IPS ung Romerike", "IPS Tromsø", "IPS Bodø TSB")


# --- Money ------------------------------------------------------------------------------------------------------------


@pytest.fixture
def decided(officer, approver, applicant, outsider, call, complete, joint):
    """2026: Oslo kommune A 500 000 and C 250 000 (Helse Sør-Øst), Bergen kommune A 400 000 (Helse Vest)."""
    bergen = fill(
        outsider, services.application_create(actor=outsider, call=call, title="IPS Bergen"), requested=400000
    )
    for application, who in ((complete, applicant), (joint, applicant), (bergen, outsider)):
        assessed(officer, submitted(who, application))
    recommendation = services.recommendation_submit(actor=officer, call=call)
    decisions = services.recommendation_approve(actor=approver, recommendation=recommendation)
    for decision in decisions:
        services.decision_send(actor=officer, decision=decision, on=date(2026, 3, 13))
    return {d.application.title: d for d in decisions}


def money(year=2026):
    tables = figures.money_tables(year, figures.scheme_years(year))
    return tuple({row.key: row.values for row in table.rows} for table in tables)


def test_the_frame_and_what_was_granted_by_year_measure_and_health_region(officer, decided):
    services.call_create(
        actor=officer,
        year=2027,
        title="Utkast 2027",
        budget_frame=Decimal(9000000),
        deadline=date(2027, 3, 1),
        text=".",
    )  # a draft: its frame is not decided
    by_year, _by_measure, by_region = money()
    assert by_year[2026] == {
        "frame": Decimal(3000000),
        "granted_A": Decimal(900000),
        "granted_B": Decimal(0),
        "granted_C": Decimal(250000),
        "granted": Decimal(1150000),
        "remaining": Decimal(1850000),
        "paid": Decimal(0),
        "repaid": Decimal(0),
    }
    assert by_region[HealthRegion.SOUTH_EAST] == {
        "granted_A": Decimal(500000),
        "granted_B": Decimal(0),
        "granted_C": Decimal(250000),
        "granted": Decimal(750000),
        "paid": Decimal(0),
        "repaid": Decimal(0),
    }
    assert by_region[HealthRegion.WEST]["granted"] == Decimal(400000)
    assert by_region[HealthRegion.NORTH]["granted"] == Decimal(0)
    assert by_region[""]["granted"] == Decimal(1150000)  # the country
    assert figures.scheme_years(2027) == [2026, 2027] and money(2027)[0][2027]["frame"] is None


def test_a_replaced_decision_counts_no_more_once_its_replacement_is_approved(officer, approver, decided):
    old = decided["IPS Oslo 2026"]
    appeal = services.appeal_register(actor=officer, decision=old, received_on=date(2026, 3, 20), grounds="Mer.")
    new = services.appeal_change(actor=officer, appeal=appeal, amounts={"A": 450000}, reasons="Rettet.")
    assert money()[0][2026]["granted_A"] == Decimal(900000)  # prepared, not approved: the old one stands
    services.decision_approve(actor=approver, decision=new)
    assert money()[0][2026]["granted_A"] == Decimal(850000)


def test_paid_and_repaid_are_what_the_call_page_counts_by_measure_and_region(officer, approver, applicant, decided):
    decision = decided["IPS Oslo 2026"]
    approved_account(applicant, officer, approver)
    commitment = payments.commitment_create(actor=officer, decision=decision, instalments=2, first_due=date(2026, 4, 1))
    first = commitment.orders.order_by("instalment").first()
    payments.payment_order_attest(actor=officer, order=first)
    payments.payment_order_approve(actor=approver, order=first)
    payments.payment_export(actor=officer, on=date(2026, 4, 1))
    claim = payments.overpayment_register(
        actor=officer, decision=decision, amount=Decimal(30000), handling="claim", due_date=date(2026, 12, 31)
    )
    payments.repayment_register(actor=officer, overpayment=claim, received_on=date(2026, 6, 1), amount=Decimal(20000))
    call_money = payments.call_money(decision.application.call)
    by_year, by_measure, by_region = money()
    assert call_money.paid == first.amount and call_money.repaid == Decimal(20000)
    assert (by_year[2026]["paid"], by_year[2026]["repaid"]) == (call_money.paid, call_money.repaid)
    assert (by_measure["A"]["paid"], by_measure["C"]["paid"]) == (call_money.paid, Decimal(0))
    assert by_region[HealthRegion.SOUTH_EAST]["repaid"] == Decimal(20000)
    assert by_region[HealthRegion.WEST]["paid"] == Decimal(0)


@given(
    st.integers(min_value=0, max_value=10**9),
    st.lists(st.integers(min_value=0, max_value=10**8), min_size=1, max_size=3),
)
def test_a_decisions_money_splits_over_its_measures_to_the_krone(amount, weights):
    parts = figures.split_kroner(Decimal(amount), [Decimal(w) for w in weights])
    assert sum(parts) == amount and all(part == part.to_integral_value() and part >= 0 for part in parts)
    total = sum(weights) or len(weights)
    for part, weight in zip(parts, weights if sum(weights) else [1] * len(weights), strict=True):
        assert abs(part - Decimal(amount) * weight / total) < 1


def test_user_involvement_in_training_comes_from_the_measure_b_reports_received(officer, approver, applicant):
    decision = granted_2025(officer, approver, applicant)
    report = annual_reports.annual_report_prepare(actor=applicant, decision=decision, on=date(2026, 1, 5))
    ReportFigure.objects.create(report=report, measure="B", key="training_led", value=Decimal(3))
    ReportFigure.objects.create(
        report=report, measure="B", key="user_involvement", text="Erfaringskonsulenter underviser."
    )
    ReportFigure.objects.create(report=report, measure="B", key="act_fact_advice", text="Veiledning av to team.")

    def training():
        return {row.key: row.values for row in figures.training_table([2024, 2025]).rows}

    assert training()[2025] == {"reports": 0, "training_led": 0, "user_involvement": 0}  # a draft is not received
    AnnualReport.objects.filter(pk=report.pk).update(status=AnnualReport.Status.SUBMITTED)
    assert training()[2025] == {"reports": 1, "training_led": 3, "user_involvement": 1}
    ReportFigure.objects.filter(key="user_involvement").update(text="  ")
    assert training() == {
        2024: {"reports": 0, "training_led": 0, "user_involvement": 0},
        2025: {"reports": 1, "training_led": 3, "user_involvement": 0},
    }


def test_a_grant_to_an_organisation_without_a_municipality_is_shown_as_not_assigned(applicant, decided):
    organisation = applicant.organisation
    organisation.municipality = None
    organisation.save()
    by_region = figures.money_tables(2026, [2026])[-1]
    labels = {row.label: row.values["granted"] for row in by_region.rows}
    assert labels["Ikke fordelt"] == Decimal(750000) and labels["Helse Sør-Øst"] == Decimal(0)


def test_every_county_has_a_health_region():
    assert {number for number, _name in counties()} <= set(HEALTH_REGION_OF_COUNTY)
    assert set(HEALTH_REGION_OF_COUNTY.values()) == set(HealthRegion.values)


# --- XLSX, PDF and API ------------------------------------------------------------------------------------------


def test_the_xlsx_reads_back_as_the_figures(personas, login, decided):
    client = login(personas["tilskuddsforvalter"])
    page(client, 2026)  # computes the published figures
    response = client.get(reverse("grants_figures_xlsx"), {"ar": 2026})
    assert response["Content-Disposition"] == 'attachment; filename="ips-tall-departementet-2026.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "Om tallene"
    sheet = next(s for s in workbook.worksheets if "per år og tiltak" in s.title or "Budsjettramme" in s.title)
    header = [cell.value for cell in sheet[2]]
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["2026"]["Budsjettramme (kr)"] == 3000000
    assert rows["2026"]["Innvilget i alt (kr)"] == 1150000
    assert rows["2026"]["Ikke fordelt av rammen (kr)"] == 1850000
    services_sheet = next(s for s in workbook.worksheets if "IPS-tilbud" in s.title)
    header = [cell.value for cell in services_sheet[2]]
    national = dict(zip(header, list(services_sheet.iter_rows(min_row=3, values_only=True))[-1], strict=True))
    assert national[None] == "Hele landet" and national["Forankret i helse- og omsorgstjenesten"] == 4


def test_the_pdf_reads_back_as_the_figures(personas, login, decided):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext mangler: kjør `make browsers` (poppler-utils).")
    client = login(personas["analytiker"])
    page(client, 2026)
    response = client.get(reverse("grants_figures_pdf"), {"ar": 2026})
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    flat = re.sub(r"\s+", " ", text.replace("\xa0", " "))
    assert "tall for departementet 2026" in flat
    assert "3 000 000" in flat and "1 150 000" in flat and "1 850 000" in flat
    assert "Helse Vest" in flat and "400 000" in flat
    assert "IPS-tilbud forankret i helse- og omsorgstjenesten, og godkjent kvalitet" in flat


def test_the_api_gives_the_pages_tables(personas, login, decided):
    client = login(personas["analytiker"])
    before = client.get("/api/v1/grants/figures/", {"year": 2026}).json()
    assert before["people_missing"] and not ReportJob.objects.exists()  # reading queues nothing
    page(client, 2026)
    answer = client.get("/api/v1/grants/figures/", {"year": 2026}).json()
    assert not answer["people_missing"] and answer["years"] == [2026]
    tables = {table["id"]: table for table in answer["tables"]}
    assert {"tilbud", "deltakere_per_ar", "deltakere", "resultater", "alder", "midler_per_ar"} <= set(tables)
    year_row = next(row for row in tables["midler_per_ar"]["rows"] if row["key"] == "2026")
    assert Decimal(year_row["values"]["granted"]) == Decimal(1150000)
    assert client.get("/api/v1/grants/figures/", {"year": 1999}).status_code == 422
    assert client.get("/api/v1/grants/figures/", {"year": 2000}).status_code == 200
    refused = login(personas["soker-kommune"]).get("/api/v1/grants/figures/")
    assert refused.status_code == 403 and "analytikere" in refused.json()["detail"]


def test_the_default_year_is_the_last_complete_year(personas, login):
    from django.utils import timezone

    response = login(personas["analytiker"]).get(PAGE)
    assert response.context["result"].year == timezone.localdate().year - 1
    assert Call.objects.count() == 0 and response.context["result"].years == [timezone.localdate().year - 1]


def test_the_municipality_of_bergen_is_in_helse_vest(db):
    bergen = Municipality.objects.get(number="4601")
    assert HEALTH_REGION_OF_COUNTY[bergen.county.number] == HealthRegion.WEST


def test_the_page_is_in_english_for_whoever_chose_english(personas, login, decided):
    client = login(personas["analytiker"])
    client.post("/i18n/setlang/", {"language": "en", "next": PAGE})
    text = client.get(PAGE, {"ar": 2026}).content.decode()
    assert "Figures for the Ministry" in text and "Anchored in the health and care service" in text
    assert "Budget frame and grants per year and measure" in text and "Granted in all (NOK)" in text
    assert "Tall for departementet" not in text


def _page_queries(client) -> int:
    client.get(PAGE, {"ar": YEAR})  # computes what is missing; sessions and content types cached as on a server
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE, {"ar": YEAR}).status_code == 200
    return len(queries)


def test_the_page_runs_as_many_queries_for_more_data(personas, login):
    client = login(personas["analytiker"])
    dataset.build(5, people=10)
    small = _page_queries(client)
    dataset.build(6, people=60)
    _service("IPS Bergen HF", Organisation.Type.HEALTH_TRUST)
    assert _page_queries(client) == small
    assert small <= 30, small

"""The statistics pages, exports and background jobs, for every role: who sees what, suppressed or not."""

import csv
import io
import re
import shutil
import statistics
import subprocess
from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from brobygger.accounts.models import IpsService, Membership, Role, User
from brobygger.audit.models import AuditEvent
from brobygger.audit.services import record_event
from brobygger.participants.models import Period
from brobygger.reporting import generate, indicators, published, tables
from brobygger.reporting.indicators import Scope
from brobygger.reporting.models import IpsUngGoal, PublishedFigures, ReportJob
from brobygger.reporting.periods import Level, ReportingPeriod
from brobygger.reporting.tests import dataset

YEAR = ReportingPeriod.for_year(2024)
STATISTICS_PAGES = ("statistics", "statistics_employment", "statistics_fidelity")


def url(name, **query):
    path = reverse(name)
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def data(personas):
    return dataset.build(4, people=50)


@pytest.fixture
def other_leader(personas):
    """The leader of another IPS service (IPS Tromsø)."""
    user = User.objects.create(username="leder-tromso", role=Role.IPS_LEADER)
    Membership.objects.create(user=user, service=IpsService.objects.get(name="IPS Tromsø"))
    return user


# --- Access ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["jobbspesialist", "behandler", "kvalitetsevaluator", "sysadmin"])
@pytest.mark.parametrize("page", [*STATISTICS_PAGES, "statistics_ips_ung", "statistics_export_csv"])
def test_roles_without_a_statistics_page_are_refused_with_the_reason(personas, login, username, page):
    response = login(personas[username]).get(url(page))
    assert response.status_code == 403
    assert "Statistikk" in response.content.decode() or "IPS ung" in response.content.decode()


def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page(client, db):
    response = client.get(url("statistics"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("username", ["ips-leder", "analytiker", "tilskuddsforvalter"])
@pytest.mark.parametrize("page", STATISTICS_PAGES)
def test_leaders_grant_officers_and_analysts_have_the_pages(personas, login, username, page):
    response = login(personas[username]).get(url(page))
    assert response.status_code == 200
    assert response.content.decode().count("<h1") == 1


def test_the_menu_has_statistics_for_exactly_the_three_roles(personas, login):
    for username in ("ips-leder", "analytiker", "tilskuddsforvalter", "jobbspesialist", "behandler", "sysadmin"):
        page = login(personas[username]).get(reverse("home")).content.decode()
        has_item = f'href="{reverse("statistics")}"' in page
        assert has_item == (username in ("ips-leder", "analytiker", "tilskuddsforvalter")), username


def test_the_ips_ung_evaluation_is_for_the_national_roles(personas, login):
    assert login(personas["ips-leder"]).get(url("statistics_ips_ung")).status_code == 403
    assert login(personas["analytiker"]).get(url("statistics_ips_ung")).status_code == 200


# --- A leader: live, full figures for their own services ------------------------------------------------------------


def test_a_leader_sees_the_own_service_in_full_and_no_other(personas, login, data):
    leader = personas["ips-leder"]
    own = IpsService.objects.get(name="IPS Oslo Nord")
    expected = indicators.report(YEAR, Level.TEAM, Scope((own.pk,)))
    page = login(leader).get(url("statistics", periode="2024", niva="team")).content.decode()
    assert "Nordre Aker psykisk helseteam" in page
    assert "FACT Tromsø" not in page and "TSB poliklinikk Bodø" not in page
    total = expected.total.figures["deltakere"]
    assert re.search(rf">\s*{total}\s*<", page)


def test_a_leader_of_another_service_sees_none_of_ours(personas, login, data, other_leader):
    page = login(other_leader).get(url("statistics", periode="2024", niva="team")).content.decode()
    assert "Nordre Aker psykisk helseteam" not in page
    assert "FACT Tromsø" in page


def test_a_leader_cannot_ask_for_a_national_level(personas, login, data):
    response = login(personas["ips-leder"]).get(url("statistics", periode="2024", niva="nasjonal"))
    assert response.status_code == 200
    assert "Velg et nivå fra listen." in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [{"periode": "tull", "niva": "team"}, {"periode": "2024-K9", "niva": "team"}, {"periode": "1800", "niva": "x"}],
)
def test_bad_filters_answer_with_a_message_never_a_500(personas, login, data, query):
    client = login(personas["ips-leder"])
    assert client.get(url("statistics", **query)).status_code == 200
    assert client.get(url("statistics_export_csv", **query)).status_code == 400
    assert client.get(url("statistics_fidelity", periode=query["periode"])).status_code == 200


def test_the_leaders_csv_and_xlsx_exports_read_back_as_the_figures(personas, login, data):
    client = login(personas["ips-leder"])
    own = IpsService.objects.get(name="IPS Oslo Nord")
    report = indicators.report(YEAR, Level.SERVICE, Scope((own.pk,)))
    unit = report.units[0]

    response = client.get(url("statistics_export_csv", periode="2024", niva="tilbud"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Periode", "Nivå", "Tabell", "Enhet", "Mål", "Verdi"]
    found = {(r[3], r[4]): r[5] for r in rows[1:] if len(r) == 6}
    assert found[(unit.label, "Deltakere")] == str(unit.figures["deltakere"])
    assert found[(unit.label, "I ordinært arbeid")] == str(unit.figures["arbeid"])

    response = client.get(url("statistics_export_xlsx", periode="2024", niva="tilbud"))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Deltakere, av dem med psykoseli"]
    header = [cell.value for cell in sheet[1]]
    values = {row[0]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values[unit.label]["Deltakere"] == unit.figures["deltakere"]
    assert values[unit.label]["av dem med psykoselidelse"] == unit.figures["deltakere_psykose"]
    assert "Om tallene" in workbook.sheetnames


# --- Grant officers and analysts: only published, suppressed figures ---------------------------------------------


def test_an_analysts_first_visit_computes_the_published_figures_without_a_button(personas, login, data):
    client = login(personas["analytiker"])
    page = client.get(url("statistics", periode="2024", niva="fylke")).content.decode()
    job = ReportJob.objects.get()
    assert (job.kind, job.params["periods"], job.status) == (ReportJob.Kind.PUBLISH, ["2024"], ReportJob.Status.DONE)
    assert "Publiserte tall, beregnet" in page
    assert "ikke beregnet" not in page and "Beregn tallene" not in page
    assert client.get(url("statistics_export_csv", periode="2024", niva="fylke")).status_code == 200
    client.get(url("statistics", periode="2024", niva="kommune"))
    assert ReportJob.objects.count() == 1  # computed once for every level, and the login changed no figure


def test_a_write_after_the_figures_were_computed_has_them_computed_again_on_the_next_visit(personas, login, data):
    first = published.publish(YEAR, actor=personas["analytiker"])
    client = login(personas["analytiker"])
    client.get(url("statistics", periode="2024", niva="fylke"))
    assert not ReportJob.objects.exists()
    service = IpsService.objects.get(name="IPS Oslo Nord")
    record_event(actor=personas["sysadmin"], action=AuditEvent.Action.UPDATE, obj=service, after={"name": service.name})
    client.get(url("statistics", periode="2024", niva="fylke"))
    assert ReportJob.objects.get().status == ReportJob.Status.DONE
    assert PublishedFigures.objects.get(period="2024").computed_at > first.computed_at


def test_while_the_worker_computes_the_page_says_so_and_reloads_when_the_figures_are_ready(
    personas, login, data, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    client = login(personas["analytiker"])
    address = url("statistics", periode="2024", niva="fylke")
    page = client.get(address).content.decode()
    assert "De beregnes nå, og siden viser dem når de er klare." in page and 'hx-trigger="every 2s"' in page
    waiting = client.get(address, headers={"HX-Request": "true"})
    assert waiting.status_code == 204 and "HX-Refresh" not in waiting
    assert ReportJob.objects.count() == 1  # a job already queued is not queued again
    published.publish(YEAR, actor=None)  # as the worker does
    ready = client.get(address, headers={"HX-Request": "true"})
    assert (ready.status_code, ready["HX-Refresh"]) == (204, "true")


def test_a_leaders_figures_are_live_and_queue_nothing(personas, login, data):
    page = login(personas["ips-leder"]).get(url("statistics", periode="2024", niva="team")).content.decode()
    assert "Nordre Aker psykisk helseteam" in page
    assert not ReportJob.objects.exists() and not PublishedFigures.objects.exists()


def test_a_leaders_figures_are_computed_again_after_any_write_and_not_before(personas, login, data):
    client = login(personas["ips-leder"])
    address = url("statistics", periode="2024", niva="team")

    def page():
        # Without what differs per response anyway: the script nonce and the CSRF token.
        return re.sub(r'(nonce|value)="[A-Za-z0-9_-]{20,}"', "", client.get(address).content.decode())

    with CaptureQueriesContext(connection) as computed:
        first = page()
    with CaptureQueriesContext(connection) as kept:
        assert page() == first
    assert not any("participants_period" in query["sql"] for query in kept.captured_queries)  # no report again
    with transaction.atomic():  # any audited write, as every service function records one
        record_event(actor=personas["sysadmin"], action=AuditEvent.Action.UPDATE, obj=Period.objects.first())
    with CaptureQueriesContext(connection) as again:
        assert page() == first  # the same figures, since the write changed none
    assert len(again) == len(computed)


def test_the_default_period_is_the_last_complete_year(personas, login):
    for username in ("ips-leder", "analytiker"):
        response = login(personas[username]).get(url("statistics"))
        assert response.context["period"] == ReportingPeriod.for_year(timezone.localdate().year - 1)


def test_an_analyst_recomputes_the_figures_in_the_background_on_request(personas, login, data):
    client = login(personas["analytiker"])
    response = client.post(reverse("statistics_publish"), {"periode": "2024", "next": "/statistikk/?periode=2024"})
    job = ReportJob.objects.get()
    assert response["Location"] == reverse("statistics_job", args=[job.pk])
    assert job.status == ReportJob.Status.DONE and job.progress == 100
    assert PublishedFigures.objects.filter(period="2024").exists()
    status = client.get(reverse("statistics_job", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in status and "/statistikk/?periode=2024" in status


def test_a_job_that_is_still_running_keeps_polling(personas, login):
    job = ReportJob.objects.create(kind=ReportJob.Kind.PUBLISH, requested_by=personas["analytiker"], progress=40)
    page = login(personas["analytiker"]).get(reverse("statistics_job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'value="40"' in page


def test_someone_elses_job_is_not_found(personas, login):
    job = ReportJob.objects.create(kind=ReportJob.Kind.PUBLISH, requested_by=personas["analytiker"])
    assert login(personas["tilskuddsforvalter"]).get(reverse("statistics_job", args=[job.pk])).status_code == 404


def test_only_the_national_roles_publish(personas, login):
    response = login(personas["ips-leder"]).post(reverse("statistics_publish"), {"periode": "2024"})
    assert response.status_code == 403
    response = login(personas["analytiker"]).post(reverse("statistics_publish"), {"periode": "1066"})
    assert response.status_code == 400


def small_counts_in(text_cells) -> list[str]:
    return [cell for cell in text_cells if re.fullmatch(r"[1-4]", cell)]


@pytest.mark.parametrize("level", ["nasjonal", "helseregion", "fylke", "kommune", "tilbud"])
def test_analysts_never_see_a_count_of_one_to_four_in_the_page_or_the_exports(personas, login, data, level):
    published.publish(YEAR, actor=personas["analytiker"])
    client = login(personas["analytiker"])
    page = client.get(url("statistics", periode="2024", niva=level)).content.decode()
    # The sections that count people (employers, municipalities and fidelity totals are not people).
    for section in page.split('id="seksjon-')[1:]:
        if section.split('"')[0] in ("deltakere", "resultater", "alder", "avsluttet"):
            counts = re.findall(r'<td class="num">(?:<abbr[^>]*>)?([^<%]*?)(?:</abbr>)?</td>', section)
            assert not small_counts_in([c.strip() for c in counts]), section.split('"')[0]
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(url("statistics_export_csv", periode="2024", niva=level)).content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    people_measures = {str(m.label) for m in indicators.MEASURES.values() if m.counts_people and m.kind == "count"}
    assert not small_counts_in([r[5] for r in rows[1:] if len(r) == 6 and r[4] in people_measures])


def test_the_published_figures_are_the_database_figures_where_they_are_shown(personas, data):
    publication = published.publish(YEAR, actor=personas["analytiker"])
    live = indicators.report(YEAR, Level.HEALTH_REGION)
    for row in publication.data["levels"]["helseregion"]:
        unit = live.unit(row["key"])
        for measure, value in row["figures"].items():
            if value is not None and measure in indicators.CUBE_MEASURES:
                assert value == unit.figures[measure], (row["label"], measure)
        assert all(row["figures"][m] is None for m in row["hidden"])
        assert all(not 0 < (unit.figures.get(m) or 0) < 5 or m in row["hidden"] for m in indicators.CUBE_MEASURES)


def test_the_annual_report_is_made_as_pdf_in_the_background(personas, login, data):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext mangler: kjør `make browsers` (poppler-utils).")
    client = login(personas["ips-leder"])
    response = client.post(reverse("statistics_annual_pdf"), {"periode": "2024", "niva": "tilbud"})
    job = ReportJob.objects.get(kind=ReportJob.Kind.ANNUAL_PDF)
    assert response["Location"] == reverse("statistics_job", args=[job.pk])
    assert job.status == ReportJob.Status.DONE, job.message
    download = client.get(reverse("statistics_job_download", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=download.content, capture_output=True, check=True
    ).stdout.decode()
    assert "årsrapport 2024" in text
    own = IpsService.objects.get(name="IPS Oslo Nord")
    report = indicators.report(YEAR, Level.SERVICE, Scope((own.pk,)))
    assert "IPS Oslo Nord" in text
    assert str(report.units[0].figures["deltakere"]) in text
    assert login(personas["analytiker"]).get(reverse("statistics_job_download", args=[job.pk])).status_code == 404


def test_an_analysts_pdf_needs_published_figures(personas, login, data):
    response = login(personas["analytiker"]).post(
        reverse("statistics_annual_pdf"), {"periode": "2024", "niva": "fylke"}
    )
    assert response.status_code == 400


def test_a_failing_job_is_recorded_without_details(personas, login, monkeypatch):
    from brobygger.reporting import services

    def broken(*args, **kwargs):
        raise RuntimeError("hemmelig detalj")

    monkeypatch.setattr(published, "publish", broken)
    job = services.job_start(actor=personas["analytiker"], kind=ReportJob.Kind.PUBLISH, params={"periods": ["2024"]})
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED and "hemmelig" not in job.message


# --- Employment rate, fidelity and outcomes, IPS ung --------------------------------------------------------------


def test_the_quarterly_employment_rate_has_the_benchmark_lines(personas, login, national_data):
    page = login(personas["analytiker"]).get(url("statistics_employment", niva="helseregion")).content.decode()
    assert "31 %" in page and "41 %" in page and "50 %" in page
    assert '"benchmarks"' in page


def test_a_quarterly_chart_with_no_value_to_draw_says_so(personas, login):
    page = login(personas["ips-leder"]).get(url("statistics_employment")).content.decode()
    assert str(tables.ALL_HIDDEN) in page and "<canvas" not in page


def test_the_employment_page_computes_its_eight_quarters_on_the_first_visit(personas, login, national_data):
    client = login(personas["analytiker"])
    page = client.get(url("statistics_employment", niva="helseregion")).content.decode()
    assert PublishedFigures.objects.count() == 8
    assert "ikke beregnet" not in page and "Helse Sør-Øst" in page


def test_the_employment_heading_names_the_first_and_last_quarter(personas, login):
    response = login(personas["ips-leder"]).get(url("statistics_employment"))
    quarters = response.context["quarters"]
    page = response.content.decode()
    assert f"Andel i ordinært arbeid, {quarters[0].label} til {quarters[-1].label}" in page
    assert "ReportingPeriod(" not in page


def test_fidelity_against_employment_rate_with_a_fitted_line_and_the_correlation(personas, login):
    generate.generate(years=1, scale=0.1, seed=1, last_year=2025)
    # A leader of every generated service sees them all in full, so every reviewed service is a point.
    leader = User.objects.create(username="leder-alle", role=Role.IPS_LEADER)
    services = IpsService.objects.filter(name__endswith="(syntetisk)")
    Membership.objects.bulk_create([Membership(user=leader, service=service) for service in services])
    report = indicators.report(ReportingPeriod.for_year(2025), Level.SERVICE, Scope(tuple(s.pk for s in services)))
    points = [
        (u.figures["modelltrohet"], u.figures["andel_arbeid"])
        for u in report.units
        if u.figures.get("modelltrohet") is not None and u.figures.get("andel_arbeid") is not None
    ]
    assert len(points) >= 3

    page = login(leader).get(url("statistics_fidelity", periode="2025")).content.decode()

    r = statistics.correlation([x for x, _ in points], [y for _, y in points])
    slope = statistics.linear_regression([x for x, _ in points], [y for _, y in points]).slope
    expected = f"Korrelasjon r = {r:.2f} over {len(points)} tilbud".replace(".", ",")
    assert expected in page
    assert f"stiger {slope:.2f} prosentpoeng".replace(".", ",") in page
    assert '"Tilpasset linje"' in page


def test_an_analyst_sees_the_fidelity_page_from_the_published_figures(personas, login, national_data):
    client = login(personas["analytiker"])
    page = client.get(url("statistics_fidelity", periode="2025")).content.decode()
    assert PublishedFigures.objects.filter(period="2025").exists()
    assert "IPS-tilbud" in page and "ikke beregnet" not in page


def test_the_fitted_line_and_correlation_are_least_squares():
    from brobygger.reporting.views import fit_line

    fit = fit_line([(70, 20), (90, 30), (110, 40)])
    assert (
        fit["slope"] == pytest.approx(0.5) and fit["intercept"] == pytest.approx(-15) and fit["r"] == pytest.approx(1)
    )
    assert fit_line([(70, 20), (90, 30)]) is None


def goal_data(**changes):
    return {
        "year": 2025,
        "health_region": "",
        "age_group": "18-24",
        "indicator": "andel_arbeid_eller_utdanning",
        "target": "40.0",
        "description": "Flere unge i utdanning eller arbeid (tillegg nr. 7 til TB2021).",
        **changes,
    }


def test_a_trial_goal_is_recorded_audited_and_compared_with_the_result(personas, login, national_data):
    client = login(personas["analytiker"])
    response = client.post(reverse("statistics_goal_create"), goal_data())
    goal = IpsUngGoal.objects.get()
    assert response.status_code == 302
    assert AuditEvent.objects.filter(object_type="reporting.ipsunggoal", object_id=str(goal.pk)).exists()
    published.publish(ReportingPeriod.for_year(2025), actor=personas["analytiker"])
    page = client.get(url("statistics_ips_ung", periode="2025")).content.decode()
    assert "40,0" in page and "18–24 år" in page
    assert "16-åringer registrert" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"target": "140"}, "target", "En andel kan ikke være mer enn 100 prosent."),
        ({"target": "-1"}, "target", "negativt"),
        ({"year": "2019"}, "year", "2021 eller senere"),
        ({"indicator": "tull"}, "indicator", ""),
        ({"description": ""}, "description", "Beskriv kriteriet"),
    ],
)
def test_a_bad_goal_is_refused_per_field_and_nothing_is_saved(personas, login, changes, field, message):
    response = login(personas["tilskuddsforvalter"]).post(reverse("statistics_goal_create"), goal_data(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not IpsUngGoal.objects.exists()


def test_a_second_goal_for_the_same_cell_and_a_stale_edit_are_refused(personas, login):
    client = login(personas["analytiker"])
    client.post(reverse("statistics_goal_create"), goal_data())
    response = client.post(reverse("statistics_goal_create"), goal_data(target="50"))
    assert "Det finnes allerede et mål" in response.content.decode()
    goal = IpsUngGoal.objects.get()
    edit = reverse("statistics_goal_edit", args=[goal.pk])
    assert client.post(edit, goal_data(target="45", revision=1)).status_code == 302
    response = client.post(edit, goal_data(target="47", revision=1))
    assert "Noen andre har lagret endringer" in response.content.decode()
    goal.refresh_from_db()
    assert goal.target == 45


def test_only_the_national_roles_record_goals(personas, login):
    assert login(personas["ips-leder"]).get(reverse("statistics_goal_create")).status_code == 403
    goal = IpsUngGoal.objects.create(recorded_by=personas["analytiker"], **{**goal_data(), "target": 40})
    assert login(personas["jobbspesialist"]).get(reverse("statistics_goal_edit", args=[goal.pk])).status_code == 403


def test_the_period_of_a_year_runs_from_new_year_to_new_years_eve():
    assert (YEAR.start, YEAR.end) == (date(2024, 1, 1), date(2024, 12, 31))
    assert ReportingPeriod.parse("2024-K1").end == date(2024, 3, 31) and ReportingPeriod.parse("2024-02").end == date(
        2024, 2, 29
    )


def _employment_page_queries(client) -> int:
    client.get(url("statistics_employment"))  # sessions and content types, as a running server has them cached
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("statistics_employment")).status_code == 200
    return len(queries)


def test_the_leaders_employment_page_runs_as_many_queries_for_more_data(personas, login):
    client = login(personas["ips-leder"])
    dataset.build(5, people=10)
    small = _employment_page_queries(client)
    dataset.build(6, people=60)
    assert _employment_page_queries(client) == small
    assert small <= 30  # two grouped queries per quarter shown, not a full report per quarter

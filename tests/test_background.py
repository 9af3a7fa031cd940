"""The background jobs of two apps on one model and one status part (brobygger/background.py,
templates/_job_status.html): the bulk import of participants and the reporting jobs."""

import pytest
from django.urls import reverse

from brobygger.background import job_finish, job_progress
from brobygger.participants.models import ImportJob
from brobygger.reporting.models import ReportJob


@pytest.fixture
def jobs(personas) -> tuple[ImportJob, ReportJob]:
    imported = ImportJob.objects.create(requested_by=personas["ips-leder"], file_name="deltakere.csv", content=b"x")
    report = ReportJob.objects.create(kind=ReportJob.Kind.PUBLISH, requested_by=personas["analytiker"])
    return imported, report


def test_progress_is_running_and_bounded_to_a_whole_bar(jobs):
    for job in jobs:
        for percent, shown in ((-5, 0), (40, 40), (250, 100)):
            job_progress(job, percent, "Steg " + "x" * 300)
            job.refresh_from_db()
            assert (job.status, job.progress, len(job.message)) == ("running", shown, 200)
            assert not job.is_finished


def test_a_finished_job_keeps_when_it_finished_and_its_own_outcome(jobs):
    imported, report = jobs
    job_finish(imported, ImportJob.Status.INVALID, "Feil i filen", content=b"", problems=[{"row": 2}])
    job_finish(report, ReportJob.Status.DONE, "Ferdig", progress=100)
    for job in jobs:
        job.refresh_from_db()
        assert job.is_finished and job.finished_at is not None
    assert (bytes(imported.content), imported.problems) == (b"", [{"row": 2}])
    assert report.progress == 100


def test_only_an_import_can_be_refused_as_a_whole():
    assert "invalid" in ImportJob.FINISHED and "invalid" not in ReportJob.FINISHED
    assert set(ReportJob.FINISHED) < set(ImportJob.FINISHED)


@pytest.mark.parametrize(
    ("persona", "index", "route"), [("ips-leder", 0, "import_job"), ("analytiker", 1, "statistics_job")]
)
def test_an_unfinished_job_polls_its_own_page_and_a_failed_one_stops_and_says_why(
    personas, login, jobs, persona, index, route
):
    job = jobs[index]
    client = login(personas[persona])
    url = reverse(route, args=[job.pk])
    waiting = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert f'hx-get="{url}"' in waiting and "db_worker" in waiting
    job_finish(job, job.Status.FAILED, "Jobben feilet")
    failed = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-get" not in failed and 'data-color="danger"' in failed and "Jobben feilet" in failed
    assert failed.count("Jobben feilet") == 2  # the status line and the alert

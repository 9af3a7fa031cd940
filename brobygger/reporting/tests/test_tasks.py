"""Background jobs through the real database backend: queued in the database, run by `manage.py db_worker`."""

from django.core.management import call_command

from brobygger.reporting import services
from brobygger.reporting.models import PublishedFigures, ReportJob
from brobygger.reporting.tests import dataset


def test_a_queued_job_waits_for_the_worker_and_the_worker_runs_it(personas, settings, login, monkeypatch):
    # The test runs inside a transaction, which the worker would take for a broken connection and close.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    dataset.build(9, people=20)
    job = services.job_start(actor=personas["analytiker"], kind=ReportJob.Kind.PUBLISH, params={"periods": ["2024"]})
    assert job.status == ReportJob.Status.QUEUED and job.task_id
    page = login(personas["analytiker"]).get(f"/statistikk/jobb/{job.pk}/").content.decode()
    assert "db_worker" in page and 'hx-trigger="every 1s"' in page

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE and job.progress == 100 and job.finished_at
    assert PublishedFigures.objects.filter(period="2024").exists()

"""Work run for a user by the background worker (Django's task framework, stored by django-tasks-db, run by
``manage.py db_worker``), with the progress the page polling it shows: the bulk import of participants
(``participants.ImportJob``) and the reporting jobs (``reporting.ReportJob``).

Progress and the outcome are written with plain updates outside any transaction, so the page that polls the job
sees each step as it happens. The status part of the page is ``templates/_job_status.html``.
"""

from typing import Any

from django.db import models
from django.db.models import Q
from django.tasks import Task
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BackgroundJob(models.Model):
    """A job a user asked for, with its status, progress and last message. Who asked is each job's own field:
    how it goes when the user is deleted depends on what the job did."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kø")
        RUNNING = "running", _("Pågår")
        DONE = "done", _("Ferdig")
        FAILED = "failed", _("Feilet")

    # The statuses after which the job does no more; a job with an outcome of its own adds it.
    FINISHED = (Status.DONE, Status.FAILED)

    requested_at = models.DateTimeField(_("bestilt"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("framdrift (%)"), default=0)
    message = models.CharField(_("melding"), max_length=200, blank=True)
    finished_at = models.DateTimeField(_("ferdig"), null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        abstract = True
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="%(class)s_progress_at_most_100"),
        ]

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED


def job_enqueue[Job: BackgroundJob](job: Job, task: Task) -> Job:
    """Hand a saved job to the worker and keep the task's id; the job as it is now (the worker may have begun)."""
    result = task.enqueue(job.pk)
    type(job).objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def job_progress(job: BackgroundJob, percent: int, message: str) -> None:
    """The job is running and has come ``percent`` of the way; ``message`` says what it is doing."""
    type(job).objects.filter(pk=job.pk).update(
        status=BackgroundJob.Status.RUNNING, progress=max(0, min(100, percent)), message=str(message)[:200]
    )


def job_finish(job: BackgroundJob, status: str, message: str, **fields: Any) -> None:
    """The job has ended with ``status`` (one of its ``FINISHED``); ``fields`` are its own outcome."""
    type(job).objects.filter(pk=job.pk).update(
        status=status, message=str(message)[:200], finished_at=timezone.now(), **fields
    )

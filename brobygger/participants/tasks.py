"""Background work of the pathway (Django's task framework, stored by django-tasks-db, run by ``manage.py db_worker``):
the daily e-mail of caseload alerts, and bulk imports.

An import writes its progress to the ImportJob row as it goes, outside the import's transaction, so the page polling
it sees each step. The uploaded file is emptied when the job ends, whatever the outcome: it holds identity numbers.
"""

from __future__ import annotations

import logging
from datetime import date

from django.tasks import task
from django.utils.translation import gettext as _

from brobygger.accounts.models import User
from brobygger.background import job_finish, job_progress
from brobygger.participants import digest
from brobygger.participants.imports import ImportInvalid, participants_import
from brobygger.participants.models import ImportJob

logger = logging.getLogger(__name__)


@task()
def run_import_job(job_id: int) -> None:
    job = ImportJob.objects.select_related("requested_by").get(pk=job_id)
    job_progress(job, 1, _("Leser filen"))
    try:
        summary = participants_import(
            actor=job.requested_by,
            content=bytes(job.content),
            file_name=job.file_name,
            progress=lambda percent, message: job_progress(job, percent, message),
        )
    except ImportInvalid as invalid:
        _finish(
            job,
            ImportJob.Status.INVALID,
            _("Ingenting er importert: filen har %(count)s feil.") % {"count": len(invalid.problems)},
            problems=[problem.as_dict() for problem in invalid.problems],
        )
        return
    except Exception:
        # No details: they may hold personal data from the file.
        logger.exception("Import %s feilet", job_id)
        _finish(job, ImportJob.Status.FAILED, _("Importen feilet. Ingenting er importert. Prøv igjen."))
        return
    _finish(job, ImportJob.Status.DONE, _("Ferdig"), progress=100, summary=summary.as_dict())


def _finish(job: ImportJob, status: str, message: str, **fields) -> None:
    """Whatever the outcome, the uploaded file goes: it holds identity numbers."""
    job_finish(job, status, message, content=b"", **fields)


@task()
def send_daily_digest(user_id: int, day: str) -> None:
    """One user's daily e-mail of caseload alerts; running it again the same day sends nothing."""
    user = User.objects.filter(pk=user_id).first()
    if user is not None:
        digest.digest_send(user=user, day=date.fromisoformat(day))

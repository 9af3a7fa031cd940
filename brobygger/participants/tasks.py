"""Background work of the pathway: a bulk import (Django's task framework, run by ``manage.py db_worker``).

Progress is written to the ImportJob row as it goes, outside the import's transaction, so the page polling it sees
each step. The uploaded file is emptied when the job ends, whatever the outcome: it holds identity numbers.
"""

from __future__ import annotations

import logging

from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from brobygger.participants.imports import ImportInvalid, participants_import
from brobygger.participants.models import ImportJob

logger = logging.getLogger(__name__)


def _progress(job_id: int, percent: int, message: str) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.RUNNING, progress=max(0, min(100, percent)), message=str(message)[:200]
    )


def _finish(job_id: int, status: str, message: str, **fields) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        status=status, message=str(message)[:200], finished_at=timezone.now(), content=b"", **fields
    )


@task()
def run_import_job(job_id: int) -> None:
    job = ImportJob.objects.select_related("requested_by").get(pk=job_id)
    _progress(job_id, 1, _("Leser filen"))
    try:
        summary = participants_import(
            actor=job.requested_by,
            content=bytes(job.content),
            file_name=job.file_name,
            progress=lambda percent, message: _progress(job_id, percent, message),
        )
    except ImportInvalid as invalid:
        _finish(
            job_id,
            ImportJob.Status.INVALID,
            _("Ingenting er importert: filen har %(count)s feil.") % {"count": len(invalid.problems)},
            problems=[problem.as_dict() for problem in invalid.problems],
        )
        return
    except Exception:
        # No details: they may hold personal data from the file.
        logger.exception("Import %s feilet", job_id)
        _finish(job_id, ImportJob.Status.FAILED, _("Importen feilet. Ingenting er importert. Prøv igjen."))
        return
    _finish(job_id, ImportJob.Status.DONE, _("Ferdig"), progress=100, summary=summary.as_dict())

"""Background work (Django's task framework, stored in the database by django-tasks-db, run by db_worker).

A job's progress is written to its ReportJob row as it goes, outside any transaction, so the page polling it
sees each step. A failure is recorded without details: they may hold data the requester should not see.
"""

from __future__ import annotations

import logging

from django.tasks import task
from django.utils.translation import gettext as _

from brobygger.background import job_finish, job_progress
from brobygger.reporting.models import ReportJob
from brobygger.reporting.periods import ReportingPeriod

logger = logging.getLogger(__name__)


@task()
def run_report_job(job_id: int) -> None:
    job = ReportJob.objects.select_related("requested_by").get(pk=job_id)
    job_progress(job, 1, _("Starter"))
    try:
        if job.kind == ReportJob.Kind.PUBLISH:
            _publish(job)
        elif job.kind == ReportJob.Kind.ANNUAL_PDF:
            _annual_pdf(job)
    except Exception:
        logger.exception("Rapportjobb %s feilet", job.pk)
        job_finish(job, ReportJob.Status.FAILED, _("Jobben feilet. Prøv igjen, eller kontakt brukerstøtte."))
        return
    job_finish(job, ReportJob.Status.DONE, _("Ferdig"), progress=100)


def _publish(job: ReportJob) -> None:
    from brobygger.reporting import published

    periods = [ReportingPeriod.parse(slug) for slug in job.params["periods"]]
    share = 100 // len(periods)
    for number, period in enumerate(periods):

        def progress(percent, message, number=number, period=period):
            job_progress(job, number * share + percent * share // 100, f"{period.label}: {message}")

        # No surrounding transaction: each progress step must be visible to the page polling it at once.
        published.publish(period, actor=job.requested_by, progress=progress)


def _annual_pdf(job: ReportJob) -> None:
    from brobygger.reporting import exports

    period = ReportingPeriod.parse(job.params["period"])
    job_progress(job, 5, _("Henter tallene"))
    content = exports.annual_report_pdf(
        user=job.requested_by,
        period=period,
        level=job.params["level"],
        # The parts take 10-90 % of the bar: fetching the figures before, saving after.
        progress=lambda percent, message: job_progress(job, 10 + percent * 80 // 100, message),
    )
    job_progress(job, 95, _("Lagrer PDF"))
    ReportJob.objects.filter(pk=job.pk).update(
        result=content, result_name=f"arsrapport-ips-{period.slug}.pdf", result_type="application/pdf"
    )

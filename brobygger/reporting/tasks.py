"""Background work (Django's task framework, stored in the database by django-tasks-db, run by db_worker).

A job's progress is written to its ReportJob row as it goes, outside any transaction, so the page polling it
sees each step. A failure is recorded without details: they may hold data the requester should not see.
"""

from __future__ import annotations

import logging

from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from brobygger.reporting.models import ReportJob
from brobygger.reporting.periods import ReportingPeriod

logger = logging.getLogger(__name__)


def _progress(job: ReportJob, percent: int, message: str) -> None:
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.RUNNING, progress=max(0, min(100, percent)), message=str(message)[:200]
    )


@task()
def run_report_job(job_id: int) -> None:
    job = ReportJob.objects.select_related("requested_by").get(pk=job_id)
    _progress(job, 1, _("Starter"))
    try:
        if job.kind == ReportJob.Kind.PUBLISH:
            _publish(job)
        elif job.kind == ReportJob.Kind.ANNUAL_PDF:
            _annual_pdf(job)
    except Exception:
        logger.exception("Rapportjobb %s feilet", job.pk)
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportJob.Status.FAILED,
            message=_("Jobben feilet. Prøv igjen, eller kontakt brukerstøtte."),
            finished_at=timezone.now(),
        )
        return
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.DONE, progress=100, message=_("Ferdig"), finished_at=timezone.now()
    )


def _publish(job: ReportJob) -> None:
    from brobygger.reporting import published

    periods = [ReportingPeriod.parse(slug) for slug in job.params["periods"]]
    share = 100 // len(periods)
    for number, period in enumerate(periods):

        def progress(percent, message, number=number, period=period):
            _progress(job, number * share + percent * share // 100, f"{period.label}: {message}")

        # No surrounding transaction: each progress step must be visible to the page polling it at once.
        published.publish(period, actor=job.requested_by, progress=progress)


def _annual_pdf(job: ReportJob) -> None:
    from brobygger.reporting import exports

    period = ReportingPeriod.parse(job.params["period"])
    _progress(job, 5, _("Henter tallene"))
    content = exports.annual_report_pdf(
        user=job.requested_by,
        period=period,
        level=job.params["level"],
        # The parts take 10-90 % of the bar: fetching the figures before, saving after.
        progress=lambda percent, message: _progress(job, 10 + percent * 80 // 100, message),
    )
    _progress(job, 95, _("Lagrer PDF"))
    ReportJob.objects.filter(pk=job.pk).update(
        result=content, result_name=f"arsrapport-ips-{period.slug}.pdf", result_type="application/pdf"
    )

"""Writes in reporting: the IPS ung trial's goals (audited, refusing stale edits) and background jobs."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brobygger.accounts.models import User
from brobygger.audit.models import AuditEvent
from brobygger.audit.services import record_event, snapshot
from brobygger.background import job_enqueue
from brobygger.reporting import published
from brobygger.reporting.models import IpsUngGoal, PublishedFigures, ReportJob
from brobygger.reporting.periods import ReportingPeriod

GOAL_FIELDS = ("year", "health_region", "age_group", "indicator", "target", "description")
PENDING_JOB_LIFETIME = timedelta(hours=1)
DUPLICATE = gettext_lazy("Det finnes allerede et mål for dette året, denne regionen, aldersgruppen og indikatoren.")


def goal_save(
    *, actor: User, goal: IpsUngGoal | None, data: dict[str, Any], expected_revision: int | None = None
) -> IpsUngGoal:
    """Record a new goal of the IPS ung trial, or change one if nobody else changed it since it was loaded."""
    values = {name: data[name] for name in GOAL_FIELDS}
    duplicates = IpsUngGoal.objects.filter(
        year=values["year"],
        health_region=values["health_region"],
        age_group=values["age_group"],
        indicator=values["indicator"],
    )
    if goal is not None:
        duplicates = duplicates.exclude(pk=goal.pk)
    if duplicates.exists():
        raise ValidationError({"indicator": DUPLICATE}, code="duplicate")
    try:
        with transaction.atomic():
            if goal is None:
                goal = IpsUngGoal(recorded_by=actor, **values)
                goal.full_clean(validate_unique=False)
                goal.save()
                record_event(actor=actor, action=AuditEvent.Action.CREATE, obj=goal, after=snapshot(goal))
                return goal
            before = snapshot(goal)
            updated = IpsUngGoal.objects.filter(pk=goal.pk, revision=expected_revision).update(
                revision=(expected_revision or 0) + 1
            )
            if updated != 1:
                raise ValidationError(
                    _("Noen andre har lagret endringer i mellomtiden. Last siden på nytt og gjør endringen igjen."),
                    code="stale",
                )
            for name, value in values.items():
                setattr(goal, name, value)
            goal.revision = (expected_revision or 0) + 1
            goal.recorded_by = actor
            goal.full_clean(validate_unique=False)
            goal.save()
            record_event(actor=actor, action=AuditEvent.Action.UPDATE, obj=goal, before=before, after=snapshot(goal))
            return goal
    except IntegrityError as race:
        raise ValidationError({"indicator": DUPLICATE}, code="duplicate") from race


def figures_refresh(*, actor: User, periods: list[ReportingPeriod]) -> list[ReportingPeriod]:
    """Queue the published figures of ``periods`` that are missing or older than the data, unless already queued.

    The statistics pages call this on every visit, so figures are computed on the first visit and again after the
    data change, by the worker, without anyone pressing a button. Returns the periods being computed.
    """
    changed = published.last_data_change()
    due = [period for period in periods if _due(published.published_for(period), changed)]
    if not due:
        return []
    # A job queued or running within the hour covers its periods; an older one is taken to have died with a worker.
    pending = {
        slug
        for params in ReportJob.objects.filter(
            kind=ReportJob.Kind.PUBLISH,
            status__in=(ReportJob.Status.QUEUED, ReportJob.Status.RUNNING),
            requested_at__gte=timezone.now() - PENDING_JOB_LIFETIME,
        ).values_list("params", flat=True)
        for slug in params.get("periods", [])
    }
    new = [period.slug for period in due if period.slug not in pending]
    if new:
        job_start(actor=actor, kind=ReportJob.Kind.PUBLISH, params={"periods": new})
    # Still due unless computed meanwhile (a worker that runs tasks at once has computed them already).
    return [period for period in due if _due(published.published_for(period), changed)]


def _due(publication: PublishedFigures | None, changed: datetime | None) -> bool:
    """Never computed, or not from the latest data."""
    return publication is None or published.is_out_of_date(publication, changed)


def job_start(*, actor: User, kind: str, params: dict[str, Any]) -> ReportJob:
    """Queue a background job; the worker (manage.py db_worker) runs it and records its progress."""
    from brobygger.reporting.tasks import run_report_job

    return job_enqueue(ReportJob.objects.create(kind=kind, params=params, requested_by=actor), run_report_job)

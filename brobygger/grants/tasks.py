"""Background work for the grant scheme (Django's task framework, stored by django-tasks-db, run by db_worker)."""

from __future__ import annotations

from datetime import date

from django.tasks import task

from brobygger.grants import annual_reports
from brobygger.grants.models import Decision


@task()
def send_report_reminder(decision_id: int, day: str) -> None:
    """The reminder owed today for one decision's report; running it again sends nothing (one per report and kind)."""
    decision = Decision.objects.select_related("application__call").filter(pk=decision_id).first()
    if decision is not None:
        annual_reports.reminder_send(decision=decision, today=date.fromisoformat(day))

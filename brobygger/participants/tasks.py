"""Background work of the pathway (Django's task framework, stored by django-tasks-db, run by db_worker)."""

from datetime import date

from django.tasks import task

from brobygger.accounts.models import User
from brobygger.participants import digest


@task()
def send_daily_digest(user_id: int, day: str) -> None:
    """One user's daily e-mail of caseload alerts; running it again the same day sends nothing."""
    user = User.objects.filter(pk=user_id).first()
    if user is not None:
        digest.digest_send(user=user, day=date.fromisoformat(day))

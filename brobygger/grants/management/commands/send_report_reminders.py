"""Queue today's reminders about annual reports (30 and 7 days before 1 April); run once a day (cron, systemd
timer), and ``make run`` runs it at start.

Running it twice, or a worker restarting, sends nobody a second reminder: a report gets each kind once.
"""

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from brobygger.grants import annual_reports
from brobygger.grants.tasks import send_report_reminder


class Command(BaseCommand):
    help = "Legger dagens påminnelser om årsrapporter for tilskudd i kø (30 og 7 dager før fristen)."

    def add_arguments(self, parser):
        parser.add_argument("--day", type=date.fromisoformat, help="Dagen påminnelsene gjelder (ÅÅÅÅ-MM-DD).")

    def handle(self, *args, day=None, **options):
        day = day or timezone.localdate()
        queued = 0
        for decision_id in annual_reports.reminders_due(day):
            send_report_reminder.enqueue(decision_id, day.isoformat())
            queued += 1
        self.stdout.write(f"{queued} påminnelser lagt i kø for {day:%d.%m.%Y}.")

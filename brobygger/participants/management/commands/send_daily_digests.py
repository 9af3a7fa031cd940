"""Queue today's e-mail of caseload alerts for everyone who asked for it; run once a day (cron, systemd timer).

Running it twice, or a worker restarting, sends no one a second e-mail: each user gets at most one a day.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from brobygger.participants import digest
from brobygger.participants.tasks import send_daily_digest


class Command(BaseCommand):
    help = "Legger dagens e-post med varsler fra saksoversikten i kø for dem som har bedt om den."

    def handle(self, *args, **options):
        day = timezone.localdate()
        queued = 0
        for user_id in digest.recipients(day).values_list("pk", flat=True):
            send_daily_digest.enqueue(user_id, day.isoformat())
            queued += 1
        self.stdout.write(f"{queued} e-poster lagt i kø for {day:%d.%m.%Y}.")

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from brobygger.accounts import demo as accounts_demo
from brobygger.fidelity import demo


class Command(BaseCommand):
    help = "Legger inn syntetiske gjennomganger av modelltrohet for demotjenestene (bare i demomodus, etter seed_demo)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Gjør ingenting hvis det finnes gjennomganger.")

    def handle(self, *args, if_empty: bool, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Demodata kan bare lastes i demomodus (BROBYGGER_DEMO=1), aldri i produksjon.")
        if not accounts_demo.is_seeded():
            raise CommandError("Kjør seed_demo først: gjennomgangene trenger demotjenestene og demobrukerne.")
        if demo.is_seeded():
            if if_empty:
                self.stdout.write("Det finnes allerede gjennomganger; demogjennomganger lastes ikke på nytt.")
                return
            raise CommandError("Det finnes allerede gjennomganger. Bruk en tom database for demodata.")
        count = demo.seed(today=timezone.localdate())
        self.stdout.write(self.style.SUCCESS(f"{count} demogjennomganger av modelltrohet er lagt inn."))

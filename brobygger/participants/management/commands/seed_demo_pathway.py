from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from brobygger.accounts import demo as accounts_demo
from brobygger.participants import demo


class Command(BaseCommand):
    help = "Legger inn syntetiske demodeltakere i alle faser av forløpet (bare i demomodus, etter seed_demo)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Gjør ingenting hvis det finnes deltakere.")

    def handle(self, *args, if_empty: bool, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Demodata kan bare lastes i demomodus (BROBYGGER_DEMO=1), aldri i produksjon.")
        if not accounts_demo.is_seeded():
            raise CommandError("Kjør seed_demo først: demodeltakerne trenger demotjenestene og demobrukerne.")
        if demo.is_seeded():
            if if_empty:
                self.stdout.write("Det finnes allerede deltakere; demodeltakere lastes ikke på nytt.")
                return
            raise CommandError("Det finnes allerede deltakere. Bruk en tom database for demodata.")
        count = demo.seed(today=timezone.localdate())
        self.stdout.write(self.style.SUCCESS(f"{count} demodeltakere er lagt inn."))

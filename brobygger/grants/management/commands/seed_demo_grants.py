from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from brobygger.accounts import demo as accounts_demo
from brobygger.grants import demo


class Command(BaseCommand):
    help = "Legger inn syntetiske utlysninger, søknader, vedtak og klager (bare i demomodus, etter seed_demo)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Gjør ingenting hvis det finnes utlysninger.")

    def handle(self, *args, if_empty: bool, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Demodata kan bare lastes i demomodus (BROBYGGER_DEMO=1), aldri i produksjon.")
        if not accounts_demo.is_seeded():
            raise CommandError("Kjør seed_demo først: tilskuddene trenger demoorganisasjonene og demobrukerne.")
        if demo.is_seeded():
            if if_empty:
                self.stdout.write("Det finnes allerede utlysninger; demotilskudd lastes ikke på nytt.")
                return
            raise CommandError("Det finnes allerede utlysninger. Bruk en tom database for demodata.")
        count = demo.seed()
        self.stdout.write(self.style.SUCCESS(f"{count} demosøknader om tilskudd er lagt inn."))

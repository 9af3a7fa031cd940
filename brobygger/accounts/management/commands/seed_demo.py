from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from brobygger.accounts import demo


class Command(BaseCommand):
    help = "Fyller databasen med syntetiske demodata og én demobruker per rolle (bare i demomodus)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Gjør ingenting hvis databasen har data.")

    def handle(self, *args, if_empty: bool, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Demodata kan bare lastes i demomodus (BROBYGGER_DEMO=1), aldri i produksjon.")
        if demo.is_seeded():
            if if_empty:
                self.stdout.write("Databasen har allerede data; demodata lastes ikke på nytt.")
                return
            raise CommandError("Databasen har allerede data. Bruk en tom database for demodata.")
        demo.seed()
        self.stdout.write(self.style.SUCCESS("Demodata er lastet. Innlogging: manage.py demo_logins"))


def demo_logins() -> str:
    lines = [f"Demobrukere (passord: {demo.DEMO_PASSWORD}):"]
    lines += [f"  {p.username:<20} {p.role.label}{demo.PERSONA_NOTES.get(p.username, '')}" for p in demo.PERSONAS]
    lines += [
        "Totrinnsbekreftelse (TOTP) kreves for roller som ser personopplysninger eller avgjør tilskudd, men i",
        "demomodus slipper demobrukerne over; nye brukere du oppretter, må sette opp en autentiseringsapp.",
    ]
    return "\n".join(lines)

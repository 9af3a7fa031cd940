from django.core.management.base import BaseCommand

from brobygger.accounts.management.commands.seed_demo import demo_logins


class Command(BaseCommand):
    help = "Skriver ut demobrukerne og passordet deres."

    def handle(self, *args, **options):
        self.stdout.write(demo_logins())

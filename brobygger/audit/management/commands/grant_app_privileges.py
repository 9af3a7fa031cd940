from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from brobygger.audit.privileges import grant_app_privileges


class Command(BaseCommand):
    help = (
        "Gir applikasjonens databaserolle lese- og skrivetilgang, men bare lese- og legge-til-tilgang til "
        "revisjonsspor og innsynslogg. Kjøres av eierrollen etter hver migrering (bare PostgreSQL)."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="Navnet på rollen web- og bakgrunnsprosessene kobler til som.")

    def handle(self, *args, role: str, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Rolleoppsettet gjelder PostgreSQL; den innebygde SQLite-databasen har ingen roller.")
        grant_app_privileges(role)
        self.stdout.write(self.style.SUCCESS(f"Rollen {role} kan ikke endre, slette eller tømme revisjonstabellene."))

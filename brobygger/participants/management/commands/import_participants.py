"""``manage.py import_participants FILE --user USERNAME``: the bulk import from the command line (docs/import.md).

Runs in the foreground with the same checks and all-or-nothing write as the upload page; the named IPS leader is
the actor in the audit trail and decides which treatment teams the file may refer from.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from brobygger.accounts.models import User
from brobygger.participants.imports import ImportInvalid, participants_import


class Command(BaseCommand):
    help = "Importer personer, henvisninger og forløp fra en CSV- eller XLSX-fil (se docs/import.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="Brukernavnet til IPS-lederen som importerer.")

    def handle(self, *args, file: Path, user: str, **options):
        actor = User.objects.filter(username=user).first()
        if actor is None:
            raise CommandError(f"Fant ingen bruker «{user}».")
        if not file.is_file():
            raise CommandError(f"Fant ingen fil {file}.")
        try:
            summary = participants_import(actor=actor, content=file.read_bytes(), file_name=file.name)
        except ImportInvalid as invalid:
            for problem in invalid.problems:
                self.stderr.write(f"rad {problem.row}, {problem.column or '-'}: {problem.message}")
            raise CommandError(f"Ingenting er importert: {len(invalid.problems)} feil.") from None
        self.stdout.write(
            f"Importert: {summary.new_participants} nye personer, {summary.known_participants} allerede registrerte, "
            f"{summary.referrals} henvisninger og {summary.periods} forløp."
        )

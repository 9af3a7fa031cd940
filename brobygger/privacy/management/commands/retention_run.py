from datetime import date

from django.core.management.base import BaseCommand

from brobygger.privacy.services import retention_run


class Command(BaseCommand):
    help = (
        "Anonymiserer personer der lagringstiden etter siste avsluttede forløp er ute. Uten --apply vises bare hvor "
        "mange det gjelder (tørrkjøring)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="Anonymiser nå (ellers bare tørrkjøring).")
        parser.add_argument("--date", type=date.fromisoformat, default=None, help="Dagen å regne fra (ÅÅÅÅ-MM-DD).")

    def handle(self, *args, apply: bool, date: date | None, **options):
        from django.utils import timezone

        run = retention_run(actor=None, on=date or timezone.localdate(), apply=apply)
        verb = "anonymisert" if run.applied else "skal anonymiseres (tørrkjøring, ingenting er endret)"
        self.stdout.write(f"Grense: siste aktivitet {run.cutoff:%d.%m.%Y} eller før. {run.count} personer {verb}.")

from django.core.management.base import BaseCommand, CommandError

from brobygger.participants import identity


class Command(BaseCommand):
    help = (
        "Krypterer lagrede fødselsnumre på nytt med gjeldende nøkkel og lager søkenøklene på nytt "
        "(se docs/adr/0004-identity-numbers.md). Skriver bare antall, aldri numre."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Endrer ingenting; feiler hvis noen rader fortsatt trenger ny kryptering eller ny søkenøkkel.",
        )
        parser.add_argument("--batch-size", type=int, default=500, help="Rader per oppdatering (standard 500).")

    def handle(self, *args, check: bool, batch_size: int, **options):
        try:
            counts = identity.identity_keys_rotate(batch_size=batch_size, check_only=check)
        except identity.UndecryptableIdentity as error:
            raise CommandError(
                f"{error}: ingen av nøklene i IDENTITY_ENCRYPTION_KEYS kan dekryptere raden. "
                "Legg den gamle nøkkelen tilbake og kjør kommandoen igjen. Ingenting i denne modellen er endret."
            ) from None
        if not counts:
            self.stdout.write("Ingen modeller har IDENTITY_FIELDS; ingenting å gjøre.")
            return
        verb = "trenger ny kryptering" if check else "kryptert på nytt"
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count.rows} rader, {count.rewritten} {verb}.")
        stale = sum(count.rewritten for count in counts.values())
        if check and stale:
            raise CommandError(f"{stale} rader bruker fortsatt en gammel nøkkel. Kjør rotate_identity_keys.")
        self.stdout.write(self.style.SUCCESS("Alle fødselsnumre bruker gjeldende nøkler."))

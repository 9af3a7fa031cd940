"""Load a fidelity scale from its definition file: ``manage.py load_fidelity_scale path/to/scale.yaml``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from brobygger.fidelity.scales import ScaleFileError, load_scale


class Command(BaseCommand):
    help = "Laster en skala for modelltrohet fra en definisjonsfil (YAML). Ingenting lagres hvis filen har feil."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Definisjonsfilen, f.eks. ips-y-2019.yaml.")

    def handle(self, *args, file: Path, **options):
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Kan ikke lese {file}: {error}") from None
        try:
            scale = load_scale(actor=None, text=text)
        except ScaleFileError as error:
            lines = "\n".join(f"  - {problem}" for problem in error.problems)
            raise CommandError(f"{file} ble ikke lastet. Rett disse feilene:\n{lines}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Lastet {scale.name} versjon {scale.version} (gyldig fra {scale.valid_from:%d.%m.%Y}) "
                f"med {scale.items.count()} punkter."
            )
        )

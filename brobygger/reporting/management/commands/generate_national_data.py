import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from brobygger.reporting import generate


class Command(BaseCommand):
    help = (
        "Lager deterministiske syntetiske nasjonale data (tjenester, ansatte, deltakere, forløp, jobber, utdanning, "
        "arbeidsgiverkontakter og gjennomganger av modelltrohet), kalibrert til kildene. Aldri i produksjon."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=10, help="Antall år med data (standard 10).")
        parser.add_argument("--scale", type=float, default=1.0, help="1 gir om lag 7 300 deltakere i året.")
        parser.add_argument("--seed", type=int, default=1, help="Samme frø gir de samme dataene.")
        parser.add_argument("--last-year", type=int, default=None, help="Siste år med data (standard: fjoråret).")

    def handle(self, *args, years: int, scale: float, seed: int, last_year: int | None, **options):
        if settings.PRODUCTION:
            raise CommandError("Syntetiske data kan ikke lages i produksjon.")
        if years < 1 or years > 50 or scale <= 0 or scale > 10:
            raise CommandError("--years må være 1-50 og --scale større enn 0 og høyst 10.")
        last_year = last_year or timezone.localdate().year - 1
        started = time.perf_counter()
        verbose = options["verbosity"] > 1
        try:
            summary = generate.generate(
                years=years,
                scale=scale,
                seed=seed,
                last_year=last_year,
                progress=(lambda message: self.stdout.write(f"  {message}")) if verbose else None,
            )
        except generate.AlreadyGenerated as error:
            raise CommandError(str(error)) from None
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"{years} år ({last_year - years + 1}-{last_year}), skala {scale}, frø {seed}: "
                f"{summary.services} tilbud, {summary.participants} personer, {summary.periods} forløp, "
                f"{summary.jobs} jobber, {summary.educations} utdanninger, {summary.contacts} arbeidsgiverkontakter, "
                f"{summary.reviews} gjennomganger på {seconds:.1f} s."
            )
        )

"""The bulk-import benchmark: 10 000 synthetic people with referrals and periods, imported through
``participants.imports`` on a database with the demo organisations."""

from __future__ import annotations

import csv
import io
import time
from datetime import date, timedelta

from django.test import override_settings

from brobygger.participants import identity
from brobygger.participants.imports import COLUMNS

PEOPLE = 10_000


def import_file(people: int = PEOPLE) -> bytes:
    """One row per person: a third still waiting for a start, a third followed up, a third closed."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[column.header for column in COLUMNS], delimiter=";")
    writer.writeheader()
    first_birth = date(1970, 1, 1)
    for serial in range(people):
        born = first_birth + timedelta(days=(serial * 7) % 12000)  # distinct, all 21 or older
        referred = date(2024, 1, 2) + timedelta(days=serial % 600)
        row = {
            "fodselsnummer": identity.synthetic_identity_number(born, 0),
            "fornavn": f"Benk{serial}",
            "etternavn": "Importsen",
            "kommunenummer": "0301",
            "psykoselidelse": "ja" if serial % 3 == 0 else "nei",
            "rusproblemer": "ja" if serial % 5 == 0 else "nei",
            "behandlingsteam": "Nordre Aker psykisk helseteam",
            "behandler": "behandler",
            "henvisningsdato": referred.isoformat(),
            "mal": "Jobb eller utdanning",
            "moderat_eller_alvorlig_lidelse": "ja",
            "i_helsetjenesten": "ja",
            "trenger_omfattende_bistand": "ja",
            "onsker_arbeid_eller_utdanning": "ja",
            "samtykke_dato": referred.isoformat(),
            "samtykkeform": "skriftlig",
        }
        if serial % 3:
            row |= {
                "tatt_inn_dato": (referred + timedelta(days=3)).isoformat(),
                "jobbspesialist": "jobbspesialist",
                "oppstartsdato": (referred + timedelta(days=10)).isoformat(),
            }
        if serial % 3 == 2:
            row |= {"avsluttet_dato": (referred + timedelta(days=200)).isoformat(), "avslutningsgrunn": "work"}
        writer.writerow(row)
    return out.getvalue().encode()


def time_import(people: int = PEOPLE) -> tuple[float, object]:
    """Seconds for importing ``people`` rows into a database that has the demo organisations and personas."""
    from brobygger.accounts import demo
    from brobygger.accounts.models import User
    from brobygger.participants.imports import participants_import

    if not User.objects.filter(username="ips-leder").exists():
        demo.seed()
    content = import_file(people)
    # The file has synthetic numbers only, which a production configuration refuses.
    with override_settings(IDENTITY_ALLOW_SYNTHETIC=True):
        started = time.perf_counter()
        summary = participants_import(
            actor=User.objects.get(username="ips-leder"), content=content, file_name="benk.csv"
        )
        return time.perf_counter() - started, summary

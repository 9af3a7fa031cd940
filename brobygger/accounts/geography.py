"""The reference geography of 1 January 2024 (SSB classifications 104 and 131; see data/SOURCE.md), as rows.

Read by migration 0002, which writes them with the models as they were then named, and by the browser tests,
which put them back after a transactional test emptied the tables.
"""

import csv
from datetime import date
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
VALID_FROM = date(2024, 1, 1)


def counties() -> list[tuple[str, str]]:
    """(county number, name)."""
    with (DATA / "fylker_2024.csv").open(encoding="utf-8") as rows:
        return [(row["fylkesnummer"], row["navn"]) for row in csv.DictReader(rows)]


def municipalities() -> list[tuple[str, str, str]]:
    """(municipality number, name, county number)."""
    with (DATA / "kommuner_2024.csv").open(encoding="utf-8") as rows:
        return [(row["kommunenummer"], row["navn"], row["fylkesnummer"]) for row in csv.DictReader(rows)]


def load(county_model, municipality_model, *, county_field: str = "county", using: str = "default") -> None:
    """Write the 2024 structure with the given models (live or historical)."""
    by_number = {
        number: county_model.objects.using(using).create(number=number, name=name, valid_from=VALID_FROM)
        for number, name in counties()
    }
    municipality_model.objects.using(using).bulk_create(
        municipality_model(number=number, name=name, valid_from=VALID_FROM, **{county_field: by_number[county]})
        for number, name, county in municipalities()
    )

"""The reference geography of 1 January 2024 (SSB classifications 104 and 131; see data/SOURCE.md), as rows.

Read by migration 0002, which writes them with the models as they were then named, and by the browser tests,
which put them back after a transactional test emptied the tables. Also the health region each county belongs to.
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


# The regional health authority (RHF) whose area each county lies in (helseforetaksloven § 2 and the RHFs' statutes):
# the 2024 county numbers, and the numbers of 2020-2023 and before 2020, so a structure loaded for an earlier year
# still maps. Plain values of ``accounts.models.HealthRegion`` (this module is read by a migration).
HEALTH_REGION_OF_COUNTY: dict[str, str] = {
    **dict.fromkeys(("03", "31", "32", "33", "34", "39", "40", "42"), "sor_ost"),  # 2024
    **dict.fromkeys(("30", "38"), "sor_ost"),  # Viken, Vestfold og Telemark (2020-2023)
    **dict.fromkeys(("01", "02", "04", "05", "06", "07", "08", "09", "10"), "sor_ost"),  # before 2020
    **dict.fromkeys(("11", "46", "12", "14"), "vest"),
    **dict.fromkeys(("15", "50", "16", "17"), "midt"),
    **dict.fromkeys(("18", "55", "56", "54", "19", "20"), "nord"),
}


def health_region_of_county(number: str) -> str | None:
    """The health region of a county by its number, or None for a number not in the table."""
    return HEALTH_REGION_OF_COUNTY.get(number)

"""Counties and municipalities valid from 1 January 2024 (SSB classifications 104 and 131); see data/SOURCE.md."""

import csv
from datetime import date
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
VALID_FROM = date(2024, 1, 1)


def load(apps, schema_editor):
    db = schema_editor.connection.alias  # the database being migrated, which need not be the default one
    Fylke = apps.get_model("accounts", "Fylke")
    Kommune = apps.get_model("accounts", "Kommune")
    with (DATA / "fylker_2024.csv").open(encoding="utf-8") as rows:
        fylker = {
            row["fylkesnummer"]: Fylke.objects.using(db).create(
                number=row["fylkesnummer"], name=row["navn"], valid_from=VALID_FROM
            )
            for row in csv.DictReader(rows)
        }
    with (DATA / "kommuner_2024.csv").open(encoding="utf-8") as rows:
        Kommune.objects.using(db).bulk_create(
            Kommune(
                number=row["kommunenummer"],
                name=row["navn"],
                fylke=fylker[row["fylkesnummer"]],
                valid_from=VALID_FROM,
            )
            for row in csv.DictReader(rows)
        )


def unload(apps, schema_editor):
    db = schema_editor.connection.alias
    apps.get_model("accounts", "Kommune").objects.using(db).filter(valid_from=VALID_FROM).delete()
    apps.get_model("accounts", "Fylke").objects.using(db).filter(valid_from=VALID_FROM).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]

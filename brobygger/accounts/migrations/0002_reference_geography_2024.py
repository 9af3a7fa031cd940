"""Counties and municipalities valid from 1 January 2024 (SSB classifications 104 and 131); see data/SOURCE.md."""

from django.db import migrations

from brobygger.accounts import geography


def load(apps, schema_editor):
    geography.load(
        apps.get_model("accounts", "Fylke"),
        apps.get_model("accounts", "Kommune"),
        county_field="fylke",
        using=schema_editor.connection.alias,  # the database being migrated, which need not be the default one
    )


def unload(apps, schema_editor):
    db = schema_editor.connection.alias
    apps.get_model("accounts", "Kommune").objects.using(db).filter(valid_from=geography.VALID_FROM).delete()
    apps.get_model("accounts", "Fylke").objects.using(db).filter(valid_from=geography.VALID_FROM).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]

"""Issue 11: English identifiers. Renames tables and columns in place, so existing rows are kept."""

from django.db import migrations


class Migration(migrations.Migration):
    # After the pathway migrations that still name Kommune, so their state resolves.
    dependencies = [
        ("accounts", "0002_reference_geography_2024"),
        ("participants", "0004_contacts_job_search_extensions"),
    ]

    operations = [
        migrations.RenameModel("Fylke", "County"),
        migrations.RenameModel("Kommune", "Municipality"),
        migrations.RenameField("municipality", "fylke", "county"),
        migrations.RenameField("organisation", "kommune", "municipality"),
    ]

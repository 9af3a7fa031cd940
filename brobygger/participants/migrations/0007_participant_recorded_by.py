import django.db.models.deletion
from django.db import migrations, models


def first_referrals_service(apps, schema_editor):
    """Until now the first referral's service registered the person and recorded their contact and health facts."""
    alias = schema_editor.connection.alias
    participants = apps.get_model("participants", "Participant").objects.using(alias)
    referrals = apps.get_model("participants", "Referral").objects.using(alias)
    for participant in participants.filter(recorded_by__isnull=True).iterator():
        first = referrals.filter(participant=participant).select_related("team").order_by("referred_on", "pk").first()
        if first is not None:
            participants.filter(pk=participant.pk).update(recorded_by=first.team.service_id)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_english_constraints"),
        ("participants", "0006_english_constraints"),
    ]

    operations = [
        migrations.AddField(
            model_name="participant",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.ipsservice",
                verbose_name="registrert av tilbudet",
            ),
        ),
        migrations.RunPython(first_referrals_service, migrations.RunPython.noop),
    ]

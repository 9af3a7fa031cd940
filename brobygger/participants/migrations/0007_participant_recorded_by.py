import django.db.models.deletion
from django.db import migrations, models


def first_referrals_service(apps, schema_editor):
    """Until now the first referral's service registered the person and recorded their contact and health facts."""
    Participant = apps.get_model("participants", "Participant")
    Referral = apps.get_model("participants", "Referral")
    for participant in Participant.objects.filter(recorded_by__isnull=True).iterator():
        first = Referral.objects.filter(participant=participant).order_by("referred_on", "pk").first()
        if first is not None:
            Participant.objects.filter(pk=participant.pk).update(recorded_by=first.team.service_id)


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

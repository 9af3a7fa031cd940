import django.db.models.deletion
from django.db import migrations, models

CONTACT_FIELDS = ("phone", "email", "guardian_name", "guardian_phone")


def into_the_recording_services_record(apps, schema_editor):
    """Until now one service, ``recorded_by``, recorded the phone, e-mail and guardian on the person; they become
    that service's own record. A person nobody referred (``recorded_by`` empty) was seen by no service, so there is
    no service whose record it could be: such details are not carried over."""
    alias = schema_editor.connection.alias
    participants = apps.get_model("participants", "Participant").objects.using(alias)
    details = apps.get_model("participants", "ParticipantContactDetails").objects.using(alias)
    recorded = participants.filter(recorded_by__isnull=False).values("pk", "recorded_by_id", *CONTACT_FIELDS)
    batch = []
    for row in recorded.iterator():
        if any(row[name] for name in CONTACT_FIELDS):
            values = {name: row[name] for name in CONTACT_FIELDS}
            batch.append(details.model(participant_id=row["pk"], service_id=row["recorded_by_id"], **values))
        if len(batch) >= 1000:
            details.bulk_create(batch)
            batch = []
    details.bulk_create(batch)


def back_onto_the_person(apps, schema_editor):
    """Going back, the person holds the recording service's record again; other services' records are lost."""
    alias = schema_editor.connection.alias
    participants = apps.get_model("participants", "Participant").objects.using(alias)
    details = apps.get_model("participants", "ParticipantContactDetails").objects.using(alias)
    for participant in participants.filter(recorded_by__isnull=False).iterator():
        own = details.filter(participant_id=participant.pk, service_id=participant.recorded_by_id).first()
        if own is not None:
            participants.filter(pk=participant.pk).update(**{name: getattr(own, name) for name in CONTACT_FIELDS})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_user_language_daily_digest"),
        ("participants", "0011_statistics_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="ParticipantContactDetails",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("phone", models.CharField(blank=True, max_length=30, verbose_name="telefon")),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="e-post")),
                ("guardian_name", models.CharField(blank=True, max_length=200, verbose_name="foresattes navn")),
                ("guardian_phone", models.CharField(blank=True, max_length=30, verbose_name="foresattes telefon")),
                ("revision", models.PositiveIntegerField(default=1, editable=False)),
                (
                    "participant",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="contact_details",
                        to="participants.participant",
                    ),
                ),
                (
                    "service",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.ipsservice",
                        verbose_name="IPS-tilbud",
                    ),
                ),
            ],
            options={
                "verbose_name": "kontaktopplysninger",
                "verbose_name_plural": "kontaktopplysninger",
                "constraints": [
                    models.UniqueConstraint(fields=("participant", "service"), name="contact_details_one_per_service")
                ],
            },
        ),
        migrations.RunPython(into_the_recording_services_record, back_onto_the_person),
        migrations.RemoveField(model_name="participant", name="email"),
        migrations.RemoveField(model_name="participant", name="guardian_name"),
        migrations.RemoveField(model_name="participant", name="guardian_phone"),
        migrations.RemoveField(model_name="participant", name="phone"),
    ]

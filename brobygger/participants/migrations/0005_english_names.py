"""Issue 11: English identifiers. Renames tables and columns in place, so existing rows are kept."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_english_names"),
        ("participants", "0004_contacts_job_search_extensions"),
    ]

    # Constraints and the index that name old fields go first: SQLite rebuilds tables on a rename.
    operations = [
        migrations.RemoveConstraint(
            model_name="utdanning",
            name="utdanning_planned_end_after_start",
        ),
        migrations.RemoveConstraint(
            model_name="utdanning",
            name="utdanning_ended_after_start",
        ),
        migrations.RemoveConstraint(
            model_name="utdanning",
            name="utdanning_ended_iff_finished",
        ),
        migrations.RemoveConstraint(
            model_name="forlengelse",
            name="forlengelse_extends_the_period",
        ),
        migrations.RemoveConstraint(
            model_name="jobb",
            name="jobb_ends_after_start",
        ),
        migrations.RemoveConstraint(
            model_name="jobb",
            name="jobb_hours_positive",
        ),
        migrations.RemoveConstraint(
            model_name="forlop",
            name="forlop_one_open_per_deltaker",
        ),
        migrations.RemoveConstraint(
            model_name="forlop",
            name="forlop_closure_has_reason",
        ),
        migrations.RemoveConstraint(
            model_name="forlop",
            name="forlop_closed_after_start",
        ),
        migrations.RemoveConstraint(
            model_name="henvisning",
            name="henvisning_refusal_has_reason",
        ),
        migrations.RemoveIndex(
            model_name="kontakt",
            name="participant_forlop__56dedc_idx",
        ),
        migrations.RenameModel("Deltaker", "Participant"),
        migrations.RenameModel("Henvisning", "Referral"),
        migrations.RenameModel("Forlop", "Period"),
        migrations.RenameModel("ForlopStatus", "StatusChange"),
        migrations.RenameModel("Arbeidsgiver", "Employer"),
        migrations.RenameModel("Jobb", "Job"),
        migrations.RenameModel("Utdanning", "Education"),
        migrations.RenameModel("OppfolgingsPlan", "FollowUpPlan"),
        migrations.RenameModel("Kontakt", "Contact"),
        migrations.RenameModel("Forlengelse", "Extension"),
        migrations.RenameField("participant", "kommune", "municipality"),
        migrations.RenameField("referral", "deltaker", "participant"),
        migrations.RenameField("period", "deltaker", "participant"),
        migrations.RenameField("period", "henvisning", "referral"),
        migrations.RenameField("statuschange", "forlop", "period"),
        migrations.RenameField("employer", "kommune", "municipality"),
        migrations.RenameField("employercontact", "deltakere", "participants"),
        migrations.RenameField("job", "forlop", "period"),
        migrations.RenameField("education", "forlop", "period"),
        migrations.RenameField("careerprofile", "forlop", "period"),
        migrations.RenameField("followupplan", "forlop", "period"),
        migrations.RenameField("contact", "forlop", "period"),
        migrations.RenameField("jobsearchevent", "forlop", "period"),
        migrations.RenameField("extension", "forlop", "period"),
    ]

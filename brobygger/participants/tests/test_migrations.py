"""The English rename (issue 11) renames tables and columns in place: pathway data from before it survives it.

The migrations run forward on a database of their own (an SQLite file), from empty to just before the rename, where
rows are written with the old models, and on to after it.
"""

from datetime import date

import pytest
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

ALIAS = "rename_check"

BEFORE = [("accounts", "0002_reference_geography_2024"), ("participants", "0004_contacts_job_search_extensions")]
AFTER = [("accounts", "0004_english_constraints"), ("participants", "0006_english_constraints")]
# Need to know across services (docs/adr/0006): the first referral's service recorded the person's details.
RECORDED_BY = [("accounts", "0004_english_constraints"), ("participants", "0007_participant_recorded_by")]


@pytest.fixture
def own_database(tmp_path, django_db_blocker):
    connections.settings[ALIAS] = {
        **connections.settings["default"],
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(tmp_path / "rename.sqlite3"),
        "OPTIONS": {},
        "TEST": {},
    }
    with django_db_blocker.unblock():
        yield connections[ALIAS]
    connections[ALIAS].close()
    del connections[ALIAS]
    del connections.settings[ALIAS]


def _migrate(connection, targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _old_pathway(old):
    """One of each pathway row, written with the models as they were named before the rename."""
    user = old.get_model("accounts", "User").objects.using(ALIAS).create(username="migrering", role="jobbspesialist")
    kommune = old.get_model("accounts", "Kommune").objects.using(ALIAS).get(number="0301", valid_to__isnull=True)
    service = (
        old.get_model("accounts", "IpsService")
        .objects.using(ALIAS)
        .create(name="IPS Migrering", anchoring="kommunal", health_region="sor_ost", start_date=date(2024, 1, 1))
    )
    service.municipalities.add(kommune)
    organisation = (
        old.get_model("accounts", "Organisation")
        .objects.using(ALIAS)
        .create(name="Migreringskommunen", orgnr="999999998", org_type="kommune", kommune=kommune)
    )
    team = (
        old.get_model("accounts", "TreatmentTeam")
        .objects.using(ALIAS)
        .create(name="Migreringsteamet", service=service, organisation=organisation, team_type="dps")
    )
    deltaker = (
        old.get_model("participants", "Deltaker")
        .objects.using(ALIAS)
        .create(
            identity_encrypted="x",
            identity_hash="h" * 64,
            birth_date=date(2000, 1, 1),
            first_name="Test",
            last_name="Migrering",
            kommune=kommune,
        )
    )
    henvisning = (
        old.get_model("participants", "Henvisning")
        .objects.using(ALIAS)
        .create(
            deltaker=deltaker,
            team=team,
            clinician=user,
            referred_on=date(2025, 1, 2),
            goals="Jobb",
            eligibility_outcome="oppfylt",
            eligibility={},
        )
    )
    forlop = (
        old.get_model("participants", "Forlop")
        .objects.using(ALIAS)
        .create(
            deltaker=deltaker,
            henvisning=henvisning,
            service=service,
            job_specialist=user,
            status="job_search",
            start_date=date(2025, 1, 10),
        )
    )
    old.get_model("participants", "ForlopStatus").objects.using(ALIAS).create(
        forlop=forlop, status="job_search", valid_from=date(2025, 1, 10), recorded_by=user
    )
    employer = (
        old.get_model("participants", "Arbeidsgiver")
        .objects.using(ALIAS)
        .create(name="Bakeriet AS", orgnr="999999989", kommune=kommune)
    )
    contact = (
        old.get_model("participants", "EmployerContact")
        .objects.using(ALIAS)
        .create(
            job_specialist=user,
            employer=employer,
            date=date(2025, 1, 20),
            face_to_face=True,
            purpose="named_participants",
        )
    )
    contact.deltakere.add(deltaker)
    old.get_model("participants", "Jobb").objects.using(ALIAS).create(
        forlop=forlop,
        employer=employer,
        title="Baker",
        job_type="annet",
        start_date=date(2025, 2, 1),
        hours_per_week=20,
        open_labour_market=True,
        paid_at_least_normal_rate=True,
        open_to_anyone=True,
    )
    old.get_model("participants", "Utdanning").objects.using(ALIAS).create(
        forlop=forlop, level="fagskole", institution="Fagskolen", start_date=date(2025, 3, 1)
    )
    plan = (
        old.get_model("participants", "OppfolgingsPlan")
        .objects.using(ALIAS)
        .create(forlop=forlop, purpose="Jobb", created_on=date(2025, 1, 12))
    )
    old.get_model("participants", "PlanRevision").objects.using(ALIAS).create(
        plan=plan,
        revised_on=date(2025, 1, 12),
        content="Plan",
        participant_took_part=True,
        clinician_took_part=False,
        job_specialist_took_part=True,
        recorded_by=user,
    )
    old.get_model("participants", "Kontakt").objects.using(ALIAS).create(
        forlop=forlop, kind="participant_meeting", date=date(2025, 1, 15), place="community", recorded_by=user
    )
    old.get_model("participants", "Forlengelse").objects.using(ALIAS).create(
        forlop=forlop,
        decided_on=date(2025, 6, 1),
        previous_last_day=date(2026, 1, 9),
        extended_to=date(2026, 7, 9),
        justification="Trenger mer tid",
        rule_result={},
        decided_by=user,
    )


def test_pathway_rows_from_before_the_rename_are_all_there_after_it(own_database):
    _old_pathway(_migrate(own_database, BEFORE))
    new = _migrate(own_database, AFTER)

    participant = new.get_model("participants", "Participant").objects.using(ALIAS).get(last_name="Migrering")
    assert participant.municipality.number == "0301"
    period = new.get_model("participants", "Period").objects.using(ALIAS).get(participant=participant)
    assert period.referral.participant_id == participant.pk and period.service.name == "IPS Migrering"
    assert new.get_model("participants", "StatusChange").objects.using(ALIAS).filter(period=period).count() == 1
    for model in ("Job", "Education", "FollowUpPlan", "Contact", "Extension"):
        assert new.get_model("participants", model).objects.using(ALIAS).filter(period=period).count() == 1, model
    employer = new.get_model("participants", "Employer").objects.using(ALIAS).get(orgnr="999999989")
    assert employer.municipality.number == "0301"
    contact = new.get_model("participants", "EmployerContact").objects.using(ALIAS).get(employer=employer)
    assert list(contact.participants.values_list("pk", flat=True)) == [participant.pk]
    assert new.get_model("participants", "PlanRevision").objects.using(ALIAS).filter(plan__period=period).count() == 1
    organisation = new.get_model("accounts", "Organisation").objects.using(ALIAS).get(orgnr="999999998")
    assert organisation.municipality.county.number == "03"


def test_the_service_of_the_first_referral_becomes_the_recording_service(own_database):
    _old_pathway(_migrate(own_database, BEFORE))
    new = _migrate(own_database, RECORDED_BY)
    participant = new.get_model("participants", "Participant").objects.using(ALIAS).get(last_name="Migrering")
    assert participant.recorded_by.name == "IPS Migrering"


# Each service's own contact details (docs/adr/0006): what was on the person becomes the recording service's record.
BEFORE_CONTACT_DETAILS = [("accounts", "0007_user_language_daily_digest"), ("participants", "0011_statistics_indexes")]
CONTACT_DETAILS = [
    ("accounts", "0007_user_language_daily_digest"),
    ("participants", "0012_contact_details_per_service"),
]


def _people_with_contact_details(old):
    objects = old.get_model("participants", "Participant").objects.using(ALIAS)
    municipality = old.get_model("accounts", "Municipality").objects.using(ALIAS).filter(number="0301").first()
    service = (
        old.get_model("accounts", "IpsService")
        .objects.using(ALIAS)
        .create(name="IPS Kontakt", anchoring="kommunal", health_region="sor_ost", start_date=date(2024, 1, 1))
    )
    person = {"birth_date": date(1990, 1, 1), "municipality": municipality, "last_name": "Kontakt"}
    objects.create(
        identity_hash="a" * 64,
        first_name="Med",
        recorded_by=service,
        phone="400 00 000",
        email="med@example.invalid",
        guardian_name="Mor",
        guardian_phone="900 00 000",
        **person,
    )
    objects.create(identity_hash="b" * 64, first_name="Uten", recorded_by=service, **person)
    objects.create(identity_hash="c" * 64, first_name="Uhenvist", phone="411 11 111", **person)
    return service


def test_the_contact_details_become_the_recording_services_own_record_and_come_back(own_database):
    service = _people_with_contact_details(_migrate(own_database, BEFORE_CONTACT_DETAILS))
    new = _migrate(own_database, CONTACT_DETAILS)

    records = new.get_model("participants", "ParticipantContactDetails").objects.using(ALIAS)
    assert [
        (r.participant.first_name, r.service_id, r.phone, r.email, r.guardian_name, r.guardian_phone) for r in records
    ] == [("Med", service.pk, "400 00 000", "med@example.invalid", "Mor", "900 00 000")]
    assert "phone" not in {f.name for f in new.get_model("participants", "Participant")._meta.get_fields()}

    old = _migrate(own_database, BEFORE_CONTACT_DETAILS)
    person = old.get_model("participants", "Participant").objects.using(ALIAS).get(first_name="Med")
    assert (person.phone, person.email, person.guardian_name, person.guardian_phone) == (
        "400 00 000",
        "med@example.invalid",
        "Mor",
        "900 00 000",
    )

"""participant_update: names, municipality and health facts change; the identity number never does.
contact_details_record: each service's own phone, e-mail and guardian, audited without the values."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from brobygger.accounts.models import Municipality
from brobygger.audit.models import AuditEvent
from brobygger.participants import identity, services
from brobygger.participants.models import Participant, ParticipantContactDetails

NUMBER = identity.synthetic_identity_number(date(2001, 5, 17), 1)


def test_it_saves_the_changed_fields_and_audits_them(personas, participant):
    bergen = (
        Municipality.objects.filter(number="4601").first()
        or Municipality.objects.exclude(pk=participant.municipality_id).first()
    )
    updated = services.participant_update(
        actor=personas["behandler"],
        participant=participant,
        expected_revision=1,
        first_name=" Kari ",
        municipality=bergen,
        has_substance_problems=True,
    )
    assert (updated.first_name, updated.municipality, updated.has_substance_problems, updated.revision) == (
        "Kari",
        bergen,
        True,
        2,
    )
    event = AuditEvent.objects.get(object_type="participants.participant", action=AuditEvent.Action.UPDATE)
    assert event.actor == personas["behandler"]
    assert event.after == {
        "first_name": "(skjult)",
        "municipality_id": bergen.pk,
        "has_substance_problems": True,
        "revision": 2,
    }
    assert not {"identity_encrypted", "identity_hash"} & (set(event.before) | set(event.after))


@pytest.mark.parametrize(
    "field", ["identity_number", "identity_encrypted", "identity_hash", "birth_date", "is_synthetic"]
)
def test_it_refuses_to_change_the_identity(personas, participant, field):
    with pytest.raises(ValidationError, match="Fødselsnummeret kan ikke endres"):
        services.participant_update(
            actor=personas["behandler"], participant=participant, expected_revision=1, **{field: "x"}
        )
    participant.refresh_from_db()
    assert participant.revision == 1 and identity.decrypt_identity(participant.identity_encrypted) == NUMBER


def test_it_refuses_fields_the_participant_does_not_have(personas, participant):
    with pytest.raises(ValidationError, match="finnes ikke"):
        services.participant_update(
            actor=personas["behandler"], participant=participant, expected_revision=1, revision=9
        )


def test_it_never_writes_the_identity_columns(personas, participant):
    # Simulate the key-rotation command re-encrypting the number while the edit page was open.
    rotated = identity.rotate_token(participant.identity_encrypted)
    Participant.objects.filter(pk=participant.pk).update(identity_encrypted=rotated)
    services.participant_update(
        actor=personas["behandler"], participant=participant, expected_revision=1, last_name="E"
    )
    participant.refresh_from_db()
    assert participant.identity_encrypted == rotated and participant.last_name == "E"


def test_a_stale_edit_is_refused_and_changes_nothing(personas, participant):
    services.participant_update(
        actor=personas["behandler"], participant=participant, expected_revision=1, last_name="A"
    )
    with pytest.raises(ValidationError) as refused:
        services.participant_update(
            actor=personas["jobbspesialist"], participant=participant, expected_revision=1, last_name="B"
        )
    assert refused.value.code == "stale"
    participant.refresh_from_db()
    assert (participant.last_name, participant.revision) == ("A", 2)


def test_invalid_values_roll_back_the_revision(personas, participant):
    with pytest.raises(ValidationError) as invalid:
        services.participant_update(
            actor=personas["behandler"], participant=participant, expected_revision=1, first_name=""
        )
    assert "first_name" in invalid.value.error_dict
    participant.refresh_from_db()
    assert participant.revision == 1 and participant.first_name
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).exists()


# Each service's own contact details ----------------------------------------------------------------------------------


def _record(personas, participant, revision, **fields):
    service = participant.referrals.get().team.service
    return services.contact_details_record(
        actor=personas["jobbspesialist"], participant=participant, service=service, expected_revision=revision, **fields
    )


def test_contact_details_are_created_changed_and_audited_without_their_values(personas, referral):
    participant = referral.participant
    created = _record(personas, participant, 0, phone=" 400 00 000 ", email="", guardian_name="", guardian_phone="")
    changed = _record(personas, participant, 1, phone="411 11 111", email="a@example.org")
    assert (changed.pk, changed.phone, changed.email, changed.revision) == (
        created.pk,
        "411 11 111",
        "a@example.org",
        2,
    )
    events = AuditEvent.objects.filter(object_type="participants.participantcontactdetails").order_by("pk")
    assert [event.action for event in events] == [AuditEvent.Action.CREATE, AuditEvent.Action.UPDATE]
    assert events[1].before["phone"] == events[1].after["phone"] == "(skjult)"
    assert "400" not in str(events[0].after) and "411" not in str(events[1].after)


def test_contact_details_refuse_a_stale_edit_and_a_second_first_record(personas, referral):
    participant = referral.participant
    _record(personas, participant, 0, phone="1")
    for revision in (0, 2):
        with pytest.raises(ValidationError) as refused:
            _record(personas, participant, revision, phone="2")
        assert refused.value.code == "stale"
    assert ParticipantContactDetails.objects.get().phone == "1"


def test_invalid_contact_details_change_nothing(personas, referral):
    participant = referral.participant
    _record(personas, participant, 0, phone="1")
    with pytest.raises(ValidationError) as invalid:
        _record(personas, participant, 1, email="ikke-epost")
    assert "email" in invalid.value.error_dict
    with pytest.raises(ValidationError, match="finnes ikke"):
        _record(personas, participant, 1, has_psychosis=True)
    assert ParticipantContactDetails.objects.values_list("email", "revision").get() == ("", 1)

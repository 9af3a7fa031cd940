"""deltaker_update: names, contact details and health facts change; the identity number never does."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from brobygger.accounts.models import Municipality
from brobygger.audit.models import AuditEvent
from brobygger.participants import identity, services
from brobygger.participants.models import Participant

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
        phone=" 400 00 000 ",
        municipality=bergen,
        has_substance_problems=True,
    )
    assert (updated.phone, updated.municipality, updated.has_substance_problems, updated.revision) == (
        "400 00 000",
        bergen,
        True,
        2,
    )
    event = AuditEvent.objects.get(object_type="participants.participant", action=AuditEvent.Action.UPDATE)
    assert event.actor == personas["behandler"]
    assert event.after == {
        "phone": "(skjult)",
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
    services.participant_update(actor=personas["behandler"], participant=participant, expected_revision=1, phone="1")
    participant.refresh_from_db()
    assert participant.identity_encrypted == rotated and participant.phone == "1"


def test_a_stale_edit_is_refused_and_changes_nothing(personas, participant):
    services.participant_update(actor=personas["behandler"], participant=participant, expected_revision=1, phone="111")
    with pytest.raises(ValidationError) as refused:
        services.participant_update(
            actor=personas["jobbspesialist"], participant=participant, expected_revision=1, phone="222"
        )
    assert refused.value.code == "stale"
    participant.refresh_from_db()
    assert (participant.phone, participant.revision) == ("111", 2)


def test_invalid_values_roll_back_the_revision(personas, participant):
    with pytest.raises(ValidationError) as invalid:
        services.participant_update(
            actor=personas["behandler"], participant=participant, expected_revision=1, email="ikke-epost"
        )
    assert "email" in invalid.value.error_dict
    participant.refresh_from_db()
    assert participant.revision == 1 and participant.email == ""
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).exists()

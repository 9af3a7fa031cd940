"""The signer check the application and the annual report share (regelverket pkt. 4)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from brobygger.accounts.models import Organisation
from brobygger.grants import writes
from brobygger.grants.models import Signature

CHAIR_MESSAGE = "Dokumentet signeres av styreleder."


def problems(org_type: str, authority: str, name: str = "Kari Nordmann", days_ahead: int = 0) -> dict[str, str]:
    signed_on = timezone.localdate() + timedelta(days=days_ahead)
    organisation = Organisation(name="Eksempel", org_type=org_type)
    return writes.signer_problems(organisation, authority, name, signed_on, chair_message=CHAIR_MESSAGE)


@pytest.mark.parametrize(
    ("org_type", "authority", "refused"),
    [
        (Organisation.Type.MUNICIPALITY, Signature.Authority.MUNICIPAL_DIRECTOR, False),
        (Organisation.Type.MUNICIPALITY, Signature.Authority.DELEGATED, False),
        (Organisation.Type.MUNICIPALITY, Signature.Authority.CHAIR, True),
        (Organisation.Type.HEALTH_TRUST, Signature.Authority.CHAIR, False),
        (Organisation.Type.HEALTH_TRUST, Signature.Authority.DELEGATED, False),
        (Organisation.Type.HEALTH_TRUST, Signature.Authority.MUNICIPAL_DIRECTOR, True),
    ],
)
def test_who_may_sign_depends_on_the_kind_of_organisation(org_type, authority, refused):
    assert ("authority" in problems(org_type, authority)) is refused


def test_the_refusal_names_the_municipal_director_or_the_callers_document():
    assert "kommunedirektøren" in problems(Organisation.Type.MUNICIPALITY, Signature.Authority.CHAIR)["authority"]
    refusal = problems(Organisation.Type.HEALTH_TRUST, Signature.Authority.MUNICIPAL_DIRECTOR)["authority"]
    assert refusal == CHAIR_MESSAGE


def test_a_signature_needs_a_name_and_a_date_not_in_the_future():
    found = problems(Organisation.Type.MUNICIPALITY, Signature.Authority.DELEGATED, name="  ", days_ahead=1)
    assert set(found) == {"name", "signed_on"}
    assert problems(Organisation.Type.MUNICIPALITY, Signature.Authority.DELEGATED) == {}

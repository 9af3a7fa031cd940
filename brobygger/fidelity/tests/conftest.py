"""Fixtures for fidelity: the built-in IPS-25, a synthetic two-subscale scale, and users from outside the demo."""

from datetime import date

import pytest
import yaml

from brobygger.accounts.models import IpsService, Membership, Role, User
from brobygger.fidelity import scales


def synthetic_definition(*, key: str = "syntetisk-y", version: str = "1", subscales: bool = True) -> dict:
    """A made-up scale in the IPS-Y shape: two subscales, each with its own levels. No real item texts."""
    anchors = {score: f"Syntetisk forankring {score}." for score in range(1, 6)}
    items = [
        {"number": number, "group": "arbeid" if number <= 4 else "utdanning", "title": f"Syntetisk punkt {number}"}
        | {"anchors": dict(anchors), "data_sources": ["INT"]}
        for number in range(1, 7)
    ]
    return {
        "key": key,
        "name": "Syntetisk skala med to delskalaer",
        "version": version,
        "valid_from": date(2024, 1, 1),
        "grouping": "subscales" if subscales else "sections",
        "data_sources": {"INT": "Intervjuer", "DOK": "Dokumenter"},
        "groups": [
            {
                "key": "arbeid",
                "name": "Delskala arbeid",
                "bands": [
                    {"level": "bra", "label": "Bra", "from": 15, "to": 20, "approved": True, "good": True},
                    {"level": "godkjent", "label": "Godkjent", "from": 10, "to": 14, "approved": True},
                    {"level": "lav", "label": "Lav", "from": 4, "to": 9, "approved": False},
                ],
            },
            {
                "key": "utdanning",
                "name": "Delskala utdanning",
                "bands": [
                    {"level": "bra", "label": "Bra", "from": 8, "to": 10, "approved": True, "good": True},
                    {"level": "lav", "label": "Lav", "from": 2, "to": 7, "approved": False},
                ],
            },
        ],
        "items": items,
    }


def dump(definition: dict) -> str:
    return yaml.safe_dump(definition, allow_unicode=True, sort_keys=False)


@pytest.fixture
def ips25(db):
    scales.ensure_builtin_scales()
    return scales.scale_in_force(scales.IPS_25, date(2026, 1, 1))


@pytest.fixture
def synthetic_scale(db):
    return scales.load_scale(actor=None, text=dump(synthetic_definition()))


@pytest.fixture
def service(personas):
    """IPS Oslo Nord, where the demo's job specialist, leader and clinician work, with the demo reviewer assigned."""
    oslo = IpsService.objects.get(name="IPS Oslo Nord")
    Membership.objects.create(user=personas["kvalitetsevaluator"], service=oslo)
    return oslo


@pytest.fixture
def second_reviewer(personas, service):
    """A second fidelity reviewer assigned to the same service: an external review needs two."""
    user = User.objects.create(username="evaluator-2", first_name="Eva", last_name="Annen", role=Role.FIDELITY_REVIEWER)
    Membership.objects.create(user=user, service=service)
    return user


@pytest.fixture
def outsiders(personas):
    """Users of a service the tests' review does not belong to: they must see nothing of it."""
    other = IpsService.objects.get(name="IPS Bodø TSB")
    users = {}
    for role in (Role.JOB_SPECIALIST, Role.IPS_LEADER, Role.FIDELITY_REVIEWER, Role.CLINICIAN):
        user = User.objects.create(username=f"annen-{role}", role=role)
        Membership.objects.create(
            user=user,
            service=other,
            team=other.teams.first()
            if role
            in (
                Role.JOB_SPECIALIST,
                Role.CLINICIAN,
            )
            else None,
        )
        users[str(role)] = user
    return users

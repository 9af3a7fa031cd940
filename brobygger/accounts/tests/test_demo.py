import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from stdnum.no import orgnr

from brobygger.accounts import demo
from brobygger.accounts.models import IpsService, Organisation, Role, TreatmentTeam, User


def test_demo_organisations_are_synthetic_with_valid_check_digits(personas):
    organisations = list(Organisation.objects.all())
    assert organisations
    assert all(o.is_synthetic and orgnr.is_valid(o.orgnr) and o.orgnr.startswith("1") for o in organisations)


def test_there_is_one_persona_per_role(personas):
    roles = {p.role for p in demo.PERSONAS}
    assert roles == set(Role.values)
    assert all(User.objects.get(username=p.username).check_password(demo.DEMO_PASSWORD) for p in demo.PERSONAS)


def test_the_demo_has_two_regions_four_services_ips_ung_and_fact_ung(personas):
    assert IpsService.objects.values("health_region").distinct().count() == 2
    assert IpsService.objects.count() == 4
    assert IpsService.objects.filter(offers_ips_ung=True).exists()
    assert TreatmentTeam.objects.filter(team_type="fact_ung").exists()


def test_the_seed_is_deterministic(personas):
    first = sorted(Organisation.objects.values_list("orgnr", "name"))
    assert first == sorted((demo.synthetic_orgnr(serial), name) for serial, name in _expected_orgs())


def _expected_orgs():
    yield from [
        (1, "NAV Oslo (demo)"),
        (2, "Helsedirektoratet (demo)"),
        (3, "Arbeids- og velferdsdirektoratet (demo)"),
    ]
    yield from [(100 + i, spec.owner) for i, spec in enumerate(demo.SERVICES)]


def test_seed_demo_refuses_outside_demo_mode(db, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demomodus"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_if_empty_leaves_existing_data_alone(personas, settings):
    settings.DEMO_MODE = True
    call_command("seed_demo", "--if-empty")
    assert User.objects.filter(username="sysadmin").count() == 1


def test_the_demo_logins_say_how_two_factor_works_in_the_demo(capsys):
    call_command("demo_logins")
    assert "demomodus slipper demobrukerne over" in capsys.readouterr().out

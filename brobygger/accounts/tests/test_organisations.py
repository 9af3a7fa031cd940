import pytest

from brobygger.accounts.demo import synthetic_orgnr
from brobygger.accounts.models import Organisation
from brobygger.audit.models import AuditEvent

URL = "/organisasjoner/ny/"


def _form(**overrides):
    return {
        "name": "Testkommune",
        "orgnr": synthetic_orgnr(900),
        "org_type": "kommune",
        "municipality": "0301",
    } | overrides


@pytest.fixture
def sysadmin_client(personas, login):
    return login(personas["sysadmin"])


def test_it_saves_a_valid_organisation_and_audits_it(sysadmin_client):
    response = sysadmin_client.post(URL, _form())
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Testkommune")
    assert organisation.municipality.number == "0301"
    event = AuditEvent.objects.get(object_type="accounts.organisation", object_id=str(organisation.pk))
    assert event.action == "create" and event.after["orgnr"] == organisation.orgnr


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"orgnr": "123456789"}, "orgnr", "gyldig kontrollsiffer"),
        ({"orgnr": "12345"}, "orgnr", "gyldig kontrollsiffer"),
        ({"name": ""}, "name", "Feltet er påkrevet"),
        ({"municipality": "0999"}, "municipality", "Kommunenummeret 0999 finnes ikke"),
        ({"org_type": "bank"}, "org_type", "Velg et gyldig valg"),
    ],
)
def test_it_rejects_bad_input_with_a_norwegian_field_error_and_saves_nothing(
    sysadmin_client, overrides, field, message
):
    before = Organisation.objects.count()
    response = sysadmin_client.post(URL, _form(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Organisation.objects.count() == before


def test_it_rejects_a_duplicate_organisation_number(sysadmin_client):
    existing = Organisation.objects.first()
    response = sysadmin_client.post(URL, _form(orgnr=existing.orgnr))
    assert "allerede registrert" in " ".join(response.context["form"].errors["orgnr"])
    assert Organisation.objects.filter(orgnr=existing.orgnr).count() == 1


def test_only_system_administrators_may_register_organisations(personas, login):
    for username in ("jobbspesialist", "ips-leder", "tilskuddsforvalter", "analytiker"):
        client = login(personas[username])
        assert client.post(URL, _form()).status_code == 403
    assert not Organisation.objects.filter(name="Testkommune").exists()


def test_an_update_records_only_the_changed_fields(sysadmin_client):
    organisation = Organisation.objects.first()
    data = _form(
        name="Nytt navn",
        orgnr=organisation.orgnr,
        org_type=organisation.org_type,
        municipality=organisation.municipality.number,
    )
    sysadmin_client.post(f"/organisasjoner/{organisation.pk}/endre/", data)
    event = AuditEvent.objects.filter(action="update", object_id=str(organisation.pk)).get()
    assert event.after == {"name": "Nytt navn"}
    assert event.before == {"name": organisation.name}

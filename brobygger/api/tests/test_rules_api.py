import json

import pytest

from brobygger.rules.catalog import CATALOG, describe_inputs


def _post(client, rule_id, body, **query):
    suffix = f"?version={query['version']}" if query else ""
    return client.post(f"/api/v1/rules/{rule_id}{suffix}", json.dumps(body), content_type="application/json")


ELIGIBLE = {
    "on": "2026-03-01",
    "birth_date": "2000-05-17",
    "moderate_or_severe_condition": True,
    "compound_problems": False,
    "in_health_service": True,
    "needs_comprehensive_follow_up": True,
    "consent": True,
    "wants_work_or_education": True,
}


def test_the_schema_documents_every_rule_with_its_inputs(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    for rule in CATALOG:
        operation = schema["paths"][f"/api/v1/rules/{rule.id}"]["post"]
        assert operation["summary"] == rule.title
        reference = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        documented = schema["components"]["schemas"][reference.rsplit("/", 1)[1]]["properties"]
        assert set(documented) == {field.name for field in describe_inputs(rule.id)}
        assert all(documented[field.name]["title"] == field.label for field in describe_inputs(rule.id))


def test_it_answers_outcome_reasons_references_and_version(client, db):
    response = _post(client, "personkrets", ELIGIBLE)
    assert response.status_code == 200
    body = response.json()
    assert body["version"]["id"] == "forskrift-2023"
    assert body["reasons"] and all(r["reference"] and r["text"] for r in body["reasons"])
    assert any("§ 3-2" in reference for reference in body["references"])


def test_a_named_version_answers_what_if(client, db):
    body = _post(client, "personkrets", ELIGIBLE, version="horing-2026").json()
    assert body["version"]["id"] == "horing-2026"
    assert any("§ 3-1" in r["reference"] for r in body["reasons"] if "AMTYKKE" in r["code"])


def test_the_proposal_applies_by_date_once_its_entry_into_force_is_set(client, db, settings):
    from datetime import date

    settings.IPS_PROPOSAL_IN_FORCE_FROM = date(2026, 1, 1)
    assert _post(client, "personkrets", ELIGIBLE).json()["version"]["id"] == "horing-2026"


@pytest.mark.parametrize(
    ("rule_id", "body", "field", "message"),
    [
        ("personkrets", ELIGIBLE | {"on": "2026-02-30"}, "on", "Ugyldig dato"),
        ("personkrets", {k: v for k, v in ELIGIBLE.items() if k != "consent"}, "consent", "Feltet må fylles ut"),
        (
            "tilskudd-maksbelop",
            {"on": "2026-03-01", "measure": "D", "project_year": 1, "fte": "1"},
            "measure",
            "Gyldige verdier: 'A', 'B' eller 'C'",
        ),
    ],
)
def test_bad_input_gets_422_with_a_norwegian_message_per_field(client, db, rule_id, body, field, message):
    response = _post(client, rule_id, body)
    assert response.status_code == 422
    messages = {item["field"]: item["message"] for item in response.json()["errors"]}
    assert message in messages[field]


def test_a_negative_position_fraction_is_refused_by_the_rule(client, db):
    response = _post(
        client, "tilskudd-maksbelop", {"on": "2026-03-01", "measure": "A", "project_year": 1, "fte": "-0.5"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "fte"


def test_an_unknown_version_is_refused(client, db):
    response = _post(client, "personkrets", ELIGIBLE, version="2099")
    assert response.status_code == 422


def test_the_catalogue_and_versions_are_listed(client, db):
    rules = client.get("/api/v1/rules/").json()
    assert [r["id"] for r in rules] == [rule.id for rule in CATALOG]
    versions = client.get("/api/v1/rules/versions").json()
    assert {v["id"] for v in versions} == {"forskrift-2023", "horing-2026"}

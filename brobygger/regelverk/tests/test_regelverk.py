import pytest
from django.core.checks import Error

from brobygger.regelverk import checks
from brobygger.rules.catalog import CATALOG


def test_the_page_lists_every_rule_with_its_reference(client, db):
    html = client.get("/regelverk/").content.decode()
    for rule in CATALOG:
        assert f'href="/regelverk/{rule.id}/"' in html
        assert rule.title in html


@pytest.mark.parametrize("rule", CATALOG, ids=lambda rule: rule.id)
def test_every_rule_has_a_form_to_try_it(client, db, rule):
    response = client.get(f"/regelverk/{rule.id}/")
    assert response.status_code == 200
    assert "on" in response.context["form"].fields


def test_trying_a_rule_shows_each_reason_and_the_version(client, db):
    response = client.post(
        "/regelverk/klagefrist/", {"on": "2026-11-23", "notified_on": "2026-04-23", "version": ""}, follow=True
    )
    result = response.context["result"]
    assert result is not None, response.context["form"].errors
    html = response.content.decode()
    assert result.version.label in html
    assert all(reason.text in html for reason in result.reasons)


def test_a_what_if_version_is_applied(client, db):
    data = {
        "on": "2026-03-01",
        "birth_date": "2010-12-01",
        "moderate_or_severe_condition": "on",
        "in_health_service": "on",
        "needs_comprehensive_follow_up": "on",
        "consent": "on",
        "wants_work_or_education": "on",
    }
    in_force = client.post("/regelverk/personkrets/", data).context["result"]
    proposal = client.post("/regelverk/personkrets/", data | {"version": "horing-2026"}).context["result"]
    assert in_force.outcome != proposal.outcome
    assert proposal.version.id == "horing-2026"


def test_bad_input_is_shown_on_the_field_in_norwegian(client, db):
    response = client.post(
        "/regelverk/tilskudd-maksbelop/", {"on": "2026-03-01", "measure": "A", "project_year": "1", "fte": "-1"}
    )
    assert response.context["result"] is None
    assert response.context["form"].errors["fte"]


def test_an_htmx_request_gets_only_the_evaluation(client, db):
    response = client.post(
        "/regelverk/modelltrohet-niva/", {"on": "2026-03-01", "total": "80"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="evaluation">')
    assert "<html" not in html


def test_an_unknown_rule_is_404(client, db):
    assert client.get("/regelverk/finnes-ikke/").status_code == 404


def test_the_changelog_is_readable_for_case_workers(client, db):
    html = client.get("/regelverk/endringer/").content.decode()
    assert "<h2>Gjelder fra 01.07.2023" in html
    assert "Høringsforslaget mai 2026" in html


def test_the_startup_check_reports_a_bad_parameter_file(monkeypatch):
    monkeypatch.setattr(checks, "validate_parameters", lambda: ["alder: verdi uten hjemmel"])
    assert checks.rule_parameters_are_valid(None) == [
        Error(
            "alder: verdi uten hjemmel",
            hint="Rett parameterfilen under brobygger/rules/parameters/.",
            id="regelverk.E001",
        )
    ]


def test_the_shipped_parameters_pass_the_startup_check():
    assert checks.rule_parameters_are_valid(None) == []


def test_the_proposal_date_setting_must_be_a_date(settings):
    settings.IPS_PROPOSAL_IN_FORCE_FROM = "snart"
    assert [error.id for error in checks.proposal_date_is_a_date(None)] == ["regelverk.E002"]

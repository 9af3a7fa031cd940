"""The catalogue: every rule described for the API and the «Regelverk» page, and evaluated from primitives."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brobygger.rules import (
    CATALOG,
    RuleInputError,
    UnknownRuleError,
    describe_inputs,
    evaluate,
    get_rule,
    get_version,
)
from brobygger.rules.eligibility import EligibilityInput, eligibility


def test_every_rule_is_fully_described() -> None:
    assert len({spec.id for spec in CATALOG}) == len(CATALOG)
    for spec in CATALOG:
        assert spec.title and spec.description and spec.references, spec.id
        assert spec.function.__doc__, spec.id
        assert dataclasses.is_dataclass(spec.input_type), spec.id
        assert spec.input_type.__dataclass_params__.frozen, spec.id  # type: ignore[attr-defined]
        assert spec.versions == ("forskrift-2023", "horing-2026"), spec.id


def test_every_input_starts_with_the_evaluation_date() -> None:
    for spec in CATALOG:
        first = describe_inputs(spec.id)[0]
        assert (first.name, first.kind, first.required) == ("on", "date", True), spec.id


def test_every_input_field_is_a_simple_form_field_with_a_label() -> None:
    for spec in CATALOG:
        for field in describe_inputs(spec.id):
            assert field.kind in {"date", "bool", "int", "decimal", "str", "choice"}, (spec.id, field.name)
            assert field.label and field.label != field.name, (spec.id, field.name)


def test_a_choice_field_lists_its_values() -> None:
    measure = next(field for field in describe_inputs("tilskudd-maksbelop") if field.name == "measure")
    assert (measure.kind, measure.choices) == ("choice", ("A", "B", "C"))
    requested = next(field for field in describe_inputs("tilskudd-maksbelop") if field.name == "requested_amount")
    assert (requested.kind, requested.required, requested.default) == ("int", False, None)


def test_an_unknown_rule_is_refused() -> None:
    with pytest.raises(UnknownRuleError):
        get_rule("formuesskatt")
    with pytest.raises(UnknownRuleError):
        evaluate("formuesskatt", {"on": "2026-01-01"})


def test_it_reports_every_bad_field_at_once() -> None:
    with pytest.raises(RuleInputError) as caught:
        evaluate("tilskudd-maksbelop", {"on": "01.01.2026", "measure": "D", "project_year": "to", "fte": 1})
    assert set(caught.value.errors) == {"on", "measure", "project_year"}
    assert caught.value.errors["project_year"] == "Må være et heltall."


def test_a_version_the_rule_does_not_know_is_refused() -> None:
    with pytest.raises(RuleInputError) as caught:
        evaluate("saksmengde", {"on": "2026-01-01", "active_participants": 1, "specialist_fte": 1}, "forskrift-2016")
    assert caught.value.field == "version"


def test_a_result_is_json_ready_and_carries_its_version() -> None:
    result = evaluate("klagefrist", {"on": "2026-12-04", "notified_on": "2026-12-04"}, "horing-2026")
    data = json.loads(json.dumps(result.to_dict()))
    assert data["version"] == {"id": "horing-2026", "label": "Høringsforslaget mai 2026"}
    assert data["details"]["deadline"] == "2026-12-28"
    assert all(set(reason) == {"code", "text", "reference", "passed", "message"} for reason in data["reasons"])
    assert result.references == (
        "Forvaltningsloven § 29 første ledd, jf. regelverk for tilskuddsordningen pkt. 8",
        "Domstolloven §§ 148 og 149, jf. forvaltningsloven § 29",
    )


def test_a_result_cannot_be_changed_afterwards() -> None:
    result = evaluate("rapportfrist", {"on": "2026-01-01", "grant_year": 2025})
    with pytest.raises(TypeError):
        result.details["due_date"] = date(2030, 1, 1)  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.outcome = "frist_passert"  # type: ignore[misc]


def test_a_rule_can_be_called_directly_with_its_dataclass() -> None:
    facts = EligibilityInput(
        on=date(2026, 8, 17),
        birth_date=date(2010, 9, 1),
        moderate_or_severe_condition=True,
        compound_problems=False,
        in_health_service=True,
        needs_comprehensive_follow_up=True,
        consent=True,
        wants_work_or_education=True,
    )
    assert eligibility(facts, get_version("forskrift-2023")).outcome == "ikke_oppfylt"
    assert eligibility(facts, get_version("horing-2026")).outcome == "oppfylt"


@given(birth=st.dates(min_value=date(1940, 1, 1), max_value=date(2026, 6, 1)))
def test_the_proposal_never_sets_the_age_condition_later_than_the_regulation(birth: date) -> None:
    inputs = {
        "on": "2026-06-01",
        "birth_date": birth,
        "moderate_or_severe_condition": True,
        "compound_problems": False,
        "in_health_service": True,
        "needs_comprehensive_follow_up": True,
        "consent": True,
        "wants_work_or_education": True,
    }
    in_force = evaluate("personkrets", inputs, "forskrift-2023")
    proposal = evaluate("personkrets", inputs, "horing-2026")
    proposal_from, in_force_from = proposal.details["age_condition_from"], in_force.details["age_condition_from"]
    assert isinstance(proposal_from, date) and isinstance(in_force_from, date)
    assert proposal_from <= in_force_from
    assert in_force.outcome != "oppfylt" or proposal.outcome == "oppfylt"

"""Runs every YAML case in rules/cases/ through the catalogue, OpenFisca style: one test per case, named by it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from brobygger.rules import CATALOG, RuleInputError, evaluate

CASES_DIR = Path(__file__).parents[1] / "cases"
CASE_KEYS = {"name", "rule", "date", "version", "proposal_in_force_from", "input", "expected", "error"}
EXPECTED_KEYS = {"outcome", "version", "details", "reasons", "reasons_include", "references"}


def _load_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        cases.extend(yaml.safe_load(path.read_text(encoding="utf-8"))["cases"])
    return cases


CASES = _load_cases()


def _primitive(value: Any) -> Any:
    """An expected value in the form RuleResult.to_dict() gives: ISO dates, lists."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_primitive(item) for item in value]
    return value


def _evaluate(case: dict[str, Any]) -> Any:
    return evaluate(
        case["rule"],
        {"on": case["date"], **case.get("input", {})},
        case.get("version"),
        proposal_in_force_from=case.get("proposal_in_force_from"),
    )


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_case(case: dict[str, Any]) -> None:
    if "error" in case:
        with pytest.raises(RuleInputError) as caught:
            _evaluate(case)
        assert case["error"]["field"] in caught.value.errors, caught.value.errors
        return
    result = _evaluate(case)
    expected = case["expected"]
    assert result.outcome == expected["outcome"], [r.text for r in result.reasons]
    if "version" in expected:
        assert result.version.id == expected["version"]
    if "reasons" in expected:
        assert sorted(result.reason_codes) == sorted(expected["reasons"])
    assert set(expected.get("reasons_include", [])) <= set(result.reason_codes), result.reason_codes
    details = result.to_dict()["details"]
    for key, value in expected.get("details", {}).items():
        assert details[key] == _primitive(value), key
    by_code = {reason.code: reason.reference for reason in result.reasons}
    for code, reference in expected.get("references", {}).items():
        assert by_code[code] == reference


def test_case_files_are_well_formed() -> None:
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    for case in CASES:
        assert set(case) <= CASE_KEYS, case["name"]
        assert ("expected" in case) != ("error" in case), case["name"]
        assert set(case.get("expected", {})) <= EXPECTED_KEYS, case["name"]


def test_every_rule_in_the_catalogue_has_cases() -> None:
    covered = {case["rule"] for case in CASES}
    assert {spec.id for spec in CATALOG} <= covered
    assert covered <= {spec.id for spec in CATALOG}

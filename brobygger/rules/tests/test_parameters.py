"""The parameter files: valid, dated, referenced; and validate_parameters() finds what is wrong."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from brobygger.rules import RuleInputError, get_version, validate_parameters
from brobygger.rules import parameters as parameters_module
from brobygger.rules.parameters import cite, parameter, raw_parameters


def _value(**overrides: Any) -> dict[str, Any]:
    return {"value": 30, "valid_from": date(2024, 1, 1), "reference": "IPS-25 punkt 15", **overrides}


def _parameter(*values: dict[str, Any], kind: str = "int") -> dict[str, Any]:
    return {"x.frist": {"description": "En frist", "type": kind, "values": list(values)}}


def test_the_shipped_files_have_no_problems() -> None:
    assert validate_parameters() == []


def test_every_parameter_value_has_a_reference_and_a_start() -> None:
    for name, definition in raw_parameters().items():
        for entry in definition["values"]:
            assert entry["reference"].strip(), name
            assert "valid_from" in entry, name


def test_good_inline_data_has_no_problems() -> None:
    assert validate_parameters(_parameter(_value())) == []


def test_it_finds_a_value_without_a_reference() -> None:
    problems = validate_parameters(_parameter(_value(reference="  ")))
    assert problems == ["x.frist (verdi fra 2024-01-01): mangler hjemmel (reference)"]


def test_it_finds_overlapping_date_ranges() -> None:
    problems = validate_parameters(
        _parameter(_value(valid_to=date(2025, 6, 30)), _value(value=20, valid_from=date(2025, 6, 30)))
    )
    assert problems == ["x.frist: verdiene fra 2024-01-01 og 2025-06-30 overlapper for forskrift-2023, horing-2026"]


def test_adjacent_date_ranges_do_not_overlap() -> None:
    data = _parameter(_value(valid_to=date(2025, 6, 30)), _value(value=20, valid_from=date(2025, 7, 1)))
    assert validate_parameters(data) == []


def test_values_for_different_versions_may_share_dates() -> None:
    data = _parameter(
        _value(versions=["forskrift-2023"]),
        _value(value=20, valid_from=None, versions=["horing-2026"]),
    )
    assert validate_parameters(data) == []


def test_it_finds_overlap_within_one_version() -> None:
    data = _parameter(_value(versions=["horing-2026"]), _value(value=20, valid_from=None, versions=["horing-2026"]))
    assert any("overlapper for horing-2026" in problem for problem in validate_parameters(data))


def test_only_an_undated_version_may_have_values_without_a_start() -> None:
    problems = validate_parameters(
        _parameter(_value(valid_from=None, versions=["forskrift-2023"]), _value(versions=["horing-2026"]))
    )
    assert any("valid_from kan bare være tom" in problem for problem in problems)


def test_it_finds_a_missing_start_date() -> None:
    entry = _value()
    del entry["valid_from"]
    assert "x.frist (verdi fra None): mangler valid_from" in validate_parameters(_parameter(entry))


def test_it_finds_an_end_before_the_start() -> None:
    problems = validate_parameters(_parameter(_value(valid_to=date(2023, 12, 31))))
    assert problems == ["x.frist (verdi fra 2024-01-01): valid_to er før valid_from"]


def test_it_finds_an_unknown_version_and_a_version_without_value() -> None:
    problems = validate_parameters(_parameter(_value(versions=["forskrift-1999"])))
    assert "x.frist (verdi fra 2024-01-01): ukjent versjon forskrift-1999" in problems
    assert "x.frist: ingen verdi for versjonen forskrift-2023" in problems


def test_it_finds_a_value_of_the_wrong_type_and_an_unknown_type() -> None:
    assert validate_parameters(_parameter(_value(value="tretti"))) == [
        "x.frist (verdi fra 2024-01-01): verdien har feil type"
    ]
    assert any("ukjent type" in problem for problem in validate_parameters(_parameter(_value(), kind="float")))


def test_it_finds_a_date_written_as_text() -> None:
    problems = validate_parameters(_parameter(_value(valid_from="1. januar 2024")))
    assert "x.frist (verdi fra 1. januar 2024): valid_from er ikke en dato (bruk ÅÅÅÅ-MM-DD)" in problems


def test_it_finds_a_parameter_without_values() -> None:
    assert validate_parameters({"x.tom": {"description": "Tom", "type": "int"}}) == [
        "x.tom: mangler en liste med values"
    ]


def test_it_finds_reference_problems() -> None:
    references = {
        "samtykke": [{"text": "§ 3-2", "versions": ["forskrift-2023"]}],
        "tom": [{"text": ""}],
    }
    problems = validate_parameters({}, references=references)
    assert problems == [
        "hjemmel samtykke: 0 tekster for versjonen horing-2026, skal være én",
        "hjemmel tom: mangler text",
    ]


def test_it_finds_version_problems() -> None:
    versions: list[dict[str, Any]] = [
        {"id": "a", "label": "A", "valid_from": date(2023, 7, 1), "reference": "Forskrift"},
        {"id": "a", "label": "", "valid_from": "2026", "reference": "Forslag"},
    ]
    problems = validate_parameters({}, versions=versions, references={})
    assert problems == [
        "versjon a: mangler label",
        "versjon a: valid_from er ikke en dato",
        "versjon a: id brukes mer enn én gang",
    ]


def test_a_value_is_chosen_by_date(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _parameter(_value(valid_to=date(2025, 6, 30)), _value(value=20, valid_from=date(2025, 7, 1), reference="Ny"))
    monkeypatch.setattr(parameters_module, "raw_parameters", lambda: data)
    version = get_version("forskrift-2023")
    assert parameter("x.frist", date(2025, 6, 30), version).value == 30
    assert parameter("x.frist", date(2025, 7, 1), version).value == 20
    assert parameter("x.frist", date(2025, 7, 1), version).reference == "Ny"
    with pytest.raises(RuleInputError) as caught:
        parameter("x.frist", date(2023, 12, 31), version)
    assert caught.value.field == "on"


def test_the_reference_follows_the_version() -> None:
    assert cite("personkrets.samtykke", get_version("forskrift-2023")) == "Egenregiforskriften § 3-2"
    assert cite("personkrets.samtykke", get_version("horing-2026")) == (
        "Egenregiforskriften § 3-1 tredje ledd (høringsforslag mai 2026)"
    )


def test_the_age_rule_is_a_parameter_of_each_version() -> None:
    on = date(2026, 6, 1)
    assert parameter("ips.alder.beregning", on, get_version("forskrift-2023")).value == "fylte_ar"
    assert parameter("ips.alder.beregning", on, get_version("horing-2026")).value == "kalenderaret"


def test_it_finds_versions_written_as_text_instead_of_a_list() -> None:
    problems = validate_parameters(_parameter(_value(versions="horing-2026")))
    assert "x.frist (verdi fra 2024-01-01): versions må være en liste, for eksempel [forskrift-2023]" in problems

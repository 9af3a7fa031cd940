"""Choosing the version of the rules by date, or by name."""

from __future__ import annotations

from datetime import date

import pytest

from brobygger.rules import RuleInputError, all_versions, get_version, resolve_version, select_version


def test_there_are_two_versions_in_order() -> None:
    assert [version.id for version in all_versions()] == ["forskrift-2023", "horing-2026"]
    assert get_version("horing-2026").label == "Høringsforslaget mai 2026"
    assert get_version("horing-2026").valid_from is None


def test_the_regulation_applies_from_1_july_2023() -> None:
    assert select_version(date(2023, 7, 1)).id == "forskrift-2023"
    with pytest.raises(RuleInputError) as caught:
        select_version(date(2023, 6, 30))
    assert caught.value.field == "on"


def test_the_proposal_is_never_chosen_by_date_while_its_date_is_unset() -> None:
    assert select_version(date(2099, 1, 1)).id == "forskrift-2023"


def test_the_proposal_applies_from_the_date_in_the_setting() -> None:
    assert select_version(date(2027, 6, 30), proposal_in_force_from=date(2027, 7, 1)).id == "forskrift-2023"
    assert select_version(date(2027, 7, 1), proposal_in_force_from=date(2027, 7, 1)).id == "horing-2026"


def test_a_named_version_wins_over_the_date() -> None:
    assert resolve_version(date(2026, 6, 1), "horing-2026").id == "horing-2026"
    assert resolve_version(date(2026, 6, 1), None, date(2026, 1, 1)).id == "horing-2026"


def test_an_unknown_version_is_refused_on_the_version_field() -> None:
    with pytest.raises(RuleInputError) as caught:
        get_version("horing-2030")
    assert caught.value.field == "version"

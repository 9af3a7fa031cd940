"""Zero exclusion (IPS principle 1): nothing outside § 3-1 can reach an eligibility decision."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brobygger.rules import CATALOG, RuleInputError, evaluate
from brobygger.rules.eligibility import EligibilityInput

# Facts the IPS principle says must never exclude anyone (seed 004, principle 1), in English and bokmål.
FORBIDDEN = (
    "criminal",
    "conviction",
    "rulleblad",
    "straff",
    "symptom",
    "severity",
    "alvorlighet",
    "substance_use",
    "rusbruk",
    "rusmisbruk",
    "cognitive",
    "kognitiv",
    "housing",
    "homeless",
    "bolig",
    "hjemlos",
    "appearance",
    "fremtoning",
    "framtoning",
    "job_ready",
    "jobbklar",
)

VOKSEN = {
    "on": "2026-06-01",
    "birth_date": "1980-05-10",
    "moderate_or_severe_condition": True,
    "compound_problems": False,
    "in_health_service": True,
    "needs_comprehensive_follow_up": True,
    "consent": True,
    "wants_work_or_education": True,
}


def test_the_eligibility_input_has_no_field_for_excluding_facts() -> None:
    names = [field.name for field in dataclasses.fields(EligibilityInput)]
    assert [name for name in names if any(word in name for word in FORBIDDEN)] == []


def test_no_rule_in_the_catalogue_takes_an_excluding_fact() -> None:
    names = [field.name for spec in CATALOG for field in dataclasses.fields(spec.input_type)]
    assert [name for name in names if any(word in name for word in FORBIDDEN)] == []


@pytest.mark.parametrize("fact", ["criminal_record", "symptoms", "substance_use_severity", "housing", "appearance"])
def test_it_refuses_other_facts_instead_of_weighing_them(fact: str) -> None:
    with pytest.raises(RuleInputError) as caught:
        evaluate("personkrets", {**VOKSEN, fact: True})
    assert caught.value.errors == {fact: "Ukjent felt."}


@given(text=st.text(min_size=1).filter(str.strip))
def test_what_the_exception_justification_says_cannot_change_the_outcome(text: str) -> None:
    # The justification is recorded, never weighed: any non-blank text gives the same result as any other.
    facts = {**VOKSEN, "moderate_or_severe_condition": False, "exception_agreed_with_health_service": True}
    reference = evaluate("personkrets", {**facts, "exception_justification": "Begrunnet i samråd med DPS."})
    result = evaluate("personkrets", {**facts, "exception_justification": text})
    assert (result.outcome, result.reason_codes) == (reference.outcome, reference.reason_codes)


def test_every_person_in_the_target_group_who_wants_work_and_consents_is_eligible() -> None:
    for birth_date in (date(1950, 1, 1), date(1990, 7, 15), date(2008, 3, 3)):
        assert evaluate("personkrets", {**VOKSEN, "birth_date": birth_date}).outcome == "oppfylt"

"""rule_evaluator_memoised: one evaluation per distinct input, never a result for other inputs (the bulk import)."""

from datetime import date

import pytest

from brobygger.participants.tests.conftest import ELIGIBLE_FACTS
from brobygger.regelverk.services import rule_evaluate, rule_evaluator_memoised
from brobygger.rules.base import RuleInputError

ELIGIBLE = ELIGIBLE_FACTS | {"on": date(2025, 3, 2), "birth_date": date(2000, 5, 17), "consent": True}


def test_equal_inputs_are_evaluated_once_and_give_what_a_single_evaluation_gives():
    evaluate = rule_evaluator_memoised()
    first = evaluate(rule_id="personkrets", inputs=ELIGIBLE)
    again = evaluate(rule_id="personkrets", inputs=dict(reversed(ELIGIBLE.items())))
    assert again is first
    assert first == rule_evaluate(rule_id="personkrets", inputs=ELIGIBLE)
    assert first.outcome == "oppfylt"


def test_inputs_that_differ_in_one_value_get_their_own_result():
    evaluate = rule_evaluator_memoised()
    assert evaluate(rule_id="personkrets", inputs=ELIGIBLE).outcome == "oppfylt"
    without_consent = evaluate(rule_id="personkrets", inputs=ELIGIBLE | {"consent": False})
    assert without_consent.outcome == "ikke_oppfylt"
    assert without_consent == rule_evaluate(rule_id="personkrets", inputs=ELIGIBLE | {"consent": False})
    duration = {"on": date(2025, 3, 10), "start_date": date(2025, 3, 10), "track": "ips_ung"}
    one_year = evaluate(rule_id="varighet", inputs=duration | {"reduced_work_capacity": False})
    three_years = evaluate(rule_id="varighet", inputs=duration | {"reduced_work_capacity": True})
    assert (one_year.details["last_day"], three_years.details["last_day"]) == (date(2026, 3, 9), date(2028, 3, 9))


def test_the_same_value_of_another_type_is_another_input():
    # True == 1 and they hash alike, but the rule accepts only the first as a yes: 1 must not get True's result.
    evaluate = rule_evaluator_memoised()
    evaluate(rule_id="personkrets", inputs=ELIGIBLE)
    with pytest.raises(RuleInputError) as refused:
        evaluate(rule_id="personkrets", inputs=ELIGIBLE | {"consent": 1})
    assert refused.value.field == "consent"


def test_bad_input_is_refused_every_time_and_a_version_is_part_of_the_input():
    evaluate = rule_evaluator_memoised()
    for _attempt in range(2):
        with pytest.raises(RuleInputError):
            evaluate(rule_id="personkrets", inputs=ELIGIBLE | {"birth_date": date(2026, 1, 1)})
    in_force = evaluate(rule_id="personkrets", inputs=ELIGIBLE)
    proposal = evaluate(rule_id="personkrets", inputs=ELIGIBLE, version="horing-2026")
    assert (in_force.version.id, proposal.version.id) == ("forskrift-2023", "horing-2026")

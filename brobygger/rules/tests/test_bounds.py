"""Every rule in the catalogue, every input at the ends of the calendar or of the number line: the answer is a result
or a RuleInputError with a bokmål message, never an overflow (bounds.py)."""

from decimal import Decimal

import pytest

from brobygger.rules import bounds
from brobygger.rules.base import RuleInputError
from brobygger.rules.catalog import CATALOG, describe_inputs, evaluate

TYPICAL = {"date": "2026-03-01", "bool": True, "int": 1, "decimal": "1", "str": "x"}
EXTREMES = {
    "date": ["9999-12-31", "0001-01-01", "1899-12-31", "2100-01-01"],
    "int": [10**18, -(10**18), 1_000_000_001],
    "decimal": ["1e-300", "1e18", "0.00001", "-1e300"],
    "str": ["x" * (bounds.TEXT_MAX_LENGTH + 1)],
}
CASES = [
    (rule.id, field.name, value)
    for rule in CATALOG
    for field in describe_inputs(rule.id)
    for value in EXTREMES.get(field.kind, [])
]


def _typical(rule_id: str) -> dict[str, object]:
    return {f.name: f.choices[0] if f.kind == "choice" else TYPICAL[f.kind] for f in describe_inputs(rule_id)}


@pytest.mark.parametrize(("rule_id", "name", "value"), CASES)
def test_a_value_beyond_the_bounds_is_refused_on_its_field(rule_id, name, value):
    with pytest.raises(RuleInputError) as refused:
        evaluate(rule_id, _typical(rule_id) | {name: value})
    assert name in refused.value.errors


def test_the_ends_of_the_accepted_dates_are_accepted_and_computed_on():
    assert evaluate("klagefrist", {"on": "2026-03-01", "notified_on": bounds.EARLIEST_DATE.isoformat()}).details
    last = {"on": bounds.LATEST_DATE.isoformat(), "start_date": bounds.LATEST_DATE.isoformat()}
    assert evaluate("varighet", _typical("varighet") | last).details["last_day"]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (Decimal("0.0001"), None),
        (Decimal("0.00001"), "Tallet kan ha høyst 4 desimaler."),
        (Decimal("1.50000"), None),
        (Decimal(1_000_000), None),
        (Decimal(1_000_001), "Tallet må ligge mellom 0 og 1000000."),
        (Decimal("NaN"), "Må være et tall."),
    ],
)
def test_a_decimal_is_checked_for_its_range_and_its_decimals(value, problem):
    assert bounds.number_problem(value, bounds.DECIMAL) == problem

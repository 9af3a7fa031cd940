"""Evaluating the rules with this installation's settings, for pages and the API alike."""

from collections.abc import Mapping
from datetime import date

from django.conf import settings

from brobygger.rules.base import RuleResult, RuleVersion
from brobygger.rules.catalog import evaluate
from brobygger.rules.versions import select_version


def rule_evaluate(*, rule_id: str, inputs: Mapping[str, object], version: str | None = None) -> RuleResult:
    """Evaluate one rule; without a named version, the version in force on the input's date applies."""
    return evaluate(rule_id, inputs, version or None, proposal_in_force_from=settings.IPS_PROPOSAL_IN_FORCE_FROM)


def version_in_force(on: date) -> RuleVersion:
    return select_version(on, settings.IPS_PROPOSAL_IN_FORCE_FROM)

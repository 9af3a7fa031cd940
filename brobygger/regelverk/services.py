"""Evaluating the rules with this installation's settings, for pages and the API alike."""

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from brobygger.rules.base import Reason, RuleResult, RuleVersion, message
from brobygger.rules.catalog import evaluate
from brobygger.rules.versions import select_version


def rule_evaluate(*, rule_id: str, inputs: Mapping[str, object], version: str | None = None) -> RuleResult:
    """Evaluate one rule; without a named version, the version in force on the input's date applies."""
    return evaluate(rule_id, inputs, version or None, proposal_in_force_from=settings.IPS_PROPOSAL_IN_FORCE_FROM)


type Evaluate = Callable[..., RuleResult]


def rule_evaluator_memoised() -> Evaluate:
    """``rule_evaluate`` for one batch of many evaluations (the bulk import): a rule is a pure function of its
    inputs, the version and the date the proposal enters into force, so equal inputs are evaluated once and share
    the (frozen) result. The setting is read once: the whole batch is evaluated under the same configuration.

    The key is every input with its type, so ``True`` and ``1`` or a date and a datetime are never taken for each
    other. Bad input is not remembered: it raises ``RuleInputError`` again each time."""
    proposal_in_force_from = settings.IPS_PROPOSAL_IN_FORCE_FROM
    results: dict[tuple[object, ...], RuleResult] = {}

    def evaluate_once(*, rule_id: str, inputs: Mapping[str, object], version: str | None = None) -> RuleResult:
        key = (rule_id, version, *sorted((name, type(value), value) for name, value in inputs.items()))
        result = results.get(key)
        if result is None:
            result = results[key] = evaluate(
                rule_id, inputs, version or None, proposal_in_force_from=proposal_in_force_from
            )
        return result

    return evaluate_once


def version_in_force(on: date) -> RuleVersion:
    return select_version(on, settings.IPS_PROPOSAL_IN_FORCE_FROM)


def reason_text(reason: Reason | Mapping[str, Any]) -> str:
    """A rule's reason in the language of the page: the rules write bokmål; a reason whose text keeps its template
    (rules.base.Text) is put through the translation catalogue, with its values (and any nested text) filled in.
    Takes a Reason or a stored result's reason; one without a template stays as written."""
    if isinstance(reason, Reason):
        text, stored = str(reason.text), message(reason.text)
    else:
        text, stored = str(reason.get("text", "")), reason.get("message") or {}
    if not stored or translation.get_language() == settings.LANGUAGE_CODE:
        return text
    return _translated(stored)


def _translated(stored: Mapping[str, Any]) -> str:
    values = {
        name: _translated(value) if isinstance(value, Mapping) else value for name, value in stored["params"].items()
    }
    return gettext(stored["template"]).format(**values)

"""Evaluating the rules with this installation's settings, for pages and the API alike."""

from collections.abc import Mapping
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

"""The shapes every rule shares: input errors, reasons, results and bokmål formatting.

A rule never answers with a bare boolean. It returns a `RuleResult`: the outcome, one `Reason` per condition it
checked (passed or not, each with its legal reference) and the rule version it applied, so a decision can be
explained and reproduced later.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any

type Detail = date | int | Decimal | str | bool | tuple[str, ...] | None


class RuleInputError(ValueError):
    """Input a rule cannot evaluate, with a bokmål message per field (the API answers 422 per field)."""

    def __init__(self, field_name: str, message: str) -> None:
        self.errors: dict[str, str] = {field_name: message}
        super().__init__(f"{field_name}: {message}")

    @classmethod
    def from_errors(cls, errors: Mapping[str, str]) -> RuleInputError:
        """One error carrying several fields, so a form can show all its problems at once."""
        first, *_ = errors
        error = cls(first, errors[first])
        error.errors = dict(errors)
        error.args = ("; ".join(f"{name}: {message}" for name, message in errors.items()),)
        return error

    @property
    def field(self) -> str:
        """The first field in error."""
        return next(iter(self.errors))

    @property
    def message(self) -> str:
        """The message for the first field in error."""
        return self.errors[self.field]


@dataclass(frozen=True)
class RuleVersion:
    """A dated version of the rules, e.g. the regulation in force or the May 2026 proposal."""

    id: str
    label: str
    valid_from: date | None
    reference: str


class Text(str):
    """A reason's bokmål sentence that keeps its template and values: everywhere it is the plain sentence, and the
    Django layer can put the template through its translation catalogue (regelverk.services.reason_text).

    ``Text("Fristen gikk ut {day}.", day=fmt_date(due))``; a value may itself be a Text, translated in turn.
    """

    template: str
    params: Mapping[str, str]

    def __new__(cls, template: str, **params: str | int) -> Text:
        values = {name: value if isinstance(value, str) else str(value) for name, value in params.items()}
        text = super().__new__(cls, template.format(**values))
        text.template = template
        text.params = values
        return text


def _joined_by(join: Callable[[list[str]], str], items: list[str], prefix: str = "w") -> Text:
    """A Text whose template is ``join`` over one placeholder per item («{w0} og {w1}»), so each item stays
    translatable. The template is built here, never as a literal in a ``Text(...)`` call: makemessages reads those
    as msgids (``--keyword=Text``), and a separator such as " og " is no sentence to translate."""
    template = join([f"{{{prefix}{n}}}" for n in range(len(items))])
    return Text(template, **{f"{prefix}{n}": item for n, item in enumerate(items)})


def joined(texts: list[str]) -> Text:
    """Sentences one after another, each still translatable."""
    return _joined_by(" ".join, texts, prefix="t")


def joined_words(items: list[str]) -> Text:
    """Like join_words, «a, b og c», with each item and the «og» still translatable."""
    return _joined_by(join_words, items)


def each_joined_with_and(items: list[str]) -> Text:
    """«a og b og c»: every item, each pair with a translatable «og»."""
    return _joined_by(" og ".join, items)


def message(text: str) -> dict[str, Any]:
    """A Text's template and values as JSON-ready data (nested Texts as the same), or {} for a plain string."""
    if not isinstance(text, Text):
        return {}
    return {
        "template": text.template,
        "params": {name: message(value) or value for name, value in text.params.items()},
    }


@dataclass(frozen=True)
class Reason:
    """Why a condition passed or failed: a stable code, one plain bokmål sentence and the legal reference."""

    code: str
    text: str
    reference: str
    passed: bool


@dataclass(frozen=True)
class RuleResult:
    """What a rule concluded, why, and under which version of the rules."""

    rule: str
    outcome: str
    reasons: tuple[Reason, ...]
    version: RuleVersion
    on: date
    details: Mapping[str, Detail] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # A stored result must not change after the fact; freeze the mapping as well as the dataclass.
        object.__setattr__(self, "details", MappingProxyType(dict(self.details)))

    @property
    def reason_codes(self) -> tuple[str, ...]:
        return tuple(reason.code for reason in self.reasons)

    @property
    def references(self) -> tuple[str, ...]:
        """Every legal reference the result relies on, once each, in the order of the reasons."""
        return tuple(dict.fromkeys(reason.reference for reason in self.reasons))

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready primitives: ISO dates, decimals as strings."""
        return {
            "rule": self.rule,
            "outcome": self.outcome,
            "on": self.on.isoformat(),
            "version": {"id": self.version.id, "label": self.version.label},
            "reasons": [
                {"code": r.code, "text": str(r.text), "reference": r.reference, "passed": r.passed}
                | ({"message": message(r.text)} if isinstance(r.text, Text) else {})
                for r in self.reasons
            ],
            "details": {name: to_primitive(value) for name, value in self.details.items()},
        }


def to_primitive(value: Detail) -> str | int | bool | list[str] | None:
    """A detail value as a JSON primitive."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def label(text: str, help_text: str = "") -> dict[str, str]:
    """Field metadata: the bokmål label (and help text) a generated form shows for an input field."""
    return {"label": text, "help": help_text}


def coerce_enum[E: enum.Enum](obj: object, name: str, enum_type: type[E]) -> None:
    """Turn a plain string on a frozen input into its enum member, or reject it for that field."""
    value = getattr(obj, name)
    if isinstance(value, enum_type):
        return
    try:
        object.__setattr__(obj, name, enum_type(value))
    except ValueError:
        allowed = ", ".join(str(member.value) for member in enum_type)
        raise RuleInputError(name, f"Ukjent verdi «{value}». Gyldige verdier: {allowed}.") from None


def coerce_decimal(obj: object, name: str) -> None:
    """Turn an int or float on a frozen input into a Decimal, so amounts are computed without float rounding."""
    value = getattr(obj, name)
    if not isinstance(value, Decimal):
        object.__setattr__(obj, name, Decimal(str(value)))


def fmt_date(day: date) -> str:
    """dd.mm.åååå, as Norwegian case workers write dates."""
    return day.strftime("%d.%m.%Y")


def fmt_nok(amount: int) -> str:
    """Kroner with a space as thousands separator: 1 400 000 kr."""
    return f"{amount:,} kr".replace(",", " ")


def fmt_number(value: Decimal | int) -> str:
    """A number with a decimal comma and no trailing zeros: 0,5."""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",")


def condition(code: str, passed: bool, yes: str, no: str, reference: str) -> Reason:
    """A reason for a condition that is simply met or not: CODE_OPPFYLT or CODE_IKKE_OPPFYLT."""
    if passed:
        return Reason(f"{code}_OPPFYLT", yes, reference, True)
    return Reason(f"{code}_IKKE_OPPFYLT", no, reference, False)


def join_words(items: list[str] | tuple[str, ...]) -> str:
    """Join items the Norwegian way: «a, b og c»."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} og {items[-1]}"

"""/api/v1/rules/: every rule in the catalogue as its own documented endpoint.

Each rule's input dataclass becomes a request schema, so the OpenAPI document lists every field with its type,
label and help text. The rules hold no personal data, so these endpoints are open to programs without login.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

import annotated_types
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import create_model

from brobygger.regelverk.services import rule_evaluate
from brobygger.rules import bounds
from brobygger.rules.catalog import CATALOG, InputField, RuleSpec, describe_inputs
from brobygger.rules.versions import all_versions

router = Router(tags=["Regelverk"])

VersionId = Literal[tuple(version.id for version in all_versions())]  # type: ignore[valid-type]
KINDS: dict[str, Any] = {"date": date, "bool": bool, "int": int, "decimal": Decimal, "str": str}


class ReasonOut(Schema):
    code: str
    text: str
    reference: str
    passed: bool


class VersionOut(Schema):
    id: str
    label: str


class RuleResultOut(Schema):
    rule: str
    outcome: str
    on: date
    version: VersionOut
    reasons: list[ReasonOut]
    references: list[str]
    details: dict[str, Any]


class InputFieldOut(Schema):
    name: str
    kind: str
    label: str
    help: str
    required: bool
    choices: list[str]


class RuleOut(Schema):
    id: str
    title: str
    description: str
    references: list[str]
    versions: list[str]
    proposal_change: str
    inputs: list[InputFieldOut]


class RuleVersionOut(VersionOut):
    valid_from: date | None
    reference: str


class VersionQuery(Schema):
    version: VersionId | None = Field(None, description="Vurder etter en navngitt versjon («hva om»).")


def _annotation(field: InputField) -> Any:
    kind = Literal[field.choices] if field.kind == "choice" else KINDS[field.kind]  # type: ignore[valid-type]
    if limits := _limits(field):
        kind = Annotated[kind, *limits]
    return kind if field.required else kind | None


def _limits(field: InputField) -> tuple[Any, ...]:
    """The bounds the rules catalogue enforces (rules/bounds.py), stated in the schema so programs see them."""
    if field.kind == "date":
        return (annotated_types.Ge(bounds.EARLIEST_DATE), annotated_types.Le(bounds.LATEST_DATE))
    if field.kind in {"int", "decimal"}:
        accepted = bounds.number_range(field.name, KINDS[field.kind])
        return (annotated_types.Ge(accepted.low), annotated_types.Le(accepted.high))
    if field.kind == "str":
        return (annotated_types.MaxLen(bounds.TEXT_MAX_LENGTH),)
    return ()


def _input_schema(rule: RuleSpec) -> type[Schema]:
    fields = {
        f.name: (_annotation(f), Field(... if f.required else f.default, title=f.label, description=f.help or None))
        for f in describe_inputs(rule.id)
    }
    name = "".join(part.capitalize() for part in rule.id.split("-")) + "Input"
    return create_model(name, __base__=Schema, **fields)


def _result_out(result) -> dict[str, Any]:
    data = result.to_dict()
    return data | {"references": list(result.references)}


def _register(rule: RuleSpec) -> None:
    schema = _input_schema(rule)

    def evaluate_rule(request: HttpRequest, payload: schema, query: Query[VersionQuery]):  # type: ignore[valid-type]
        inputs = payload.model_dump(exclude_none=True)
        return _result_out(rule_evaluate(rule_id=rule.id, inputs=inputs, version=query.version))

    router.post(
        f"/{rule.id}",
        response=RuleResultOut,
        summary=rule.title,
        description=f"{rule.description}\n\nHjemmel: {'; '.join(rule.references)}",
        operation_id=f"rule_{rule.id.replace('-', '_')}",
    )(evaluate_rule)


@router.get("/", response=list[RuleOut], summary="Alle regler", operation_id="rules_list")
def rules_list(request: HttpRequest):
    return [
        {
            "id": rule.id,
            "title": rule.title,
            "description": rule.description,
            "references": list(rule.references),
            "versions": list(rule.versions),
            "proposal_change": rule.proposal_change,
            "inputs": [vars(f) | {"choices": list(f.choices)} for f in describe_inputs(rule.id)],
        }
        for rule in CATALOG
    ]


@router.get(
    "/versions", response=list[RuleVersionOut], summary="Versjoner av regelverket", operation_id="rules_versions"
)
def rules_versions(request: HttpRequest):
    return [vars(version) for version in all_versions()]


for _rule in CATALOG:
    _register(_rule)

"""The numbers of the law, read from the dated YAML files in `parameters/` (OpenFisca style).

Every value carries its legal reference and the dates it is valid (`valid_from`, optional `valid_to`), and may be
limited to some rule versions (`versions`). Rules look values up by date and version and never compare dates
themselves. A value whose `valid_from` is null belongs to a version without a fixed date of entry into force: it
applies whenever that version is applied. `references.yaml` holds the citations for conditions that have no number.
`validate_parameters()` lists what is wrong with the files; the Django layer runs it as a startup system check.
Which values are Brobygger's own choices rather than the law's is said in docs/domain.md § 12.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

import yaml

from .base import RuleInputError, RuleVersion, fmt_date

PARAMETER_DIR = Path(__file__).parent / "parameters"
VERSIONS_FILE = "versions.yaml"
REFERENCES_FILE = "references.yaml"
TYPES: Mapping[str, type | tuple[type, ...]] = {"int": int, "str": str, "list": list, "mapping": dict}


@dataclass(frozen=True)
class ParameterValue:
    """One dated value of a parameter, with the legal reference a reason cites for it."""

    name: str
    value: Any
    reference: str
    valid_from: date | None
    valid_to: date | None

    def as_int(self) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise TypeError(f"{self.name} er ikke et heltall")
        return self.value

    def as_str(self) -> str:
        if not isinstance(self.value, str):
            raise TypeError(f"{self.name} er ikke en tekst")
        return self.value

    def as_list(self) -> list[Any]:
        if not isinstance(self.value, list):
            raise TypeError(f"{self.name} er ikke en liste")
        return self.value

    def as_mapping(self) -> dict[str, Any]:
        if not isinstance(self.value, dict):
            raise TypeError(f"{self.name} er ikke en tabell")
        return self.value


def _read(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@functools.cache
def raw_versions() -> list[dict[str, Any]]:
    """The version definitions from `versions.yaml`, in order of entry into force."""
    data = _read(PARAMETER_DIR / VERSIONS_FILE)
    return data if isinstance(data, list) else []


@functools.cache
def raw_references() -> dict[str, Any]:
    """The citations from `references.yaml`."""
    data = _read(PARAMETER_DIR / REFERENCES_FILE)
    return data if isinstance(data, dict) else {}


@functools.cache
def _parameter_files() -> tuple[dict[str, Any], tuple[str, ...]]:
    merged: dict[str, Any] = {}
    duplicates: list[str] = []
    for path in sorted(PARAMETER_DIR.glob("*.yaml")):
        if path.name in (VERSIONS_FILE, REFERENCES_FILE):
            continue
        for name, definition in (_read(path) or {}).items():
            if name in merged:
                duplicates.append(f"{name}: definert mer enn én gang ({path.name})")
            merged[name] = definition
    return merged, tuple(duplicates)


def raw_parameters() -> dict[str, Any]:
    """Every parameter definition from the parameter files, by name."""
    return _parameter_files()[0]


def _applies_to(entry: Mapping[str, Any], version_id: str) -> bool:
    versions = entry.get("versions")
    return versions is None or version_id in versions


def _covers(entry: Mapping[str, Any], on: date) -> bool:
    start, end = entry.get("valid_from"), entry.get("valid_to")
    return (start is None or start <= on) and (end is None or on <= end)


def parameter(name: str, on: date, version: RuleVersion) -> ParameterValue:
    """The value of parameter `name` on date `on` under `version`.

    Raises RuleInputError on the field `on` when the law has no value for that date, e.g. before the regulation.
    """
    definition = raw_parameters()[name]
    for entry in definition["values"]:
        if _applies_to(entry, version.id) and _covers(entry, on):
            return ParameterValue(
                name=name,
                value=entry["value"],
                reference=entry["reference"],
                valid_from=entry.get("valid_from"),
                valid_to=entry.get("valid_to"),
            )
    raise RuleInputError(
        "on", f"Regelverket har ingen verdi for «{definition['description']}» {fmt_date(on)} ({version.label})."
    )


def cite(key: str, version: RuleVersion) -> str:
    """The legal reference for condition `key` under `version`."""
    for entry in raw_references()[key]:
        if _applies_to(entry, version.id):
            return str(entry["text"])
    raise KeyError(f"Ingen hjemmel for {key} i {version.id}")


def validate_parameters(
    parameters: Mapping[str, Any] | None = None,
    *,
    versions: Sequence[Mapping[str, Any]] | None = None,
    references: Mapping[str, Any] | None = None,
) -> list[str]:
    """Every problem in the parameter, version and reference files (or in the data given instead).

    Finds values without a legal reference, missing or reversed dates, unknown versions, values of the wrong type,
    overlapping date ranges for the same version, and versions a parameter or reference has no value for.
    """
    versions = raw_versions() if versions is None else versions
    problems = _version_problems(versions)
    version_ids = [str(v.get("id")) for v in versions]
    undated = {str(v.get("id")) for v in versions if v.get("valid_from") is None}
    if parameters is None:
        parameters, duplicates = _parameter_files()
        problems.extend(duplicates)
    for name, definition in parameters.items():
        problems.extend(_parameter_problems(name, definition, version_ids, undated))
    for key, entries in (raw_references() if references is None else references).items():
        problems.extend(_reference_problems(key, entries, version_ids))
    return problems


def _version_problems(versions: Sequence[Mapping[str, Any]]) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for index, version in enumerate(versions):
        version_id = version.get("id")
        where = f"versjon {version_id or index + 1}"
        for key in ("id", "label", "reference"):
            if not str(version.get(key) or "").strip():
                problems.append(f"{where}: mangler {key}")
        if version.get("valid_from") is not None and not isinstance(version.get("valid_from"), date):
            problems.append(f"{where}: valid_from er ikke en dato")
        if version_id in seen:
            problems.append(f"{where}: id brukes mer enn én gang")
        seen.add(str(version_id))
    return problems


def _parameter_problems(name: str, definition: Any, version_ids: list[str], undated: set[str]) -> list[str]:
    if not isinstance(definition, dict) or not isinstance(definition.get("values"), list):
        return [f"{name}: mangler en liste med values"]
    problems = [f"{name}: mangler description"] if not str(definition.get("description") or "").strip() else []
    expected = TYPES.get(str(definition.get("type")))
    if expected is None:
        problems.append(f"{name}: ukjent type {definition.get('type')!r} (bruk {', '.join(TYPES)})")
    entries = [entry for entry in definition["values"] if isinstance(entry, dict)]
    if len(entries) < len(definition["values"]):
        problems.append(f"{name}: hver verdi må være en tabell med value, reference og valid_from")
    for entry in entries:
        problems.extend(_value_problems(name, entry, expected, version_ids, undated))
    problems.extend(_overlap_problems(name, entries, version_ids))
    for version_id in version_ids:
        if not any(_applies_to(entry, version_id) for entry in entries):
            problems.append(f"{name}: ingen verdi for versjonen {version_id}")
    return problems


def _value_problems(
    name: str,
    entry: Mapping[str, Any],
    expected: type | tuple[type, ...] | None,
    version_ids: list[str],
    undated: set[str],
) -> list[str]:
    where = f"{name} (verdi fra {entry.get('valid_from')})"
    problems: list[str] = []
    if "value" not in entry:
        problems.append(f"{where}: mangler value")
    elif expected is not None and (not isinstance(entry["value"], expected) or isinstance(entry["value"], bool)):
        problems.append(f"{where}: verdien har feil type")
    if not str(entry.get("reference") or "").strip():
        problems.append(f"{where}: mangler hjemmel (reference)")
    if "valid_from" not in entry:
        problems.append(f"{where}: mangler valid_from")
    start, end = entry.get("valid_from"), entry.get("valid_to")
    scope = entry.get("versions")
    if scope is not None and not isinstance(scope, list):
        problems.append(f"{where}: versions må være en liste, for eksempel [forskrift-2023]")
        scope = None
    unknown = [v for v in scope or [] if v not in version_ids]
    if unknown:
        problems.append(f"{where}: ukjent versjon {', '.join(map(str, unknown))}")
    if start is None and "valid_from" in entry and not (scope and set(scope) <= undated):
        problems.append(f"{where}: valid_from kan bare være tom for versjoner uten fastsatt ikrafttredelse")
    for key, value in (("valid_from", start), ("valid_to", end)):
        if value is not None and not isinstance(value, date):
            problems.append(f"{where}: {key} er ikke en dato (bruk ÅÅÅÅ-MM-DD)")
    if isinstance(start, date) and isinstance(end, date) and end < start:
        problems.append(f"{where}: valid_to er før valid_from")
    return problems


def _overlap_problems(name: str, entries: list[dict[str, Any]], version_ids: list[str]) -> list[str]:
    problems: list[str] = []
    for first, second in combinations(entries, 2):
        shared = set(first.get("versions") or version_ids) & set(second.get("versions") or version_ids)
        if shared and _ranges_overlap(first, second):
            problems.append(
                f"{name}: verdiene fra {first.get('valid_from')} og {second.get('valid_from')} overlapper "
                f"for {', '.join(sorted(shared))}"
            )
    return problems


def _ranges_overlap(first: Mapping[str, Any], second: Mapping[str, Any]) -> bool:
    def bounds(entry: Mapping[str, Any]) -> tuple[date, date]:
        start, end = entry.get("valid_from"), entry.get("valid_to")
        return (
            start if isinstance(start, date) else date.min,
            end if isinstance(end, date) else date.max,
        )

    (first_start, first_end), (second_start, second_end) = bounds(first), bounds(second)
    return first_start <= second_end and second_start <= first_end


def _reference_problems(key: str, entries: Any, version_ids: list[str]) -> list[str]:
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        return [f"hjemmel {key}: må være en liste med text og eventuelt versions"]
    problems = [f"hjemmel {key}: mangler text" for entry in entries if not str(entry.get("text") or "").strip()]
    for version_id in version_ids:
        matches = sum(1 for entry in entries if _applies_to(entry, version_id))
        if matches != 1:
            problems.append(f"hjemmel {key}: {matches} tekster for versjonen {version_id}, skal være én")
    return problems

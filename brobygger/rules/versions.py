"""Which version of the rules applies: chosen by the evaluation date, or named for a "what if".

The versions are defined in `parameters/versions.yaml`: the regulation in force (2023, with the § 3-6 IPS ung
trial) and the May 2026 consultation proposal. The proposal has no date of entry into force; the Django layer
passes its setting as `proposal_in_force_from`, and while that is None the proposal applies only when named.

Our reading: docs/domain.md § 4 (including why the regulation applies from 01.07.2023).
"""

from __future__ import annotations

import functools
from datetime import date

from .base import RuleInputError, RuleVersion, fmt_date
from .parameters import raw_versions

IN_FORCE = "forskrift-2023"
PROPOSAL_2026 = "horing-2026"


@functools.cache
def all_versions() -> tuple[RuleVersion, ...]:
    """Every version, in order of entry into force."""
    return tuple(
        RuleVersion(
            id=entry["id"],
            label=entry["label"],
            valid_from=entry.get("valid_from"),
            reference=" ".join(str(entry["reference"]).split()),
        )
        for entry in raw_versions()
    )


def get_version(version_id: str) -> RuleVersion:
    """The version with id `version_id`, for evaluating a rule under a named version ("what if")."""
    for version in all_versions():
        if version.id == version_id:
            return version
    known = ", ".join(version.id for version in all_versions())
    raise RuleInputError("version", f"Ukjent regelversjon «{version_id}». Kjente versjoner: {known}.")


def select_version(on: date, proposal_in_force_from: date | None = None) -> RuleVersion:
    """The version in force on `on`: the latest one whose date of entry into force is on or before `on`.

    A version without a fixed date (the proposal) takes its date from `proposal_in_force_from`; while that is None
    it is never chosen by date.
    """
    started = [
        (start, index, version)
        for index, version in enumerate(all_versions())
        if (start := version.valid_from or proposal_in_force_from) is not None and start <= on
    ]
    if not started:
        first = min(v.valid_from for v in all_versions() if v.valid_from is not None)
        raise RuleInputError(
            "on", f"Ingen regelversjon gjelder {fmt_date(on)}. Den tidligste gjelder fra {fmt_date(first)}."
        )
    return max(started, key=lambda item: (item[0], item[1]))[2]


def resolve_version(on: date, version_id: str | None = None, proposal_in_force_from: date | None = None) -> RuleVersion:
    """The named version if one is given, otherwise the version in force on `on`."""
    if version_id:
        return get_version(version_id)
    return select_version(on, proposal_in_force_from)

"""Quality rules: rapid job search, an up-to-date plan, caseload, and fidelity level and review schedule.

The limits come from the IPS fidelity scale (IPS-25, see docs/fidelity.md), from § 3-3 of the regulation (the plan
shall be kept up to date) and from the grant scheme's notion of approved quality.

Our reading: docs/domain.md § 2.2 (the plan) and § 9 (rapid job search, caseload, fidelity).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .base import (
    Reason,
    RuleInputError,
    RuleResult,
    RuleVersion,
    Text,
    coerce_decimal,
    condition,
    fmt_date,
    fmt_number,
    label,
)
from .dates import add_months
from .parameters import cite, parameter

GOOD_OR_BETTER = ("meget_bra", "bra")
NOT_IPS = "ikke_ips"


@dataclass(frozen=True)
class FirstEmployerContactInput:
    on: date = field(metadata=label("Vurderingsdato"))
    start_date: date = field(metadata=label("Oppstartsdato i tiltaket"))
    first_contact_date: date | None = field(
        default=None, metadata=label("Dato for første arbeidsgiverkontakt", "Tom hvis ingen kontakt ennå.")
    )

    def __post_init__(self) -> None:
        if self.first_contact_date is None:
            return
        if self.first_contact_date < self.start_date:
            raise RuleInputError("first_contact_date", "Første arbeidsgiverkontakt kan ikke være før oppstart.")
        if self.first_contact_date > self.on:
            raise RuleInputError(
                "first_contact_date", "Første arbeidsgiverkontakt kan ikke være etter vurderingsdatoen."
            )


@dataclass(frozen=True)
class PlanInput:
    on: date = field(metadata=label("Vurderingsdato"))
    last_revised: date = field(metadata=label("Dato planen sist ble revidert"))
    max_days: int | None = field(
        default=None, metadata=label("Antall dager før planen regnes som utdatert", "Tom: standardverdien.")
    )

    def __post_init__(self) -> None:
        if self.last_revised > self.on:
            raise RuleInputError("last_revised", "Revisjonsdatoen kan ikke være etter vurderingsdatoen.")
        if self.max_days is not None and self.max_days < 1:
            raise RuleInputError("max_days", "Antall dager må være minst 1.")


@dataclass(frozen=True)
class CaseloadInput:
    on: date = field(metadata=label("Vurderingsdato"))
    active_participants: int = field(metadata=label("Aktive deltakere"))
    specialist_fte: Decimal = field(
        metadata=label("Årsverk jobbspesialist", "Summen av stillingsandelene, for eksempel 1,5.")
    )

    def __post_init__(self) -> None:
        coerce_decimal(self, "specialist_fte")
        if self.active_participants < 0:
            raise RuleInputError("active_participants", "Antall deltakere kan ikke være negativt.")
        if self.specialist_fte <= 0:
            raise RuleInputError("specialist_fte", "Årsverk må være større enn 0.")


@dataclass(frozen=True)
class FidelityInput:
    on: date = field(metadata=label("Vurderingsdato"))
    total: int = field(metadata=label("Totalskår på IPS-25"))


@dataclass(frozen=True)
class FidelityReviewInput:
    on: date = field(metadata=label("Vurderingsdato"))
    review_date: date = field(metadata=label("Dato for siste måling"))
    total: int = field(metadata=label("Totalskår på IPS-25 ved siste måling"))

    def __post_init__(self) -> None:
        if self.review_date > self.on:
            raise RuleInputError("review_date", "Målingen kan ikke være etter vurderingsdatoen.")


@dataclass(frozen=True)
class FidelityScheduleInput:
    on: date = field(metadata=label("Vurderingsdato"))
    service_start: date = field(metadata=label("Oppstartsdato for IPS-tilbudet"))
    review_date: date | None = field(
        default=None, metadata=label("Dato for siste måling", "Tom hvis tilbudet ikke er målt ennå.")
    )
    good_or_better: bool = field(
        default=False, metadata=label("Siste måling ga «Bra kvalitet» eller bedre", "På skalaens egne nivåer.")
    )

    def __post_init__(self) -> None:
        if self.review_date is not None and self.review_date > self.on:
            raise RuleInputError("review_date", "Målingen kan ikke være etter vurderingsdatoen.")
        if self.review_date is None and self.good_or_better:
            raise RuleInputError("good_or_better", "Et tilbud som ikke er målt, har ikke noe nivå ennå.")


def first_employer_contact(facts: FirstEmployerContactInput, version: RuleVersion) -> RuleResult:
    """Job search starts rapidly: the first face-to-face employer contact within 30 days of the start (IPS
    principle 6, IPS-25 item 15)."""
    limit = parameter("kvalitet.forste_arbeidsgiverkontakt_dager", facts.on, version)
    deadline = facts.start_date + timedelta(days=limit.as_int())
    contact = facts.first_contact_date
    days = None if contact is None else (contact - facts.start_date).days
    if contact is not None and contact <= deadline:
        outcome, code, passed = "innenfor_frist", "FORSTE_KONTAKT_INNENFOR_FRIST", True
        text = Text(
            "Første arbeidsgiverkontakt var {day}, {days} dager etter oppstart.", day=fmt_date(contact), days=str(days)
        )
    elif contact is not None:
        outcome, code, passed = "for_sent", "FORSTE_KONTAKT_FOR_SENT", False
        text = Text(
            "Første arbeidsgiverkontakt var {day}, {days} dager etter oppstart; fristen var {deadline}.",
            day=fmt_date(contact),
            days=str(days),
            deadline=fmt_date(deadline),
        )
    elif facts.on <= deadline:
        outcome, code, passed = "venter", "FORSTE_KONTAKT_VENTER", True
        text = Text("Ingen arbeidsgiverkontakt ennå; den bør skje senest {deadline}.", deadline=fmt_date(deadline))
    else:
        outcome, code, passed = "forfalt", "FORSTE_KONTAKT_FORFALT", False
        text = Text("Ingen arbeidsgiverkontakt, og fristen {deadline} er passert.", deadline=fmt_date(deadline))
    return RuleResult(
        rule="forste-arbeidsgiverkontakt",
        outcome=outcome,
        reasons=(Reason(code, text, limit.reference, passed),),
        version=version,
        on=facts.on,
        details={"deadline": deadline},
    )


def plan_up_to_date(facts: PlanInput, version: RuleVersion) -> RuleResult:
    """The follow-up plan shall be kept up to date (§ 3-3). A plan not revised for more than the set number of days
    counts as stale; the number is Brobygger's default unless the caller gives one."""
    default = parameter("ips.plan.maks_dager_uten_revisjon", facts.on, version)
    max_days = default.as_int() if facts.max_days is None else facts.max_days
    age = (facts.on - facts.last_revised).days
    reason = condition(
        "PLAN_OPPDATERT",
        age <= max_days,
        Text(
            "Planen ble revidert {day}, for {age} dager siden (grense {limit} dager).",
            day=fmt_date(facts.last_revised),
            age=age,
            limit=max_days,
        ),
        Text(
            "Planen ble sist revidert {day}, for {age} dager siden, mer enn {limit} dager.",
            day=fmt_date(facts.last_revised),
            age=age,
            limit=max_days,
        ),
        default.reference,
    )
    return RuleResult(
        rule="plan-oppdatert",
        outcome="oppdatert" if reason.passed else "utdatert",
        reasons=(reason,),
        version=version,
        on=facts.on,
        details={
            "days_since_revision": age,
            "max_days": max_days,
            "stale_from": facts.last_revised + timedelta(days=max_days + 1),
        },
    )


def caseload(facts: CaseloadInput, version: RuleVersion) -> RuleResult:
    """At most 20 active participants per full-time job specialist (IPS-25 item 1)."""
    limit = parameter("kvalitet.maks_deltakere_per_arsverk", facts.on, version)
    per_fte = (Decimal(facts.active_participants) / facts.specialist_fte).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    # Compare the exact ratio: rounding 20.04 down to 20.0 must not hide a caseload above the limit.
    within = facts.active_participants <= limit.as_int() * facts.specialist_fte
    numbers = {
        "active": str(facts.active_participants),
        "fte": fmt_number(facts.specialist_fte),
        "per_fte": fmt_number(per_fte),
        "limit": str(limit.value),
    }
    reason = condition(
        "SAKSMENGDE",
        within,
        Text(
            "{active} aktive deltakere på {fte} årsverk gir {per_fte} per årsverk, innenfor grensen på {limit}.",
            **numbers,
        ),
        Text(
            "{active} aktive deltakere på {fte} årsverk gir {per_fte} per årsverk, over grensen på {limit}.", **numbers
        ),
        limit.reference,
    )
    return RuleResult(
        rule="saksmengde",
        outcome="innenfor" if within else "over",
        reasons=(reason,),
        version=version,
        on=facts.on,
        details={"participants_per_fte": per_fte, "limit": limit.as_int()},
    )


def fidelity_level(facts: FidelityInput, version: RuleVersion) -> RuleResult:
    """The fidelity level from an IPS-25 total: 115-125 «Meget bra», 100-114 «Bra», 74-99 «Godkjent» and 25-73
    «Ikke IPS». Approved quality, the grant scheme's indicator, means 74 or more."""
    band, bands_reference = _band(facts.total, facts.on, version)
    approved = band["niva"] != NOT_IPS
    reasons = (
        Reason(
            f"MODELLTROHET_{str(band['niva']).upper()}",
            Text("Totalskår {total} gir nivået «{level}».", total=facts.total, level=str(band["navn"])),
            bands_reference,
            approved,
        ),
        condition(
            "GODKJENT_KVALITET",
            approved,
            Text("Totalskår {total} gir godkjent kvalitet.", total=facts.total),
            Text("Totalskår {total} gir ikke godkjent kvalitet.", total=facts.total),
            cite("kvalitet.godkjent", version),
        ),
    )
    return RuleResult(
        rule="modelltrohet-niva",
        outcome=str(band["niva"]),
        reasons=reasons,
        version=version,
        on=facts.on,
        details={"label": str(band["navn"]), "approved": approved},
    )


def fidelity_next_review(facts: FidelityReviewInput, version: RuleVersion) -> RuleResult:
    """Fidelity is reviewed every 6 months until the service reaches «Bra kvalitet» or better, then every 12
    months (IPS-25 item 11)."""
    band, _ = _band(facts.total, facts.on, version)
    months = parameter("kvalitet.modelltrohet.ny_maling_maaneder", facts.on, version)
    good = band["niva"] in GOOD_OR_BETTER
    interval = int(months.as_mapping()["bra_eller_bedre" if good else "under_bra"])
    due = add_months(facts.review_date, interval)
    text = Text(
        "Siste måling {day} ga «{level}», så neste måling skal skje innen {months} måneder: {due}.",
        day=fmt_date(facts.review_date),
        level=str(band["navn"]),
        months=interval,
        due=fmt_date(due),
    )
    reasons = [Reason("NESTE_MALING_12_MND" if good else "NESTE_MALING_6_MND", text, months.reference, True)]
    overdue = facts.on > due
    reasons.append(
        condition(
            "MALING_I_TIDE",
            not overdue,
            Text("Neste måling er ikke forfalt ({due}).", due=fmt_date(due)),
            Text("Neste måling skulle vært gjort innen {due}.", due=fmt_date(due)),
            months.reference,
        )
    )
    return RuleResult(
        rule="modelltrohet-neste-maling",
        outcome="forfalt" if overdue else "ikke_forfalt",
        reasons=tuple(reasons),
        version=version,
        on=facts.on,
        details={"next_review": due, "months": interval, "level": str(band["niva"])},
    )


def fidelity_schedule(facts: FidelityScheduleInput, version: RuleVersion) -> RuleResult:
    """Fidelity is reviewed every 6 months until the service reaches good fidelity, then every 12 months (IPS-25
    item 11), whatever the scale: the level comes from the scale's own bands. A service not yet reviewed is due 6
    months after it started."""
    months = parameter("kvalitet.modelltrohet.ny_maling_maaneder", facts.on, version)
    good = facts.good_or_better
    interval = int(months.as_mapping()["bra_eller_bedre" if good else "under_bra"])
    if facts.review_date is None:
        due = add_months(facts.service_start, interval)
        code = "FORSTE_MALING"
        text = Text(
            "Tilbudet er ikke målt ennå; første måling skal skje innen {months} måneder etter oppstarten {start}: "
            "{due}.",
            months=interval,
            start=fmt_date(facts.service_start),
            due=fmt_date(due),
        )
    else:
        due = add_months(facts.review_date, interval)
        code = "NESTE_MALING_12_MND" if good else "NESTE_MALING_6_MND"
        level = Text("«Bra kvalitet» eller bedre") if good else Text("et nivå under «Bra kvalitet»")
        text = Text(
            "Siste måling {day} ga {level}, så neste måling skal skje innen {months} måneder: {due}.",
            day=fmt_date(facts.review_date),
            level=level,
            months=interval,
            due=fmt_date(due),
        )
    overdue = facts.on > due
    reasons = (
        Reason(code, text, months.reference, True),
        condition(
            "MALING_I_TIDE",
            not overdue,
            Text("Neste måling er ikke forfalt ({due}).", due=fmt_date(due)),
            Text("Neste måling skulle vært gjort innen {due}.", due=fmt_date(due)),
            months.reference,
        ),
    )
    return RuleResult(
        rule="modelltrohet-maleplan",
        outcome="forfalt" if overdue else "ikke_forfalt",
        reasons=reasons,
        version=version,
        on=facts.on,
        details={"next_review": due, "months": interval, "days_left": (due - facts.on).days},
    )


def _band(total: int, on: date, version: RuleVersion) -> tuple[dict[str, Any], str]:
    """The fidelity band a total falls in (bands listed from the highest), after checking the total is possible."""
    scale = parameter("kvalitet.modelltrohet.skala", on, version).as_mapping()
    if not scale["min"] <= total <= scale["max"]:
        raise RuleInputError("total", f"Totalskåren må være mellom {scale['min']} og {scale['max']}.")
    bands = parameter("kvalitet.modelltrohet.nivaer", on, version)
    band = next(band for band in bands.as_list() if total >= band["fra"])
    return band, bands.reference

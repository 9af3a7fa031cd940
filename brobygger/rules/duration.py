"""How long individuell jobbstøtte may last (egenregiforskriften § 3-5, and § 3-6 during the IPS ung trial).

The duration is adapted to the person's needs; the numbers are ceilings. A period of N years from start date S
lasts up to and including the day before the N-year anniversary of S (docs/domain.md § 3.3).

Our reading: docs/domain.md § 3.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .base import Reason, RuleResult, RuleVersion, Text, coerce_enum, fmt_date, joined, label
from .dates import period_last_day
from .eligibility import Track
from .parameters import ParameterValue, parameter


@dataclass(frozen=True)
class DurationInput:
    on: date = field(metadata=label("Vurderingsdato"))
    start_date: date = field(metadata=label("Oppstartsdato i tiltaket"))
    track: Track = field(metadata=label("Spor (IPS eller IPS ung)"))
    reduced_work_capacity: bool = field(
        metadata=label(
            "Har nedsatt arbeidsevne", "Etter Navs vurdering etter arbeids- og velferdsforvaltningsloven § 14 a."
        )
    )
    in_education: bool = field(default=False, metadata=label("Er i opplæring eller utdanning"))
    extended: bool = field(default=False, metadata=label("Det er vedtatt forlengelse"))

    def __post_init__(self) -> None:
        coerce_enum(self, "track", Track)


@dataclass(frozen=True)
class ExtensionInput:
    on: date = field(metadata=label("Vurderingsdato"))
    start_date: date = field(metadata=label("Oppstartsdato i tiltaket"))
    track: Track = field(metadata=label("Spor (IPS eller IPS ung)"))
    reduced_work_capacity: bool = field(metadata=label("Har nedsatt arbeidsevne"))
    in_education: bool = field(metadata=label("Er i opplæring eller utdanning"))

    def __post_init__(self) -> None:
        coerce_enum(self, "track", Track)


def duration(facts: DurationInput, version: RuleVersion) -> RuleResult:
    """The last permitted day of the period and whether it is running on the evaluation date.

    At most one year, or three years with reduced work capacity (§ 3-5). With a recorded extension, an IPS ung
    participant in education or training may continue for up to one more year: two years in all, or four with
    reduced work capacity (in force § 3-6; the proposal § 3-5 third paragraph).
    """
    years = _base_years(facts.on, facts.reduced_work_capacity, version)
    base_reason = _base_reason(facts.start_date, facts.reduced_work_capacity, years)
    reasons = [base_reason]
    last_day = period_last_day(facts.start_date, years.as_int())
    if facts.extended:
        extension_reasons, extended_last = _extension_conditions(facts, version)
        allowed = all(r.passed for r in extension_reasons)
        reasons.append(_recorded_extension_reason(allowed, extended_last, extension_reasons))
        last_day = extended_last if allowed else last_day
    outcome, status = _status(facts.on, facts.start_date, last_day, base_reason.reference)
    return RuleResult(
        rule="varighet",
        outcome=outcome,
        reasons=(*reasons, status),
        version=version,
        on=facts.on,
        details={"last_day": last_day, "days_left": max((last_day - facts.on).days, 0)},
    )


def extension(facts: ExtensionInput, version: RuleVersion) -> RuleResult:
    """Whether the period can be extended on the evaluation date, and to which day at the latest.

    Only IPS ung participants in education or training; by up to one year, two years in all or four with reduced
    work capacity. The total must not already be used up on the evaluation date.
    """
    conditions, extended_last = _extension_conditions(facts, version)
    room = extended_last >= facts.on
    reference = conditions[0].reference
    room_reason = (
        Reason(
            "SAMLET_VARIGHET_IKKE_BRUKT_OPP",
            Text("Samlet varighet kan vare til {day}.", day=fmt_date(extended_last)),
            reference,
            True,
        )
        if room
        else Reason(
            "SAMLET_VARIGHET_BRUKT_OPP",
            Text("Samlet varighet gikk ut {day}.", day=fmt_date(extended_last)),
            reference,
            False,
        )
    )
    reasons = (*conditions, room_reason)
    allowed = all(r.passed for r in reasons)
    base_years = _base_years(facts.on, facts.reduced_work_capacity, version).as_int()
    return RuleResult(
        rule="forlengelse",
        outcome="kan_forlenges" if allowed else "kan_ikke_forlenges",
        reasons=reasons,
        version=version,
        on=facts.on,
        details={
            "base_last_day": period_last_day(facts.start_date, base_years),
            "max_extended_last_day": extended_last if allowed else None,
            "extension_years": parameter("ips.varighet.forlengelse_ar", facts.on, version).as_int(),
        },
    )


def _base_years(on: date, reduced_work_capacity: bool, version: RuleVersion) -> ParameterValue:
    name = "ips.varighet.nedsatt_arbeidsevne_ar" if reduced_work_capacity else "ips.varighet.ordinaer_ar"
    return parameter(name, on, version)


def _base_reason(start_date: date, reduced_work_capacity: bool, years: ParameterValue) -> Reason:
    last_day = fmt_date(period_last_day(start_date, years.as_int()))
    if reduced_work_capacity:
        text = Text(
            "Med nedsatt arbeidsevne kan tiltaket vare i inntil {years} år, til og med {day}.",
            years=str(years.value),
            day=last_day,
        )
        return Reason("VARIGHET_NEDSATT_ARBEIDSEVNE", text, years.reference, True)
    text = Text("Tiltaket kan vare i inntil {years} år, til og med {day}.", years=str(years.value), day=last_day)
    return Reason("VARIGHET_ORDINAER", text, years.reference, True)


def _extension_conditions(
    facts: DurationInput | ExtensionInput, version: RuleVersion
) -> tuple[tuple[Reason, ...], date]:
    """The conditions for an extension (IPS ung, in education) and its limits, and the last day the extended
    period may reach: the base period plus the extension, within the total."""
    extra = parameter("ips.varighet.forlengelse_ar", facts.on, version)
    cap_name = (
        "ips.varighet.samlet_med_forlengelse_nedsatt_arbeidsevne_ar"
        if facts.reduced_work_capacity
        else "ips.varighet.samlet_med_forlengelse_ar"
    )
    cap = parameter(cap_name, facts.on, version)
    base = _base_years(facts.on, facts.reduced_work_capacity, version).as_int()
    total = min(base + extra.as_int(), cap.as_int())
    is_young = facts.track is Track.IPS_UNG
    in_education = facts.in_education
    reasons = (
        Reason(
            "FORLENGELSE_IPS_UNG_OPPFYLT" if is_young else "FORLENGELSE_IPS_UNG_IKKE_OPPFYLT",
            Text("Deltakeren er i IPS ung.")
            if is_young
            else Text("Bare deltakere i IPS ung kan få forlenget tiltaket."),
            extra.reference,
            is_young,
        ),
        Reason(
            "FORLENGELSE_UTDANNING_OPPFYLT" if in_education else "FORLENGELSE_UTDANNING_IKKE_OPPFYLT",
            Text("Deltakeren er i opplæring eller utdanning.")
            if in_education
            else Text("Forlengelse krever at deltakeren er i opplæring eller utdanning."),
            extra.reference,
            in_education,
        ),
        Reason(
            "FORLENGELSE_RAMME",
            Text(
                "Forlengelse er inntil {extra} år, samlet inntil {cap} år.", extra=str(extra.value), cap=str(cap.value)
            ),
            cap.reference,
            True,
        ),
    )
    return reasons, period_last_day(facts.start_date, total)


def _recorded_extension_reason(allowed: bool, extended_last: date, conditions: tuple[Reason, ...]) -> Reason:
    reference = conditions[0].reference
    if allowed:
        text = Text("Forlengelsen er tillatt, som lengst til og med {day}.", day=fmt_date(extended_last))
        return Reason("FORLENGELSE_TILLATT", text, reference, True)
    failed = joined([r.text for r in conditions if not r.passed])
    text = Text("Forlengelsen som er registrert, er ikke tillatt og teller ikke: {failed}", failed=failed)
    return Reason("FORLENGELSE_IKKE_TILLATT", text, reference, False)


def _status(on: date, start_date: date, last_day: date, reference: str) -> tuple[str, Reason]:
    if on < start_date:
        text = Text("Tiltaket starter {day}.", day=fmt_date(start_date))
        return "ikke_startet", Reason("IKKE_STARTET", text, reference, True)
    if on <= last_day:
        text = Text("Tiltaket kan fortsette til og med {day}.", day=fmt_date(last_day))
        return "lopende", Reason("INNENFOR_VARIGHET", text, reference, True)
    text = Text("Lengste varighet gikk ut {day}.", day=fmt_date(last_day))
    return "utlopt", Reason("VARIGHET_UTLOPT", text, reference, False)
